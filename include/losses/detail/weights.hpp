// Sample weights: their kinds, their validation, and the reductions' denominators.
#ifndef LOSSES_DETAIL_WEIGHTS_HPP
#define LOSSES_DETAIL_WEIGHTS_HPP

#include <Eigen/Core>
#include <cmath>
#include <string>
#include <type_traits>

#include "../reduction.hpp"
#include "blocks.hpp"
#include "checks.hpp"
#include "summation.hpp"

namespace losses::detail {

/// No weights: every term counts once.
struct NoWeights {};

/// One weight per sample (row), viewed without copying whatever vector the caller passed.
template <class Scalar>
struct SampleWeights {
  Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, 1>, Eigen::Unaligned, Eigen::InnerStride<>> w;

  template <class D>
  explicit SampleWeights(const Eigen::DenseBase<D>& v)
      : w(v.derived().data(), v.size(), Eigen::InnerStride<>(vector_stride(v))) {}

  Scalar at(Eigen::Index i, Eigen::Index) const { return w(i); }
};

/// One weight per element, with the predictions' shape.
template <class W>
struct ElementWeights {
  const W& w;
  typename W::Scalar at(Eigen::Index i, Eigen::Index j) const { return w.coeff(i, j); }
};

/// Throws unless per-sample weights are a vector of one weight per row.
template <class W>
void check_sample_weight_length(const char* loss, const W& sample_weight, Eigen::Index rows) {
  if (!is_vector_shape(sample_weight) || sample_weight.size() != rows) {
    throw_argument(loss, "sample_weight",
                   "sample_weight is " + shape_of(sample_weight) + "; it must be a vector of length N = " +
                       std::to_string(rows));
  }
}

/// What a term is, which fixes what a mean divides by.
enum class TermUnit {
  element,  ///< one per element: mean divides by N·M (or Σ over all weights)
  sample,   ///< one per row: mean divides by N (or Σ of the sample weights)
};

/// Σw, after checking every weight is finite and non-negative (first culprit named).
template <class Scalar, class W>
accumulator_t<Scalar> checked_weight_total(const char* loss, const W& w) {
  CompensatedSum<Scalar> total;
  for_each_block<Scalar, bool(W::IsRowMajor)>(w.rows(), w.cols(), [&](const auto& s) {
    const auto block = s.of(w);
    if (!block_in_domain(Domain::non_negative, block)) {
      throw_first_outside<Scalar>(loss, "sample_weight", Domain::non_negative, w);
    }
    total.add(static_cast<accumulator_t<Scalar>>(block.sum()));
  });
  const auto sum = total.total();
  if (!std::isfinite(sum)) {
    throw DomainError("sample_weight", -1, -1,
                      prefixed(loss, "the weights in sample_weight are finite but their sum overflows"));
  }
  return sum;
}

/// The number the reduced value and the gradient are divided by: for Reduction::sum 1; for
/// Reduction::mean the total weight of all terms (their count when unweighted).
template <class Scalar, TermUnit Unit, class Weights>
accumulator_t<Scalar> denominator(const char* loss, Reduction reduction, const Weights& weights, Eigen::Index rows,
                                  Eigen::Index cols) {
  using Acc = accumulator_t<Scalar>;
  const Acc terms_per_row = Unit == TermUnit::element ? Acc(cols) : Acc(1);
  Acc total;
  if constexpr (std::is_same_v<Weights, NoWeights>) {
    total = Acc(rows) * terms_per_row;
  } else if constexpr (std::is_same_v<Weights, SampleWeights<Scalar>>) {
    total = checked_weight_total<Scalar>(loss, weights.w) * terms_per_row;
  } else {
    total = checked_weight_total<Scalar>(loss, weights.w);
  }
  return reduction == Reduction::sum ? Acc(1) : total;
}

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_WEIGHTS_HPP
