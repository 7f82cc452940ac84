#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus, tests/fuzz/corpus/: one small input per case below, so
that libFuzzer starts from every loss, option and edge value the harness can express instead
of from random bytes. The format is the one losses_fuzzer.cpp documents at its top.

Deterministic (no randomness); run from anywhere with `python3 tests/fuzz/make_corpus.py`.
The directory is rewritten: files of cases no longer listed here are removed.
"""

import pathlib
import struct

LOSSES = {"mse": 0, "bce": 1, "cce": 2, "sparse": 3, "log_loss": 4}

# The value kinds, in the order of losses_fuzzer.cpp's Kind, with their parameter bytes.
KINDS = [
    ("zero", 0), ("one", 0), ("unit16", 2), ("negative_zero", 0), ("ulps_above_zero", 1),
    ("ulps_below_one", 1), ("ulps_above_one", 1), ("near_epsilon", 1), ("near_one_minus_epsilon", 1),
    ("subnormal", 2), ("near_min_normal", 1), ("huge", 1), ("huge_negative", 1), ("power_of_two", 2),
    ("infinity", 0), ("negative_infinity", 0), ("not_a_number", 0), ("real16", 2), ("big_logit", 2),
    ("raw_bits", None), ("near_half", 1), ("negative_tiny", 1), ("negative_unit16", 2),
]
KIND = {name: (index, size) for index, (name, size) in enumerate(KINDS)}

REDUCTION = {None: 0, "mean": 3, "sum": 4, "invalid": 7}
EPSILON = {None: 0, "zero": 4, "lowest": 5, "below_lowest": 6, "half": 7, "below_half": 8, "keras": 9,
           "nan": 10, "negative": 11, "parameter": 12, "infinity": 13, "quarter_ulps": 14, "power_of_two": 15}
SMOOTHING = {None: 0, "zero": 6, "one": 7, "tenth": 8, "parameter": 9, "negative_zero": 10, "above_one": 11,
             "negative_tiny": 12, "nan": 13, "tiny": 14, "below_one": 15}
VECTOR_OPTION = {None: 0, "exact": 4, "longer": 6, "shorter": 7}  # log_loss: labels 0..C-1, C+1 of them, drawn
IGNORE = {None: 0, "-100": 8, "0": 9, "K-1": 10, "K": 11, "int64_max": 12, "int64_min": 13, "-1": 14,
          "parameter": 15}
WEIGHTS = {None: 0, "column": 5, "row": 7, "element": 8, "longer": 10, "transposed": 11, "wider": 12,
           "shorter": 13, "empty": 14, "two_rows": 15}
LOG_LOSS_WEIGHTS = {None: 0, "n": 8, "longer": 14, "shorter": 15}
SHAPE = {None: 0, "rows+1": 12, "cols+1": 13, "transposed": 14, "rows-1": 15,   # dense y_true
         "column": 0, "row": 8, "longer": 12, "shorter_row": 13, "two_rows": 14, "two_cols": 15}  # labels
SPECIAL_LABELS = {"-1": 224, "K": 225, "INT_MAX": 226, "INT_MIN": 227, "-100": 228, "K+1": 229}


def value(kind, parameter=0, double=False):
    """One element: its kind byte and parameter bytes."""
    index, size = KIND[kind]
    if size is None:
        size = 8 if double else 4
    return bytes([index]) + parameter.to_bytes(size, "little") if size else bytes([index])


def unit(x):
    """x in [0, 1], to 1/65535."""
    return value("unit16", round(x * 65535))


def real(x):
    """x in [-128, 128), to 1/256."""
    return value("real16", round(x * 256) + 32768)


def array(elements):
    """Elements in "anything" mode: each one is exactly the kind written."""
    return bytes([3]) + b"".join(elements)


def labels(values):
    """Labels in "anything" mode: a class index below 224, or a name of SPECIAL_LABELS."""
    out = [3]
    for v in values:
        out.append(SPECIAL_LABELS[v] if isinstance(v, str) else v)
    return bytes(out)


def header(loss, n, m, double=False, row_major=False, weights_row_major=False, from_logits=False,
           renormalize=False, labels_row_major=False, eigen_labels=False, normalize=True, input_padding=0,
           output_padding=0, report=True, shape=None, reduction=None, epsilon=None, epsilon_parameter=0,
           smoothing=None, smoothing_parameter=0, vector_option=None, ignore=None, ignore_parameter=0,
           weights=None):
    flags = (double << 0 | row_major << 1 | weights_row_major << 2 | from_logits << 3 | renormalize << 4
             | labels_row_major << 5 | eigen_labels << 6 | (not normalize) << 7)
    padding = input_padding | output_padding << 2 | (not report) << 4
    weight_selector = (LOG_LOSS_WEIGHTS if loss == "log_loss" else WEIGHTS)[weights]
    return (bytes([LOSSES[loss], flags, n, m, padding, SHAPE[shape], REDUCTION[reduction], EPSILON[epsilon]])
            + struct.pack("<H", epsilon_parameter) + bytes([SMOOTHING[smoothing]])
            + struct.pack("<H", smoothing_parameter) + bytes([VECTOR_OPTION[vector_option], IGNORE[ignore]])
            + struct.pack("<i", ignore_parameter) + bytes([weight_selector]))


def grid(rows):
    """A row-major list of lists as one array."""
    return array([x for row in rows for x in row])


ONE, ZERO, NAN, INF, NEG_INF = value("one"), value("zero"), value("not_a_number"), value("infinity"), value(
    "negative_infinity")
SUB = value("subnormal", 7)
TINY = value("ulps_above_zero", 0)  # the smallest subnormal
ALMOST_ONE = value("ulps_below_one", 1)


def cases():
    c = {}
    # MeanSquaredError: reductions, weights of every shape, overflow, errors.
    c["mse-float"] = header("mse", 4, 2) + grid([[real(0.5), real(-1)], [real(2), real(3)], [real(0), real(1)],
                                                  [real(-4), real(8)]]) + grid(
        [[real(0.25), real(-1)], [real(1.5), real(4)], [real(0), real(2)], [real(-3), real(8)]])
    c["mse-double-row-major-padded-sum"] = header("mse", 3, 3, double=True, row_major=True, input_padding=2,
                                                  output_padding=1, reduction="sum") + grid(
        [[real(1), real(2), real(3)], [real(-1), real(0.5), ZERO], [SUB, TINY, value("power_of_two", 1000)]]) + grid(
        [[real(0), real(2), real(1)], [real(1), real(-0.5), value("negative_zero")], [ZERO, SUB, ONE]])
    c["mse-sample-weights"] = header("mse", 3, 2, weights="column") + grid(
        [[real(1), real(2)], [real(3), real(4)], [real(5), real(6)]]) + grid(
        [[real(0), real(0)], [real(1), real(1)], [real(2), real(2)]]) + array([real(1), real(0), real(3)])
    c["mse-element-weights-row-major"] = header("mse", 2, 3, weights="element", weights_row_major=True,
                                                input_padding=1) + grid(
        [[real(1), real(2), real(3)], [real(4), real(5), real(6)]]) + grid(
        [[real(0), real(1), real(0)], [real(1), real(0), real(1)]]) + grid([[ONE, ZERO, ONE], [unit(0.5), ONE, ZERO]])
    c["mse-zero-total-weight"] = header("mse", 2, 1, weights="column") + array([real(1), real(2)]) + array(
        [real(0), real(0)]) + array([ZERO, ZERO])
    c["mse-huge-overflow"] = header("mse", 2, 1, double=True) + array([value("huge", 0), real(1)]) + array(
        [value("huge_negative", 0), real(0)])
    c["mse-nan-target"] = header("mse", 2, 2) + grid([[real(1), real(2)], [real(3), real(4)]]) + grid(
        [[real(1), real(2)], [NAN, real(4)]])
    c["mse-shape-mismatch"] = header("mse", 3, 2, shape="transposed") + grid(
        [[real(1), real(2)], [real(3), real(4)], [real(5), real(6)]]) + grid([[real(1), real(2), real(3)],
                                                                             [real(4), real(5), real(6)]])
    c["mse-empty"] = header("mse", 0, 3)
    c["mse-weights-too-long"] = header("mse", 2, 1, weights="longer") + array([real(1), real(2)]) + array(
        [real(0), real(0)]) + array([ONE, ONE, ONE])
    c["mse-negative-weight"] = header("mse", 2, 1, weights="row") + array([real(1), real(2)]) + array(
        [real(0), real(0)]) + array([ONE, value("negative_unit16", 100)])
    c["mse-invalid-reduction"] = header("mse", 1, 1, reduction="invalid") + array([real(1)]) + array([real(0)])

    # BinaryCrossEntropy: clipping edges, ε = 0, logits and their limits, pos_weight, smoothing.
    c["bce-probabilities"] = header("bce", 3, 2) + grid([[unit(0.1), unit(0.9)], [unit(0.5), unit(0.3)],
                                                         [unit(0.99), unit(0.01)]]) + grid(
        [[ZERO, ONE], [ONE, ZERO], [unit(0.7), unit(0.2)]])
    c["bce-clip-edges-double"] = header("bce", 2, 4, double=True) + grid(
        [[ZERO, ONE, value("near_epsilon", 127), value("near_epsilon", 128)],
         [value("near_one_minus_epsilon", 128), value("near_one_minus_epsilon", 129), TINY, ALMOST_ONE]]) + grid(
        [[ONE, ZERO, ONE, ZERO], [ZERO, ONE, ONE, ZERO]])
    c["bce-epsilon-zero-exact"] = header("bce", 2, 3, epsilon="zero") + grid(
        [[ZERO, ONE, unit(0.5)], [ONE, ZERO, SUB]]) + grid([[ZERO, ONE, unit(0.5)], [ZERO, ONE, ONE]])
    c["bce-logits-infinite"] = header("bce", 2, 3, from_logits=True) + grid(
        [[INF, NEG_INF, INF], [NEG_INF, real(0), real(-3)]]) + grid([[ONE, ZERO, unit(0.5)], [ZERO, ONE, ZERO]])
    c["bce-logits-big-double"] = header("bce", 2, 2, double=True, from_logits=True, reduction="sum") + grid(
        [[value("big_logit", 2 * 200), value("big_logit", 2 * 200 + 1)], [value("big_logit", 2 * 30 + 1), real(100)]]) + grid(
        [[ZERO, ONE], [ONE, ZERO]])
    c["bce-pos-weight"] = header("bce", 2, 2, vector_option="exact") + grid(
        [[unit(0.2), unit(0.8)], [unit(0.6), unit(0.4)]]) + grid([[ONE, ZERO], [ONE, ONE]]) + array(
        [real(3), unit(0.5)])
    c["bce-pos-weight-logits-smoothing"] = header("bce", 2, 2, from_logits=True, smoothing="tenth",
                                                  vector_option="exact") + grid(
        [[real(2), real(-2)], [real(-40), real(40)]]) + grid([[ONE, ZERO], [ONE, ZERO]]) + array([real(10), ZERO])
    c["bce-pos-weight-wrong-length"] = header("bce", 1, 2, vector_option="longer") + grid(
        [[unit(0.2), unit(0.8)]]) + grid([[ONE, ZERO]]) + array([ONE, ONE, ONE])
    c["bce-smoothing-parameter-sum"] = header("bce", 2, 1, smoothing="parameter", smoothing_parameter=13107,
                                              reduction="sum") + array([unit(0.3), ALMOST_ONE]) + array([ONE, ONE])
    c["bce-invalid-epsilon"] = header("bce", 1, 1, epsilon="below_lowest") + array([unit(0.5)]) + array([ONE])
    c["bce-invalid-smoothing"] = header("bce", 1, 1, smoothing="nan") + array([unit(0.5)]) + array([ONE])
    c["bce-soft-targets-element-weights"] = header("bce", 2, 2, double=True, weights="element") + grid(
        [[unit(0.3), unit(0.6)], [unit(0.9), unit(0.05)]]) + grid(
        [[unit(0.25), unit(0.75)], [unit(0.5), ONE]]) + grid([[ONE, real(2)], [ZERO, unit(0.5)]])
    c["bce-probability-above-one"] = header("bce", 2, 1) + array([unit(0.5), value("ulps_above_one", 0)]) + array(
        [ONE, ZERO])
    c["bce-subnormal-probabilities-epsilon-zero"] = header("bce", 4, 2, epsilon="zero") + grid(
        [[SUB, SUB], [SUB, SUB], [TINY, TINY], [value("near_min_normal", 100), SUB]]) + grid(
        [[ONE, ONE], [ONE, ONE], [ONE, ONE], [ONE, ONE]])

    # CategoricalCrossEntropy: one-hot and soft rows, class weights, renormalize, logits.
    c["cce-one-hot"] = header("cce", 3, 3) + grid(
        [[unit(0.7), unit(0.2), unit(0.1)], [unit(0.1), unit(0.8), unit(0.1)], [unit(0.2), unit(0.2), unit(0.6)]]) + grid(
        [[ONE, ZERO, ZERO], [ZERO, ONE, ZERO], [ZERO, ZERO, ONE]])
    c["cce-soft-class-weights-double"] = header("cce", 2, 3, double=True, vector_option="exact",
                                                weights="column") + grid(
        [[unit(0.5), unit(0.3), unit(0.2)], [unit(0.05), unit(0.05), unit(0.9)]]) + grid(
        [[unit(0.6), unit(0.4), ZERO], [ZERO, unit(0.1), unit(0.9)]]) + array([ONE, real(2)]) + array(
        [real(1), real(2.5), unit(0.5)])
    c["cce-renormalize"] = header("cce", 2, 3, renormalize=True) + grid(
        [[unit(0.5), unit(0.5), unit(0.5)], [unit(0.01), unit(0.02), unit(0.03)]]) + grid(
        [[ONE, ZERO, ZERO], [ZERO, unit(0.5), unit(0.5)]])
    c["cce-renormalize-zero-row"] = header("cce", 2, 2, renormalize=True) + grid(
        [[unit(0.5), unit(0.5)], [ZERO, ZERO]]) + grid([[ONE, ZERO], [ZERO, ONE]])
    c["cce-renormalize-epsilon-zero"] = header("cce", 2, 3, renormalize=True, epsilon="zero") + grid(
        [[ZERO, unit(0.5), unit(0.5)], [unit(0.2), ZERO, unit(0.2)]]) + grid(
        [[ZERO, ONE, ZERO], [ONE, ZERO, ZERO]])
    c["cce-logits-infinite"] = header("cce", 3, 3, from_logits=True) + grid(
        [[INF, INF, real(0)], [NEG_INF, real(1), real(2)], [NEG_INF, NEG_INF, NEG_INF]]) + grid(
        [[unit(0.5), unit(0.5), ZERO], [ZERO, ONE, ZERO], [ZERO, ZERO, ZERO]])
    c["cce-logits-smoothing-row-major"] = header("cce", 2, 4, from_logits=True, smoothing="tenth",
                                                 row_major=True) + grid(
        [[real(3), real(-1), real(0), real(90)], [real(-100), real(50), real(0), real(1)]]) + grid(
        [[ONE, ZERO, ZERO, ZERO], [ZERO, ZERO, ONE, ZERO]])
    c["cce-class-weight-negative"] = header("cce", 1, 2, vector_option="exact") + grid([[unit(0.5), unit(0.5)]]) + grid(
        [[ONE, ZERO]]) + array([ONE, value("negative_unit16", 0)])
    c["cce-class-weight-wrong-length"] = header("cce", 1, 3, vector_option="shorter") + grid(
        [[unit(0.2), unit(0.3), unit(0.5)]]) + grid([[ONE, ZERO, ZERO]]) + array([ONE, ONE])
    c["cce-epsilon-below-half"] = header("cce", 2, 2, epsilon="below_half") + grid(
        [[unit(0.4), unit(0.6)], [unit(0.5), unit(0.5)]]) + grid([[ONE, ZERO], [ZERO, ONE]])
    c["cce-epsilon-quarter-ulps-double"] = header("cce", 1, 2, double=True, epsilon="quarter_ulps",
                                                  epsilon_parameter=1) + grid(
        [[value("near_half", 120), value("near_half", 136)]]) + grid([[ONE, ZERO]])
    c["cce-weights-row-vector-padded"] = header("cce", 3, 2, weights="row", input_padding=1) + grid(
        [[unit(0.3), unit(0.7)], [unit(0.6), unit(0.4)], [unit(0.5), unit(0.5)]]) + grid(
        [[ZERO, ONE], [ONE, ZERO], [ONE, ZERO]]) + array([ONE, real(2), real(3)])

    # SparseCategoricalCrossEntropy: labels of every shape and value, ignore_index, options.
    c["sparse-probabilities"] = header("sparse", 3, 3) + grid(
        [[unit(0.7), unit(0.2), unit(0.1)], [unit(0.1), unit(0.8), unit(0.1)], [unit(0.2), unit(0.2), unit(0.6)]]) + labels(
        [0, 1, 2])
    c["sparse-logits-class-weights-smoothing"] = header("sparse", 3, 3, double=True, from_logits=True,
                                                        smoothing="tenth", vector_option="exact",
                                                        weights="column") + grid(
        [[real(2), real(1), real(0)], [real(-5), real(5), real(0)], [INF, real(0), NEG_INF]]) + labels(
        [0, 1, 0]) + array([ONE, real(2), unit(0.5)]) + array([real(1), real(3), unit(0.25)])
    c["sparse-ignore-index-minus-100"] = header("sparse", 3, 2, ignore="-100") + grid(
        [[unit(0.3), unit(0.7)], [NAN, value("ulps_above_one", 3)], [unit(0.9), unit(0.1)]]) + labels(
        [1, "-100", 0])
    c["sparse-all-ignored"] = header("sparse", 2, 2, ignore="0", vector_option="exact") + grid(
        [[unit(0.3), unit(0.7)], [unit(0.9), unit(0.1)]]) + labels([0, 0]) + array([ONE, real(2)])
    c["sparse-label-K"] = header("sparse", 2, 3) + grid(
        [[unit(0.3), unit(0.3), unit(0.4)], [unit(0.3), unit(0.3), unit(0.4)]]) + labels([0, "K"])
    c["sparse-label-int-max-logits"] = header("sparse", 2, 2, from_logits=True) + grid(
        [[real(1), real(2)], [real(3), real(4)]]) + labels(["INT_MAX", 1])
    c["sparse-labels-row-vector-padded"] = header("sparse", 3, 2, shape="row", labels_row_major=False,
                                                  input_padding=2) + grid(
        [[unit(0.3), unit(0.7)], [unit(0.6), unit(0.4)], [unit(0.5), unit(0.5)]]) + labels([1, 0, 1])
    c["sparse-labels-wrong-length"] = header("sparse", 3, 2, shape="longer") + grid(
        [[unit(0.3), unit(0.7)], [unit(0.6), unit(0.4)], [unit(0.5), unit(0.5)]]) + labels([1, 0, 1, 0])
    c["sparse-tiny-smoothing-epsilon-zero"] = header("sparse", 2, 3, smoothing="tiny", epsilon="zero") + grid(
        [[ZERO, unit(0.5), unit(0.5)], [ONE, ZERO, ZERO]]) + labels([1, 0])
    c["sparse-ignore-int64-min-sum"] = header("sparse", 2, 2, ignore="int64_min", reduction="sum") + grid(
        [[unit(0.3), unit(0.7)], [unit(0.6), unit(0.4)]]) + labels(["INT_MIN", 1])

    # log_loss: binary columns, explicit labels, weights, normalize, the report.
    c["log-loss-binary-column"] = header("log_loss", 4, 1) + array(
        [unit(0.9), unit(0.2), ZERO, ONE]) + labels([1, 0, 0, 1])
    c["log-loss-labels-option"] = header("log_loss", 3, 3, vector_option="exact") + grid(
        [[unit(0.7), unit(0.1), unit(0.2)], [unit(0.2), unit(0.7), unit(0.1)], [unit(0.1), unit(0.7), unit(0.2)]]) + labels(
        [0, 1, 1])
    c["log-loss-single-class"] = header("log_loss", 2, 1) + array([unit(0.9), unit(0.8)]) + labels([1, 1])
    c["log-loss-weights-unnormalized-double"] = header("log_loss", 3, 2, double=True, normalize=False,
                                                       weights="n") + grid(
        [[unit(0.4), unit(0.6)], [unit(0.5), unit(0.5)], [ONE, ZERO]]) + labels([1, 0, 1]) + array(
        [ONE, real(2), unit(0.5)])
    c["log-loss-eigen-labels-row-major"] = header("log_loss", 3, 2, eigen_labels=True, labels_row_major=True,
                                                  input_padding=1) + grid(
        [[unit(0.4), unit(0.6)], [unit(0.5), unit(0.5)], [unit(0.1), unit(0.9)]]) + labels([1, 0, 1])
    c["log-loss-zero-weights"] = header("log_loss", 2, 2, weights="n") + grid(
        [[unit(0.4), unit(0.6)], [unit(0.5), unit(0.5)]]) + labels([1, 0]) + array([ZERO, ZERO])
    c["log-loss-rows-not-normalized"] = header("log_loss", 3, 3, vector_option="exact") + grid(
        [[unit(0.5), unit(0.5), unit(0.5)], [unit(0.2), unit(0.7), unit(0.1)], [unit(0.1), unit(0.1), unit(0.1)]]) + labels(
        [0, 1, 2])
    c["log-loss-special-labels"] = header("log_loss", 3, 1, vector_option="longer") + array(
        [unit(0.4), unit(0.6), unit(0.5)]) + labels(["-1", 1, 0])
    return c


def main():
    directory = pathlib.Path(__file__).resolve().parent / "corpus"
    directory.mkdir(exist_ok=True)
    written = cases()
    for stale in directory.iterdir():
        if stale.name not in written:
            stale.unlink()
    for name, data in sorted(written.items()):
        (directory / name).write_bytes(data)
    print(f"wrote {len(written)} inputs to {directory}")


if __name__ == "__main__":
    main()
