// scikit-learn's log_loss (release 1.7) for labels of any kind: the metric people quote
// from Python notebooks, reproduced number for number, with bad input rejected.
#ifndef LOSSES_LOG_LOSS_HPP
#define LOSSES_LOG_LOSS_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "categorical_cross_entropy.hpp"
#include "detail/checks.hpp"
#include "detail/summation.hpp"
#include "detail/weights.hpp"
#include "errors.hpp"

namespace losses {

/// The options of log_loss, as scikit-learn's keyword arguments.
template <class Label>
struct LogLossOptions {
  /// The classes, in any order: y_pred's columns follow their sorted order (as
  /// scikit-learn's LabelBinarizer sorts them). Empty: the sorted distinct labels of y_true.
  std::vector<Label> labels;
  /// true: the weighted mean over samples; false: the weighted sum.
  bool normalize = true;
  /// One weight per sample, finite and non-negative. Empty: all ones.
  Eigen::ArrayXd sample_weight;
};

/// What log_loss noticed without rejecting: scikit-learn warns about these, this library
/// reports them here and prints nothing.
struct LogLossReport {
  /// Some row of y_pred does not sum to one (see log_loss); it was scored as given.
  bool rows_not_normalized = false;
  /// The first such row, or -1.
  Eigen::Index first_row = -1;
};

namespace detail {

/// Marks a y_true type log_loss cannot read.
struct UnsupportedLabels {};

/// The label type of a y_true: std::vector<Label>, or an Eigen vector's Scalar.
template <class YTrue, class = void>
struct log_loss_label {
  using type = UnsupportedLabels;
};
template <class L>
struct log_loss_label<std::vector<L>, void> {
  using type = L;
};
template <class D>
struct log_loss_label<D, std::enable_if_t<std::is_base_of_v<Eigen::DenseBase<D>, D>>> {
  using type = typename D::Scalar;
};
template <class YTrue>
using log_loss_label_t = typename log_loss_label<YTrue>::type;

template <class Label>
inline constexpr bool is_log_loss_label =
    (std::is_integral_v<Label> && !std::is_same_v<Label, bool>) || std::is_same_v<Label, std::string>;

inline constexpr const char* log_loss_name = "log_loss";

/// A label as a message shows it: strings quoted, integers as numbers (char too).
template <class Label>
std::string label_text(const Label& label) {
  if constexpr (std::is_same_v<Label, std::string>) {
    return "\"" + label + "\"";
  } else {
    return number_to_string(label);
  }
}

/// "[a, b, c]", shortened after the first ten.
template <class Label>
std::string labels_text(const std::vector<Label>& labels) {
  constexpr std::size_t shown = 10;
  std::string out = "[";
  for (std::size_t k = 0; k < labels.size() && k < shown; ++k) {
    out += (k > 0 ? ", " : "") + label_text(labels[k]);
  }
  if (labels.size() > shown) out += ", ... (" + std::to_string(labels.size()) + " in all)";
  return out + "]";
}

/// Checks y_pred(i, j) is a probability, naming it as scikit-learn's checks would.
template <class Scalar>
void check_probability(Scalar value, Eigen::Index i, Eigen::Index j) {
  const auto where = [&] {
    return "y_pred(" + std::to_string(i) + ", " + std::to_string(j) + ") = " + number_to_string(value);
  };
  if (std::isnan(value)) {
    throw DomainError("y_pred", i, j, prefixed(log_loss_name, "y_pred contains NaN: " + where()));
  }
  if (std::isinf(value)) {
    throw DomainError("y_pred", i, j, prefixed(log_loss_name, "y_pred contains infinity: " + where()));
  }
  if (value < Scalar(0) || value > Scalar(1)) {
    throw DomainError("y_pred", i, j,
                      prefixed(log_loss_name, std::string("y_pred contains values ") +
                                                  (value < Scalar(0) ? "lower than 0" : "greater than 1") + ": " +
                                                  where() + "; y_pred must hold probabilities in [0, 1]"));
  }
}

template <class Label, class P>
typename P::Scalar log_loss_of(const std::vector<Label>& y_true, const P& y_pred, const LogLossOptions<Label>& options,
                               LogLossReport* report) {
  using Scalar = typename P::Scalar;
  using Acc = accumulator_t<Scalar>;
  const char* name = log_loss_name;
  const auto samples = static_cast<Eigen::Index>(y_true.size());

  // Shapes, always.
  check_not_empty(name, "y_pred", y_pred);
  if (samples != y_pred.rows()) {
    throw_argument(name, "y_true",
                   "y_true has " + std::to_string(samples) + " labels but y_pred is " + shape_of(y_pred) +
                       ": inconsistent numbers of samples [" + std::to_string(samples) + ", " +
                       std::to_string(y_pred.rows()) + "] (rows are samples; the binary form of y_pred is a column)");
  }
  const Eigen::ArrayXd& weights = options.sample_weight;
  const bool weighted = weights.size() > 0;
  if (weighted && weights.size() != samples) {
    throw_argument(name, "sample_weight",
                   "sample_weight has " + std::to_string(weights.size()) + " weights but y_true has " +
                       std::to_string(samples) + " labels: inconsistent numbers of samples [" +
                       std::to_string(samples) + ", " + std::to_string(weights.size()) + "]");
  }

  // The classes: sorted and distinct, as scikit-learn's LabelBinarizer makes them.
  const bool labels_given = !options.labels.empty();
  std::vector<Label> classes = labels_given ? options.labels : y_true;
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  if (labels_given) {
    for (Eigen::Index i = 0; i < samples; ++i) {
      const Label& label = y_true[static_cast<std::size_t>(i)];
      if (!std::binary_search(classes.begin(), classes.end(), label)) {
        throw_argument(name, "y_true",
                       "y_true contains values not belonging to the passed labels: y_true(" + std::to_string(i) +
                           ") = " + label_text(label) + " is not one of labels " + labels_text(classes));
      }
    }
  }
  if (classes.size() == 1) {
    if (!labels_given) {
      throw_argument(name, "y_true",
                     "y_true contains only one label (" + label_text(classes[0]) +
                         "); provide the list of all expected class labels explicitly in LogLossOptions::labels");
    }
    throw_argument(name, "labels",
                   "labels needs to contain at least two distinct labels for log_loss, got " + labels_text(classes));
  }
  const auto class_count = static_cast<Eigen::Index>(classes.size());
  const bool binary_column = y_pred.cols() == 1;  // the probability of the larger label
  const Eigen::Index predicted_classes = binary_column ? 2 : y_pred.cols();
  if (class_count != predicted_classes) {
    const std::string counts = std::to_string(class_count) + " vs " + std::to_string(predicted_classes) +
                               " (y_pred is " + shape_of(y_pred) + ")";
    if (!labels_given) {
      throw_argument(name, "y_pred",
                     "y_true and y_pred contain different numbers of classes: " + counts +
                         "; provide the true labels explicitly in LogLossOptions::labels. Classes found in y_true: " +
                         labels_text(classes));
    }
    throw_argument(name, "labels",
                   "the number of classes in labels is different from that in y_pred: " + counts +
                       ". Classes found in labels: " + labels_text(classes));
  }

  // Values: every prediction a probability, and each row's sum compared with one as
  // scikit-learn does (numpy.allclose with rtol = √ε and its default atol = 1e-8).
  LogLossReport noticed;
  const Scalar eps = std::numeric_limits<Scalar>::epsilon();
  const Acc sum_tolerance = Acc(std::sqrt(eps)) + Acc(1e-8);
  for (Eigen::Index i = 0; i < samples; ++i) {
    Scalar row_sum = 0;
    for (Eigen::Index j = 0; j < y_pred.cols(); ++j) {
      const Scalar value = y_pred.coeff(i, j);
      check_probability(value, i, j);
      row_sum += value;
    }
    // The binary column stands for the row [1 − p, p], which sums to one.
    if (!binary_column && !noticed.rows_not_normalized && !(std::abs(Acc(row_sum) - Acc(1)) <= sum_tolerance)) {
      noticed = LogLossReport{true, i};
    }
  }
  Acc weight_total = Acc(samples);
  if (weighted) {
    weight_total = Acc(checked_weight_total<double>(name, weights));
    if (options.normalize && !(weight_total > Acc(0))) {
      throw_argument(name, "sample_weight",
                     "the weights in sample_weight sum to zero, so their weighted mean cannot be normalized "
                     "(use normalize = false for the weighted sum)");
    }
  }

  // The terms: the categorical cross-entropy rule at the row's label, p clipped to
  // [ε, 1 − ε]; the other classes' terms are exactly zero and are not formed.
  const CategoricalCrossEntropyRule<Scalar> rule{eps};
  CompensatedSum<Scalar> total;
  for (Eigen::Index i = 0; i < samples; ++i) {
    const auto& label = y_true[static_cast<std::size_t>(i)];
    const auto column = static_cast<Eigen::Index>(std::lower_bound(classes.begin(), classes.end(), label) - classes.begin());
    const Scalar p = binary_column ? (column == 1 ? y_pred.coeff(i, 0) : Scalar(1) - y_pred.coeff(i, 0))
                                   : y_pred.coeff(i, column);
    const Acc term = Acc(rule.term(Scalar(1), p));
    total.add(weighted ? Acc(weights(i)) * term : term);
  }
  if (report != nullptr) *report = noticed;
  const Acc value = options.normalize ? total.total() / weight_total : total.total();
  return static_cast<Scalar>(value);
}

}  // namespace detail

/// scikit-learn's log_loss (1.7): the mean negative log-likelihood of class labels under
/// predicted probabilities (not logits), with the same labels, clipping, weights and errors.
///
/// - y_true: N labels, a std::vector of integers or of std::string, or an Eigen integer vector.
/// - y_pred: N x K probabilities, column k for the k-th class in sorted order (of
///   options.labels, else of the distinct labels of y_true); or, for two classes, an
///   N x 1 column read as the probability of the larger label. Scalar is y_pred's type.
/// - Row i scores ℓᵢ = −log(clip(p_{i,yᵢ}, ε, 1 − ε)), ε = std::numeric_limits<Scalar>::epsilon();
///   the other classes' terms are exactly zero. The value is Σ wᵢ·ℓᵢ / Σ wᵢ (normalize, the
///   default; unweighted, divided by N) or Σ wᵢ·ℓᵢ.
/// - Rows are never renormalised: a row whose sum differs from one by more than √ε + 1e-8
///   (scikit-learn's numpy.allclose test) is scored as given, and `report`, when given,
///   names the first such row.
///
/// @throws losses::ArgumentError (std::invalid_argument) for an empty y_pred, sample
/// counts that differ, a single class without options.labels, fewer than two labels, a
/// label of y_true missing from options.labels, a class count that differs between the
/// labels and y_pred, or weights that sum to zero under normalize; losses::DomainError
/// (std::domain_error) for a probability outside [0, 1], NaN or infinity (naming its row
/// and column), or a negative or non-finite weight (which scikit-learn accepts).
///
/// ```
/// std::vector<std::string> y{"spam", "ham", "ham", "spam"};
/// double value = losses::log_loss(y, probabilities);  // columns: "ham", "spam"
/// ```
template <class YTrue, class D>
typename D::Scalar log_loss(const YTrue& y_true, const Eigen::DenseBase<D>& y_pred,
                            const LogLossOptions<detail::log_loss_label_t<YTrue>>& options = {},
                            LogLossReport* report = nullptr) {
  using Label = detail::log_loss_label_t<YTrue>;
  static_assert(!std::is_same_v<Label, detail::UnsupportedLabels>,
                "losses: log_loss's y_true must be a std::vector of labels or an Eigen vector of integer labels");
  static_assert(detail::is_log_loss_label<Label>,
                "losses: log_loss's labels must be integers (not bool) or std::string");
  static_assert(std::is_floating_point_v<typename D::Scalar>,
                "losses: log_loss's y_pred must hold probabilities as float or double");
  if constexpr (detail::is_log_loss_label<Label> && std::is_floating_point_v<typename D::Scalar>) {
    const auto& p = detail::evaluated(y_pred);
    if constexpr (std::is_base_of_v<Eigen::DenseBase<YTrue>, YTrue>) {
      if (!detail::is_vector_shape(y_true) && y_true.size() != 0) {
        detail::throw_argument(detail::log_loss_name, "y_true",
                               "y_true is " + detail::shape_of(y_true) + "; it must be a vector of N labels");
      }
      std::vector<Label> labels(static_cast<std::size_t>(y_true.size()));
      const bool row = y_true.rows() == 1;
      for (Eigen::Index k = 0; k < y_true.size(); ++k) {
        labels[static_cast<std::size_t>(k)] = y_true.derived().coeff(row ? 0 : k, row ? k : 0);
      }
      return detail::log_loss_of(labels, p, options, report);
    } else {
      return detail::log_loss_of(y_true, p, options, report);
    }
  } else {
    return typename D::Scalar(0);
  }
}

}  // namespace losses

#endif  // LOSSES_LOG_LOSS_HPP
