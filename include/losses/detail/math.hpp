// The few mathematical primitives the loss rules are written in, for scalars and for
// Eigen arrays alike, so that each rule's formula is written once.
//
// The array versions use only operations Eigen vectorises (+, -, *, /, min, max, abs,
// log). Where a limit convention needs a branch (0·log 0 = 0, a 0/0 ratio that is 0),
// the array version lets the special value surface as NaN instead: the driver sees the
// non-finite block result and recomputes that block with the scalar versions, which
// implement the convention exactly. So the fast path never branches per element, and
// the conventions live in one place.
#ifndef LOSSES_DETAIL_MATH_HPP
#define LOSSES_DETAIL_MATH_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace losses::detail {

template <class T>
using if_scalar = std::enable_if_t<std::is_floating_point_v<T>, int>;

/// min(max(x, lo), hi), and +0 for −0: a probability of −0 is 0, whose derivative terms
/// −t/p are −∞, not +∞. (The array version may keep −0; its infinite results are always
/// recomputed with this one.)
template <class S, if_scalar<S> = 0>
S clip(S x, S lo, S hi) {
  return std::min(std::max(x, lo), hi) + S(0);
}
template <class D>
auto clip(const Eigen::ArrayBase<D>& x, typename D::Scalar lo, typename D::Scalar hi) {
  return x.derived().max(lo).min(hi);
}

/// log(1 + x), accurate for small x.
template <class S, if_scalar<S> = 0>
S log1p_of(S x) {
  return std::log1p(x);
}
/// Eigen 3.4 has no vectorised log1p for double, so the array version corrects the
/// rounding of u = 1 + x to first order: log1p(x) = log(u) − ((u − 1) − x)/u + O(δ²), with
/// δ the rounding error of u relative to u. Within 1.5 ulps of the exact value for every
/// x > −1 in float and double, and exactly x where u rounds to 1.
template <class D>
auto log1p_of(const Eigen::ArrayBase<D>& x) {
  using S = typename D::Scalar;
  const auto u = S(1) + x.derived();
  return u.log() - ((u - S(1)) - x.derived()) / u;
}

/// log(1 - x), accurate for small x.
template <class S, if_scalar<S> = 0>
S log1m(S x) {
  return std::log1p(-x);
}
template <class D>
auto log1m(const Eigen::ArrayBase<D>& x) {
  return log1p_of(-x.derived());
}

/// a·b, and exactly 0 where a is 0 (also when b is infinite: a zero target times an
/// infinite distance counts for nothing).
template <class S, if_scalar<S> = 0>
S xmul(S a, S b) {
  return a == S(0) ? S(0) : a * b;
}
template <class A, class B>
auto xmul(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<B>& b) {
  return a.derived() * b.derived();
}

/// max(a, b), for scalars and arrays.
template <class S, if_scalar<S> = 0>
S maximum(S a, S b) {
  return std::max(a, b);
}
template <class A, class B>
auto maximum(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<B>& b) {
  return a.derived().max(b.derived());
}
template <class A>
auto maximum(const Eigen::ArrayBase<A>& a, typename A::Scalar b) {
  return a.derived().max(b);
}

/// exp(x) and log(x), for scalars and arrays (Eigen's vectorised versions for arrays).
template <class S, if_scalar<S> = 0>
S exp_of(S x) {
  return std::exp(x);
}
template <class D>
auto exp_of(const Eigen::ArrayBase<D>& x) {
  return x.derived().exp();
}
template <class S, if_scalar<S> = 0>
S log_of(S x) {
  return std::log(x);
}
template <class D>
auto log_of(const Eigen::ArrayBase<D>& x) {
  return x.derived().log();
}

/// log(1 + exp(−|x|)): the part of log(1 + exp(−x)) that never overflows.
template <class S, if_scalar<S> = 0>
S log1p_exp_minus_abs(S x) {
  return std::log1p(std::exp(-std::abs(x)));
}
template <class D>
auto log1p_exp_minus_abs(const Eigen::ArrayBase<D>& x) {
  return log1p_of((-x.derived().abs()).exp());
}

/// The logistic function σ(x) = 1/(1 + exp(−x)). Accurate to a few ulps relative to σ
/// everywhere: for x ≪ 0, exp(−x) is large but relatively exact, and +∞ gives 0.
template <class S, if_scalar<S> = 0>
S sigmoid(S x) {
  return S(1) / (S(1) + std::exp(-x));
}
template <class D>
auto sigmoid(const Eigen::ArrayBase<D>& x) {
  using S = typename D::Scalar;
  return S(1) / (S(1) + (-x.derived()).exp());
}

/// a·log(x), and exactly 0 where a is 0 (also when x is 0).
template <class S, if_scalar<S> = 0>
S xlogy(S a, S x) {
  return a == S(0) ? S(0) : a * std::log(x);
}
template <class A, class D>
auto xlogy(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<D>& x) {
  return a.derived() * x.derived().log();
}

/// a·log(1 − x), and exactly 0 where a is 0 (also when x is 1).
template <class S, if_scalar<S> = 0>
S xlog1m(S a, S x) {
  return a == S(0) ? S(0) : a * log1m(x);
}
template <class A, class D>
auto xlog1m(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<D>& x) {
  return a.derived() * log1m(x);
}

/// a/x, and exactly 0 where a is 0 (also when x is 0).
template <class S, if_scalar<S> = 0>
S ratio(S a, S x) {
  return a == S(0) ? S(0) : a / x;
}
template <class A, class D>
auto ratio(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<D>& x) {
  return a.derived() / x.derived();
}

/// 1 where clipping left x unchanged (x == clipped), else 0: the derivative of the clip.
template <class S, if_scalar<S> = 0>
S unclipped(S x, S clipped) {
  return x == clipped ? S(1) : S(0);
}
/// Comparisons do not vectorise in Eigen 3.4 (and drag the whole expression down with
/// them), so the array version computes the indicator arithmetically:
/// 1 − min(|clipped − x|·2^(2d+8), 1), with d the mantissa digits. A clip moves x by at
/// least 2^(−2d) (a clip bound is ε ≥ 2^(−d), and neighbouring numbers near it are
/// ε·2^(−d) apart), so any real move scales to at least 2^8 and gives exactly 0.
template <class D, class C>
auto unclipped(const Eigen::ArrayBase<D>& x, const Eigen::ArrayBase<C>& clipped) {
  using S = typename D::Scalar;
  const S scale = std::ldexp(S(1), 2 * std::numeric_limits<S>::digits + 8);
  return S(1) - ((clipped.derived() - x.derived()).abs() * scale).min(S(1));
}

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_MATH_HPP
