// The README's parity table, one test per convention: the few lines of C++ it shows for
// each framework reproduce that framework's numbers. Expected values come from
// scikit-learn 1.2 and PyTorch 1.13 (tests/reference/generate_parity.py and the training
// generator) and, where Keras cannot be run here, from the examples in Keras' own
// documentation, quoted with the digits it prints.
#include <losses/losses.hpp>

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reference/parity_values.hpp"
#include "support.hpp"

namespace {

using support::Array;
using support::check_elements;
using support::check_value;
using support::from_row_major;

template <class S>
Array<S> rows_of(std::initializer_list<std::initializer_list<double>> rows) {
  std::vector<double> values;
  for (const auto& row : rows) values.insert(values.end(), row.begin(), row.end());
  return from_row_major<S>(values, static_cast<Eigen::Index>(rows.size()),
                           static_cast<Eigen::Index>(rows.begin()->size()));
}

/// |actual − quoted| within half a unit of the last digit the documentation prints.
void check_quoted(double actual, double quoted, double half_unit, const std::string& what) {
  INFO(what << ": actual " << actual << ", Keras' documentation " << quoted);
  CHECK(std::fabs(actual - quoted) <= half_unit);
}

// Keras 3: ε = 1e-7, rows renormalised, and reduction "sum_over_batch_size" = Σ wᵢℓᵢ / N
// (the batch size, not Σ w); "sum" = Σ wᵢℓᵢ of per-sample losses.
losses::CategoricalCrossEntropy<float> keras_categorical() {
  losses::CategoricalCrossEntropy<float> cce;
  cce.epsilon(1e-7f).renormalize(true).reduction(losses::Reduction::sum);
  return cce;
}

}  // namespace

TEST_CASE("Keras: CategoricalCrossentropy's documented examples", "[parity][keras]") {
  // keras.losses.CategoricalCrossentropy, "Standalone usage".
  const Array<float> y = rows_of<float>({{0, 1, 0}, {0, 0, 1}});
  const Array<float> p = rows_of<float>({{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
  const auto cce = keras_categorical();
  const double n = static_cast<double>(y.rows());
  check_quoted(cce(y, p) / n, 1.177, 5e-4, "sum_over_batch_size");
  const Eigen::ArrayXf w = (Eigen::ArrayXf(2) << 0.3f, 0.7f).finished();
  check_quoted(cce(y, p, w) / n, 0.814, 5e-4, "sample_weight [0.3, 0.7]");
  check_quoted(cce(y, p), 2.354, 5e-4, "reduction sum");
  const auto none = cce.per_sample(y, p);
  check_quoted(none(0), 0.0513, 5e-5, "reduction none, row 0");
  check_quoted(none(1), 2.303, 5e-4, "reduction none, row 1");
}

TEST_CASE("Keras: the backend's categorical_crossentropy renormalises rows", "[parity][keras]") {
  // tf.keras.backend.categorical_crossentropy's documented example: the second row sums
  // to 1.99 and is scored as 0.89 / 1.99.
  const Array<float> y = rows_of<float>({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
  const Array<float> p = rows_of<float>({{0.9, 0.05, 0.05}, {0.5, 0.89, 0.6}, {0.05, 0.01, 0.94}});
  const auto none = keras_categorical().per_sample(y, p);
  check_quoted(none(0), 0.10536055, 5e-7, "row 0");
  check_quoted(none(1), 0.8046684, 5e-7, "row 1");
  check_quoted(none(2), 0.06187541, 5e-7, "row 2");
  // scikit-learn 1.5 and later (and this library by default) score the row as given.
  losses::CategoricalCrossEntropy<float> as_given;
  CHECK(as_given.per_sample(y, p)(1) == Approx(-std::log(0.89)).epsilon(1e-6));
}

TEST_CASE("Keras: SparseCategoricalCrossentropy's documented examples", "[parity][keras]") {
  const Eigen::ArrayXi labels = (Eigen::ArrayXi(2) << 1, 2).finished();
  const Array<float> p = rows_of<float>({{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
  losses::SparseCategoricalCrossEntropy<float> scce;
  scce.epsilon(1e-7f).reduction(losses::Reduction::sum);
  check_quoted(scce(labels, p) / 2.0, 1.177, 5e-4, "sum_over_batch_size");
  const Eigen::ArrayXf w = (Eigen::ArrayXf(2) << 0.3f, 0.7f).finished();
  check_quoted(scce(labels, p, w) / 2.0, 0.814, 5e-4, "sample_weight [0.3, 0.7]");
  check_quoted(scce(labels, p), 2.354, 5e-4, "reduction sum");
}

TEST_CASE("Keras: BinaryCrossentropy's documented examples", "[parity][keras]") {
  // Keras' "sum" adds the per-sample means over the M outputs; this library's sum adds
  // every element, so Keras' sum is ours / M and its sum_over_batch_size ours / (N·M).
  const Array<float> y = rows_of<float>({{0, 1}, {0, 0}});
  const Array<float> p = rows_of<float>({{0.6, 0.4}, {0.4, 0.6}});
  losses::BinaryCrossEntropy<float> bce;
  bce.epsilon(1e-7f).reduction(losses::Reduction::sum);
  const double n = 2, m = 2;
  check_quoted(bce(y, p) / (n * m), 0.815, 5e-4, "sum_over_batch_size");
  const Eigen::ArrayXf w = (Eigen::ArrayXf(2) << 1.0f, 0.0f).finished();
  check_quoted(bce(y, p, w) / (n * m), 0.458, 5e-4, "sample_weight [1, 0]");
  check_quoted(bce(y, p) / m, 1.630, 5e-4, "reduction sum");
  const auto none = bce.per_sample(y, p);
  check_quoted(none(0), 0.916, 5e-4, "reduction none, row 0");
  check_quoted(none(1), 0.714, 5e-4, "reduction none, row 1");

  // From logits: y_true [0, 1, 0, 0], logits [-18.6, 0.51, 2.94, -12.8] gives 0.865.
  const Array<float> y1 = rows_of<float>({{0, 1, 0, 0}});
  const Array<float> x = rows_of<float>({{-18.6, 0.51, 2.94, -12.8}});
  losses::BinaryCrossEntropy<float> logits;
  check_quoted(logits.from_logits(true)(y1, x), 0.865, 5e-4, "from_logits");
}

TEST_CASE("scikit-learn 1.2 and Keras: renormalize(true) matches their renormalised rows, gradient included",
          "[parity][sklearn][keras]") {
  for (const auto& c : parity_reference::cases()) {
    if (c.kind != parity_reference::Kind::renormalize) continue;
    INFO("case " << c.name << "; expected values from " << c.source);
    const Array<double> y = from_row_major<double>(c.y_true, c.rows, c.cols);
    const Array<double> p = from_row_major<double>(c.y_pred, c.rows, c.cols);
    losses::CategoricalCrossEntropy<> cce;
    cce.epsilon(c.epsilon).renormalize(true);
    const double rel = support::tolerance<double>();
    check_value(cce(y, p), c.mean, rel, "mean");
    check_value(cce.per_sample(y, p).sum(), c.sum, rel, "sum of per_sample");
    check_elements(cce.per_sample(y, p), c.per_sample, rel, "per_sample");
    check_elements(cce.gradient(y, p), c.gradient_mean, rel, "gradient of the mean");
    Array<double> g(p.rows(), p.cols());
    check_value(cce.value_and_gradient_into(y, p, g), c.mean, rel, "fused value");
    check_elements(g, c.gradient_mean, rel, "fused gradient");
  }
}

TEST_CASE("renormalize(true): a row that sums to 0 is a domain error naming it, and logits ignore the option",
          "[parity][cce]") {
  const Array<double> y = rows_of<double>({{1, 0}, {0, 1}, {1, 0}});
  const Array<double> p = rows_of<double>({{0.5, 0.5}, {0, 0}, {0.2, 0.2}});
  losses::CategoricalCrossEntropy<> cce;
  cce.renormalize(true);
  CHECK(cce.renormalize());
  try {
    (void)cce(y, p);
    FAIL("no exception");
  } catch (const losses::DomainError& e) {
    CHECK(e.row() == 1);
    CHECK(std::string(e.what()).find("row 1 of y_pred sums to 0") != std::string::npos);
  }
  CHECK_THROWS_AS(cce.per_sample(y, p), losses::DomainError);
  CHECK_THROWS_AS(cce.gradient(y, p), losses::DomainError);

  const Array<double> z = rows_of<double>({{1, -1}, {0, 3}, {2, 2}});
  losses::CategoricalCrossEntropy<> plain;
  CHECK(cce.from_logits(true)(y, z) == plain.from_logits(true)(y, z));
}

TEST_CASE("PyTorch: binary_cross_entropy with element weights divides by the element count", "[parity][torch]") {
  // torch.nn.functional.binary_cross_entropy(p, y, weight=w) with reduction "mean" is
  // Σ wℓ / (N·M); this library's weighted mean divides by Σ w, so PyTorch's mean is our
  // sum over N·M. Inside (0, 1) nothing is clipped by either, and the gradients agree.
  for (const auto& c : parity_reference::cases()) {
    if (c.kind != parity_reference::Kind::torch_bce) continue;
    INFO("case " << c.name << "; expected values from " << c.source);
    const Array<double> y = from_row_major<double>(c.y_true, c.rows, c.cols);
    const Array<double> p = from_row_major<double>(c.y_pred, c.rows, c.cols);
    const Array<double> w = from_row_major<double>(c.weights, c.rows, c.cols);
    losses::BinaryCrossEntropy<> bce;
    bce.reduction(losses::Reduction::sum);
    const double elements = static_cast<double>(p.size());
    const double rel = support::tolerance<double>();
    check_value(bce(y, p, w), c.sum, rel, "sum");
    check_value(bce(y, p, w) / elements, c.mean, rel, "PyTorch's mean");
    const Array<double> g = bce.gradient(y, p, w) / elements;
    check_elements(g, c.gradient_mean, rel, "gradient of PyTorch's mean");
  }
}

TEST_CASE("PyTorch clamps log at -100 where this library clips at epsilon: a certain, wrong prediction",
          "[parity][torch]") {
  // F.binary_cross_entropy(0, 1) is 100 (its log is clamped at −100); ours is −log ε with
  // the default ε, and +∞ with ε = 0. A documented difference, not copied.
  const Array<double> y = rows_of<double>({{1}});
  const Array<double> p = rows_of<double>({{0}});
  losses::BinaryCrossEntropy<> bce;
  CHECK(bce(y, p) == Approx(-std::log(std::numeric_limits<double>::epsilon())).epsilon(1e-12));
  CHECK(bce.epsilon(0.0)(y, p) == std::numeric_limits<double>::infinity());
}
