// The benchmarks compiled once per build flavour: this library's entry points, the
// tutorial's loops, and the bounds (a STREAM-like pass over the same bytes, and Eigen's
// vectorised log/exp for the calls each loss must make). LibTorch lives in torch.cpp.
#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include <losses/losses.hpp>

#include "problems.hpp"

#ifndef LOSSES_BENCH_FLAVOUR
#define LOSSES_BENCH_FLAVOUR "unnamed"
#endif
#ifndef LOSSES_BENCH_FLAGS
#define LOSSES_BENCH_FLAGS ""
#endif

namespace losses_bench {
namespace {

template <class S, int Order>
using ConstTable = Eigen::Map<const Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic, Order>>;
template <class S, int Order>
using Table = Eigen::Map<Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic, Order>>;
template <class S>
using Vector = Eigen::Map<const Eigen::Array<S, Eigen::Dynamic, 1>>;
using Labels = Eigen::Map<const Eigen::Array<std::int64_t, Eigen::Dynamic, 1>>;

/// The buffer a loss reads its predictions from.
enum class Input { probabilities, logits };

template <class S>
const S* predictions(const Problem<S>& d, Input input) {
  return input == Input::logits ? d.x : d.p;
}

/// Calls f(y_true, y_pred, gradient_out) with Maps over problem d read in storage order
/// `Order`: y_true is the N labels when `LabelTargets`, else the dense N x K targets.
///
/// An element-wise problem (K = 1) is read as an N x 1 column. A categorical problem is
/// stored sample-major (N x K row-major, as LibTorch reads it); read with Order = ColMajor
/// (Eigen's default layout) the same bytes form a different but equally valid problem, for
/// comparing the library's speed on the two layouts.
template <class S, int Order, bool LabelTargets, class F>
decltype(auto) with_arguments(const Problem<S>& d, Input input, F&& f) {
  const ConstTable<S, Order> p(predictions(d, input), d.rows, d.cols);
  Table<S, Order> g(d.g, d.rows, d.cols);
  if constexpr (LabelTargets) {
    return f(Labels(d.labels, d.rows), p, g);
  } else {
    return f(ConstTable<S, Order>(d.y, d.rows, d.cols), p, g);
  }
}

/// Detects the logits option the library is to gain (`from_logits(true)`), so that the
/// logit-space registrations below switch on by themselves when it lands.
template <class L, class = void>
struct has_from_logits : std::false_type {};
template <class L>
struct has_from_logits<L, std::void_t<decltype(std::declval<L&>().from_logits(true))>> : std::true_type {};

/// How a loss case is laid out and named.
struct Case {
  std::string loss;   ///< "bce", "sparse_cce_logits", ...
  std::string group;  ///< the cross-check group: the probability-space case with the same value
  Index count, classes;
  Input input;

  template <class S>
  std::string name() const {
    return case_name(loss, scalar_name<S>(), count, classes);
  }
  Index rows() const { return count / classes; }
};

/// The library's three entry points on one case: the value; the value then the gradient,
/// as two calls (the gradient allocates its result); value_and_gradient_into caller storage.
/// For categorical cases value_and_gradient_into is also timed on the column-major reading.
template <class S, bool LabelTargets, class Loss>
void library_ops(const Case& c, const Loss& loss) {
  const std::string name = c.name<S>();
  const Traffic value_traffic = LabelTargets ? Traffic::labels_input : Traffic::two_inputs;
  const Traffic both_traffic = LabelTargets ? Traffic::labels_input_output : Traffic::two_inputs_output;
  const double elements = static_cast<double>(c.count);
  const double value_bytes = bytes<S>(value_traffic, c.rows(), c.classes);
  const double both_bytes = bytes<S>(both_traffic, c.rows(), c.classes);

  const auto run = [c, loss](auto order, auto&& body) {
    const auto& d = problem<S>(c.count, c.classes);
    constexpr int O = decltype(order)::value;
    return with_arguments<S, O, LabelTargets>(d, c.input, body);
  };
  using RowMajor = std::integral_constant<int, Eigen::RowMajor>;
  using ColMajor = std::integral_constant<int, Eigen::ColMajor>;
  // An N x 1 column is read column-major: read row-major, each row would be its own block.
  const bool column = c.classes == 1;

  const auto add = [&](const std::string& impl, double bytes_per_call, bool col_major, auto body) {
    add_benchmark(name + "/" + impl, elements, bytes_per_call, [run, body, col_major](benchmark::State& state) {
      const auto timed = [&](const auto& y, const auto& p, auto& g) {
        for (auto _ : state) body(y, p, g);
        return 0;
      };
      if (col_major) {
        run(ColMajor{}, timed);
      } else {
        run(RowMajor{}, timed);
      }
    });
  };

  add("library.value", value_bytes, column, [loss](const auto& y, const auto& p, auto&) {
    S value = loss(y, p);
    benchmark::DoNotOptimize(value);
  });
  add("library.value+gradient", both_bytes, column, [loss](const auto& y, const auto& p, auto&) {
    S value = loss(y, p);
    auto gradient = loss.gradient(y, p);
    benchmark::DoNotOptimize(value);
    benchmark::DoNotOptimize(gradient.data());
    benchmark::ClobberMemory();
  });
  add("library.into", both_bytes, column, [loss](const auto& y, const auto& p, auto& g) {
    S value = loss.value_and_gradient_into(y, p, g);
    benchmark::DoNotOptimize(value);
    benchmark::ClobberMemory();
  });
  if (!column) {
    add("library.into_colmajor", both_bytes, true, [loss](const auto& y, const auto& p, auto& g) {
      S value = loss.value_and_gradient_into(y, p, g);
      benchmark::DoNotOptimize(value);
      benchmark::ClobberMemory();
    });
  }

  add_check(c.group, name + "/library.value", check_tolerance<S>(), [run, loss, column]() {
    const auto value = [&](const auto& y, const auto& p, auto&) { return static_cast<double>(loss(y, p)); };
    return column ? run(ColMajor{}, value) : run(RowMajor{}, value);
  });
}

/// The logit-space counterpart of a loss, registered once the library has it.
template <class S, bool LabelTargets, class Loss>
void library_logits_ops([[maybe_unused]] const Case& c) {
  if constexpr (has_from_logits<Loss>::value) {
    Loss loss;
    loss.from_logits(true);
    library_ops<S, LabelTargets>(c, loss);
  }
}

// ---------------------------------------------------------------------------------------
// The tutorial's loops: what a first implementation looks like. Plain loops summing in
// double; the 1e-15 inside the logs is a double, so float inputs are promoted and every
// log is a scalar double log.

template <class S>
double tutorial_mse(const Problem<S>& d) {
  double sum = 0.0;
  for (Index i = 0; i < d.size(); ++i) {
    const S diff = d.y[i] - d.p[i];
    sum += diff * diff;
  }
  return sum / static_cast<double>(d.size());
}

template <class S>
double tutorial_bce(const Problem<S>& d) {
  double sum = 0.0;
  for (Index i = 0; i < d.size(); ++i) {
    sum += -(d.y[i] * std::log(d.p[i] + 1e-15) + (1 - d.y[i]) * std::log(1 - d.p[i] + 1e-15));
  }
  return sum / static_cast<double>(d.size());
}

/// Sigmoid, then the probability loop.
template <class S>
double tutorial_bce_logits(const Problem<S>& d) {
  double sum = 0.0;
  for (Index i = 0; i < d.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-d.x[i]));
    sum += -(d.y[i] * std::log(p + 1e-15) + (1 - d.y[i]) * std::log(1 - p + 1e-15));
  }
  return sum / static_cast<double>(d.size());
}

template <class S>
double tutorial_cce(const Problem<S>& d) {
  double sum = 0.0;
  for (Index i = 0; i < d.rows; ++i) {
    for (Index k = 0; k < d.cols; ++k) sum += -d.y[i * d.cols + k] * std::log(d.p[i * d.cols + k] + 1e-15);
  }
  return sum / static_cast<double>(d.rows);
}

template <class S>
double tutorial_sparse_cce(const Problem<S>& d) {
  double sum = 0.0;
  for (Index i = 0; i < d.rows; ++i) sum += -std::log(d.p[i * d.cols + d.labels[i]] + 1e-15);
  return sum / static_cast<double>(d.rows);
}

/// Row i's log-sum-exp, shifted by the row's maximum.
template <class S>
double log_sum_exp(const S* row, Index cols) {
  double m = row[0];
  for (Index k = 1; k < cols; ++k) m = std::max(m, static_cast<double>(row[k]));
  double s = 0.0;
  for (Index k = 0; k < cols; ++k) s += std::exp(row[k] - m);
  return m + std::log(s);
}

template <class S>
double tutorial_cce_logits(const Problem<S>& d) {
  double sum = 0.0;
  for (Index i = 0; i < d.rows; ++i) {
    const S* row = d.x + i * d.cols;
    const double lse = log_sum_exp(row, d.cols);
    for (Index k = 0; k < d.cols; ++k) sum += d.y[i * d.cols + k] * (lse - row[k]);
  }
  return sum / static_cast<double>(d.rows);
}

template <class S>
double tutorial_sparse_cce_logits(const Problem<S>& d) {
  double sum = 0.0;
  for (Index i = 0; i < d.rows; ++i) {
    const S* row = d.x + i * d.cols;
    sum += log_sum_exp(row, d.cols) - row[d.labels[i]];
  }
  return sum / static_cast<double>(d.rows);
}

template <class S>
void tutorial(const Case& c, double (*loop)(const Problem<S>&), Traffic traffic) {
  if (skipped_at_largest_count(c.count)) return;
  const std::string name = c.name<S>() + "/tutorial.value";
  const Index count = c.count, classes = c.classes;
  add_benchmark(name, static_cast<double>(count), bytes<S>(traffic, c.rows(), classes),
                [count, classes, loop](benchmark::State& state) {
                  const auto& d = problem<S>(count, classes);
                  for (auto _ : state) {
                    double value = loop(d);
                    benchmark::DoNotOptimize(value);
                  }
                });
  add_check(c.group, name, check_tolerance<S>(), [count, classes, loop]() { return loop(problem<S>(count, classes)); });
}

// ---------------------------------------------------------------------------------------
// The bounds, named "bound/<scalar>/n=<count>/k=<K>/<kind>".

template <class S>
void bound(Index count, Index classes, const std::string& kind, double bytes_per_call,
           void (*kernel)(const Problem<S>&)) {
  add_benchmark(case_name("bound", scalar_name<S>(), count, classes) + "/" + kind, static_cast<double>(count),
                bytes_per_call, [count, classes, kernel](benchmark::State& state) {
                  const auto& d = problem<S>(count, classes);
                  for (auto _ : state) {
                    kernel(d);
                    benchmark::ClobberMemory();
                  }
                });
}

template <class S>
Vector<S> all(const S* data, const Problem<S>& d) {
  return Vector<S>(data, d.size());
}

template <class S>
void bounds(Index count, Index classes) {
  const Index rows = count / classes;
  const double n = static_cast<double>(count), s = sizeof(S);
  // Bandwidth: STREAM's triad (a = b + s·c) over the bytes a loss must move.
  bound<S>(count, classes, "read2", bytes<S>(Traffic::two_inputs, rows, classes), [](const Problem<S>& d) {
    S total = (all(d.y, d) + S(0.5) * all(d.p, d)).sum();
    benchmark::DoNotOptimize(total);
  });
  bound<S>(count, classes, "triad", bytes<S>(Traffic::two_inputs_output, rows, classes), [](const Problem<S>& d) {
    Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>(d.g, d.size()) = all(d.y, d) + S(0.5) * all(d.p, d);
  });
  if (classes > 1) {
    bound<S>(count, classes, "read_labels", bytes<S>(Traffic::labels_input, rows, classes), [](const Problem<S>& d) {
      S total = all(d.p, d).sum() + static_cast<S>(Labels(d.labels, d.rows).sum());
      benchmark::DoNotOptimize(total);
    });
    bound<S>(count, classes, "scale_labels", bytes<S>(Traffic::labels_input_output, rows, classes),
             [](const Problem<S>& d) {
               Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>(d.g, d.size()) = S(0.5) * all(d.p, d);
               std::int64_t total = Labels(d.labels, d.rows).sum();
               benchmark::DoNotOptimize(total);
             });
  }
  // Transcendentals: the calls each loss must make, with Eigen's vectorised log and exp,
  // reading its prediction once.
  if (classes == 1) {
    bound<S>(count, classes, "log2", n * s, [](const Problem<S>& d) {  // BCE on probabilities
      const auto p = all(d.p, d);
      S total = (p.log() + (S(1) - p).log()).sum();
      benchmark::DoNotOptimize(total);
    });
    bound<S>(count, classes, "exp_log", n * s, [](const Problem<S>& d) {  // BCE on logits
      S total = ((-all(d.x, d).abs()).exp() + S(1)).log().sum();
      benchmark::DoNotOptimize(total);
    });
  } else {
    bound<S>(count, classes, "log_rows", static_cast<double>(rows) * s, [](const Problem<S>& d) {
      // CE on probabilities: one log per nonzero target, so one per row for one-hot targets
      S total = Vector<S>(d.p, d.rows).log().sum();
      benchmark::DoNotOptimize(total);
    });
    bound<S>(count, classes, "softmax", n * s, [](const Problem<S>& d) {  // CE on logits: K exps + 1 log per row
      S total = all(d.x, d).exp().sum() + Vector<S>(d.p, d.rows).log().sum();
      benchmark::DoNotOptimize(total);
    });
  }
}

// ---------------------------------------------------------------------------------------

template <class S>
void register_scalar() {
  for (const Index count : counts()) {
    const Case mse{"mse", case_name("mse", scalar_name<S>(), count, 1), count, 1, Input::probabilities};
    library_ops<S, false>(mse, losses::MeanSquaredError<S>());
    tutorial<S>(mse, tutorial_mse<S>, Traffic::two_inputs);

    const std::string bce_group = case_name("bce", scalar_name<S>(), count, 1);
    const Case bce{"bce", bce_group, count, 1, Input::probabilities};
    library_ops<S, false>(bce, losses::BinaryCrossEntropy<S>());
    tutorial<S>(bce, tutorial_bce<S>, Traffic::two_inputs);
    const Case bce_logits{"bce_logits", bce_group, count, 1, Input::logits};
    library_logits_ops<S, false, losses::BinaryCrossEntropy<S>>(bce_logits);
    tutorial<S>(bce_logits, tutorial_bce_logits<S>, Traffic::two_inputs);

    bounds<S>(count, 1);

    for (const Index classes : class_counts()) {
      const std::string cce_group = case_name("cce", scalar_name<S>(), count, classes);
      const Case cce{"cce", cce_group, count, classes, Input::probabilities};
      library_ops<S, false>(cce, losses::CategoricalCrossEntropy<S>());
      tutorial<S>(cce, tutorial_cce<S>, Traffic::two_inputs);
      const Case cce_logits{"cce_logits", cce_group, count, classes, Input::logits};
      library_logits_ops<S, false, losses::CategoricalCrossEntropy<S>>(cce_logits);
      tutorial<S>(cce_logits, tutorial_cce_logits<S>, Traffic::two_inputs);

      const std::string sparse_group = case_name("sparse_cce", scalar_name<S>(), count, classes);
      const Case sparse{"sparse_cce", sparse_group, count, classes, Input::probabilities};
      library_ops<S, true>(sparse, losses::SparseCategoricalCrossEntropy<S>());
      tutorial<S>(sparse, tutorial_sparse_cce<S>, Traffic::labels_input);
      const Case sparse_logits{"sparse_cce_logits", sparse_group, count, classes, Input::logits};
      library_logits_ops<S, true, losses::SparseCategoricalCrossEntropy<S>>(sparse_logits);
      tutorial<S>(sparse_logits, tutorial_sparse_cce_logits<S>, Traffic::labels_input);

      bounds<S>(count, classes);
    }
  }
}

}  // namespace

void register_library_benchmarks(Scalars scalars) {
  if (scalars.float_type) register_scalar<float>();
  if (scalars.double_type) register_scalar<double>();
}

namespace {

/// Eigen's own summary does not tell AVX2 or FMA from AVX.
std::string eigen_simd() {
  std::string features;
  const auto add = [&](bool on, const char* name) {
    if (on) features += (features.empty() ? "" : " ") + std::string(name);
  };
#ifdef EIGEN_VECTORIZE_AVX512
  add(true, "AVX512");
#endif
#ifdef EIGEN_VECTORIZE_AVX2
  add(true, "AVX2");
#endif
#ifdef EIGEN_VECTORIZE_FMA
  add(true, "FMA");
#endif
#ifdef EIGEN_VECTORIZE_AVX
  add(true, "AVX");
#endif
#ifdef EIGEN_VECTORIZE_SSE4_2
  add(true, "SSE4.2");
#endif
#ifdef EIGEN_VECTORIZE_SSE2
  add(true, "SSE2");
#endif
  add(features.empty(), "none");
  return features;
}

}  // namespace

Context library_context() {
#if defined(__clang__)
  const std::string compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  const std::string compiler = std::string("GCC ") + __VERSION__;
#else
  const std::string compiler = "unknown";
#endif
  return {
      {"losses_flavour", LOSSES_BENCH_FLAVOUR},
      {"losses_flags", LOSSES_BENCH_FLAGS},
      {"losses_version", std::to_string(LOSSES_VERSION_MAJOR) + "." + std::to_string(LOSSES_VERSION_MINOR) + "." +
                             std::to_string(LOSSES_VERSION_PATCH)},
      {"losses_logits", has_from_logits<losses::BinaryCrossEntropy<double>>::value ? "yes" : "no"},
      {"compiler", compiler},
      {"eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                            std::to_string(EIGEN_MINOR_VERSION)},
      {"eigen_simd", eigen_simd()},
  };
}

}  // namespace losses_bench
