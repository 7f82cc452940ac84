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

TEST_CASE("BinaryCrossEntropy matches the reference values for logits, label smoothing and pos_weight",
          "[bce][reference][logits]") {
  support::check_training_cases<BinaryCrossEntropy>(reference::Loss::bce);
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

TEMPLATE_TEST_CASE("BinaryCrossEntropy on logits trains through saturation where probabilities cannot", "[bce][logits]",
                   float, double) {
  // A wrong and saturated prediction: target 1, logit −50, so σ(−50) ≈ 2e−22 clips to ε.
  // On probabilities the value caps at −log ε and the gradient is 0; on logits the value is
  // 50 + log(1 + e^−50) ≈ 50 and the gradient σ(−50) − 1 ≈ −1 (derivation: d/dx of
  // max(x, 0) − x·y + log(1 + e^−|x|) at y = 1, x < 0 is e^x/(1 + e^x) − 1).
  using S = TestType;
  Eigen::Array<S, 1, 1> y(S(1)), x(S(-50));
  const Eigen::Array<S, 1, 1> p = S(1) / (S(1) + (-x).exp());
  BinaryCrossEntropy<S> probabilities, logits;
  logits.from_logits(true);
  CHECK(probabilities.gradient(y, p)(0, 0) == S(0));
  CHECK(logits(y, x) == Approx(50.0).epsilon(support::tolerance<S>()));
  CHECK(logits.gradient(y, x)(0, 0) == Approx(-1.0).epsilon(support::tolerance<S>()));
}

TEMPLATE_TEST_CASE("BinaryCrossEntropy on logits: infinite logits give the limits, NaN is a domain error",
                   "[bce][logits]", float, double) {
  using S = TestType;
  using Limits = std::numeric_limits<S>;
  const S inf = Limits::infinity();
  const auto bce = BinaryCrossEntropy<S>().from_logits(true).reduction(Reduction::sum);
  Eigen::Array<S, Eigen::Dynamic, 1> y(4), x(4);
  y << 1, 0, 0, 1;
  x << inf, -inf, inf, -inf;
  const auto per_element = bce.per_element(y, x);
  CHECK(per_element(0) == S(0));  // certain and right
  CHECK(per_element(1) == S(0));  // certain and right: a −∞ logit with target 0 is a mask
  CHECK(per_element(2) == inf);   // certain and wrong
  CHECK(per_element(3) == inf);
  const auto g = bce.gradient(y, x);  // σ(x) − y: 0, 0, 1, −1
  CHECK(g(0) == S(0));
  CHECK(g(1) == S(0));
  CHECK(g(2) == S(1));
  CHECK(g(3) == S(-1));
  x(1) = Limits::quiet_NaN();
  CHECK_THROWS_AS(bce(y, x), losses::DomainError);
  CHECK_THROWS_WITH(bce(y, x), Catch::Contains("y_pred(1, 0)") && Catch::Contains("NaN"));
}

TEMPLATE_TEST_CASE("BinaryCrossEntropy: label_smoothing and pos_weight are checked", "[bce][options]", float, double) {
  using S = TestType;
  BinaryCrossEntropy<S> bce;
  CHECK(bce.label_smoothing() == S(0));
  CHECK(bce.pos_weight().size() == 0);
  CHECK_FALSE(bce.from_logits());
  for (const S s : {S(-0.1), S(1.5), std::numeric_limits<S>::quiet_NaN()}) {
    INFO("label_smoothing = " << s);
    CHECK_THROWS_AS(bce.label_smoothing(s), losses::ArgumentError);
  }
  CHECK_THROWS_WITH(bce.label_smoothing(S(2)), Catch::Contains("label_smoothing") && Catch::Contains("[0, 1]"));
  CHECK_THROWS_WITH(bce.pos_weight({S(1), S(-2)}), Catch::Contains("pos_weight(1)") && Catch::Contains("-2"));
  bce.pos_weight({S(1), S(2), S(3)});
  Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic> y = Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic>::Zero(2, 2);
  const auto p = Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic>::Constant(2, 2, S(0.5));
  CHECK_THROWS_AS(bce(y, p), losses::ArgumentError);
  CHECK_THROWS_WITH(bce(y, p), Catch::Contains("pos_weight has 3 entries") && Catch::Contains("2 columns"));
  CHECK(bce.pos_weight(Eigen::Array<S, Eigen::Dynamic, 1>()).pos_weight().size() == 0);  // unset
  CHECK(bce(y, p) == Approx(std::log(2.0)).epsilon(support::tolerance<S>()));
}
