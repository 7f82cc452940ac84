#!/usr/bin/python3
"""Independent reference values for losses::log_loss and losses::metrics.

WHAT IT DOES
    Builds a fixed list of cases (fixed numpy seed) for log_loss, the regression
    metrics (mean squared error, root mean squared error, mean absolute error, per
    output and averaged) and accuracy, computes the expected values without the C++
    library, and writes them as C++ initialisers to tests/reference/metrics_values.hpp
    (next to this script).

HOW TO RUN
    From the repository root:

        /usr/bin/python3 tests/reference/generate_metrics.py

    It needs Debian's python3 with numpy, mpmath and scikit-learn 1.2.1
    (python3-numpy, python3-mpmath, python3-sklearn).  It exits with a non-zero
    status, and writes nothing, if any cross-check below disagrees.

WHERE THE NUMBERS COME FROM
    * log_loss.  The library follows scikit-learn 1.7, which no longer renormalises
      rows and clips to [eps, 1 - eps] with eps the machine epsilon of y_pred's type.
      scikit-learn 1.2.1 (the one Debian ships) renormalises rows after clipping, so:
        - where every row sums to one and nothing is clipped, the value written is
          sklearn 1.2.1's log_loss, cross-checked against mpmath (rel 1e-13);
        - elsewhere (rows that do not sum to one, clipped predictions, float cases)
          the value is mpmath at 50 digits from the 1.7 formula
          -sum_i w_i log(clip(q_i, eps, 1 - eps)) [/ sum_i w_i], where q_i is the
          row's probability of its label, 1 - p computed in the case's type for the
          1-D binary form (as numpy does), and 1 - eps is rounded to that type.
      The "rows do not sum to one" flag is numpy.allclose(row sums, 1,
      rtol=sqrt(eps)), scikit-learn 1.7's own test, on the row sums numpy computes in
      the case's type.  The literal scikit-learn 1.7 values listed in issue 4 are
      re-derived here with mpmath and asserted (rel 1e-14) before anything is written.
    * Regression metrics: sklearn 1.2.1 mean_squared_error and mean_absolute_error
      with multioutput="raw_values" and sample_weight; the root mean squared error
      per output is the square root of the raw mean squared error, and every average
      over outputs is numpy.average with the output weights (or the plain mean).
      Each is cross-checked against mpmath (rel 1e-12).
    * Accuracy: the predicted classes are computed here with numpy (score >
      threshold for one column, numpy.argmax (first maximum) for K columns, the
      predicted labels as they are), then sklearn 1.2.1 accuracy_score with
      sample_weight; cross-checked against a count in exact fractions.
    Float cases hold float32-representable inputs and are meant to run with
    Scalar = float.
"""

import math
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import sklearn
from mpmath import mp, mpf
from sklearn.metrics import accuracy_score, log_loss, mean_absolute_error, mean_squared_error

mp.dps = 50
SEED = 20250611
OUT = Path(__file__).resolve().parent / "metrics_values.hpp"
SKL = f"sklearn {sklearn.__version__}"
MPM = f"mpmath {mpmath.__version__} (50 digits)"
FAILURES = []


def check(ok, message):
    if not ok:
        FAILURES.append(message)


def close(a, b, rel):
    return abs(a - b) <= rel * abs(b)


def f32(a):
    """Round to float32 and back: inputs of the float cases."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------
# log_loss
# --------------------------------------------------------------------------
def log_loss_mp(y, p, weights, labels, is_float):
    """(mean, sum) by the scikit-learn 1.7 formula, in mpmath."""
    dtype = np.float32 if is_float else np.float64
    eps = np.finfo(dtype).eps
    hi = float(dtype(1) - dtype(eps))
    classes = sorted(set(labels if labels is not None else y))
    p = np.asarray(p, dtype=dtype)
    assert len(classes) == (2 if p.ndim == 1 else p.shape[1]), "one column per class"
    total, weight_total = mpf(0), mpf(0)
    for i, label in enumerate(y):
        c = classes.index(label)
        if p.ndim == 1:
            q = float(p[i]) if c == 1 else float(dtype(1) - p[i])  # 1 - p in the case's type
        else:
            q = float(p[i, c])
        q = min(max(q, float(eps)), hi)
        w = mpf(1) if weights is None else mpf(float(weights[i]))
        total += w * -mpmath.log(mpf(q))
        weight_total += w
    return total / weight_total, total


def not_normalized(p, is_float):
    """scikit-learn 1.7's test: (flag, first row)."""
    dtype = np.float32 if is_float else np.float64
    p = np.asarray(p, dtype=dtype)
    if p.ndim == 1:
        p = np.stack([1 - p, p], axis=1)
    sums = p.sum(axis=1)
    rtol = np.sqrt(np.finfo(dtype).eps)
    bad = [i for i in range(len(sums)) if not np.allclose(sums[i], 1, rtol=rtol)]
    assert np.allclose(sums, 1, rtol=rtol) == (not bad)
    return (bool(bad), bad[0] if bad else -1)


LOG_LOSS = []


def log_loss_case(name, y, p, weights=None, labels=None, is_float=False, use_sklearn=True, note=""):
    p = np.asarray(p, dtype=np.float64)
    if is_float:
        p = f32(p)
    weights = None if weights is None else np.asarray(weights, dtype=np.float64)
    mean, total = log_loss_mp(y, p, weights, labels, is_float)
    flag, first = not_normalized(p, is_float)
    source = MPM + ", scikit-learn 1.7's formula"
    mean_value, sum_value = float(mean), float(total)
    if use_sklearn:
        assert not flag and not is_float
        kwargs = {"sample_weight": weights, "labels": labels}
        sk_mean = log_loss(y, p, **kwargs)
        sk_sum = log_loss(y, p, normalize=False, **kwargs)
        check(close(sk_mean, mean_value, 1e-13), f"{name}: sklearn {sk_mean} vs mpmath {mean_value}")
        check(close(sk_sum, sum_value, 1e-13), f"{name}: sklearn {sk_sum} vs mpmath {sum_value}")
        mean_value, sum_value = float(sk_mean), float(sk_sum)
        source = f"{SKL} log_loss, cross-checked against {MPM}"
    if note:
        source += "; " + note
    LOG_LOSS.append(dict(name=name, source=source, is_float=is_float, p=p, y=list(y), labels=labels,
                         weights=weights, mean=mean_value, sum=sum_value, flag=flag, first=first))


def literal_checks():
    """The scikit-learn 1.7 values of issue 4, re-derived from the formula."""
    def expect(y, p, value, weights=None, labels=None, normalize=True, is_float=False):
        mean, total = log_loss_mp(y, np.asarray(p), weights, labels, is_float)
        got = float(mean if normalize else total)
        check(close(got, value, 1e-14), f"literal {value}: mpmath gives {got}")

    yes_no = ["no", "no", "no", "yes", "yes", "yes"]
    expect(yes_no, [[.5, .5], [.1, .9], [.01, .99], [.9, .1], [.75, .25], [.001, .999]], 1.881797068998267)
    three = [[.2, .7, .1], [.6, .2, .2], [.6, .1, .3]]
    expect([1, 0, 2], three, 0.6904911240102196)
    expect([1, 0, 2] * 2, three * 2, 4.142946744061318, normalize=False)
    expect(["ham", "spam", "spam", "ham"], [[.3, .7], [.6, .4], [.4, .6], [.7, .3]], 0.7469410259762035)
    expect([2, 2], [[.1, .9], [.1, .9]], 0.10536051565782628, labels=[1, 2])
    expect([1, 2, 2], [[.7, .1, .2], [.2, .7, .1], [.1, .7, .2]], 0.35667494393873245, labels=[1, 2, 3])
    spam = ["spam", "ham", "ham", "spam"]
    expect(spam, [[.1, .9], [.9, .1], [.8, .2], [.35, .65]], 0.21616187468057912)
    expect(spam, [.9, .1, .2, .65], 0.21616187468057912)
    expect([0, 1, 1], [.2, .7, .4], 0.6142276058023566, weights=[1, 2, 3])
    expect([0, 1, 1], [.2, .7, .4], 3.6853656348141395, weights=[1, 2, 3], normalize=False)
    expect([0, 1], [1.0, 0.0], 52 * math.log(2))
    expect([0, 1], [1.0, 0.0], 23 * math.log(2), is_float=True)


def log_loss_cases(rng):
    n, k = 60, 4
    y = rng.integers(0, k, n)
    p = softmax_rows(rng.normal(size=(n, k)))
    log_loss_case("four_classes_60_rows", y, p)
    w = rng.uniform(0, 2, n)
    w[[3, 17, 40]] = 0
    log_loss_case("four_classes_60_rows_weighted", y, p, weights=w)

    y = rng.choice([-3, 7], 20)
    p = softmax_rows(rng.normal(size=(20, 3)))
    log_loss_case("labels_with_a_class_absent_from_y_true", y, p, labels=[10, -3, 7],
                  note="labels passed unsorted as [10, -3, 7]")

    animals = ["emu", "cat", "dog"]
    y = [animals[i] for i in rng.integers(0, 3, 25)]
    p = softmax_rows(rng.normal(size=(25, 3)))
    log_loss_case("string_labels", y, p, weights=rng.uniform(0.5, 1.5, 25))

    y = rng.integers(0, 2, 30)
    p = rng.uniform(0.02, 0.98, 30)
    log_loss_case("binary_1d_weighted", y, p, weights=rng.uniform(0, 3, 30))

    y = rng.integers(0, 2, 300)  # beyond one 256-row block
    p = rng.uniform(0.001, 0.999, 300)
    log_loss_case("binary_1d_300_rows", y, p)

    # Clipped predictions (exact 0 and 1, and within eps of them): sklearn 1.2.1
    # renormalises after clipping, so these are mpmath's.
    eps = 2.0 ** -52
    p = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [eps / 4, 1 - eps / 4, 0.0], [0.25, 0.25, 0.5]]
    log_loss_case("clipped_certain_predictions", [0, 0, 2, 0, 2], p, weights=[1, 2, 0.5, 1, 1], labels=[0, 1, 2],
                  use_sklearn=False)
    log_loss_case("clipped_1d", [0, 1, 1, 0], [1.0, 0.0, 1.0, 0.0], use_sklearn=False)

    # Rows that do not sum to one: scored as given and flagged.
    log_loss_case("rows_not_summing_to_one", [0, 1, 1, 0], [[.2, .7], [.6, .3], [.4, .7], [.8, .3]],
                  use_sklearn=False, note="issue 4's example")
    log_loss_case("only_the_last_row_off", [0, 1, 2, 1], [[.2, .3, .5], [.1, .1, .8], [.3, .3, .4], [.2, .2, .6 + 1e-6]],
                  use_sklearn=False)
    log_loss_case("row_off_within_tolerance", [0, 1], [[.5, .5 + 2e-8], [.25, .75]], use_sklearn=False,
                  note="2e-8 is within sqrt(eps) + 1e-8")
    log_loss_case("row_off_beyond_tolerance", [0, 1], [[.25, .75], [.5, .5 + 3e-8]], use_sklearn=False)

    # float
    y = rng.integers(0, 3, 40)
    p = f32(softmax_rows(rng.normal(size=(40, 3))))
    log_loss_case("float_three_classes", y, p, weights=f32(rng.uniform(0, 2, 40)), is_float=True, use_sklearn=False)
    log_loss_case("float_binary_1d", rng.integers(0, 2, 12), f32(rng.uniform(0, 1, 12)), is_float=True,
                  use_sklearn=False)
    log_loss_case("float_row_off_beyond_tolerance", [1, 0], [[.25, .75], [.5, .5004]], is_float=True,
                  use_sklearn=False)
    log_loss_case("float_row_off_within_tolerance", [1, 0], [[.25, .75], [.5, .5003]], is_float=True,
                  use_sklearn=False)
    log_loss_case("float_opposite_certainty", [0, 1], [1.0, 0.0], is_float=True, use_sklearn=False)


# --------------------------------------------------------------------------
# Regression metrics
# --------------------------------------------------------------------------
REGRESSION = []


def regression_case(name, y, p, sample_weight=None, output_weights=None, is_float=False, integer_targets=False):
    y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    p = np.asarray(p, dtype=np.float64).reshape(len(p), -1)
    if is_float:
        y, p = f32(y), f32(p)
    if integer_targets:
        y = np.round(y)
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    ow = None if output_weights is None else np.asarray(output_weights, dtype=np.float64)
    mse_raw = mean_squared_error(y, p, sample_weight=sw, multioutput="raw_values")
    mae_raw = mean_absolute_error(y, p, sample_weight=sw, multioutput="raw_values")
    rmse_raw = np.sqrt(mse_raw)
    average = (lambda v: float(np.mean(v))) if ow is None else (lambda v: float(np.average(v, weights=ow)))
    mse = float(mean_squared_error(y, p, sample_weight=sw, multioutput="uniform_average" if ow is None else ow))
    check(close(mse, average(mse_raw), 1e-14), f"{name}: sklearn's averaged mse")

    # Cross-check in mpmath.
    n, m = p.shape
    w = [mpf(1)] * n if sw is None else [mpf(float(x)) for x in sw]
    for j in range(m):
        d = [mpf(float(p[i, j])) - mpf(float(y[i, j])) for i in range(n)]
        mse_j = sum(w[i] * d[i] ** 2 for i in range(n)) / sum(w)
        mae_j = sum(w[i] * abs(d[i]) for i in range(n)) / sum(w)
        check(close(float(mse_j), mse_raw[j], 1e-12), f"{name}: mse[{j}] sklearn vs mpmath")
        check(close(float(mae_j), mae_raw[j], 1e-12), f"{name}: mae[{j}] sklearn vs mpmath")
        check(close(float(mpmath.sqrt(mse_j)), rmse_raw[j], 1e-12), f"{name}: rmse[{j}] numpy vs mpmath")
    REGRESSION.append(dict(name=name, is_float=is_float, integer_targets=integer_targets, y=y, p=p, sw=sw, ow=ow,
                           mse=mse, rmse=average(rmse_raw), mae=average(mae_raw), mse_raw=mse_raw,
                           rmse_raw=rmse_raw, mae_raw=mae_raw,
                           source=f"{SKL} mean_squared_error / mean_absolute_error (raw_values), RMSE = sqrt of "
                                  f"raw MSE, numpy.average over outputs; cross-checked against {MPM}"))


def regression_cases(rng):
    y = rng.normal(size=10)
    regression_case("one_output_10_rows", y, y + rng.normal(scale=0.5, size=10))
    y = rng.normal(size=(50, 3)) * [1, 10, 0.1]
    p = y + rng.normal(size=(50, 3)) * [0.3, 2, 0.05]
    sw = rng.uniform(0, 2, 50)
    sw[[5, 6]] = 0
    regression_case("three_outputs_sample_weights", y, p, sample_weight=sw)
    regression_case("three_outputs_output_weights", y, p, output_weights=[0.2, 0.5, 0.3])
    regression_case("three_outputs_both_weights", y, p, sample_weight=sw, output_weights=[1, 0, 3])
    y = rng.normal(size=(1000, 2)) * 100
    regression_case("thousand_rows", y, y + rng.standard_t(3, size=(1000, 2)))
    y = rng.normal(size=(20, 2)) * 5
    regression_case("integer_targets", y, y + rng.normal(size=(20, 2)), integer_targets=True)
    y = rng.normal(size=(30, 2))
    regression_case("float_two_outputs", y, y + rng.normal(scale=0.2, size=(30, 2)),
                    sample_weight=f32(rng.uniform(0, 1, 30)), is_float=True)


# --------------------------------------------------------------------------
# Accuracy
# --------------------------------------------------------------------------
ACCURACY = []
KINDS = ("probabilities", "logits", "labels")


def accuracy_case(name, kind, labels, scores, threshold=None, sample_weight=None, is_float=False):
    labels = np.asarray(labels, dtype=np.int64)
    n = len(labels)
    if kind == "labels":
        predicted = np.asarray(scores, dtype=np.int64)
        scores2d = None
    else:
        scores2d = np.asarray(scores, dtype=np.float64).reshape(n, -1)
        if is_float:
            scores2d = f32(scores2d)
        t = threshold if threshold is not None else (0.5 if kind == "probabilities" else 0.0)
        if is_float:
            t = float(np.float32(t))  # the threshold is a float too
        if scores2d.shape[1] == 1:
            predicted = (scores2d[:, 0] > t).astype(np.int64)
        else:
            predicted = np.argmax(scores2d, axis=1)
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    value = float(accuracy_score(labels, predicted, sample_weight=sw))
    w = [Fraction(1)] * n if sw is None else [Fraction(float(x)) for x in sw]
    exact = sum(wi for wi, a, b in zip(w, labels, predicted) if a == b) / sum(w)
    check(close(value, float(exact), 1e-15), f"{name}: accuracy_score {value} vs {float(exact)}")
    ACCURACY.append(dict(name=name, kind=kind, labels=labels, scores=scores2d, predicted=predicted if kind == "labels"
                         else None, threshold=threshold, sw=sw, is_float=is_float, value=value,
                         source=f"{SKL} accuracy_score on classes predicted by numpy (> threshold, argmax); "
                                "cross-checked by an exact count"))


def accuracy_cases(rng):
    labels = rng.integers(0, 2, 40)
    p = rng.uniform(0, 1, 40)
    p[[0, 7, 12]] = 0.5  # exactly at the threshold: class 0
    accuracy_case("binary_probabilities", "probabilities", labels, p)
    accuracy_case("binary_probabilities_threshold_weighted", "probabilities", labels, p, threshold=0.3,
                  sample_weight=rng.uniform(0, 2, 40))
    z = rng.normal(size=40) * 3
    z[[1, 2]] = 0.0
    accuracy_case("binary_logits", "logits", labels, z)
    labels = rng.integers(0, 4, 30)
    p = softmax_rows(rng.normal(size=(30, 4)))
    p[3] = [0.4, 0.1, 0.4, 0.1]  # a tie: the first maximum wins
    p[4] = [0.25, 0.25, 0.25, 0.25]
    accuracy_case("four_class_probabilities", "probabilities", labels, p)
    accuracy_case("four_class_logits_weighted", "logits", labels, rng.normal(size=(30, 4)),
                  sample_weight=rng.integers(0, 4, 30))
    truth = rng.integers(-2, 5, 25)
    guess = np.where(rng.uniform(size=25) < 0.6, truth, rng.integers(-2, 5, 25))
    accuracy_case("predicted_labels_weighted", "labels", truth, guess, sample_weight=rng.uniform(0, 1, 25))
    labels = rng.integers(0, 3, 20)
    accuracy_case("float_three_class_logits", "logits", labels, rng.normal(size=(20, 3)), is_float=True)
    accuracy_case("float_binary_probabilities", "probabilities", rng.integers(0, 2, 20), rng.uniform(0, 1, 20),
                  threshold=0.7, is_float=True)


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
def num(x):
    x = float(x)
    assert math.isfinite(x)
    return repr(x)


class Writer:
    def __init__(self):
        self.lines = []
        self.count = 0

    def array(self, ctype, values, fmt=num, quote=False):
        """A named constexpr array; returns its Span initialiser."""
        if values is None or len(values) == 0:
            return "{nullptr, 0}"
        self.count += 1
        name = f"data_{self.count}"
        items = [('"' + v + '"') if quote else fmt(v) for v in values]
        body = ",\n  ".join(", ".join(items[i:i + 8]) for i in range(0, len(items), 8))
        self.lines.append(f"inline constexpr {ctype} {name}[] = {{\n  {body}}};")
        return f"{{{name}, {len(values)}}}"


HEADER = """// Generated by tests/reference/generate_metrics.py; do not edit by hand.
// Reference values for losses::log_loss and losses::metrics; see the script for sources.
#pragma once
#include <cstddef>
namespace metrics_reference {
template <class T>
struct Span {
  const T* data;
  std::size_t count;
  constexpr std::size_t size() const { return count; }
  constexpr bool empty() const { return count == 0; }
  constexpr const T& operator[](std::size_t i) const { return data[i]; }
  constexpr const T* begin() const { return data; }
  constexpr const T* end() const { return data + count; }
};
struct LogLossCase {
  const char* name;
  const char* source;
  bool is_float;                     // float32 inputs, run with Scalar = float
  long rows, cols;                   // y_pred is rows x cols; cols == 1: the 1-D binary form
  Span<long> y_true;                 // integer labels, or empty when string labels are used
  Span<const char*> y_true_strings;  // string labels, or empty
  Span<long> labels;                 // LogLossOptions::labels (integer), or empty
  Span<const char*> labels_strings;  // LogLossOptions::labels (string), or empty
  Span<double> y_pred;               // row-major
  Span<double> sample_weight;        // empty: unweighted
  double mean;                       // normalize = true
  double sum;                        // normalize = false
  bool rows_not_normalized;          // scikit-learn 1.7 would warn
  long first_row;                    // the first row not summing to one, or -1
};
struct RegressionCase {
  const char* name;
  const char* source;
  bool is_float;
  bool integer_targets;        // y_true holds integers: run it as an int array
  long rows, cols;
  Span<double> y_true;         // row-major
  Span<double> y_pred;         // row-major
  Span<double> sample_weight;  // empty: unweighted
  Span<double> output_weights; // empty: uniform average over outputs
  double mse, rmse, mae;       // averaged over outputs
  Span<double> mse_raw, rmse_raw, mae_raw;  // per output
};
enum class Kind { probabilities, logits, labels };
struct AccuracyCase {
  const char* name;
  const char* source;
  bool is_float;
  Kind kind;
  long rows, cols;             // scores' shape (labels kind: rows x 1)
  Span<long> labels;           // true labels
  Span<double> scores;         // row-major, probabilities or logits; empty for the labels kind
  Span<long> predicted;        // the labels kind: predicted labels
  bool default_threshold;      // true: call accuracy without a threshold
  double threshold;            // otherwise the threshold to pass
  Span<double> sample_weight;  // empty: unweighted
  double accuracy;
};
"""


def write():
    w = Writer()
    log_rows, reg_rows, acc_rows = [], [], []
    for c in LOG_LOSS:
        strings = isinstance(c["y"][0], str)
        y_long = w.array("long", None if strings else [int(v) for v in c["y"]], fmt=str)
        y_str = w.array("const char*", c["y"] if strings else None, quote=True)
        lab = c["labels"]
        lab_long = w.array("long", None if lab is None or strings else [int(v) for v in lab], fmt=str)
        lab_str = w.array("const char*", lab if lab is not None and strings else None, quote=True)
        p = c["p"]
        rows, cols = (p.shape[0], 1) if p.ndim == 1 else p.shape
        log_rows.append(
            f'  {{"{c["name"]}", "{c["source"]}", {str(c["is_float"]).lower()}, {rows}, {cols},\n'
            f'   {y_long}, {y_str}, {lab_long}, {lab_str},\n'
            f'   {w.array("double", p.reshape(-1))}, {w.array("double", c["weights"])},\n'
            f'   {num(c["mean"])}, {num(c["sum"])}, {str(c["flag"]).lower()}, {c["first"]}}}')
    for c in REGRESSION:
        rows, cols = c["p"].shape
        reg_rows.append(
            f'  {{"{c["name"]}", "{c["source"]}", {str(c["is_float"]).lower()}, '
            f'{str(c["integer_targets"]).lower()}, {rows}, {cols},\n'
            f'   {w.array("double", c["y"].reshape(-1))}, {w.array("double", c["p"].reshape(-1))},\n'
            f'   {w.array("double", c["sw"])}, {w.array("double", c["ow"])},\n'
            f'   {num(c["mse"])}, {num(c["rmse"])}, {num(c["mae"])},\n'
            f'   {w.array("double", c["mse_raw"])}, {w.array("double", c["rmse_raw"])}, '
            f'{w.array("double", c["mae_raw"])}}}')
    for c in ACCURACY:
        n = len(c["labels"])
        cols = 1 if c["scores"] is None else c["scores"].shape[1]
        scores = None if c["scores"] is None else c["scores"].reshape(-1)
        predicted = None if c["predicted"] is None else [int(v) for v in c["predicted"]]
        default = c["threshold"] is None
        acc_rows.append(
            f'  {{"{c["name"]}", "{c["source"]}", {str(c["is_float"]).lower()}, Kind::{c["kind"]}, {n}, {cols},\n'
            f'   {w.array("long", [int(v) for v in c["labels"]], fmt=str)}, {w.array("double", scores)}, '
            f'{w.array("long", predicted, fmt=str)},\n'
            f'   {str(default).lower()}, {num(0.0 if default else c["threshold"])}, {w.array("double", c["sw"])}, '
            f'{num(c["value"])}}}')
    text = (HEADER + "\n".join(w.lines) + "\n"
            + "inline constexpr LogLossCase log_loss_cases[] = {\n" + ",\n".join(log_rows) + "};\n"
            + "inline constexpr RegressionCase regression_cases[] = {\n" + ",\n".join(reg_rows) + "};\n"
            + "inline constexpr AccuracyCase accuracy_cases[] = {\n" + ",\n".join(acc_rows) + "};\n"
            + "}  // namespace metrics_reference\n")
    OUT.write_text(text)


def main():
    rng = np.random.default_rng(SEED)
    literal_checks()
    log_loss_cases(rng)
    regression_cases(rng)
    accuracy_cases(rng)
    if FAILURES:
        print("cross-checks failed; nothing written:", *FAILURES, sep="\n  ", file=sys.stderr)
        return 1
    write()
    print(f"wrote {len(LOG_LOSS)} log_loss, {len(REGRESSION)} regression and {len(ACCURACY)} accuracy cases to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
