#ifndef LOSSES_SPARSE_CATEGORICAL_CROSS_ENTROPY_HPP
#define LOSSES_SPARSE_CATEGORICAL_CROSS_ENTROPY_HPP

#include "categorical_cross_entropy.hpp"
#include "detail/label_loss.hpp"
#include "detail/options.hpp"
#include "reduction.hpp"

namespace losses {

/// Categorical cross-entropy on integer class labels and probabilities (not logits): for
/// softmax outputs. y_true holds N labels in [0, K), in any Eigen integer vector
/// (ArrayXi, VectorX<Index>, a row of a matrix, ...); y_pred is N x K probabilities.
///
/// Row i contributes ℓᵢ = −log(clip(p_{i,yᵢ}, ε, 1 − ε)): CategoricalCrossEntropy with a
/// one-hot target, computed without forming it. Reductions, weights (length N), ε and the
/// gradient (−1/p at the label, 0 elsewhere and where p was clipped) are as for
/// CategoricalCrossEntropy.
///
/// @throws losses::LabelError (std::out_of_range) for a label outside [0, K), naming its
/// row (the label is never used to read memory); losses::ArgumentError
/// (std::invalid_argument) for shapes that do not fit or an invalid ε;
/// losses::DomainError (std::domain_error) for a probability outside [0, 1], NaN or
/// infinity anywhere in y_pred, or a negative weight.
///
/// ```
/// losses::SparseCategoricalCrossEntropy<> loss;
/// Eigen::ArrayXd g(probabilities.rows(), probabilities.cols());
/// double value = loss.value_and_gradient_into(labels, probabilities, g);
/// ```
template <class Scalar = double>
class SparseCategoricalCrossEntropy
    : public detail::LabelLoss<SparseCategoricalCrossEntropy<Scalar>, Scalar>,
      public detail::EpsilonOption<SparseCategoricalCrossEntropy<Scalar>, Scalar>,
      public detail::ReductionOption<SparseCategoricalCrossEntropy<Scalar>> {
 public:
  static constexpr const char* name = "SparseCategoricalCrossEntropy";

  /// Calls f with the rule the options select (for the driver).
  template <class F>
  decltype(auto) with_rule(F&& f) const {
    return f(detail::CategoricalCrossEntropyRule<Scalar>{this->epsilon()});
  }
};

}  // namespace losses

#endif  // LOSSES_SPARSE_CATEGORICAL_CROSS_ENTROPY_HPP
