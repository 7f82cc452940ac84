// Linear regression on the diabetes data, trained by full-batch gradient descent on
// MeanSquaredError, then checked against the exact least-squares fit on the same split.
//
// usage: regression path/to/diabetes.csv
#include <Eigen/Dense>
#include <cmath>
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
constexpr int epochs = 600;
// Gradient descent minimises the same objective as least squares, so once converged its
// validation RMSE must match; a larger gap means training went wrong.
constexpr double tolerance = 0.02;

/// prediction = x·w + b
struct LinearModel {
  Eigen::VectorXd w;
  double b = 0;

  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const { return (x * w).array() + b; }
};

double rmse(const Eigen::VectorXd& target, const Eigen::VectorXd& prediction) {
  return std::sqrt((prediction - target).squaredNorm() / static_cast<double>(target.size()));
}

/// The exact minimiser of the training MSE, by QR on [1 | x] (an intercept column, then x).
LinearModel least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  Eigen::MatrixXd design(x.rows(), x.cols() + 1);
  design << Eigen::VectorXd::Ones(x.rows()), x;
  const Eigen::VectorXd beta = design.colPivHouseholderQr().solve(y);
  return {beta.tail(x.cols()), beta(0)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " path/to/diabetes.csv\n";
    return 2;
  }
  try {
    const examples::Dataset data = examples::load_csv(argv[1]);
    const examples::Split split = examples::split_train_validation(data, validation_fraction, seed, false);
    const auto standardise = examples::Standardiser::fit(split.train_features);
    const Eigen::MatrixXd x_train = standardise(split.train_features);
    const Eigen::MatrixXd x_val = standardise(split.validation_features);
    const Eigen::VectorXd& y_train = split.train_target;
    const Eigen::VectorXd& y_val = split.validation_target;

    std::cout << "== regression: a linear model trained with MeanSquaredError ==\n";
    examples::print_facts({
        {"data", data.name + ", " + std::to_string(data.samples()) + " samples x " +
                     std::to_string(data.feature_count()) + " features, target '" + data.target_name + "'"},
        {"split", std::to_string(x_train.rows()) + " training / " + std::to_string(x_val.rows()) +
                      " validation samples (seed " + std::to_string(seed) +
                      "), features standardised on the training split"},
        {"model", data.target_name + " = x.w + b (linear output)"},
        {"loss", "MeanSquaredError, mean over samples"},
        {"training", "full-batch gradient descent, learning rate " + examples::fixed(learning_rate, 2) + ", " +
                         std::to_string(epochs) + " epochs"},
    });
    std::cout << "The loss (MSE, in squared units) is what training minimises; RMSE, in units of "
              << data.target_name << ", is what to read.\n";

    losses::MeanSquaredError<> mse;
    LinearModel model{Eigen::VectorXd::Zero(x_train.cols()), 0.0};
    Eigen::VectorXd prediction(x_train.rows());
    Eigen::VectorXd loss_gradient(x_train.rows());  // dL/dprediction, rewritten every epoch
    examples::History history;
    for (int epoch = 0;; ++epoch) {
      prediction = model.predict(x_train);
      const double train_loss = mse.value_and_gradient_into(y_train, prediction, loss_gradient);
      const Eigen::VectorXd val_prediction = model.predict(x_val);
      history.push_back({epoch, train_loss, mse(y_val, val_prediction), rmse(y_val, val_prediction)});
      if (epoch == epochs) break;
      // The chain rule through prediction = x·w + b.
      model.w -= learning_rate * (x_train.transpose() * loss_gradient);
      model.b -= learning_rate * loss_gradient.sum();
    }
    examples::print_history(history, {"MSE", 1, "val RMSE", 3, 50});

    const double trained = history.back().validation_metric;
    const double exact = rmse(y_val, least_squares(x_train, y_train).predict(x_val));
    const double gap = (trained - exact) / exact;
    const bool ok = std::abs(gap) <= tolerance;
    std::cout << "validation RMSE " << examples::fixed(trained, 3) << " (gradient descent) vs "
              << examples::fixed(exact, 3) << " (least squares, QR): gap " << examples::fixed(100 * gap, 2)
              << "%, expected within " << examples::fixed(100 * tolerance, 0) << "%: " << (ok ? "OK" : "MISSED")
              << "\n\n";
    return ok ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "regression: " << error.what() << '\n';
    return 2;
  }
}
