#include <losses/binary_cross_entropy.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "catch.hpp"
#include "reference_cases.hpp"
#include "support.hpp"

using losses::BinaryCrossEntropy;
using losses::Reduction;

TEST_CASE("BinaryCrossEntropy matches the reference values in every input form", "[bce][reference]") {
  support::check_reference_cases<BinaryCrossEntropy>(reference::Loss::bce);
}

TEMPLATE_TEST_CASE("BinaryCrossEntropy: certain and wrong predictions stay finite with the default epsilon", "[bce]",
                   float, double) {
  // scikit-learn's log_loss case y = [0, 1] against p = [1, 0]: each term is −log ε with
  // ε = 2^−52 (double) or 2^−23 (float), so the mean is 52·ln 2 or 23·ln 2.
  Eigen::Array<TestType, Eigen::Dynamic, 1> y(2), p(2);
  y << 0, 1;
  p << 1, 0;
  const double bits = std::is_same_v<TestType, float> ? 23 : 52;
  CHECK(BinaryCrossEntropy<TestType>()(y, p) == Approx(bits * std::log(2.0)).epsilon(support::tolerance<TestType>()));
  // Clipped predictions get no gradient: the value does not change with them.
  CHECK((BinaryCrossEntropy<TestType>().gradient(y, p) == TestType(0)).all());
}

TEMPLATE_TEST_CASE("BinaryCrossEntropy: every valid input gives a finite loss when epsilon > 0", "[bce]", float,
                   double) {
  const TestType values[] = {0, TestType(0.25), TestType(0.5), 1};
  for (TestType y : values) {
    for (TestType p : values) {
      Eigen::Array<TestType, 1, 1> yy(y), pp(p);
      const auto [value, gradient] = BinaryCrossEntropy<TestType>().value_and_gradient(yy, pp);
      INFO("y = " << y << ", p = " << p);
      CHECK(std::isfinite(value));
      CHECK(std::isfinite(gradient(0, 0)));
    }
  }
}

TEST_CASE("BinaryCrossEntropy: a target of 0 is not a zero loss", "[bce]") {
  Eigen::Array<double, 1, 1> y(0.0), p(0.3);
  CHECK(BinaryCrossEntropy<>()(y, p) == Approx(-std::log(0.7)).epsilon(1e-15));
  CHECK(BinaryCrossEntropy<>().gradient(y, p)(0, 0) == Approx(1 / 0.7).epsilon(1e-15));
}

TEST_CASE("BinaryCrossEntropy: the gradient is zero where p is clipped and analytic at the edges", "[bce][gradient]") {
  const double eps = 1e-3;
  Eigen::ArrayXd y(4), p(4);
  y << 1, 1, 0, 0;
  p << 5e-4, eps, 1 - eps, 1 - 5e-4;
  const auto bce = BinaryCrossEntropy<>().epsilon(eps).reduction(Reduction::sum);
  const Eigen::ArrayXXd g = bce.gradient(y, p);
  CHECK(g(0) == 0.0);                                       // below ε: clipped
  CHECK(g(1) == Approx(-1 / eps).epsilon(1e-13));           // at ε: −y/p
  CHECK(g(2) == Approx(1 / (1 - (1 - eps))).epsilon(1e-9)); // at 1 − ε: (1 − y)/(1 − p)
  CHECK(g(3) == 0.0);                                       // above 1 − ε: clipped
}

TEST_CASE("BinaryCrossEntropy with epsilon = 0 evaluates exactly", "[bce][epsilon]") {
  const auto bce = BinaryCrossEntropy<>().epsilon(0).reduction(Reduction::sum);
  SECTION("a correct certain prediction costs nothing and has a finite one-sided gradient") {
    Eigen::ArrayXd y(2), p(2);
    y << 0, 1;
    p << 0, 1;
    CHECK(bce(y, p) == 0.0);
    const Eigen::ArrayXXd g = bce.gradient(y, p);
    CHECK(g(0) == 1.0);   // d/dp −log(1 − p) at p = 0
    CHECK(g(1) == -1.0);  // d/dp −log p at p = 1
  }
  SECTION("a certain wrong prediction gives +inf, and weight zero removes it") {
    Eigen::ArrayXd y(2), p(2), w(2);
    y << 1, 0.5;
    p << 0, 0.5;
    w << 0, 1;
    CHECK(std::isinf(bce(y, p)));
    CHECK(bce(y, p, w) == Approx(std::log(2.0)).epsilon(1e-15));
    const Eigen::ArrayXXd g = bce.gradient(y, p, w);
    CHECK(g(0) == 0.0);
    CHECK(g(1) == Approx(0.0).margin(1e-15));
  }
  SECTION("tiny probabilities use log1p accuracy for log(1 − p)") {
    Eigen::Array<double, 1, 1> y(0.0), p(1e-300);
    CHECK(bce(y, p) == Approx(1e-300).epsilon(1e-15));
  }
}

TEMPLATE_TEST_CASE("BinaryCrossEntropy: epsilon defaults to machine epsilon and rejects unsafe values", "[bce][options]",
                   float, double) {
  using Limits = std::numeric_limits<TestType>;
  BinaryCrossEntropy<TestType> bce;
  CHECK(bce.epsilon() == Limits::epsilon());
  CHECK(bce.epsilon(Limits::epsilon() / 2).epsilon() == Limits::epsilon() / 2);
  CHECK(bce.epsilon(0).epsilon() == 0);
  const TestType invalid[] = {Limits::epsilon() / 4, TestType(0.5), TestType(-1e-7), Limits::quiet_NaN(),
                              Limits::infinity()};
  for (TestType e : invalid) {
    INFO("epsilon = " << e);
    CHECK_THROWS_AS(bce.epsilon(e), std::invalid_argument);
  }
  CHECK(bce.epsilon() == 0);  // a rejected value leaves the option as it was
  if constexpr (std::is_same_v<TestType, float>) {
    // 1e-15 in float would make 1 − ε round to 1: rejected, with the valid range in the message.
    CHECK_THROWS_WITH(bce.epsilon(1e-15f), Catch::Contains("epsilon") && Catch::Contains("0.5)"));
  }
}
