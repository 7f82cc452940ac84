// The driver for the categorical losses, whose terms are rows: it turns a row rule (a
// row's loss and its gradient, written once) into the reduced value, the per-sample
// values, the gradient, and value and gradient fused.
//
// Rows are taken in blocks and each block is walked class by class: every access is a
// lane of one value per row of the block, so the rule's arithmetic (max, exp, log) is
// vectorised across samples, and a block stays in cache while the rule makes its passes
// over it. A block whose result is not finite (an infinite logit, a zero weight on an
// infinite loss, a masked class) is recomputed row by row with the rule's scalar form,
// which implements the limit conventions exactly, as in the element-wise driver.
//
// The rule sees the targets through a target provider: dense rows of y_true (here) or
// class labels (label_loss.hpp). Both apply the options the same way, y ↦ c_k·(y(1 − s) + s/K).
#ifndef LOSSES_DETAIL_ROW_LOSS_HPP
#define LOSSES_DETAIL_ROW_LOSS_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "blocks.hpp"
#include "checks.hpp"
#include "diagnostics.hpp"
#include "entry_points.hpp"
#include "options.hpp"
#include "summation.hpp"
#include "weights.hpp"

LOSSES_DETAIL_BLOCK_BUFFERS_BEGIN

namespace losses::detail {

/// One value per row of a block.
template <class Scalar>
using Lane = Eigen::Array<Scalar, Eigen::Dynamic, 1, Eigen::ColMajor, block_size, 1>;

/// Rows per block for K classes: enough rows to fill the vector lanes, few enough that the
/// block of every argument stays in cache across the rule's passes.
inline Eigen::Index rows_per_block(Eigen::Index classes) {
  return std::clamp<Eigen::Index>(16384 / std::max<Eigen::Index>(classes, 1), 8, block_size);
}

/// How the categorical options turn a target y of class k into the weight of that class's
/// log term: t = c_k·(y(1 − s) + s/K), with c the class weights (1 when unset) and s the
/// label smoothing.
template <class Scalar>
struct TargetTransform {
  Scalar keep;                 // 1 − s
  Scalar spread;               // s/K
  const Scalar* class_weight;  // K weights, or null

  Scalar weight_of(Eigen::Index k) const { return class_weight ? class_weight[k] : Scalar(1); }
  template <class Y>
  auto operator()(const Y& y, Eigen::Index k) const {
    return weight_of(k) * (y * keep + spread);
  }
};

/// The transform a categorical loss's options select for K classes.
/// @throws losses::ArgumentError when class weights are set and their length is not K.
template <class Scalar, class Loss>
TargetTransform<Scalar> target_transform(const Loss& loss, Eigen::Index classes) {
  check_weights_option_length(Loss::name, "class_weight", loss.class_weight(), classes, "class (column)");
  const Scalar s = loss.label_smoothing();
  return {Scalar(1) - s, s / static_cast<Scalar>(classes),
          loss.class_weight().size() ? loss.class_weight().data() : nullptr};
}

/// Elements in each staging buffer. A block of rows stored row-major has strided columns,
/// which Eigen cannot vectorise (a strided operand makes the whole expression scalar,
/// exp and log included); such a block is copied into column-major buffers first, which
/// costs one pass over data in cache. Three buffers of 4096 elements (96 KiB in double)
/// live on the stack; up to K = 512 classes a block still has 8 rows. (Half the capacity
/// made K = 100 slower than the strided walk: its blocks of 20 rows were too short.)
inline constexpr Eigen::Index staging_capacity = 4096;
inline constexpr Eigen::Index max_staged_classes = staging_capacity / 8;

template <class Scalar>
using StagingBuffer = Eigen::Array<Scalar, Eigen::Dynamic, 1, Eigen::ColMajor, staging_capacity, 1>;
/// A staged block: count x K, column-major, over a StagingBuffer.
template <class Scalar>
using Staged = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic>>;

template <class G, class = void>
struct row_major_gradient : std::false_type {};
template <class G>
struct row_major_gradient<G, std::void_t<decltype(G::IsRowMajor)>> : std::bool_constant<bool(G::IsRowMajor)> {};

/// Rows [row, row + count) of the problem, class by class, as lanes (vectorised path).
template <class Scalar, class Targets, class YP, class G>
struct RowBlock {
  using Lane = detail::Lane<Scalar>;
  static constexpr bool has_gradient = !std::is_same_v<G, NoGradient>;

  const Targets& targets;
  const YP& p;
  G& g;
  Eigen::Index row, count;      // the block's rows in p, g and the targets
  const Lane& gradient_factor;  // the reduction's scale times each row's weight
  const Lane& labels;           // the rows' labels as numbers (label targets only)
  Eigen::Index first_row;       // the problem's row of the block's first row (for messages)

  Eigen::Index classes() const { return p.cols(); }
  Lane zeros() const { return Lane::Zero(count); }
  auto prediction(Eigen::Index k) const { return p.col(k).segment(row, count); }
  auto target(Eigen::Index k) const { return targets.target_lane(k, row, count, labels); }
  auto gradient(Eigen::Index k) const { return as_array(g.col(k).segment(row, count)); }
  const Lane& factor() const { return gradient_factor; }
  Eigen::Index row_of(Eigen::Index lane) const { return first_row + lane; }
};

/// Row i of the problem, class by class, as scalars (the exact path).
template <class Scalar, class Targets, class YP, class G>
struct SingleRow {
  using Lane = Scalar;
  static constexpr bool has_gradient = !std::is_same_v<G, NoGradient>;

  const Targets& targets;
  const YP& p;
  G& g;
  Eigen::Index i;
  Scalar gradient_factor;

  Eigen::Index classes() const { return p.cols(); }
  Scalar zeros() const { return Scalar(0); }
  Scalar prediction(Eigen::Index k) const { return p.coeff(i, k); }
  Scalar target(Eigen::Index k) const { return targets.target_at(i, k); }
  decltype(auto) gradient(Eigen::Index k) const { return g.coeffRef(i, k); }
  Scalar factor() const { return gradient_factor; }
  Eigen::Index row_of(Eigen::Index /*lane*/) const { return i; }
};

/// The dense targets of CategoricalCrossEntropy: row i of y_true (any arithmetic type).
template <class Scalar, class YT>
struct DenseTargets {
  const YT& y;
  TargetTransform<Scalar> transform;

  static constexpr bool skips_rows = false;
  static constexpr bool row_major = bool(YT::IsRowMajor);
  static constexpr bool staged_rows = true;  // a staged block copies its rows of y_true
  bool counts(Eigen::Index) const { return true; }
  bool lanes_exact() const { return true; }

  /// Copies rows [row, row + count) into `out` (column-major), and views it as targets.
  DenseTargets<Scalar, Staged<Scalar>> staged(Staged<Scalar>& out, Eigen::Index row, Eigen::Index count) const {
    out = as_array(y.middleRows(row, count)).template cast<Scalar>();
    return {out, transform};
  }
  /// Nothing to check before a block is staged (labels only).
  template <class Lanes>
  void check_labels(const char*, Eigen::Index, Eigen::Index, Lanes&) const {}
  /// Whether a staged block (these targets over it, and its predictions) is in the domains:
  /// one vectorised reduction over each contiguous buffer.
  template <class P>
  bool staged_in_domain(Domain target_domain, Domain prediction_domain, const P& ps) const {
    return block_in_domain(target_domain, y) && block_in_domain(prediction_domain, ps);
  }

  Scalar target_at(Eigen::Index i, Eigen::Index k) const { return transform(static_cast<Scalar>(y.coeff(i, k)), k); }
  template <class Lanes>
  auto target_lane(Eigen::Index k, Eigen::Index row, Eigen::Index count, const Lanes&) const {
    return transform(y.col(k).segment(row, count).template cast<Scalar>(), k);
  }

  template <class Weights>
  accumulator_t<Scalar> denominator(const char* loss, Reduction reduction, const Weights& weights,
                                    Eigen::Index rows) const {
    return detail::denominator<Scalar, TermUnit::sample>(loss, reduction, weights, rows, y.cols());
  }

  /// Checks the block's targets and predictions, naming the first culprit.
  template <class YP, class Labels>
  void check_rows(const char* loss, Domain target_domain, Domain prediction_domain, const YP& p, Eigen::Index row,
                  Eigen::Index count, Labels&) const {
    const auto ys = y.middleRows(row, count);
    const auto ps = p.middleRows(row, count);
    bool valid = true;
    for_each_block<Scalar, bool(YP::IsRowMajor)>(count, p.cols(), [&](const auto& s) {
      valid = valid && block_in_domain(target_domain, s.of(ys).template cast<Scalar>()) &&
              block_in_domain(prediction_domain, s.of(ps));
    });
    if (!valid) throw_first_outside<Scalar>(loss, "y_true", target_domain, y, "y_pred", prediction_domain, p);
  }
};

/// True when every entry of the block's gradient is finite (one pass over it, in cache).
template <class Scalar, class G>
bool gradient_rows_finite(const G& g, Eigen::Index row, Eigen::Index count) {
  Lane<Scalar> sums = Lane<Scalar>::Zero(count);
  for (Eigen::Index k = 0; k < g.cols(); ++k) sums += as_array(g.col(k).segment(row, count));
  return std::isfinite(sums.sum());
}

template <class G>
bool gradient_row_finite(const G& g, Eigen::Index i) {
  for (Eigen::Index k = 0; k < g.cols(); ++k) {
    if (!std::isfinite(g.coeff(i, k))) return false;
  }
  return true;
}

/// The row-level pass: the value, the gradient (unless G is NoGradient) and, when
/// `per_sample` is not null, the unweighted per-row losses (0 for rows the targets skip).
/// A row rule computes a row's value on the way to its gradient, so the value costs next to
/// nothing and is always returned (a runtime choice would not save work, only code).
template <class Rule, class Targets, class YP, class Weights, class G>
typename Rule::Scalar row_pass(const char* loss, const Rule& rule, Reduction reduction, const Targets& targets,
                               const YP& p, const Weights& weights, G& g,
                               Eigen::Array<typename Rule::Scalar, Eigen::Dynamic, 1>* per_sample) {
  using Scalar = typename Rule::Scalar;
  using Acc = accumulator_t<Scalar>;
  using RowLane = Lane<Scalar>;
  constexpr bool want_gradient = !std::is_same_v<G, NoGradient>;

  const Acc denom = targets.denominator(loss, reduction, weights, p.rows());
  // A total weight of zero: every row has weight zero, so value 0 and gradient 0.
  const Scalar gradient_scale = denom > 0 ? static_cast<Scalar>(Acc(1) / denom) : Scalar(0);
  const bool lanes_exact = targets.lanes_exact();
  constexpr bool strided = bool(YP::IsRowMajor) || Targets::row_major || row_major_gradient<G>::value;
  const bool staging = strided && p.cols() <= max_staged_classes;
  const Eigen::Index rows =
      staging ? std::min(rows_per_block(p.cols()), staging_capacity / p.cols()) : rows_per_block(p.cols());

  CompensatedSum<Scalar> total;
  RowLane w, factor, labels, values;
  StagingBuffer<Scalar> staged_p, staged_y, staged_g;
  for (Eigen::Index row = 0; row < p.rows(); row += rows) {
    const Eigen::Index count = std::min(rows, p.rows() - row);
    if (!staging) targets.check_rows(loss, Rule::target_domain, Rule::prediction_domain, p, row, count, labels);
    if constexpr (std::is_same_v<Weights, NoWeights>) {
      w.setOnes(count);
    } else {
      w = weights.w.segment(row, count);
    }
    if constexpr (Targets::skips_rows) {
      for (Eigen::Index k = 0; k < count; ++k) {
        if (!targets.counts(row + k)) w(k) = Scalar(0);
      }
    }
    factor = gradient_scale * w;

    bool exact = lanes_exact;
    if (staging) {  // the block in column-major copies (see staging_capacity); K is small, so lanes are exact
      const Eigen::Index classes = p.cols();
      targets.check_labels(loss, row, count, labels);
      staged_p.resize(count * classes);
      Staged<Scalar> ps(staged_p.data(), count, classes);
      ps = p.middleRows(row, count);
      constexpr bool copy_y = Targets::staged_rows;
      staged_y.resize(copy_y ? count * classes : 0);
      Staged<Scalar> ys(staged_y.data(), copy_y ? count : 0, copy_y ? classes : 0);
      const auto& ts = targets.staged(ys, row, count);
      if (!ts.staged_in_domain(Rule::target_domain, Rule::prediction_domain, ps)) {
        // Find the culprit in the caller's data, by its row and column there (ignored
        // rows may hold anything: then the check returns and the exact path handles them).
        targets.check_rows(loss, Rule::target_domain, Rule::prediction_domain, p, row, count, labels);
      }
      if constexpr (want_gradient) {
        staged_g.resize(count * classes);
        Staged<Scalar> gs(staged_g.data(), count, classes);
        RowBlock<Scalar, std::decay_t<decltype(ts)>, Staged<Scalar>, Staged<Scalar>> block{
            ts, ps, gs, 0, count, factor, labels, row};
        values = rule.row(block);
        exact = std::isfinite((gradient_scale * (w * values)).sum()) && gradient_rows_finite<Scalar>(gs, 0, count);
        as_array(g.middleRows(row, count)) = gs;
      } else {
        NoGradient none;
        RowBlock<Scalar, std::decay_t<decltype(ts)>, Staged<Scalar>, NoGradient> block{
            ts, ps, none, 0, count, factor, labels, row};
        values = rule.row(block);
        exact = std::isfinite((gradient_scale * (w * values)).sum());
      }
    } else if (exact) {
      RowBlock<Scalar, Targets, YP, G> block{targets, p, g, row, count, factor, labels, row};
      values = rule.row(block);
      exact = std::isfinite((gradient_scale * (w * values)).sum());
      if constexpr (want_gradient) exact = exact && gradient_rows_finite<Scalar>(g, row, count);
    } else {
      values.resize(count);
    }
    if (!exact) {  // the exact scalar path, row by row; rows of weight zero count for nothing
      for (Eigen::Index k = 0; k < count; ++k) {
        const Eigen::Index i = row + k;
        if (w(k) == Scalar(0)) {
          values(k) = Scalar(0);
          if constexpr (want_gradient) {
            for (Eigen::Index j = 0; j < p.cols(); ++j) g.coeffRef(i, j) = Scalar(0);
          }
          continue;
        }
        bool row_exact = lanes_exact && std::isfinite(values(k));
        if constexpr (want_gradient) row_exact = row_exact && gradient_row_finite(g, i);
        if (!row_exact) {
          SingleRow<Scalar, Targets, YP, G> single{targets, p, g, i, factor(k)};
          values(k) = rule.row(single);
        }
      }
    }
    if (per_sample) {
      if constexpr (Targets::skips_rows) {
        for (Eigen::Index k = 0; k < count; ++k) {
          if (!targets.counts(row + k)) values(k) = Scalar(0);
        }
      }
      per_sample->segment(row, count) = values;
    }
    // Each row's value is scaled by 1/denominator before it is summed, so the partial sums
    // never exceed the mean: a representable mean of losses near the overflow threshold
    // stays finite. (w·value first: a tiny weight times the scale could round to 0, and
    // 0·∞ is NaN.)
    total.add(static_cast<Acc>((gradient_scale * (w * values)).sum()));
  }
  if (!(denom > 0)) return Scalar(0);
  return static_cast<Scalar>(total.total());
}

/// The entry points of a loss on dense categorical targets. `Loss` provides `name`,
/// `reduction()`, the categorical options and `with_rule(columns, f)`.
template <class Loss, class Scalar>
class RowLoss : public EntryPoints<Loss, Scalar> {
  friend class EntryPoints<Loss, Scalar>;
  using Base = EntryPoints<Loss, Scalar>;

 protected:
  template <class YT, class YP, class W, class G, bool WantValue>
  Scalar compute(const YT& y_true, const YP& y_pred, const W& sample_weight, G&& gradient,
                 std::bool_constant<WantValue>) const {
    check_inputs(y_true, y_pred);
    const DenseTargets<Scalar, YT> targets{y_true, target_transform<Scalar>(self(), y_pred.cols())};
    return self().with_rule(y_pred.cols(), [&](const auto& rule) {
      if constexpr (std::is_same_v<W, NoWeights>) {
        return row_pass(Loss::name, rule, self().reduction(), targets, y_pred, NoWeights{}, gradient, nullptr);
      } else {
        check_sample_weight_length(Loss::name, sample_weight, y_pred.rows());
        return row_pass(Loss::name, rule, self().reduction(), targets, y_pred, SampleWeights<Scalar>(sample_weight),
                        gradient, nullptr);
      }
    });
  }

  template <class YT, class YP>
  typename Base::Vector compute_per_sample(const YT& y_true, const YP& y_pred) const {
    check_inputs(y_true, y_pred);
    const DenseTargets<Scalar, YT> targets{y_true, target_transform<Scalar>(self(), y_pred.cols())};
    typename Base::Vector out(y_pred.rows());
    NoGradient none;
    self().with_rule(y_pred.cols(), [&](const auto& rule) {
      row_pass(Loss::name, rule, Reduction::sum, targets, y_pred, NoWeights{}, none, &out);
    });
    return out;
  }

 private:
  const Loss& self() const { return static_cast<const Loss&>(*this); }

  template <class YT, class YP>
  static void check_inputs(const YT& y_true, const YP& y_pred) {
    static_assert(std::is_arithmetic_v<typename YT::Scalar>, "losses: y_true must hold an arithmetic type");
    check_same_shape(Loss::name, "y_true", y_true, "y_pred", y_pred);
    check_not_empty(Loss::name, "y_pred", y_pred);
  }
};

}  // namespace losses::detail

LOSSES_DETAIL_BLOCK_BUFFERS_END

#endif  // LOSSES_DETAIL_ROW_LOSS_HPP
