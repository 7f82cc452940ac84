// libFuzzer harness for the losses: the fuzzer's bytes become a loss, its options and its
// inputs; every entry point is called, and what it does is checked against the README's
// contract, as oracle.hpp evaluates it independently:
// - it throws one of the documented exceptions (losses::ArgumentError, DomainError,
//   LabelError), exactly when the input is invalid, naming the loss and the first culprit;
// - or it returns results within the oracle's tolerance, finite wherever the input is valid,
//   finite and moderate.
// Anything else (another exception, a wrong result, a sanitizer report) prints the problem
// and traps, so that libFuzzer keeps the input.
//
// Input format. Bytes are read in order; reading past the end gives zeros, so every input
// decodes to some problem.
//   [0]      loss, % 5: MeanSquaredError, BinaryCrossEntropy, CategoricalCrossEntropy,
//            SparseCategoricalCrossEntropy, log_loss
//   [1]      flags: bit 0 double (else float), 1 y_pred and y_true row-major, 2 sample weights
//            row-major, 3 from_logits, 4 renormalize, 5 labels row-major, 6 log_loss reads an
//            Eigen vector of labels (else a std::vector), 7 log_loss with normalize = false
//   [2] [3]  N = [2] % 41, M (or K) = [3] % 13
//   [4]      bits 0-1: extra outer stride of the inputs (% 3); bits 2-3: of gradient_out (% 3);
//            bit 4: log_loss without a LogLossReport
//   [5]      shape of y_true (dense), of the labels (sparse), length of log_loss's y_true
//   [6]      reduction          [7] epsilon, with [8-9] a parameter
//   [10]     label smoothing, with [11-12] a parameter
//   [13]     the vector option: pos_weight (BCE), class_weight (CCE, sparse), labels (log_loss)
//   [14]     ignore_index, with [15-18] a parameter           [19] sample weights
//   then the arrays, in order: y_pred; y_true or the labels; the sample weights; the vector
//   option's values. An array is a mode byte (% 4 == 3: any value at all, otherwise only
//   values valid for its role) and then, per element in row-major order, a kind byte and the
//   kind's parameter bytes (see draw()). tests/fuzz/make_corpus.py writes this format.
#include <Eigen/Core>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <losses/losses.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "oracle.hpp"

namespace {

using Eigen::Index;
using oracle::real;

// -----------------------------------------------------------------------------------------
// Bytes

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t byte() { return position_ < size_ ? data_[position_++] : std::uint8_t(0); }
  std::uint16_t u16() {
    const unsigned low = byte();
    const unsigned high = byte();
    return static_cast<std::uint16_t>(low | (high << 8));
  }
  std::uint32_t u32() {
    const std::uint32_t low = u16();
    const std::uint32_t high = u16();
    return low | (high << 16);
  }
  std::uint64_t u64() {
    const std::uint64_t low = u32();
    const std::uint64_t high = u32();
    return low | (high << 32);
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

struct Header {
  std::uint8_t loss, flags, rows, cols, padding, shape, reduction;
  std::uint8_t epsilon;
  std::uint16_t epsilon_parameter;
  std::uint8_t smoothing;
  std::uint16_t smoothing_parameter;
  std::uint8_t vector_option, ignore;
  std::uint32_t ignore_parameter;
  std::uint8_t weights;
};

Header read_header(ByteReader& in) {
  Header h{};
  h.loss = in.byte();
  h.flags = in.byte();
  h.rows = in.byte();
  h.cols = in.byte();
  h.padding = in.byte();
  h.shape = in.byte();
  h.reduction = in.byte();
  h.epsilon = in.byte();
  h.epsilon_parameter = in.u16();
  h.smoothing = in.byte();
  h.smoothing_parameter = in.u16();
  h.vector_option = in.byte();
  h.ignore = in.byte();
  h.ignore_parameter = in.u32();
  h.weights = in.byte();
  return h;
}

bool flag(std::uint8_t flags, int bit) { return ((flags >> bit) & 1u) != 0; }

// -----------------------------------------------------------------------------------------
// Values: ordinary numbers, and the ones where floating-point code goes wrong (exact ulps
// next to 0, 1, ε, 1 − ε and η, subnormals, huge magnitudes, ±∞, NaN, raw bit patterns).

enum class Kind : std::uint8_t {
  zero, one, unit16, negative_zero, ulps_above_zero, ulps_below_one, ulps_above_one,
  near_epsilon, near_one_minus_epsilon, subnormal, near_min_normal, huge, huge_negative,
  power_of_two, infinity, negative_infinity, not_a_number, real16, big_logit, raw_bits,
  near_half, negative_tiny, negative_unit16,
  count  // not a kind
};
constexpr unsigned kind_count = static_cast<unsigned>(Kind::count);

/// What an array holds, which fixes the values its "valid" mode draws.
enum class Role { unit, real, logit, weight };

constexpr Kind unit_kinds[] = {Kind::zero, Kind::one, Kind::unit16, Kind::unit16, Kind::unit16,
                               Kind::negative_zero, Kind::ulps_above_zero, Kind::ulps_below_one,
                               Kind::near_epsilon, Kind::near_one_minus_epsilon, Kind::subnormal,
                               Kind::near_min_normal, Kind::near_half};
constexpr Kind real_kinds[] = {Kind::zero, Kind::one, Kind::unit16, Kind::real16, Kind::real16, Kind::real16,
                               Kind::negative_zero, Kind::ulps_above_zero, Kind::ulps_below_one, Kind::subnormal,
                               Kind::near_min_normal, Kind::huge, Kind::huge_negative, Kind::power_of_two,
                               Kind::big_logit, Kind::negative_tiny, Kind::negative_unit16, Kind::near_half};
constexpr Kind logit_kinds[] = {Kind::zero, Kind::one, Kind::unit16, Kind::real16, Kind::real16, Kind::real16,
                                Kind::negative_zero, Kind::ulps_above_zero, Kind::subnormal, Kind::huge,
                                Kind::huge_negative, Kind::power_of_two, Kind::big_logit, Kind::big_logit,
                                Kind::negative_unit16, Kind::infinity, Kind::negative_infinity};
constexpr Kind weight_kinds[] = {Kind::zero, Kind::one, Kind::one, Kind::unit16, Kind::unit16, Kind::real16,
                                 Kind::ulps_above_zero, Kind::ulps_below_one, Kind::subnormal,
                                 Kind::near_min_normal, Kind::huge, Kind::power_of_two, Kind::big_logit};

template <std::size_t n>
Kind pick(const Kind (&kinds)[n], std::uint8_t byte) {
  return kinds[byte % n];
}

/// x moved by `steps` representable numbers (down when negative).
template <class S>
S stepped(S x, int steps) {
  const S toward = steps < 0 ? -std::numeric_limits<S>::infinity() : std::numeric_limits<S>::infinity();
  for (int k = 0; k < std::abs(steps); ++k) x = std::nextafter(x, toward);
  return x;
}

template <class S>
S draw(ByteReader& in, Kind kind) {
  using limits = std::numeric_limits<S>;
  switch (kind) {
    case Kind::zero: return S(0);
    case Kind::one: return S(1);
    case Kind::unit16: return static_cast<S>(in.u16()) / S(65535);
    case Kind::negative_zero: return -S(0);
    case Kind::ulps_above_zero: return static_cast<S>(1 + in.byte()) * limits::denorm_min();
    case Kind::ulps_below_one: return stepped(S(1), -static_cast<int>(in.byte()));
    case Kind::ulps_above_one: return stepped(S(1), 1 + static_cast<int>(in.byte()));
    case Kind::near_epsilon: return stepped(limits::epsilon(), static_cast<int>(in.byte()) - 128);
    case Kind::near_one_minus_epsilon: return stepped(S(1) - limits::epsilon(), static_cast<int>(in.byte()) - 128);
    case Kind::subnormal: return static_cast<S>(1 + in.u16()) * limits::denorm_min();
    case Kind::near_min_normal: return stepped(limits::min(), static_cast<int>(in.byte()) - 128);
    case Kind::huge: return stepped(limits::max(), -static_cast<int>(in.byte()));
    case Kind::huge_negative: return -stepped(limits::max(), -static_cast<int>(in.byte()));
    case Kind::power_of_two: {
      // Every binade, subnormal to the largest: 2^e for e in [min_exponent − digits, max_exponent).
      const unsigned bits = in.u16();
      const int lowest = limits::min_exponent - limits::digits;
      const int exponent = lowest + static_cast<int>((bits >> 1) % static_cast<unsigned>(limits::max_exponent - lowest));
      const S magnitude = std::ldexp(S(1), exponent);
      return (bits & 1u) != 0 ? -magnitude : magnitude;
    }
    case Kind::infinity: return limits::infinity();
    case Kind::negative_infinity: return -limits::infinity();
    case Kind::not_a_number: return limits::quiet_NaN();
    case Kind::real16: return (static_cast<S>(in.u16()) - S(32768)) / S(256);
    case Kind::big_logit: {
      // ±10^(b/8), 1 to about 1e32: logits beyond what exp can take, below overflow.
      const unsigned bits = in.u16();
      const auto magnitude = static_cast<S>(std::pow(10.0L, static_cast<long double>((bits >> 1) & 0xffu) / 8));
      return (bits & 1u) != 0 ? -magnitude : magnitude;
    }
    case Kind::raw_bits: {
      S x;
      if constexpr (sizeof(S) == sizeof(std::uint32_t)) {
        const std::uint32_t bits = in.u32();
        std::memcpy(&x, &bits, sizeof x);
      } else {
        const std::uint64_t bits = in.u64();
        std::memcpy(&x, &bits, sizeof x);
      }
      return x;
    }
    case Kind::near_half: return stepped(S(0.5), static_cast<int>(in.byte()) - 128);
    case Kind::negative_tiny: return -static_cast<S>(1 + in.byte()) * limits::denorm_min();
    case Kind::negative_unit16: return -(static_cast<S>(in.u16()) + S(1)) / S(65536);
    case Kind::count: break;
  }
  return S(0);
}

/// An array of `count` values for `role`: a mode byte, then a kind byte (and the kind's
/// parameters) per value.
template <class S>
std::vector<S> draw_values(ByteReader& in, std::size_t count, Role role) {
  const bool anything = in.byte() % 4 == 3;
  std::vector<S> values(count);
  for (S& x : values) {
    const std::uint8_t k = in.byte();
    if (anything) {
      x = draw<S>(in, static_cast<Kind>(k % kind_count));
      continue;
    }
    switch (role) {
      case Role::unit: x = std::min(std::max(draw<S>(in, pick(unit_kinds, k)), S(0)), S(1)); break;
      case Role::real: x = draw<S>(in, pick(real_kinds, k)); break;
      case Role::logit: x = draw<S>(in, pick(logit_kinds, k)); break;
      case Role::weight: x = std::fabs(draw<S>(in, pick(weight_kinds, k))); break;
    }
  }
  return values;
}

/// Class labels in [0, classes), or in "anything" mode also −1, K, INT_MAX, INT_MIN, −100, ...
std::vector<int> draw_labels(ByteReader& in, std::size_t count, int classes) {
  const bool anything = in.byte() % 4 == 3;
  std::vector<int> labels(count);
  for (int& label : labels) {
    const std::uint8_t b = in.byte();
    if (anything && b >= 224) {
      switch (b % 8) {
        case 0: label = -1; break;
        case 1: label = classes; break;
        case 2: label = INT_MAX; break;
        case 3: label = INT_MIN; break;
        case 4: label = -100; break;
        case 5: label = classes + 1; break;
        case 6: label = static_cast<int>(static_cast<std::int32_t>(in.u32())); break;
        default: label = 0; break;
      }
    } else {
      label = b % std::max(classes, 1);
    }
  }
  return labels;
}

// -----------------------------------------------------------------------------------------
// The decoded problem

enum class LossKind { mean_squared_error, binary_cross_entropy, categorical_cross_entropy, sparse, log_loss };

template <class S>
struct Case {
  LossKind loss = LossKind::mean_squared_error;
  bool row_major = false, weights_row_major = false, labels_row_major = false;
  bool from_logits = false, renormalize = false;
  bool eigen_labels = false, normalize = true, report = true;  // log_loss
  Index rows = 0, cols = 0;
  Index input_padding = 0, output_padding = 0;
  Index true_rows = 0, true_cols = 0;  // y_true's or the labels' shape

  std::vector<S> y_pred, y_true;  // row-major
  std::vector<int> labels;        // row-major

  std::optional<int> reduction;   // the setter's argument; 2 is no Reduction
  std::optional<S> epsilon, label_smoothing;
  std::optional<std::vector<S>> vector_option;  // pos_weight or class_weight
  std::optional<std::vector<int>> log_loss_labels;
  std::optional<std::int64_t> ignore_index;

  bool weighted = false;
  Index weight_rows = 0, weight_cols = 0;
  std::vector<S> weights;             // row-major
  std::vector<double> log_loss_weights;
};

template <class S>
std::optional<S> decode_epsilon(std::uint8_t selector, std::uint16_t parameter) {
  const S machine = std::numeric_limits<S>::epsilon();
  switch (selector % 16) {
    case 4: return S(0);
    case 5: return machine / 2;                                   // the lowest valid value
    case 6: return stepped(machine / 2, -1);                      // invalid: just below it
    case 7: return S(0.5);                                        // invalid: the open end
    case 8: return stepped(S(0.5), -1);                           // valid: just below it
    case 9: return S(1e-7);                                       // Keras' default
    case 10: return std::numeric_limits<S>::quiet_NaN();          // invalid
    case 11: return -machine;                                     // invalid
    case 12: return machine / 2 + (S(0.5) - machine / 2) * static_cast<S>(parameter) / S(65536);
    case 13: return std::numeric_limits<S>::infinity();           // invalid
    case 14: return stepped(S(0.25), parameter % 256);            // 1 − ε rounds in the Scalar
    case 15: return std::ldexp(S(1), -static_cast<int>(parameter % 64));  // 1, 1/2 and tiny ones invalid
    default: return std::nullopt;                                 // the default
  }
}

template <class S>
std::optional<S> decode_smoothing(std::uint8_t selector, std::uint16_t parameter) {
  switch (selector % 16) {
    case 6: return S(0);
    case 7: return S(1);
    case 8: return S(0.1);
    case 9: return static_cast<S>(parameter) / S(65535);
    case 10: return -S(0);
    case 11: return stepped(S(1), 1);                          // invalid
    case 12: return -std::numeric_limits<S>::denorm_min();     // invalid
    case 13: return std::numeric_limits<S>::quiet_NaN();       // invalid
    case 14: return std::numeric_limits<S>::denorm_min();      // s/K rounds to 0
    case 15: return stepped(S(1), -1);
    default: return std::nullopt;
  }
}

std::optional<std::int64_t> decode_ignore_index(std::uint8_t selector, std::uint32_t parameter, Index classes) {
  switch (selector % 16) {
    case 8: return -100;
    case 9: return 0;
    case 10: return classes - 1;
    case 11: return classes;
    case 12: return std::numeric_limits<std::int64_t>::max();
    case 13: return std::numeric_limits<std::int64_t>::min();
    case 14: return -1;
    case 15: return static_cast<std::int32_t>(parameter);
    default: return std::nullopt;
  }
}

/// A shape near (rows, cols): mostly the right one, sometimes off by one or transposed.
std::pair<Index, Index> dense_shape(std::uint8_t selector, Index n, Index m) {
  switch (selector % 16) {
    case 12: return {n + 1, m};
    case 13: return {n, m + 1};
    case 14: return {m, n};
    case 15: return {std::max<Index>(n - 1, 0), m};
    default: return {n, m};
  }
}

std::pair<Index, Index> label_shape(std::uint8_t selector, Index n) {
  const unsigned s = selector % 16u;
  if (s < 8) return {n, 1};
  if (s < 12) return {1, n};
  switch (s) {
    case 12: return {n + 1, 1};
    case 13: return {1, std::max<Index>(n - 1, 0)};
    case 14: return {2, n};
    default: return {n, 2};
  }
}

std::optional<std::pair<Index, Index>> weight_shape(std::uint8_t selector, Index n, Index m) {
  switch (selector % 16) {
    case 5: case 6: return std::pair<Index, Index>{n, 1};
    case 7: return std::pair<Index, Index>{1, n};
    case 8: case 9: return std::pair<Index, Index>{n, m};
    case 10: return std::pair<Index, Index>{n + 1, 1};
    case 11: return std::pair<Index, Index>{m, n};
    case 12: return std::pair<Index, Index>{n, m + 1};
    case 13: return std::pair<Index, Index>{std::max<Index>(n - 1, 0), 1};
    case 14: return std::pair<Index, Index>{0, 0};
    case 15: return std::pair<Index, Index>{2, n};
    default: return std::nullopt;
  }
}

std::size_t count_of(Index rows, Index cols) { return static_cast<std::size_t>(rows * cols); }

template <class S>
Case<S> decode(const Header& h, ByteReader& in) {
  Case<S> c;
  c.loss = static_cast<LossKind>(h.loss % 5);
  c.row_major = flag(h.flags, 1);
  c.weights_row_major = flag(h.flags, 2);
  c.from_logits = flag(h.flags, 3);
  c.renormalize = flag(h.flags, 4);
  c.labels_row_major = flag(h.flags, 5);
  c.eigen_labels = flag(h.flags, 6);
  c.normalize = !flag(h.flags, 7);
  c.report = !flag(h.padding, 4);
  c.rows = h.rows % 41;
  c.cols = h.cols % 13;
  c.input_padding = (h.padding & 3u) % 3;
  c.output_padding = ((h.padding >> 2) & 3u) % 3;

  const std::uint8_t r = h.reduction % 8;
  if (r == 3) c.reduction = 0;  // Reduction::mean
  if (r >= 4 && r <= 6) c.reduction = 1;  // Reduction::sum
  if (r == 7) c.reduction = 2;  // no Reduction: the setter must reject it
  c.epsilon = decode_epsilon<S>(h.epsilon, h.epsilon_parameter);
  c.label_smoothing = decode_smoothing<S>(h.smoothing, h.smoothing_parameter);
  c.ignore_index = decode_ignore_index(h.ignore, h.ignore_parameter, c.cols);

  const bool probabilities = c.loss == LossKind::log_loss ||
                             (c.loss != LossKind::mean_squared_error && !c.from_logits);
  const Role prediction_role = c.loss == LossKind::mean_squared_error ? Role::real
                               : probabilities                        ? Role::unit
                                                                      : Role::logit;
  c.y_pred = draw_values<S>(in, count_of(c.rows, c.cols), prediction_role);

  // log_loss reads the classes of its columns: K, or two for a single column.
  const int classes = c.loss == LossKind::log_loss ? (c.cols == 1 ? 2 : static_cast<int>(c.cols))
                                                   : static_cast<int>(c.cols);
  switch (c.loss) {
    case LossKind::sparse: {
      std::tie(c.true_rows, c.true_cols) = label_shape(h.shape, c.rows);
      c.labels = draw_labels(in, count_of(c.true_rows, c.true_cols), classes);
      break;
    }
    case LossKind::log_loss: {
      const unsigned s = h.shape % 16u;
      const Index length = s == 14 ? c.rows + 1 : s == 15 ? std::max<Index>(c.rows - 1, 0) : c.rows;
      c.true_rows = c.labels_row_major ? 1 : length;
      c.true_cols = c.labels_row_major ? length : 1;
      c.labels = draw_labels(in, static_cast<std::size_t>(length), classes);
      break;
    }
    default: {
      std::tie(c.true_rows, c.true_cols) = dense_shape(h.shape, c.rows, c.cols);
      const Role target_role = c.loss == LossKind::mean_squared_error ? Role::real : Role::unit;
      c.y_true = draw_values<S>(in, count_of(c.true_rows, c.true_cols), target_role);
      break;
    }
  }

  if (c.loss == LossKind::log_loss) {
    const unsigned w = h.weights % 16u;
    if (w >= 8) {
      const Index length = w == 14 ? c.rows + 1 : w == 15 ? std::max<Index>(c.rows - 1, 0) : c.rows;
      c.weighted = true;
      c.weight_rows = length;
      c.weight_cols = 1;
      c.log_loss_weights = draw_values<double>(in, static_cast<std::size_t>(length), Role::weight);
    }
    const unsigned v = h.vector_option % 8u;
    if (v == 4 || v == 5 || v == 6) {
      std::vector<int> labels(static_cast<std::size_t>(classes + (v == 6 ? 1 : 0)));
      for (std::size_t k = 0; k < labels.size(); ++k) labels[k] = static_cast<int>(k);
      c.log_loss_labels = labels;
    } else if (v == 7) {
      c.log_loss_labels = draw_labels(in, static_cast<std::size_t>(classes), classes);
    }
    return c;
  }

  if (const auto shape = weight_shape(h.weights, c.rows, c.cols)) {
    c.weighted = true;
    std::tie(c.weight_rows, c.weight_cols) = *shape;
    c.weights = draw_values<S>(in, count_of(c.weight_rows, c.weight_cols), Role::weight);
  }
  const unsigned v = h.vector_option % 8u;
  if (v >= 4) {
    const Index length = v == 6 ? c.cols + 1 : v == 7 ? std::max<Index>(c.cols - 1, 0) : c.cols;
    c.vector_option = draw_values<S>(in, static_cast<std::size_t>(length), Role::weight);
  }
  return c;
}

// -----------------------------------------------------------------------------------------
// Memory: every input is an Eigen::Map over a buffer of exactly the size it needs, so that
// AddressSanitizer sees any read or write outside it; the outer stride may be padded, and
// the padding holds NaN (inputs) or a sentinel (gradient_out) that must survive the call.

template <class T>
struct Grid {
  Index rows = 0, cols = 0, stride = 1;
  bool row_major = false;
  std::vector<T> storage;

  std::size_t offset(Index i, Index j) const {
    return static_cast<std::size_t>(row_major ? i * stride + j : j * stride + i);
  }
};

template <class T>
Grid<T> lay_out(const std::vector<T>& row_major_values, Index rows, Index cols, bool row_major, Index padding,
                T padding_value) {
  Grid<T> g;
  g.rows = rows;
  g.cols = cols;
  g.row_major = row_major;
  const Index inner = row_major ? cols : rows, outer = row_major ? rows : cols;
  g.stride = std::max<Index>(inner + padding, 1);
  const Index used = inner == 0 || outer == 0 ? 0 : (outer - 1) * g.stride + inner;
  g.storage.assign(static_cast<std::size_t>(used), padding_value);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < cols; ++j) g.storage[g.offset(i, j)] = row_major_values[static_cast<std::size_t>(i * cols + j)];
  }
  return g;
}

template <class T, int Order>
using ConstView = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Order>, Eigen::Unaligned,
                             Eigen::OuterStride<>>;
template <class T, int Order>
using View = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Order>, Eigen::Unaligned, Eigen::OuterStride<>>;

template <int Order, class T>
ConstView<T, Order> view_of(const Grid<T>& g) {
  return ConstView<T, Order>(g.storage.data(), g.rows, g.cols, Eigen::OuterStride<>(g.stride));
}

/// Calls f with std::integral_constant<int, RowMajor or ColMajor>.
template <class F>
void with_order(bool row_major, F&& f) {
  if (row_major) {
    f(std::integral_constant<int, Eigen::RowMajor>{});
  } else {
    f(std::integral_constant<int, Eigen::ColMajor>{});
  }
}

// -----------------------------------------------------------------------------------------
// Reporting

template <class S>
const char* scalar_name() {
  return std::is_same_v<S, float> ? "float" : "double";
}

std::string number(real x, bool is_float) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*Lg", is_float ? 9 : 17, x);
  return text;
}

std::string numbers(const std::vector<real>& values, std::size_t cols, bool is_float) {
  std::string out;
  for (std::size_t k = 0; k < values.size(); ++k) {
    out += k == 0 ? "" : (cols > 0 && k % cols == 0 ? ";  " : ", ");
    out += number(values[k], is_float);
  }
  return "[" + out + "]";
}

/// How the harness called the library, for the report of a violation.
struct Context {
  std::string loss;
  std::string layout;
  const oracle::Problem* problem = nullptr;
  const oracle::LogLossProblem* log_loss = nullptr;

  std::string describe() const {
    std::string out = "  loss: " + loss + "\n  layout: " + layout + "\n";
    if (problem != nullptr) {
      const oracle::Problem& p = *problem;
      const bool f = p.scalar.is_float;
      out += "  options: reduction " + std::string(p.reduction == oracle::Reduction::sum ? "sum" : "mean") +
             ", epsilon " + number(p.epsilon, f) + ", from_logits " + (p.from_logits ? "true" : "false") +
             ", label_smoothing " + number(p.label_smoothing, f) + ", renormalize " +
             (p.renormalize ? "true" : "false") + ", ignore_index " +
             (p.ignore_index ? std::to_string(*p.ignore_index) : std::string("none")) + "\n";
      if (!p.class_weight.empty()) out += "  class_weight: " + numbers(p.class_weight, 0, f) + "\n";
      if (!p.pos_weight.empty()) out += "  pos_weight: " + numbers(p.pos_weight, 0, f) + "\n";
      out += "  y_pred " + std::to_string(p.y_pred.rows) + " x " + std::to_string(p.y_pred.cols) + ": " +
             numbers(p.y_pred.values, p.y_pred.cols, f) + "\n";
      if (p.loss == oracle::Loss::sparse_categorical_cross_entropy) {
        out += "  labels " + std::to_string(p.labels.rows) + " x " + std::to_string(p.labels.cols) + ": [";
        for (std::size_t k = 0; k < p.labels.values.size(); ++k) {
          out += (k ? ", " : "") + std::to_string(p.labels.values[k]);
        }
        out += "]\n";
      } else {
        out += "  y_true " + std::to_string(p.y_true.rows) + " x " + std::to_string(p.y_true.cols) + ": " +
               numbers(p.y_true.values, p.y_true.cols, f) + "\n";
      }
      if (p.sample_weight) {
        out += "  sample_weight " + std::to_string(p.sample_weight->rows) + " x " +
               std::to_string(p.sample_weight->cols) + ": " +
               numbers(p.sample_weight->values, p.sample_weight->cols, f) + "\n";
      }
    }
    if (log_loss != nullptr) {
      const oracle::LogLossProblem& p = *log_loss;
      const bool f = p.scalar.is_float;
      out += "  normalize " + std::string(p.normalize ? "true" : "false") + "\n  y_pred " +
             std::to_string(p.y_pred.rows) + " x " + std::to_string(p.y_pred.cols) + ": " +
             numbers(p.y_pred.values, p.y_pred.cols, f) + "\n  y_true: [";
      for (std::size_t k = 0; k < p.y_true.size(); ++k) out += (k ? ", " : "") + std::to_string(p.y_true[k]);
      out += "]\n  labels: [";
      for (std::size_t k = 0; k < p.labels.size(); ++k) out += (k ? ", " : "") + std::to_string(p.labels[k]);
      out += "]\n";
      if (!p.sample_weight.empty()) out += "  sample_weight: " + numbers(p.sample_weight, 0, false) + "\n";
    }
    return out;
  }
};

[[noreturn]] void violation(const Context& context, const std::string& call, const std::string& what) {
  std::fprintf(stderr, "\nlosses_fuzzer: contract violation in %s: %s\n%s", call.c_str(), what.c_str(),
               context.describe().c_str());
  std::fflush(stderr);
  __builtin_trap();
}

std::string kinds(unsigned errors) {
  std::string out;
  const auto add = [&](unsigned bit, const char* name) {
    if ((errors & bit) != 0) out += (out.empty() ? "" : " or ") + std::string(name);
  };
  add(oracle::argument_error, "losses::ArgumentError");
  add(oracle::domain_error, "losses::DomainError");
  add(oracle::label_error, "losses::LabelError");
  return out.empty() ? "a result" : out;
}

// -----------------------------------------------------------------------------------------
// Calls: what was thrown, and whether the contract allows it

struct Thrown {
  unsigned kind = 0;  // an oracle::Error bit; 0 when the call returned
  std::string argument;
  Index row = -1, col = -1;
  long double label = 0;
  Index classes = 0;
};

/// Runs f, classifying what it throws; anything but the documented exceptions, or a message
/// that does not name the loss, is a violation.
template <class F>
Thrown attempt(const Context& context, const std::string& call, const std::string& prefix, F&& f) {
  Thrown thrown;
  const auto check_message = [&](const char* message) {
    if (std::string(message).rfind(prefix, 0) != 0) {
      violation(context, call, std::string("the message does not start with \"") + prefix + "\": " + message);
    }
  };
  try {
    f();
  } catch (const losses::LabelError& e) {
    check_message(e.what());
    thrown = {oracle::label_error, e.argument(), e.row(), -1, e.label(), e.classes()};
  } catch (const losses::ArgumentError& e) {
    check_message(e.what());
    thrown = {oracle::argument_error, e.argument(), -1, -1, 0, 0};
  } catch (const losses::DomainError& e) {
    check_message(e.what());
    thrown = {oracle::domain_error, e.argument(), e.row(), e.col(), 0, 0};
  } catch (const std::exception& e) {
    violation(context, call, std::string("threw an undocumented exception: ") + e.what());
  } catch (...) {
    violation(context, call, "threw something that is not a std::exception");
  }
  return thrown;
}

/// True when the call returned and its results are to be checked.
bool returned(const Context& context, const std::string& call, const Thrown& thrown, unsigned errors,
              unsigned tolerated) {
  if (thrown.kind == 0) {
    if (errors != 0) violation(context, call, "returned for invalid input; expected " + kinds(errors));
    return true;
  }
  if ((thrown.kind & (errors | tolerated)) == 0) {
    violation(context, call, "threw " + kinds(thrown.kind) + " (argument \"" + thrown.argument + "\"); expected " +
                                 kinds(errors));
  }
  return false;
}

bool same_position(const Thrown& thrown, const oracle::Position& position) {
  return position.found && thrown.row == position.row && thrown.col == position.col;
}

/// A sample-weight culprit may be named by its index along the vector, as (index, 0).
bool names_weight(const Thrown& thrown, const oracle::Position& position, std::size_t rows) {
  if (same_position(thrown, position)) return true;
  return position.found && rows == 1 && thrown.row == position.col && thrown.col == 0;
}

/// "its message names the loss, the argument and the culprit": the first offending element.
void check_culprit(const Context& context, const std::string& call, const Thrown& thrown, const oracle::Outcome& o,
                   const oracle::Problem& p) {
  if (!o.culprits_known || (thrown.kind & o.errors) == 0) return;
  const auto wrong = [&](const std::string& what) {
    violation(context, call,
              kinds(thrown.kind) + " names " + thrown.argument + "(" + std::to_string(thrown.row) + ", " +
                  std::to_string(thrown.col) + "): " + what);
  };
  if (thrown.kind == oracle::label_error) {
    if (thrown.argument != "y_true") wrong("not y_true");
    if (!o.label_culprit.found || thrown.row != o.label_culprit.row) {
      wrong("the first offending label is in row " + std::to_string(o.label_culprit.row));
    }
    if (thrown.classes != static_cast<Index>(p.y_pred.cols)) wrong("classes() is not K");
    if (thrown.label != static_cast<long double>(p.labels.values[static_cast<std::size_t>(thrown.row)])) {
      wrong("label() is not that row's label");
    }
  } else if (thrown.kind == oracle::domain_error) {
    if (thrown.argument == "y_pred" && thrown.col == -1) {
      if (thrown.row < 0 || static_cast<std::size_t>(thrown.row) >= o.zero_rows.size() ||
          !o.zero_rows[static_cast<std::size_t>(thrown.row)]) {
        wrong("that row does not sum to 0");
      }
    } else if (thrown.argument == "y_pred") {
      if (!same_position(thrown, o.y_pred_culprit)) wrong("not the first invalid prediction");
    } else if (thrown.argument == "y_true") {
      if (!same_position(thrown, o.y_true_culprit)) wrong("not the first invalid target");
    } else if (thrown.argument == "sample_weight") {
      if (thrown.row == -1 && thrown.col == -1) {
        if ((o.tolerated & oracle::domain_error) == 0) wrong("an overflowing total, but the total is far from overflowing");
      } else if (!names_weight(thrown, o.weight_culprit, p.sample_weight ? p.sample_weight->rows : 0)) {
        wrong("not the first invalid weight");
      }
    } else {
      wrong("an argument with no domain");
    }
  }
}

/// Where a number came from, spelled out only when it is wrong.
struct Where {
  const std::string& call;
  const char* part;
  Index i = -1, j = -1;

  std::string text() const {
    std::string out = call + ": " + part;
    if (i >= 0) out += "(" + std::to_string(i) + (j >= 0 ? ", " + std::to_string(j) : std::string()) + ")";
    return out;
  }
};

void check_number(const Context& context, const Where& where, real got, const oracle::Bound& b, bool may_overflow,
                  bool must_be_finite, bool is_float) {
  if (b.indeterminate) return;
  const auto wrong = [&](const std::string& what) {
    violation(context, where.text(),
              what + ": got " + number(got, is_float) + ", expected " + number(b.exact, is_float) + " ± " +
                  number(b.tolerance, is_float));
  };
  if (must_be_finite && !std::isfinite(got)) wrong("not finite although every input is valid, finite and moderate");
  if (std::isinf(b.exact)) {
    if (got != b.exact) wrong("the limit is infinite");
    return;
  }
  if (may_overflow && std::isinf(got) && b.exact != 0 && std::signbit(got) == std::signbit(b.exact)) return;
  if (!(std::fabs(got - b.exact) <= b.tolerance)) wrong("outside the tolerance");
}

template <class G>
void check_gradient(const Context& context, const std::string& call, const G& g, const oracle::Outcome& o,
                    Index rows, Index cols, bool is_float) {
  if (g.rows() != rows || g.cols() != cols) {
    violation(context, call, "the gradient is " + std::to_string(g.rows()) + " x " + std::to_string(g.cols()));
  }
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < cols; ++j) {
      check_number(context, Where{call, "gradient", i, j}, static_cast<real>(g(i, j)),
                   o.gradient[static_cast<std::size_t>(i * cols + j)], o.may_overflow, o.must_be_finite, is_float);
    }
  }
}

// -----------------------------------------------------------------------------------------
// The loss functors

template <class Loss>
struct Traits;
template <class S>
struct Traits<losses::MeanSquaredError<S>> {
  static constexpr oracle::Loss kind = oracle::Loss::mean_squared_error;
};
template <class S>
struct Traits<losses::BinaryCrossEntropy<S>> {
  static constexpr oracle::Loss kind = oracle::Loss::binary_cross_entropy;
};
template <class S>
struct Traits<losses::CategoricalCrossEntropy<S>> {
  static constexpr oracle::Loss kind = oracle::Loss::categorical_cross_entropy;
};
template <class S>
struct Traits<losses::SparseCategoricalCrossEntropy<S>> {
  static constexpr oracle::Loss kind = oracle::Loss::sparse_categorical_cross_entropy;
};

/// Calls a setter: valid values (the README's option table) are accepted and read back
/// by the getter; invalid ones are rejected with an ArgumentError.
template <class Set, class ReadBack>
void set_option(const Context& context, const std::string& prefix, const char* option, bool valid, Set&& set,
                ReadBack&& read_back) {
  const std::string call = std::string("the ") + option + " setter";
  const Thrown thrown = attempt(context, call, prefix, set);
  if (valid && thrown.kind != 0) violation(context, call, "rejected a valid value with " + kinds(thrown.kind));
  if (!valid && thrown.kind != oracle::argument_error) {
    violation(context, call, "answered an invalid value with " + kinds(thrown.kind));
  }
  if (valid && !read_back()) violation(context, call, "the getter does not return the value set");
}

template <class S>
bool valid_weights(const std::vector<S>& weights) {
  return std::all_of(weights.begin(), weights.end(), [](S w) { return std::isfinite(w) && w >= S(0); });
}

template <class S>
bool same_weights(const Eigen::Array<S, Eigen::Dynamic, 1>& got, const std::vector<S>& expected) {
  if (static_cast<std::size_t>(got.size()) != expected.size()) return false;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    if (got(static_cast<Index>(k)) != expected[k]) return false;
  }
  return true;
}

template <class Loss, class S>
void configure(Loss& loss, const Case<S>& c, const Context& context, const std::string& prefix) {
  constexpr oracle::Loss kind = Traits<Loss>::kind;
  if (c.reduction) {
    const auto r = static_cast<losses::Reduction>(*c.reduction);
    set_option(context, prefix, "reduction", *c.reduction <= 1, [&] { loss.reduction(r); },
               [&] { return loss.reduction() == r; });
  }
  if constexpr (kind != oracle::Loss::mean_squared_error) {
    if (c.epsilon) {
      const S e = *c.epsilon;
      const bool valid = e == S(0) || (e >= std::numeric_limits<S>::epsilon() / 2 && e < S(0.5));
      set_option(context, prefix, "epsilon", valid, [&] { loss.epsilon(e); }, [&] { return loss.epsilon() == e; });
    }
    loss.from_logits(c.from_logits);
    if (c.label_smoothing) {
      const S s = *c.label_smoothing;
      set_option(context, prefix, "label_smoothing", s >= S(0) && s <= S(1), [&] { loss.label_smoothing(s); },
                 [&] { return loss.label_smoothing() == s; });
    }
  }
  if (c.vector_option) {
    const std::vector<S>& v = *c.vector_option;
    const Eigen::Map<const Eigen::Array<S, Eigen::Dynamic, 1>> values(v.data(), static_cast<Index>(v.size()));
    if constexpr (kind == oracle::Loss::binary_cross_entropy) {
      set_option(context, prefix, "pos_weight", valid_weights(v), [&] { loss.pos_weight(values); },
                 [&] { return same_weights(loss.pos_weight(), v); });
    }
    if constexpr (kind == oracle::Loss::categorical_cross_entropy ||
                  kind == oracle::Loss::sparse_categorical_cross_entropy) {
      set_option(context, prefix, "class_weight", valid_weights(v), [&] { loss.class_weight(values); },
                 [&] { return same_weights(loss.class_weight(), v); });
    }
  }
  if constexpr (kind == oracle::Loss::categorical_cross_entropy) loss.renormalize(c.renormalize);
  if constexpr (kind == oracle::Loss::sparse_categorical_cross_entropy) loss.ignore_index(c.ignore_index);
}

template <class S>
oracle::Precision precision_of() {
  using limits = std::numeric_limits<S>;
  return {limits::epsilon(), limits::min(), limits::max(), std::is_same_v<S, float>};
}

template <class S, class T>
oracle::Matrix matrix_of(const std::vector<T>& values, Index rows, Index cols) {
  oracle::Matrix m;
  m.rows = static_cast<std::size_t>(rows);
  m.cols = static_cast<std::size_t>(cols);
  m.values.assign(values.begin(), values.end());
  return m;
}

template <class S>
std::vector<real> widened(const Eigen::Array<S, Eigen::Dynamic, 1>& values) {
  std::vector<real> out(static_cast<std::size_t>(values.size()));
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = values(static_cast<Index>(k));
  return out;
}

template <class Loss, class S>
oracle::Problem problem_of(const Loss& loss, const Case<S>& c) {
  constexpr oracle::Loss kind = Traits<Loss>::kind;
  oracle::Problem p;
  p.loss = kind;
  p.scalar = precision_of<S>();
  p.y_pred = matrix_of<S>(c.y_pred, c.rows, c.cols);
  if constexpr (kind == oracle::Loss::sparse_categorical_cross_entropy) {
    p.labels.rows = static_cast<std::size_t>(c.true_rows);
    p.labels.cols = static_cast<std::size_t>(c.true_cols);
    p.labels.values.assign(c.labels.begin(), c.labels.end());
  } else {
    p.y_true = matrix_of<S>(c.y_true, c.true_rows, c.true_cols);
  }
  if (c.weighted) p.sample_weight = matrix_of<S>(c.weights, c.weight_rows, c.weight_cols);
  p.reduction = loss.reduction() == losses::Reduction::sum ? oracle::Reduction::sum : oracle::Reduction::mean;
  if constexpr (kind != oracle::Loss::mean_squared_error) {
    p.epsilon = loss.epsilon();
    p.from_logits = loss.from_logits();
    p.label_smoothing = loss.label_smoothing();
  }
  if constexpr (kind == oracle::Loss::binary_cross_entropy) p.pos_weight = widened(loss.pos_weight());
  if constexpr (kind == oracle::Loss::categorical_cross_entropy ||
                kind == oracle::Loss::sparse_categorical_cross_entropy) {
    p.class_weight = widened(loss.class_weight());
  }
  if constexpr (kind == oracle::Loss::categorical_cross_entropy) p.renormalize = loss.renormalize();
  if constexpr (kind == oracle::Loss::sparse_categorical_cross_entropy) p.ignore_index = loss.ignore_index();
  return p;
}

/// The reduced value, the gradient and value_and_gradient_into, with or without weights.
template <class Loss, class YT, class YP, class... W>
void exercise(const Loss& loss, const YT& y_true, const YP& y_pred, const oracle::Outcome& o,
              const oracle::Problem& p, const Context& context, const std::string& prefix, Index output_padding,
              const W&... weights) {
  using S = typename YP::Scalar;
  constexpr bool is_float = std::is_same_v<S, float>;
  constexpr int order = YP::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor;
  const std::string suffix = sizeof...(W) > 0 ? " with sample_weight" : "";
  const Index rows = y_pred.rows(), cols = y_pred.cols();

  {
    const std::string call = "operator()" + suffix;
    S value = 0;
    const Thrown t = attempt(context, call, prefix, [&] { value = loss(y_true, y_pred, weights...); });
    check_culprit(context, call, t, o, p);
    if (returned(context, call, t, o.errors, o.tolerated)) {
      check_number(context, Where{call, "value"}, value, o.value, o.may_overflow, o.must_be_finite, is_float);
    }
  }
  {
    const std::string call = "gradient" + suffix;
    Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic> g;
    const Thrown t = attempt(context, call, prefix, [&] { g = loss.gradient(y_true, y_pred, weights...); });
    check_culprit(context, call, t, o, p);
    if (returned(context, call, t, o.errors, o.tolerated)) check_gradient(context, call, g, o, rows, cols, is_float);
  }
  {
    const std::string call = "value_and_gradient_into" + suffix;
    const S sentinel = S(-1234.5);  // in the padding, which must stay untouched
    // Unwritten elements stay NaN, which no check accepts.
    Grid<S> out = lay_out(std::vector<S>(count_of(rows, cols), std::numeric_limits<S>::quiet_NaN()), rows, cols,
                          order == Eigen::RowMajor, output_padding, sentinel);
    View<S, order> g(out.storage.data(), rows, cols, Eigen::OuterStride<>(out.stride));
    S value = 0;
    const Thrown t =
        attempt(context, call, prefix, [&] { value = loss.value_and_gradient_into(y_true, y_pred, g, weights...); });
    std::vector<bool> element(out.storage.size(), false);
    for (Index i = 0; i < rows; ++i) {
      for (Index j = 0; j < cols; ++j) element[out.offset(i, j)] = true;
    }
    for (std::size_t k = 0; k < out.storage.size(); ++k) {
      if (!element[k] && out.storage[k] != sentinel) violation(context, call, "wrote into the padding of gradient_out");
    }
    check_culprit(context, call, t, o, p);
    if (returned(context, call, t, o.errors, o.tolerated)) {
      check_number(context, Where{call, "value"}, value, o.value, o.may_overflow, o.must_be_finite, is_float);
      check_gradient(context, call, g, o, rows, cols, is_float);
    }
  }
}

/// per_sample, and per_element for the element-wise losses: unweighted.
template <class Loss, class YT, class YP>
void exercise_unreduced(const Loss& loss, const YT& y_true, const YP& y_pred, const oracle::Outcome& o,
                        const oracle::Problem& p, const Context& context, const std::string& prefix) {
  using S = typename YP::Scalar;
  constexpr bool is_float = std::is_same_v<S, float>;
  constexpr oracle::Loss kind = Traits<Loss>::kind;
  const Index rows = y_pred.rows(), cols = y_pred.cols();
  {
    const std::string call = "per_sample";
    Eigen::Array<S, Eigen::Dynamic, 1> values;
    const Thrown t = attempt(context, call, prefix, [&] { values = loss.per_sample(y_true, y_pred); });
    check_culprit(context, call, t, o, p);
    if (returned(context, call, t, o.errors, o.tolerated)) {
      if (values.size() != rows) violation(context, call, "has " + std::to_string(values.size()) + " values");
      for (Index i = 0; i < rows; ++i) {
        check_number(context, Where{call, "per_sample", i}, values(i), o.per_sample[static_cast<std::size_t>(i)],
                     o.may_overflow, o.must_be_finite, is_float);
      }
    }
  }
  if constexpr (kind == oracle::Loss::mean_squared_error || kind == oracle::Loss::binary_cross_entropy) {
    const std::string call = "per_element";
    Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic> terms;
    const Thrown t = attempt(context, call, prefix, [&] { terms = loss.per_element(y_true, y_pred); });
    check_culprit(context, call, t, o, p);
    if (returned(context, call, t, o.errors, o.tolerated)) {
      if (terms.rows() != rows || terms.cols() != cols) violation(context, call, "has the wrong shape");
      for (Index i = 0; i < rows; ++i) {
        for (Index j = 0; j < cols; ++j) {
          check_number(context, Where{call, "per_element", i, j}, terms(i, j),
                       o.per_element[static_cast<std::size_t>(i * cols + j)], o.may_overflow, o.must_be_finite,
                       is_float);
        }
      }
    }
  }
}

// -----------------------------------------------------------------------------------------
// Known library bugs, reported and not fixed yet. Each one is tolerated, its checks skipped,
// so that fuzzing goes on past it and CI stays meaningful; LOSSES_FUZZ_STRICT=1 checks them
// too, to confirm a fix on the input in tests/fuzz/regressions named after it.

bool strict() {
  static const bool value = std::getenv("LOSSES_FUZZ_STRICT") != nullptr;
  return value;
}

/// bce-subnormal-probability-epsilon-zero: with epsilon(0) the vectorised path takes Eigen's
/// log, which reads a subnormal argument as the smallest normal number η, so a subnormal
/// probability scores −log η instead of −log p (87.3 for 1e-44 in float, not 101.3). Only the
/// values are affected: the gradients divide by p.
bool subnormal_log_issue(const oracle::Problem& p) {
  if (p.loss == oracle::Loss::mean_squared_error || p.from_logits || p.epsilon != 0) return false;
  const auto subnormal = [&](real x) { return x > 0 && x < p.scalar.min_normal; };
  for (std::size_t i = 0; i < p.y_pred.rows; ++i) {
    real total = 0;
    for (std::size_t j = 0; j < p.y_pred.cols; ++j) total += p.y_pred.at(i, j);
    for (std::size_t j = 0; j < p.y_pred.cols; ++j) {
      const real x = p.y_pred.at(i, j);
      if (subnormal(x) || (p.renormalize && total > 0 && subnormal(x / total))) return true;
    }
  }
  return false;
}

/// mse-mean-subnormal-total-weight: Reduction::mean scales every term by 1/Σw rounded to
/// the Scalar, which overflows when Σw < 1/max (2.9e-39 in float, 5.6e-309 in double): all
/// valid weights, yet the value and gradient are +∞ or NaN instead of the weighted mean.
bool tiny_total_weight_issue(const oracle::Problem& p, const oracle::Outcome& o) {
  // Below 2/max rather than 1/max: 1/Σw rounds to the Scalar, either way near the limit.
  return p.reduction == oracle::Reduction::mean && o.weight_total > 0 && o.weight_total < 2 / p.scalar.max;
}

void tolerate_known_issues(const oracle::Problem& p, oracle::Outcome& o) {
  if (strict()) return;
  if (subnormal_log_issue(p)) {
    o.value.indeterminate = true;
    for (oracle::Bound& b : o.per_sample) b.indeterminate = true;
    for (oracle::Bound& b : o.per_element) b.indeterminate = true;
  }
  if (tiny_total_weight_issue(p, o)) {
    o.value.indeterminate = true;
    o.must_be_finite = false;
    for (oracle::Bound& b : o.gradient) b.indeterminate = true;
  }
}

template <class S>
std::string layout_of(const Case<S>& c) {
  return std::string(scalar_name<S>()) + ", y_pred " + (c.row_major ? "row" : "column") + "-major, labels " +
         (c.labels_row_major ? "row" : "column") + "-major, weights " + (c.weights_row_major ? "row" : "column") +
         "-major, input padding " + std::to_string(c.input_padding) + ", output padding " +
         std::to_string(c.output_padding);
}

template <class Loss, int Order, class S>
void run_loss(const Case<S>& c) {
  constexpr oracle::Loss kind = Traits<Loss>::kind;
  const std::string prefix = std::string("losses::") + Loss::name + ": ";
  Context context{Loss::name, layout_of(c), nullptr, nullptr};

  Loss loss;
  configure(loss, c, context, prefix);
  const oracle::Problem problem = problem_of(loss, c);
  context.problem = &problem;
  oracle::Outcome plain = oracle::evaluate(problem, false);
  oracle::Outcome weighted = c.weighted ? oracle::evaluate(problem, true) : oracle::Outcome{};
  tolerate_known_issues(problem, plain);
  tolerate_known_issues(problem, weighted);

  const S nan = std::numeric_limits<S>::quiet_NaN();  // in the inputs' padding: reading it is caught
  const Grid<S> prediction = lay_out(c.y_pred, c.rows, c.cols, Order == Eigen::RowMajor, c.input_padding, nan);
  const ConstView<S, Order> y_pred = view_of<Order>(prediction);
  const Grid<S> weight_grid =
      lay_out(c.weights, c.weight_rows, c.weight_cols, c.weights_row_major, c.input_padding, nan);

  const auto calls = [&](const auto& y_true) {
    exercise(loss, y_true, y_pred, plain, problem, context, prefix, c.output_padding);
    exercise_unreduced(loss, y_true, y_pred, plain, problem, context, prefix);
    if (!c.weighted) return;
    with_order(c.weights_row_major, [&](auto weight_order) {
      const auto w = view_of<decltype(weight_order)::value>(weight_grid);
      exercise(loss, y_true, y_pred, weighted, problem, context, prefix, c.output_padding, w);
    });
  };
  if constexpr (kind == oracle::Loss::sparse_categorical_cross_entropy) {
    // Padding between labels holds a label no row may have.
    const Grid<int> labels = lay_out(c.labels, c.true_rows, c.true_cols, c.labels_row_major, c.input_padding, -12345);
    with_order(c.labels_row_major, [&](auto label_order) { calls(view_of<decltype(label_order)::value>(labels)); });
  } else {
    const Grid<S> targets = lay_out(c.y_true, c.true_rows, c.true_cols, Order == Eigen::RowMajor, c.input_padding, nan);
    calls(view_of<Order>(targets));
  }
}

// -----------------------------------------------------------------------------------------
// log_loss

template <int Order, class S>
void run_log_loss(const Case<S>& c) {
  const std::string prefix = "losses::log_loss: ";
  Context context{"log_loss", layout_of(c) + (c.eigen_labels ? ", y_true an Eigen vector" : ", y_true a std::vector"),
                  nullptr, nullptr};

  oracle::LogLossProblem problem;
  problem.scalar = precision_of<S>();
  problem.y_pred = matrix_of<S>(c.y_pred, c.rows, c.cols);
  problem.y_true.assign(c.labels.begin(), c.labels.end());
  if (c.log_loss_labels) problem.labels.assign(c.log_loss_labels->begin(), c.log_loss_labels->end());
  problem.normalize = c.normalize;
  problem.sample_weight.assign(c.log_loss_weights.begin(), c.log_loss_weights.end());
  context.log_loss = &problem;
  const oracle::LogLossOutcome o = oracle::evaluate(problem);

  losses::LogLossOptions<int> options;
  if (c.log_loss_labels) options.labels = *c.log_loss_labels;
  options.normalize = c.normalize;
  if (c.weighted) {
    options.sample_weight =
        Eigen::Map<const Eigen::ArrayXd>(c.log_loss_weights.data(), static_cast<Index>(c.log_loss_weights.size()));
  }
  const S nan = std::numeric_limits<S>::quiet_NaN();
  const Grid<S> prediction = lay_out(c.y_pred, c.rows, c.cols, Order == Eigen::RowMajor, c.input_padding, nan);
  const ConstView<S, Order> y_pred = view_of<Order>(prediction);
  const Grid<int> labels = lay_out(c.labels, c.true_rows, c.true_cols, c.labels_row_major, c.input_padding, -12345);

  losses::LogLossReport report;
  losses::LogLossReport* report_out = c.report ? &report : nullptr;
  const std::string call = "log_loss";
  S value = 0;
  const Thrown t = attempt(context, call, prefix, [&] {
    if (c.eigen_labels) {
      with_order(c.labels_row_major, [&](auto label_order) {
        value = losses::log_loss(view_of<decltype(label_order)::value>(labels), y_pred, options, report_out);
      });
    } else {
      value = losses::log_loss(c.labels, y_pred, options, report_out);
    }
  });
  if (t.kind == oracle::domain_error && (t.kind & o.errors) != 0) {
    const bool named = t.argument == "y_pred" ? same_position(t, o.y_pred_culprit)
                       : t.argument == "sample_weight" ? same_position(t, o.weight_culprit)
                                                       : false;
    if (!named) violation(context, call, "the DomainError does not name the first culprit (" + t.argument + ")");
  }
  if (!returned(context, call, t, o.errors, o.tolerated)) return;
  check_number(context, Where{call, "value"}, value, o.value, o.may_overflow, false, std::is_same_v<S, float>);
  if (c.report && o.report_known &&
      (report.rows_not_normalized != o.rows_not_normalized || report.first_row != o.first_row)) {
    violation(context, call,
              "the report says rows_not_normalized = " + std::to_string(report.rows_not_normalized) +
                  ", first_row = " + std::to_string(report.first_row) + "; expected " +
                  std::to_string(o.rows_not_normalized) + ", " + std::to_string(o.first_row));
  }
}

// -----------------------------------------------------------------------------------------

template <class S, int Order>
void run_case(const Case<S>& c) {
  switch (c.loss) {
    case LossKind::mean_squared_error: return run_loss<losses::MeanSquaredError<S>, Order>(c);
    case LossKind::binary_cross_entropy: return run_loss<losses::BinaryCrossEntropy<S>, Order>(c);
    case LossKind::categorical_cross_entropy: return run_loss<losses::CategoricalCrossEntropy<S>, Order>(c);
    case LossKind::sparse: return run_loss<losses::SparseCategoricalCrossEntropy<S>, Order>(c);
    case LossKind::log_loss: return run_log_loss<Order>(c);
  }
}

template <class S>
void run(const Header& header, ByteReader& in) {
  const Case<S> c = decode<S>(header, in);
  if (c.row_major) {
    run_case<S, Eigen::RowMajor>(c);
  } else {
    run_case<S, Eigen::ColMajor>(c);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const Header header = read_header(in);
  if (flag(header.flags, 0)) {
    run<double>(header, in);
  } else {
    run<float>(header, in);
  }
  return 0;
}
