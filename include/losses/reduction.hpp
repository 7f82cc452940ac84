#ifndef LOSSES_REDUCTION_HPP
#define LOSSES_REDUCTION_HPP

namespace losses {

/// How a loss turns its terms into one number.
///
/// Each loss says what one of its terms is: an element for MeanSquaredError and
/// BinaryCrossEntropy, a sample (a row) for the categorical losses.
/// - `mean`: the weighted mean of the terms, Σ w·term / Σ w (unweighted: divided by
///   the number of terms). This is the default, and what frameworks report.
/// - `sum`: the weighted sum Σ w·term.
enum class Reduction { mean, sum };

}  // namespace losses

#endif  // LOSSES_REDUCTION_HPP
