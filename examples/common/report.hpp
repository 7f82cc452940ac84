// What a training run records, and how the examples print it.
#ifndef LOSSES_EXAMPLES_REPORT_HPP
#define LOSSES_EXAMPLES_REPORT_HPP

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace examples {

/// One epoch of a run, for the model as it stands after `epoch` updates (epoch 0 is the
/// untrained model). Kept for every epoch, not only the printed ones, so that a run's
/// curves can be examined or plotted afterwards.
struct EpochRecord {
  int epoch;
  double train_loss;
  double validation_loss;
  double validation_metric;  ///< what a reader of the results cares about (RMSE, accuracy)
};

using History = std::vector<EpochRecord>;

/// How to print a History.
struct TableFormat {
  std::string loss_name;    ///< e.g. "MSE"
  int loss_decimals;
  std::string metric_name;  ///< e.g. "val RMSE"
  int metric_decimals;
  int every;                ///< print epoch 0, every `every`-th epoch and the last
};

/// "label: value" lines with the values aligned.
inline void print_facts(const std::vector<std::pair<std::string, std::string>>& facts) {
  std::size_t width = 0;
  for (const auto& fact : facts) width = std::max(width, fact.first.size());
  for (const auto& [label, value] : facts) {
    std::cout << "  " << std::left << std::setw(static_cast<int>(width + 1)) << (label + ":") << ' ' << value << '\n';
  }
  std::cout << std::right;
}

inline void print_history(const History& history, const TableFormat& format) {
  const int epoch_width = 7, column_width = 14;
  std::cout << '\n'
            << std::setw(epoch_width) << "epoch" << std::setw(column_width) << ("train " + format.loss_name)
            << std::setw(column_width) << ("val " + format.loss_name) << std::setw(column_width)
            << format.metric_name << '\n';
  std::cout << std::fixed;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const EpochRecord& r = history[i];
    if (r.epoch % format.every != 0 && i + 1 != history.size()) continue;
    std::cout << std::setw(epoch_width) << r.epoch << std::setprecision(format.loss_decimals)
              << std::setw(column_width) << r.train_loss << std::setw(column_width) << r.validation_loss
              << std::setprecision(format.metric_decimals) << std::setw(column_width) << r.validation_metric << '\n';
  }
  std::cout << std::defaultfloat << '\n';
}

/// A number as text, with a fixed number of decimals.
inline std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

}  // namespace examples

#endif  // LOSSES_EXAMPLES_REPORT_HPP
