// Logistic regression on the breast cancer data: a linear model with a sigmoid output,
// trained by full-batch gradient descent on BinaryCrossEntropy computed from the logits.
//
// usage: binary path/to/breast_cancer.csv
#include <Eigen/Core>
#include <cstdint>
#include <exception>
#include <iostream>
#include <losses/losses.hpp>

#include "common/dataset.hpp"
#include "common/report.hpp"

namespace {

constexpr std::uint64_t seed = 2024;
constexpr double validation_fraction = 0.2;
constexpr double learning_rate = 0.1;
constexpr int epochs = 300;
constexpr double expected_accuracy = 0.95;

/// logits = x·w + b
struct LinearModel {
  Eigen::VectorXd w;
  double b = 0;

  Eigen::VectorXd logits(const Eigen::MatrixXd& x) const { return (x * w).array() + b; }
};

/// Predicts class 1 where p > 0.5, that is where the logit is positive.
double accuracy(const Eigen::VectorXd& y, const Eigen::VectorXd& z) {
  return ((z.array() > 0).cast<double>() == y.array()).cast<double>().mean();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " path/to/breast_cancer.csv\n";
    return 2;
  }
  try {
    const examples::Dataset data = examples::load_csv(argv[1]);
    examples::check_class_labels(data, 2);
    const examples::Split split = examples::split_train_validation(data, validation_fraction, seed, true);
    const auto standardise = examples::Standardiser::fit(split.train_features);
    const Eigen::MatrixXd x_train = standardise(split.train_features);
    const Eigen::MatrixXd x_val = standardise(split.validation_features);
    const Eigen::VectorXd& y_train = split.train_target;
    const Eigen::VectorXd& y_val = split.validation_target;

    std::cout << "== binary: logistic regression trained with BinaryCrossEntropy ==\n";
    examples::print_facts({
        {"data", data.name + ", " + std::to_string(data.samples()) + " samples x " +
                     std::to_string(data.feature_count()) + " features, target '" + data.target_name + "' (0 or 1)"},
        {"split", std::to_string(x_train.rows()) + " training / " + std::to_string(x_val.rows()) +
                      " validation samples, stratified (seed " + std::to_string(seed) +
                      "), features standardised on the training split"},
        {"model", "p = sigmoid(x.w + b)"},
        {"loss", "BinaryCrossEntropy from logits (the sigmoid inside the loss), mean over samples"},
        {"training", "full-batch gradient descent, learning rate " + examples::fixed(learning_rate, 2) + ", " +
                         std::to_string(epochs) + " epochs"},
    });
    std::cout << "The loss (log loss) is what training minimises; accuracy on the validation set is what to read.\n";

    // On logits the loss applies the sigmoid itself, stably, and its gradient with respect to
    // the logits is σ(z) − y (over N): no chain rule through the sigmoid in the loop.
    const auto loss = losses::BinaryCrossEntropy<>().from_logits(true);
    LinearModel model{Eigen::VectorXd::Zero(x_train.cols()), 0.0};
    Eigen::VectorXd z(x_train.rows()), logit_gradient(x_train.rows());
    examples::History history;
    for (int epoch = 0;; ++epoch) {
      z = model.logits(x_train);
      const double train_loss = loss.value_and_gradient_into(y_train, z, logit_gradient);
      const Eigen::VectorXd z_val = model.logits(x_val);
      history.push_back({epoch, train_loss, loss(y_val, z_val), accuracy(y_val, z_val)});
      if (epoch == epochs) break;
      // The chain rule through z = x·w + b.
      model.w -= learning_rate * (x_train.transpose() * logit_gradient);
      model.b -= learning_rate * logit_gradient.sum();
    }
    examples::print_history(history, {"loss", 4, "val accuracy", 3, 25});

    const examples::EpochRecord& last = history.back();
    const bool ok = last.validation_metric >= expected_accuracy;
    std::cout << "validation accuracy " << examples::fixed(last.validation_metric, 3) << ", log loss "
              << examples::fixed(last.validation_loss, 4) << "; expected accuracy >= "
              << examples::fixed(expected_accuracy, 2) << ": " << (ok ? "OK" : "MISSED") << "\n\n";
    return ok ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "binary: " << error.what() << '\n';
    return 2;
  }
}
