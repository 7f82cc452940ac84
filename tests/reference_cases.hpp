// Runs the reference generator's cases (tests/reference/) through a loss, in float or
// double as each case says, in every input form, through every entry point.
#ifndef LOSSES_TESTS_REFERENCE_CASES_HPP
#define LOSSES_TESTS_REFERENCE_CASES_HPP

#include <losses/losses.hpp>
#include <string>
#include <type_traits>

#include "catch.hpp"
#include "reference/reference_values.hpp"
#include "reference/training_values.hpp"
#include "support.hpp"

namespace support {

template <class Loss, class = void>
struct has_epsilon : std::false_type {};
template <class Loss>
struct has_epsilon<Loss, std::void_t<decltype(std::declval<Loss&>().epsilon(0))>> : std::true_type {};

/// Marks a call without weights.
struct Unweighted {};

/// Every entry point of `loss` on one case, with y, p and w (or none) in one form.
template <class S, class Loss, class Case, class Y, class P, class W>
void check_entry_points(const Case& c, Loss loss, const Y& y, const P& p, const W* w) {
  const double rel = tolerance<S>();
  const auto value = [&](const Loss& l) { if constexpr (std::is_same_v<W, Unweighted>) return l(y, p); else return l(y, p, *w); };
  const auto gradient = [&](const Loss& l) {
    if constexpr (std::is_same_v<W, Unweighted>) return l.gradient(y, p); else return l.gradient(y, p, *w);
  };
  const auto fused = [&](const Loss& l) {
    if constexpr (std::is_same_v<W, Unweighted>) return l.value_and_gradient(y, p); else return l.value_and_gradient(y, p, *w);
  };
  const auto into = [&](const Loss& l, Array<S>& g) {
    if constexpr (std::is_same_v<W, Unweighted>) return l.value_and_gradient_into(y, p, g);
    else return l.value_and_gradient_into(y, p, g, *w);
  };

  for (const auto reduction : {losses::Reduction::mean, losses::Reduction::sum}) {
    const bool mean = reduction == losses::Reduction::mean;
    const double expected = mean ? c.mean : c.sum;
    const auto& expected_gradient = mean ? c.gradient_mean : c.gradient_sum;
    const std::string label = mean ? "mean" : "sum";
    loss.reduction(reduction);

    check_value(value(loss), expected, rel, label + " value");
    check_elements(gradient(loss), expected_gradient, rel, label + " gradient");
    const auto [fused_value, fused_gradient] = fused(loss);
    check_value(fused_value, expected, rel, label + " value_and_gradient().value");
    check_elements(fused_gradient, expected_gradient, rel, label + " value_and_gradient().gradient");
    Array<S> g = Array<S>::Constant(c.rows, c.cols, S(123));
    check_value(into(loss, g), expected, rel, label + " value_and_gradient_into()");
    check_elements(g, expected_gradient, rel, label + " value_and_gradient_into() gradient");
  }
  check_elements(loss.per_sample(y, p), c.per_sample, rel, "per_sample");
  if constexpr (has_per_element<Loss>::value) {
    check_elements(loss.per_element(y, p), c.per_element, rel, "per_element");
  }
}

/// Runs one case (from either generator) through `loss`, configured with its options, in
/// every input form.
template <class S, class Loss, class Case>
void check_case(const Case& c, const Loss& loss) {
  const Stored<S> p(from_row_major<S>(c.y_pred, c.rows, c.cols));
  const bool sparse = c.loss == reference::Loss::sparse;
  Array<long> labels(c.rows, 1);
  for (Eigen::Index i = 0; i < c.rows; ++i) labels(i) = sparse ? c.labels[static_cast<std::size_t>(i)] : 0;
  const Stored<long> y_labels(labels);
  const Stored<S> y(sparse ? Array<S>(Array<S>::Zero(c.rows, c.cols)) : from_row_major<S>(c.y_true, c.rows, c.cols));
  const bool per_sample_weights = c.weights.size() == static_cast<std::size_t>(c.rows);
  const Stored<S> w(from_row_major<S>(c.weights, per_sample_weights ? c.rows : c.weights.empty() ? 0 : c.rows,
                                      per_sample_weights ? 1 : c.weights.empty() ? 0 : c.cols));

  // A product with the identity multiplies every entry by 0 as well as 1, and ∞·0 is NaN:
  // that form only carries finite data.
  const bool finite = p.plain.isFinite().all();
  for_each_form([&](auto form) {
    constexpr Form F = decltype(form)::value;
    if (F == Form::product && !finite) return;
    INFO("case " << c.name << ", " << form_name(F) << "; expected values from " << c.source);
    const auto run = [&](const auto& targets) {
      if (c.weights.empty()) {
        const Unweighted none;
        check_entry_points<S>(c, loss, targets, view<F>(p), &none);
      } else {
        const auto& weights = view<F>(w);
        check_entry_points<S>(c, loss, targets, view<F>(p), &weights);
      }
    };
    if constexpr (std::is_same_v<Loss, losses::SparseCategoricalCrossEntropy<S>>) {
      REQUIRE(sparse);
      run(view<F>(y_labels));
    } else {
      REQUIRE(!sparse);
      run(view<F>(y));
    }
  });
}

template <class S, template <class> class LossT>
void check_reference_case(const reference::Case& c) {
  LossT<S> loss;
  if constexpr (has_epsilon<LossT<S>>::value) loss.epsilon(static_cast<S>(c.epsilon));
  check_case<S>(c, loss);
}

/// A vector option of a training case (class or positive-class weights) as an array.
template <class S>
Eigen::Array<S, Eigen::Dynamic, 1> option_vector(const reference::Span<double>& values) {
  return from_row_major<S>(values, static_cast<Eigen::Index>(values.size()), 1);
}

/// A training case: the loss configured with the case's options.
template <class S, template <class> class LossT>
void check_training_case(const reference::training::Case& c) {
  LossT<S> loss;
  loss.from_logits(c.from_logits).label_smoothing(static_cast<S>(c.label_smoothing));
  if (!c.from_logits) loss.epsilon(static_cast<S>(c.epsilon));
  if constexpr (std::is_same_v<LossT<S>, losses::BinaryCrossEntropy<S>>) {
    loss.pos_weight(option_vector<S>(c.pos_weight));
  } else {
    loss.class_weight(option_vector<S>(c.class_weight));
  }
  if constexpr (std::is_same_v<LossT<S>, losses::SparseCategoricalCrossEntropy<S>>) {
    if (c.has_ignore_index) loss.ignore_index(c.ignore_index);
  }
  check_case<S>(c, loss);
}

/// Runs every training-option case (tests/reference/generate_training.py) of one loss kind.
template <template <class> class LossT>
void check_training_cases(reference::Loss kind) {
  int count = 0;
  for (const auto& c : reference::training::cases) {
    if (c.loss != kind) continue;
    ++count;
    if (c.is_float) {
      check_training_case<float, LossT>(c);
    } else {
      check_training_case<double, LossT>(c);
    }
  }
  CHECK(count > 0);
}

/// Runs every reference case of one loss kind.
template <template <class> class LossT>
void check_reference_cases(reference::Loss kind) {
  int count = 0;
  for (const auto& c : reference::cases) {
    if (c.loss != kind) continue;
    ++count;
    if (c.is_float) {
      check_reference_case<float, LossT>(c);
    } else {
      check_reference_case<double, LossT>(c);
    }
  }
  CHECK(count > 0);
}

}  // namespace support

#endif  // LOSSES_TESTS_REFERENCE_CASES_HPP
