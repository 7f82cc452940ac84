// The options several losses share, as mixins: each adds a chainable setter that returns
// the loss itself and a getter of the same name.
#ifndef LOSSES_DETAIL_OPTIONS_HPP
#define LOSSES_DETAIL_OPTIONS_HPP

#include <Eigen/Core>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>

#include "../reduction.hpp"
#include "checks.hpp"

namespace losses::detail {

template <class Loss>
class ReductionOption {
 public:
  /// Sets how the terms are reduced (default Reduction::mean); returns the loss.
  Loss& reduction(Reduction r) {
    if (r != Reduction::mean && r != Reduction::sum) {
      throw_argument(Loss::name, "reduction", "reduction must be Reduction::mean or Reduction::sum");
    }
    reduction_ = r;
    return static_cast<Loss&>(*this);
  }
  /// The reduction in use.
  Reduction reduction() const noexcept { return reduction_; }

 private:
  Reduction reduction_ = Reduction::mean;
};

template <class Loss, class Scalar>
class EpsilonOption {
 public:
  /// Sets the clipping bound ε: probabilities are clipped to [ε, 1 − ε] before their logs.
  ///
  /// Valid values are 0 (no clipping: exact evaluation, where a certain and wrong
  /// prediction gives +∞) and [epsilon()/2, 0.5), with epsilon() the machine epsilon of
  /// Scalar: below that, 1 − ε would round to 1 and the log of 0 would be back.
  /// Default: std::numeric_limits<Scalar>::epsilon().
  /// @throws losses::ArgumentError (a std::invalid_argument) for any other value.
  Loss& epsilon(Scalar e) {
    const Scalar lowest = std::numeric_limits<Scalar>::epsilon() / 2;
    if (!(e == Scalar(0) || (e >= lowest && e < Scalar(0.5)))) {
      throw_argument(Loss::name, "epsilon",
                     "epsilon = " + number_to_string(e) + " is invalid: it must be 0 or in [" +
                         number_to_string(lowest) + ", 0.5) for this Scalar type");
    }
    epsilon_ = e;
    return static_cast<Loss&>(*this);
  }
  /// The clipping bound in use.
  Scalar epsilon() const noexcept { return epsilon_; }

 private:
  Scalar epsilon_ = std::numeric_limits<Scalar>::epsilon();
};

template <class Loss>
class LogitsOption {
 public:
  /// Sets whether y_pred holds logits (true: the loss applies the sigmoid or softmax
  /// itself, stably, and nothing is clipped) or probabilities (false, the default).
  Loss& from_logits(bool logits) noexcept {
    from_logits_ = logits;
    return static_cast<Loss&>(*this);
  }
  /// Whether y_pred holds logits.
  bool from_logits() const noexcept { return from_logits_; }

 private:
  bool from_logits_ = false;
};

template <class Loss, class Scalar>
class LabelSmoothingOption {
 public:
  /// Sets the label smoothing s in [0, 1] (default 0): targets y become y(1 − s) + s/C,
  /// with C = 2 for binary targets and C = K for categorical ones.
  /// @throws losses::ArgumentError (a std::invalid_argument) for s outside [0, 1] or NaN.
  Loss& label_smoothing(Scalar s) {
    if (!(s >= Scalar(0) && s <= Scalar(1))) {
      throw_argument(Loss::name, "label_smoothing",
                     "label_smoothing = " + number_to_string(s) + " is invalid: it must be in [0, 1]");
    }
    smoothing_ = s;
    return static_cast<Loss&>(*this);
  }
  /// The label smoothing in use.
  Scalar label_smoothing() const noexcept { return smoothing_; }

 private:
  Scalar smoothing_ = 0;
};

/// A vector option of finite, non-negative numbers (class or positive-class weights),
/// converted to Scalar and checked; empty means the option is unset.
template <class Scalar, class D>
Eigen::Array<Scalar, Eigen::Dynamic, 1> checked_weights_option(const char* loss, const char* option,
                                                               const Eigen::DenseBase<D>& values) {
  static_assert(std::is_arithmetic_v<typename D::Scalar>, "losses: weights must hold an arithmetic type");
  if (values.size() != 0 && values.rows() != 1 && values.cols() != 1) {
    throw_argument(loss, option,
                   std::string(option) + " is " + shape_of(values) + "; it must be a vector (or empty, to unset it)");
  }
  Eigen::Array<Scalar, Eigen::Dynamic, 1> out(values.size());
  for (Eigen::Index k = 0; k < values.size(); ++k) {
    out(k) = static_cast<Scalar>(values.derived().coeff(values.rows() == 1 ? 0 : k, values.rows() == 1 ? k : 0));
    if (!in_domain(Domain::non_negative, out(k))) {
      throw_argument(loss, option,
                     std::string(option) + "(" + std::to_string(k) + ") = " + number_to_string(out(k)) +
                         " is invalid: it must be finite and non-negative");
    }
  }
  return out;
}

/// Throws unless an option of per-column weights, when set, has one weight per column.
template <class Vector>
void check_weights_option_length(const char* loss, const char* option, const Vector& values, Eigen::Index columns,
                                 const char* column_meaning) {
  if (values.size() != 0 && values.size() != columns) {
    throw_argument(loss, option,
                   std::string(option) + " has " + std::to_string(values.size()) + " entries but y_pred has " +
                       std::to_string(columns) + " columns; it needs one weight per " + column_meaning);
  }
}

template <class Loss, class Scalar>
class ClassWeightOption {
 public:
  using Weights = Eigen::Array<Scalar, Eigen::Dynamic, 1>;

  /// Sets one weight per class (length K, finite and non-negative; empty to unset), with
  /// PyTorch's semantics: each class's terms are multiplied by its weight (see the loss
  /// for what the mean divides by).
  /// @throws losses::ArgumentError (a std::invalid_argument) for a weight that is negative,
  /// NaN or infinite, or an argument that is not a vector. A length that differs from K is
  /// an ArgumentError when the loss is called.
  template <class D>
  Loss& class_weight(const Eigen::DenseBase<D>& weights) {
    class_weight_ = checked_weights_option<Scalar>(Loss::name, "class_weight", weights);
    return static_cast<Loss&>(*this);
  }
  Loss& class_weight(std::initializer_list<Scalar> weights) {
    return class_weight(Eigen::Map<const Weights>(weights.begin(), static_cast<Eigen::Index>(weights.size())));
  }
  /// The class weights in use (empty: none).
  const Weights& class_weight() const noexcept { return class_weight_; }

 private:
  Weights class_weight_;
};

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_OPTIONS_HPP
