// losses::log_loss against scikit-learn 1.7: the values issue 4 lists (scikit-learn 1.7's
// own results, that release not being installable here), the generator's cases
// (scikit-learn 1.2.1 where it agrees with 1.7, mpmath where it does not), and one test
// per error.
#include <losses/log_loss.hpp>

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

using losses::LogLossOptions;
using losses::LogLossReport;
using Strings = std::vector<std::string>;

template <class S>
support::Array<S> rows_of(std::initializer_list<std::initializer_list<double>> rows) {
  std::vector<double> values;
  for (const auto& row : rows) values.insert(values.end(), row.begin(), row.end());
  return support::from_row_major<S>(values, static_cast<Eigen::Index>(rows.size()),
                                    static_cast<Eigen::Index>(rows.begin()->size()));
}

template <class S>
Eigen::Array<S, Eigen::Dynamic, 1> column_of(std::initializer_list<double> values) {
  Eigen::Array<S, Eigen::Dynamic, 1> out(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const double v : values) out(i++) = static_cast<S>(v);
  return out;
}

Eigen::ArrayXd weights_of(std::initializer_list<double> values) { return column_of<double>(values); }

template <class Label>
LogLossOptions<Label> with_labels(std::vector<Label> labels, bool normalize = true) {
  LogLossOptions<Label> options;
  options.labels = std::move(labels);
  options.normalize = normalize;
  return options;
}

void check_message(const std::exception& e, const std::vector<std::string>& mentions) {
  const std::string message = e.what();
  INFO("message: " << message);
  CHECK(message.find("losses::log_loss") != std::string::npos);
  for (const std::string& m : mentions) {
    INFO("should mention: " << m);
    CHECK(message.find(m) != std::string::npos);
  }
}

template <class F>
void expect_argument_error(F&& f, const std::string& argument, const std::vector<std::string>& mentions) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::invalid_argument& e) {
    const auto* error = dynamic_cast<const losses::ArgumentError*>(&e);
    REQUIRE(error != nullptr);
    CHECK(error->argument() == argument);
    check_message(e, mentions);
  }
}

template <class F>
void expect_domain_error(F&& f, const std::string& argument, Eigen::Index row, Eigen::Index col,
                         const std::vector<std::string>& mentions) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::domain_error& e) {
    const auto* error = dynamic_cast<const losses::DomainError*>(&e);
    REQUIRE(error != nullptr);
    CHECK(error->argument() == argument);
    CHECK(error->row() == row);
    CHECK(error->col() == col);
    check_message(e, mentions);
  }
}

// ---------------------------------------------------------------------------------------
// The generator's cases

const metrics_reference::LogLossCase& reference_case(const std::string& name) {
  for (const auto& c : metrics_reference::log_loss_cases) {
    if (name == c.name) return c;
  }
  FAIL("no reference case " << name);
  throw std::logic_error("unreachable");
}

template <class S, class Label, class P>
void check_case(const metrics_reference::LogLossCase& c, const std::vector<Label>& y, const P& p,
                const LogLossOptions<Label>& base) {
  const double rel = support::tolerance<S>();
  LogLossOptions<Label> options = base;
  LogLossReport report{false, 12345};
  options.normalize = true;
  support::check_value(losses::log_loss(y, p, options, &report), c.mean, rel, "normalize = true");
  CHECK(report.rows_not_normalized == c.rows_not_normalized);
  CHECK(report.first_row == c.first_row);
  options.normalize = false;
  support::check_value(losses::log_loss(y, p, options), c.sum, rel, "normalize = false");
}

template <class S, class Label>
void run_case(const metrics_reference::LogLossCase& c, const std::vector<Label>& y, const LogLossOptions<Label>& options) {
  std::vector<double> values(c.y_pred.begin(), c.y_pred.end());
  const support::Array<S> p = support::from_row_major<S>(values, c.rows, c.cols);
  {
    INFO("y_pred as a column-major Array");
    check_case<S>(c, y, p, options);
  }
  {
    INFO("y_pred as a row-major Matrix");
    const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m = p.matrix();
    check_case<S>(c, y, m, options);
  }
  {
    INFO("y_pred as a lazy expression");
    check_case<S>(c, y, p * support::Array<S>::Ones(c.rows, c.cols), options);
  }
  if (c.cols == 1) {
    INFO("y_pred as an Eigen vector");
    const Eigen::Matrix<S, Eigen::Dynamic, 1> v = p.col(0).matrix();
    check_case<S>(c, y, v, options);
  }
}

template <class S>
void run_case(const metrics_reference::LogLossCase& c) {
  const auto weights = [&] {
    Eigen::ArrayXd w(static_cast<Eigen::Index>(c.sample_weight.size()));
    for (std::size_t i = 0; i < c.sample_weight.size(); ++i) w(static_cast<Eigen::Index>(i)) = c.sample_weight[i];
    return w;
  }();
  if (!c.y_true_strings.empty()) {
    const Strings y(c.y_true_strings.begin(), c.y_true_strings.end());
    LogLossOptions<std::string> options;
    options.labels.assign(c.labels_strings.begin(), c.labels_strings.end());
    options.sample_weight = weights;
    run_case<S>(c, y, options);
  } else {
    const std::vector<long> y(c.y_true.begin(), c.y_true.end());
    LogLossOptions<long> options;
    options.labels.assign(c.labels.begin(), c.labels.end());
    options.sample_weight = weights;
    run_case<S>(c, y, options);
    INFO("y_true as an Eigen vector of int");
    const Eigen::ArrayXi labels = Eigen::Map<const Eigen::Array<long, Eigen::Dynamic, 1>>(c.y_true.data, c.rows).cast<int>();
    LogLossOptions<int> int_options;
    int_options.labels.assign(c.labels.begin(), c.labels.end());
    int_options.sample_weight = weights;
    std::vector<double> values(c.y_pred.begin(), c.y_pred.end());
    const support::Array<S> p = support::from_row_major<S>(values, c.rows, c.cols);
    LogLossReport report;
    support::check_value(losses::log_loss(labels, p, int_options, &report), c.mean, support::tolerance<S>(), "mean");
    CHECK(report.rows_not_normalized == c.rows_not_normalized);
  }
}

}  // namespace

TEST_CASE("log_loss matches the generator's scikit-learn and mpmath values", "[log_loss][reference]") {
  for (const auto& c : metrics_reference::log_loss_cases) {
    INFO("case " << c.name << " (" << c.source << ")");
    if (c.is_float) {
      run_case<float>(c);
    } else {
      run_case<double>(c);
    }
  }
}

// The values scikit-learn 1.7 gives, as listed in issue 4 (scikit-learn's own log_loss
// tests and docstring example). Each is also re-derived in generate_metrics.py.
TEST_CASE("log_loss reproduces scikit-learn 1.7's values", "[log_loss][sklearn]") {
  SECTION("binary string labels against two columns") {
    const Strings y{"no", "no", "no", "yes", "yes", "yes"};
    const auto p = rows_of<double>({{.5, .5}, {.1, .9}, {.01, .99}, {.9, .1}, {.75, .25}, {.001, .999}});
    CHECK(losses::log_loss(y, p) == Approx(1.881797068998267).epsilon(1e-14));
  }
  SECTION("three classes, the mean, and the sum of the data doubled") {
    const std::vector<int> y{1, 0, 2};
    const auto p = rows_of<double>({{.2, .7, .1}, {.6, .2, .2}, {.6, .1, .3}});
    CHECK(losses::log_loss(y, p) == Approx(0.6904911240102196).epsilon(1e-14));
    const std::vector<int> y2{1, 0, 2, 1, 0, 2};
    support::Array<double> p2(6, 3);
    p2 << p, p;
    LogLossOptions<int> sum;
    sum.normalize = false;
    CHECK(losses::log_loss(y2, p2, sum) == Approx(4.142946744061318).epsilon(1e-14));
  }
  SECTION("ham and spam") {
    const Strings y{"ham", "spam", "spam", "ham"};
    const auto p = rows_of<double>({{.3, .7}, {.6, .4}, {.4, .6}, {.7, .3}});
    CHECK(losses::log_loss(y, p) == Approx(0.7469410259762035).epsilon(1e-14));
  }
  SECTION("a single class present, with labels given") {
    const std::vector<int> y{2, 2};
    CHECK(losses::log_loss(y, rows_of<double>({{.1, .9}, {.1, .9}}), with_labels<int>({1, 2})) ==
          Approx(0.10536051565782628).epsilon(1e-14));
  }
  SECTION("labels with a class absent from y_true") {
    const std::vector<int> y{1, 2, 2};
    const auto p = rows_of<double>({{.7, .1, .2}, {.2, .7, .1}, {.1, .7, .2}});
    CHECK(losses::log_loss(y, p, with_labels<int>({1, 2, 3})) == Approx(0.35667494393873245).epsilon(1e-14));
  }
  SECTION("the docstring example, with two columns and with the 1-D form") {
    const Strings y{"spam", "ham", "ham", "spam"};
    CHECK(losses::log_loss(y, rows_of<double>({{.1, .9}, {.9, .1}, {.8, .2}, {.35, .65}})) ==
          Approx(0.21616187468057912).epsilon(1e-14));
    CHECK(losses::log_loss(y, column_of<double>({.9, .1, .2, .65})) == Approx(0.21616187468057912).epsilon(1e-14));
  }
  SECTION("1-D predictions with sample weights, normalized and summed") {
    const std::vector<int> y{0, 1, 1};
    LogLossOptions<int> options;
    options.sample_weight = weights_of({1, 2, 3});
    CHECK(losses::log_loss(y, column_of<double>({.2, .7, .4}), options) == Approx(0.6142276058023566).epsilon(1e-14));
    options.normalize = false;
    CHECK(losses::log_loss(y, column_of<double>({.2, .7, .4}), options) == Approx(3.6853656348141395).epsilon(1e-14));
  }
  SECTION("certain and wrong: 52 ln 2 in double, 23 ln 2 in float") {
    const std::vector<int> y{0, 1};
    CHECK(losses::log_loss(y, column_of<double>({1, 0})) == Approx(52 * std::log(2.0)).epsilon(1e-14));
    CHECK(losses::log_loss(y, column_of<float>({1, 0})) == Approx(23 * std::log(2.0)).epsilon(1e-6));
  }
}

TEST_CASE("log_loss: perfect predictions cost at most about epsilon", "[log_loss][epsilon]") {
  // −log(1 − ε) = ε + ε²/2 + ...: the clip to 1 − ε leaves this much, and no more.
  const std::vector<int> y{0, 1, 1};
  const double d = losses::log_loss(y, column_of<double>({0, 1, 1}));
  CHECK(d > 0);
  CHECK(d <= std::numeric_limits<double>::epsilon() * (1 + 1e-6));
  const float f = losses::log_loss(y, rows_of<float>({{1, 0}, {0, 1}, {0, 1}}));
  CHECK(f > 0);
  CHECK(f <= std::numeric_limits<float>::epsilon() * (1 + 1e-3f));
}

TEST_CASE("log_loss scores rows as given and reports the first one that does not sum to one", "[log_loss]") {
  // Issue 4's example; the value is the generator's (mpmath, scikit-learn 1.7's formula).
  const std::vector<int> y{0, 1, 1, 0};
  const auto p = rows_of<double>({{.2, .7}, {.6, .3}, {.4, .7}, {.8, .3}});
  LogLossReport report;
  const double value = losses::log_loss(y, p, {}, &report);
  CHECK(report.rows_not_normalized);
  CHECK(report.first_row == 0);
  CHECK(value == Approx(reference_case("rows_not_summing_to_one").mean).epsilon(1e-14));
  // A report is overwritten by each call.
  losses::log_loss(y, rows_of<double>({{.2, .8}, {.7, .3}, {.4, .6}, {.5, .5}}), {}, &report);
  CHECK_FALSE(report.rows_not_normalized);
  CHECK(report.first_row == -1);
}

TEST_CASE("log_loss reads labels of any integer type, from std::vector or any Eigen vector", "[log_loss]") {
  const auto p = rows_of<double>({{.2, .7, .1}, {.6, .2, .2}, {.6, .1, .3}});
  const double expected = 0.6904911240102196;  // scikit-learn 1.7, as above
  CHECK(losses::log_loss(std::vector<unsigned char>{1, 0, 2}, p) == Approx(expected).epsilon(1e-14));
  CHECK(losses::log_loss(std::vector<long long>{1, 0, 2}, p) == Approx(expected).epsilon(1e-14));
  const Eigen::ArrayXi column = (Eigen::ArrayXi(3) << 1, 0, 2).finished();
  CHECK(losses::log_loss(column, p) == Approx(expected).epsilon(1e-14));
  CHECK(losses::log_loss(column.transpose(), p) == Approx(expected).epsilon(1e-14));
  const Eigen::Matrix<unsigned, 2, 3> matrix = (Eigen::Matrix<unsigned, 2, 3>() << 9, 9, 9, 1, 0, 2).finished();
  CHECK(losses::log_loss(matrix.row(1), p, with_labels<unsigned>({0, 1, 2})) == Approx(expected).epsilon(1e-14));
  // Labels shifted by a constant name the same classes in the same order.
  CHECK(losses::log_loss(std::vector<int>{-9, -10, -8}, p) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("log_loss: columns follow the sorted labels, whatever order they are passed in", "[log_loss]") {
  const std::vector<int> y{5, 1, 9};
  const auto p = rows_of<double>({{.1, .8, .1}, {.7, .2, .1}, {.2, .2, .6}});
  // Derivation: the classes sort to 1, 5, 9, so the rows score .8, .7 and .6.
  const double expected = -(std::log(.8) + std::log(.7) + std::log(.6)) / 3;
  CHECK(losses::log_loss(y, p) == Approx(expected).epsilon(1e-14));
  CHECK(losses::log_loss(y, p, with_labels<int>({9, 1, 5})) == Approx(expected).epsilon(1e-14));
  CHECK(losses::log_loss(y, p, with_labels<int>({9, 1, 5, 5, 1})) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("log_loss: a weight of zero removes a row, and normalize = false sums", "[log_loss][weights]") {
  const std::vector<int> y{0, 1, 1};
  LogLossOptions<int> options;
  options.sample_weight = weights_of({0, 1, 3});
  // Derivation: (1·(−log .7) + 3·(−log .4)) / 4.
  CHECK(losses::log_loss(y, column_of<double>({.9, .7, .4}), options) ==
        Approx(-(std::log(.7) + 3 * std::log(.4)) / 4).epsilon(1e-14));
  options.sample_weight = weights_of({0, 0, 0});
  options.normalize = false;
  CHECK(losses::log_loss(y, column_of<double>({.9, .7, .4}), options) == 0.0);
}

// ---------------------------------------------------------------------------------------
// One test per error

TEST_CASE("log_loss: a single class without labels is rejected, naming the class", "[log_loss][errors]") {
  expect_argument_error([] { losses::log_loss(std::vector<int>{2, 2}, rows_of<double>({{.1, .9}, {.1, .9}})); },
                        "y_true", {"only one label (2)", "labels"});
  expect_argument_error([] { losses::log_loss(Strings{"x"}, column_of<double>({.5})); }, "y_true",
                        {"only one label (\"x\")"});
}

TEST_CASE("log_loss: fewer than two labels are rejected, naming them", "[log_loss][errors]") {
  expect_argument_error(
      [] { losses::log_loss(std::vector<int>{2, 2}, rows_of<double>({{.1, .9}, {.1, .9}}), with_labels<int>({2, 2})); },
      "labels", {"at least two", "[2]"});
}

TEST_CASE("log_loss: a label of y_true missing from labels is rejected, naming its row and value",
          "[log_loss][errors]") {
  const auto p = rows_of<double>({{.2, .3, .5}, {.3, .3, .4}, {.1, .1, .8}});
  expect_argument_error([&] { losses::log_loss(Strings{"a", "b", "c"}, p, with_labels<std::string>({"a", "c", "d"})); },
                        "y_true", {"not belonging to the passed labels", "y_true(1) = \"b\"", "[\"a\", \"c\", \"d\"]"});
  expect_argument_error([&] { losses::log_loss(std::vector<int>{0, 1, 7}, p, with_labels<int>({0, 1, 2})); }, "y_true",
                        {"y_true(2) = 7", "[0, 1, 2]"});
}

TEST_CASE("log_loss: mismatched sample counts are rejected, naming both", "[log_loss][errors]") {
  expect_argument_error([] {
    losses::log_loss(std::vector<int>{2, 2}, rows_of<double>({{.1, .9}, {.1, .9}, {.1, .9}}), with_labels<int>({1, 2}));
  }, "y_true", {"2 labels", "3 x 2", "[2, 3]"});
  expect_argument_error([] { losses::log_loss(Eigen::ArrayXXi::Zero(2, 2), rows_of<double>({{.1, .9}, {.1, .9}})); },
                        "y_true", {"2 x 2", "vector"});
}

TEST_CASE("log_loss: a class count that differs from y_pred's is rejected, naming both counts",
          "[log_loss][errors]") {
  const auto two_columns = rows_of<double>({{.2, .8}, {.6, .4}, {.5, .5}});
  expect_argument_error([&] { losses::log_loss(std::vector<int>{1, 0, 2}, two_columns); }, "y_pred",
                        {"different numbers of classes", "3 vs 2", "3 x 2", "[0, 1, 2]"});
  expect_argument_error([&] { losses::log_loss(std::vector<int>{1, 0, 1}, two_columns, with_labels<int>({0, 1, 2})); },
                        "labels", {"number of classes in labels", "3 vs 2", "[0, 1, 2]"});
  // Three classes cannot be read from the 1-D binary form.
  expect_argument_error([] { losses::log_loss(std::vector<int>{1, 0, 2}, column_of<double>({.5, .5, .5})); }, "y_pred",
                        {"3 vs 2", "3 x 1"});
}

TEST_CASE("log_loss: a probability outside 0..1 is rejected, naming its row and column", "[log_loss][errors]") {
  const std::vector<int> y{0, 1, 1};
  auto p = rows_of<double>({{.2, .8}, {.6, .4}, {.5, .5}});
  p(1, 1) = 1.5;
  p(2, 0) = -0.5;
  expect_domain_error([&] { losses::log_loss(y, p); }, "y_pred", 1, 1, {"greater than 1", "y_pred(1, 1) = 1.5"});
  p(1, 1) = 0.4;
  expect_domain_error([&] { losses::log_loss(y, p); }, "y_pred", 2, 0, {"lower than 0", "y_pred(2, 0) = -0.5"});
  expect_domain_error([&] { losses::log_loss(y, column_of<float>({.5f, 1.25f, .5f})); }, "y_pred", 1, 0,
                      {"greater than 1", "y_pred(1, 0) = 1.25"});
}

TEST_CASE("log_loss: NaN and infinity are rejected, naming their row and column", "[log_loss][errors]") {
  const std::vector<int> y{0, 1, 1};
  auto p = rows_of<double>({{.2, .8}, {.6, .4}, {.5, .5}});
  p(2, 1) = std::numeric_limits<double>::quiet_NaN();
  expect_domain_error([&] { losses::log_loss(y, p); }, "y_pred", 2, 1, {"contains NaN", "y_pred(2, 1)"});
  p(2, 1) = 0.5;
  p(0, 1) = std::numeric_limits<double>::infinity();
  expect_domain_error([&] { losses::log_loss(y, p); }, "y_pred", 0, 1, {"contains infinity", "y_pred(0, 1)"});
}

TEST_CASE("log_loss: negative and non-finite weights are rejected, naming the weight", "[log_loss][errors]") {
  LogLossOptions<int> options;
  options.sample_weight = weights_of({1, -1, 2});
  const auto p = column_of<double>({.2, .7, .4});
  expect_domain_error([&] { losses::log_loss(std::vector<int>{0, 1, 1}, p, options); }, "sample_weight", 1, 0,
                      {"sample_weight(1, 0) = -1", "non-negative"});
  options.sample_weight(1) = std::numeric_limits<double>::quiet_NaN();
  expect_domain_error([&] { losses::log_loss(std::vector<int>{0, 1, 1}, p, options); }, "sample_weight", 1, 0,
                      {"sample_weight(1, 0) = nan"});
}

TEST_CASE("log_loss: weights summing to zero are rejected when normalizing", "[log_loss][errors]") {
  LogLossOptions<int> options;
  options.sample_weight = weights_of({0, 0, 0});
  expect_argument_error([&] { losses::log_loss(std::vector<int>{0, 1, 1}, column_of<double>({.2, .7, .4}), options); },
                        "sample_weight", {"sum to zero", "normalize"});
}

TEST_CASE("log_loss: weights of the wrong length are rejected, naming both lengths", "[log_loss][errors]") {
  LogLossOptions<int> options;
  options.sample_weight = weights_of({1, 2});
  expect_argument_error([&] { losses::log_loss(std::vector<int>{0, 1, 1}, column_of<double>({.2, .7, .4}), options); },
                        "sample_weight", {"2 weights", "3 labels"});
}

TEST_CASE("log_loss: an empty y_pred is rejected, naming its shape", "[log_loss][errors]") {
  expect_argument_error([] { losses::log_loss(std::vector<int>{}, support::Array<double>(0, 2)); }, "y_pred",
                        {"0 x 2", "empty"});
  expect_argument_error([] { losses::log_loss(std::vector<int>{0, 1}, support::Array<double>(2, 0)); }, "y_pred",
                        {"2 x 0"});
}
