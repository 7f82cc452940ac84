// losses::metrics against scikit-learn: the generator's cases (scikit-learn 1.2.1's
// mean_squared_error, mean_absolute_error and accuracy_score, cross-checked against
// mpmath and exact counts), a few values derived by hand, and one test per error.
#include <losses/metrics.hpp>

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reference/metrics_values.hpp"
#include "support.hpp"

namespace {

namespace metrics = losses::metrics;
using losses::Scores;
using metrics::RegressionOptions;
using metrics_reference::Span;

Eigen::ArrayXd to_array(const Span<double>& values) {
  Eigen::ArrayXd out(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) out(static_cast<Eigen::Index>(i)) = values[i];
  return out;
}

template <class S>
support::Array<S> to_array(const Span<double>& values, long rows, long cols) {
  return support::from_row_major<S>(std::vector<double>(values.begin(), values.end()), rows, cols);
}

Eigen::Array<long, Eigen::Dynamic, 1> to_labels(const Span<long>& values) {
  return Eigen::Map<const Eigen::Array<long, Eigen::Dynamic, 1>>(values.data, static_cast<Eigen::Index>(values.size()));
}

Eigen::ArrayXd weights_of(std::initializer_list<double> values) {
  Eigen::ArrayXd out(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const double v : values) out(i++) = v;
  return out;
}

void check_message(const std::exception& e, const std::string& metric, const std::vector<std::string>& mentions) {
  const std::string message = e.what();
  INFO("message: " << message);
  CHECK(message.find("losses::metrics::" + metric) != std::string::npos);
  for (const std::string& m : mentions) {
    INFO("should mention: " << m);
    CHECK(message.find(m) != std::string::npos);
  }
}

template <class F>
void expect_argument_error(F&& f, const std::string& metric, const std::string& argument,
                           const std::vector<std::string>& mentions) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::invalid_argument& e) {
    const auto* error = dynamic_cast<const losses::ArgumentError*>(&e);
    REQUIRE(error != nullptr);
    CHECK(error->argument() == argument);
    check_message(e, metric, mentions);
  }
}

template <class F>
void expect_domain_error(F&& f, const std::string& metric, const std::string& argument, Eigen::Index row,
                         Eigen::Index col, const std::vector<std::string>& mentions) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::domain_error& e) {
    const auto* error = dynamic_cast<const losses::DomainError*>(&e);
    REQUIRE(error != nullptr);
    CHECK(error->argument() == argument);
    CHECK(error->row() == row);
    CHECK(error->col() == col);
    check_message(e, metric, mentions);
  }
}

template <class F>
void expect_label_error(F&& f, Eigen::Index row, long label, Eigen::Index classes, const std::vector<std::string>& mentions) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::out_of_range& e) {
    const auto* error = dynamic_cast<const losses::LabelError*>(&e);
    REQUIRE(error != nullptr);
    CHECK(std::string(error->argument()) == "labels");
    CHECK(error->row() == row);
    CHECK(error->label() == static_cast<long double>(label));
    CHECK(error->classes() == classes);
    check_message(e, "accuracy", mentions);
  }
}

// ---------------------------------------------------------------------------------------
// The generator's cases

template <class S, class YT, class YP>
void check_regression(const metrics_reference::RegressionCase& c, const YT& y, const YP& p,
                      const RegressionOptions& options) {
  const double rel = support::tolerance<S>();
  support::check_value(metrics::mean_squared_error(y, p, options), c.mse, rel, "mean_squared_error");
  support::check_value(metrics::root_mean_squared_error(y, p, options), c.rmse, rel, "root_mean_squared_error");
  support::check_value(metrics::mean_absolute_error(y, p, options), c.mae, rel, "mean_absolute_error");
  support::check_elements(metrics::mean_squared_error_raw(y, p, options), c.mse_raw, rel, "mean_squared_error_raw");
  support::check_elements(metrics::root_mean_squared_error_raw(y, p, options), c.rmse_raw, rel,
                          "root_mean_squared_error_raw");
  support::check_elements(metrics::mean_absolute_error_raw(y, p, options), c.mae_raw, rel, "mean_absolute_error_raw");
}

template <class S>
void run_regression(const metrics_reference::RegressionCase& c) {
  const support::Array<S> y = to_array<S>(c.y_true, c.rows, c.cols);
  const support::Array<S> p = to_array<S>(c.y_pred, c.rows, c.cols);
  RegressionOptions options;
  options.sample_weight = to_array(c.sample_weight);
  options.output_weights = to_array(c.output_weights);
  {
    INFO("plain arrays");
    check_regression<S>(c, y, p, options);
  }
  {
    INFO("row-major Matrix and a lazy expression");
    const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m = p.matrix();
    check_regression<S>(c, y * S(1), m, options);
  }
  if (c.integer_targets) {
    INFO("integer y_true");
    check_regression<S>(c, Eigen::ArrayXXi(y.round().template cast<int>()), p, options);
  }
}

template <class S>
void run_accuracy(const metrics_reference::AccuracyCase& c) {
  const auto labels = to_labels(c.labels);
  const Eigen::ArrayXd weights = to_array(c.sample_weight);
  const auto kind = c.kind == metrics_reference::Kind::probabilities ? Scores::probabilities
                    : c.kind == metrics_reference::Kind::logits      ? Scores::logits
                                                                     : Scores::labels;
  const auto check = [&](const auto& scores) {
    double value;
    if (c.default_threshold) {
      value = c.sample_weight.empty() ? metrics::accuracy(labels, scores, kind)
                                      : metrics::accuracy(labels, scores, kind, weights);
    } else {
      value = metrics::accuracy(labels, scores, kind, static_cast<S>(c.threshold), weights);
    }
    CHECK(value == Approx(c.accuracy).epsilon(1e-15));
  };
  if (kind == Scores::labels) {
    check(to_labels(c.predicted));
    check(to_labels(c.predicted).template cast<S>().eval());
  } else {
    const support::Array<S> scores = to_array<S>(c.scores, c.rows, c.cols);
    check(scores);
    check(support::RowArray<S>(scores));
    if (c.cols == 1) check(Eigen::Matrix<S, Eigen::Dynamic, 1>(scores.col(0).matrix()));
  }
}

}  // namespace

TEST_CASE("regression metrics match scikit-learn's values", "[metrics][reference]") {
  for (const auto& c : metrics_reference::regression_cases) {
    INFO("case " << c.name << " (" << c.source << ")");
    if (c.is_float) {
      run_regression<float>(c);
    } else {
      run_regression<double>(c);
    }
  }
}

TEST_CASE("accuracy matches scikit-learn's accuracy_score", "[metrics][reference]") {
  for (const auto& c : metrics_reference::accuracy_cases) {
    INFO("case " << c.name << " (" << c.source << ")");
    if (c.is_float) {
      run_accuracy<float>(c);
    } else {
      run_accuracy<double>(c);
    }
  }
}

TEST_CASE("root_mean_squared_error is the mean of the per-output RMSEs", "[metrics]") {
  // Derivation: output 0 errs by 3 on every row (RMSE 3), output 1 by 4 on one row of
  // two (MSE 8, RMSE √8); the mean of the RMSEs is (3 + √8)/2, not √((9 + 8)/2).
  Eigen::ArrayXXd y = Eigen::ArrayXXd::Zero(2, 2), p(2, 2);
  p << 3, 4, -3, 0;
  CHECK(metrics::root_mean_squared_error(y, p) == Approx((3 + std::sqrt(8.0)) / 2).epsilon(1e-15));
  CHECK(metrics::mean_squared_error(y, p) == Approx(8.5).epsilon(1e-15));
  CHECK(metrics::mean_absolute_error(y, p) == Approx(2.5).epsilon(1e-15));
  RegressionOptions options;
  options.output_weights = weights_of({1, 3});
  CHECK(metrics::root_mean_squared_error(y, p, options) == Approx((3 + 3 * std::sqrt(8.0)) / 4).epsilon(1e-15));
}

TEST_CASE("accuracy: a score exactly at the threshold predicts class 0", "[metrics][accuracy]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(4) << 0, 1, 0, 1).finished();
  const Eigen::ArrayXd probabilities = (Eigen::ArrayXd(4) << 0.5, 0.5, 0.2, 0.9).finished();
  CHECK(metrics::accuracy(labels, probabilities, Scores::probabilities) == 0.75);
  const Eigen::ArrayXf logits = (Eigen::ArrayXf(4) << 0, 0, -1, 2).finished();
  CHECK(metrics::accuracy(labels, logits, Scores::logits) == 0.75);
  CHECK(metrics::accuracy(labels, logits, Scores::logits, -1.5f) == 0.5);  // every row predicts 1
  CHECK(metrics::default_threshold(Scores::probabilities) == 0.5);
  CHECK(metrics::default_threshold(Scores::logits) == 0.0);
}

TEST_CASE("accuracy: zero weights remove samples", "[metrics][accuracy][weights]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(3) << 2, 0, 1).finished();
  Eigen::ArrayXXd scores(3, 3);
  scores << .1, .2, .7, .3, .3, .4, .5, .4, .1;
  // Predicted 2, 2, 0: only row 0 is right; weights 1, 0, 3 give 1/4.
  CHECK(metrics::accuracy(labels, scores, Scores::probabilities, weights_of({1, 0, 3})) == 0.25);
  CHECK(metrics::accuracy(labels.transpose(), scores, Scores::probabilities) == Approx(1.0 / 3).epsilon(1e-15));
}

// ---------------------------------------------------------------------------------------
// One test per error

TEST_CASE("regression metrics: mismatched shapes are rejected, naming both", "[metrics][errors]") {
  const Eigen::ArrayXXd y = Eigen::ArrayXXd::Zero(4, 2);
  const Eigen::ArrayXXd p = Eigen::ArrayXXd::Zero(4, 3);
  expect_argument_error([&] { metrics::mean_squared_error(y, p); }, "mean_squared_error", "y_true",
                        {"4 x 2", "4 x 3"});
  expect_argument_error([&] { metrics::root_mean_squared_error_raw(y, p); }, "root_mean_squared_error_raw", "y_true",
                        {"4 x 2", "4 x 3"});
  expect_argument_error([&] { metrics::mean_absolute_error(y.transpose(), y); }, "mean_absolute_error", "y_true",
                        {"2 x 4", "4 x 2"});
}

TEST_CASE("regression metrics: empty inputs are rejected, naming the shape", "[metrics][errors]") {
  const Eigen::ArrayXXd empty(0, 2);
  expect_argument_error([&] { metrics::mean_squared_error(empty, empty); }, "mean_squared_error", "y_pred",
                        {"0 x 2", "empty"});
  expect_argument_error([&] { metrics::mean_absolute_error_raw(empty, empty); }, "mean_absolute_error_raw", "y_pred",
                        {"0 x 2"});
}

TEST_CASE("regression metrics: NaN and infinity are rejected, naming the argument, row and column",
          "[metrics][errors]") {
  Eigen::ArrayXXd y = Eigen::ArrayXXd::Zero(4, 3), p = Eigen::ArrayXXd::Ones(4, 3);
  p(3, 0) = std::numeric_limits<double>::quiet_NaN();  // first in memory, not first in row order
  p(1, 2) = std::numeric_limits<double>::infinity();
  expect_domain_error([&] { metrics::mean_squared_error(y, p); }, "mean_squared_error", "y_pred", 1, 2,
                      {"y_pred(1, 2) = inf"});
  expect_domain_error([&] { metrics::mean_absolute_error(y, p); }, "mean_absolute_error", "y_pred", 1, 2, {"y_pred"});
  p = Eigen::ArrayXXd::Ones(4, 3);
  y(2, 1) = -std::numeric_limits<double>::infinity();
  expect_domain_error([&] { metrics::root_mean_squared_error(y, p); }, "root_mean_squared_error", "y_true", 2, 1,
                      {"y_true(2, 1) = -inf"});
  // A zero weight does not hide a NaN.
  y(2, 1) = std::numeric_limits<double>::quiet_NaN();
  RegressionOptions options;
  options.sample_weight = weights_of({1, 1, 0, 1});
  expect_domain_error([&] { metrics::mean_squared_error_raw(y, p, options); }, "mean_squared_error_raw", "y_true", 2,
                      1, {"y_true(2, 1) = nan"});
}

TEST_CASE("regression metrics: negative or non-finite weights are rejected, naming the weight", "[metrics][errors]") {
  const Eigen::ArrayXXd y = Eigen::ArrayXXd::Zero(3, 2), p = Eigen::ArrayXXd::Ones(3, 2);
  RegressionOptions options;
  options.sample_weight = weights_of({1, 2, -0.5});
  expect_domain_error([&] { metrics::mean_squared_error(y, p, options); }, "mean_squared_error", "sample_weight", 2, 0,
                      {"sample_weight(2, 0) = -0.5", "non-negative"});
  options.sample_weight = weights_of({1, 2, 3});
  options.output_weights = weights_of({1, -1});
  expect_domain_error([&] { metrics::mean_absolute_error(y, p, options); }, "mean_absolute_error", "output_weights", 1,
                      0, {"output_weights(1, 0) = -1"});
  options.output_weights = weights_of({1, std::numeric_limits<double>::quiet_NaN()});
  expect_domain_error([&] { metrics::root_mean_squared_error(y, p, options); }, "root_mean_squared_error",
                      "output_weights", 1, 0, {"output_weights(1, 0) = nan"});
}

TEST_CASE("regression metrics: weights of the wrong length are rejected, naming both lengths", "[metrics][errors]") {
  const Eigen::ArrayXXd y = Eigen::ArrayXXd::Zero(3, 2), p = Eigen::ArrayXXd::Ones(3, 2);
  RegressionOptions options;
  options.sample_weight = weights_of({1, 2});
  expect_argument_error([&] { metrics::mean_squared_error(y, p, options); }, "mean_squared_error", "sample_weight",
                        {"2 weights", "3 x 2", "N = 3"});
  options.sample_weight = Eigen::ArrayXd();
  options.output_weights = weights_of({1, 2, 3});
  expect_argument_error([&] { metrics::mean_squared_error(y, p, options); }, "mean_squared_error", "output_weights",
                        {"3 weights", "3 x 2", "M = 2"});
  // Also where output weights play no part, so that a wrong one is never silently accepted.
  expect_argument_error([&] { metrics::mean_squared_error_raw(y, p, options); }, "mean_squared_error_raw",
                        "output_weights", {"3 weights"});
}

TEST_CASE("regression metrics: weights summing to zero are rejected", "[metrics][errors]") {
  const Eigen::ArrayXXd y = Eigen::ArrayXXd::Zero(3, 2), p = Eigen::ArrayXXd::Ones(3, 2);
  RegressionOptions options;
  options.sample_weight = weights_of({0, 0, 0});
  expect_argument_error([&] { metrics::mean_squared_error(y, p, options); }, "mean_squared_error", "sample_weight",
                        {"sum to zero"});
  options.sample_weight = Eigen::ArrayXd();
  options.output_weights = weights_of({0, 0});
  expect_argument_error([&] { metrics::mean_absolute_error(y, p, options); }, "mean_absolute_error", "output_weights",
                        {"sum to zero"});
}

TEST_CASE("accuracy: labels outside the classes the scores predict are rejected, naming row and label",
          "[metrics][errors]") {
  Eigen::ArrayXXd scores(3, 3);
  scores << .1, .2, .7, .3, .3, .4, .5, .4, .1;
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(3) << 2, 3, 1).finished();
  expect_label_error([&] { metrics::accuracy(labels, scores, Scores::probabilities); }, 1, 3, 3,
                     {"labels(1) = 3", "[0, 3)", "3 columns"});
  const Eigen::ArrayXi negative = (Eigen::ArrayXi(3) << 0, 1, -1).finished();
  expect_label_error([&] { metrics::accuracy(negative, scores, Scores::logits); }, 2, -1, 3, {"labels(2) = -1"});
  const Eigen::ArrayXd binary = (Eigen::ArrayXd(3) << .2, .8, .5).finished();
  const Eigen::ArrayXi not_binary = (Eigen::ArrayXi(3) << 0, 3, 1).finished();
  expect_label_error([&] { metrics::accuracy(not_binary, binary, Scores::probabilities); }, 1, 3, 2,
                     {"labels(1) = 3", "[0, 2)", "one column"});
}

TEST_CASE("accuracy: NaN, infinite and out-of-range scores are rejected, naming row and column",
          "[metrics][errors]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(3) << 0, 1, 1).finished();
  Eigen::ArrayXXf scores(3, 2);
  scores << .5f, .5f, .2f, .8f, .4f, .6f;
  scores(2, 1) = std::numeric_limits<float>::quiet_NaN();
  expect_domain_error([&] { metrics::accuracy(labels, scores, Scores::logits); }, "accuracy", "scores", 2, 1,
                      {"scores(2, 1) = nan", "finite"});
  scores(2, 1) = 1.5f;
  expect_domain_error([&] { metrics::accuracy(labels, scores, Scores::probabilities); }, "accuracy", "scores", 2, 1,
                      {"scores(2, 1) = 1.5", "[0, 1]"});
  CHECK(metrics::accuracy(labels, scores, Scores::logits) == 1.0);  // 1.5 is a valid logit
  const Eigen::ArrayXd predicted = (Eigen::ArrayXd(3) << 0, std::numeric_limits<double>::infinity(), 1).finished();
  expect_domain_error([&] { metrics::accuracy(labels, predicted, Scores::labels); }, "accuracy", "scores", 1, 0,
                      {"scores(1, 0) = inf"});
}

TEST_CASE("accuracy: negative weights are rejected, naming the weight", "[metrics][errors]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(3) << 0, 1, 1).finished();
  const Eigen::ArrayXd scores = (Eigen::ArrayXd(3) << .2, .8, .5).finished();
  expect_domain_error([&] { metrics::accuracy(labels, scores, Scores::probabilities, weights_of({1, -2, 1})); },
                      "accuracy", "sample_weight", 1, 0, {"sample_weight(1, 0) = -2"});
}

TEST_CASE("accuracy: weights of the wrong length or summing to zero are rejected", "[metrics][errors]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(3) << 0, 1, 1).finished();
  const Eigen::ArrayXd scores = (Eigen::ArrayXd(3) << .2, .8, .5).finished();
  expect_argument_error([&] { metrics::accuracy(labels, scores, Scores::probabilities, weights_of({1, 1})); },
                        "accuracy", "sample_weight", {"2 weights", "3 entries"});
  expect_argument_error([&] { metrics::accuracy(labels, scores, Scores::probabilities, 0.5, weights_of({0, 0, 0})); },
                        "accuracy", "sample_weight", {"sum to zero"});
}

TEST_CASE("accuracy: shapes that do not fit are rejected, naming both", "[metrics][errors]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(3) << 0, 1, 1).finished();
  expect_argument_error([&] { metrics::accuracy(labels, Eigen::ArrayXXd::Constant(4, 2, .5), Scores::probabilities); },
                        "accuracy", "scores", {"4 x 2", "3 entries"});
  expect_argument_error([&] { metrics::accuracy(labels, Eigen::ArrayXi::Zero(4), Scores::labels); }, "accuracy",
                        "scores", {"4 x 1", "3 entries"});
  expect_argument_error([&] { metrics::accuracy(Eigen::ArrayXXi::Zero(2, 2), Eigen::ArrayXXd::Zero(2, 2), Scores::logits); },
                        "accuracy", "labels", {"2 x 2"});
  expect_argument_error([&] { metrics::accuracy(Eigen::ArrayXi(0), Eigen::ArrayXXd(0, 2), Scores::logits); }, "accuracy",
                        "labels", {"0 x 1", "non-empty"});
  expect_argument_error([&] { metrics::accuracy(labels, Eigen::ArrayXXd(3, 0), Scores::logits); }, "accuracy", "scores",
                        {"3 x 0"});
}

TEST_CASE("accuracy: an invalid threshold is rejected, naming it", "[metrics][errors]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(3) << 0, 1, 1).finished();
  const Eigen::ArrayXd scores = (Eigen::ArrayXd(3) << .2, .8, .5).finished();
  expect_argument_error([&] { metrics::accuracy(labels, scores, Scores::probabilities, 1.5); }, "accuracy", "threshold",
                        {"threshold = 1.5", "[0, 1]"});
  expect_argument_error(
      [&] { metrics::accuracy(labels, scores, Scores::logits, std::numeric_limits<double>::quiet_NaN()); }, "accuracy",
      "threshold", {"threshold = nan", "finite"});
}
