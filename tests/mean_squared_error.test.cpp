#include <losses/mean_squared_error.hpp>

#include <cmath>
#include <limits>

#include "catch.hpp"
#include "reference_cases.hpp"
#include "support.hpp"

using losses::MeanSquaredError;
using losses::Reduction;

TEST_CASE("MeanSquaredError matches the reference values in every input form", "[mse][reference]") {
  support::check_reference_cases<MeanSquaredError>(reference::Loss::mse);
}

TEST_CASE("MeanSquaredError: mean divides by N·M, sum adds, the gradient is 2(p − y) scaled alike", "[mse]") {
  // Derivation: differences p − y = [0.5, 0; −1, 1], squares [0.25, 0; 1, 1], total 2.25.
  Eigen::ArrayXXd y(2, 2), p(2, 2);
  y << 1, 2, 3, 4;
  p << 1.5, 2, 2, 5;
  MeanSquaredError<> mse;
  CHECK(mse(y, p) == 2.25 / 4);
  Eigen::ArrayXXd expected_gradient(2, 2);
  expected_gradient << 1.0 / 4, 0, -2.0 / 4, 2.0 / 4;
  CHECK((mse.gradient(y, p) == expected_gradient).all());
  CHECK((mse.per_sample(y, p) == Eigen::Array2d(0.125, 1.0)).all());

  mse.reduction(Reduction::sum);
  CHECK(mse(y, p) == 2.25);
  CHECK((mse.gradient(y, p) == 4 * expected_gradient).all());
}

TEST_CASE("MeanSquaredError: per-sample weights are per-row weights of every element", "[mse][weights]") {
  Eigen::ArrayXXd y = Eigen::ArrayXXd::Random(6, 3), p = Eigen::ArrayXXd::Random(6, 3);
  Eigen::ArrayXd w(6);
  w << 1, 0, 2, 0.5, 3, 1;
  const Eigen::ArrayXXd broadcast = w.replicate(1, 3);
  for (const auto reduction : {Reduction::mean, Reduction::sum}) {
    const auto mse = MeanSquaredError<>().reduction(reduction);
    CHECK(mse(y, p, w) == Approx(mse(y, p, broadcast)).epsilon(1e-14));
    CHECK(mse.gradient(y, p, w).isApprox(mse.gradient(y, p, broadcast), 1e-14));
  }
  // Derivation of the weighted mean: Σ wᵢ·sᵢ / (M·Σ wᵢ) with sᵢ the row sums of squares.
  const Eigen::ArrayXd s = (p - y).square().rowwise().sum();
  CHECK(MeanSquaredError<>()(y, p, w) == Approx((w * s).sum() / (3 * w.sum())).epsilon(1e-14));
}

TEST_CASE("MeanSquaredError: element weights mask missing targets", "[mse][weights]") {
  Eigen::ArrayXXd y(2, 2), p(2, 2), mask(2, 2);
  y << 1, 99, 3, 4;  // 99: a placeholder target the mask removes
  p << 2, 0, 3, 6;
  mask << 1, 0, 1, 1;
  // Terms of the kept elements: 1, 0, 4; mean over the three kept elements.
  CHECK(MeanSquaredError<>()(y, p, mask) == Approx(5.0 / 3).epsilon(1e-15));
  CHECK(MeanSquaredError<>().gradient(y, p, mask)(0, 1) == 0.0);
}

TEST_CASE("MeanSquaredError: a total weight of zero gives value 0 and gradient 0", "[mse][weights]") {
  Eigen::ArrayXXd y = Eigen::ArrayXXd::Random(4, 2), p = Eigen::ArrayXXd::Random(4, 2);
  const Eigen::ArrayXd w = Eigen::ArrayXd::Zero(4);
  for (const auto reduction : {Reduction::mean, Reduction::sum}) {
    const auto mse = MeanSquaredError<>().reduction(reduction);
    CHECK(mse(y, p, w) == 0.0);
    CHECK((mse.gradient(y, p, w) == 0.0).all());
  }
}

TEST_CASE("MeanSquaredError: an overflowing difference gives +inf, not an error", "[mse]") {
  Eigen::ArrayXd y(2), p(2);
  y << -1e200, 0;
  p << 1e200, 0;
  CHECK(std::isinf(MeanSquaredError<>()(y, p)));
}

TEST_CASE("MeanSquaredError: options chain and read back", "[mse][options]") {
  MeanSquaredError<float> mse;
  CHECK(mse.reduction() == Reduction::mean);
  MeanSquaredError<float>& same = mse.reduction(Reduction::sum);
  CHECK(&same == &mse);
  CHECK(mse.reduction() == Reduction::sum);
}
