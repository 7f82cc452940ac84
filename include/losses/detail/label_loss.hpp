// The driver for losses whose targets are class labels. The targets are the one-hot rows
// the labels stand for, after the options' transform (class weights, label smoothing), so
// the dense losses' rules apply unchanged and no formula is written twice:
// - with a rule on probabilities and no smoothing, only the label's term is nonzero, so a
//   row's loss comes from the one prediction its label picks (label_pass, below);
// - otherwise every class counts, and the row driver walks whole rows (row_loss.hpp),
//   reading the target of class k as c_k·([label = k](1 − s) + s/K) without forming it.
// Rows whose label is the ignore index count for nothing and are not validated.
#ifndef LOSSES_DETAIL_LABEL_LOSS_HPP
#define LOSSES_DETAIL_LABEL_LOSS_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include "blocks.hpp"
#include "checks.hpp"
#include "diagnostics.hpp"
#include "entry_points.hpp"
#include "row_loss.hpp"
#include "summation.hpp"
#include "weights.hpp"

LOSSES_DETAIL_BLOCK_BUFFERS_BEGIN

namespace losses::detail {

/// A length-N label vector of any orientation and stride, viewed without copying.
template <class Label>
using LabelView = Eigen::Map<const Eigen::Array<Label, Eigen::Dynamic, 1>, Eigen::Unaligned, Eigen::InnerStride<>>;

template <class D>
LabelView<typename D::Scalar> label_view(const Eigen::DenseBase<D>& labels) {
  return LabelView<typename D::Scalar>(labels.derived().data(), labels.size(),
                                       Eigen::InnerStride<>(vector_stride(labels)));
}

/// The targets of a label loss: row i is the one-hot row of its label, transformed.
template <class Scalar, class Label>
struct LabelTargets {
  LabelView<Label> labels;
  Eigen::Index classes;
  TargetTransform<Scalar> transform;
  std::optional<std::int64_t> ignore;

  static constexpr bool skips_rows = true;
  static constexpr bool row_major = false;    // the lanes come from the labels, already contiguous
  static constexpr bool staged_rows = false;  // so a staged block copies no targets
  /// The targets of a staged block (see row_loss.hpp): the lanes do not depend on the row.
  const LabelTargets& staged(Staged<Scalar>&, Eigen::Index, Eigen::Index) const { return *this; }
  /// Whether a staged block's predictions are in their domain (rows not counting included:
  /// on failure check_rows looks again, row by row).
  template <class P>
  bool staged_in_domain(Domain, Domain prediction_domain, const P& ps) const {
    return block_in_domain(prediction_domain, ps);
  }
  /// False for a row whose label is the ignore index.
  bool counts(Eigen::Index i) const { return !ignore || !same_integer(labels(i), *ignore); }
  /// The label of a row that counts, once checked.
  Eigen::Index label_of(Eigen::Index i) const { return static_cast<Eigen::Index>(labels(i)); }
  /// The vectorised lanes compare labels as Scalar numbers, exact while K ≤ 2^digits; beyond
  /// (more than 2^24 classes in float) every row takes the exact path.
  bool lanes_exact() const {
    return static_cast<long double>(classes) <= std::ldexp(1.0L, std::numeric_limits<Scalar>::digits);
  }

  Scalar target_at(Eigen::Index i, Eigen::Index k) const {
    return transform(label_of(i) == k ? Scalar(1) : Scalar(0), k);
  }
  /// [label = k], computed as max(1 − |label − k|, 0), which vectorises.
  template <class Lanes>
  auto target_lane(Eigen::Index k, Eigen::Index, Eigen::Index, const Lanes& label_lanes) const {
    return transform((Scalar(1) - (label_lanes - static_cast<Scalar>(k)).abs()).max(Scalar(0)), k);
  }

  /// Σ wᵢ·c_{yᵢ} over the rows that count (the mean's denominator), after checking their
  /// labels and weights; without class weights or an ignore index, the plain total weight.
  template <class Weights>
  accumulator_t<Scalar> denominator(const char* loss, Reduction reduction, const Weights& weights,
                                    Eigen::Index rows) const {
    if (!ignore && !transform.class_weight) {
      return detail::denominator<Scalar, TermUnit::sample>(loss, reduction, weights, rows, classes);
    }
    using Acc = accumulator_t<Scalar>;
    CompensatedSum<Scalar> total;
    for (Eigen::Index i = 0; i < rows; ++i) {
      if (!counts(i)) continue;
      check_label(loss, i);
      Scalar w = Scalar(1);
      if constexpr (!std::is_same_v<Weights, NoWeights>) {
        w = weights.w(i);
        if (!in_domain(Domain::non_negative, w)) throw_domain(loss, "sample_weight", i, 0, w, Domain::non_negative);
      }
      total.add(static_cast<Acc>(w) * static_cast<Acc>(transform.weight_of(label_of(i))));
    }
    const Acc sum = total.total();
    if (!std::isfinite(sum)) {
      throw DomainError("sample_weight", -1, -1,
                        prefixed(loss, "the weights in sample_weight are finite but their weighted sum overflows"));
    }
    return reduction == Reduction::sum ? Acc(1) : sum;
  }

  /// Checks the labels of rows [row, row + count) that count, then their predictions,
  /// naming the first culprit; writes the labels as numbers (−1 where a row does not count).
  /// Checks the labels of rows [row, row + count) that count and writes them as numbers
  /// (−1 where a row does not count).
  template <class Lanes>
  void check_labels(const char* loss, Eigen::Index row, Eigen::Index count, Lanes& label_lanes) const {
    label_lanes.resize(count);
    for (Eigen::Index k = 0; k < count; ++k) {
      const Eigen::Index i = row + k;
      if (counts(i)) {
        check_label(loss, i);
        label_lanes(k) = static_cast<Scalar>(labels(i));
      } else {
        label_lanes(k) = Scalar(-1);
      }
    }
  }

  template <class YP, class Lanes>
  void check_rows(const char* loss, Domain, Domain prediction_domain, const YP& p, Eigen::Index row,
                  Eigen::Index count, Lanes& label_lanes) const {
    check_labels(loss, row, count, label_lanes);
    const auto rows = p.middleRows(row, count);
    bool valid = true;
    for_each_block<Scalar, bool(YP::IsRowMajor)>(count, p.cols(), [&](const auto& s) {
      valid = valid && block_in_domain(prediction_domain, s.of(rows));
    });
    if (!valid) {
      throw_first_outside_in_rows<Scalar>(loss, "y_pred", prediction_domain, p, row, count,
                                          [&](Eigen::Index i) { return counts(i); });
    }
  }

 private:
  void check_label(const char* loss, Eigen::Index i) const {
    if (!label_in_range(labels(i), classes)) throw_label(loss, "y_true", i, labels(i), classes);
  }
};

/// The pass of a rule on probabilities when only the label's target is nonzero: each row's
/// term is the rule's term at the label, t = c_y, from the one prediction the label picks.
/// The value (one log per row) is computed only when asked for: want_value, or per_sample
/// not null.
template <class Rule, class Targets, class YP, class Weights, class G>
typename Rule::Scalar label_pass(const char* loss, const Rule& rule, Reduction reduction, const Targets& targets,
                                 const YP& p, const Weights& weights, G& g, bool want_value,
                                 Eigen::Array<typename Rule::Scalar, Eigen::Dynamic, 1>* per_sample) {
  using Scalar = typename Rule::Scalar;
  using Acc = accumulator_t<Scalar>;
  using Buffer = Lane<Scalar>;
  constexpr bool want_gradient = !std::is_same_v<G, NoGradient>;

  const Acc denom = targets.denominator(loss, reduction, weights, p.rows());
  const Scalar gradient_scale = denom > 0 ? static_cast<Scalar>(Acc(1) / denom) : Scalar(0);

  CompensatedSum<Scalar> total;
  Buffer label_lanes, picked, t, w;
  for (Eigen::Index row = 0; row < p.rows(); row += block_size) {
    const Eigen::Index count = std::min(block_size, p.rows() - row);
    targets.check_rows(loss, Rule::target_domain, Rule::prediction_domain, p, row, count, label_lanes);

    picked.resize(count);
    t.resize(count);
    w.resize(count);
    for (Eigen::Index k = 0; k < count; ++k) {
      const Eigen::Index i = row + k;
      if (targets.counts(i)) {
        const Eigen::Index label = targets.label_of(i);
        picked(k) = p.coeff(i, label);
        t(k) = targets.target_at(i, label);
        if constexpr (std::is_same_v<Weights, NoWeights>) {
          w(k) = Scalar(1);
        } else {
          w(k) = weights.w(i);
        }
      } else {  // a row that does not count: any valid prediction, weight 0
        picked(k) = Scalar(1);
        t(k) = Scalar(0);
        w(k) = Scalar(0);
      }
    }

    if (want_value || per_sample) {
      Buffer values = rule.term(t, picked);
      // Scaled before summing, as in row_pass, after the weight (0·∞ would be NaN).
      const Buffer weighted = gradient_scale * (w * values);
      if (!std::isfinite(weighted.sum())) {  // the exact scalar path; weight zero counts for nothing
        for (Eigen::Index k = 0; k < count; ++k) values(k) = w(k) == Scalar(0) ? Scalar(0) : rule.term(t(k), picked(k));
      }
      if (per_sample) {
        for (Eigen::Index k = 0; k < count; ++k) (*per_sample)(row + k) = targets.counts(row + k) ? values(k) : Scalar(0);
      }
      total.add(static_cast<Acc>((gradient_scale * (w * values)).sum()));
    }
    if constexpr (want_gradient) {
      Buffer d = gradient_scale * w * rule.derivative(t, picked);
      if (!std::isfinite(d.sum())) {
        for (Eigen::Index k = 0; k < count; ++k) {
          d(k) = w(k) == Scalar(0) ? Scalar(0) : gradient_scale * (w(k) * rule.derivative(t(k), picked(k)));
        }
      }
      for (Eigen::Index j = 0; j < p.cols(); ++j) as_array(g.col(j).segment(row, count)).setZero();
      for (Eigen::Index k = 0; k < count; ++k) {
        if (targets.counts(row + k)) g.coeffRef(row + k, targets.label_of(row + k)) = d(k);
      }
    }
  }
  if (!want_value || !(denom > 0)) return Scalar(0);
  return static_cast<Scalar>(total.total());
}

/// The entry points of a loss on class labels. `Loss` provides `name`, `reduction()`, the
/// categorical options, `ignore_index()` and `with_rule(columns, f)`.
template <class Loss, class Scalar>
class LabelLoss : public EntryPoints<Loss, Scalar> {
  friend class EntryPoints<Loss, Scalar>;
  using Base = EntryPoints<Loss, Scalar>;

 protected:
  template <class YT, class YP, class W, class G, bool WantValue>
  Scalar compute(const YT& y_true, const YP& y_pred, const W& sample_weight, G&& gradient,
                 std::bool_constant<WantValue>) const {
    check_inputs(y_true, y_pred);
    const auto targets = targets_of(y_true, y_pred);
    if constexpr (std::is_same_v<W, NoWeights>) {
      return run(targets, y_pred, NoWeights{}, gradient, WantValue, nullptr);
    } else {
      check_sample_weight_length(Loss::name, sample_weight, y_pred.rows());
      return run(targets, y_pred, SampleWeights<Scalar>(sample_weight), gradient, WantValue, nullptr);
    }
  }

  template <class YT, class YP>
  typename Base::Vector compute_per_sample(const YT& y_true, const YP& y_pred) const {
    check_inputs(y_true, y_pred);
    typename Base::Vector out(y_pred.rows());
    NoGradient none;
    run(targets_of(y_true, y_pred), y_pred, NoWeights{}, none, false, &out);
    return out;
  }

 private:
  const Loss& self() const { return static_cast<const Loss&>(*this); }

  template <class YT, class YP>
  auto targets_of(const YT& y_true, const YP& y_pred) const {
    return LabelTargets<Scalar, typename YT::Scalar>{label_view(y_true), y_pred.cols(),
                                                     target_transform<Scalar>(self(), y_pred.cols()),
                                                     self().ignore_index()};
  }

  /// The label pass where the rule allows it, else the row pass.
  template <class Targets, class YP, class Weights, class G>
  Scalar run(const Targets& targets, const YP& y_pred, const Weights& weights, G& gradient, bool want_value,
             typename Base::Vector* per_sample) const {
    const Reduction reduction = per_sample ? Reduction::sum : self().reduction();
    return self().with_rule(y_pred.cols(), [&](const auto& rule) {
      using Rule = std::decay_t<decltype(rule)>;
      if constexpr (Rule::elementwise) {
        if (targets.transform.spread == Scalar(0)) {
          return label_pass(Loss::name, rule, reduction, targets, y_pred, weights, gradient, want_value, per_sample);
        }
      }
      return row_pass(Loss::name, rule, reduction, targets, y_pred, weights, gradient, per_sample);
    });
  }

  template <class YT, class YP>
  static void check_inputs(const YT& y_true, const YP& y_pred) {
    static_assert(std::is_integral_v<typename YT::Scalar>,
                  "losses: the labels in y_true must hold an integral type (class indices in [0, K))");
    check_not_empty(Loss::name, "y_pred", y_pred);
    if (!is_vector_shape(y_true) || y_true.size() != y_pred.rows()) {
      throw_argument(Loss::name, "y_true",
                     "y_true is " + shape_of(y_true) + " but y_pred is " + shape_of(y_pred) +
                         "; y_true must be a vector of N = " + std::to_string(y_pred.rows()) + " labels");
    }
  }
};

}  // namespace losses::detail

LOSSES_DETAIL_BLOCK_BUFFERS_END

#endif  // LOSSES_DETAIL_LABEL_LOSS_HPP
