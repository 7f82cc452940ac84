// Walking an N x M shape in blocks that follow the storage order of the predictions, so
// that every argument's block is read once, while it is in cache, by vectorised Eigen
// expressions.
#ifndef LOSSES_DETAIL_BLOCKS_HPP
#define LOSSES_DETAIL_BLOCKS_HPP

#include <Eigen/Core>
#include <algorithm>
#include <type_traits>
#include <utility>

#include "summation.hpp"

namespace losses::detail {

/// A block expression (always a temporary) as an Eigen array expression: a Matrix block
/// gains .array(). Blocks are views: copying one copies a pointer and a shape, never data.
template <class D>
auto as_array(Eigen::MatrixBase<D>&& x) {
  return x.derived().array();
}
template <class D>
auto as_array(Eigen::ArrayBase<D>&& x) {
  return D(x.derived());
}
template <class D>
auto as_array(const Eigen::MatrixBase<D>& x) {  // a read-only block
  return x.derived().array();
}
template <class D>
auto as_array(const Eigen::ArrayBase<D>& x) {
  return D(x.derived());
}

/// Rows [row, row + size) of column `col`.
template <class Scalar>
struct ColumnSegment {
  Eigen::Index row, col, size;

  /// A small contiguous buffer with this slice's shape.
  using Buffer = Eigen::Array<Scalar, Eigen::Dynamic, 1, Eigen::ColMajor, block_size, 1>;

  template <class X>
  auto of(X& x) const {
    return as_array(x.col(col).segment(row, size));
  }
  /// The slice's per-sample weights (w: a contiguous-or-strided vector of length N), with
  /// the slice's shape. Copied into `buffer` so the expressions using it stay vectorised.
  template <class W>
  const Buffer& sample_weights(const W& w, Buffer& buffer) const {
    buffer = w.segment(row, size);
    return buffer;
  }
  /// A rule's per-column parameter (`values`: one per column, or null for none, which
  /// reads as 1): for a column segment, one number.
  Scalar column_values(const Scalar* values, Buffer&) const { return values ? values[col] : Scalar(1); }
  Eigen::Index row_of(Eigen::Index k) const { return row + k; }
  Eigen::Index col_of(Eigen::Index) const { return col; }
  /// out(i) += the slice's terms in row i.
  template <class Out, class T>
  void add_to_rows(Out& out, const T& terms) const {
    out.segment(row, size) += terms;
  }
};

/// Columns [col, col + size) of row `row`.
template <class Scalar>
struct RowSegment {
  Eigen::Index row, col, size;

  using Buffer = Eigen::Array<Scalar, 1, Eigen::Dynamic, Eigen::RowMajor, 1, block_size>;

  template <class X>
  auto of(X& x) const {
    return as_array(x.row(row).segment(col, size));
  }
  template <class W>
  auto sample_weights(const W& w, Buffer&) const {
    return Buffer::Constant(size, w(row));
  }
  /// A rule's per-column parameter: for a row segment, one per element, in `buffer`.
  const Buffer& column_values(const Scalar* values, Buffer& buffer) const {
    if (values) {
      buffer = Eigen::Map<const Eigen::Array<Scalar, 1, Eigen::Dynamic>>(values + col, size);
    } else {
      buffer.setOnes(size);
    }
    return buffer;
  }
  Eigen::Index row_of(Eigen::Index) const { return row; }
  Eigen::Index col_of(Eigen::Index k) const { return col + k; }
  template <class Out, class T>
  void add_to_rows(Out& out, const T& terms) const {
    out(row) += terms.sum();
  }
};

/// Calls f(slice) for every block of a rows x cols shape stored in the given order:
/// column segments for column-major data, row segments for row-major data. (Chosen at
/// compile time, so each kernel is compiled for one kind of slice.)
template <class Scalar, bool RowMajor, class F>
void for_each_block(Eigen::Index rows, Eigen::Index cols, F&& f) {
  if constexpr (!RowMajor) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      for (Eigen::Index i = 0; i < rows; i += block_size) {
        f(ColumnSegment<Scalar>{i, j, std::min(block_size, rows - i)});
      }
    }
  } else {
    for (Eigen::Index i = 0; i < rows; ++i) {
      for (Eigen::Index j = 0; j < cols; j += block_size) {
        f(RowSegment<Scalar>{i, j, std::min(block_size, cols - j)});
      }
    }
  }
}

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_BLOCKS_HPP
