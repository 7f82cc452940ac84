// The options several losses share, as mixins: each adds a chainable setter that returns
// the loss itself and a getter of the same name.
#ifndef LOSSES_DETAIL_OPTIONS_HPP
#define LOSSES_DETAIL_OPTIONS_HPP

#include <cmath>
#include <limits>
#include <string>

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

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_OPTIONS_HPP
