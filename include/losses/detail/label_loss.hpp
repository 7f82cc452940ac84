// The driver for losses whose targets are class labels: each row's term comes from the
// one prediction its label picks, read through the same rule as the dense loss (target 1
// at the label, 0 elsewhere), so the formulas are not written twice.
#ifndef LOSSES_DETAIL_LABEL_LOSS_HPP
#define LOSSES_DETAIL_LABEL_LOSS_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "blocks.hpp"
#include "checks.hpp"
#include "diagnostics.hpp"
#include "entry_points.hpp"
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
                                       Eigen::InnerStride<>(labels.size() > 1 ? labels.derived().innerStride() : 1));
}

/// Checks rows [row, row + count): labels in range (naming the first bad one), then the
/// predictions of those rows in the rule's domain (naming the first culprit in y_pred).
template <class Rule, class Label, class YP>
void check_label_rows(const char* loss, const LabelView<Label>& labels, const YP& p, Eigen::Index row,
                      Eigen::Index count) {
  using Scalar = typename Rule::Scalar;
  for (Eigen::Index i = row; i < row + count; ++i) {
    if (!label_in_range(labels(i), p.cols())) throw_label(loss, "y_true", i, labels(i), p.cols());
  }
  const auto rows = p.middleRows(row, count);
  for_each_block<Scalar, bool(YP::IsRowMajor)>(count, p.cols(), [&](const auto& s) {
    if (!block_in_domain(Rule::prediction_domain, s.of(rows))) {
      throw_first_outside<Scalar>(loss, "y_pred", Rule::prediction_domain, p);
    }
  });
}

template <class Rule, bool WantValue, class Label, class YP, class Weights, class G>
typename Rule::Scalar label_pass(const char* loss, const Rule& rule, Reduction reduction,
                                 const LabelView<Label>& labels, const YP& p, const Weights& weights, G& g) {
  using Scalar = typename Rule::Scalar;
  using Acc = accumulator_t<Scalar>;
  using Buffer = Eigen::Array<Scalar, Eigen::Dynamic, 1, Eigen::ColMajor, block_size, 1>;
  constexpr bool want_gradient = !std::is_same_v<G, NoGradient>;

  const Acc denom = denominator<Scalar, TermUnit::sample>(loss, reduction, weights, p.rows(), p.cols());
  const Scalar gradient_scale = denom > 0 ? static_cast<Scalar>(Acc(1) / denom) : Scalar(0);
  const auto weight_at = [&](Eigen::Index i) -> Scalar {
    if constexpr (std::is_same_v<Weights, NoWeights>) {
      return Scalar(1);
    } else {
      return weights.w(i);
    }
  };

  CompensatedSum<Scalar> total;
  for (Eigen::Index row = 0; row < p.rows(); row += block_size) {
    const Eigen::Index count = std::min(block_size, p.rows() - row);
    check_label_rows<Rule>(loss, labels, p, row, count);

    Buffer picked(count), w;
    for (Eigen::Index k = 0; k < count; ++k) picked(k) = p.coeff(row + k, static_cast<Eigen::Index>(labels(row + k)));
    if constexpr (!std::is_same_v<Weights, NoWeights>) w = weights.w.segment(row, count);
    const auto target = Buffer::Ones(count);
    const auto weigh = [&](const auto& e) {
      if constexpr (std::is_same_v<Weights, NoWeights>) {
        return e;
      } else {
        return w * e;
      }
    };

    if constexpr (WantValue) {
      auto block_sum = static_cast<Acc>(weigh(rule.term(target, picked)).sum());
      if (!std::isfinite(block_sum)) {  // the exact scalar path; zero weights count for nothing
        CompensatedSum<Scalar> exact;
        for (Eigen::Index k = 0; k < count; ++k) {
          const Scalar wk = weight_at(row + k);
          if (wk != Scalar(0)) exact.add(static_cast<Acc>(wk * rule.term(Scalar(1), picked(k))));
        }
        block_sum = exact.total();
      }
      total.add(block_sum);
    }
    if constexpr (want_gradient) {
      Buffer d;
      d = gradient_scale * weigh(rule.derivative(target, picked));
      if (!std::isfinite(d.sum())) {
        for (Eigen::Index k = 0; k < count; ++k) {
          const Scalar wk = weight_at(row + k);
          d(k) = wk == Scalar(0) ? Scalar(0) : gradient_scale * (wk * rule.derivative(Scalar(1), picked(k)));
        }
      }
      g.middleRows(row, count).setZero();
      for (Eigen::Index k = 0; k < count; ++k) g.coeffRef(row + k, static_cast<Eigen::Index>(labels(row + k))) = d(k);
    }
  }
  if (!WantValue || !(denom > 0)) return Scalar(0);
  return static_cast<Scalar>(total.total() / denom);
}

/// The entry points of a loss on class labels. `Loss` provides `name`, `reduction()` and
/// `with_rule(f)`.
template <class Loss, class Scalar>
class LabelLoss : public EntryPoints<Loss, Scalar> {
  friend class EntryPoints<Loss, Scalar>;
  using Base = EntryPoints<Loss, Scalar>;

 protected:
  template <class YT, class YP, class W, class G, bool WantValue>
  Scalar compute(const YT& y_true, const YP& y_pred, const W& sample_weight, G&& gradient,
                 std::bool_constant<WantValue>) const {
    check_inputs(y_true, y_pred);
    const auto labels = label_view(y_true);
    return self().with_rule([&](const auto& rule) {
      using Rule = std::decay_t<decltype(rule)>;
      if constexpr (std::is_same_v<W, NoWeights>) {
        return label_pass<Rule, WantValue>(Loss::name, rule, self().reduction(), labels, y_pred, NoWeights{},
                                           gradient);
      } else {
        if (!is_vector_shape(sample_weight) || sample_weight.size() != y_pred.rows()) {
          throw_argument(Loss::name, "sample_weight",
                         "sample_weight is " + shape_of(sample_weight) + "; it must be a vector of length N = " +
                             std::to_string(y_pred.rows()));
        }
        return label_pass<Rule, WantValue>(Loss::name, rule, self().reduction(), labels, y_pred,
                                           SampleWeights<Scalar>(sample_weight), gradient);
      }
    });
  }

  template <class YT, class YP>
  typename Base::Vector compute_per_sample(const YT& y_true, const YP& y_pred) const {
    check_inputs(y_true, y_pred);
    const auto labels = label_view(y_true);
    typename Base::Vector out(y_pred.rows());
    self().with_rule([&](const auto& rule) {
      using Rule = std::decay_t<decltype(rule)>;
      for (Eigen::Index row = 0; row < y_pred.rows(); row += block_size) {
        const Eigen::Index count = std::min(block_size, y_pred.rows() - row);
        check_label_rows<Rule>(Loss::name, labels, y_pred, row, count);
        for (Eigen::Index i = row; i < row + count; ++i) {
          out(i) = rule.term(Scalar(1), y_pred.coeff(i, static_cast<Eigen::Index>(labels(i))));
        }
      }
    });
    return out;
  }

 private:
  const Loss& self() const { return static_cast<const Loss&>(*this); }

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
