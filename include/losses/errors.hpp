// The exceptions the library throws. Each derives from the standard exception a caller
// would catch anyway, and also carries the offending argument's name and position.
#ifndef LOSSES_ERRORS_HPP
#define LOSSES_ERRORS_HPP

#include <Eigen/Core>
#include <stdexcept>
#include <string>

namespace losses {

/// An argument that cannot be used as given: mismatched or empty shapes, an output that
/// shares memory with an input, or an option value outside its valid range.
class ArgumentError : public std::invalid_argument {
 public:
  ArgumentError(const char* argument, const std::string& message)
      : std::invalid_argument(message), argument_(argument) {}
  /// The name of the offending argument or option, e.g. "y_pred" or "epsilon".
  const char* argument() const noexcept { return argument_; }

 private:
  const char* argument_;
};

/// A value outside the domain the loss is defined on: a probability or target outside
/// [0, 1], NaN or infinity where the contract forbids it, a negative weight.
/// `row()` and `col()` locate the first culprit (lowest row, then lowest column);
/// they are -1 where the problem has no single position (an overflowing total weight).
class DomainError : public std::domain_error {
 public:
  DomainError(const char* argument, Eigen::Index row, Eigen::Index col, const std::string& message)
      : std::domain_error(message), argument_(argument), row_(row), col_(col) {}
  const char* argument() const noexcept { return argument_; }
  Eigen::Index row() const noexcept { return row_; }
  Eigen::Index col() const noexcept { return col_; }

 private:
  const char* argument_;
  Eigen::Index row_;
  Eigen::Index col_;
};

/// A class label outside [0, K). The label is never used to read memory.
class LabelError : public std::out_of_range {
 public:
  LabelError(const char* argument, Eigen::Index row, long double label, Eigen::Index classes,
             const std::string& message)
      : std::out_of_range(message), argument_(argument), row_(row), label_(label), classes_(classes) {}
  const char* argument() const noexcept { return argument_; }
  /// The row of the first offending label.
  Eigen::Index row() const noexcept { return row_; }
  /// The offending label, widened so that any integer type fits.
  long double label() const noexcept { return label_; }
  /// K, the number of classes (columns of y_pred).
  Eigen::Index classes() const noexcept { return classes_; }

 private:
  const char* argument_;
  Eigen::Index row_;
  long double label_;
  Eigen::Index classes_;
};

}  // namespace losses

#endif  // LOSSES_ERRORS_HPP
