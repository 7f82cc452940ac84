#ifndef LOSSES_BINARY_CROSS_ENTROPY_HPP
#define LOSSES_BINARY_CROSS_ENTROPY_HPP

#include <Eigen/Core>

#include "detail/checks.hpp"
#include "detail/elementwise_loss.hpp"
#include "detail/math.hpp"
#include "detail/options.hpp"
#include "detail/weights.hpp"
#include "reduction.hpp"

namespace losses {
namespace detail {

/// What the two binary rules share: the smoothed target y' = y(1 − s) + s/2, and the
/// positive-class weight v (the column parameter; 1 when unset) that multiplies the
/// positive part of the loss, −v·y'·log σ − (1 − y')·log(1 − σ).
template <class S>
struct BinaryTarget {
  S smoothing;
  const S* pos_weight;  // one per column, or null

  template <class Y>
  auto smoothed(const Y& y) const {
    return y * (S(1) - smoothing) + smoothing / S(2);
  }
  const S* column_parameters() const { return pos_weight; }
};

/// Binary cross-entropy of a probability p against a target y in [0, 1], with p clipped
/// to [ε, 1 − ε]: with y' the smoothed target and v the positive-class weight, the term
/// −[v·y'·log p_c + (1 − y')·log(1 − p_c)] and its derivative (1 − y')/(1 − p_c) − v·y'/p_c
/// where p was not clipped, 0 where it was.
template <class S>
struct BinaryCrossEntropyRule : BinaryTarget<S> {
  using Scalar = S;
  static constexpr TermUnit unit = TermUnit::element;
  static constexpr Domain target_domain = Domain::unit_interval;
  static constexpr Domain prediction_domain = Domain::unit_interval;

  Scalar epsilon;

  BinaryCrossEntropyRule(Scalar eps, const BinaryTarget<S>& target) : BinaryTarget<S>(target), epsilon(eps) {}

  template <class Y, class P, class V>
  auto term(const Y& y, const P& p, const V& v) const {
    const auto t = this->smoothed(y);
    const auto pc = clip(p, epsilon, Scalar(1) - epsilon);
    return -(xlogy(v * t, pc) + xlog1m(Scalar(1) - t, pc));
  }
  template <class Y, class P, class V>
  auto derivative(const Y& y, const P& p, const V& v) const {
    const auto t = this->smoothed(y);
    const auto pc = clip(p, epsilon, Scalar(1) - epsilon);
    // xmul: exactly 0 where p was clipped, also when a ratio overflowed to infinity.
    return xmul(unclipped(p, pc), ratio(Scalar(1) - t, Scalar(1) - pc) - ratio(v * t, pc));
  }
};

/// Binary cross-entropy of a logit x (p = σ(x)) against a target y in [0, 1]: with y' the
/// smoothed target, v the positive-class weight and l = 1 + (v − 1)·y', the term
///   −[v·y'·log σ(x) + (1 − y')·log(1 − σ(x))]
///     = (1 − y')·max(x, 0) + v·y'·max(−x, 0) + l·log(1 + exp(−|x|)),
/// a sum of non-negative parts (no cancellation, no overflow), and its derivative
/// l·σ(x) − v·y'. Infinite logits give the limits: a zero factor times an infinite part
/// counts for nothing (x = +∞ with y' = 1 costs 0; x = −∞ with y' = 0 is masked out).
template <class S>
struct BinaryCrossEntropyLogitsRule : BinaryTarget<S> {
  using Scalar = S;
  static constexpr TermUnit unit = TermUnit::element;
  static constexpr Domain target_domain = Domain::unit_interval;
  static constexpr Domain prediction_domain = Domain::not_nan;

  explicit BinaryCrossEntropyLogitsRule(const BinaryTarget<S>& target) : BinaryTarget<S>(target) {}

  template <class Y, class X, class V>
  auto term(const Y& y, const X& x, const V& v) const {
    const auto t = this->smoothed(y);
    return xmul(Scalar(1) - t, maximum(x, Scalar(0))) + xmul(v * t, maximum(-x, Scalar(0))) +
           (Scalar(1) + (v - Scalar(1)) * t) * log1p_exp_minus_abs(x);
  }
  template <class Y, class X, class V>
  auto derivative(const Y& y, const X& x, const V& v) const {
    const auto t = this->smoothed(y);
    return (Scalar(1) + (v - Scalar(1)) * t) * sigmoid(x) - v * t;
  }
};

template <class Loss, class Scalar>
class PosWeightOption {
 public:
  using Weights = Eigen::Array<Scalar, Eigen::Dynamic, 1>;

  /// Sets one positive-class weight per output column (length M, finite and
  /// non-negative; empty to unset), as PyTorch's `pos_weight`: the positive part of each
  /// term, −y·log p, is multiplied by it (v > 1 raises recall, v < 1 precision).
  /// @throws losses::ArgumentError (a std::invalid_argument) for a weight that is negative,
  /// NaN or infinite. A length that differs from M is an ArgumentError at the call.
  template <class D>
  Loss& pos_weight(const Eigen::DenseBase<D>& weights) {
    pos_weight_ = checked_weights_option<Scalar>(Loss::name, "pos_weight", weights);
    return static_cast<Loss&>(*this);
  }
  Loss& pos_weight(std::initializer_list<Scalar> weights) {
    return pos_weight(Eigen::Map<const Weights>(weights.begin(), static_cast<Eigen::Index>(weights.size())));
  }
  /// The positive-class weights in use (empty: none).
  const Weights& pos_weight() const noexcept { return pos_weight_; }

 private:
  Weights pos_weight_;
};

}  // namespace detail

/// Binary cross-entropy, for sigmoid outputs: on probabilities by default, on logits with
/// from_logits(true). y_true and y_pred are N x M; every element is its own binary
/// problem, with a target y in [0, 1] (0/1 labels or soft targets, any arithmetic type).
///
/// On probabilities p, clipped to [ε, 1 − ε] (ε: epsilon(), default machine epsilon), each
/// element contributes −[y·log p + (1 − y)·log(1 − p)]; both parts always count, so a
/// target of 0 is not a zero loss. On logits x the same term is computed from x without
/// forming σ(x) and without clipping: max(x, 0) − x·y + log(1 + exp(−|x|)), stable for
/// every finite x, with the limits at ±∞ (NaN logits are a DomainError).
/// Reductions as for MeanSquaredError: mean divides by N·M (or the total weight), sum adds.
///
/// Options: label_smoothing(s) replaces y by y(1 − s) + s/2; pos_weight(v), one per
/// column, multiplies the positive part −y·log p by v (PyTorch's `pos_weight`).
///
/// The gradient is the exact derivative of the value returned. On probabilities it is
/// (1 − y)/(1 − p) − y/p at and inside the clip bounds, and 0 where p was clipped (p < ε or
/// p > 1 − ε): a saturated wrong prediction gets no gradient. On logits it is σ(x) − y
/// (with pos_weight, (1 + (v − 1)y)·σ(x) − v·y), which never vanishes on a wrong
/// prediction: train through sigmoids on logits. With ε = 0 nothing is clipped: 0·log 0
/// counts as 0, a certain and wrong probability gives +∞, and at a probability equal to
/// its 0/1 target the gradient is one-sided (finite).
///
/// @throws losses::ArgumentError (std::invalid_argument) for mismatched or empty shapes,
/// an invalid option, or a pos_weight whose length is not M; losses::DomainError
/// (std::domain_error) for a probability or target outside [0, 1], NaN or infinity in a
/// probability, target or weight, a NaN logit, or a negative weight, naming the first culprit.
///
/// ```
/// losses::BinaryCrossEntropy<float> bce;
/// float value = bce.from_logits(true)(labels, logits);
/// ```
template <class Scalar = double>
class BinaryCrossEntropy : public detail::ElementwiseLoss<BinaryCrossEntropy<Scalar>, Scalar>,
                           public detail::EpsilonOption<BinaryCrossEntropy<Scalar>, Scalar>,
                           public detail::ReductionOption<BinaryCrossEntropy<Scalar>>,
                           public detail::LogitsOption<BinaryCrossEntropy<Scalar>>,
                           public detail::LabelSmoothingOption<BinaryCrossEntropy<Scalar>, Scalar>,
                           public detail::PosWeightOption<BinaryCrossEntropy<Scalar>, Scalar> {
 public:
  static constexpr const char* name = "BinaryCrossEntropy";

  using detail::EntryPoints<BinaryCrossEntropy, Scalar>::per_element;

  /// Calls f with the rule the options select (for the driver).
  template <class F>
  decltype(auto) with_rule(Eigen::Index columns, F&& f) const {
    detail::check_weights_option_length(name, "pos_weight", this->pos_weight(), columns, "output column");
    const detail::BinaryTarget<Scalar> target{this->label_smoothing(),
                                              this->pos_weight().size() ? this->pos_weight().data() : nullptr};
    if (this->from_logits()) return f(detail::BinaryCrossEntropyLogitsRule<Scalar>(target));
    return f(detail::BinaryCrossEntropyRule<Scalar>(this->epsilon(), target));
  }
};

}  // namespace losses

#endif  // LOSSES_BINARY_CROSS_ENTROPY_HPP
