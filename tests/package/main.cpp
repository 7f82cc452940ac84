// Computes one loss through the public API and checks it against scikit-learn's value.
#include <losses/losses.hpp>

#include <cmath>
#include <cstdio>

int main() {
  Eigen::ArrayXi labels(3);
  labels << 1, 0, 2;
  Eigen::ArrayXXd probabilities(3, 3);
  probabilities << .2, .7, .1, .6, .2, .2, .6, .1, .3;
  const double value = losses::SparseCategoricalCrossEntropy<>()(labels, probabilities);
  const double expected = 0.6904911240102196;  // sklearn.metrics.log_loss([1, 0, 2], ...)
  std::printf("losses %d.%d.%d: log loss %.16g (scikit-learn: %.16g)\n", LOSSES_VERSION_MAJOR, LOSSES_VERSION_MINOR,
              LOSSES_VERSION_PATCH, value, expected);
  return std::fabs(value - expected) < 1e-14 ? 0 : 1;
}
