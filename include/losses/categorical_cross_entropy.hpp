#ifndef LOSSES_CATEGORICAL_CROSS_ENTROPY_HPP
#define LOSSES_CATEGORICAL_CROSS_ENTROPY_HPP

#include "detail/checks.hpp"
#include "detail/elementwise_loss.hpp"
#include "detail/math.hpp"
#include "detail/options.hpp"
#include "detail/weights.hpp"
#include "reduction.hpp"

namespace losses {
namespace detail {

/// Categorical cross-entropy of probabilities p against target weights y in [0, 1], with
/// p clipped to [ε, 1 − ε]: the term −y·log p_c (exactly 0 where y is 0) and its
/// derivative −y/p_c where p was not clipped, 0 where it was. A row's loss is the sum of
/// its terms. The sparse loss uses this rule with y = 1 at the label.
template <class S>
struct CategoricalCrossEntropyRule {
  using Scalar = S;
  static constexpr TermUnit unit = TermUnit::sample;
  static constexpr Domain target_domain = Domain::unit_interval;
  static constexpr Domain prediction_domain = Domain::unit_interval;

  Scalar epsilon;

  template <class Y, class P>
  auto term(const Y& y, const P& p) const {
    return -xlogy(y, clip(p, epsilon, Scalar(1) - epsilon));
  }
  template <class Y, class P>
  auto derivative(const Y& y, const P& p) const {
    const auto pc = clip(p, epsilon, Scalar(1) - epsilon);
    return -ratio(y, pc) * unclipped(p, pc);
  }
};

}  // namespace detail

/// Categorical cross-entropy on probabilities, not logits: for softmax outputs.
/// y_true is N x K, each row a distribution over the K classes (one-hot or soft; any
/// arithmetic type); y_pred is N x K predicted probabilities.
///
/// Row i contributes ℓᵢ = −Σₖ yᵢₖ·log(clip(pᵢₖ, ε, 1 − ε)); a term whose target is exactly
/// 0 contributes exactly 0. Rows are scored as given: predictions that do not sum to one
/// are not renormalised (scikit-learn's behaviour since 1.5).
/// - Reduction::mean (default): Σ wᵢ·ℓᵢ / Σ wᵢ (unweighted: divided by N);
/// - Reduction::sum: Σ wᵢ·ℓᵢ. Weights are one per sample (length N).
///
/// The gradient is −yᵢₖ/pᵢₖ times the reduction's weight and scale, and 0 where p was
/// clipped (p < ε or p > 1 − ε): to train through saturated softmax outputs, use logits.
/// ε = 0 evaluates exactly (0·log 0 = 0; a zero probability on a positive target gives +∞).
///
/// @throws losses::ArgumentError (std::invalid_argument) for mismatched or empty shapes
/// (one-hot targets with more classes than y_pred has columns included) or an invalid ε;
/// losses::DomainError (std::domain_error) for a probability or target outside [0, 1],
/// NaN, infinity, or a negative weight, naming the first culprit.
///
/// ```
/// losses::CategoricalCrossEntropy<> cce;
/// double value = cce(one_hot, softmax_output);
/// ```
template <class Scalar = double>
class CategoricalCrossEntropy : public detail::ElementwiseLoss<CategoricalCrossEntropy<Scalar>, Scalar>,
                                public detail::EpsilonOption<CategoricalCrossEntropy<Scalar>, Scalar>,
                                public detail::ReductionOption<CategoricalCrossEntropy<Scalar>> {
 public:
  static constexpr const char* name = "CategoricalCrossEntropy";

  /// Calls f with the rule the options select (for the driver).
  template <class F>
  decltype(auto) with_rule(F&& f) const {
    return f(detail::CategoricalCrossEntropyRule<Scalar>{this->epsilon()});
  }
};

}  // namespace losses

#endif  // LOSSES_CATEGORICAL_CROSS_ENTROPY_HPP
