#include <losses/categorical_cross_entropy.hpp>
#include <losses/sparse_categorical_cross_entropy.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

#include "catch.hpp"
#include "reference_cases.hpp"
#include "support.hpp"

using losses::CategoricalCrossEntropy;
using losses::Reduction;
using losses::SparseCategoricalCrossEntropy;

TEST_CASE("SparseCategoricalCrossEntropy matches the reference values in every input form", "[sparse][reference]") {
  support::check_reference_cases<SparseCategoricalCrossEntropy>(reference::Loss::sparse);
}

TEST_CASE("SparseCategoricalCrossEntropy matches the reference values for logits, label smoothing, class weights "
          "and ignored labels",
          "[sparse][reference][logits]") {
  support::check_training_cases<SparseCategoricalCrossEntropy>(reference::Loss::sparse);
}

// scikit-learn's own log_loss tests (sklearn/metrics/tests/test_classification.py).
TEST_CASE("SparseCategoricalCrossEntropy reproduces scikit-learn's log_loss test cases", "[sparse][sklearn]") {
  const SparseCategoricalCrossEntropy<> loss;
  SECTION("binary: no, no, no, yes, yes, yes as labels 0 and 1") {
    Eigen::ArrayXi y(6);
    y << 0, 0, 0, 1, 1, 1;
    Eigen::ArrayXXd p(6, 2);
    p << .5, .5, .1, .9, .01, .99, .9, .1, .75, .25, .001, .999;
    CHECK(loss(y, p) == Approx(1.881797068998267).epsilon(1e-14));
  }
  SECTION("multi-class y = [1, 0, 2]") {
    Eigen::ArrayXi y(3);
    y << 1, 0, 2;
    Eigen::ArrayXXd p(3, 3);
    p << .2, .7, .1, .6, .2, .2, .6, .1, .3;
    CHECK(loss(y, p) == Approx(0.6904911240102196).epsilon(1e-14));
    CHECK(SparseCategoricalCrossEntropy<>().reduction(Reduction::sum)(y, p) ==
          Approx(4.142946744061318 / 2).epsilon(1e-14));
  }
  SECTION("three classes of labels against two columns: the label 2 is out of range") {
    Eigen::ArrayXi y(3);
    y << 1, 0, 2;
    Eigen::ArrayXXd p(3, 2);
    p << .2, .8, .6, .4, .5, .5;
    CHECK_THROWS_AS(loss(y, p), std::out_of_range);
    CHECK_THROWS_WITH(loss(y, p), Catch::Contains("y_true(2) = 2"));
  }
}

TEST_CASE("SparseCategoricalCrossEntropy equals CategoricalCrossEntropy on one-hot targets", "[sparse][cce]") {
  const Eigen::Index n = 700, k = 5;  // several blocks of rows
  Eigen::ArrayXXd p = (Eigen::ArrayXXd::Random(n, k) + 1.5).eval();
  p.colwise() /= p.rowwise().sum();
  Eigen::ArrayXi labels(n);
  Eigen::ArrayXXd one_hot = Eigen::ArrayXXd::Zero(n, k);
  for (Eigen::Index i = 0; i < n; ++i) {
    labels(i) = static_cast<int>((i * 7 + 3) % k);
    one_hot(i, labels(i)) = 1;
  }
  Eigen::ArrayXd w = Eigen::ArrayXd::LinSpaced(n, 0, 2);
  for (const auto reduction : {Reduction::mean, Reduction::sum}) {
    const auto sparse = SparseCategoricalCrossEntropy<>().reduction(reduction);
    const auto dense = CategoricalCrossEntropy<>().reduction(reduction);
    CHECK(sparse(labels, p) == Approx(dense(one_hot, p)).epsilon(1e-13));
    CHECK(sparse(labels, p, w) == Approx(dense(one_hot, p, w)).epsilon(1e-13));
    CHECK(sparse.gradient(labels, p, w).isApprox(dense.gradient(one_hot, p, w), 1e-13));
    CHECK(sparse.per_sample(labels, p).isApprox(dense.per_sample(one_hot, p), 1e-13));
  }
}

TEST_CASE("SparseCategoricalCrossEntropy: the gradient is −1/p at the label and zero elsewhere", "[sparse][gradient]") {
  Eigen::Array<std::uint8_t, Eigen::Dynamic, 1> y(2);
  y << 2, 0;
  Eigen::ArrayXXd p(2, 3);
  p << .2, .3, .5, .25, .25, .5;
  const Eigen::ArrayXXd g = SparseCategoricalCrossEntropy<>().reduction(Reduction::sum).gradient(y, p);
  Eigen::ArrayXXd expected(2, 3);
  expected << 0, 0, -2, -4, 0, 0;
  CHECK(g.isApprox(expected, 1e-15));
}

TEST_CASE("SparseCategoricalCrossEntropy accepts any integer vector of labels", "[sparse]") {
  Eigen::ArrayXXd p(3, 3);
  p << .2, .7, .1, .6, .2, .2, .6, .1, .3;
  const double expected = 0.6904911240102196;  // scikit-learn, as above
  const SparseCategoricalCrossEntropy<> loss;
  Eigen::VectorX<Eigen::Index> as_index(3);
  as_index << 1, 0, 2;
  Eigen::Array<std::int64_t, 1, Eigen::Dynamic> as_row(3);
  as_row << 1, 0, 2;
  Eigen::Array<unsigned, Eigen::Dynamic, 1> as_unsigned(3);
  as_unsigned << 1, 0, 2;
  Eigen::Matrix<short, 2, 3> as_matrix_row;
  as_matrix_row << 9, 9, 9, 1, 0, 2;
  CHECK(loss(as_index, p) == Approx(expected).epsilon(1e-14));
  CHECK(loss(as_row, p) == Approx(expected).epsilon(1e-14));
  CHECK(loss(as_unsigned, p) == Approx(expected).epsilon(1e-14));
  CHECK(loss(as_matrix_row.row(1), p) == Approx(expected).epsilon(1e-14));
}

TEMPLATE_TEST_CASE("SparseCategoricalCrossEntropy: ignored rows count for nothing and are not validated",
                   "[sparse][options]", float, double) {
  using S = TestType;
  using A = Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic>;
  SparseCategoricalCrossEntropy<S> loss;
  CHECK_FALSE(loss.ignore_index().has_value());
  CHECK(loss.ignore_index(-100).ignore_index() == std::optional<std::int64_t>(-100));
  Eigen::ArrayXi labels(3);
  labels << 1, -100, 0;
  A z(3, 2);
  z << 0, 0,  // log 2
      std::numeric_limits<S>::quiet_NaN(), 1,  // ignored: NaN allowed, label −100 allowed
      0, std::log(S(3));  // log 4
  for (const bool logits : {true, false}) {
    INFO((logits ? "logits" : "probabilities"));
    loss.from_logits(logits);
    A p = z;
    if (!logits) p << 0.5, 0.5, std::numeric_limits<S>::quiet_NaN(), 2, 0.25, 0.75;
    const auto [value, g] = loss.value_and_gradient(labels, p);
    // The mean over the two rows that count: (log 2 + log 4)/2.
    CHECK(value == Approx(1.5 * std::log(2.0)).epsilon(support::tolerance<S>()));
    CHECK((g.row(1) == S(0)).all());
    CHECK(loss.per_sample(labels, p)(1) == S(0));
  }
  // Every row ignored: value 0 and a zero gradient (PyTorch returns NaN).
  labels.setConstant(-100);
  const auto [value, g] = loss.value_and_gradient(labels, z);
  CHECK(value == S(0));
  CHECK((g == S(0)).all());
  // A label out of range in a row that counts is still an error.
  labels << 0, -100, 2;
  CHECK_THROWS_AS(loss(labels, z), losses::LabelError);
  CHECK_THROWS_WITH(loss(labels, z), Catch::Contains("y_true(2) = 2"));
}

TEMPLATE_TEST_CASE("SparseCategoricalCrossEntropy with class weights: the mean divides by the label weights, "
                   "unlike the dense loss on one-hot targets",
                   "[sparse][options]", float, double) {
  using S = TestType;
  using A = Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic>;
  // Rows with labels 0 and 1, predictions (1/2, 1/2) in both, class weights (1, 3):
  // sparse mean (1·log 2 + 3·log 2)/(1 + 3) = log 2; dense mean (1·log 2 + 3·log 2)/2 = 2 log 2.
  Eigen::ArrayXi labels(2);
  labels << 0, 1;
  A one_hot(2, 2), p = A::Constant(2, 2, S(0.5));
  one_hot << 1, 0, 0, 1;
  const auto sparse = SparseCategoricalCrossEntropy<S>().class_weight({S(1), S(3)});
  const auto dense = CategoricalCrossEntropy<S>().class_weight({S(1), S(3)});
  CHECK(sparse(labels, p) == Approx(std::log(2.0)).epsilon(support::tolerance<S>()));
  CHECK(dense(one_hot, p) == Approx(2 * std::log(2.0)).epsilon(support::tolerance<S>()));
}
