// What every benchmark translation unit shares: the problems (inputs and gradient storage,
// created once per process and read in place by every implementation), their names, and
// the registration helpers.
//
// This header must not include Eigen or LibTorch. The library benchmarks are compiled once
// per build flavour (-O3, -march=x86-64-v3, -march=native) and Eigen's types and alignment
// differ between them, while the problems, the LibTorch benchmarks and main() are compiled
// once; so only raw pointers and sizes cross translation units.
#ifndef LOSSES_BENCHMARKS_PROBLEMS_HPP
#define LOSSES_BENCHMARKS_PROBLEMS_HPP

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace losses_bench {

using Index = std::int64_t;

/// One problem: N x K inputs in row-major order (sample-major, LibTorch's layout), each
/// buffer 64-byte aligned, filled once from a fixed seed.
///
/// - element-wise (K = 1, `count` = N): y is 0/1 with probability 1/2, p is uniform in
///   [0.01, 0.99], x = log(p / (1 − p)) (so sigmoid(x) = p).
/// - categorical (K = 10 or 1000, N = count / K): x is uniform in [−2, 2], p = softmax of
///   each row of x, labels are uniform in [0, K), y is their one-hot encoding.
///
/// So the probability-space and logit-space losses have the same value on one problem.
template <class S>
struct Problem {
  Index rows = 0;                        ///< N, the samples
  Index cols = 0;                        ///< K, the classes (1 for element-wise problems)
  const S* y = nullptr;                  ///< targets, N x K
  const S* p = nullptr;                  ///< probabilities, N x K
  const S* x = nullptr;                  ///< logits, N x K
  const std::int64_t* labels = nullptr;  ///< N class labels (categorical problems only)
  S* g = nullptr;                        ///< gradient storage, N x K

  Index size() const { return rows * cols; }
};

/// The problem with `count` elements and `classes` columns (1: element-wise), created on
/// first use (outside any timed region) and kept until the process exits.
template <class S>
const Problem<S>& problem(Index count, Index classes);

/// The element counts and class counts of the matrix.
inline const std::vector<Index>& counts() {
  static const std::vector<Index> values{1'000, 100'000, 10'000'000};
  return values;
}
inline const std::vector<Index>& class_counts() {
  static const std::vector<Index> values{10, 1'000};
  return values;
}

/// What the matrix leaves out at the largest count, to keep a run short: the tutorial's
/// loops, among the slowest calls there (scalar libm calls; a floor, not a competitor:
/// their ratio at n = 1e5 already tells).
inline bool skipped_at_largest_count(Index count) { return count >= 10'000'000; }

template <class S>
constexpr const char* scalar_name() {
  return sizeof(S) == sizeof(float) ? "float" : "double";
}

/// "bce/float/n=100000/k=1": a loss on one problem; implementations append "/<impl>".
std::string case_name(const std::string& loss, const char* scalar, Index count, Index classes);

/// The bytes a loss must move, by the shape of its arguments, counted as STREAM does
/// (each array read or written once; write-allocate traffic not counted).
enum class Traffic {
  two_inputs,          ///< value of a dense loss: read y and p
  two_inputs_output,   ///< value and gradient: read y and p, write g
  labels_input,        ///< value of a label loss: read the labels and all of p (all of it is checked)
  labels_input_output  ///< value and gradient: as above, and write g
};
template <class S>
double bytes(Traffic traffic, Index rows, Index cols);

/// Registers one benchmark: `body` runs the timed loop (for (auto _ : state) ...) over
/// its problem. `elements` and `bytes_per_call` are recorded as counters of the same
/// names (the report divides by them) and give bytes_per_second.
void add_benchmark(const std::string& name, double elements, double bytes_per_call,
                   std::function<void(benchmark::State&)> body);

/// Registers a value to cross-check before anything is timed: every value in a `group`
/// (implementations of the same function on the same problem) must agree to within the
/// relative tolerance, or the harness refuses to run. `name` is the benchmark it vouches for.
void add_check(const std::string& group, const std::string& name, double tolerance, std::function<double()> value);

/// Runs the checks of every group with a member that `filter` (a --benchmark_filter value)
/// selects, printing each disagreement; true when all agree.
bool run_checks(const std::string& filter);

/// Context entries for the JSON output (key, value).
using Context = std::vector<std::pair<std::string, std::string>>;

/// Which scalar types to register. A run can time float and double in separate processes,
/// halving the memory it holds (the problems at n = 1e7 take about 1 GB in double).
struct Scalars {
  bool float_type = true;
  bool double_type = true;
};

/// Provided by the library translation unit (one per build flavour).
void register_library_benchmarks(Scalars scalars);
Context library_context();

/// Provided by the LibTorch translation unit (compiled once, linked into every flavour).
void register_torch_benchmarks(Scalars scalars);
Context torch_context();

/// Relative tolerance for cross-checks in S: the implementations sum in different orders
/// and precisions, and the tutorial's loop adds 1e-15 inside its logs.
template <class S>
constexpr double check_tolerance() {
  return sizeof(S) == sizeof(float) ? 1e-4 : 1e-9;
}

}  // namespace losses_bench

#endif  // LOSSES_BENCHMARKS_PROBLEMS_HPP
