#ifndef LOSSES_VALUE_AND_GRADIENT_HPP
#define LOSSES_VALUE_AND_GRADIENT_HPP

#include <Eigen/Core>

namespace losses {

/// The reduced loss and its gradient with respect to the predictions, computed in one pass.
///
/// `gradient` has the predictions' shape and is column-major. Structured bindings work:
/// `auto [value, gradient] = loss.value_and_gradient(y_true, y_pred);`
template <class Scalar>
struct ValueAndGradient {
  Scalar value;
  Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic> gradient;
};

}  // namespace losses

#endif  // LOSSES_VALUE_AND_GRADIENT_HPP
