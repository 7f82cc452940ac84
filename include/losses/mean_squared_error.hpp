#ifndef LOSSES_MEAN_SQUARED_ERROR_HPP
#define LOSSES_MEAN_SQUARED_ERROR_HPP

#include "detail/checks.hpp"
#include "detail/elementwise_loss.hpp"
#include "detail/options.hpp"
#include "detail/weights.hpp"
#include "reduction.hpp"

namespace losses {
namespace detail {

/// Squared error: the term (p − y)² and its derivative 2(p − y). No column parameter.
template <class S>
struct SquaredErrorRule {
  using Scalar = S;
  static constexpr TermUnit unit = TermUnit::element;
  static constexpr Domain target_domain = Domain::finite;
  static constexpr Domain prediction_domain = Domain::finite;

  template <class Y, class P, class C>
  auto term(const Y& y, const P& p, const C&) const {
    return square(p - y);
  }
  template <class Y, class P, class C>
  auto derivative(const Y& y, const P& p, const C&) const {
    return Scalar(2) * (p - y);
  }
  const Scalar* column_parameters() const { return nullptr; }

 private:
  static Scalar square(Scalar x) { return x * x; }
  template <class D>
  static auto square(const Eigen::ArrayBase<D>& x) {
    return x.derived().square();
  }
};

}  // namespace detail

/// Mean squared error, for regression with a linear output: real-valued targets and
/// predictions, N x M (rows are samples; a vector is N x 1).
///
/// Each element contributes the term (p − y)². With sᵢ the sum of row i's M terms:
/// - Reduction::mean (default): Σ sᵢ / (N·M); with weights wᵢ (length N), Σ wᵢ·sᵢ / (M·Σ wᵢ);
///   with element weights wᵢⱼ (N x M, e.g. a mask of missing targets), Σ wᵢⱼ·termᵢⱼ / Σ wᵢⱼ.
/// - Reduction::sum: Σ wᵢ·sᵢ, or Σ wᵢⱼ·termᵢⱼ.
///
/// The gradient of a term is 2(p − y), times the reduction's weight and scale: unweighted
/// mean, 2(p − y)/(N·M). per_sample() gives each row's mean over its M outputs.
///
/// @throws losses::ArgumentError (std::invalid_argument) for mismatched or empty shapes;
/// losses::DomainError (std::domain_error) for NaN or infinity in any input or a negative
/// weight, naming the first culprit's row and column.
///
/// ```
/// losses::MeanSquaredError<> mse;
/// auto [value, gradient] = mse.value_and_gradient(y_true, y_pred);
/// ```
template <class Scalar = double>
class MeanSquaredError : public detail::ElementwiseLoss<MeanSquaredError<Scalar>, Scalar>,
                         public detail::ReductionOption<MeanSquaredError<Scalar>> {
 public:
  static constexpr const char* name = "MeanSquaredError";

  using detail::EntryPoints<MeanSquaredError, Scalar>::per_element;

  /// Calls f with the rule the options select (for the driver).
  template <class F>
  decltype(auto) with_rule(Eigen::Index /*columns*/, F&& f) const {
    return f(detail::SquaredErrorRule<Scalar>{});
  }
};

}  // namespace losses

#endif  // LOSSES_MEAN_SQUARED_ERROR_HPP
