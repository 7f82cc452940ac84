// Multinomial logistic regression on the iris data: a linear model with a softmax output,
// trained by full-batch gradient descent on SparseCategoricalCrossEntropy (integer labels)
// computed from the logits.
//
// usage: multiclass path/to/iris.csv
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
constexpr double learning_rate = 0.5;
constexpr int epochs = 2000;
constexpr int classes = 3;
constexpr double expected_accuracy = 0.93;

/// logits = x·W + b, one column per class
struct LinearModel {
  Eigen::MatrixXd w;
  Eigen::RowVectorXd b;

  Eigen::MatrixXd logits(const Eigen::MatrixXd& x) const { return (x * w).rowwise() + b; }
};

/// Predicts the class with the largest logit (the largest probability).
double accuracy(const Eigen::ArrayXi& labels, const Eigen::MatrixXd& z) {
  Eigen::Index correct = 0;
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    Eigen::Index predicted = 0;
    z.row(i).maxCoeff(&predicted);
    if (predicted == labels(i)) ++correct;
  }
  return static_cast<double>(correct) / static_cast<double>(z.rows());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " path/to/iris.csv\n";
    return 2;
  }
  try {
    const examples::Dataset data = examples::load_csv(argv[1]);
    examples::check_class_labels(data, classes);
    const examples::Split split = examples::split_train_validation(data, validation_fraction, seed, true);
    const auto standardise = examples::Standardiser::fit(split.train_features);
    const Eigen::MatrixXd x_train = standardise(split.train_features);
    const Eigen::MatrixXd x_val = standardise(split.validation_features);
    const Eigen::ArrayXi y_train = split.train_target.cast<int>().array();
    const Eigen::ArrayXi y_val = split.validation_target.cast<int>().array();

    std::cout << "== multiclass: softmax regression trained with SparseCategoricalCrossEntropy ==\n";
    examples::print_facts({
        {"data", data.name + ", " + std::to_string(data.samples()) + " samples x " +
                     std::to_string(data.feature_count()) + " features, target '" + data.target_name + "' (" +
                     std::to_string(classes) + " classes)"},
        {"split", std::to_string(x_train.rows()) + " training / " + std::to_string(x_val.rows()) +
                      " validation samples, stratified (seed " + std::to_string(seed) +
                      "), features standardised on the training split"},
        {"model", "p = softmax(x.W + b)"},
        {"loss", "SparseCategoricalCrossEntropy from logits (the softmax inside the loss) and integer labels, "
                 "mean over samples"},
        {"training", "full-batch gradient descent, learning rate " + examples::fixed(learning_rate, 2) + ", " +
                         std::to_string(epochs) + " epochs"},
    });
    std::cout << "The loss (cross-entropy) is what training minimises; "
                 "accuracy on the validation set is what to read.\n";

    // On logits the loss applies the softmax itself, in one fused, stable pass, and its
    // gradient with respect to the logits is softmax(z) − one_hot(y) (over N).
    const auto loss = losses::SparseCategoricalCrossEntropy<>().from_logits(true);
    LinearModel model{Eigen::MatrixXd::Zero(x_train.cols(), classes), Eigen::RowVectorXd::Zero(classes)};
    Eigen::MatrixXd z(x_train.rows(), classes), logit_gradient(x_train.rows(), classes);
    examples::History history;
    for (int epoch = 0;; ++epoch) {
      z = model.logits(x_train);
      const double train_loss = loss.value_and_gradient_into(y_train, z, logit_gradient);
      const Eigen::MatrixXd z_val = model.logits(x_val);
      history.push_back({epoch, train_loss, loss(y_val, z_val), accuracy(y_val, z_val)});
      if (epoch == epochs) break;
      // The chain rule through z = x·W + b.
      model.w -= learning_rate * (x_train.transpose() * logit_gradient);
      model.b -= learning_rate * logit_gradient.colwise().sum();
    }
    examples::print_history(history, {"loss", 4, "val accuracy", 3, 200});

    const double final_accuracy = history.back().validation_metric;
    const bool ok = final_accuracy >= expected_accuracy;
    std::cout << "validation accuracy " << examples::fixed(final_accuracy, 3) << " (" << y_val.size()
              << " samples); expected >= " << examples::fixed(expected_accuracy, 2) << ": " << (ok ? "OK" : "MISSED")
              << "\n\n";
    return ok ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "multiclass: " << error.what() << '\n';
    return 2;
  }
}
