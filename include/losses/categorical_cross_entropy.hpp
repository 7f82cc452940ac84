#ifndef LOSSES_CATEGORICAL_CROSS_ENTROPY_HPP
#define LOSSES_CATEGORICAL_CROSS_ENTROPY_HPP

#include <Eigen/Core>
#include <limits>
#include <string>
#include <type_traits>

#include "detail/checks.hpp"
#include "detail/math.hpp"
#include "detail/options.hpp"
#include "detail/row_loss.hpp"
#include "detail/weights.hpp"
#include "reduction.hpp"

namespace losses {
namespace detail {

/// Categorical cross-entropy of probabilities p against target weights t ≥ 0 (a row of
/// y_true after the options' transform), with p clipped to [ε, 1 − ε]: the term −t·log p_c
/// (exactly 0 where t is 0) and its derivative −t/p_c where p was not clipped, 0 where it
/// was. A row's loss is the sum of its terms; the sparse loss evaluates the label's term
/// alone when the other targets are 0.
template <class S>
struct CategoricalCrossEntropyRule {
  using Scalar = S;
  static constexpr bool elementwise = true;
  static constexpr Domain target_domain = Domain::unit_interval;
  static constexpr Domain prediction_domain = Domain::unit_interval;

  Scalar epsilon;

  template <class T, class P>
  auto term(const T& t, const P& p) const {
    return -xlogy(t, clip(p, epsilon, Scalar(1) - epsilon));
  }
  template <class T, class P>
  auto derivative(const T& t, const P& p) const {
    const auto pc = clip(p, epsilon, Scalar(1) - epsilon);
    return xmul(unclipped(p, pc), -ratio(t, pc));  // exactly 0 where clipped, even if t/p_c overflowed
  }

  /// A row's loss, and its gradient times the row's factor (see row_loss.hpp).
  template <class Row>
  typename Row::Lane row(const Row& r) const {
    typename Row::Lane value = r.zeros();
    for (Eigen::Index k = 0; k < r.classes(); ++k) {
      const auto t = r.target(k);
      const auto p = r.prediction(k);
      value += term(t, p);
      if constexpr (Row::has_gradient) r.gradient(k) = r.factor() * derivative(t, p);
    }
    return value;
  }
};

/// Categorical cross-entropy of rows renormalised to sum to one before they are clipped,
/// Keras' convention: with S = Σₖ pₖ and q = p/S, the clipped rule's loss of q, and the
/// gradient through the normalisation, ∂ℓ/∂pⱼ = (dⱼ − Σₖ dₖqₖ)/S with d the clipped rule's
/// derivative at q (T/S − tⱼ/pⱼ, T = Σₖ tₖ, where nothing is clipped). A row that sums to 0
/// cannot be scaled: a DomainError naming it.
template <class S>
struct RenormalizedCrossEntropyRule {
  using Scalar = S;
  static constexpr bool elementwise = false;
  static constexpr Domain target_domain = Domain::unit_interval;
  static constexpr Domain prediction_domain = Domain::unit_interval;

  CategoricalCrossEntropyRule<S> clipped;

  template <class Row>
  typename Row::Lane row(const Row& r) const {
    using Lane = typename Row::Lane;
    Lane total = r.zeros();
    for (Eigen::Index k = 0; k < r.classes(); ++k) total += r.prediction(k);
    check_scalable(r, total);

    Lane value = r.zeros(), pull = r.zeros();  // pull: Σₖ dₖqₖ
    for (Eigen::Index k = 0; k < r.classes(); ++k) {
      const auto q = r.prediction(k) / total;
      const auto t = r.target(k);
      value += clipped.term(t, q);
      if constexpr (Row::has_gradient) {
        r.gradient(k) = clipped.derivative(t, q);
        // dₖqₖ is −tₖ where q is not clipped (dₖ = −tₖ/qₖ) and 0 where it is: formed from tₖ,
        // since dₖ·qₖ is ∞·0 where qₖ = 0 and ε = 0.
        pull -= t * unclipped(q, clip(q, clipped.epsilon, Scalar(1) - clipped.epsilon));
      }
    }
    if constexpr (Row::has_gradient) {
      for (Eigen::Index k = 0; k < r.classes(); ++k) r.gradient(k) = r.factor() * (r.gradient(k) - pull) / total;
    }
    return value;
  }

 private:
  template <class Row, class Lane>
  static void check_scalable(const Row& r, const Lane& total) {
    if constexpr (std::is_same_v<Lane, Scalar>) {
      if (total == Scalar(0)) throw_zero_row(r.row_of(0));
    } else if ((total == Scalar(0)).any()) {
      for (Eigen::Index k = 0; k < total.size(); ++k) {
        if (total(k) == Scalar(0)) throw_zero_row(r.row_of(k));
      }
    }
  }
  [[noreturn]] static void throw_zero_row(Eigen::Index row) {
    throw DomainError("y_pred", row, -1,
                      prefixed("CategoricalCrossEntropy", "row " + std::to_string(row) +
                                                              " of y_pred sums to 0, which renormalize(true) cannot scale"));
  }
};

/// Softmax cross-entropy of a row of logits z against target weights t ≥ 0, with T = Σₖ tₖ:
/// the loss T·logsumexp(z) − Σₖ tₖzₖ = Σₖ tₖ(m − zₖ) + T·log Σⱼ exp(zⱼ − m), m = maxₖ zₖ, a sum
/// of non-negative parts (no cancellation, no overflow), and its gradient T·softmax(z) − t.
/// One fused walk per row: the maximum, then the exponentials (kept in the gradient's
/// storage), the log-sum-exp and the value, then the gradient; log(softmax) is never formed.
///
/// Infinite logits give the limits: k ≥ 2 logits at +∞ count as equal (softmax 1/k among
/// them, 0 elsewhere); a −∞ logit is a class with softmax 0, which costs nothing where its
/// target is 0 (a mask) and +∞ where it is positive; a row of −∞ logits has softmax 0
/// everywhere, so its gradient is −t.
template <class S>
struct SoftmaxCrossEntropyRule {
  using Scalar = S;
  static constexpr bool elementwise = false;
  static constexpr Domain target_domain = Domain::unit_interval;
  static constexpr Domain prediction_domain = Domain::not_nan;

  template <class Row>
  typename Row::Lane row(const Row& r) const {
    using Lane = typename Row::Lane;
    Lane m = r.prediction(0);
    for (Eigen::Index k = 1; k < r.classes(); ++k) m = maximum(m, r.prediction(k));

    Lane total = r.zeros(), distance = r.zeros(), mass = r.zeros();
    for (Eigen::Index k = 0; k < r.classes(); ++k) {
      const auto z = shifted(r.prediction(k), m);
      const auto t = r.target(k);
      if constexpr (Row::has_gradient) {
        r.gradient(k) = exp_of(z);
        total += r.gradient(k);
      } else {
        total += exp_of(z);
      }
      distance += xmul(t, -z);
      mass += t;
    }
    const Lane value = distance + mass * log_total(total);
    if constexpr (Row::has_gradient) {
      for (Eigen::Index k = 0; k < r.classes(); ++k) {
        r.gradient(k) = r.factor() * (mass * ratio(r.gradient(k), total) - r.target(k));
      }
    }
    return value;
  }

 private:
  /// z − m. Where m is infinite (a NaN on the fast path), the limits: the +∞ logits equal
  /// each other and the rest fall to −∞ beside them; a row of −∞ is all masked.
  static Scalar shifted(Scalar z, Scalar m) {
    constexpr Scalar inf = std::numeric_limits<Scalar>::infinity();
    if (m == inf) return z == inf ? Scalar(0) : -inf;
    if (m == -inf) return -inf;
    return z - m;
  }
  template <class Z, class M>
  static auto shifted(const Eigen::ArrayBase<Z>& z, const Eigen::ArrayBase<M>& m) {
    return z.derived() - m.derived();
  }
  /// log Σⱼ exp(zⱼ − m); for a row of −∞ (total 0), whose positive targets have already made
  /// the loss +∞ and whose zero targets count for nothing, the term is dropped.
  static Scalar log_total(Scalar total) { return total == Scalar(0) ? Scalar(0) : std::log(total); }
  template <class D>
  static auto log_total(const Eigen::ArrayBase<D>& total) {
    return total.derived().log();
  }
};

/// Calls f with the categorical rule a loss's options select: softmax on logits, or the
/// clipped log of probabilities.
template <class Scalar, class Loss, class F>
decltype(auto) with_categorical_rule(const Loss& loss, F&& f) {
  if (loss.from_logits()) return f(SoftmaxCrossEntropyRule<Scalar>{});
  return f(CategoricalCrossEntropyRule<Scalar>{loss.epsilon()});
}

/// Adds renormalize(bool) to a categorical loss (see CategoricalCrossEntropy).
template <class Loss>
class RenormalizeOption {
 public:
  /// Sets whether rows of probabilities are divided by their sum before they are clipped
  /// (Keras' convention; default false, scikit-learn's since 1.5). The gradient includes
  /// the normalisation. No effect with from_logits(true): softmax rows already sum to one.
  Loss& renormalize(bool on) noexcept {
    renormalize_ = on;
    return static_cast<Loss&>(*this);
  }
  /// Whether rows of probabilities are renormalised.
  bool renormalize() const noexcept { return renormalize_; }

 private:
  bool renormalize_ = false;
};

}  // namespace detail

/// Categorical cross-entropy, for softmax outputs: on probabilities by default, on logits
/// with from_logits(true). y_true is N x K, each row a distribution over the K classes
/// (one-hot or soft; any arithmetic type, values in [0, 1]); y_pred is N x K.
///
/// With tᵢₖ = cₖ·(yᵢₖ(1 − s) + s/K) (class weights c, 1 when unset; label smoothing s, 0 by
/// default), row i contributes
/// - on probabilities, ℓᵢ = −Σₖ tᵢₖ·log(clip(pᵢₖ, ε, 1 − ε)); a term whose target is exactly 0
///   contributes exactly 0. Rows are scored as given: predictions that do not sum to one
///   are not renormalised (scikit-learn's behaviour since 1.5), unless renormalize(true)
///   divides each row by its sum Sᵢ before clipping (Keras' convention), p ↦ p/Sᵢ;
/// - on logits z, ℓᵢ = −Σₖ tᵢₖ·log softmax(zᵢ)ₖ, computed stably from the logits (see
///   SoftmaxCrossEntropyRule for the limits at ±∞; NaN logits are a DomainError).
/// Reduction::mean (default): Σ wᵢ·ℓᵢ / Σ wᵢ (unweighted: divided by N), also with class
/// weights (PyTorch's convention for probability targets); Reduction::sum: Σ wᵢ·ℓᵢ.
/// Weights are one per sample (length N).
///
/// The gradient is the exact derivative of the value returned, times the reduction's weight
/// and scale: on probabilities −tᵢₖ/pᵢₖ, and 0 where p was clipped (p < ε or p > 1 − ε); on
/// logits Tᵢ·softmax(zᵢ)ₖ − tᵢₖ with Tᵢ = Σₖ tᵢₖ, which never vanishes on a wrong prediction:
/// train through softmax outputs on logits. ε = 0 evaluates probabilities exactly
/// (0·log 0 = 0; a zero probability on a positive target gives +∞).
///
/// @throws losses::ArgumentError (std::invalid_argument) for mismatched or empty shapes,
/// an invalid option, or class weights whose length is not K; losses::DomainError
/// (std::domain_error) for a probability or target outside [0, 1], NaN or infinity in a
/// probability, target or weight, a NaN logit, a negative weight, or (with renormalize) a
/// row of probabilities that sums to 0, naming the first culprit.
///
/// ```
/// losses::CategoricalCrossEntropy<> cce;
/// double value = cce.from_logits(true).label_smoothing(0.1)(one_hot, logits);
/// ```
template <class Scalar = double>
class CategoricalCrossEntropy : public detail::RowLoss<CategoricalCrossEntropy<Scalar>, Scalar>,
                                public detail::EpsilonOption<CategoricalCrossEntropy<Scalar>, Scalar>,
                                public detail::ReductionOption<CategoricalCrossEntropy<Scalar>>,
                                public detail::LogitsOption<CategoricalCrossEntropy<Scalar>>,
                                public detail::LabelSmoothingOption<CategoricalCrossEntropy<Scalar>, Scalar>,
                                public detail::ClassWeightOption<CategoricalCrossEntropy<Scalar>, Scalar>,
                                public detail::RenormalizeOption<CategoricalCrossEntropy<Scalar>> {
 public:
  static constexpr const char* name = "CategoricalCrossEntropy";

  /// Calls f with the rule the options select (for the driver).
  template <class F>
  decltype(auto) with_rule(Eigen::Index /*columns*/, F&& f) const {
    if (this->renormalize() && !this->from_logits()) {
      return f(detail::RenormalizedCrossEntropyRule<Scalar>{{this->epsilon()}});
    }
    return detail::with_categorical_rule<Scalar>(*this, f);
  }
};

}  // namespace losses

#endif  // LOSSES_CATEGORICAL_CROSS_ENTROPY_HPP
