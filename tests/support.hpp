// Helpers shared by the test files: arrays from the reference generator's row-major
// lists, tolerances, and the input forms every loss must accept (plain, Matrix, row-major,
// Map, strided Map, block, transpose, lazy expression, matrix product).
#ifndef LOSSES_TESTS_SUPPORT_HPP
#define LOSSES_TESTS_SUPPORT_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "catch.hpp"

namespace support {

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using RowArray = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

/// An array from a row-major list of values (any indexable container), converted to T.
template <class T, class Values>
Array<T> from_row_major(const Values& values, Eigen::Index rows, Eigen::Index cols) {
  Array<T> out(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      out(i, j) = static_cast<T>(values[static_cast<std::size_t>(i * cols + j)]);
    }
  }
  return out;
}

/// Relative tolerance for results computed in T against exact reference values: a few
/// hundred units in the last place, enough for a log and a blocked sum, far below any
/// convention difference (a wrong ε, a wrong denominator).
template <class T>
constexpr double tolerance() {
  if constexpr (std::is_same_v<T, float>) {
    return 4e-6;
  } else {
    return 1e-12;
  }
}

/// |actual − expected| <= rel·|expected| + abs; infinities must match exactly.
inline bool close(long double actual, long double expected, double rel, double abs) {
  if (std::isinf(expected) || std::isinf(actual)) return actual == expected;
  if (std::isnan(actual) || std::isnan(expected)) return false;
  return std::fabs(actual - expected) <= rel * std::fabs(expected) + abs;
}

/// Checks a value against its reference, reporting both on failure.
inline void check_value(long double actual, double expected, double rel, const std::string& what) {
  INFO(what << ": actual " << static_cast<double>(actual) << ", expected " << expected);
  CHECK(close(actual, expected, rel, 0.0));
}

/// Checks every element of `actual` against `expected` (row-major), with an absolute
/// floor of rel·max|expected| for elements that are the small difference of larger parts.
template <class D, class Expected>
void check_elements(const Eigen::DenseBase<D>& actual, const Expected& expected, double rel,
                    const std::string& what) {
  REQUIRE(static_cast<std::size_t>(actual.size()) == expected.size());
  double scale = 0;
  for (double e : expected) {
    if (std::isfinite(e)) scale = std::max(scale, std::fabs(e));
  }
  const Eigen::Index cols = actual.cols();
  for (Eigen::Index i = 0; i < actual.rows(); ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      const double e = expected[static_cast<std::size_t>(i * cols + j)];
      const auto a = static_cast<long double>(actual.derived().coeff(i, j));
      if (!close(a, e, rel, rel * scale)) {
        FAIL_CHECK(what << "(" << i << ", " << j << "): actual " << static_cast<double>(a) << ", expected " << e);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Input forms

enum class Form { plain, matrix, row_major, map, strided_map, block, transpose, lazy, product };

inline const char* form_name(Form form) {
  switch (form) {
    case Form::plain: return "plain Array";
    case Form::matrix: return "Matrix";
    case Form::row_major: return "row-major Array";
    case Form::map: return "Map over row-major memory";
    case Form::strided_map: return "Map with inner and outer strides";
    case Form::block: return "block of a larger array";
    case Form::transpose: return "transpose";
    case Form::lazy: return "lazy expression";
    case Form::product: return "matrix product expression";
  }
  return "";
}

/// One N x M argument, stored in every layout the forms need.
template <class T>
struct Stored {
  static constexpr Eigen::Index pad_rows = 3, pad_cols = 2, inner_stride = 2;

  Array<T> plain;
  Matrix<T> matrix;
  RowArray<T> row_major;
  Array<T> padded;      // plain inside a larger array, at (pad_rows, pad_cols)
  Array<T> interleaved; // plain with every other element: inner stride 2, outer stride 2N + 1
  Array<T> transposed;  // plain's transpose, stored column-major

  explicit Stored(const Array<T>& x)
      : plain(x),
        matrix(x.matrix()),
        row_major(x),
        padded(Array<T>::Constant(x.rows() + 2 * pad_rows, x.cols() + 2 * pad_cols, T(7))),
        interleaved(Array<T>::Constant(inner_stride * x.rows() + 1, std::max<Eigen::Index>(x.cols(), 1), T(7))),
        transposed(x.transpose()) {
    padded.block(pad_rows, pad_cols, x.rows(), x.cols()) = x;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      for (Eigen::Index i = 0; i < x.rows(); ++i) interleaved(inner_stride * i, j) = x(i, j);
    }
  }
  Eigen::Index rows() const { return plain.rows(); }
  Eigen::Index cols() const { return plain.cols(); }
};

/// The argument in form F: a reference to stored data, or a view or expression over it.
template <Form F, class T>
decltype(auto) view(const Stored<T>& s) {
  if constexpr (F == Form::plain) {
    return (s.plain);
  } else if constexpr (F == Form::matrix) {
    return (s.matrix);
  } else if constexpr (F == Form::row_major) {
    return (s.row_major);
  } else if constexpr (F == Form::map) {
    return Eigen::Map<const RowArray<T>>(s.row_major.data(), s.rows(), s.cols());
  } else if constexpr (F == Form::strided_map) {
    using Strides = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
    return Eigen::Map<const Array<T>, Eigen::Unaligned, Strides>(
        s.interleaved.data(), s.rows(), s.cols(), Strides(s.interleaved.rows(), Stored<T>::inner_stride));
  } else if constexpr (F == Form::block) {
    return s.padded.block(Stored<T>::pad_rows, Stored<T>::pad_cols, s.rows(), s.cols());
  } else if constexpr (F == Form::transpose) {
    return s.transposed.transpose();
  } else if constexpr (F == Form::lazy) {
    return s.plain * Array<T>::Ones(s.rows(), s.cols());
  } else {
    return s.matrix * Matrix<T>::Identity(s.cols(), s.cols());
  }
}

/// Calls f(form) with std::integral_constant<Form, F> for every form.
template <class F>
void for_each_form(F&& f) {
  f(std::integral_constant<Form, Form::plain>{});
  f(std::integral_constant<Form, Form::matrix>{});
  f(std::integral_constant<Form, Form::row_major>{});
  f(std::integral_constant<Form, Form::map>{});
  f(std::integral_constant<Form, Form::strided_map>{});
  f(std::integral_constant<Form, Form::block>{});
  f(std::integral_constant<Form, Form::transpose>{});
  f(std::integral_constant<Form, Form::lazy>{});
  f(std::integral_constant<Form, Form::product>{});
}

/// True when the loss offers per_element (the element-wise losses).
template <class Loss, class = void>
struct has_per_element : std::false_type {};
template <class Loss>
struct has_per_element<Loss, std::void_t<decltype(std::declval<const Loss&>().per_element(
                                 std::declval<const Array<double>&>(), std::declval<const Array<double>&>()))>>
    : std::true_type {};

}  // namespace support

#endif  // LOSSES_TESTS_SUPPORT_HPP
