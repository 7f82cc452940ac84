// Data handling shared by the examples: reading a CSV, a reproducible train/validation
// split, and feature standardisation. Nothing here uses the losses library.
#ifndef LOSSES_EXAMPLES_DATASET_HPP
#define LOSSES_EXAMPLES_DATASET_HPP

#include <Eigen/Core>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace examples {

/// A table of samples: one row per sample, the target apart.
struct Dataset {
  std::string name;  ///< the file name, for headings
  std::vector<std::string> feature_names;
  std::string target_name;
  Eigen::MatrixXd features;
  Eigen::VectorXd target;

  Eigen::Index samples() const { return features.rows(); }
  Eigen::Index feature_count() const { return features.cols(); }
};

namespace detail {

inline std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();  // getline drops a trailing empty field
  return fields;
}

inline std::string strip_carriage_return(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();  // files saved on Windows
  return line;
}

inline std::string file_name_of(const std::string& path) {
  const auto slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace detail

/// Reads a CSV of numbers with a header row; the last column is the target.
/// @throws std::runtime_error naming the file, line and column of the first problem.
inline Dataset load_csv(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot open '" + path + "'");
  const auto fail = [&](long line, const std::string& message) {
    throw std::runtime_error(path + ":" + std::to_string(line) + ": " + message);
  };

  std::string line;
  if (!std::getline(file, line)) fail(1, "the file is empty; expected a header row");
  const std::vector<std::string> header = detail::split_fields(detail::strip_carriage_return(line));
  if (header.size() < 2) fail(1, "the header has fewer than two columns (at least one feature, then the target)");

  std::vector<double> values;  // row by row, as read
  long line_number = 1;
  while (std::getline(file, line)) {
    ++line_number;
    line = detail::strip_carriage_return(line);
    if (line.empty()) continue;
    const std::vector<std::string> fields = detail::split_fields(line);
    if (fields.size() != header.size()) {
      fail(line_number, std::to_string(fields.size()) + " fields, but the header has " +
                            std::to_string(header.size()));
    }
    for (std::size_t j = 0; j < fields.size(); ++j) {
      const char* begin = fields[j].c_str();
      char* end = nullptr;
      errno = 0;
      const double value = std::strtod(begin, &end);
      if (end == begin || *end != '\0' || errno == ERANGE || !std::isfinite(value)) {
        fail(line_number, "column '" + header[j] + "': '" + fields[j] + "' is not a finite number");
      }
      values.push_back(value);
    }
  }
  if (values.empty()) fail(line_number, "no data rows after the header");

  const auto columns = static_cast<Eigen::Index>(header.size());
  const auto rows = static_cast<Eigen::Index>(values.size()) / columns;
  // The file is row-major; Eigen's default is column-major.
  const Eigen::MatrixXd table =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(values.data(), rows,
                                                                                                columns);
  Dataset data;
  data.name = detail::file_name_of(path);
  data.feature_names.assign(header.begin(), header.end() - 1);
  data.target_name = header.back();
  data.features = table.leftCols(columns - 1);
  data.target = table.col(columns - 1);
  return data;
}

/// Checks that the target holds class labels in [0, classes), so that a program can then
/// cast it to integers.
/// @throws std::runtime_error naming the first sample whose target is not such a label.
inline void check_class_labels(const Dataset& data, int classes) {
  for (Eigen::Index i = 0; i < data.samples(); ++i) {
    const double y = data.target(i);
    if (!(y >= 0 && y < classes && y == std::floor(y))) {
      std::ostringstream message;
      message << data.name << ": sample " << i + 1 << " (counting from 1 after the header) has " << data.target_name
              << " = " << y << ", not a class label in [0, " << classes << ")";
      throw std::runtime_error(message.str());
    }
  }
}

/// A uniform integer in [0, bound), by rejection: unbiased, and the same on every standard
/// library, since only the engine's output (which the standard fixes) is used.
inline std::uint64_t uniform_below(std::mt19937_64& engine, std::uint64_t bound) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = max - max % bound;  // a multiple of bound
  std::uint64_t draw = engine();
  while (draw >= limit) draw = engine();
  return draw % bound;
}

/// 0, 1, ..., n − 1 in a random order (Fisher–Yates). std::shuffle would do, but its
/// order is left to each standard library, and the examples must print the same numbers
/// everywhere.
inline std::vector<Eigen::Index> shuffled_indices(Eigen::Index n, std::mt19937_64& engine) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>(i);
  for (std::size_t i = order.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_below(engine, i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

/// The given rows of x, in that order. (Eigen's indexed views would do, but their
/// placeholder for "all columns" is spelled differently in Eigen 3.4 and Eigen 5.)
template <class Plain>
Plain take_rows(const Plain& x, const std::vector<Eigen::Index>& rows) {
  Plain out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) out.row(static_cast<Eigen::Index>(k)) = x.row(rows[k]);
  return out;
}

/// A train/validation split of a Dataset's rows.
struct Split {
  Eigen::MatrixXd train_features, validation_features;
  Eigen::VectorXd train_target, validation_target;
};

/// Holds out `validation_fraction` of the samples, chosen by a seeded shuffle. Stratified
/// (each target value keeps its share in both parts) for classification, where a small
/// validation set could otherwise miss a class.
inline Split split_train_validation(const Dataset& data, double validation_fraction, std::uint64_t seed,
                                    bool stratified) {
  std::mt19937_64 engine(seed);
  std::map<double, std::vector<Eigen::Index>> strata;
  for (const Eigen::Index i : shuffled_indices(data.samples(), engine)) {
    strata[stratified ? data.target(i) : 0.0].push_back(i);
  }
  std::vector<Eigen::Index> train, validation;
  for (const auto& [value, members] : strata) {
    const auto held_out = static_cast<std::size_t>(std::lround(validation_fraction * double(members.size())));
    validation.insert(validation.end(), members.begin(), members.begin() + static_cast<std::ptrdiff_t>(held_out));
    train.insert(train.end(), members.begin() + static_cast<std::ptrdiff_t>(held_out), members.end());
  }
  if (train.empty() || validation.empty()) {
    throw std::runtime_error(data.name + ": " + std::to_string(data.samples()) +
                             " samples are too few for both a training and a validation split");
  }
  return {take_rows(data.features, train), take_rows(data.features, validation), take_rows(data.target, train),
          take_rows(data.target, validation)};
}

/// Centres and scales each feature with statistics of the training split alone, so that
/// nothing about the validation samples leaks into the model.
struct Standardiser {
  Eigen::RowVectorXd mean, scale;

  static Standardiser fit(const Eigen::MatrixXd& train) {
    Standardiser s;
    s.mean = train.colwise().mean();
    const auto n = static_cast<double>(train.rows());
    s.scale = ((train.rowwise() - s.mean).array().square().colwise().sum() / n).sqrt().matrix();
    // A constant feature carries no information; leave it at zero instead of dividing by 0.
    s.scale = (s.scale.array() > 0).select(s.scale, 1.0);
    return s;
  }

  Eigen::MatrixXd operator()(const Eigen::MatrixXd& x) const {
    return ((x.rowwise() - mean).array().rowwise() / scale.array()).matrix();
  }
};

}  // namespace examples

#endif  // LOSSES_EXAMPLES_DATASET_HPP
