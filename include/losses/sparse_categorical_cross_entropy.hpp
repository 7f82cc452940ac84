#ifndef LOSSES_SPARSE_CATEGORICAL_CROSS_ENTROPY_HPP
#define LOSSES_SPARSE_CATEGORICAL_CROSS_ENTROPY_HPP

#include <cstdint>
#include <optional>

#include "categorical_cross_entropy.hpp"
#include "detail/label_loss.hpp"
#include "detail/options.hpp"
#include "reduction.hpp"

namespace losses {
namespace detail {

template <class Loss>
class IgnoreIndexOption {
 public:
  /// Sets a label whose rows count for nothing (PyTorch's `ignore_index`; any integer, for
  /// instance −100 or a padding class), or std::nullopt for none (the default). Ignored rows
  /// are not validated and add nothing to the value, the gradient (their rows are exactly
  /// zero) or the mean's denominator. A batch of ignored rows gives value 0 and gradient 0.
  Loss& ignore_index(std::optional<std::int64_t> label) noexcept {
    ignore_index_ = label;
    return static_cast<Loss&>(*this);
  }
  /// The label that is ignored, if any.
  std::optional<std::int64_t> ignore_index() const noexcept { return ignore_index_; }

 private:
  std::optional<std::int64_t> ignore_index_;
};

}  // namespace detail

/// Categorical cross-entropy on integer class labels, for softmax outputs: on
/// probabilities by default, on logits with from_logits(true). y_true holds N labels in
/// [0, K), in any Eigen integer vector (ArrayXi, VectorX<Index>, a row of a matrix, ...);
/// y_pred is N x K.
///
/// Row i is CategoricalCrossEntropy's row with a one-hot target at yᵢ, computed without
/// forming it: with class weights c (1 when unset) and label smoothing s,
///   ℓᵢ = (1 − s)·c_{yᵢ}·(−log p_{i,yᵢ}) + (s/K)·Σₖ cₖ·(−log p_{ik}),
/// p clipped to [ε, 1 − ε], or p = softmax(zᵢ) computed stably from logits.
/// - Reduction::mean (default): Σ wᵢ·ℓᵢ / Σ wᵢ·c_{yᵢ} over the rows not ignored (PyTorch's
///   convention; unweighted and without class weights, divided by N). So with class
///   weights this is not CategoricalCrossEntropy on one-hot targets, whose mean divides by
///   Σ wᵢ; PyTorch differs between the two in the same way.
/// - Reduction::sum: Σ wᵢ·ℓᵢ. Weights are one per sample (length N).
/// - ignore_index(label): rows with that label count for nothing (see the option).
///
/// The gradient is the exact derivative of the value returned: on probabilities without
/// smoothing, −c_y/p at the label and 0 elsewhere (and 0 where p was clipped); on logits
/// Tᵢ·softmax(zᵢ) − tᵢ, with tᵢ the transformed one-hot row and Tᵢ its sum.
///
/// @throws losses::LabelError (std::out_of_range) for a label outside [0, K), naming its
/// row (the label is never used to read memory); losses::ArgumentError
/// (std::invalid_argument) for shapes that do not fit, an invalid option, or class weights
/// whose length is not K; losses::DomainError (std::domain_error) for a probability
/// outside [0, 1], NaN or infinity in probabilities or weights, a NaN logit, or a negative
/// weight, in a row that is not ignored.
///
/// ```
/// losses::SparseCategoricalCrossEntropy<float> loss;
/// loss.from_logits(true).ignore_index(-100);
/// float value = loss.value_and_gradient_into(labels, logits, gradient);
/// ```
template <class Scalar = double>
class SparseCategoricalCrossEntropy
    : public detail::LabelLoss<SparseCategoricalCrossEntropy<Scalar>, Scalar>,
      public detail::EpsilonOption<SparseCategoricalCrossEntropy<Scalar>, Scalar>,
      public detail::ReductionOption<SparseCategoricalCrossEntropy<Scalar>>,
      public detail::LogitsOption<SparseCategoricalCrossEntropy<Scalar>>,
      public detail::LabelSmoothingOption<SparseCategoricalCrossEntropy<Scalar>, Scalar>,
      public detail::ClassWeightOption<SparseCategoricalCrossEntropy<Scalar>, Scalar>,
      public detail::IgnoreIndexOption<SparseCategoricalCrossEntropy<Scalar>> {
 public:
  static constexpr const char* name = "SparseCategoricalCrossEntropy";

  /// Calls f with the rule the options select (for the driver).
  template <class F>
  decltype(auto) with_rule(Eigen::Index /*columns*/, F&& f) const {
    return detail::with_categorical_rule<Scalar>(*this, f);
  }
};

}  // namespace losses

#endif  // LOSSES_SPARSE_CATEGORICAL_CROSS_ENTROPY_HPP
