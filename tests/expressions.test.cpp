// Every loss accepts its inputs in any Eigen form and storage order with the same results,
// writes gradients into any writable destination, refuses a destination that aliases an
// input, and stays accurate on inputs spanning many of its 256-element blocks.
#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <limits>
#include <losses/losses.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"
#include "contract.hpp"

namespace {

using contract::Problem;
using contract::Results;
using contract::results_of;
using contract::stored_targets;
using contract::Unweighted;
using contract::Weighting;
using losses::Reduction;
using support::Array;
using support::Form;
using support::RowArray;
using LD = long double;
template <class S>
using Vector = Eigen::Array<S, Eigen::Dynamic, 1>;

/// The same data in another form or storage order: element-wise results may differ in the
/// last bits (a vectorised log in one walk is a scalar log in the other), sums by the
/// rounding of a different summation order. So: 4 ulps per element summed over, relative
/// to the result's scale; never bitwise.
template <class S>
void check_same_results(const Results<S>& actual, const Results<S>& expected, const std::string& what) {
  INFO(what);
  const auto elements = static_cast<double>(expected.gradient.size());
  const auto cols = static_cast<double>(expected.gradient.cols());
  const double ulps = 4 * contract::eps<S>();
  CHECK(support::close(actual.value, expected.value, ulps * elements, 0));
  contract::check_all_close(actual.gradient, expected.gradient, ulps * contract::max_abs(expected.gradient),
                            "gradient");
  contract::check_all_close(actual.per_sample, expected.per_sample, ulps * cols * contract::max_abs(expected.per_sample),
                            "per_sample");
  contract::check_all_close(actual.per_element, expected.per_element,
                            ulps * contract::max_abs(expected.per_element), "per_element");
}

template <class Kind, class S>
void check_every_form(const Problem& pb) {
  const typename Kind::template Loss<S> loss;
  const auto y = stored_targets<Kind, S>(pb);
  const support::Stored<S> p(pb.p.cast<S>());
  const support::Stored<S> sample_w(Array<S>(pb.sample_weight.cast<S>()));
  const support::Stored<S> element_w(pb.element_weight.cast<S>());
  constexpr Form plain = Form::plain;

  support::for_each_form([&](auto form) {
    constexpr Form F = decltype(form)::value;
    INFO(Kind::name << ", " << sizeof(S) << "-byte scalar, form: " << support::form_name(F));
    // Unweighted: every entry point, with every argument in the form, then y_pred alone
    // (mixing storage orders).
    const auto expected = results_of<S>(loss, support::view<plain>(y), support::view<plain>(p), Unweighted{});
    check_same_results(results_of<S>(loss, support::view<F>(y), support::view<F>(p), Unweighted{}), expected,
                       "every argument in this form");
    check_same_results(results_of<S, false>(loss, support::view<plain>(y), support::view<F>(p), Unweighted{}),
                       results_of<S, false>(loss, support::view<plain>(y), support::view<plain>(p), Unweighted{}),
                       "y_pred alone in this form");
    // Weighted: the value and gradient (per-sample and per-element values take no weights).
    const auto check_weighted = [&](const auto& w_plain, const auto& w_form) {
      check_same_results(results_of<S, false>(loss, support::view<F>(y), support::view<F>(p), w_form),
                         results_of<S, false>(loss, support::view<plain>(y), support::view<plain>(p), w_plain),
                         "every argument, weights too, in this form");
    };
    check_weighted(support::view<plain>(sample_w), support::view<F>(sample_w));
    if constexpr (Kind::element_terms) check_weighted(support::view<plain>(element_w), support::view<F>(element_w));
  });
}

}  // namespace

TEMPLATE_TEST_CASE("inputs in every form give the results of plain arrays", "[expressions]", contract::MseKind,
                   contract::BceKind, contract::CceKind, contract::SparseKind) {
  const Problem pb = contract::make_problem<TestType>(37, 5, 101);
  contract::for_each_scalar([&](auto scalar) { check_every_form<TestType, decltype(scalar)>(pb); });
}

TEMPLATE_TEST_CASE("column-major Maps, Eigen::Ref and fixed-size arrays give the results of plain arrays",
                   "[expressions]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 102);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const typename Kind::template Loss<S> loss;
    const auto y = contract::y_true<Kind, S>(pb);
    const Array<S> p = pb.p.cast<S>();
    const Vector<S> w = pb.sample_weight.cast<S>();
    const auto plain = results_of<S, false>(loss, y, p, Unweighted{});
    const auto weighted = results_of<S, false>(loss, y, p, w);

    const std::vector<S> p_memory(p.data(), p.data() + p.size());
    const Eigen::Map<const Array<S>> p_map(p_memory.data(), 4, 3);
    check_same_results(results_of<S, false>(loss, y, p_map, Unweighted{}), plain, "column-major Map");

    Array<S> padded = Array<S>::Constant(9, 8, S(0.5));
    padded.block(2, 3, 4, 3) = p;
    const Eigen::Ref<const Array<S>> p_ref(padded.block(2, 3, 4, 3));  // a view: outer stride 9
    const Eigen::Ref<const Vector<S>> w_ref(w);
    check_same_results(results_of<S, false>(loss, y, p_ref, w_ref), weighted, "Eigen::Ref");

    const Eigen::Array<S, 4, 3> p_fixed = p;
    const Eigen::Array<S, 4, 3, Eigen::RowMajor> p_fixed_row = p;
    const Eigen::Array<S, 4, 1> w_fixed = w;
    if constexpr (Kind::sparse) {
      const Eigen::Array<int, 4, 1> labels_fixed = y;
      check_same_results(results_of<S, false>(loss, labels_fixed, p_fixed, w_fixed), weighted, "fixed-size arrays");
      check_same_results(results_of<S, false>(loss, labels_fixed, p_fixed_row, w_fixed), weighted, "fixed-size row-major");
    } else {
      const Eigen::Array<S, 4, 3> y_fixed = y;
      check_same_results(results_of<S, false>(loss, y_fixed, p_fixed, w_fixed), weighted, "fixed-size arrays");
      check_same_results(results_of<S, false>(loss, y_fixed, p_fixed_row, w_fixed), weighted, "fixed-size row-major");
    }
  });
}

TEMPLATE_TEST_CASE("integer targets give the results of the same targets in floating point", "[expressions]",
                   contract::MseKind, contract::BceKind, contract::CceKind) {
  using Kind = TestType;
  Problem pb = contract::make_problem<Kind>(6, 4, 103);
  // Whole-number targets: any integers for MSE, hard 0/1 for the cross-entropies.
  for (Eigen::Index i = 0; i < pb.rows(); ++i) {
    for (Eigen::Index j = 0; j < pb.cols(); ++j) {
      pb.y(i, j) = Kind::probabilities ? double((i + j) % 2 == 0) : double((i * 7 + j * 3) % 7 - 3);
    }
  }
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const typename Kind::template Loss<S> loss;
    const Array<S> p = pb.p.cast<S>();
    const Vector<S> w = pb.sample_weight.cast<S>();
    const auto expected = results_of<S>(loss, Array<S>(pb.y.cast<S>()), p, w);
    check_same_results(results_of<S>(loss, Eigen::ArrayXXi(pb.y.cast<int>()), p, w), expected, "ArrayXXi");
    check_same_results(results_of<S>(loss, Array<std::int64_t>(pb.y.cast<std::int64_t>()), p, w), expected,
                       "int64 targets");
    if constexpr (Kind::probabilities) {
      check_same_results(results_of<S>(loss, Array<std::uint8_t>(pb.y.cast<std::uint8_t>()), p, w), expected,
                         "uint8 targets");
      check_same_results(results_of<S>(loss, Array<bool>(pb.y.cast<bool>()), p, w), expected, "bool targets");
    }
  });
}

TEST_CASE("labels in any integral Eigen vector give the results of an ArrayXi", "[expressions]") {
  const Problem pb = contract::make_problem<contract::SparseKind>(40, 6, 104);
  const Eigen::Index n = pb.rows();
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const losses::SparseCategoricalCrossEntropy<S> loss;
    const Array<S> p = pb.p.cast<S>();
    const Vector<S> w = pb.sample_weight.cast<S>();
    const auto expected = results_of<S, false>(loss, pb.labels, p, w);
    const auto check = [&](const auto& labels, const char* what) {
      check_same_results(results_of<S, false>(loss, labels, p, w), expected, what);
    };
    check(Eigen::VectorX<Eigen::Index>(pb.labels.cast<Eigen::Index>().matrix()), "Eigen::VectorX<Eigen::Index>");
    check(Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>(pb.labels.cast<std::uint8_t>()), "uint8 labels");
    check(Eigen::Array<unsigned, Eigen::Dynamic, 1>(pb.labels.cast<unsigned>()), "unsigned labels");
    check(Eigen::Array<int, 1, Eigen::Dynamic>(pb.labels.transpose()), "a row vector");
    std::vector<int> memory(static_cast<std::size_t>(3 * n), -1);  // -1 between the labels: never read
    for (Eigen::Index i = 0; i < n; ++i) memory[static_cast<std::size_t>(3 * i)] = pb.labels(i);
    check(Eigen::Map<const Eigen::ArrayXi, 0, Eigen::InnerStride<3>>(memory.data(), n), "a Map with stride 3");
    Eigen::Array<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> table = decltype(table)::Constant(n, 3, -1);
    table.col(1) = pb.labels.cast<std::int64_t>();
    check(table.col(1), "a column of a larger int64 array");
    check(table.transpose().row(1), "a row of a transposed array");
    // Vectors only at run time: a 1 x N block of a column-major array, an N x 1 block of a
    // row-major one. Their elements are an outer stride apart, not an inner one.
    Eigen::ArrayXXi by_columns = Eigen::ArrayXXi::Constant(3, n, -1);
    by_columns.row(1) = pb.labels.transpose();
    check(by_columns.middleRows(1, 1), "a 1 x N block of a column-major array");
    RowArray<int> by_rows = RowArray<int>::Constant(n, 3, -1);
    by_rows.col(1) = pb.labels;
    check(by_rows.middleCols(1, 1), "an N x 1 block of a row-major array");
  });
}

TEMPLATE_TEST_CASE("weights as any Eigen vector give the results of an ArrayX", "[expressions]", contract::MseKind,
                   contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(12, 3, 105);
  const Eigen::Index n = pb.rows();
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const typename Kind::template Loss<S> loss;
    const auto y = contract::y_true<Kind, S>(pb);
    const Array<S> p = pb.p.cast<S>();
    const Vector<S> w = pb.sample_weight.cast<S>();
    const auto expected = results_of<S, false>(loss, y, p, w);
    const auto check = [&](const auto& weights, const char* what) {
      check_same_results(results_of<S, false>(loss, y, p, weights), expected, what);
    };
    check(Eigen::Matrix<S, Eigen::Dynamic, 1>(w.matrix()), "VectorX");
    check(Eigen::Array<S, 1, Eigen::Dynamic>(w.transpose()), "a 1 x N row vector");
    const std::vector<S> memory(w.data(), w.data() + n);
    check(Eigen::Map<const Vector<S>>(memory.data(), n), "a Map over a std::vector");
    Array<S> table = Array<S>::Constant(3, n, S(-1));  // -1 around the weights: never read
    table.row(1) = w.transpose();
    check(table.row(1), "a row of a larger array (inner stride 3)");
    check(Eigen::Map<const Vector<S>, 0, Eigen::InnerStride<3>>(table.data() + 1, n), "a Map with stride 3");
    // Vectors only at run time, whose elements are an outer stride apart.
    check(table.middleRows(1, 1), "a 1 x N block of a column-major array (outer stride 3)");
    RowArray<S> by_rows = RowArray<S>::Constant(n, 3, S(-1));
    by_rows.col(1) = w;
    check(by_rows.middleCols(1, 1), "an N x 1 block of a row-major array (outer stride 3)");
  });
}

TEMPLATE_TEST_CASE("value_and_gradient_into writes into any writable destination of y_pred's shape",
                   "[expressions]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(11, 4, 106);
  const Eigen::Index n = pb.rows(), m = pb.cols();
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const typename Kind::template Loss<S> loss;
    const auto y = contract::y_true<Kind, S>(pb);
    const Array<S> p = pb.p.cast<S>();
    const Vector<S> w = pb.sample_weight.cast<S>();
    const auto expected = loss.value_and_gradient(y, p, w);
    // The same computation into other storage: up to 4 ulps (see check_same_results).
    const double ulps = 4 * contract::eps<S>();
    const auto check = [&](S value, const auto& gradient, const char* what) {
      INFO(what);
      CHECK(support::close(value, expected.value, ulps * double(n * m), 0));
      contract::check_all_close(gradient, expected.gradient, ulps * contract::max_abs(expected.gradient), "gradient");
    };
    const S sentinel = S(-77);

    Array<S> plain(n, m);
    check(loss.value_and_gradient_into(y, p, plain, w), plain, "a plain Array");
    support::Matrix<S> matrix(n, m);
    check(loss.value_and_gradient_into(y, p, matrix, w), matrix, "a Matrix");
    RowArray<S> row_major(n, m);
    check(loss.value_and_gradient_into(y, p, row_major, w), row_major, "a row-major Array");
    std::vector<S> memory(static_cast<std::size_t>(n * m));
    Eigen::Map<Array<S>> map(memory.data(), n, m);
    check(loss.value_and_gradient_into(y, p, map, w), map, "a Map over a std::vector");
    Array<S> ref_target(n, m);
    check(loss.value_and_gradient_into(y, p, Eigen::Ref<Array<S>>(ref_target), w), ref_target, "an Eigen::Ref");

    Array<S> big = Array<S>::Constant(n + 5, m + 4, sentinel);
    check(loss.value_and_gradient_into(y, p, big.block(2, 3, n, m), w), big.block(2, 3, n, m), "a block temporary");
    Array<S> outside = big;
    outside.block(2, 3, n, m).setConstant(sentinel);
    CHECK((outside == sentinel).all());  // nothing written outside the block

    Array<S> transposed(m, n);
    check(loss.value_and_gradient_into(y, p, transposed.transpose(), w), transposed.transpose(), "a transpose");

    std::vector<S> strided_memory(static_cast<std::size_t>(2 * n * m + 2 * n), sentinel);
    using Strides = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
    Eigen::Map<Array<S>, 0, Strides> strided(strided_memory.data(), n, m, Strides(2 * n + 2, 2));
    check(loss.value_and_gradient_into(y, p, strided, w), strided, "a Map with inner and outer strides");
    for (std::size_t k = 0; k < strided_memory.size(); ++k) {
      const auto col = static_cast<Eigen::Index>(k) / (2 * n + 2), offset = static_cast<Eigen::Index>(k) % (2 * n + 2);
      if (col >= m || offset % 2 == 1 || offset >= 2 * n) CHECK(strided_memory[k] == sentinel);
    }
  });
}

TEMPLATE_TEST_CASE("gradient_out sharing memory with an input, or of the wrong shape, is rejected", "[expressions]",
                   contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(5, 3, 107);
  const Eigen::Index n = pb.rows(), m = pb.cols();
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const typename Kind::template Loss<S> loss;
    const auto expect_rejected = [&](auto&& call, const char* what) {
      INFO(what);
      try {
        call();
        FAIL_CHECK("no exception");
      } catch (const std::invalid_argument& e) {
        const auto* error = dynamic_cast<const losses::ArgumentError*>(&e);
        REQUIRE(error != nullptr);
        CHECK(std::string(error->argument()) == "gradient_out");
        CHECK(std::string(e.what()).find(Kind::name) != std::string::npos);
      }
    };

    // One buffer holding y_pred, then room for a gradient: the gradient may start right
    // after y_pred (adjacent is not shared) but not one element earlier.
    std::vector<S> memory(static_cast<std::size_t>(2 * n * m));
    Eigen::Map<Array<S>> p(memory.data(), n, m);
    p = pb.p.cast<S>();
    const auto y = contract::y_true<Kind, S>(pb);
    Eigen::Map<Array<S>> after(memory.data() + n * m, n, m), overlapping(memory.data() + n * m - 1, n, m);
    CHECK_NOTHROW(loss.value_and_gradient_into(y, p, after));
    expect_rejected([&] { loss.value_and_gradient_into(y, p, p); }, "gradient_out is y_pred");
    expect_rejected([&] { loss.value_and_gradient_into(y, p, overlapping); }, "gradient_out overlaps y_pred by one");

    if constexpr (Kind::sparse) {  // labels' memory seen as S: zero bits are label 0 and +0
      std::vector<std::int64_t> labels_memory(static_cast<std::size_t>(n * m), 0);
      const Eigen::Map<const Eigen::Array<std::int64_t, Eigen::Dynamic, 1>> labels(labels_memory.data(), n);
      Eigen::Map<Array<S>> over_labels(reinterpret_cast<S*>(labels_memory.data()), n, m);
      expect_rejected([&] { loss.value_and_gradient_into(labels, p, over_labels); }, "gradient_out overlaps y_true");
    } else {
      Array<S> y_mutable = y;
      expect_rejected([&] { loss.value_and_gradient_into(y_mutable, p, y_mutable); }, "gradient_out is y_true");
    }

    // Weights followed by room for a gradient.
    std::vector<S> w_memory(static_cast<std::size_t>(n + n * m));
    Eigen::Map<Vector<S>> w(w_memory.data(), n);
    w = pb.sample_weight.cast<S>();
    Eigen::Map<Array<S>> after_w(w_memory.data() + n, n, m), over_w(w_memory.data() + n - 1, n, m);
    CHECK_NOTHROW(loss.value_and_gradient_into(y, p, after_w, w));
    expect_rejected([&] { loss.value_and_gradient_into(y, p, over_w, w); }, "gradient_out overlaps sample_weight");

    Array<S> g_rows(n + 1, m), g_cols(n, m + 1), g_transposed(m, n), g_empty;
    expect_rejected([&] { loss.value_and_gradient_into(y, p, g_rows); }, "one row too many");
    expect_rejected([&] { loss.value_and_gradient_into(y, p, g_cols, w); }, "one column too many");
    expect_rejected([&] { loss.value_and_gradient_into(y, p, g_transposed); }, "the transposed shape");
    expect_rejected([&] { loss.value_and_gradient_into(y, p, g_empty); }, "empty");
  });
}

namespace {

/// The contract's formulas, evaluated straightforwardly in long double, independently of
/// the library:
///   c = clip(p, ε, 1 − ε); x·log(z) and x/z are exactly 0 where x is 0;
///   MSE    t = (p − y)²                           dt/dp = 2(p − y)
///   BCE    t = −[y·log c + (1 − y)·log(1 − c)]    dt/dp = (1 − y)/(1 − c) − y/c
///   CCE    t = −y·log c                           dt/dp = −y/c
///   sparse CCE with y = 1 at the label, 0 elsewhere; dt/dp = 0 wherever c ≠ p.
/// Every element carries a weight w (its sample's, its own, or 1). The reduced value is
/// Σ w·t / D and the gradient w·dt/dp / D, with D = 1 for the sum and, for the mean, the
/// total weight of the terms: every element's w for MSE/BCE (M·Σwᵢ with sample weights),
/// every row's for the categorical losses, whose term is a row. Per sample: the row's
/// mean (MSE/BCE) or sum (categorical) of t.
struct Reference {
  LD value = 0;
  Array<LD> gradient, per_element;
  Vector<LD> per_sample;
};

LD xlogz(LD x, LD z) { return x == 0 ? 0 : x * std::log(z); }
LD ratio(LD x, LD z) { return x == 0 ? 0 : x / z; }

template <class Kind>
Reference reference(const Problem& pb, Weighting weighting, Reduction reduction, LD eps) {
  const Eigen::Index n = pb.rows(), m = pb.cols();
  Reference r{0, Array<LD>::Zero(n, m), Array<LD>::Zero(n, m), Vector<LD>::Zero(n)};
  LD weighted_sum = 0, total_weight = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const LD row_weight = weighting == Weighting::per_sample ? pb.sample_weight(i) : 1;
    if (!Kind::element_terms) total_weight += row_weight;
    for (Eigen::Index j = 0; j < m; ++j) {
      const LD y = Kind::sparse ? LD(j == pb.labels(i)) : LD(pb.y(i, j)), p = pb.p(i, j);
      const LD c = Kind::probabilities ? std::clamp(p, eps, 1 - eps) : p;
      LD t, d;
      if constexpr (!Kind::probabilities) {
        t = (p - y) * (p - y), d = 2 * (p - y);
      } else if constexpr (Kind::element_terms) {
        t = -(xlogz(y, c) + xlogz(1 - y, 1 - c)), d = ratio(1 - y, 1 - c) - ratio(y, c);
      } else {
        t = -xlogz(y, c), d = -ratio(y, c);
      }
      if (c != p) d = 0;
      const LD w = weighting == Weighting::per_element ? LD(pb.element_weight(i, j)) : row_weight;
      if (Kind::element_terms) total_weight += w;
      if (w != 0) weighted_sum += w * t;
      r.gradient(i, j) = w * d;
      r.per_element(i, j) = t;
      r.per_sample(i) += t;
    }
  }
  if (Kind::element_terms) r.per_sample /= LD(m);
  const LD denominator = reduction == Reduction::sum ? 1 : total_weight;
  r.value = denominator > 0 ? weighted_sum / denominator : 0;
  r.gradient = denominator > 0 ? Array<LD>(r.gradient / denominator) : Array<LD>(Array<LD>::Zero(n, m));
  return r;
}

/// A large problem with predictions in [0.001, 0.999], some exactly on their 0/1 targets
/// (0·log 0 and one-sided gradients with ε = 0) and, where ε > 0 clips them, some certain
/// and wrong.
template <class Kind>
Problem large_problem(Eigen::Index rows, Eigen::Index cols, bool clipping) {
  Problem pb = contract::make_problem<Kind>(rows, cols, 108, 0.001);
  if constexpr (Kind::probabilities) {
    for (Eigen::Index i = 0; i < rows; ++i) {
      for (Eigen::Index j = 0; j < cols; ++j) {
        const double y = Kind::sparse ? double(j == pb.labels(i)) : pb.y(i, j);
        if ((i * cols + j) % 11 == 0 && (y == 0 || y == 1)) pb.p(i, j) = y;
        if (clipping && (i * cols + j) % 13 == 0) pb.p(i, j) = double((i + j) % 2);
      }
    }
  }
  return pb;
}

/// The loss's ε as long double; 0 for MSE, which has none.
template <class Loss>
LD epsilon_of(const Loss& loss) {
  if constexpr (std::is_same_v<Loss, losses::MeanSquaredError<typename Loss::Array::Scalar>>) {
    return 0;
  } else {
    return static_cast<LD>(loss.epsilon());
  }
}

template <class Kind, class S, class Storage>
void check_large(const Problem& pb, bool clipping) {
  auto loss = typename Kind::template Loss<S>{};
  if constexpr (Kind::probabilities) {
    if (!clipping) loss.epsilon(0);
  }
  const auto y = [&] {
    if constexpr (Kind::sparse) {
      return pb.labels;
    } else {
      return Storage(pb.y.cast<S>());
    }
  }();
  const Storage p = pb.p.cast<S>();
  const Storage element_w = pb.element_weight.cast<S>();
  const Vector<S> sample_w = pb.sample_weight.cast<S>();
  const double eps = contract::eps<S>();
  // Tolerances. Value: each term is good to a few ulps, and each 256-term block is summed
  // by Eigen in at most 64 sequential additions per SIMD lane (all terms >= 0, so relative
  // error at most that many ulps); blocks are added with compensation. 128 ulps, plus
  // 1e-15 for the reference's own plain long double sum of up to 3000 terms.
  // Gradient: a handful of roundings per element: 16 ulps of the largest element.
  // Per sample: the M terms of a row may be added one at a time: (M + 128) ulps.
  const double value_rel = 128 * eps + 1e-15, gradient_rel = 16 * eps + 1e-15;
  const double per_sample_rel = (double(pb.cols()) + 128) * eps + 1e-15;

  for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
    loss.reduction(reduction);
    for (const Weighting weighting : contract::weightings<Kind>()) {
      INFO((reduction == Reduction::mean ? "mean, " : "sum, ") << contract::weighting_name(weighting));
      const Reference expected = reference<Kind>(pb, weighting, reduction, epsilon_of(loss));
      const auto [value, gradient] = [&] {
        switch (weighting) {
          case Weighting::per_sample: return loss.value_and_gradient(y, p, sample_w);
          case Weighting::per_element: return loss.value_and_gradient(y, p, element_w);
          case Weighting::none: break;
        }
        return loss.value_and_gradient(y, p);
      }();
      CHECK(support::close(value, expected.value, value_rel, 0));
      contract::check_all_close(gradient, expected.gradient, gradient_rel * contract::max_abs(expected.gradient),
                                "gradient");
    }
  }
  const Reference terms = reference<Kind>(pb, Weighting::none, Reduction::sum, epsilon_of(loss));
  contract::check_all_close(loss.per_sample(y, p), terms.per_sample,
                            per_sample_rel * contract::max_abs(terms.per_sample), "per_sample");
  if constexpr (Kind::element_terms) {
    contract::check_all_close(loss.per_element(y, p), terms.per_element,
                              gradient_rel * contract::max_abs(terms.per_element), "per_element");
  }
}

}  // namespace

TEMPLATE_TEST_CASE("inputs spanning many blocks agree with a long double evaluation of the formulas",
                   "[expressions]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  // 1000 x 3 walks columns of four blocks, 3 x 1000 (row-major) rows of four blocks, and
  // 257 rows leave a block of one. ε = 0 sends blocks holding 0·log 0 to the exact path.
  const std::pair<Eigen::Index, Eigen::Index> shapes[] = {{1000, 3}, {3, 1000}, {257, 2}};
  for (const auto& shape : shapes) {
    const Eigen::Index rows = shape.first, cols = shape.second;  // (C++17 lambdas cannot capture bindings)
    for (const bool clipping : {true, false}) {
      if (!clipping && !Kind::probabilities) continue;
      const Problem pb = large_problem<Kind>(rows, cols, clipping);
      const auto run = [&](auto scalar, const char* type) {
        using S = decltype(scalar);
        INFO(rows << " x " << cols << ", " << (clipping ? "default epsilon" : "epsilon = 0") << ", " << type);
        {
          INFO("column-major");
          check_large<Kind, S, Array<S>>(pb, clipping);
        }
        INFO("row-major");
        check_large<Kind, S, RowArray<S>>(pb, clipping);
      };
      run(float{}, "float");
      run(double{}, "double");
      run(LD{}, "long double");  // long double compiles and runs, as accurately
    }
  }
}
