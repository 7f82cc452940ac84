// The tutorial's central claim, tested on real data: with a sigmoid output, cross-entropy
// trains faster than mean squared error, and cross-entropy on logits keeps training where
// cross-entropy on clipped probabilities stops.
//
// One logistic model on the breast cancer data, started three times from the same initial
// weights (large ones, so that many outputs start saturated: confidently right or wrong)
// and trained by full-batch gradient descent with the same learning rate, on
//   - MeanSquaredError of the probabilities p = σ(z): dL/dz = dL/dp·p(1 − p), which vanishes
//     on a saturated output, right or wrong;
//   - BinaryCrossEntropy of the probabilities: dL/dz = (p − y)/N wherever p is not clipped,
//     but 0 where p rounded to within ε of 0 or 1;
//   - BinaryCrossEntropy from the logits: dL/dz = (σ(z) − y)/N everywhere.
// Everything is in float, as in most training; ε is float's machine epsilon, so outputs
// with |z| beyond about 16 are clipped. The run prints the three learning curves side by
// side, measured the same way for all (validation log loss and accuracy), and the epochs
// each needs to reach a fixed validation log loss and accuracy, whichever way that comes out.
//
// usage: saturation path/to/breast_cancer.csv
#include <Eigen/Core>
#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iomanip>
#include <iostream>
#include <losses/losses.hpp>
#include <random>
#include <string>
#include <vector>

#include "common/dataset.hpp"
#include "common/report.hpp"

namespace {

using Vector = Eigen::VectorXf;
using Matrix = Eigen::MatrixXf;

constexpr std::uint64_t seed = 2024;
constexpr double validation_fraction = 0.2;
constexpr float initial_scale = 3.0f;  // initial weights uniform in ±3: |z| reaches ~30
constexpr float learning_rate = 0.5f;  // stable for all three: each curve falls steadily
constexpr int epochs = 400;
constexpr double target_log_loss = 0.15;
constexpr double target_accuracy = 0.95;

struct LinearModel {
  Vector w;
  float b = 0;

  Vector logits(const Matrix& x) const { return (x * w).array() + b; }
};

/// Weights uniform in ±initial_scale from a fixed seed, computed the same way everywhere
/// (the standard's distributions are not portable across libraries; mt19937_64 is).
LinearModel initial_model(Eigen::Index features) {
  std::mt19937_64 engine(seed);
  LinearModel model{Vector(features), 0.0f};
  for (Eigen::Index k = 0; k < features; ++k) {
    const double u = static_cast<double>(engine() >> 11) * 0x1p-53;  // [0, 1)
    model.w(k) = static_cast<float>((2 * u - 1) * initial_scale);
  }
  return model;
}

Vector sigmoid(const Vector& z) { return (1.0f / (1.0f + (-z.array()).exp())).matrix(); }

double accuracy(const Vector& y, const Vector& z) {
  return ((z.array() > 0).cast<float>() == y.array()).cast<double>().mean();
}

/// The three ways of training the same model: each returns its training loss and writes
/// dL/dz, the gradient with respect to the logits.
enum class Method { mse, bce_probabilities, bce_logits };
constexpr std::array<Method, 3> methods{Method::mse, Method::bce_probabilities, Method::bce_logits};

const char* name_of(Method m) {
  switch (m) {
    case Method::mse: return "MSE(sigmoid)";
    case Method::bce_probabilities: return "BCE(sigmoid)";
    case Method::bce_logits: return "BCE(logits)";
  }
  return "";
}

class Objective {
 public:
  Objective(Method method, Eigen::Index samples) : method_(method), p_(samples), dp_(samples) {
    bce_logits_.from_logits(true);
  }

  float value_and_gradient(const Vector& y, const Vector& z, Vector& dz) {
    if (method_ == Method::bce_logits) return bce_logits_.value_and_gradient_into(y, z, dz);
    p_ = sigmoid(z);
    const float value = method_ == Method::mse ? mse_.value_and_gradient_into(y, p_, dp_)
                                               : bce_.value_and_gradient_into(y, p_, dp_);
    dz = dp_.cwiseProduct((p_.array() * (1.0f - p_.array())).matrix());  // dp/dz = p(1 − p)
    return value;
  }

 private:
  Method method_;
  losses::MeanSquaredError<float> mse_;
  losses::BinaryCrossEntropy<float> bce_;
  losses::BinaryCrossEntropy<float> bce_logits_;
  Vector p_, dp_;
};

struct Curve {
  std::vector<double> log_loss, accuracy;
  int first_below(double loss) const {
    for (std::size_t e = 0; e < log_loss.size(); ++e) {
      if (log_loss[e] <= loss) return static_cast<int>(e);
    }
    return -1;
  }
  int first_above(double acc) const {
    for (std::size_t e = 0; e < accuracy.size(); ++e) {
      if (accuracy[e] >= acc) return static_cast<int>(e);
    }
    return -1;
  }
};

std::string epochs_text(int e) { return e < 0 ? "not within " + std::to_string(epochs) : std::to_string(e); }

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
    const Matrix x_train = standardise(split.train_features).cast<float>();
    const Matrix x_val = standardise(split.validation_features).cast<float>();
    const Vector y_train = split.train_target.cast<float>();
    const Vector y_val = split.validation_target.cast<float>();

    std::cout << "== saturation: one sigmoid model, three losses ==\n";
    examples::print_facts({
        {"data", data.name + ", " + std::to_string(x_train.rows()) + " training / " + std::to_string(x_val.rows()) +
                     " validation samples (as in binary)"},
        {"model", "p = sigmoid(x.w + b), in float, initial weights uniform in +-" +
                      examples::fixed(initial_scale, 1) + " (seed " + std::to_string(seed) + ")"},
        {"training", "full-batch gradient descent, learning rate " + examples::fixed(learning_rate, 2) + ", " +
                         std::to_string(epochs) + " epochs, the same for all three"},
        {"yardstick", "validation log loss (BinaryCrossEntropy from logits) and accuracy, for all three"},
    });

    const LinearModel start = initial_model(x_train.cols());
    const auto yardstick = losses::BinaryCrossEntropy<float>().from_logits(true);
    std::vector<Curve> curves;
    int saturated = 0;
    for (const Method method : methods) {
      Objective objective(method, x_train.rows());
      LinearModel model = start;
      Vector z(x_train.rows()), dz(x_train.rows());
      Curve curve;
      for (int epoch = 0;; ++epoch) {
        z = model.logits(x_train);
        if (epoch == 0) saturated = static_cast<int>((z.array().abs() > 16.0f).count());
        objective.value_and_gradient(y_train, z, dz);
        const Vector z_val = model.logits(x_val);
        curve.log_loss.push_back(yardstick(y_val, z_val));
        curve.accuracy.push_back(accuracy(y_val, z_val));
        if (!std::isfinite(curve.log_loss.back())) throw std::runtime_error(std::string(name_of(method)) + " diverged");
        if (epoch == epochs) break;
        model.w -= learning_rate * (x_train.transpose() * dz);
        model.b -= learning_rate * dz.sum();
      }
      curves.push_back(curve);
    }
    std::cout << "At the start " << saturated << " of " << x_train.rows()
              << " training logits have |z| > 16, where float's sigmoid rounds to within epsilon of 0 or 1.\n\n";

    const int w = 14;
    std::cout << std::setw(7) << "epoch";
    for (const Method m : methods) std::cout << std::setw(w) << (std::string(name_of(m)) + " ") << std::setw(6) << "acc";
    std::cout << "\n" << std::setw(7) << "" ;
    for (std::size_t k = 0; k < methods.size(); ++k) std::cout << std::setw(w) << "val log loss" << std::setw(6) << "";
    std::cout << '\n' << std::fixed;
    for (int epoch = 0; epoch <= epochs; ++epoch) {
      if (!(epoch % 25 == 0 || (epoch <= 10 && epoch % 2 == 0))) continue;
      std::cout << std::setw(7) << epoch;
      for (const Curve& c : curves) {
        std::cout << std::setprecision(4) << std::setw(w) << c.log_loss[static_cast<std::size_t>(epoch)]
                  << std::setprecision(3) << std::setw(6) << c.accuracy[static_cast<std::size_t>(epoch)];
      }
      std::cout << '\n';
    }
    std::cout << std::defaultfloat << "\nepochs to reach validation log loss <= " << target_log_loss
              << " and accuracy >= " << target_accuracy << ":\n";
    for (std::size_t k = 0; k < methods.size(); ++k) {
      std::cout << "  " << std::left << std::setw(14) << name_of(methods[k]) << std::right
                << "log loss: " << std::setw(16) << epochs_text(curves[k].first_below(target_log_loss))
                << "  accuracy: " << epochs_text(curves[k].first_above(target_accuracy)) << '\n';
    }
    std::cout << '\n';
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "saturation: " << error.what() << '\n';
    return 2;
  }
}
