// The driver for losses whose terms are element-wise in (y_true, y_pred): it turns a
// rule (the per-element term and its derivative, written once) into the reduced value,
// the per-sample and per-element values, the gradient, and value and gradient fused.
//
// A rule provides term(y, p, c) and derivative(y, p, c), where c is the rule's parameter
// for the element's column (BCE's positive-class weight), from column_parameters(): one
// number per column, or null for none, which reads as 1.
//
// One pass over memory: blocks of each argument are read while in cache; the domain check,
// the value and the gradient of a block are all computed from that one read. The fast
// path is vectorised Eigen expressions; a block whose result is not finite (an infinite
// term, a zero weight on one, a 0·log 0) is recomputed with the rule's scalar form, which
// implements the limit conventions exactly.
#ifndef LOSSES_DETAIL_ELEMENTWISE_LOSS_HPP
#define LOSSES_DETAIL_ELEMENTWISE_LOSS_HPP

#include <Eigen/Core>
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

/// The rule's parameter for column j, for the exact scalar path.
template <class Rule>
typename Rule::Scalar column_parameter_at(const Rule& rule, Eigen::Index j) {
  const auto* values = rule.column_parameters();
  return values ? values[j] : typename Rule::Scalar(1);
}

/// The rule-level pass: value (if WantValue) and gradient (unless G is NoGradient).
template <class Rule, bool WantValue, class YT, class YP, class Weights, class G>
typename Rule::Scalar elementwise_pass(const char* loss, const Rule& rule, Reduction reduction, const YT& y,
                                       const YP& p, const Weights& weights, G& g) {
  using Scalar = typename Rule::Scalar;
  using Acc = accumulator_t<Scalar>;
  constexpr bool want_gradient = !std::is_same_v<G, NoGradient>;

  const Acc denom = denominator<Scalar, Rule::unit>(loss, reduction, weights, p.rows(), p.cols());
  // A total weight of zero: every term has weight zero, so value 0 and gradient 0.
  const Scalar gradient_scale = denom > 0 ? static_cast<Scalar>(Acc(1) / denom) : Scalar(0);
  const auto weight_at = [&](Eigen::Index i, Eigen::Index j) -> Scalar {
    if constexpr (std::is_same_v<Weights, NoWeights>) {
      return Scalar(1);
    } else {
      return weights.at(i, j);
    }
  };

  CompensatedSum<Scalar> total;
  for_each_block<Scalar, bool(YP::IsRowMajor)>(p.rows(), p.cols(), [&](const auto& s) {
    const auto yb = s.of(y).template cast<Scalar>();
    const auto pb = s.of(p);
    if (!block_in_domain(Rule::target_domain, yb) || !block_in_domain(Rule::prediction_domain, pb)) {
      throw_first_outside<Scalar>(loss, "y_true", Rule::target_domain, y, "y_pred", Rule::prediction_domain, p);
    }
    typename std::decay_t<decltype(s)>::Buffer buffer, column_buffer;
    const auto& c = s.column_values(rule.column_parameters(), column_buffer);
    const auto weigh = [&](const auto& e) {
      if constexpr (std::is_same_v<Weights, NoWeights>) {
        return e;
      } else if constexpr (std::is_same_v<Weights, SampleWeights<Scalar>>) {
        return s.sample_weights(weights.w, buffer) * e;
      } else {
        return s.of(weights.w) * e;
      }
    };

    if constexpr (WantValue) {
      // Each term is scaled before it is summed, so the partial sums never exceed the
      // result: a representable mean of terms near the overflow threshold stays finite.
      auto block_sum = static_cast<Acc>((gradient_scale * weigh(rule.term(yb, pb, c))).sum());
      if (!std::isfinite(block_sum)) {  // the exact scalar path; zero weights count for nothing
        CompensatedSum<Scalar> exact;
        for (Eigen::Index k = 0; k < s.size; ++k) {
          const Eigen::Index i = s.row_of(k), j = s.col_of(k);
          const Scalar w = weight_at(i, j);
          if (w != Scalar(0)) {
            // w·term first: a tiny weight times the scale could round to 0, and 0·∞ is NaN.
            exact.add(static_cast<Acc>(
                gradient_scale *
                (w * rule.term(static_cast<Scalar>(y.coeff(i, j)), p.coeff(i, j), column_parameter_at(rule, j)))));
          }
        }
        block_sum = exact.total();
      }
      total.add(block_sum);
    }
    if constexpr (want_gradient) {
      auto gb = s.of(g);
      gb = gradient_scale * weigh(rule.derivative(yb, pb, c));
      if (!std::isfinite(gb.sum())) {
        for (Eigen::Index k = 0; k < s.size; ++k) {
          const Eigen::Index i = s.row_of(k), j = s.col_of(k);
          const Scalar w = weight_at(i, j);
          g.coeffRef(i, j) = w == Scalar(0) ? Scalar(0)
                                            : gradient_scale * (w * rule.derivative(static_cast<Scalar>(y.coeff(i, j)),
                                                                                    p.coeff(i, j),
                                                                                    column_parameter_at(rule, j)));
        }
      }
    }
  });
  if (!WantValue || !(denom > 0)) return Scalar(0);
  return static_cast<Scalar>(total.total());
}

/// The unweighted terms, written block by block into `out` (with y_pred's shape) or, for
/// per-sample values, added into each row's entry of `out` (length N).
template <class Rule, bool PerSample, class YT, class YP, class Out>
void elementwise_terms(const char* loss, const Rule& rule, const YT& y, const YP& p, Out& out) {
  using Scalar = typename Rule::Scalar;
  for_each_block<Scalar, bool(YP::IsRowMajor)>(p.rows(), p.cols(), [&](const auto& s) {
    const auto yb = s.of(y).template cast<Scalar>();
    const auto pb = s.of(p);
    if (!block_in_domain(Rule::target_domain, yb) || !block_in_domain(Rule::prediction_domain, pb)) {
      throw_first_outside<Scalar>(loss, "y_true", Rule::target_domain, y, "y_pred", Rule::prediction_domain, p);
    }
    typename std::decay_t<decltype(s)>::Buffer column_buffer;
    typename std::decay_t<decltype(s)>::Buffer terms = rule.term(yb, pb, s.column_values(rule.column_parameters(), column_buffer));
    if (!std::isfinite(terms.sum())) {
      for (Eigen::Index k = 0; k < s.size; ++k) {
        const Eigen::Index i = s.row_of(k), j = s.col_of(k);
        terms(k) = rule.term(static_cast<Scalar>(y.coeff(i, j)), p.coeff(i, j), column_parameter_at(rule, j));
      }
    }
    if constexpr (PerSample) {
      s.add_to_rows(out, terms);
    } else {
      auto ob = s.of(out);
      ob = terms;
    }
  });
}

/// The entry points of a loss made of an element-wise rule. `Loss` provides `name`,
/// `reduction()` and `with_rule(columns, f)`, which checks its options against the number
/// of columns of y_pred and calls f with the rule they select.
template <class Loss, class Scalar>
class ElementwiseLoss : public EntryPoints<Loss, Scalar> {
  friend class EntryPoints<Loss, Scalar>;
  using Base = EntryPoints<Loss, Scalar>;

 protected:
  template <class YT, class YP, class W, class G, bool WantValue>
  Scalar compute(const YT& y_true, const YP& y_pred, const W& sample_weight, G&& gradient,
                 std::bool_constant<WantValue>) const {
    check_inputs(y_true, y_pred);
    return self().with_rule(y_pred.cols(), [&](const auto& rule) {
      using Rule = std::decay_t<decltype(rule)>;
      const auto pass = [&](const auto& weights) {
        return elementwise_pass<Rule, WantValue>(Loss::name, rule, self().reduction(), y_true, y_pred, weights,
                                                 gradient);
      };
      if constexpr (std::is_same_v<W, NoWeights>) {
        return pass(NoWeights{});
      } else {
        if (Rule::unit == TermUnit::element && sample_weight.rows() == y_pred.rows() &&
            sample_weight.cols() == y_pred.cols()) {
          return pass(ElementWeights<W>{sample_weight});
        }
        if (is_vector_shape(sample_weight) && sample_weight.size() == y_pred.rows()) {
          return pass(SampleWeights<Scalar>(sample_weight));
        }
        throw_argument(Loss::name, "sample_weight",
                       "sample_weight is " + shape_of(sample_weight) + "; it must be a vector of length N = " +
                           std::to_string(y_pred.rows()) +
                           (Rule::unit == TermUnit::element ? " or have y_pred's shape " + shape_of(y_pred)
                                                            : std::string()));
      }
    });
  }

  template <class YT, class YP>
  typename Base::Vector compute_per_sample(const YT& y_true, const YP& y_pred) const {
    check_inputs(y_true, y_pred);
    typename Base::Vector out = Base::Vector::Zero(y_pred.rows());
    self().with_rule(y_pred.cols(), [&](const auto& rule) {
      using Rule = std::decay_t<decltype(rule)>;
      elementwise_terms<Rule, true>(Loss::name, rule, y_true, y_pred, out);
      if (Rule::unit == TermUnit::element) out /= static_cast<Scalar>(y_pred.cols());
    });
    return out;
  }

  template <class YT, class YP>
  typename Base::Array compute_per_element(const YT& y_true, const YP& y_pred) const {
    check_inputs(y_true, y_pred);
    typename Base::Array out(y_pred.rows(), y_pred.cols());
    self().with_rule(y_pred.cols(), [&](const auto& rule) {
      elementwise_terms<std::decay_t<decltype(rule)>, false>(Loss::name, rule, y_true, y_pred, out);
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

#endif  // LOSSES_DETAIL_ELEMENTWISE_LOSS_HPP
