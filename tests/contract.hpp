// Helpers for the contract-wide tests (gradients, expressions, errors, allocations): the
// four losses as tag types, reproducible random problems, and calls with or without weights.
#ifndef LOSSES_TESTS_CONTRACT_HPP
#define LOSSES_TESTS_CONTRACT_HPP

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <losses/losses.hpp>
#include <random>
#include <utility>

#include "support.hpp"

namespace contract {

using support::Array;

// ---------------------------------------------------------------------------------------
// The losses, as tags a TEMPLATE_TEST_CASE can iterate over

struct MseKind {
  template <class S>
  using Loss = losses::MeanSquaredError<S>;
  static constexpr const char* name = "MeanSquaredError";
  static constexpr bool probabilities = false;  // predictions in [0, 1], with an epsilon
  static constexpr bool sparse = false;         // y_true holds labels
  static constexpr bool element_terms = true;   // a term per element (else per row)
};
struct BceKind {
  template <class S>
  using Loss = losses::BinaryCrossEntropy<S>;
  static constexpr const char* name = "BinaryCrossEntropy";
  static constexpr bool probabilities = true, sparse = false, element_terms = true;
};
struct CceKind {
  template <class S>
  using Loss = losses::CategoricalCrossEntropy<S>;
  static constexpr const char* name = "CategoricalCrossEntropy";
  static constexpr bool probabilities = true, sparse = false, element_terms = false;
};
struct SparseKind {
  template <class S>
  using Loss = losses::SparseCategoricalCrossEntropy<S>;
  static constexpr const char* name = "SparseCategoricalCrossEntropy";
  static constexpr bool probabilities = true, sparse = true, element_terms = false;
};

/// Calls f(S{}) for float and double.
template <class F>
void for_each_scalar(F&& f) {
  f(float{});
  f(double{});
}

template <class S>
constexpr double eps() {
  return static_cast<double>(std::numeric_limits<S>::epsilon());
}

// ---------------------------------------------------------------------------------------
// Random problems

/// mt19937 (whose output the standard fixes) turned into numbers rounded to float, so
/// that float, double and long double all see exactly the same problem.
class Random {
 public:
  explicit Random(std::uint32_t seed) : engine_(seed) {}
  double uniform(double lo, double hi) {
    const double u = static_cast<double>(engine_()) / 4294967295.0;
    return static_cast<double>(static_cast<float>(lo + (hi - lo) * u));
  }
  int index(Eigen::Index n) { return static_cast<int>(engine_() % static_cast<std::uint32_t>(n)); }

 private:
  std::mt19937 engine_;
};

/// One problem of any loss; every value is exactly representable in float.
struct Problem {
  Array<double> y;                 // targets (MSE, BCE, CCE)
  Eigen::ArrayXi labels;           // class labels (sparse)
  Array<double> p;                 // predictions
  Eigen::ArrayXd sample_weight;    // one per row, some exactly 0
  Array<double> element_weight;    // one per element, some exactly 0
  Eigen::Index rows() const { return p.rows(); }
  Eigen::Index cols() const { return p.cols(); }
};

/// A random problem: MSE targets and predictions in [-2, 2]; BCE targets a mix of hard 0/1
/// and soft; CCE rows alternately one-hot and soft (with an exact 0 target in each soft
/// row); labels uniform in [0, K); probabilities in [margin, 1 - margin].
template <class Kind>
Problem make_problem(Eigen::Index rows, Eigen::Index cols, std::uint32_t seed, double margin = 0.1) {
  Random random(seed);
  Problem pb;
  pb.y = Array<double>::Zero(rows, cols);
  pb.labels = Eigen::ArrayXi::Zero(rows);
  pb.p.resize(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    if constexpr (Kind::sparse) {
      pb.labels(i) = random.index(cols);
    } else if constexpr (!Kind::element_terms) {  // categorical
      if (i % 2 == 0 || cols == 1) {
        pb.y(i, random.index(cols)) = 1;
      } else {
        for (Eigen::Index j = 0; j < cols; ++j) pb.y(i, j) = random.uniform(0.05, 1);
        pb.y(i, i % cols) = 0;
        pb.y.row(i) = (pb.y.row(i) / pb.y.row(i).sum()).cast<float>().cast<double>();
      }
    }
    for (Eigen::Index j = 0; j < cols; ++j) {
      if constexpr (!Kind::probabilities) {
        pb.y(i, j) = random.uniform(-2, 2);
        pb.p(i, j) = random.uniform(-2, 2);
      } else {
        if constexpr (Kind::element_terms) {  // binary
          pb.y(i, j) = (i + j) % 3 == 0 ? double(random.index(2)) : random.uniform(0, 1);
        }
        pb.p(i, j) = random.uniform(margin, 1 - margin);
      }
    }
  }
  pb.sample_weight.resize(rows);
  for (Eigen::Index i = 0; i < rows; ++i) pb.sample_weight(i) = i % 3 == 1 ? 0.0 : random.uniform(0.25, 2);
  pb.element_weight.resize(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      pb.element_weight(i, j) = (i + j) % 4 == 2 ? 0.0 : random.uniform(0.25, 2);
    }
  }
  return pb;
}

/// The problem's y_true for a loss computing in S: labels, or the targets cast to S.
template <class Kind, class S>
auto y_true(const Problem& pb) {
  if constexpr (Kind::sparse) {
    return pb.labels;
  } else {
    return Array<S>(pb.y.cast<S>());
  }
}

/// The targets a loss takes, as stored test data: labels (int) or values in S.
template <class Kind, class S>
auto stored_targets(const Problem& pb) {
  if constexpr (Kind::sparse) {
    return support::Stored<int>(Array<int>(pb.labels));
  } else {
    return support::Stored<S>(pb.y.cast<S>());
  }
}

// ---------------------------------------------------------------------------------------
// Options

/// The label a setting with `ignore` ignores: a real class, so ignored rows hold valid data.
constexpr int ignored_label = 1;

/// The options under test. Settings with an epsilon apply to the cross-entropies only;
/// logits, label smoothing and class or positive-class weights to the losses that have them.
struct Setting {
  const char* name;
  bool set_epsilon;
  double epsilon;
  bool logits = false;
  double smoothing = 0;
  bool weighted_classes = false;  // class_weight (categorical) or pos_weight (binary)
  bool ignore = false;            // sparse: rows labelled ignored_label are ignored
  bool renormalize = false;       // dense categorical: rows divided by their sum first
};
constexpr Setting default_epsilon{"default epsilon", false, 0};

/// Class or positive-class weights for `cols` columns: different, one of them zero.
template <class S>
Eigen::Array<S, Eigen::Dynamic, 1> column_weights(Eigen::Index cols) {
  Eigen::Array<S, Eigen::Dynamic, 1> c(cols);
  for (Eigen::Index k = 0; k < cols; ++k) c(k) = static_cast<S>(0.25 + 0.75 * static_cast<double>(k % 4));
  if (cols > 2) c(1) = S(0);
  return c;
}

template <class Kind, class S>
typename Kind::template Loss<S> make_loss(losses::Reduction reduction, const Setting& setting, Eigen::Index cols = 0) {
  typename Kind::template Loss<S> loss;
  loss.reduction(reduction);
  if constexpr (Kind::probabilities) {
    if (setting.set_epsilon) loss.epsilon(static_cast<S>(setting.epsilon));
    loss.from_logits(setting.logits).label_smoothing(static_cast<S>(setting.smoothing));
    if (setting.weighted_classes) {
      if constexpr (Kind::element_terms) {
        loss.pos_weight(column_weights<S>(cols));
      } else {
        loss.class_weight(column_weights<S>(cols));
      }
    }
    if constexpr (Kind::sparse) {
      if (setting.ignore) loss.ignore_index(ignored_label);
    } else if constexpr (!Kind::element_terms) {
      loss.renormalize(setting.renormalize);
    }
  }
  return loss;
}

/// Turns a problem's probabilities into logits log(p/(1 − p)), times 3 (so in ±6.6),
/// rounded to float like every problem value.
inline void to_logits(Problem& pb) {
  pb.p = (3 * (pb.p / (1 - pb.p)).log()).cast<float>().cast<double>();
}

// ---------------------------------------------------------------------------------------
// Calls with or without weights

/// Marks a call without weights.
struct Unweighted {};

enum class Weighting { none, per_sample, per_element };

inline const char* weighting_name(Weighting w) {
  switch (w) {
    case Weighting::none: return "unweighted";
    case Weighting::per_sample: return "per-sample weights";
    case Weighting::per_element: return "element weights";
  }
  return "";
}

/// The weightings a loss accepts: element weights for the element-wise losses only.
template <class Kind>
std::vector<Weighting> weightings() {
  if (Kind::element_terms) return {Weighting::none, Weighting::per_sample, Weighting::per_element};
  return {Weighting::none, Weighting::per_sample};
}

/// Calls f with the problem's weights in S (Unweighted{}, a length-N or an N x M array).
template <class S, class F>
decltype(auto) with_weights(const Problem& pb, Weighting weighting, F&& f) {
  switch (weighting) {
    case Weighting::per_sample: return f(Eigen::Array<S, Eigen::Dynamic, 1>(pb.sample_weight.cast<S>()));
    case Weighting::per_element: return f(Array<S>(pb.element_weight.cast<S>()));
    case Weighting::none: break;
  }
  return f(Unweighted{});
}

template <class L, class Y, class P>
auto value_of(const L& loss, const Y& y, const P& p, Unweighted) {
  return loss(y, p);
}
template <class L, class Y, class P, class W>
auto value_of(const L& loss, const Y& y, const P& p, const W& w) {
  return loss(y, p, w);
}
template <class L, class Y, class P>
auto gradient_of(const L& loss, const Y& y, const P& p, Unweighted) {
  return loss.gradient(y, p);
}
template <class L, class Y, class P, class W>
auto gradient_of(const L& loss, const Y& y, const P& p, const W& w) {
  return loss.gradient(y, p, w);
}
template <class L, class Y, class P>
auto value_and_gradient_of(const L& loss, const Y& y, const P& p, Unweighted) {
  return loss.value_and_gradient(y, p);
}
template <class L, class Y, class P, class W>
auto value_and_gradient_of(const L& loss, const Y& y, const P& p, const W& w) {
  return loss.value_and_gradient(y, p, w);
}
template <class L, class Y, class P, class G>
auto into_of(const L& loss, const Y& y, const P& p, G&& g, Unweighted) {
  return loss.value_and_gradient_into(y, p, std::forward<G>(g));
}
template <class L, class Y, class P, class G, class W>
auto into_of(const L& loss, const Y& y, const P& p, G&& g, const W& w) {
  return loss.value_and_gradient_into(y, p, std::forward<G>(g), w);
}

/// What a loss computes from one input: value and gradient (one fused pass), per-sample
/// and, for the element-wise losses, per-element values.
template <class S>
struct Results {
  S value{};
  Array<S> gradient;
  Eigen::Array<S, Eigen::Dynamic, 1> per_sample;
  Array<S> per_element;
};

/// The results; with Unreduced false, only value and gradient (to keep the number of
/// instantiations, and the compile time, down where the others add nothing).
template <class S, bool Unreduced = true, class Loss, class Y, class P, class W>
Results<S> results_of(const Loss& loss, const Y& y, const P& p, const W& w) {
  Results<S> r;
  auto fused = contract::value_and_gradient_of(loss, y, p, w);
  r.value = fused.value;
  r.gradient = std::move(fused.gradient);
  if constexpr (Unreduced) {
    r.per_sample = loss.per_sample(y, p);
    if constexpr (support::has_per_element<Loss>::value) r.per_element = loss.per_element(y, p);
  }
  return r;
}

// ---------------------------------------------------------------------------------------
// Comparisons

/// Checks |actual - expected| <= abs element by element (infinities must match exactly),
/// reporting the first few mismatches rather than one assertion per element.
template <class A, class B>
void check_all_close(const Eigen::DenseBase<A>& actual, const Eigen::DenseBase<B>& expected, long double abs,
                     const char* what) {
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  int mismatches = 0;
  for (Eigen::Index i = 0; i < actual.rows(); ++i) {
    for (Eigen::Index j = 0; j < actual.cols(); ++j) {
      const auto a = static_cast<long double>(actual.derived().coeff(i, j));
      const auto e = static_cast<long double>(expected.derived().coeff(i, j));
      if (!support::close(a, e, 0.0, static_cast<double>(abs)) && ++mismatches <= 5) {
        FAIL_CHECK(what << "(" << i << ", " << j << "): " << static_cast<double>(a) << " but expected "
                        << static_cast<double>(e) << " (tolerance " << static_cast<double>(abs) << ")");
      }
    }
  }
  CHECK(mismatches == 0);
}

/// The largest finite |x|: the scale errors in an array are measured against.
template <class D>
long double max_abs(const Eigen::DenseBase<D>& x) {
  long double m = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const auto v = static_cast<long double>(x.derived().coeff(i, j));
      if (std::isfinite(v) && std::fabs(v) > m) m = std::fabs(v);
    }
  }
  return m;
}

}  // namespace contract

#endif  // LOSSES_TESTS_CONTRACT_HPP
