// Argument checking shared by every loss: shapes (always, O(1)), value domains (folded
// into the computing pass as one vectorised test per block, with a second look only when
// something is wrong), and the messages that name the culprit.
#ifndef LOSSES_DETAIL_CHECKS_HPP
#define LOSSES_DETAIL_CHECKS_HPP

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include "../errors.hpp"

namespace losses::detail {

// ---------------------------------------------------------------------------------------
// Messages

inline std::string shape_of(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + " x " + std::to_string(cols);
}

template <class D>
std::string shape_of(const Eigen::DenseBase<D>& x) {
  return shape_of(x.rows(), x.cols());
}

template <class T>
std::string number_to_string(T value) {
  std::ostringstream out;
  if constexpr (std::is_floating_point_v<T>) {
    out.precision(std::numeric_limits<T>::max_digits10);
    out << value;
  } else if constexpr (std::is_same_v<T, bool> || sizeof(T) == 1) {
    out << static_cast<long long>(value);  // not as a character
  } else {
    out << value;
  }
  return out.str();
}

/// "losses::BinaryCrossEntropy: " + message.
inline std::string prefixed(const char* loss, const std::string& message) {
  return std::string("losses::") + loss + ": " + message;
}

// ---------------------------------------------------------------------------------------
// Shapes

[[noreturn]] inline void throw_argument(const char* loss, const char* argument, const std::string& message) {
  throw ArgumentError(argument, prefixed(loss, message));
}

template <class A, class B>
void check_same_shape(const char* loss, const char* name_a, const Eigen::DenseBase<A>& a, const char* name_b,
                      const Eigen::DenseBase<B>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    throw_argument(loss, name_a,
                   std::string(name_a) + " is " + shape_of(a) + " but " + name_b + " is " + shape_of(b) +
                       "; they must have the same shape");
  }
}

template <class A>
void check_not_empty(const char* loss, const char* name, const Eigen::DenseBase<A>& a) {
  if (a.rows() == 0 || a.cols() == 0) {
    throw_argument(loss, name, std::string(name) + " is " + shape_of(a) + "; it must not be empty");
  }
}

template <class A>
bool is_vector_shape(const Eigen::DenseBase<A>& a) {
  return a.rows() == 1 || a.cols() == 1;
}

/// The distance in memory between consecutive elements of a vector-shaped object with
/// direct access: its column stride for 1 x n, its row stride otherwise. Not innerStride():
/// a runtime vector in a two-dimensional object (a padded 1 x n column-major Map, say) has
/// its elements one outer stride apart.
template <class A>
Eigen::Index vector_stride(const Eigen::DenseBase<A>& a) {
  if (a.size() <= 1) return 1;
  return a.rows() == 1 ? a.derived().colStride() : a.derived().rowStride();
}

/// True when x's memory overlaps y's (both must have direct access to be compared).
template <class X, class Y>
bool shares_memory(const Eigen::DenseBase<X>& x, const Eigen::DenseBase<Y>& y) {
  constexpr bool comparable = (int(X::Flags) & Eigen::DirectAccessBit) && (int(Y::Flags) & Eigen::DirectAccessBit);
  if constexpr (comparable) {
    const auto range = [](const auto& a) {
      using S = typename std::decay_t<decltype(a)>::Scalar;
      const auto begin = reinterpret_cast<std::uintptr_t>(a.data());
      const auto last = static_cast<std::uintptr_t>((a.rows() - 1) * a.rowStride() + (a.cols() - 1) * a.colStride());
      return std::pair<std::uintptr_t, std::uintptr_t>(begin, begin + (last + 1) * sizeof(S));
    };
    if (x.size() == 0 || y.size() == 0) return false;
    const auto [xb, xe] = range(x.derived());
    const auto [yb, ye] = range(y.derived());
    return xb < ye && yb < xe;
  } else {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Value domains

/// What values an argument may hold.
enum class Domain {
  finite,        ///< any finite number
  unit_interval, ///< [0, 1]
  non_negative,  ///< finite and >= 0 (weights)
  not_nan,       ///< anything but NaN: ±∞ included (logits)
};

inline const char* requirement(Domain domain) {
  switch (domain) {
    case Domain::finite: return "must be finite";
    case Domain::unit_interval: return "must be in [0, 1]";
    case Domain::non_negative: return "must be finite and non-negative";
    case Domain::not_nan: return "must not be NaN";
  }
  return "";
}

/// The scalar test, used to locate a culprit and on the exact slow path.
template <class S>
bool in_domain(Domain domain, S x) {
  switch (domain) {
    case Domain::finite: return std::isfinite(x);
    case Domain::unit_interval: return x >= S(0) && x <= S(1);
    case Domain::non_negative: return std::isfinite(x) && x >= S(0);
    case Domain::not_nan: return !std::isnan(x);
  }
  return false;
}

/// The block test: one vectorised reduction over data already in cache. Each margin is
/// >= 0 exactly where the element is valid and NaN or negative where it is not
/// (x − x is NaN for ±∞ and NaN; x·(1 − x) < 0 outside [0, 1]); a NaN-propagating
/// minimum is NaN exactly where some element is.
template <class D>
bool block_in_domain(Domain domain, const Eigen::ArrayBase<D>& x) {
  using S = typename D::Scalar;
  switch (domain) {
    case Domain::finite: return (x.derived() - x.derived()).sum() == S(0);
    case Domain::unit_interval:
      return (x.derived() * (S(1) - x.derived())).template minCoeff<Eigen::PropagateNaN>() >= S(0);
    case Domain::non_negative:
      return (x.derived() + (x.derived() - x.derived())).template minCoeff<Eigen::PropagateNaN>() >= S(0);
    case Domain::not_nan: return !std::isnan(x.derived().template minCoeff<Eigen::PropagateNaN>());
  }
  return false;
}

template <class S>
[[noreturn]] void throw_domain(const char* loss, const char* argument, Eigen::Index row, Eigen::Index col, S value,
                               Domain domain) {
  throw DomainError(argument, row, col,
                    prefixed(loss, std::string(argument) + "(" + std::to_string(row) + ", " + std::to_string(col) +
                                       ") = " + number_to_string(value) + " " + requirement(domain)));
}

/// Finds the first element (lowest row, then lowest column) of `x`, read as Scalar, that is
/// outside `domain`, and throws naming it. Returns normally when there is none.
template <class Scalar, class D>
void throw_first_outside(const char* loss, const char* argument, Domain domain, const Eigen::DenseBase<D>& x) {
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const auto value = static_cast<Scalar>(x.derived().coeff(i, j));
      if (!in_domain(domain, value)) throw_domain(loss, argument, i, j, value, domain);
    }
  }
}

/// As throw_first_outside, over two arguments of the same shape, in row order: at the same
/// position the first argument is named first.
template <class Scalar, class A, class B>
void throw_first_outside(const char* loss, const char* name_a, Domain domain_a, const Eigen::DenseBase<A>& a,
                         const char* name_b, Domain domain_b, const Eigen::DenseBase<B>& b) {
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      const auto va = static_cast<Scalar>(a.derived().coeff(i, j));
      if (!in_domain(domain_a, va)) throw_domain(loss, name_a, i, j, va, domain_a);
      const auto vb = static_cast<Scalar>(b.derived().coeff(i, j));
      if (!in_domain(domain_b, vb)) throw_domain(loss, name_b, i, j, vb, domain_b);
    }
  }
}

/// As throw_first_outside, over rows [row, row + count) of x for which counts(i) is true
/// (rows the loss ignores are not validated). Returns normally when there is no culprit.
template <class Scalar, class D, class Counts>
void throw_first_outside_in_rows(const char* loss, const char* argument, Domain domain, const Eigen::DenseBase<D>& x,
                                 Eigen::Index row, Eigen::Index count, const Counts& counts) {
  for (Eigen::Index i = row; i < row + count; ++i) {
    if (!counts(i)) continue;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const auto value = static_cast<Scalar>(x.derived().coeff(i, j));
      if (!in_domain(domain, value)) throw_domain(loss, argument, i, j, value, domain);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Labels

/// True when 0 <= label < classes, compared without any conversion that could wrap.
template <class L>
bool label_in_range(L label, Eigen::Index classes) {
  if constexpr (std::is_signed_v<L>) {
    if (label < 0) return false;
  }
  return static_cast<std::uintmax_t>(label) < static_cast<std::uintmax_t>(classes);
}

/// True when an integer label equals a 64-bit integer, compared without any conversion
/// that could wrap.
template <class L>
bool same_integer(L label, std::int64_t value) {
  if (value < 0) {
    if constexpr (std::is_signed_v<L>) {
      return static_cast<std::intmax_t>(label) == static_cast<std::intmax_t>(value);
    } else {
      return false;
    }
  }
  if constexpr (std::is_signed_v<L>) {
    if (label < 0) return false;
  }
  return static_cast<std::uintmax_t>(label) == static_cast<std::uintmax_t>(value);
}

template <class L>
[[noreturn]] void throw_label(const char* loss, const char* argument, Eigen::Index row, L label, Eigen::Index classes) {
  throw LabelError(argument, row, static_cast<long double>(label), classes,
                   prefixed(loss, std::string(argument) + "(" + std::to_string(row) + ") = " + number_to_string(label) +
                                      " is not a class label in [0, " + std::to_string(classes) +
                                      "): y_pred has " + std::to_string(classes) + " columns"));
}

// ---------------------------------------------------------------------------------------
// Types

template <class D>
inline constexpr bool has_direct_access = (int(D::Flags) & Eigen::DirectAccessBit) != 0;

/// Plain objects, Maps, blocks and transposes pass through as they are; an expression
/// without memory of its own (a lazy product, a cast) is evaluated once, so that reading
/// it block by block never recomputes it.
template <class D>
decltype(auto) evaluated(const Eigen::DenseBase<D>& x) {
  if constexpr (has_direct_access<D>) {
    return x.derived();
  } else {
    return x.derived().eval();
  }
}

/// The Map type view() gives for D: column-major or row-major with a contiguous inner
/// dimension (vectorisable), or fully strided; `Plain` is const for inputs.
template <class D, class Plain>
using view_t = Eigen::Map<Plain, Eigen::Unaligned,
                          std::conditional_t<D::InnerStrideAtCompileTime == 1, Eigen::OuterStride<>,
                                             Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>>;

template <class D>
using plain_of = Eigen::Array<std::remove_const_t<typename D::Scalar>, Eigen::Dynamic, Eigen::Dynamic,
                              D::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor>;

template <class Map, class D>
Map map_over(D& x) {
  if constexpr (D::InnerStrideAtCompileTime == 1) {
    return Map(x.data(), x.rows(), x.cols(), Eigen::OuterStride<>(x.outerStride()));
  } else {
    return Map(x.data(), x.rows(), x.cols(), Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(x.outerStride(), x.innerStride()));
  }
}

/// A read-only Map over x's memory (x must have direct access). Whatever the caller
/// passes (Array, Matrix, fixed size, block, Map, Ref, transpose), the kernels are compiled
/// for three types per scalar only, and read the caller's memory in place.
template <class D>
auto view(const Eigen::DenseBase<D>& x) {
  return map_over<view_t<D, const plain_of<D>>>(x.derived());
}

/// A writable Map over an output with direct access; other writable expressions pass as
/// they are.
template <class D>
decltype(auto) output_view(D& x) {
  if constexpr (has_direct_access<D>) {
    return map_over<view_t<D, plain_of<D>>>(x);
  } else {
    return (x);
  }
}

template <class D>
using scalar_of = typename Eigen::DenseBase<D>::Scalar;

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_CHECKS_HPP
