// An independent evaluation of the losses for the fuzzer, in long double, written from the
// README alone: which exceptions a call may throw, and otherwise the value, per-sample
// values, per-element terms and gradient it must return, each with a tolerance.
//
// The formulas are those of the README's "Formulas and conventions" section (quoted where
// they are used); the validation rules come from its option table and its "Errors" table.
// Nothing here is taken from include/losses: the point is a second, straightforward
// implementation that shares no code, and so no mistakes, with the library.
//
// Tolerances. Each computed quantity carries a *size*: the magnitude its rounding errors
// scale with. For a sum of non-negative parts (every loss term is one) the size is the sum
// itself; for a difference, the sum of both sides' magnitudes, since cancellation removes
// value but not error; a quantity computed from computed inputs (a smoothed target, a
// renormalised probability, a log-sum-exp) also carries their errors. The library must be
// within 16u·size of the exact value, u the Scalar's machine epsilon. In the simple cases
// this is the brief's rule: 16u·Σ|terms| for a reduced value, 16u·|d| for −t/p, and
// 16u·(σ(x) + |y|)·|scale| for σ(x) − y. Three allowances for what a Scalar cannot
// represent: every rounded result may be off by half the smallest subnormal (gradual
// underflow: +η in each size); so may the first product of weight × scale × term, whichever
// it is, and that error is multiplied by the third factor; and an exponential below 4η is
// only known to within η (vectorised exp clamps there), so such parts get η/u in their size.
#ifndef LOSSES_FUZZ_ORACLE_HPP
#define LOSSES_FUZZ_ORACLE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace oracle {

using real = long double;
using std::size_t;

enum class Loss { mean_squared_error, binary_cross_entropy, categorical_cross_entropy, sparse_categorical_cross_entropy };
enum class Reduction { mean, sum };

/// The kinds of exception in the README's "Errors" table, as bits of a set.
enum Error : unsigned { argument_error = 1u, domain_error = 2u, label_error = 4u };

/// The floating-point type the library computes in.
struct Precision {
  real epsilon = 0;     ///< u, the machine epsilon: 2^-23 in float, 2^-52 in double
  real min_normal = 0;  ///< η, the smallest normal number
  real max = 0;         ///< the largest finite number
  bool is_float = false;

  /// x rounded to the Scalar: the clip bound 1 − ε is a Scalar, computed in Scalar.
  real rounded(real x) const { return is_float ? real(static_cast<float>(x)) : real(static_cast<double>(x)); }
  /// The README's "on finite logits the loss is finite unless it overflows": the logit
  /// magnitude below which no part of any loss comes near overflowing.
  real moderate_logit() const { return is_float ? real(1e4) : real(1e300); }
};

/// A grid of numbers in the order the call reads them logically (row-major).
struct Matrix {
  size_t rows = 0, cols = 0;
  std::vector<real> values;

  real at(size_t i, size_t j) const { return values[i * cols + j]; }
  size_t size() const { return rows * cols; }
  bool is_vector() const { return rows == 1 || cols == 1; }
};

struct Labels {
  size_t rows = 0, cols = 0;
  std::vector<std::int64_t> values;  // row-major, as the vector reads

  size_t size() const { return rows * cols; }
  bool is_vector() const { return rows == 1 || cols == 1; }
};

/// One call of a loss functor: the inputs and the options as the loss's getters report them.
struct Problem {
  Loss loss = Loss::mean_squared_error;
  Precision scalar;
  Matrix y_pred;                       ///< N x M (K for the categorical losses)
  Matrix y_true;                       ///< dense targets
  Labels labels;                       ///< sparse targets
  std::optional<Matrix> sample_weight;  ///< as passed: length N, N x M, or a wrong shape

  Reduction reduction = Reduction::mean;
  real epsilon = 0;
  bool from_logits = false;
  real label_smoothing = 0;
  std::vector<real> class_weight;  ///< empty: unset
  std::vector<real> pos_weight;    ///< empty: unset
  std::optional<std::int64_t> ignore_index;
  bool renormalize = false;
};

/// What one returned number must be.
struct Bound {
  real exact = 0;       ///< ±inf where the README's limits make the result infinite
  real tolerance = 0;   ///< 0: exactly `exact` (a zero weight, a clipped prediction, an ignored row)
  bool indeterminate = false;  ///< depends on whether a tiny factor rounds to 0: not checked
};

/// The first offending element of an argument (lowest row, then lowest column).
struct Position {
  bool found = false;
  std::int64_t row = -1, col = -1;
};

/// What a call must do.
struct Outcome {
  unsigned errors = 0;     ///< the input is wrong in these ways: the call must throw one of them
  unsigned tolerated = 0;  ///< may be thrown on valid input: an overflowing total weight
  bool culprits_known = true;  ///< the positions below are meaningful (shapes fit)
  bool may_overflow = false;   ///< some part exceeds the Scalar's range: +inf is then acceptable
  bool must_be_finite = false; ///< valid, finite, moderate input: the value and gradient are finite

  Bound value;
  std::vector<Bound> gradient;     ///< N x M, row-major
  std::vector<Bound> per_sample;   ///< N
  std::vector<Bound> per_element;  ///< N x M (MSE, BCE)

  Position y_pred_culprit, y_true_culprit, weight_culprit;
  Position label_culprit;       ///< row: the first counted row whose label is outside [0, K)
  std::vector<bool> zero_rows;  ///< renormalize(true): rows of probabilities that sum to 0

  real weight_total = 0;  ///< what Reduction::mean divides by (Σ w, M·Σ w, Σ w·c_y; unweighted: the count)
};

namespace detail {

/// A computed quantity: exact value and size (see the top of the file).
struct Quantity {
  real value = 0;
  real size = 0;
  bool indeterminate = false;
};

inline Quantity plus(const Quantity& a, const Quantity& b) {
  return {a.value + b.value, a.size + b.size, a.indeterminate || b.indeterminate};
}

inline real positive_infinity() { return std::numeric_limits<real>::infinity(); }

/// The README's value domains, from its "Errors" table and formulas.
inline bool in_unit_interval(real x) { return x >= 0 && x <= 1; }  // false for NaN
inline bool valid_weight(real x) { return std::isfinite(x) && x >= 0; }

class Evaluator {
 public:
  Evaluator(const Problem& problem, bool weighted) : p_(problem), weighted_(weighted) {
    u_ = p_.scalar.epsilon;
    eta_ = p_.scalar.min_normal;
  }

  Outcome run() {
    Outcome out;
    validate(out);
    if (out.errors != 0) return out;
    if (p_.loss == Loss::mean_squared_error || p_.loss == Loss::binary_cross_entropy) {
      evaluate_elementwise(out);
    } else {
      evaluate_rows(out);
    }
    finish(out);
    return out;
  }

 private:
  const Problem& p_;
  bool weighted_;
  real u_ = 0, eta_ = 0;
  real peak_ = 0;                  // the largest finite intermediate magnitude

  size_t rows() const { return p_.y_pred.rows; }
  size_t cols() const { return p_.y_pred.cols; }
  bool probabilities() const { return p_.loss != Loss::mean_squared_error && !p_.from_logits; }
  bool sparse() const { return p_.loss == Loss::sparse_categorical_cross_entropy; }
  bool elementwise() const {
    return p_.loss == Loss::mean_squared_error || p_.loss == Loss::binary_cross_entropy;
  }

  void note(real x) {
    if (std::isfinite(x)) peak_ = std::max(peak_, std::fabs(x));
  }

  /// Whether a computed factor that is nonzero in exact arithmetic may round to 0 in the
  /// Scalar: its value is within its own error of zero.
  bool may_vanish(real value, real size) const { return std::fabs(value) <= 16 * u_ * (size - std::fabs(value)); }

  /// Vectorised exp clamps its argument near the underflow threshold: a result below 4η is
  /// known to within η only.
  real exp_allowance(real v) const { return v < 4 * eta_ ? eta_ / u_ : 0; }

  // ---------------------------------------------------------------------------------------
  // Validation: the README's "Errors" table.

  /// Σ w, after the README's rule for weights ("must be finite and non-negative"); rows
  /// that do not count (ignored sparse rows) are not validated.
  void validate(Outcome& out) {
    const size_t n = rows(), m = cols();
    // "mismatched shapes, an empty input, weights of the wrong size": ArgumentError.
    if (n == 0 || m == 0) out.errors |= argument_error;
    if (sparse()) {
      if (!p_.labels.is_vector() || p_.labels.size() != n) out.errors |= argument_error;
    } else if (p_.y_true.rows != n || p_.y_true.cols != m) {
      out.errors |= argument_error;
    }
    if (weighted_) {
      const Matrix& w = *p_.sample_weight;
      const bool per_sample = w.is_vector() && w.size() == n;
      const bool per_element = elementwise() && w.rows == n && w.cols == m;
      if (!per_sample && !per_element) out.errors |= argument_error;
    }
    // "a class or positive-class weight vector whose length does not match y_pred's columns".
    if (p_.loss == Loss::binary_cross_entropy && !p_.pos_weight.empty() && p_.pos_weight.size() != m) {
      out.errors |= argument_error;
    }
    if ((p_.loss == Loss::categorical_cross_entropy || sparse()) && !p_.class_weight.empty() &&
        p_.class_weight.size() != m) {
      out.errors |= argument_error;
    }

    // Each array's own values, whatever the shapes: the positions stay meaningful.
    const bool sparse_rows_known = !sparse() || (p_.labels.is_vector() && p_.labels.size() == n);
    out.culprits_known = sparse_rows_known;
    if (!sparse_rows_known) out.tolerated |= domain_error | label_error;

    for (size_t i = 0; i < n; ++i) {
      if (sparse_rows_known && !counts(i)) continue;
      for (size_t j = 0; j < m; ++j) {
        if (!valid_prediction(p_.y_pred.at(i, j))) first(out.y_pred_culprit, i, j);
      }
    }
    if (out.y_pred_culprit.found) out.errors |= domain_error;
    if (!sparse()) {
      for (size_t i = 0; i < p_.y_true.rows; ++i) {
        for (size_t j = 0; j < p_.y_true.cols; ++j) {
          if (!valid_target(p_.y_true.at(i, j))) first(out.y_true_culprit, i, j);
        }
      }
      if (out.y_true_culprit.found) out.errors |= domain_error;
    } else if (sparse_rows_known) {
      // "a class label outside [0, K)": LabelError, for rows that are not ignored.
      for (size_t i = 0; i < n; ++i) {
        const std::int64_t label = p_.labels.values[i];
        if (counts(i) && (label < 0 || static_cast<std::uint64_t>(label) >= m)) first(out.label_culprit, i, 0);
      }
      if (out.label_culprit.found) out.errors |= label_error;
    }
    // "A row that sums to 0 is a losses::DomainError" (renormalize, on probabilities).
    if (p_.loss == Loss::categorical_cross_entropy && p_.renormalize && !p_.from_logits) {
      out.zero_rows.assign(n, false);
      for (size_t i = 0; i < n; ++i) {
        bool all_zero = m > 0;
        for (size_t j = 0; j < m; ++j) all_zero = all_zero && p_.y_pred.at(i, j) == 0;
        if (all_zero) {
          out.zero_rows[i] = true;
          out.errors |= domain_error;
        }
      }
    }
    if (weighted_) {
      const Matrix& w = *p_.sample_weight;
      const bool per_sample = w.is_vector() && w.size() == n;
      for (size_t i = 0; i < w.rows; ++i) {
        for (size_t j = 0; j < w.cols; ++j) {
          const size_t sample = w.rows == 1 ? j : i;
          if (per_sample && sparse_rows_known && !counts(sample)) continue;
          if (!valid_weight(w.at(i, j))) first(out.weight_culprit, i, j);
        }
      }
      if (out.weight_culprit.found) out.errors |= domain_error;
      // The total may overflow while other arguments are invalid too: either error may come first.
      const bool shapes_fit = (out.errors & argument_error) == 0;
      if (shapes_fit && !out.weight_culprit.found) tolerate_overflowing_total(out, weight_total());
    }
  }

  static void first(Position& position, size_t i, size_t j) {
    if (position.found) return;
    position = {true, static_cast<std::int64_t>(i), static_cast<std::int64_t>(j)};
  }

  bool valid_prediction(real x) const {
    if (p_.loss == Loss::mean_squared_error) return std::isfinite(x);  // "NaN or infinity in any input"
    if (p_.from_logits) return !std::isnan(x);                           // "logits may be ±∞, not NaN"
    return in_unit_interval(x);                                          // "a probability outside [0, 1]"
  }
  bool valid_target(real y) const {
    if (p_.loss == Loss::mean_squared_error) return std::isfinite(y);
    return in_unit_interval(y);  // "a probability or cross-entropy target outside [0, 1]"
  }

  /// Sparse: "rows whose label equals it are not validated and add nothing".
  bool counts(size_t i) const {
    if (!sparse() || !p_.ignore_index) return true;
    return p_.labels.values[i] != *p_.ignore_index;
  }

  /// The weight of element (i, j): all 1 when none are given, w_i for length-N weights,
  /// w_ij for N x M weights.
  real weight(size_t i, size_t j) const {
    if (!weighted_) return 1;
    const Matrix& w = *p_.sample_weight;
    if (elementwise() && w.rows == rows() && w.cols == cols()) return w.at(i, j);  // y_pred's shape first
    return w.rows == 1 ? w.at(0, i) : w.at(i, 0);
  }
  bool element_weights() const {
    if (!weighted_ || !elementwise()) return false;
    const Matrix& w = *p_.sample_weight;
    return w.rows == rows() && w.cols == cols();
  }

  /// What Reduction::mean divides by: "mean = Σ wᵢ·sᵢ / (M·Σ wᵢ)" (MSE, BCE; element weights:
  /// Σ wᵢⱼ), "mean = Σ wᵢ·ℓᵢ / Σ wᵢ" (CCE, sparse; sparse with class weights: Σ wᵢ·c_{yᵢ} over
  /// the rows not ignored). Rows whose label is out of range are left out (they are errors).
  real weight_total() const {
    const size_t n = rows(), m = cols();
    real total = 0;
    if (elementwise()) {
      for (size_t i = 0; i < n; ++i) {
        if (element_weights()) {
          for (size_t j = 0; j < m; ++j) total += weight(i, j);
        } else {
          total += weight(i, 0) * static_cast<real>(m);
        }
      }
      return total;
    }
    for (size_t i = 0; i < n; ++i) {
      if (!counts(i)) continue;
      real c = 1;
      if (sparse() && !p_.class_weight.empty()) {
        const std::int64_t label = p_.labels.values[i];
        if (label < 0 || static_cast<std::uint64_t>(label) >= p_.class_weight.size()) continue;
        c = p_.class_weight[static_cast<size_t>(label)];
      }
      total += weight(i, 0) * c;
    }
    return total;
  }

  /// "an overflowing total weight": a DomainError the README allows on valid weights.
  void tolerate_overflowing_total(Outcome& out, real total) const {
    if (total > p_.scalar.max / 16) {
      out.tolerated |= domain_error;
      out.may_overflow = true;
    }
  }

  /// 1/denominator, or 1 for the sum. "A total weight of zero gives value 0 and a zero gradient."
  real scale(Outcome& out) {
    const real total = weight_total();
    out.weight_total = total;
    note(total);
    tolerate_overflowing_total(out, total);
    if (p_.reduction == Reduction::sum) return 1;
    return total > 0 ? 1 / total : 0;
  }

  // ---------------------------------------------------------------------------------------
  // Element-wise losses: MSE and BCE.

  struct Element {
    Quantity term, derivative;
    bool clipped = false;  // "its gradient is zero"
  };

  /// MSE: term (p − y)², derivative 2(p − y).
  Element squared_error(real y, real p) {
    const real d = p - y;
    note(d);
    Element e;
    e.term = {d * d, d * d + eta_};
    e.derivative = {2 * d, 2 * std::fabs(d) + eta_};
    note(e.term.value);
    return e;
  }

  /// The binary target y′ = y(1 − s) + s/2 ("binary targets become y(1 − s) + s/2") and the
  /// sizes of y′ and of 1 − y′ (exact when s = 0; otherwise y′ carries its rounding).
  struct BinaryTarget {
    real t, t_size, complement, complement_size;
  };
  /// The size of v·y′: a rounded product, which may underflow, unless v = 1.
  real positive_part_size(real v, const BinaryTarget& b) const { return v * b.t_size + (v != 1 ? eta_ : 0); }

  BinaryTarget binary_target(real y) const {
    const real s = p_.label_smoothing;
    const real t = y * (1 - s) + s / 2;
    const bool computed = s != 0;
    return {t, computed ? t + eta_ : t, 1 - t, std::fabs(1 - t) + (computed ? t + eta_ : 0)};
  }

  /// −a·log(x) for a ≥ 0, with "0·log 0 counts as 0"; log_value = log(x), log_extra the
  /// error of log(x) in units of u beyond its own rounding (a computed x).
  Quantity cost(real a, real a_size, real log_value, real log_extra = 0) const {
    if (a == 0) return {};
    if (std::isinf(log_value)) {
      if (may_vanish(a, a_size)) return {0, 0, true};
      return {positive_infinity(), 0};
    }
    return {-a * log_value, a_size * (std::fabs(log_value) + log_extra) + eta_};
  }

  /// a/x with 0/x counting as 0 (a zero target has no derivative part).
  Quantity ratio(real a, real a_size, real x, real x_extra = 0) const {
    if (a == 0) return {};
    if (x == 0) {
      if (may_vanish(a, a_size)) return {0, 0, true};
      return {a > 0 ? positive_infinity() : -positive_infinity(), 0};
    }
    return {a / x, a_size / std::fabs(x) * (1 + x_extra) + eta_};
  }

  /// a·b for b ≥ 0 that may be +∞: "a zero factor times an infinite part counts for nothing".
  Quantity product(real a, real a_size, real b) const {
    if (a == 0) return {};
    if (std::isinf(b)) {
      if (may_vanish(a, a_size)) return {0, 0, true};
      return {positive_infinity(), 0};
    }
    return {a * b, a_size * b + eta_};
  }

  /// The clip bounds [ε, 1 − ε] (p_c = min(max(p, ε), 1 − ε)); 1 − ε as the Scalar holds it.
  real clip_low() const { return p_.epsilon; }
  real clip_high() const { return p_.scalar.rounded(1 - p_.epsilon); }
  real clipped(real p) const { return std::min(std::max(p, clip_low()), clip_high()); }

  /// BCE on probabilities, with v the positive-class weight:
  /// term −[v·y′·log p_c + (1 − y′)·log(1 − p_c)], derivative (1 − y′)/(1 − p_c) − v·y′/p_c
  /// ("the positive part is multiplied by v"), and 0 where p was clipped.
  Element binary_probability(real y, real p, real v) {
    const BinaryTarget b = binary_target(y);
    const real pc = clipped(p);
    const real vt = v * b.t, vt_size = positive_part_size(v, b);
    note(vt);
    Element e;
    e.term = plus(cost(vt, vt_size, std::log(pc)), cost(b.complement, b.complement_size, std::log1p(-pc)));
    e.term.size += eta_;
    note(e.term.value);
    e.clipped = pc != p;
    if (!e.clipped) {
      const Quantity up = ratio(b.complement, b.complement_size, 1 - pc);
      const Quantity down = ratio(vt, vt_size, pc);
      e.derivative = {up.value - down.value, up.size + down.size + eta_, up.indeterminate || down.indeterminate};
      note(up.value);
      note(down.value);
    }
    return e;
  }

  /// BCE on logits: "(1 − y)·max(x, 0) + v·y·max(−x, 0) + (1 + (v − 1)y)·log(1 + e^−|x|),
  /// with derivative (1 + (v − 1)y)·σ(x) − v·y" (y the smoothed target).
  Element binary_logit(real y, real x, real v) {
    const BinaryTarget b = binary_target(y);
    const real vt = v * b.t, vt_size = positive_part_size(v, b);
    const real l = 1 + (v - 1) * b.t, l_size = 1 + std::fabs(v - 1) * b.t_size;
    const real softplus = std::isinf(x) ? 0 : std::log1p(std::exp(-std::fabs(x)));  // log(1 + e^−|x|)
    const real sigma = x == positive_infinity() ? 1 : (x == -positive_infinity() ? 0 : 1 / (1 + std::exp(-x)));
    Element e;
    e.term = plus(product(b.complement, b.complement_size, std::max(x, real(0))),
                  product(vt, vt_size, std::max(-x, real(0))));
    e.term.value += l * softplus;
    e.term.size += l_size * (softplus + exp_allowance(softplus)) + eta_;
    e.derivative = {l * sigma - vt, l_size * (sigma + exp_allowance(sigma)) + vt_size + eta_};
    note(vt * x);
    note(b.complement * x);
    note(e.term.value);
    note(l);
    return e;
  }

  Element element(size_t i, size_t j) {
    const real y = p_.y_true.at(i, j), p = p_.y_pred.at(i, j);
    if (p_.loss == Loss::mean_squared_error) return squared_error(y, p);
    const real v = p_.pos_weight.empty() ? 1 : p_.pos_weight[j];
    return p_.from_logits ? binary_logit(y, p, v) : binary_probability(y, p, v);
  }

  /// "mean = Σ wᵢⱼ·termᵢⱼ / Σ wᵢⱼ" and the gradient "times the reduction's weight and scale".
  /// "A row or element of weight zero contributes nothing to the value or the gradient, even
  /// where its term is infinite."
  void evaluate_elementwise(Outcome& out) {
    const size_t n = rows(), m = cols();
    const real factor = scale(out);
    Quantity value;
    out.gradient.assign(n * m, Bound{});
    out.per_sample.assign(n, Bound{});
    out.per_element.assign(n * m, Bound{});
    for (size_t i = 0; i < n; ++i) {
      Quantity row_sum;
      for (size_t j = 0; j < m; ++j) {
        const Element e = element(i, j);
        note(e.term.value);
        note(e.derivative.value);
        const real w = weight(i, j);
        note(w);
        out.per_element[i * m + j] = bound(e.term);
        row_sum = plus(row_sum, e.term);
        Bound& g = out.gradient[i * m + j];
        if (w == 0 || factor == 0) continue;  // exactly 0, value and gradient
        value = plus(value, weighted(e.term, w, factor));
        note(w * e.term.value);
        note(w * e.derivative.value);
        if (!e.clipped) g = bound(weighted(e.derivative, w, factor));
      }
      out.per_sample[i] = bound({row_sum.value / static_cast<real>(m), row_sum.size / static_cast<real>(m) + eta_,
                                 row_sum.indeterminate});
    }
    out.value = bound(value);
    note(value.value);
  }

  /// q times a weight and the reduction's scale. The three are multiplied in the Scalar in
  /// some order, and whichever product comes first may underflow: its error, up to half
  /// the smallest subnormal, is then multiplied by the third factor.
  Quantity weighted(const Quantity& q, real w, real scale) const {
    const real magnitude = std::isfinite(q.value) ? std::fabs(q.value) : 0;
    return {q.value * w * scale, q.size * w * scale + eta_ * (magnitude + w + scale + 1), q.indeterminate};
  }

  Bound bound(const Quantity& q) const {
    Bound b;
    b.exact = q.value;
    b.tolerance = std::isfinite(q.value) ? 16 * u_ * q.size : 0;
    b.indeterminate = q.indeterminate;
    return b;
  }

  // ---------------------------------------------------------------------------------------
  // Row losses: CCE and sparse CCE.

  /// The row's targets after the options: "categorical and sparse targets y(1 − s) + s/K",
  /// and "the term of class k is multiplied by cₖ". For sparse rows y is one-hot at the label.
  std::vector<Quantity> row_targets(size_t i) const {
    const size_t m = cols();
    const real s = p_.label_smoothing;
    std::vector<Quantity> t(m);
    for (size_t k = 0; k < m; ++k) {
      real y;
      if (sparse()) {
        y = static_cast<size_t>(p_.labels.values[i]) == k ? 1 : 0;
      } else {
        y = p_.y_true.at(i, k);
      }
      const real c = p_.class_weight.empty() ? 1 : p_.class_weight[k];
      t[k].value = c * (y * (1 - s) + s / static_cast<real>(m));
      const bool exact = s == 0 && (c == 1 || y == 0 || sparse());
      t[k].size = exact ? t[k].value : t[k].value + (c + 1) * eta_;
    }
    return t;
  }

  struct Row {
    Quantity loss;
    std::vector<Quantity> derivative;
    std::vector<bool> exact_zero;  // clipped: "its gradient is zero"
    bool gradient_indeterminate = false;
  };

  /// CCE on probabilities: "ℓᵢ = −Σₖ yᵢₖ·log p_c,ᵢₖ", derivative "−yᵢₖ/p_c,ᵢₖ", 0 where
  /// clipped; "a term whose target is exactly 0 contributes exactly 0".
  Row categorical_probability(size_t i, const std::vector<Quantity>& t) {
    const size_t m = cols();
    Row r;
    r.derivative.assign(m, Quantity{});
    r.exact_zero.assign(m, false);
    for (size_t k = 0; k < m; ++k) {
      const real p = p_.y_pred.at(i, k), pc = clipped(p);
      r.loss = plus(r.loss, cost(t[k].value, t[k].size, std::log(pc)));
      if (pc != p) {
        r.exact_zero[k] = true;
        continue;
      }
      const Quantity d = ratio(t[k].value, t[k].size, pc);
      r.derivative[k] = {-d.value, d.size + eta_, d.indeterminate};
      note(d.value);
    }
    r.loss.size += eta_;
    return r;
  }

  /// renormalize(true): "row i is first divided by its sum Sᵢ: the term is that of
  /// qᵢ = pᵢ/Sᵢ, clipped, and the gradient goes through the normalisation,
  /// ∂ℓᵢ/∂pᵢⱼ = (dⱼ − Σₖ dₖqₖᵢ)/Sᵢ with d the derivative above at q". Σₖ dₖqₖ is −Σₖ tₖ over
  /// the unclipped classes (dₖ = −tₖ/qₖ there), which is also its limit where qₖ = 0.
  Row categorical_renormalized(size_t i, const std::vector<Quantity>& t) {
    const size_t m = cols();
    real total = 0;
    for (size_t k = 0; k < m; ++k) total += p_.y_pred.at(i, k);
    // q carries the rounding of the sum of m numbers and of one division.
    const real q_error = static_cast<real>(m) / 2 + 1;
    Row r;
    r.derivative.assign(m, Quantity{});
    r.exact_zero.assign(m, false);
    real pull = 0, pull_size = 0;
    std::vector<Quantity> d(m);
    std::vector<bool> unclipped(m, false);
    for (size_t k = 0; k < m; ++k) {
      const real p = p_.y_pred.at(i, k), q = p / total, qc = clipped(q);
      unclipped[k] = qc == q;
      // The clip decision on a rounded q may differ from the exact one next to a bound
      // (q = 0 and q = 1 are exact in any Scalar).
      const real margin = 2 * q_error * u_ * q;
      const bool q_exact = p == 0 || p == total;
      if (!q_exact && (std::fabs(q - clip_low()) <= margin || std::fabs(q - clip_high()) <= margin)) {
        r.gradient_indeterminate = true;
      }
      // A subnormal q is rounded to within half the smallest subnormal, uη/2: relatively
      // large, and a q below it may even come out as 0 (its log and ratio then infinite).
      const real underflow = q > 0 && q < eta_ ? eta_ / (2 * q) : 0;
      if (q > 0 && q <= u_ * eta_) {
        r.gradient_indeterminate = true;
        if (t[k].value != 0 && clip_low() == 0) r.loss.indeterminate = true;
      }
      r.loss = plus(r.loss, cost(t[k].value, t[k].size, std::log(qc), unclipped[k] ? 1 + underflow : 0));
      if (unclipped[k]) {
        const Quantity ratio_k = ratio(t[k].value, t[k].size, qc, (q_error + underflow) / 16);
        d[k] = {-ratio_k.value, ratio_k.size, ratio_k.indeterminate};
        pull -= t[k].value;
        pull_size += t[k].size;
      }
    }
    for (size_t j = 0; j < m; ++j) {
      // A clipped class has dⱼ = 0: its gradient is the normalisation's pull alone.
      r.derivative[j] = {(d[j].value - pull) / total, (d[j].size + pull_size) / total + eta_, d[j].indeterminate};
    }
    r.loss.size += eta_;
    return r;
  }

  /// On logits: "ℓᵢ = Σₖ yᵢₖ(m − zᵢₖ) + Tᵢ·log Σⱼ e^(zᵢⱼ − m), with m = maxₖ zᵢₖ and
  /// Tᵢ = Σₖ yᵢₖ", derivative "Tᵢ·softmax(zᵢ)ₖ − yᵢₖ". Infinite logits give the limits: "a −∞
  /// logit with target 0 is a mask ..., with a positive target the loss is +∞", "two or more
  /// +∞ logits in a row count as equal (softmax 1/k among them)", and a row of −∞ logits has
  /// softmax 0 everywhere.
  Row categorical_logits(size_t i, const std::vector<Quantity>& t) {
    const size_t m = cols();
    Row r;
    r.derivative.assign(m, Quantity{});
    r.exact_zero.assign(m, false);
    Quantity mass;  // T
    for (size_t k = 0; k < m; ++k) mass = plus(mass, t[k]);

    std::vector<real> z(m);
    size_t at_plus_infinity = 0;
    real top = -positive_infinity();
    for (size_t k = 0; k < m; ++k) {
      z[k] = p_.y_pred.at(i, k);
      if (z[k] == positive_infinity()) ++at_plus_infinity;
      top = std::max(top, z[k]);
    }

    std::vector<Quantity> softmax(m);
    if (at_plus_infinity > 0) {
      const real share = 1 / static_cast<real>(at_plus_infinity);
      for (size_t k = 0; k < m; ++k) {
        if (z[k] == positive_infinity()) {
          softmax[k] = {share, share};
          r.loss = plus(r.loss, cost(t[k].value, t[k].size, std::log(share), 1));
        } else {
          r.loss = plus(r.loss, cost(t[k].value, t[k].size, -positive_infinity()));
        }
      }
    } else if (top == -positive_infinity()) {
      for (size_t k = 0; k < m; ++k) r.loss = plus(r.loss, cost(t[k].value, t[k].size, -positive_infinity()));
    } else {
      // e_k = e^(z_k − m): z_k − m is rounded, which exp turns into a relative error of
      // |z_k − m|·u/2; exp itself adds a few ulps.
      std::vector<Quantity> e(m);
      Quantity total;
      for (size_t k = 0; k < m; ++k) {
        if (z[k] == -positive_infinity()) continue;
        const real gap = top - z[k];
        note(gap);
        const real ek = std::exp(-gap);
        e[k] = {ek, ek * (1 + gap / 16) + exp_allowance(ek)};
        total = plus(total, e[k]);
      }
      const real log_total = std::log(total.value);
      for (size_t k = 0; k < m; ++k) {
        if (z[k] == -positive_infinity()) {
          r.loss = plus(r.loss, cost(t[k].value, t[k].size, -positive_infinity()));
          continue;
        }
        const real gap = top - z[k];
        if (t[k].value != 0) r.loss = plus(r.loss, {t[k].value * gap, t[k].size * gap + eta_});
        note(t[k].value * gap);
        softmax[k] = {e[k].value / total.value,
                      e[k].size / total.value + e[k].value * total.size / (total.value * total.value) + eta_};
      }
      r.loss = plus(r.loss, {mass.value * log_total, mass.size * (log_total + total.size / total.value) + eta_});
    }
    for (size_t k = 0; k < m; ++k) {
      r.derivative[k] = {mass.value * softmax[k].value - t[k].value,
                         mass.size * softmax[k].size + t[k].size + eta_};
    }
    r.loss.size += eta_;
    note(r.loss.value);
    return r;
  }

  Row row(size_t i) {
    const std::vector<Quantity> t = row_targets(i);
    if (p_.from_logits) return categorical_logits(i, t);
    if (p_.loss == Loss::categorical_cross_entropy && p_.renormalize) return categorical_renormalized(i, t);
    return categorical_probability(i, t);
  }

  /// "mean = Σ wᵢ·ℓᵢ / Σ wᵢ" (sparse with class weights: Σ wᵢ·c_{yᵢ}); ignored rows add
  /// "nothing to the value, the gradient (their rows are exactly 0 ...) or the mean's
  /// denominator".
  void evaluate_rows(Outcome& out) {
    const size_t n = rows(), m = cols();
    const real factor = scale(out);
    Quantity value;
    out.gradient.assign(n * m, Bound{});
    out.per_sample.assign(n, Bound{});
    for (size_t i = 0; i < n; ++i) {
      if (!counts(i)) continue;  // per-sample 0 and a zero gradient row, exactly
      const Row r = row(i);
      note(r.loss.value);
      for (const Quantity& d : r.derivative) note(d.value);
      out.per_sample[i] = bound(r.loss);
      const real w = weight(i, 0);
      note(w);
      if (w == 0 || factor == 0) continue;
      value = plus(value, weighted(r.loss, w, factor));
      note(w * r.loss.value);
      for (size_t k = 0; k < m; ++k) {
        if (r.exact_zero[k]) continue;
        Bound g = bound(weighted(r.derivative[k], w, factor));
        g.indeterminate = g.indeterminate || r.gradient_indeterminate;
        out.gradient[i * m + k] = g;
        note(w * r.derivative[k].value);
      }
    }
    out.value = bound(value);
    note(value.value);
  }

  // ---------------------------------------------------------------------------------------

  void finish(Outcome& out) {
    if (peak_ > p_.scalar.max / 16) out.may_overflow = true;
    // "With ε > 0 every valid input gives a finite loss"; "on finite logits the loss is
    // finite unless it overflows".
    bool moderate = !out.may_overflow;
    for (real x : p_.y_pred.values) {
      if (!std::isfinite(x)) moderate = false;
      if (p_.from_logits && std::fabs(x) > p_.scalar.moderate_logit()) moderate = false;
    }
    for (real y : p_.y_true.values) moderate = moderate && std::isfinite(y);
    if (probabilities() && p_.epsilon == 0) moderate = false;
    out.must_be_finite = moderate;
  }
};

}  // namespace detail

/// The outcome of `loss(y_true, y_pred[, sample_weight])` and of its gradient calls;
/// `weighted` selects whether problem.sample_weight is passed. The per-sample values and
/// per-element terms are unweighted whatever `weighted` says.
inline Outcome evaluate(const Problem& problem, bool weighted) {
  return detail::Evaluator(problem, weighted && problem.sample_weight.has_value()).run();
}

// -----------------------------------------------------------------------------------------
// log_loss: the README's "`log_loss`: scikit-learn's metric" section.

struct LogLossProblem {
  Precision scalar;
  Matrix y_pred;                      ///< N x K probabilities, or N x 1 for two classes
  std::vector<std::int64_t> y_true;   ///< labels of any integer values
  std::vector<std::int64_t> labels;   ///< LogLossOptions::labels (empty: from y_true)
  bool normalize = true;
  std::vector<real> sample_weight;  ///< LogLossOptions::sample_weight (doubles); "Empty: all ones"
};

struct LogLossOutcome {
  unsigned errors = 0, tolerated = 0;
  bool may_overflow = false;
  Bound value;
  Position y_pred_culprit, weight_culprit;
  bool report_known = false;   ///< no row's sum is within rounding of the tolerance
  bool rows_not_normalized = false;
  std::int64_t first_row = -1;
};

inline LogLossOutcome evaluate(const LogLossProblem& p) {
  LogLossOutcome out;
  const size_t n = p.y_pred.rows, k = p.y_pred.cols;
  const real u = p.scalar.epsilon;
  // ArgumentError: an empty y_pred, sample counts that differ.
  if (n == 0 || k == 0) out.errors |= argument_error;
  if (p.y_true.size() != n) out.errors |= argument_error;
  const bool weighted = !p.sample_weight.empty();
  if (weighted && p.sample_weight.size() != n) out.errors |= argument_error;
  // "column k for the k-th sorted class, of labels if given, else of the distinct labels of y_true"
  std::vector<std::int64_t> classes = p.labels.empty() ? p.y_true : p.labels;
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  // "a label missing from labels", "a single class without labels, fewer than two labels",
  // "a class count that differs from y_pred's" (a column stands for two classes).
  bool labels_fit = true;
  for (std::int64_t label : p.y_true) {
    if (!std::binary_search(classes.begin(), classes.end(), label)) labels_fit = false;
  }
  if (!labels_fit) out.errors |= argument_error;
  if (classes.size() < 2) out.errors |= argument_error;
  if (classes.size() != (k == 1 ? 2 : k)) out.errors |= argument_error;
  // DomainError: "a probability outside [0, 1], NaN or infinity (its row and column)".
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < k; ++j) {
      if (!detail::in_unit_interval(p.y_pred.at(i, j)) && !out.y_pred_culprit.found) {
        out.y_pred_culprit = {true, static_cast<std::int64_t>(i), static_cast<std::int64_t>(j)};
      }
    }
  }
  if (out.y_pred_culprit.found) out.errors |= domain_error;
  // "Negative and non-finite weights are rejected"; "weights summing to zero under normalize".
  real weight_total = static_cast<real>(n);
  if (weighted) {
    weight_total = 0;
    const std::vector<real>& w = p.sample_weight;
    for (size_t i = 0; i < w.size(); ++i) {
      if (!detail::valid_weight(w[i]) && !out.weight_culprit.found) {
        out.weight_culprit = {true, static_cast<std::int64_t>(i), 0};
      }
      weight_total += w[i];
    }
    if (out.weight_culprit.found) {
      out.errors |= domain_error;
    } else {
      const real double_max = std::numeric_limits<double>::max();
      if (weight_total > double_max / 16) {  // the weights are doubles: their total may overflow
        out.tolerated |= domain_error;
        out.may_overflow = true;
      }
      if (p.normalize && weight_total == 0) out.errors |= argument_error;
    }
  }
  if (out.errors != 0) return out;

  // "a row scores −log of its label's probability", "clipped to [ε, 1 − ε] with ε the
  // machine epsilon of that type"; "normalize (default) gives Σ wᵢ·ℓᵢ / Σ wᵢ, otherwise
  // Σ wᵢ·ℓᵢ". An N x 1 column is "the probability of the larger label".
  const real low = u, high = p.scalar.rounded(1 - u);
  const real eta = p.scalar.min_normal;
  real value = 0, size = 0, peak = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto column = static_cast<size_t>(std::lower_bound(classes.begin(), classes.end(), p.y_true[i]) - classes.begin());
    real probability, extra = 0;
    if (k == 1) {
      probability = column == 1 ? p.y_pred.at(i, 0) : 1 - p.y_pred.at(i, 0);
      if (column == 0) extra = 1;  // 1 − p is computed
    } else {
      probability = p.y_pred.at(i, column);
    }
    const real term = -std::log(std::min(std::max(probability, low), high));
    const real w = weighted ? p.sample_weight[i] : 1;
    value += w * term;
    size += w * (term + extra + eta);
    peak = std::max(peak, w * term);
  }
  if (peak > std::numeric_limits<double>::max() / 16) out.may_overflow = true;
  const real divisor = p.normalize ? weight_total : 1;
  out.value.exact = value / divisor;
  // Each w·ℓ is a product of doubles, which may underflow by half the smallest subnormal
  // double before it is divided by Σ w (the allowance the functors get for weight × term).
  const real underflow = static_cast<real>(n) * std::numeric_limits<double>::denorm_min();
  out.value.tolerance = (16 * u * size + underflow) / divisor;

  // "a row whose sum differs from one by more than √ε + 10⁻⁸ ... is named in the optional
  // LogLossReport"; the Scalar's own sum of a row may land on either side of the line.
  out.report_known = true;
  if (k >= 2) {
    const real line = std::sqrt(u) + real(1e-8);
    for (size_t i = 0; i < n; ++i) {
      real row_sum = 0;
      for (size_t j = 0; j < k; ++j) row_sum += p.y_pred.at(i, j);
      const real off = std::fabs(row_sum - 1);
      if (std::fabs(off - line) <= 2 * static_cast<real>(k) * u * std::max(row_sum, real(1)) + line * u) {
        out.report_known = false;
      }
      if (off > line && !out.rows_not_normalized) {
        out.rows_not_normalized = true;
        out.first_row = static_cast<std::int64_t>(i);
      }
    }
  }
  return out;
}

}  // namespace oracle

#endif  // LOSSES_FUZZ_ORACLE_HPP
