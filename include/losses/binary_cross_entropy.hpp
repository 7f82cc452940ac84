#ifndef LOSSES_BINARY_CROSS_ENTROPY_HPP
#define LOSSES_BINARY_CROSS_ENTROPY_HPP

#include "detail/checks.hpp"
#include "detail/elementwise_loss.hpp"
#include "detail/math.hpp"
#include "detail/options.hpp"
#include "detail/weights.hpp"
#include "reduction.hpp"

namespace losses {
namespace detail {

/// Binary cross-entropy of a probability p against a target y in [0, 1], with p clipped
/// to [ε, 1 − ε]: the term −[y·log p_c + (1 − y)·log(1 − p_c)] and its derivative
/// (1 − y)/(1 − p_c) − y/p_c where p was not clipped, 0 where it was.
template <class S>
struct BinaryCrossEntropyRule {
  using Scalar = S;
  static constexpr TermUnit unit = TermUnit::element;
  static constexpr Domain target_domain = Domain::unit_interval;
  static constexpr Domain prediction_domain = Domain::unit_interval;

  Scalar epsilon;

  template <class Y, class P>
  auto term(const Y& y, const P& p) const {
    const auto pc = clip(p, epsilon, Scalar(1) - epsilon);
    return -(xlogy(y, pc) + xlog1m(Scalar(1) - y, pc));
  }
  template <class Y, class P>
  auto derivative(const Y& y, const P& p) const {
    const auto pc = clip(p, epsilon, Scalar(1) - epsilon);
    return (ratio(Scalar(1) - y, Scalar(1) - pc) - ratio(y, pc)) * unclipped(p, pc);
  }
};

}  // namespace detail

/// Binary cross-entropy on probabilities, not logits: for sigmoid outputs. y_true and
/// y_pred are N x M; every element is its own binary problem, with a target y in [0, 1]
/// (0/1 labels or soft targets, any arithmetic type) and a predicted probability p.
///
/// p is clipped to [ε, 1 − ε] (ε: epsilon(), default machine epsilon), then each element
/// contributes the term −[y·log p + (1 − y)·log(1 − p)]; both parts always count, so a
/// target of 0 is not a zero loss. Reductions as for MeanSquaredError: mean divides by
/// N·M (or the total weight), sum adds.
///
/// The gradient is the exact derivative of the value returned: (p − y)/(p(1 − p)) at and
/// inside the clip bounds, and 0 where p was clipped (p < ε or p > 1 − ε). So a saturated
/// wrong prediction gets no gradient: to train through saturated sigmoids, work on logits.
/// With ε = 0 nothing is clipped: 0·log 0 counts as 0, a certain and wrong prediction
/// gives +∞, and at a prediction equal to its 0/1 target the gradient is one-sided (finite).
///
/// @throws losses::ArgumentError (std::invalid_argument) for mismatched or empty shapes
/// or an invalid ε; losses::DomainError (std::domain_error) for a probability or target
/// outside [0, 1], NaN or infinity, or a negative weight, naming the first culprit.
///
/// ```
/// losses::BinaryCrossEntropy<float> bce;
/// float value = bce.epsilon(1e-7f)(labels, probabilities);
/// ```
template <class Scalar = double>
class BinaryCrossEntropy : public detail::ElementwiseLoss<BinaryCrossEntropy<Scalar>, Scalar>,
                           public detail::EpsilonOption<BinaryCrossEntropy<Scalar>, Scalar>,
                           public detail::ReductionOption<BinaryCrossEntropy<Scalar>> {
 public:
  static constexpr const char* name = "BinaryCrossEntropy";

  using detail::EntryPoints<BinaryCrossEntropy, Scalar>::per_element;

  /// Calls f with the rule the options select (for the driver).
  template <class F>
  decltype(auto) with_rule(F&& f) const {
    return f(detail::BinaryCrossEntropyRule<Scalar>{this->epsilon()});
  }
};

}  // namespace losses

#endif  // LOSSES_BINARY_CROSS_ENTROPY_HPP
