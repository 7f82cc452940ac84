#!/usr/bin/python3
"""Independent reference values for the training options of the `losses` library:
logits, label smoothing, class weights, ignored labels and positive-class weights.

WHAT IT DOES
    Builds a grid of cases for binary cross-entropy (bce), categorical cross-entropy
    (cce) and sparse categorical cross-entropy (sparse), on probabilities and on
    logits, over every combination of the options each loss has, in float and double,
    unweighted and weighted; plus extreme and non-finite logits. For every case it
    computes the reduced values (mean, sum), the unweighted per-sample (and, for bce,
    per-element) values and the gradients of the mean and of the sum, and writes them
    to tests/reference/training_values.hpp (next to this script).

HOW TO RUN
    From the repository root:

        /usr/bin/python3 tests/reference/generate_training.py

    It needs Debian's python3 with numpy, mpmath and torch 1.13 (python3-numpy,
    python3-mpmath, python3-torch). The output is deterministic (fixed seed). The script
    exits with a non-zero status, and writes nothing, if any cross-check disagrees.

WHERE THE NUMBERS COME FROM (nothing here uses the C++ library)
    * Every number written is computed with mpmath at 50 digits from the definitions,
      with the inputs converted exactly from their float64 values, then rounded once to
      the nearest double:
        - bce: y' = y(1 - s) + s/2, v the positive-class weight of the column (1 unset);
          on probabilities the term -[v y' log pc + (1 - y') log(1 - pc)], pc = clip(p);
          on logits the same with pc = sigmoid(x) computed as log sigmoid(x) =
          -log1p(exp(-x)) (no clipping). Derivatives: on probabilities
          (1 - y')/(1 - pc) - v y'/pc inside the clip bounds, 0 outside; on logits
          (1 + (v - 1) y') sigmoid(x) - v y'.
        - cce and sparse: t_k = c_k (y_k (1 - s) + s/K), y one-hot for sparse, c the class
          weights (1 unset); on probabilities the row loss -sum_k t_k log pc_k (0 where
          t_k = 0) with derivative -t_k/pc_k inside the bounds; on logits
          -sum_k t_k log softmax(z)_k with derivative (sum_k t_k) softmax(z)_k - t_k.
        - means: bce divides by N*M (or M * sum of sample weights, or the sum of element
          weights); cce by N (or the sum of sample weights); sparse by the sum over rows
          not ignored of w_i c_{y_i}. Ignored rows add nothing and have zero gradient.
    * Cross-checks, asserted, in torch float64: F.binary_cross_entropy_with_logits with
      pos_weight and element weights (reduction='sum', divided by the mean's denominator),
      F.cross_entropy with probability targets and with class indices (weight,
      ignore_index, label_smoothing; for indices its own reduction='mean' is compared
      with our unweighted mean, which is PyTorch's convention), F.nll_loss for sparse
      probabilities, and autograd for every gradient; bce and cce on probabilities, which
      torch offers without these options, through their formulas in torch (clamp, log)
      under autograd.
    * Extreme and infinite logits: mpmath where finite; the limits at +-inf follow the
      conventions derived in limit_note() and are written next to each case's name.
    * A term (an element's or a row's loss) beyond the largest finite value of the
      case's type cannot be represented in it: IEEE overflow makes it +inf, and so every
      reduction that weighs it. A reduction of representable terms is exact even where
      its sum would overflow (the library scales before it sums).
"""

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import mpmath
import numpy as np
import torch
import torch.nn.functional as F
from mpmath import mp, mpf

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as base  # noqa: E402  (shared output helpers)

mp.dps = 50
SEED = 20241204
OUT = Path(__file__).resolve().parent / "training_values.hpp"
RTOL = 1e-12
INF = math.inf
DEFAULT_EPS = base.DEFAULT_EPS
FAILURES = base.FAILURES
TORCH = f"torch {torch.__version__}"
MP_SRC = f"mpmath {mpmath.__version__}, 50 digits"


@dataclass
class Spec:
    name: str
    loss: str                      # "bce" | "cce" | "sparse"
    is_float: bool
    from_logits: bool
    y_pred: np.ndarray             # N x M (float64)
    y_true: Optional[np.ndarray]   # N x M, or None for sparse
    labels: Optional[np.ndarray]   # N, sparse only (may hold the ignore index)
    smoothing: float = 0.0
    class_weight: Optional[np.ndarray] = None  # K
    pos_weight: Optional[np.ndarray] = None    # M
    ignore_index: Optional[int] = None
    weights: Optional[np.ndarray] = None       # None, N, or N x M (bce)
    eps: float = 0.0                           # probabilities: the clip bound
    torch_check: bool = True
    note: str = ""


def mp_of(x):
    x = float(x)
    if math.isinf(x):
        return mpmath.inf if x > 0 else -mpmath.inf
    return mpf(x)


def clip_bounds(s):
    return base.clip_bounds(s.eps, s.is_float)


def counts(s, i):
    return s.loss != "sparse" or s.ignore_index is None or int(s.labels[i]) != s.ignore_index


def xmul(a, b):
    """a*b with 0*anything = 0 (a zero target weight counts for nothing)."""
    return mpf(0) if a == 0 else a * b


# --------------------------------------------------------------------------
# mpmath: terms and derivatives
# --------------------------------------------------------------------------
def log_sigmoid(x):
    """log sigmoid(x) = -log1p(exp(-x)); -inf at x = -inf, 0 at +inf."""
    if x == mpmath.inf:
        return mpf(0)
    if x == -mpmath.inf:
        return -mpmath.inf
    return -mpmath.log1p(mpmath.exp(-x))


def sigmoid(x):
    if x == mpmath.inf:
        return mpf(1)
    if x == -mpmath.inf:
        return mpf(0)
    return 1 / (1 + mpmath.exp(-x))


def bce_element(s, i, j):
    y = mp_of(s.y_true[i, j])
    t = y * (1 - mp_of(s.smoothing)) + mp_of(s.smoothing) / 2
    v = mp_of(s.pos_weight[j]) if s.pos_weight is not None else mpf(1)
    p = mp_of(s.y_pred[i, j])
    if s.from_logits:
        # -[v t log sigmoid(x) + (1 - t) log sigmoid(-x)]; an infinite log times a zero
        # coefficient counts for nothing (the limit of the stable form).
        term = -(xmul(v * t, log_sigmoid(p)) + xmul(1 - t, log_sigmoid(-p)))
        deriv = (1 + (v - 1) * t) * sigmoid(p) - v * t
        return term, deriv
    lo, hi = clip_bounds(s)
    inside = mpf(lo) <= p <= mpf(hi)
    pc = p if inside else (mpf(lo) if p < lo else mpf(hi))
    term = -(xmul(v * t, mpmath.log(pc)) + xmul(1 - t, mpmath.log(1 - pc)))
    deriv = ((1 - t) / (1 - pc) - v * t / pc) if inside else mpf(0)
    return term, deriv


def row_targets(s, i):
    N, K = s.y_pred.shape
    if s.loss == "sparse":
        y = [mpf(1) if k == int(s.labels[i]) else mpf(0) for k in range(K)]
    else:
        y = [mp_of(v) for v in s.y_true[i]]
    sm = mp_of(s.smoothing)
    c = [mp_of(v) for v in s.class_weight] if s.class_weight is not None else [mpf(1)] * K
    return [c[k] * (y[k] * (1 - sm) + sm / K) for k in range(K)]


def categorical_row(s, i):
    """The row's loss and its gradient (unweighted, unscaled)."""
    N, K = s.y_pred.shape
    t = row_targets(s, i)
    z = [mp_of(v) for v in s.y_pred[i]]
    if not s.from_logits:
        lo, hi = clip_bounds(s)
        loss, grad = mpf(0), []
        for k in range(K):
            inside = mpf(lo) <= z[k] <= mpf(hi)
            pc = z[k] if inside else (mpf(lo) if z[k] < lo else mpf(hi))
            loss -= xmul(t[k], mpmath.log(pc))
            grad.append(-t[k] / pc if inside and t[k] != 0 else mpf(0))
        return loss, grad
    return softmax_row(z, t)


def softmax_row(z, t):
    """-sum t_k log softmax(z)_k and sum(t) softmax(z) - t, with the limits at +-inf:
    the +inf logits share the mass equally; -inf logits have softmax 0, cost nothing with
    a zero target and +inf with a positive one; a row of -inf has softmax 0 everywhere."""
    K = len(z)
    T = mpmath.fsum(t)
    top = [k for k in range(K) if z[k] == mpmath.inf]
    if top:
        soft = [mpf(1) / len(top) if k in top else mpf(0) for k in range(K)]
    elif all(v == -mpmath.inf for v in z):
        soft = [mpf(0)] * K
    else:
        m = max(v for v in z if v != -mpmath.inf)
        e = [mpf(0) if v == -mpmath.inf else mpmath.exp(v - m) for v in z]
        total = mpmath.fsum(e)
        soft = [v / total for v in e]
    loss = mpf(0)
    for k in range(K):
        if t[k] == 0:
            continue
        loss += mpmath.inf if soft[k] == 0 else -t[k] * mpmath.log(soft[k])
    grad = [T * soft[k] - t[k] for k in range(K)]
    return loss, grad


# --------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------
def reference(s):
    N, M = s.y_pred.shape
    W = np.ones((N, M)) if s.weights is None else (
        np.repeat(s.weights[:, None], M, axis=1) if s.weights.ndim == 1 else s.weights)
    terms = [[None] * M for _ in range(N)]
    derivs = [[None] * M for _ in range(N)]
    per_sample = []
    row_weight = []  # the mean's denominator contribution of each row (before w)
    if s.loss == "bce":
        for i in range(N):
            for j in range(M):
                terms[i][j], derivs[i][j] = bce_element(s, i, j)
            per_sample.append(mpmath.fsum(terms[i]) / M)
        if s.weights is not None and s.weights.ndim == 2:
            D = mpmath.fsum(mp_of(w) for w in s.weights.ravel())
        else:
            D = M * (mpmath.fsum(mp_of(w) for w in s.weights) if s.weights is not None else mpf(N))
    else:
        c = s.class_weight
        for i in range(N):
            if not counts(s, i):
                terms[i] = [mpf(0)] * M
                derivs[i] = [mpf(0)] * M
                per_sample.append(mpf(0))
                row_weight.append(mpf(0))
                continue
            loss, grad = categorical_row(s, i)
            terms[i] = [loss] + [mpf(0)] * (M - 1)  # the row's loss, held in column 0
            derivs[i] = grad
            per_sample.append(loss)
            cy = mp_of(c[int(s.labels[i])]) if (s.loss == "sparse" and c is not None) else mpf(1)
            row_weight.append(cy)
        w = [mp_of(v) for v in s.weights] if s.weights is not None else [mpf(1)] * N
        D = mpmath.fsum(w[i] * row_weight[i] for i in range(N))

    # Terms the case's type cannot represent overflow to +inf (see the docstring).
    top = mpf(float(np.finfo(np.float32 if s.is_float else np.float64).max))
    overflow = lambda v: mpmath.inf if v > top else v
    terms = [[overflow(v) for v in row] for row in terms]
    per_sample = [overflow(v) for v in per_sample]

    total = mpf(0)
    gsum = [[mpf(0)] * M for _ in range(N)]
    for i in range(N):
        for j in range(M):
            wij = mp_of(W[i, j])
            if wij == 0 or not counts(s, i):
                continue  # zero weight or ignored: nothing, even for an infinite term
            if s.loss == "bce" or j == 0:
                total += wij * terms[i][j]
            gsum[i][j] = wij * derivs[i][j]
    if D != 0:
        mean = total / D
        gmean = [[g / D for g in row] for row in gsum]
    else:
        mean = mpf(0)
        gmean = [[mpf(0)] * M for _ in range(N)]
    d = base.to_double
    return dict(
        mean=d(mean), sum=d(total),
        per_sample=[d(v) for v in per_sample],
        per_element=[d(terms[i][j]) for i in range(N) for j in range(M)] if s.loss == "bce" else [],
        gradient_mean=[d(gmean[i][j]) for i in range(N) for j in range(M)],
        gradient_sum=[d(gsum[i][j]) for i in range(N) for j in range(M)],
        _D=float(D), _W=W)


# --------------------------------------------------------------------------
# Cross-checks in torch float64
# --------------------------------------------------------------------------
def T(x):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64)


def torch_values(s, P):
    """Per-element (bce) or per-row torch losses, unweighted, differentiable in P."""
    N, M = s.y_pred.shape
    if s.loss == "bce":
        y = T(s.y_true) * (1 - s.smoothing) + s.smoothing / 2
        v = T(s.pos_weight) if s.pos_weight is not None else torch.ones(M, dtype=torch.float64)
        if s.from_logits:
            return F.binary_cross_entropy_with_logits(P, y, pos_weight=v, reduction="none")
        lo, hi = clip_bounds(s)
        pc = torch.clamp(P, lo, hi)
        return -(v * y * torch.log(pc) + (1 - y) * torch.log(1 - pc))
    weight = T(s.class_weight) if s.class_weight is not None else None
    if s.loss == "cce":
        y = T(s.y_true)
        if s.from_logits:
            return F.cross_entropy(P, y, weight=weight, label_smoothing=s.smoothing, reduction="none")
        lo, hi = clip_bounds(s)
        t = y * (1 - s.smoothing) + s.smoothing / M
        if weight is not None:
            t = t * weight
        return -(t * torch.log(torch.clamp(P, lo, hi))).sum(dim=1)
    labels = torch.tensor(s.labels, dtype=torch.long)
    ignore = s.ignore_index if s.ignore_index is not None else -12345
    if s.from_logits:
        return F.cross_entropy(P, labels, weight=weight, ignore_index=ignore, label_smoothing=s.smoothing,
                               reduction="none")
    lo, hi = clip_bounds(s)
    logp = torch.log(torch.clamp(P, lo, hi))
    nll = F.nll_loss(logp, labels, weight=weight, ignore_index=ignore, reduction="none")
    if s.smoothing == 0:
        return nll
    c = weight if weight is not None else torch.ones(M, dtype=torch.float64)
    smooth = -(logp * c).sum(dim=1) * (labels != ignore)
    return (1 - s.smoothing) * nll + s.smoothing / M * smooth


def torch_check(s, ref):
    N, M = s.y_pred.shape
    P = T(s.y_pred).requires_grad_(True)
    values = torch_values(s, P)
    if s.loss == "bce":
        # torch adds parts of the size of |x| that cancel to a small term: allow their rounding.
        scale = np.abs(s.y_pred) * (np.max(s.pos_weight) if s.pos_weight is not None else 1.0) + 1.0
        base.close_all(f"{s.name}: torch per_element", values.detach().numpy(), ref["per_element"],
                       atol=(4e-16 * scale if s.from_logits else None))
        weighted = (T(ref["_W"]) * values).sum()
    else:
        scale = np.abs(s.y_pred).sum(axis=1) + 1.0
        base.close_all(f"{s.name}: torch per_sample", values.detach().numpy(), ref["per_sample"],
                       atol=(4e-16 * scale if s.from_logits else None))
        w = T(s.weights) if s.weights is not None else torch.ones(N, dtype=torch.float64)
        weighted = (w * values).sum()
        if s.loss == "sparse" and s.from_logits and s.weights is None:
            # PyTorch's own mean: sum of losses / sum of c_{y_i} over rows not ignored.
            labels = torch.tensor(s.labels, dtype=torch.long)
            own = F.cross_entropy(P.detach(), labels,
                                  weight=T(s.class_weight) if s.class_weight is not None else None,
                                  ignore_index=s.ignore_index if s.ignore_index is not None else -12345,
                                  label_smoothing=s.smoothing)
            if ref["_D"] > 0:
                base.close(f"{s.name}: torch mean", own.item(), ref["mean"])
    base.close(f"{s.name}: torch sum", weighted.item(), ref["sum"])
    weighted.backward()
    mag = max([abs(g) for g in ref["gradient_sum"]] + [1.0])
    base.close_all(f"{s.name}: torch autograd gradient of the sum", P.grad.numpy(), ref["gradient_sum"],
                   atol=np.full(N * M, 1e-14 * mag))


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------
rng = np.random.default_rng(SEED)


def representable(x, is_float):
    x = np.asarray(x, dtype=np.float64)
    return x.astype(np.float32).astype(np.float64) if is_float else x


def probabilities(shape, is_float, floor=0.02):
    return representable(rng.uniform(floor, 1 - floor, size=shape), is_float)


def prob_rows(N, K, is_float):
    p = rng.uniform(0.05, 1, size=(N, K))
    return representable(p / p.sum(axis=1, keepdims=True), is_float)


def logits(shape, is_float, scale=3.0):
    return representable(rng.normal(0, scale, size=shape), is_float)


def sample_weights(N, is_float):
    w = rng.uniform(0.2, 2.0, size=N)
    w[rng.integers(0, N)] = 0.0
    return representable(w, is_float)


def element_weights(shape, is_float):
    w = rng.uniform(0.2, 2.0, size=shape)
    w[rng.random(shape) < 0.2] = 0.0
    return representable(w, is_float)


def smoothing(s, is_float):
    return float(representable(s, is_float))


def kind(is_float):
    return "float" if is_float else "double"


def grid_specs():
    specs = []
    for is_float in (False, True):
        eps = DEFAULT_EPS[is_float]
        f = kind(is_float)
        # bce: 6 x 3
        for logit in (False, True):
            for sm in (0.0, 0.1):
                for pw in (None, "pos_weight"):
                    for wk in (None, "sample", "element"):
                        N, M = 6, 3
                        y = rng.uniform(0, 1, size=(N, M))
                        y[rng.random((N, M)) < 0.5] = 0
                        y[rng.random((N, M)) < 0.3] = 1
                        y = representable(y, is_float)
                        x = logits((N, M), is_float) if logit else probabilities((N, M), is_float)
                        v = representable(np.array([0.5, 2.0, 3.5]), is_float) if pw else None
                        w = None if wk is None else (sample_weights(N, is_float) if wk == "sample"
                                                     else element_weights((N, M), is_float))
                        name = (f"bce/{'logits' if logit else 'probabilities'}/smoothing={sm}/"
                                f"{pw or 'no_pos_weight'}/{wk or 'unweighted'}/{f}")
                        specs.append(Spec(name, "bce", is_float, logit, x, y, None, smoothing=smoothing(sm, is_float),
                                          pos_weight=v, weights=w, eps=eps))
        # cce: 5 x 4, one-hot and soft rows
        for logit in (False, True):
            for sm in (0.0, 0.2):
                for cw in (None, "class_weight"):
                    for wk in (None, "sample"):
                        for targets in ("one_hot", "soft"):
                            N, K = 5, 4
                            if targets == "one_hot":
                                y = np.eye(K)[rng.integers(0, K, size=N)]
                            else:
                                y = prob_rows(N, K, is_float)
                                y[0, 1] = 0.0
                                y[0] /= y[0].sum()
                                y = representable(y, is_float)
                            x = logits((N, K), is_float) if logit else prob_rows(N, K, is_float)
                            c = representable(np.array([1.0, 0.25, 2.5, 0.0]), is_float) if cw else None
                            w = sample_weights(N, is_float) if wk else None
                            name = (f"cce/{'logits' if logit else 'probabilities'}/smoothing={sm}/"
                                    f"{cw or 'no_class_weight'}/{wk or 'unweighted'}/{targets}/{f}")
                            specs.append(Spec(name, "cce", is_float, logit, x, y, None,
                                              smoothing=smoothing(sm, is_float),
                                              class_weight=c, weights=w, eps=eps))
        # sparse: 7 x 4, with ignored rows (label -100, or the in-range label 2)
        for logit in (False, True):
            for sm in (0.0, 0.15):
                for cw in (None, "class_weight"):
                    for ig in (None, -100, 2):
                        for wk in (None, "sample"):
                            N, K = 7, 4
                            lab = rng.integers(0, K, size=N)
                            lab[1] = 2
                            if ig == -100:
                                lab[3] = -100
                                lab[5] = -100
                            x = logits((N, K), is_float) if logit else prob_rows(N, K, is_float)
                            c = representable(np.array([0.5, 1.5, 2.0, 1.0]), is_float) if cw else None
                            w = sample_weights(N, is_float) if wk else None
                            name = (f"sparse/{'logits' if logit else 'probabilities'}/smoothing={sm}/"
                                    f"{cw or 'no_class_weight'}/ignore={ig}/{wk or 'unweighted'}/{f}")
                            specs.append(Spec(name, "sparse", is_float, logit, x, None, lab,
                                              smoothing=smoothing(sm, is_float),
                                              class_weight=c, ignore_index=ig, weights=w, eps=eps))
        # every row ignored: value 0 and a zero gradient (PyTorch gives NaN)
        specs.append(Spec(f"sparse/logits/all_rows_ignored/{f}", "sparse", is_float, True,
                          logits((3, 3), is_float), None, np.array([-1, -1, -1]), ignore_index=-1,
                          eps=eps, torch_check=False, note="all rows ignored: value 0 (PyTorch gives NaN)"))
    return specs


def extreme_specs():
    """Extreme and infinite logits: mpmath, and the limits (see softmax_row, bce_element)."""
    specs = []
    for is_float in (False, True):
        f = kind(is_float)
        big = 1e4 if is_float else 1e300
        top = float(np.finfo(np.float32 if is_float else np.float64).max)
        # bce: every logit magnitude against targets 0, 0.3 and 1
        xs = [1e-8, -1e-8, 1.0, -1.0, 30.0, -30.0, 100.0, -100.0, big, -big]
        x = representable(np.array([[v] * 3 for v in xs]), is_float)
        y = representable(np.array([[0.0, 0.3, 1.0]] * len(xs)), is_float)
        specs.append(Spec(f"bce/logits/extreme/{f}", "bce", is_float, True, x, y, None, torch_check=False,
                          note="extreme logits: mpmath"))
        specs.append(Spec(f"bce/logits/extreme/pos_weight/{f}", "bce", is_float, True, x, y, None,
                          pos_weight=representable(np.array([2.0, 0.5, 3.0]), is_float), torch_check=False,
                          note="extreme logits: mpmath"))
        # the largest finite logits, one element per case so that no sum overflows
        for xv, yv in ((top, 0.0), (-top, 1.0), (top, 0.5), (-top, 0.25), (top, 1.0), (-top, 0.0)):
            specs.append(Spec(f"bce/logits/largest/x={'+' if xv > 0 else '-'}max/y={yv}/{f}", "bce", is_float,
                              True, np.array([[xv]]), np.array([[yv]]), None, torch_check=False,
                              note="the largest finite logit: mpmath"))
        xi = np.array([[INF, INF, INF], [-INF, -INF, -INF], [INF, -INF, 0.0]])
        yi = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [1.0, 0.0, 0.0]])
        specs.append(Spec(f"bce/logits/infinite/{f}", "bce", is_float, True, xi, yi, None, torch_check=False,
                          note="infinite logits: limits (zero coefficient times infinity counts 0)"))
        # softmax rows
        huge_equal = 1e9 if is_float else 1e300
        z = representable(np.array([
            [big, -big, 0.0, 1.0],
            [huge_equal, huge_equal, 0.0, -huge_equal],
            [1e-8, -1e-8, 0.0, 2e-8],
            [top, top, -top, 0.0],
            [80.0, 0.0, -80.0, 40.0],
        ]), is_float)
        yz = representable(np.array([
            [0.0, 1.0, 0.0, 0.0],
            [0.5, 0.5, 0.0, 0.0],
            [0.25, 0.25, 0.25, 0.25],
            [0.0, 0.0, 1.0, 0.0],
            [0.1, 0.2, 0.3, 0.4],
        ]), is_float)
        specs.append(Spec(f"cce/logits/extreme/{f}", "cce", is_float, True, z, yz, None, torch_check=False,
                          note="extreme logits: mpmath"))
        specs.append(Spec(f"sparse/logits/extreme/{f}", "sparse", is_float, True, z, None,
                          np.array([1, 0, 3, 2, 2]), torch_check=False, note="extreme logits: mpmath"))
        zi = np.array([
            [INF, INF, 0.0, -1.0],      # two +inf: softmax 1/2 each
            [-INF, 0.0, 1.0, 2.0],      # -inf with target 0: a mask
            [-INF, 0.0, 1.0, 2.0],      # -inf with a positive target: +inf
            [-INF, -INF, -INF, -INF],   # all masked, targets 0: nothing
            [INF, 0.0, 1.0, 2.0],       # +inf against a target elsewhere: +inf
        ])
        yi = np.array([
            [0.5, 0.25, 0.25, 0.0],
            [0.0, 0.2, 0.3, 0.5],
            [0.5, 0.5, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, 0.0, 0.0],
        ])
        specs.append(Spec(f"cce/logits/infinite/{f}", "cce", is_float, True, zi, yi, None, torch_check=False,
                          note="infinite logits: limits (equal +inf, -inf masks)"))
        zs = np.array([[INF, INF, 0.0], [-INF, 0.0, 1.0], [-INF, 0.0, 1.0], [INF, 0.0, 1.0]])
        specs.append(Spec(f"sparse/logits/infinite/{f}", "sparse", is_float, True, zs, None,
                          np.array([0, 2, 0, 1]), torch_check=False,
                          note="infinite logits: limits (equal +inf, -inf masks)"))
        # label smoothing turns a -inf logit into +inf loss
        specs.append(Spec(f"sparse/logits/infinite/smoothing/{f}", "sparse", is_float, True,
                          np.array([[-INF, 0.0, 1.0], [0.0, 1.0, 2.0]]), None, np.array([2, 1]),
                          smoothing=smoothing(0.1, is_float), torch_check=False,
                          note="a -inf logit under label smoothing: +inf"))
    return specs


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
HEADER = """\
// Generated by tests/reference/generate_training.py; do not edit by hand.
#pragma once
#include "reference_values.hpp"
namespace reference::training {
struct Case {
  const char* name;             // unique, e.g. "sparse/logits/smoothing=0.15/class_weight/ignore=2/sample/float"
  const char* source;           // which independent libraries produced and checked the numbers
  Loss loss;                    // bce, cce or sparse
  bool is_float;                // inputs are float32-representable; run with Scalar = float
  bool from_logits;
  double epsilon;               // the clip bound (probabilities)
  double label_smoothing;
  bool has_ignore_index;
  long ignore_index;
  long rows, cols;
  Span<double> y_true;          // row-major rows*cols (empty for sparse)
  Span<long> labels;            // sparse: rows labels (the ignore index included)
  Span<double> y_pred;          // row-major rows*cols: probabilities or logits
  Span<double> weights;         // empty, rows (per sample) or rows*cols (per element, bce)
  Span<double> class_weight;    // empty or cols
  Span<double> pos_weight;      // empty or cols
  double mean, sum;             // reduced values, weighted as `weights` says
  Span<double> per_sample;      // rows, unweighted (bce: mean over the row's terms; ignored rows 0)
  Span<double> per_element;     // bce: rows*cols unweighted terms
  Span<double> gradient_mean;   // rows*cols, row-major
  Span<double> gradient_sum;
};
"""


def cpp_case(pool, s, ref, source):
    N, M = s.y_pred.shape
    span = pool.span
    opt = lambda a: [] if a is None else list(np.asarray(a).ravel())  # noqa: E731
    fields = [
        f'"{s.name}"', f'"{source}"', f"Loss::{s.loss}", "true" if s.is_float else "false",
        "true" if s.from_logits else "false", base.fmt(s.eps), base.fmt(s.smoothing),
        "true" if s.ignore_index is not None else "false",
        str(s.ignore_index if s.ignore_index is not None else 0), str(N), str(M),
        "/*y_true*/ " + span(opt(s.y_true)),
        "/*labels*/ " + pool.label_span(opt(s.labels)),
        "/*y_pred*/ " + span(s.y_pred.ravel()),
        "/*weights*/ " + span(opt(s.weights)),
        "/*class_weight*/ " + span(opt(s.class_weight)),
        "/*pos_weight*/ " + span(opt(s.pos_weight)),
        "/*mean*/ " + base.fmt(ref["mean"]), "/*sum*/ " + base.fmt(ref["sum"]),
        "/*per_sample*/ " + span(ref["per_sample"]),
        "/*per_element*/ " + span(ref["per_element"]),
        "/*gradient_mean*/ " + span(ref["gradient_mean"]),
        "/*gradient_sum*/ " + span(ref["gradient_sum"]),
    ]
    return "  {" + ", ".join(fields[:11]) + ",\n" + ",\n".join("     " + f for f in fields[11:]) + "},\n"


def main():
    torch.set_default_dtype(torch.float64)
    specs = grid_specs() + extreme_specs()
    names = [s.name for s in specs]
    assert len(set(names)) == len(names), "duplicate case names"
    built = []
    for s in specs:
        ref = reference(s)
        sources = [MP_SRC]
        if s.torch_check:
            torch_check(s, ref)
            sources.append(f"checked against {TORCH} (values and autograd)")
        if s.note:
            sources.append(s.note)
        built.append((s, ref, "; ".join(sources)))
    if FAILURES:
        for msg in FAILURES:
            print("CROSS-CHECK FAILED:", msg, file=sys.stderr)
        print(f"{len(FAILURES)} cross-check failure(s); nothing written", file=sys.stderr)
        return 1
    pool = base.Pool("training_numbers", "training_labels")
    cases = "".join(cpp_case(pool, *b) for b in built)
    text = (HEADER
            + "inline constexpr double training_numbers[] = {\n" + base.lines_of(pool.numbers or ["0"]) + "};\n"
            + "inline constexpr long training_labels[] = {\n" + base.lines_of(pool.labels or ["0"], per_line=20)
            + "};\n"
            + "inline constexpr Case cases[] = {\n" + cases + "};\n"
            + "}  // namespace reference::training\n")
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes, {len(specs)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
