#include "problems.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <random>
#include <regex>
#include <stdexcept>
#include <tuple>

namespace losses_bench {
namespace {

/// A 64-byte aligned buffer of n values (a cache line; every SIMD width Eigen uses).
template <class T>
struct Buffer {
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> data;

  explicit Buffer(Index n) {
    const auto bytes = (static_cast<std::size_t>(n) * sizeof(T) + 63) / 64 * 64;
    data.reset(static_cast<T*>(std::aligned_alloc(64, bytes)));
    if (!data) throw std::bad_alloc();
  }
  T* get() const { return data.get(); }
};

template <class S>
struct Storage {
  Buffer<S> y, p, x, g;
  Buffer<std::int64_t> labels;
  Problem<S> view;

  Storage(Index rows, Index cols)
      : y(rows * cols), p(rows * cols), x(rows * cols), g(rows * cols), labels(cols > 1 ? rows : 1) {
    view = Problem<S>{rows, cols, y.get(), p.get(), x.get(), cols > 1 ? labels.get() : nullptr, g.get()};
    std::mt19937_64 random(20240601u + static_cast<std::uint64_t>(rows * cols + cols));
    const Index n = rows * cols;
    if (cols == 1) {
      std::bernoulli_distribution target(0.5);
      std::uniform_real_distribution<double> probability(0.01, 0.99);
      for (Index i = 0; i < n; ++i) {
        const double pi = probability(random);
        y.get()[i] = target(random) ? S(1) : S(0);
        p.get()[i] = static_cast<S>(pi);
        x.get()[i] = static_cast<S>(std::log(pi / (1 - pi)));
      }
    } else {
      std::uniform_real_distribution<double> logit(-2.0, 2.0);
      std::uniform_int_distribution<std::int64_t> label(0, cols - 1);
      std::vector<double> row(static_cast<std::size_t>(cols));
      for (Index i = 0; i < rows; ++i) {
        double total = 0;
        for (Index k = 0; k < cols; ++k) {
          row[static_cast<std::size_t>(k)] = logit(random);
          total += std::exp(row[static_cast<std::size_t>(k)]);
        }
        const std::int64_t yi = label(random);
        labels.get()[i] = yi;
        for (Index k = 0; k < cols; ++k) {
          const double xk = row[static_cast<std::size_t>(k)];
          x.get()[i * cols + k] = static_cast<S>(xk);
          p.get()[i * cols + k] = static_cast<S>(std::exp(xk) / total);
          y.get()[i * cols + k] = k == yi ? S(1) : S(0);
        }
      }
    }
    std::fill(g.get(), g.get() + n, S(0));  // touch every page of the output now
  }
};

struct Check {
  std::string group, name;
  double tolerance;
  std::function<double()> value;
};

std::vector<Check>& checks() {
  static std::vector<Check> all;
  return all;
}

}  // namespace

template <class S>
const Problem<S>& problem(Index count, Index classes) {
  static std::map<std::pair<Index, Index>, std::unique_ptr<Storage<S>>> cache;
  auto& slot = cache[{count, classes}];
  if (!slot) {
    if (classes < 1 || count % classes != 0) throw std::invalid_argument("a problem needs count = N * K");
    slot = std::make_unique<Storage<S>>(count / classes, classes);
  }
  return slot->view;
}
template const Problem<float>& problem<float>(Index, Index);
template const Problem<double>& problem<double>(Index, Index);

std::string case_name(const std::string& loss, const char* scalar, Index count, Index classes) {
  return loss + "/" + scalar + "/n=" + std::to_string(count) + "/k=" + std::to_string(classes);
}

template <class S>
double bytes(Traffic traffic, Index rows, Index cols) {
  const double n = static_cast<double>(rows * cols), s = sizeof(S), label = sizeof(std::int64_t);
  switch (traffic) {
    case Traffic::two_inputs: return 2 * n * s;
    case Traffic::two_inputs_output: return 3 * n * s;
    case Traffic::labels_input: return n * s + static_cast<double>(rows) * label;
    case Traffic::labels_input_output: return 2 * n * s + static_cast<double>(rows) * label;
  }
  return 0;
}
template double bytes<float>(Traffic, Index, Index);
template double bytes<double>(Traffic, Index, Index);

void add_benchmark(const std::string& name, double elements, double bytes_per_call,
                   std::function<void(benchmark::State&)> body) {
  benchmark::RegisterBenchmark(name.c_str(),
                               [elements, bytes_per_call, body = std::move(body)](benchmark::State& state) {
                                 body(state);
                                 state.SetBytesProcessed(
                                     static_cast<std::int64_t>(static_cast<double>(state.iterations()) * bytes_per_call));
                                 state.counters["elements"] = elements;
                                 state.counters["bytes"] = bytes_per_call;
                               })
      ->Unit(benchmark::kNanosecond);
}

void add_check(const std::string& group, const std::string& name, double tolerance, std::function<double()> value) {
  checks().push_back(Check{group, name, tolerance, std::move(value)});
}

bool run_checks(const std::string& filter) {
  // The filter's syntax: an extended regular expression, negated by a leading '-'.
  bool negate = false;
  std::string pattern = filter;
  if (!pattern.empty() && pattern[0] == '-') {
    negate = true;
    pattern.erase(0, 1);
  }
  if (pattern.empty() || pattern == "all") pattern = ".";
  std::regex selected;
  try {
    selected = std::regex(pattern, std::regex::extended);
  } catch (const std::regex_error&) {
    selected = std::regex(".");
    negate = false;
  }
  const auto wanted = [&](const std::vector<const Check*>& members) {
    for (const Check* c : members) {
      if (std::regex_search(c->name, selected) != negate) return true;
    }
    return false;
  };

  std::map<std::string, std::vector<const Check*>> groups;
  for (const auto& c : checks()) groups[c.group].push_back(&c);
  bool ok = true;
  std::size_t checked = 0;
  for (const auto& [group, members] : groups) {
    if (!wanted(members)) continue;
    const double reference = members.front()->value();
    for (const Check* c : members) {
      const double v = c == members.front() ? reference : c->value();
      ++checked;
      if (!(std::fabs(v - reference) <= c->tolerance * std::fabs(reference))) {
        std::fprintf(stderr, "check failed: %s = %.17g but %s = %.17g\n", c->name.c_str(), v,
                     members.front()->name.c_str(), reference);
        ok = false;
      }
    }
  }
  std::fprintf(stderr, "cross-checked %zu values: %s\n", checked, ok ? "all agree" : "DISAGREEMENT");
  return ok;
}

}  // namespace losses_bench
