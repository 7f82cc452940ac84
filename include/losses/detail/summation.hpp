// How block sums are added up. A block (at most block_size terms, in cache) is summed by
// Eigen's vectorised reduction; the block sums are then added with Neumaier's compensated
// summation, in double when Scalar is float, so the error of a long sum does not grow
// with its length.
#ifndef LOSSES_DETAIL_SUMMATION_HPP
#define LOSSES_DETAIL_SUMMATION_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <type_traits>

namespace losses::detail {

/// Terms per block: small enough that a block of every argument stays in L1 cache.
inline constexpr Eigen::Index block_size = 256;

/// The type sums of Scalar are accumulated in.
template <class Scalar>
using accumulator_t = std::conditional_t<std::is_same_v<Scalar, float>, double, Scalar>;

template <class Scalar>
class CompensatedSum {
 public:
  using Acc = accumulator_t<Scalar>;

  void add(Acc x) {
    const Acc t = sum_ + x;
    // Neumaier: recover the low-order bits lost by whichever operand was smaller.
    if (std::abs(sum_) >= std::abs(x)) {
      compensation_ += (sum_ - t) + x;
    } else {
      compensation_ += (x - t) + sum_;
    }
    sum_ = t;
  }

  /// The sum; an infinite running sum stays infinite (its compensation is meaningless).
  Acc total() const { return std::isfinite(sum_) ? sum_ + compensation_ : sum_; }

 private:
  Acc sum_ = 0;
  Acc compensation_ = 0;
};

/// Σx over any dense object, blocked and compensated as above.
template <class Scalar, class D>
accumulator_t<Scalar> accurate_sum(const Eigen::DenseBase<D>& x) {
  CompensatedSum<Scalar> sum;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (Eigen::Index i = 0; i < x.rows(); i += block_size) {
      const Eigen::Index n = std::min(block_size, x.rows() - i);
      sum.add(static_cast<accumulator_t<Scalar>>(x.derived().col(j).segment(i, n).sum()));
    }
  }
  return sum.total();
}

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_SUMMATION_HPP
