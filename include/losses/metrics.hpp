// Metrics for reporting results to people, with scikit-learn's definitions: regression
// errors per output and averaged over outputs, and the accuracy of classifier scores.
// They are not losses to train with: they have no gradient.
#ifndef LOSSES_METRICS_HPP
#define LOSSES_METRICS_HPP

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#include "detail/checks.hpp"
#include "detail/summation.hpp"
#include "errors.hpp"

namespace losses {

/// What a classifier's scores are, for metrics::accuracy.
enum class Scores {
  probabilities,  ///< in [0, 1]: sigmoid or softmax outputs
  logits,         ///< any finite value: the inputs of a sigmoid or softmax
  labels,         ///< predicted class labels, compared with the true ones as they are
};

namespace metrics {

/// The options of the regression metrics, as scikit-learn's sample_weight and multioutput.
struct RegressionOptions {
  /// One weight per sample (row), finite and non-negative. Empty: all ones.
  Eigen::ArrayXd sample_weight;
  /// One weight per output (column), finite and non-negative, for the average over
  /// outputs. Empty: the plain mean (scikit-learn's multioutput="uniform_average").
  Eigen::ArrayXd output_weights;
};

}  // namespace metrics

namespace detail {

/// Σ weights after checking each is finite and non-negative and that they do not sum to
/// zero (a weighted mean over them would be undefined), naming `argument`.
inline double checked_mean_weights(const char* metric, const char* argument, const Eigen::ArrayXd& weights) {
  CompensatedSum<double> total;
  for (Eigen::Index k = 0; k < weights.size(); ++k) {
    if (!in_domain(Domain::non_negative, weights(k))) throw_domain(metric, argument, k, 0, weights(k), Domain::non_negative);
    total.add(weights(k));
  }
  const double sum = total.total();
  if (!std::isfinite(sum)) {
    throw DomainError(argument, -1, -1,
                      prefixed(metric, std::string("the weights in ") + argument + " are finite but their sum overflows"));
  }
  if (!(sum > 0)) {
    throw_argument(metric, argument,
                   std::string("the weights in ") + argument + " sum to zero, so their weighted mean is undefined");
  }
  return sum;
}

template <class YT, class YP>
void check_regression_shapes(const char* metric, const YT& y_true, const YP& y_pred) {
  static_assert(std::is_floating_point_v<typename YP::Scalar>,
                "losses: a regression metric's y_pred must hold float, double or long double");
  static_assert(std::is_arithmetic_v<typename YT::Scalar>, "losses: a regression metric's y_true must hold numbers");
  check_same_shape(metric, "y_true", y_true, "y_pred", y_pred);
  check_not_empty(metric, "y_pred", y_pred);
}

/// The output weights' total, checked against the M outputs of y_pred, or 0 when none
/// are given (the uniform average).
template <class YP>
double checked_output_weights(const char* metric, const YP& y_pred, const Eigen::ArrayXd& output_weights) {
  if (output_weights.size() == 0) return 0;
  if (output_weights.size() != y_pred.cols()) {
    throw_argument(metric, "output_weights",
                   "output_weights has " + std::to_string(output_weights.size()) + " weights but y_pred is " +
                       shape_of(y_pred) + "; there must be one weight per output (column), M = " +
                       std::to_string(y_pred.cols()));
  }
  return checked_mean_weights(metric, "output_weights", output_weights);
}

/// Per output j, the weighted mean over samples Σᵢ wᵢ·error(pᵢⱼ − yᵢⱼ) / Σᵢ wᵢ, in the
/// accumulator type; NaN or infinity in either input is named (lowest row, then column).
template <class YT, class YP, class Error>
Eigen::Array<accumulator_t<typename YP::Scalar>, Eigen::Dynamic, 1> per_output_means(
    const char* metric, const YT& y_true, const YP& y_pred, const metrics::RegressionOptions& options, Error error) {
  using Scalar = typename YP::Scalar;
  using Acc = accumulator_t<Scalar>;
  check_regression_shapes(metric, y_true, y_pred);
  const Eigen::ArrayXd& w = options.sample_weight;
  const bool weighted = w.size() > 0;
  if (weighted && w.size() != y_pred.rows()) {
    throw_argument(metric, "sample_weight",
                   "sample_weight has " + std::to_string(w.size()) + " weights but y_pred is " + shape_of(y_pred) +
                       "; there must be one weight per sample (row), N = " + std::to_string(y_pred.rows()));
  }
  const Acc weight_total = weighted ? Acc(checked_mean_weights(metric, "sample_weight", w)) : Acc(y_pred.rows());
  checked_output_weights(metric, y_pred, options.output_weights);

  Eigen::Array<Acc, Eigen::Dynamic, 1> means(y_pred.cols());
  bool finite = true;
  for (Eigen::Index j = 0; j < y_pred.cols(); ++j) {
    CompensatedSum<Scalar> sum;
    for (Eigen::Index i = 0; i < y_pred.rows(); ++i) {
      const Acc e = error(Acc(y_pred.coeff(i, j)) - Acc(y_true.coeff(i, j)));
      sum.add(weighted ? Acc(w(i)) * e : e);
    }
    means(j) = sum.total() / weight_total;
    finite = finite && std::isfinite(means(j));
  }
  // Only when something is not finite: a NaN or infinity in the inputs is an error, while
  // finite inputs whose error overflows give +∞ as it is.
  if (!finite) throw_first_outside<Acc>(metric, "y_true", Domain::finite, y_true, "y_pred", Domain::finite, y_pred);
  return means;
}

/// Σⱼ vⱼ·uⱼ / Σⱼ uⱼ with the output weights u, or the plain mean of v.
template <class Acc>
Acc output_average(const Eigen::Array<Acc, Eigen::Dynamic, 1>& values, const Eigen::ArrayXd& output_weights,
                   double output_weight_total) {
  CompensatedSum<Acc> sum;
  if (output_weights.size() == 0) {
    for (Eigen::Index j = 0; j < values.size(); ++j) sum.add(values(j));
    return sum.total() / Acc(values.size());
  }
  for (Eigen::Index j = 0; j < values.size(); ++j) sum.add(Acc(output_weights(j)) * values(j));
  return sum.total() / Acc(output_weight_total);
}

struct SquaredError {
  template <class T>
  T operator()(T d) const {
    return d * d;
  }
};
struct AbsoluteError {
  template <class T>
  T operator()(T d) const {
    return std::abs(d);
  }
};

template <class YT, class YP>
auto per_output_mse(const char* metric, const YT& y_true, const YP& y_pred, const metrics::RegressionOptions& options) {
  return per_output_means(metric, y_true, y_pred, options, SquaredError{});
}
template <class YT, class YP>
auto per_output_rmse(const char* metric, const YT& y_true, const YP& y_pred, const metrics::RegressionOptions& options) {
  return per_output_mse(metric, y_true, y_pred, options).sqrt().eval();
}
template <class YT, class YP>
auto per_output_mae(const char* metric, const YT& y_true, const YP& y_pred, const metrics::RegressionOptions& options) {
  return per_output_means(metric, y_true, y_pred, options, AbsoluteError{});
}

template <class YP, class PerOutput>
typename YP::Scalar averaged(const char* metric, const YP& y_pred, const metrics::RegressionOptions& options,
                             PerOutput&& per_output) {
  const auto values = per_output();
  const double total = checked_output_weights(metric, y_pred, options.output_weights);
  return static_cast<typename YP::Scalar>(output_average(values, options.output_weights, total));
}

// ---------------------------------------------------------------------------------------
// Accuracy

/// The threshold's type: the scores' Scalar, or double for integer scores.
template <class D>
using threshold_t = std::conditional_t<std::is_floating_point_v<typename D::Scalar>, typename D::Scalar, double>;

/// Element k of a vector of either orientation.
template <class V>
auto vector_at(const V& v, Eigen::Index k) {
  return v.rows() == 1 ? v.coeff(0, k) : v.coeff(k, 0);
}

/// a == b for integers of any signedness and width, without a conversion that could wrap.
template <class A, class B>
bool same_integer(A a, B b) {
  if constexpr (std::is_signed_v<A> && !std::is_signed_v<B>) {
    return a >= 0 && static_cast<std::uintmax_t>(a) == static_cast<std::uintmax_t>(b);
  } else if constexpr (!std::is_signed_v<A> && std::is_signed_v<B>) {
    return b >= 0 && static_cast<std::uintmax_t>(a) == static_cast<std::uintmax_t>(b);
  } else if constexpr (std::is_signed_v<A>) {
    return static_cast<std::intmax_t>(a) == static_cast<std::intmax_t>(b);
  } else {
    return static_cast<std::uintmax_t>(a) == static_cast<std::uintmax_t>(b);
  }
}

template <class L>
[[noreturn]] void throw_class_label(const char* metric, Eigen::Index row, L label, Eigen::Index classes,
                                    const std::string& why) {
  throw LabelError("labels", row, static_cast<long double>(label), classes,
                   prefixed(metric, "labels(" + std::to_string(row) + ") = " + number_to_string(label) +
                                        " is not a class label in [0, " + std::to_string(classes) + "): " + why));
}

/// A score, read as the threshold's type, checked: finite, and in [0, 1] for probabilities.
template <class T, class SD>
T checked_score(const char* metric, Scores kind, const SD& scores, Eigen::Index i, Eigen::Index j) {
  const T value = static_cast<T>(scores.coeff(i, j));
  const Domain domain = kind == Scores::probabilities ? Domain::unit_interval : Domain::finite;
  if (!in_domain(domain, value)) throw_domain(metric, "scores", i, j, value, domain);
  return value;
}

/// The predicted class of row i: for one column, class 1 where the score is strictly
/// above the threshold, else 0; for K >= 2 columns, the first largest score's column.
template <class SD, class T>
Eigen::Index predicted_class(const char* metric, Scores kind, const SD& scores, T threshold, Eigen::Index i) {
  if (scores.cols() == 1) return checked_score<T>(metric, kind, scores, i, 0) > threshold ? 1 : 0;
  Eigen::Index best = 0;
  T best_score = checked_score<T>(metric, kind, scores, i, 0);
  for (Eigen::Index j = 1; j < scores.cols(); ++j) {
    const T value = checked_score<T>(metric, kind, scores, i, j);
    if (value > best_score) {
      best = j;
      best_score = value;
    }
  }
  return best;
}

template <class LD, class SD>
double accuracy_of(const LD& labels, const SD& scores, Scores kind, threshold_t<SD> threshold,
                   const Eigen::ArrayXd& sample_weight) {
  using Label = typename LD::Scalar;
  const char* metric = "metrics::accuracy";
  if (kind != Scores::probabilities && kind != Scores::logits && kind != Scores::labels) {
    throw_argument(metric, "kind", "kind must be Scores::probabilities, Scores::logits or Scores::labels");
  }
  if (!is_vector_shape(labels) || labels.size() == 0) {
    throw_argument(metric, "labels", "labels is " + shape_of(labels) + "; it must be a non-empty vector of N labels");
  }
  const Eigen::Index n = labels.size();
  check_not_empty(metric, "scores", scores);
  if (kind == Scores::labels) {
    if (!is_vector_shape(scores) || scores.size() != n) {
      throw_argument(metric, "scores",
                     "scores is " + shape_of(scores) + " but labels has " + std::to_string(n) +
                         " entries; with Scores::labels, scores must be a vector of N predicted labels");
    }
  } else {
    if (scores.rows() != n) {
      throw_argument(metric, "scores",
                     "scores is " + shape_of(scores) + " but labels has " + std::to_string(n) +
                         " entries; scores must have one row per label (N x 1 for a binary score, N x K for K classes)");
    }
    if (!std::isfinite(threshold) || (kind == Scores::probabilities && !(threshold >= 0 && threshold <= 1))) {
      throw_argument(metric, "threshold",
                     "threshold = " + number_to_string(threshold) + " is invalid: it must be " +
                         (kind == Scores::probabilities ? "in [0, 1] for probabilities" : "finite"));
    }
  }
  const bool weighted = sample_weight.size() > 0;
  if (weighted && sample_weight.size() != n) {
    throw_argument(metric, "sample_weight",
                   "sample_weight has " + std::to_string(sample_weight.size()) + " weights but labels has " +
                       std::to_string(n) + " entries; there must be one weight per sample");
  }
  const double weight_total = weighted ? checked_mean_weights(metric, "sample_weight", sample_weight) : double(n);

  CompensatedSum<double> correct;
  for (Eigen::Index i = 0; i < n; ++i) {
    const Label label = vector_at(labels, i);
    bool hit = false;
    if (kind == Scores::labels) {
      const auto predicted = vector_at(scores, i);
      using P = std::decay_t<decltype(predicted)>;
      if constexpr (std::is_integral_v<P>) {
        hit = same_integer(label, predicted);
      } else {
        if (!std::isfinite(predicted)) {
          const bool row = scores.rows() == 1;
          throw_domain(metric, "scores", row ? 0 : i, row ? i : 0, predicted, Domain::finite);
        }
        hit = static_cast<long double>(label) == static_cast<long double>(predicted);
      }
    } else {
      const Eigen::Index classes = scores.cols() == 1 ? 2 : scores.cols();
      const Eigen::Index predicted = predicted_class(metric, kind, scores, threshold, i);
      if (!label_in_range(label, classes)) {
        throw_class_label(metric, i, label, classes,
                          scores.cols() == 1 ? "a binary score (one column) predicts class 0 or 1"
                                             : "scores has " + std::to_string(classes) + " columns, one per class");
      }
      hit = same_integer(label, predicted);
    }
    if (hit) correct.add(weighted ? sample_weight(i) : 1.0);
  }
  return correct.total() / weight_total;
}

}  // namespace detail

namespace metrics {

/// Mean squared error for reporting, scikit-learn's mean_squared_error: per output j, the
/// weighted mean over samples Σᵢ wᵢ·(pᵢⱼ − yᵢⱼ)² / Σᵢ wᵢ, then the mean over outputs
/// (weighted by options.output_weights when given). y_true and y_pred are N x M
/// (rows are samples; a vector is N x 1); Scalar is y_pred's (float or double).
///
/// @throws losses::ArgumentError (std::invalid_argument) for mismatched or empty shapes,
/// weights of the wrong length or summing to zero; losses::DomainError (std::domain_error)
/// for NaN or infinity in y_true or y_pred, or a negative or non-finite weight, naming it.
///
/// ```
/// double mse = losses::metrics::mean_squared_error(y_true, y_pred);
/// ```
template <class YT, class YP>
typename YP::Scalar mean_squared_error(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                                       const RegressionOptions& options = {}) {
  const char* metric = "metrics::mean_squared_error";
  const auto& yt = detail::evaluated(y_true);
  const auto& yp = detail::evaluated(y_pred);
  return detail::averaged(metric, yp, options, [&] { return detail::per_output_mse(metric, yt, yp, options); });
}

/// The per-output mean squared errors (length M): scikit-learn's multioutput="raw_values".
/// options.output_weights, when given, is checked like everywhere else but has no effect.
template <class YT, class YP>
Eigen::Array<typename YP::Scalar, Eigen::Dynamic, 1> mean_squared_error_raw(const Eigen::DenseBase<YT>& y_true,
                                                                            const Eigen::DenseBase<YP>& y_pred,
                                                                            const RegressionOptions& options = {}) {
  const auto& yt = detail::evaluated(y_true);
  const auto& yp = detail::evaluated(y_pred);
  return detail::per_output_mse("metrics::mean_squared_error_raw", yt, yp, options).template cast<typename YP::Scalar>();
}

/// Root mean squared error for reporting, scikit-learn's root_mean_squared_error: the
/// square root of each output's mean squared error (weighted over samples as in
/// mean_squared_error), then their mean over outputs — the mean of the per-output RMSEs,
/// not the root of the averaged MSE. Errors as for mean_squared_error.
///
/// ```
/// double rmse = losses::metrics::root_mean_squared_error(y_true, y_pred);
/// ```
template <class YT, class YP>
typename YP::Scalar root_mean_squared_error(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                                            const RegressionOptions& options = {}) {
  const char* metric = "metrics::root_mean_squared_error";
  const auto& yt = detail::evaluated(y_true);
  const auto& yp = detail::evaluated(y_pred);
  return detail::averaged(metric, yp, options, [&] { return detail::per_output_rmse(metric, yt, yp, options); });
}

/// The per-output root mean squared errors (length M).
template <class YT, class YP>
Eigen::Array<typename YP::Scalar, Eigen::Dynamic, 1> root_mean_squared_error_raw(const Eigen::DenseBase<YT>& y_true,
                                                                                 const Eigen::DenseBase<YP>& y_pred,
                                                                                 const RegressionOptions& options = {}) {
  const auto& yt = detail::evaluated(y_true);
  const auto& yp = detail::evaluated(y_pred);
  return detail::per_output_rmse("metrics::root_mean_squared_error_raw", yt, yp, options)
      .template cast<typename YP::Scalar>();
}

/// Mean absolute error for reporting, scikit-learn's mean_absolute_error: per output, the
/// weighted mean over samples of |pᵢⱼ − yᵢⱼ|, then the mean over outputs. Errors as for
/// mean_squared_error.
///
/// ```
/// double mae = losses::metrics::mean_absolute_error(y_true, y_pred);
/// ```
template <class YT, class YP>
typename YP::Scalar mean_absolute_error(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                                        const RegressionOptions& options = {}) {
  const char* metric = "metrics::mean_absolute_error";
  const auto& yt = detail::evaluated(y_true);
  const auto& yp = detail::evaluated(y_pred);
  return detail::averaged(metric, yp, options, [&] { return detail::per_output_mae(metric, yt, yp, options); });
}

/// The per-output mean absolute errors (length M).
template <class YT, class YP>
Eigen::Array<typename YP::Scalar, Eigen::Dynamic, 1> mean_absolute_error_raw(const Eigen::DenseBase<YT>& y_true,
                                                                             const Eigen::DenseBase<YP>& y_pred,
                                                                             const RegressionOptions& options = {}) {
  const auto& yt = detail::evaluated(y_true);
  const auto& yp = detail::evaluated(y_pred);
  return detail::per_output_mae("metrics::mean_absolute_error_raw", yt, yp, options).template cast<typename YP::Scalar>();
}

/// The threshold accuracy uses by default: 0.5 for probabilities, 0 for logits (the same
/// decision, sigmoid(0) = 0.5); labels use none.
constexpr double default_threshold(Scores kind) noexcept { return kind == Scores::logits ? 0.0 : 0.5; }

/// The fraction of samples whose predicted class is the true label (integer labels in an
/// Eigen vector of length N), scikit-learn's accuracy_score after the prediction:
/// - Scores::probabilities or Scores::logits, scores N x 1: class 1 where the score is
///   strictly above `threshold`, else class 0 (labels must be 0 or 1);
/// - the same, scores N x K with K >= 2: the class of the first largest score (labels in [0, K));
/// - Scores::labels: scores is a vector of N predicted labels, compared as they are.
/// With sample_weight (length N, finite, non-negative): Σ wᵢ·[correctᵢ] / Σ wᵢ.
///
/// @throws losses::ArgumentError (std::invalid_argument) for shapes that do not fit, empty
/// inputs, an invalid threshold or weights of the wrong length or summing to zero;
/// losses::LabelError (std::out_of_range) for a label outside the classes the scores can
/// predict; losses::DomainError (std::domain_error) for NaN or infinity in the scores, a
/// probability outside [0, 1], or a negative weight, naming its row and column.
///
/// ```
/// double acc = losses::metrics::accuracy(labels, softmax_output, losses::Scores::probabilities);
/// double weighted = losses::metrics::accuracy(labels, logits, losses::Scores::logits, 0.0, weights);
/// ```
template <class LD, class SD>
double accuracy(const Eigen::DenseBase<LD>& labels, const Eigen::DenseBase<SD>& scores, Scores kind,
                detail::threshold_t<SD> threshold, const Eigen::ArrayXd& sample_weight = {}) {
  static_assert(std::is_integral_v<typename LD::Scalar>, "losses: accuracy's labels must hold integer class labels");
  static_assert(std::is_arithmetic_v<typename SD::Scalar>, "losses: accuracy's scores must hold numbers");
  return detail::accuracy_of(detail::evaluated(labels), detail::evaluated(scores), kind, threshold, sample_weight);
}

/// accuracy with the kind's default_threshold.
template <class LD, class SD>
double accuracy(const Eigen::DenseBase<LD>& labels, const Eigen::DenseBase<SD>& scores, Scores kind,
                const Eigen::ArrayXd& sample_weight = {}) {
  return accuracy(labels, scores, kind, static_cast<detail::threshold_t<SD>>(default_threshold(kind)), sample_weight);
}

}  // namespace metrics
}  // namespace losses

#endif  // LOSSES_METRICS_HPP
