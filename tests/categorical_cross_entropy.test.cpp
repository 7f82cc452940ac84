#include <losses/categorical_cross_entropy.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "catch.hpp"
#include "reference_cases.hpp"
#include "support.hpp"

using losses::CategoricalCrossEntropy;
using losses::Reduction;

TEST_CASE("CategoricalCrossEntropy matches the reference values in every input form", "[cce][reference]") {
  support::check_reference_cases<CategoricalCrossEntropy>(reference::Loss::cce);
}

TEST_CASE("CategoricalCrossEntropy matches the reference values for logits, label smoothing and class weights",
          "[cce][reference][logits]") {
  support::check_training_cases<CategoricalCrossEntropy>(reference::Loss::cce);
}

// scikit-learn's own log_loss tests (sklearn/metrics/tests/test_classification.py,
// test_log_loss), expressed through one-hot targets; the values are scikit-learn's.
TEST_CASE("CategoricalCrossEntropy reproduces scikit-learn's log_loss test cases", "[cce][sklearn]") {
  const CategoricalCrossEntropy<> cce;
  SECTION("binary, two-column predictions: y = no, no, no, yes, yes, yes") {
    Eigen::ArrayXXd y(6, 2), p(6, 2);
    y << 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1;
    p << .5, .5, .1, .9, .01, .99, .9, .1, .75, .25, .001, .999;
    CHECK(cce(y, p) == Approx(1.881797068998267).epsilon(1e-14));
  }
  SECTION("multi-class y = [1, 0, 2], mean and (for the data doubled) sum") {
    Eigen::ArrayXXi y(3, 3);
    y << 0, 1, 0, 1, 0, 0, 0, 0, 1;
    Eigen::ArrayXXd p(3, 3);
    p << .2, .7, .1, .6, .2, .2, .6, .1, .3;
    CHECK(cce(y, p) == Approx(0.6904911240102196).epsilon(1e-14));
    Eigen::ArrayXXi y2(6, 3);
    y2 << y, y;
    Eigen::ArrayXXd p2(6, 3);
    p2 << p, p;
    CHECK(CategoricalCrossEntropy<>().reduction(Reduction::sum)(y2, p2) == Approx(4.142946744061318).epsilon(1e-14));
  }
  SECTION("three classes of labels against two columns of predictions is an error") {
    Eigen::ArrayXXd y(3, 3), p(3, 2);
    y << 0, 1, 0, 1, 0, 0, 0, 0, 1;
    p << .2, .8, .6, .4, .5, .5;
    CHECK_THROWS_AS(cce(y, p), std::invalid_argument);
    CHECK_THROWS_WITH(cce(y, p), Catch::Contains("3 x 3") && Catch::Contains("3 x 2"));
  }
}

TEST_CASE("CategoricalCrossEntropy scores rows as given, without renormalising", "[cce]") {
  // The row sums to 0.9; scikit-learn >= 1.5 and this library score it as given.
  Eigen::Array<double, 1, 2> y(0, 1), p(0.2, 0.7);
  CHECK(CategoricalCrossEntropy<>()(y, p) == Approx(-std::log(0.7)).epsilon(1e-15));
}

TEST_CASE("CategoricalCrossEntropy: a zero target contributes exactly zero, even at p = 0 with epsilon = 0",
          "[cce][epsilon]") {
  Eigen::Array<double, 1, 3> y(0, 1, 0), p(0, 0.5, 0.5);
  const auto cce = CategoricalCrossEntropy<>().epsilon(0);
  CHECK(cce(y, p) == Approx(std::log(2.0)).epsilon(1e-15));
  const Eigen::ArrayXXd g = cce.gradient(y, p);
  CHECK(g(0, 0) == 0.0);
  CHECK(g(0, 1) == Approx(-2.0).epsilon(1e-15));
  CHECK(g(0, 2) == 0.0);
  Eigen::Array<double, 1, 3> wrong(1, 0, 0);
  CHECK(std::isinf(cce(wrong, p)));
}

TEST_CASE("CategoricalCrossEntropy: soft targets weigh each class's log", "[cce]") {
  // Derivation: −(0.25·log 0.5 + 0.75·log 0.25) = 0.25·ln 2 + 1.5·ln 2 = 1.75·ln 2.
  Eigen::Array<double, 1, 3> y(0.25, 0.75, 0), p(0.5, 0.25, 0.25);
  CHECK(CategoricalCrossEntropy<>()(y, p) == Approx(1.75 * std::log(2.0)).epsilon(1e-15));
  const Eigen::ArrayXXd g = CategoricalCrossEntropy<>().gradient(y, p);
  CHECK(g(0, 0) == Approx(-0.5).epsilon(1e-15));
  CHECK(g(0, 1) == Approx(-3.0).epsilon(1e-15));
}

TEST_CASE("CategoricalCrossEntropy: weights are per sample and mean divides by their sum", "[cce][weights]") {
  Eigen::ArrayXXd y(2, 2), p(2, 2);
  y << 1, 0, 0, 1;
  p << .5, .5, .2, .8;
  Eigen::ArrayXd w(2);
  w << 1, 3;
  const double l0 = -std::log(.5), l1 = -std::log(.8);
  CHECK(CategoricalCrossEntropy<>()(y, p, w) == Approx((l0 + 3 * l1) / 4).epsilon(1e-15));
  CHECK(CategoricalCrossEntropy<>().reduction(Reduction::sum)(y, p, w) == Approx(l0 + 3 * l1).epsilon(1e-15));
  // Element weights are for element-wise losses only.
  CHECK_THROWS_AS(CategoricalCrossEntropy<>()(y, p, Eigen::ArrayXXd::Ones(2, 2)), std::invalid_argument);
}

TEMPLATE_TEST_CASE("CategoricalCrossEntropy on logits: infinite logits give the limits, NaN is a domain error",
                   "[cce][logits]", float, double) {
  using S = TestType;
  using Limits = std::numeric_limits<S>;
  using A = Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic>;
  const S inf = Limits::infinity();
  const auto cce = CategoricalCrossEntropy<S>().from_logits(true).reduction(Reduction::sum);
  A y(3, 3), z(3, 3);
  y << 1, 0, 0,  //
      0, 0.5, 0.5, //
      0, 0, 0;
  z << 0, -inf, 0,  // −∞ with target 0: a mask, the row is log 2
      inf, 0, 1,    // +∞ against targets elsewhere: +∞
      -inf, -inf, -inf;  // all masked, targets 0: nothing
  const auto per_sample = cce.per_sample(y, z);
  CHECK(per_sample(0) == Approx(std::log(2.0)).epsilon(support::tolerance<S>()));
  CHECK(per_sample(1) == inf);
  CHECK(per_sample(2) == S(0));
  const A g = cce.gradient(y, z);  // softmax − y: row 0 (1/2 − 1, 0, 1/2); row 1 (1, −1/2, −1/2); row 2 0
  CHECK(g(0, 0) == Approx(-0.5));
  CHECK(g(0, 1) == S(0));
  CHECK(g(0, 2) == Approx(0.5));
  CHECK(g(1, 0) == S(1));
  CHECK(g(1, 1) == Approx(-0.5));
  CHECK((g.row(2) == S(0)).all());
  z(2, 1) = Limits::quiet_NaN();
  CHECK_THROWS_AS(cce(y, z), losses::DomainError);
  CHECK_THROWS_WITH(cce(y, z), Catch::Contains("y_pred(2, 1)") && Catch::Contains("NaN"));
}

TEMPLATE_TEST_CASE("CategoricalCrossEntropy: class_weight is checked against K", "[cce][options]", float, double) {
  using S = TestType;
  using A = Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic>;
  CategoricalCrossEntropy<S> cce;
  CHECK(cce.class_weight().size() == 0);
  CHECK_THROWS_WITH(cce.class_weight({S(1), std::numeric_limits<S>::infinity()}),
                    Catch::Contains("class_weight(1)") && Catch::Contains("finite and non-negative"));
  cce.class_weight({S(1), S(2)});
  const A y = A::Constant(2, 3, S(1) / 3), p = A::Constant(2, 3, S(1) / 3);
  CHECK_THROWS_AS(cce(y, p), losses::ArgumentError);
  CHECK_THROWS_WITH(cce(y, p), Catch::Contains("class_weight has 2 entries") && Catch::Contains("3 columns"));
  // With weights (1, 2, 3) on uniform targets and predictions, each row is
  // −Σₖ cₖ·(1/3)·log(1/3) = 2·log 3, and the mean divides by N (PyTorch's convention).
  cce.class_weight({S(1), S(2), S(3)});
  CHECK(cce(y, p) == Approx(2 * std::log(3.0)).epsilon(support::tolerance<S>()));
}
