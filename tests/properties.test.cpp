// Properties every loss has whatever its inputs, checked as relations between the
// library's own outputs on seeded random problems: invariance under a permutation of the
// rows and under a rescaling of the weights, the reductions' documented denominators, the
// agreement of the entry points, of storage layouts and of float with double, and calls
// from several threads at once on one const loss.
#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <losses/losses.hpp>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "support.hpp"
#include "contract.hpp"

namespace {

using contract::make_loss;
using contract::Problem;
using contract::Results;
using contract::results_of;
using contract::Setting;
using contract::Unweighted;
using contract::Weighting;
using losses::Reduction;
using support::Array;
using support::Form;
template <class S>
using Vector = Eigen::Array<S, Eigen::Dynamic, 1>;

// ---------------------------------------------------------------------------------------
// The problems: shapes and option sets

struct Shape {
  Eigen::Index rows, cols;
  std::uint32_t seed;
};

// A single element; a few rows, not a whole number of SIMD packets; a column longer than
// one 256-term block; several row blocks of 10 classes, the last one partial; rows longer
// than one 256-term block (the row-major walk splits them). No size is a multiple of 8.
constexpr Shape shapes[] = {{1, 1, 401}, {7, 3, 402}, {300, 2, 403}, {1000, 10, 404}, {5, 300, 405}};

// Label smoothing 0.1 rounded to float, so that float and double losses get the same option.
constexpr double smoothing = static_cast<double>(0.1f);

/// The option sets under test: the defaults, each training option alone, and all of them
/// together (MSE has no option but the reduction).
template <class Kind>
std::vector<Setting> option_sets() {
  std::vector<Setting> sets{{"defaults", false, 0}};
  if constexpr (Kind::probabilities) {
    sets.push_back({"logits", false, 0, true});
    sets.push_back({"label smoothing 0.1", false, 0, false, smoothing});
    sets.push_back({"class or positive-class weights", false, 0, false, 0, true});
    if constexpr (Kind::sparse) {
      sets.push_back({"an ignored label", false, 0, false, 0, false, true});
      sets.push_back({"logits with label smoothing, class weights and an ignored label", false, 0, true, smoothing,
                      true, true});
    } else if constexpr (!Kind::element_terms) {
      sets.push_back({"renormalized rows", false, 0, false, 0, false, false, true});
      sets.push_back({"renormalized rows with label smoothing and class weights", false, 0, false, smoothing, true,
                      false, true});
      sets.push_back({"logits with label smoothing and class weights", false, 0, true, smoothing, true});
    } else {
      sets.push_back({"logits with label smoothing and positive-class weights", false, 0, true, smoothing, true});
    }
  }
  return sets;
}

/// Calls f(problem, setting) for every shape and option set, with logits where the
/// setting takes them.
template <class Kind, class F>
void for_each_problem(F&& f) {
  for (const Shape& shape : shapes) {
    for (const Setting& setting : option_sets<Kind>()) {
      Problem pb = contract::make_problem<Kind>(shape.rows, shape.cols, shape.seed);
      if (setting.logits) contract::to_logits(pb);
      INFO(Kind::name << ", " << shape.rows << " x " << shape.cols << ", " << setting.name);
      f(pb, setting);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Helpers

/// The tolerance of a result computed twice with its operations in another order (rows
/// permuted, another storage order, rescaled weights), relative to the value or to an
/// array's largest element. Each value is a sum of non-negative terms, whose relative error
/// is at most the unit roundoff times its longest chain of roundings, a few dozen (see
/// "Float against double" below); 64 ulps covers two such sums and the ulp or two by which
/// a vectorised log or exp may differ from the scalar one that takes a block's remainder.
/// The largest difference seen was under 8 ulps.
template <class S>
double reordering_tolerance() {
  return 64 * contract::eps<S>();
}

/// Checks every element of `actual` within rel·max|expected| of `expected`.
template <class A, class B>
void check_arrays_close(const Eigen::DenseBase<A>& actual, const Eigen::DenseBase<B>& expected, double rel,
                        const char* what) {
  contract::check_all_close(actual, expected, rel * contract::max_abs(expected), what);
}

/// Checks that two computations agree within rel: the value relative to itself, each
/// array relative to its largest element.
template <class S>
void check_results_close(const Results<S>& actual, const Results<S>& expected, double rel) {
  support::check_value(actual.value, static_cast<double>(expected.value), rel, "value");
  check_arrays_close(actual.per_sample, expected.per_sample, rel, "per_sample");
  check_arrays_close(actual.gradient, expected.gradient, rel, "gradient");
  check_arrays_close(actual.per_element, expected.per_element, rel, "per_element");
}

/// Bit for bit (so +0 and −0 differ, as they would for a caller dividing by them).
template <class S, class = std::enable_if_t<std::is_floating_point_v<S>>>
bool identical(S a, S b) {
  return std::memcmp(&a, &b, sizeof(S)) == 0;
}
template <class D>
bool identical(const Eigen::PlainObjectBase<D>& a, const Eigen::PlainObjectBase<D>& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(typename D::Scalar) * static_cast<std::size_t>(a.size())) == 0;
}

/// Weights converted to T; no weights stay none.
template <class T>
Unweighted weights_in(Unweighted none) {
  return none;
}
template <class T, class D>
auto weights_in(const Eigen::ArrayBase<D>& w) {
  return w.template cast<T>().eval();
}

/// A random permutation of 0..n-1: Fisher–Yates over contract::Random, the same on every
/// standard library (std::shuffle's algorithm is unspecified).
std::vector<Eigen::Index> random_permutation(Eigen::Index n, std::uint32_t seed) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  contract::Random random(seed);
  for (Eigen::Index i = n - 1; i > 0; --i) {
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(random.index(i + 1))]);
  }
  return order;
}

/// Row i of the result is row order[i] of x.
template <class D>
typename D::PlainObject rows_in_order(const Eigen::DenseBase<D>& x, const std::vector<Eigen::Index>& order) {
  typename D::PlainObject out(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i) out.row(i) = x.derived().row(order[static_cast<std::size_t>(i)]);
  return out;
}
Unweighted rows_in_order(Unweighted none, const std::vector<Eigen::Index>&) { return none; }

/// The problem with its rows in the given order: targets, labels, predictions and weights.
Problem permuted(const Problem& pb, const std::vector<Eigen::Index>& order) {
  Problem out;
  out.y = rows_in_order(pb.y, order);
  out.labels = rows_in_order(pb.labels, order);
  out.p = rows_in_order(pb.p, order);
  out.sample_weight = rows_in_order(pb.sample_weight, order);
  out.element_weight = rows_in_order(pb.element_weight, order);
  return out;
}

/// What the mean divides by, as the README documents it, computed from the problem: the
/// total weight of the terms (a per-sample weight counts once per element of its row for
/// the element-wise losses); for the sparse loss with class weights or an ignore index,
/// Σ wᵢ·c_{yᵢ} over the rows that are not ignored. The dense categorical loss's class
/// weights do not enter it.
template <class Kind>
long double mean_denominator(const Problem& pb, Weighting weighting, const Setting& setting) {
  const auto sample_weight = [&](Eigen::Index i) -> long double {
    return weighting == Weighting::per_sample ? pb.sample_weight(i) : 1.0L;
  };
  long double total = 0;
  if constexpr (Kind::element_terms) {
    if (weighting == Weighting::per_element) return pb.element_weight.cast<long double>().sum();
    for (Eigen::Index i = 0; i < pb.rows(); ++i) total += sample_weight(i) * static_cast<long double>(pb.cols());
  } else if constexpr (Kind::sparse) {
    const Vector<double> class_weight = contract::column_weights<double>(pb.cols());
    for (Eigen::Index i = 0; i < pb.rows(); ++i) {
      if (setting.ignore && pb.labels(i) == contract::ignored_label) continue;
      total += sample_weight(i) * (setting.weighted_classes ? class_weight(pb.labels(i)) : 1.0L);
    }
  } else {
    for (Eigen::Index i = 0; i < pb.rows(); ++i) total += sample_weight(i);
  }
  return total;
}

const char* scalar_name(float) { return "float"; }
const char* scalar_name(double) { return "double"; }

// ---------------------------------------------------------------------------------------
// 1. Permuting the rows

template <class Kind, class S>
void check_permutation(const Problem& pb, const Setting& setting) {
  const auto loss = make_loss<Kind, S>(Reduction::mean, setting, pb.cols());
  const std::vector<Eigen::Index> order = random_permutation(pb.rows(), 901);
  const Problem shuffled = permuted(pb, order);
  const auto y = contract::y_true<Kind, S>(pb);
  const auto y_shuffled = contract::y_true<Kind, S>(shuffled);
  const Array<S> p = pb.p.cast<S>(), p_shuffled = shuffled.p.cast<S>();
  for (const Weighting weighting : contract::weightings<Kind>()) {
    INFO(contract::weighting_name(weighting) << ", " << scalar_name(S{}));
    contract::with_weights<S>(pb, weighting, [&](const auto& w) {
      const Results<S> r = results_of<S>(loss, y, p, w);
      Results<S> expected;
      expected.value = r.value;
      expected.per_sample = rows_in_order(r.per_sample, order);
      expected.gradient = rows_in_order(r.gradient, order);
      expected.per_element = rows_in_order(r.per_element, order);
      check_results_close(results_of<S>(loss, y_shuffled, p_shuffled, rows_in_order(w, order)), expected,
                          reordering_tolerance<S>());
    });
  }
}

// ---------------------------------------------------------------------------------------
// 2. Scaling the weights

template <class Kind, class S>
void check_weight_scaling(const Problem& pb, const Setting& setting) {
  const auto mean = make_loss<Kind, S>(Reduction::mean, setting, pb.cols());
  const auto sum = make_loss<Kind, S>(Reduction::sum, setting, pb.cols());
  const auto y = contract::y_true<Kind, S>(pb);
  const Array<S> p = pb.p.cast<S>();
  const double tolerance = reordering_tolerance<S>();
  for (const Weighting weighting : contract::weightings<Kind>()) {
    if (weighting == Weighting::none) continue;
    contract::with_weights<double>(pb, weighting, [&](const auto& w) {
      if constexpr (!std::is_same_v<std::decay_t<decltype(w)>, Unweighted>) {
        const auto w_s = weights_in<S>(w);
        const Results<S> mean_results = results_of<S, false>(mean, y, p, w_s);
        const Results<S> sum_results = results_of<S, false>(sum, y, p, w_s);
        // 0.37 rounds each weight (by at most half an ulp, so the mean moves by at most
        // that); 1024 is exact.
        for (const double factor : {0.37, 1024.0}) {
          INFO(contract::weighting_name(weighting) << " times " << factor << ", " << scalar_name(S{}));
          const auto scaled = weights_in<S>((factor * w).eval());
          const Results<S> scaled_mean = results_of<S, false>(mean, y, p, scaled);
          const Results<S> scaled_sum = results_of<S, false>(sum, y, p, scaled);
          support::check_value(scaled_mean.value, static_cast<double>(mean_results.value), tolerance, "mean");
          check_arrays_close(scaled_mean.gradient, mean_results.gradient, tolerance, "gradient of the mean");
          support::check_value(scaled_sum.value, factor * static_cast<double>(sum_results.value), tolerance, "sum");
          check_arrays_close(scaled_sum.gradient, (factor * sum_results.gradient.template cast<double>()).eval(),
                             tolerance, "gradient of the sum");
        }
      }
    });
  }
}

// ---------------------------------------------------------------------------------------
// 3. The sum is the mean times its denominator

template <class Kind, class S>
void check_denominator(const Problem& pb, const Setting& setting) {
  const auto mean = make_loss<Kind, S>(Reduction::mean, setting, pb.cols());
  const auto sum = make_loss<Kind, S>(Reduction::sum, setting, pb.cols());
  const auto y = contract::y_true<Kind, S>(pb);
  const Array<S> p = pb.p.cast<S>();
  const double tolerance = reordering_tolerance<S>();
  for (const Weighting weighting : contract::weightings<Kind>()) {
    const long double denominator = mean_denominator<Kind>(pb, weighting, setting);
    INFO(contract::weighting_name(weighting) << ", " << scalar_name(S{}) << ", denominator "
                                             << static_cast<double>(denominator));
    REQUIRE(denominator > 0);  // a zero total weight makes the mean 0 whatever the sum
    contract::with_weights<S>(pb, weighting, [&](const auto& w) {
      const Results<S> mean_results = results_of<S, false>(mean, y, p, w);
      const Results<S> sum_results = results_of<S, false>(sum, y, p, w);
      support::check_value(sum_results.value, static_cast<double>(denominator * mean_results.value), tolerance,
                           "sum against mean times denominator");
      check_arrays_close(sum_results.gradient, (denominator * mean_results.gradient.template cast<long double>()).eval(),
                         tolerance, "gradient of the sum against denominator times the mean's");
    });
  }
}

// ---------------------------------------------------------------------------------------
// 4. The entry points agree

template <class Kind, class S>
void check_entry_points(const Problem& pb, const Setting& setting) {
  const auto y = contract::y_true<Kind, S>(pb);
  const Array<S> p = pb.p.cast<S>();
  for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
    const auto loss = make_loss<Kind, S>(reduction, setting, pb.cols());
    for (const Weighting weighting : contract::weightings<Kind>()) {
      INFO((reduction == Reduction::mean ? "mean, " : "sum, ") << contract::weighting_name(weighting) << ", "
                                                                 << scalar_name(S{}));
      contract::with_weights<S>(pb, weighting, [&](const auto& w) {
        const S value = contract::value_of(loss, y, p, w);
        const Array<S> gradient = contract::gradient_of(loss, y, p, w);
        const auto fused = contract::value_and_gradient_of(loss, y, p, w);
        Array<S> into = Array<S>::Constant(p.rows(), p.cols(), std::numeric_limits<S>::quiet_NaN());
        const S into_value = contract::into_of(loss, y, p, into, w);
        // The same kernels on the same layout: the same operations in the same order.
        CHECK(identical(fused.value, value));
        CHECK(identical(into_value, value));
        CHECK(identical(fused.gradient, gradient));
        CHECK(identical(into, gradient));
      });
    }
  }
}

// ---------------------------------------------------------------------------------------
// 5. Storage layouts

/// The layouts compared with plain arrays: four of support's forms, and a transpose of a
/// transpose over the plain array's own memory.
enum class Layout { map, row_major, block, stored_transpose, transpose_of_transpose };

const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::map: return support::form_name(Form::map);
    case Layout::row_major: return support::form_name(Form::row_major);
    case Layout::block: return support::form_name(Form::block);
    case Layout::stored_transpose: return "transpose of a stored transpose";
    case Layout::transpose_of_transpose: return "transpose of a transpose";
  }
  return "";
}

template <Layout L, class T>
decltype(auto) in_layout(const support::Stored<T>& s) {
  if constexpr (L == Layout::map) {
    return support::view<Form::map>(s);
  } else if constexpr (L == Layout::row_major) {
    return support::view<Form::row_major>(s);
  } else if constexpr (L == Layout::block) {
    return support::view<Form::block>(s);
  } else if constexpr (L == Layout::stored_transpose) {
    return support::view<Form::transpose>(s);
  } else {
    return s.plain.transpose().transpose();
  }
}

template <class F>
void for_each_layout(F&& f) {
  f(std::integral_constant<Layout, Layout::map>{});
  f(std::integral_constant<Layout, Layout::row_major>{});
  f(std::integral_constant<Layout, Layout::block>{});
  f(std::integral_constant<Layout, Layout::stored_transpose>{});
  f(std::integral_constant<Layout, Layout::transpose_of_transpose>{});
}

template <class Kind, class S>
void check_layouts(const Problem& pb, const Setting& setting) {
  const auto loss = make_loss<Kind, S>(Reduction::mean, setting, pb.cols());
  const auto y = contract::stored_targets<Kind, S>(pb);
  const support::Stored<S> p(pb.p.cast<S>());
  const support::Stored<S> sample_w(Array<S>(pb.sample_weight.cast<S>()));
  const support::Stored<S> element_w(pb.element_weight.cast<S>());
  // A storage order changes the order of the sums, and may put an element in a vectorised
  // lane in one layout and in a scalar remainder in another.
  const double tolerance = reordering_tolerance<S>();
  const Results<S> plain = results_of<S>(loss, y.plain, p.plain, Unweighted{});
  const Results<S> plain_sample = results_of<S, false>(loss, y.plain, p.plain, sample_w.plain);

  for_each_layout([&](auto layout) {
    constexpr Layout L = decltype(layout)::value;
    INFO(layout_name(L) << ", " << scalar_name(S{}));
    {
      INFO("unweighted");
      check_results_close(results_of<S>(loss, in_layout<L>(y), in_layout<L>(p), Unweighted{}), plain, tolerance);
    }
    {
      INFO("per-sample weights");
      check_results_close(results_of<S, false>(loss, in_layout<L>(y), in_layout<L>(p), in_layout<L>(sample_w)),
                          plain_sample, tolerance);
    }
    if constexpr (Kind::element_terms) {
      INFO("element weights");
      check_results_close(results_of<S, false>(loss, in_layout<L>(y), in_layout<L>(p), in_layout<L>(element_w)),
                          results_of<S, false>(loss, y.plain, p.plain, element_w.plain), tolerance);
    }
  });
}

// ---------------------------------------------------------------------------------------
// 6. Float against double

// The inputs are the same numbers in both (every problem value, weight and option is a
// float, and the cross-entropies clip at float's epsilon in both), so the difference is
// float's own rounding: u = 2^-24 ≈ 6e-8 per operation (ε = 2u = 1.19e-7).
// - The value: every loss is a weighted sum of non-negative terms (the README's formulas),
//   so the sum's condition number is 1 and its relative error is at most u times its
//   longest chain of roundings: a term's own (target transform, log or exp, products,
//   weight and scale: under 10), the additions of a 256-term block's vectorised sum (at
//   most ~40: 4 SSE lanes, two accumulators; block sums are added in double) and, for the
//   categorical losses, the K − 1 additions along a row. Renormalised rows also carry the
//   ≤ K roundings of q = p/Σp, through log's condition 1/|log q|: at most 9.5 for K = 2
//   (q ≤ 0.9), 1.4 for K = 10 (q ≤ 0.5), about 20u either way. For K ≤ 10 that is under
//   80u ≈ 4.8e-6, within 1e-5. Rows of 300 classes make longer chains (2e-5 in the worst
//   case) of independent roundings, whose sum grows like the square root of the length:
//   about 20u ≈ 1.2e-6.
// - A gradient element is a few roundings of parts no larger than a small multiple of the
//   array's largest element (T·softmax and t on logits, d and Σdq on renormalised rows,
//   each times the row's factor), plus those of the row sums (Σt, Σe^z, Σp) it goes
//   through: 1e-5·max|g| is 168u of it.
// The largest difference seen, for the value and the gradient, was under 1e-6.
constexpr double float_against_double = 1e-5;

template <class Kind>
void check_float_against_double(const Problem& pb, Setting setting) {
  setting.set_epsilon = true;
  setting.epsilon = contract::eps<float>();
  const auto loss_f = make_loss<Kind, float>(Reduction::mean, setting, pb.cols());
  const auto loss_d = make_loss<Kind, double>(Reduction::mean, setting, pb.cols());
  const auto y_f = contract::y_true<Kind, float>(pb);
  const auto y_d = contract::y_true<Kind, double>(pb);
  const Array<float> p_f = pb.p.cast<float>();
  for (const Weighting weighting : contract::weightings<Kind>()) {
    INFO(contract::weighting_name(weighting));
    contract::with_weights<double>(pb, weighting, [&](const auto& w) {
      const Results<float> f = results_of<float>(loss_f, y_f, p_f, weights_in<float>(w));
      const Results<double> d = results_of<double>(loss_d, y_d, pb.p, w);
      support::check_value(f.value, d.value, float_against_double, "value");
      check_arrays_close(f.per_sample, d.per_sample, float_against_double, "per_sample");
      check_arrays_close(f.gradient, d.gradient, float_against_double, "gradient");
    });
  }
}

// ---------------------------------------------------------------------------------------
// 7. Concurrent calls

/// One thread's inputs: targets or labels, predictions (logits where the setting takes
/// them) and per-sample weights.
template <class Kind, class S>
struct ThreadInputs {
  decltype(contract::y_true<Kind, S>(std::declval<const Problem&>())) y;
  Array<S> p;
  Vector<S> w;

  ThreadInputs(Eigen::Index rows, Eigen::Index cols, std::uint32_t seed, const Setting& setting) {
    Problem pb = contract::make_problem<Kind>(rows, cols, seed);
    if (setting.logits) contract::to_logits(pb);
    y = contract::y_true<Kind, S>(pb);
    p = pb.p.cast<S>();
    w = pb.sample_weight.cast<S>();
  }
};

/// What each thread computes: the weighted value, the per-sample values, the unweighted
/// gradient and the weighted value and gradient into the thread's own storage.
template <class S>
struct ThreadResults {
  S value{};
  Vector<S> per_sample;
  Array<S> gradient;
  S into_value{};
  Array<S> into_gradient;

  bool operator==(const ThreadResults& other) const {
    return identical(value, other.value) && identical(per_sample, other.per_sample) &&
           identical(gradient, other.gradient) && identical(into_value, other.into_value) &&
           identical(into_gradient, other.into_gradient);
  }
};

template <class S, class Loss, class Inputs>
void compute_into(const Loss& loss, const Inputs& in, ThreadResults<S>& out) {
  out.value = loss(in.y, in.p, in.w);
  out.per_sample = loss.per_sample(in.y, in.p);
  out.gradient = loss.gradient(in.y, in.p);
  out.into_gradient.resize(in.p.rows(), in.p.cols());
  out.into_value = loss.value_and_gradient_into(in.y, in.p, out.into_gradient, in.w);
}

template <class Kind, class S>
void check_concurrent_calls() {
  constexpr int threads = 4, iterations = 100;
  constexpr Eigen::Index classes = 5;
  const Setting setting = option_sets<Kind>().back();  // every option the loss has, at once
  INFO(Kind::name << ", " << setting.name << ", " << scalar_name(S{}));
  const auto loss = make_loss<Kind, S>(Reduction::mean, setting, classes);

  // Input 0 is shared by every thread (257 rows: two row blocks); input t + 1 is thread
  // t's own, each of another height.
  std::vector<ThreadInputs<Kind, S>> inputs;
  inputs.emplace_back(257, classes, 700, setting);
  for (int t = 0; t < threads; ++t) {
    inputs.emplace_back(40 + 61 * t, classes, static_cast<std::uint32_t>(701 + t), setting);
  }
  std::vector<ThreadResults<S>> expected(inputs.size());
  for (std::size_t k = 0; k < inputs.size(); ++k) compute_into(loss, inputs[k], expected[k]);

  // Catch2's assertions are not thread-safe: the threads count, the main thread checks.
  std::vector<int> mismatches(threads, 0);
  std::vector<std::string> errors(threads);
  std::atomic<bool> start{false};  // so that the threads' calls overlap from the first
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const auto slot = static_cast<std::size_t>(t);
      while (!start.load()) std::this_thread::yield();
      try {
        ThreadResults<S> results;
        for (int iteration = 0; iteration < iterations; ++iteration) {
          for (const std::size_t k : {std::size_t{0}, slot + 1}) {
            compute_into(loss, inputs[k], results);
            if (!(results == expected[k])) ++mismatches[slot];
          }
        }
      } catch (const std::exception& e) {
        errors[slot] = e.what();
      }
    });
  }
  start.store(true);
  for (std::thread& thread : pool) thread.join();
  for (std::size_t t = 0; t < static_cast<std::size_t>(threads); ++t) {
    INFO("thread " << t);
    CHECK(errors[t].empty());
    CHECK(mismatches[t] == 0);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("permuting the rows permutes per_sample and the gradient and keeps the value", "[properties]",
                   contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  for_each_problem<TestType>([](const Problem& pb, const Setting& setting) {
    contract::for_each_scalar([&](auto scalar) { check_permutation<TestType, decltype(scalar)>(pb, setting); });
  });
}

TEMPLATE_TEST_CASE("scaling every weight by a positive constant keeps the mean and scales the sum",
                   "[properties]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  for_each_problem<TestType>([](const Problem& pb, const Setting& setting) {
    contract::for_each_scalar([&](auto scalar) { check_weight_scaling<TestType, decltype(scalar)>(pb, setting); });
  });
}

TEMPLATE_TEST_CASE("the sum and its gradient are the mean and its gradient times the documented denominator",
                   "[properties]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  for_each_problem<TestType>([](const Problem& pb, const Setting& setting) {
    contract::for_each_scalar([&](auto scalar) { check_denominator<TestType, decltype(scalar)>(pb, setting); });
  });
}

TEMPLATE_TEST_CASE("value_and_gradient() and value_and_gradient_into() equal operator() and gradient() bit for bit",
                   "[properties]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  for_each_problem<TestType>([](const Problem& pb, const Setting& setting) {
    contract::for_each_scalar([&](auto scalar) { check_entry_points<TestType, decltype(scalar)>(pb, setting); });
  });
}

TEMPLATE_TEST_CASE("row-major Maps and copies and blocks and double transposes agree with plain arrays",
                   "[properties]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  for_each_problem<TestType>([](const Problem& pb, const Setting& setting) {
    contract::for_each_scalar([&](auto scalar) { check_layouts<TestType, decltype(scalar)>(pb, setting); });
  });
}

TEMPLATE_TEST_CASE("float results are within their error bound of double results on the same inputs",
                   "[properties]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  for_each_problem<TestType>(
      [](const Problem& pb, const Setting& setting) { check_float_against_double<TestType>(pb, setting); });
}

TEMPLATE_TEST_CASE("one const loss called from four threads at once gives the single-threaded results bit for bit",
                   "[properties][threads]", contract::MseKind, contract::BceKind, contract::CceKind,
                   contract::SparseKind) {
  contract::for_each_scalar([](auto scalar) { check_concurrent_calls<TestType, decltype(scalar)>(); });
}
