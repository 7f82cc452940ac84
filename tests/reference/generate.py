#!/usr/bin/python3
"""Independent reference values for the `losses` C++ library tests.

WHAT IT DOES
    Builds a fixed list of test cases for the four losses of the library
    (mse, bce = binary cross-entropy, cce = categorical cross-entropy,
    sparse = sparse categorical cross-entropy): random interior inputs in
    several shapes (unweighted, per-sample weights, per-element weights),
    double and float variants, edge cases (predictions exactly 0/1, exactly at
    and just outside the clip bounds, eps = 0, Keras' eps = 1e-7, all-zero
    weights) and scikit-learn's own log_loss test data.  For every case it
    computes the expected reduced values (mean, sum), the unweighted
    per-sample and per-element values and the gradients of the mean and of the
    sum with respect to y_pred, and writes them as C++ initialisers to
    tests/reference/reference_values.hpp (next to this script).

HOW TO RUN
    From the repository root:

        /usr/bin/python3 tests/reference/generate.py

    It needs Debian's python3 with numpy, mpmath 1.2.1, torch 1.13 and
    scikit-learn 1.2.1 (python3-numpy, python3-mpmath, python3-torch,
    python3-sklearn).  The output is deterministic (fixed numpy seed).  The
    script exits with a non-zero status, and writes nothing, if any
    cross-check below disagrees.

WHERE THE NUMBERS COME FROM (nothing here uses the C++ library)
    * Every number written to the header (values and gradients) is computed
      with mpmath at 50 significant digits directly from the documented
      formulas, with the inputs converted exactly from their float64 values,
      and is then rounded once to the nearest double.  Gradients are the
      analytic derivatives (MSE: 2(p - y); BCE: -y/pc + (1 - y)/(1 - pc);
      CCE/sparse: -y/pc; 0 where p lies strictly outside [eps, 1 - eps]),
      times the weight and divided by the mean's denominator.
    * Cross-checks, all asserted (relative 1e-12, plus an absolute allowance
      for the rounding of 1 - p in float64 and for cancellation in the BCE
      derivative, both derived from the exact operands):
        - torch (float64): F.mse_loss, F.binary_cross_entropy applied to
          torch.clamp'ed predictions (torch clamps its logs at -100 instead of
          clipping, so elements with an infinite exact value are skipped),
          F.nll_loss on log(torch.clamp(p)) for sparse and one-hot cce rows,
          and torch autograd through torch.clamp for all gradients (its
          derivative is 1 on [eps, 1 - eps] including the edges, 0 outside,
          which is the library's convention).
        - scikit-learn 1.2.1 sklearn.metrics.log_loss (with eps passed
          explicitly and sample_weight) for cce one-hot rows and sparse rows
          that sum to one and are not clipped (sklearn 1.2 renormalises rows
          after clipping, so other rows are not comparable).
        - literal expected values: scikit-learn's test_log_loss figures and
          the BCE "opposite certainty" figures 52 ln 2 (double) / 23 ln 2
          (float).
      The `source` field of every case lists the checks that actually ran
      for it.

CONVENTIONS CHOSEN WHERE THE CONTRACT LEAVES ROOM
    * The upper clip bound is 1 - eps rounded to the case's scalar type
      (double, or float when is_float), i.e. what `Scalar(1) - eps` gives;
      1 - clip(p) is then taken exactly.  For the default epsilons
      (2**-52, 2**-23) and eps = 0 the rounding is exact; it matters for
      eps = 1e-7 (in float, 1 - 1e-7f == 1 - 2**-23).
    * For float cases the epsilon is float32-representable (1e-7 becomes
      float(numpy.float32(1e-7)) = 1.0000000116860974e-07).
    * Elements with zero weight contribute exactly 0 to values and
      gradients, even when their term or derivative is infinite; a total
      weight of zero gives mean 0 and gradient of the mean 0.
    * Infinite derivatives (eps = 0, certain and wrong prediction) are
      written as +-inf (their exact limit); all other gradients are finite.
"""

import math
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import mpmath
import numpy as np
import sklearn
import torch
import torch.nn.functional as F
from mpmath import libmp, mp, mpf
from sklearn.metrics import log_loss

mp.dps = 50
SEED = 20240531
OUT = Path(__file__).resolve().parent / "reference_values.hpp"

DEFAULT_EPS = {False: 2.0 ** -52, True: 2.0 ** -23}  # double, float
KERAS_EPS = {False: 1e-7, True: float(np.float32(1e-7))}
RTOL = 1e-12

MP_SRC = f"mpmath {mpmath.__version__}, 50 digits (values and analytic gradients)"
TORCH = f"torch {torch.__version__}"
SKL = f"sklearn {sklearn.__version__} log_loss"


# --------------------------------------------------------------------------
# Case specification
# --------------------------------------------------------------------------
@dataclass
class Spec:
    name: str
    loss: str  # "mse" | "bce" | "cce" | "sparse"
    is_float: bool
    eps: float
    y_pred: np.ndarray  # (N, M), float64
    y_true: Optional[np.ndarray] = None  # (N, M); None for sparse
    labels: Optional[np.ndarray] = None  # (N,); sparse only
    weights: Optional[np.ndarray] = None  # None, (N,), or (N, M)
    expect: dict = field(default_factory=dict)  # literal values, rel 1e-12
    expect_exact: dict = field(default_factory=dict)  # literal values, exact
    sklearn_all_rows: bool = False  # sklearn must cover every row
    note: str = ""  # appended to `source`


FAILURES = []


def fail(msg):
    FAILURES.append(msg)


def clip_bounds(eps, is_float):
    """(lo, hi) of the clip: hi = 1 - eps computed in the case's scalar type."""
    if is_float:
        e = np.float32(eps)
        assert float(e) == eps, "float epsilon must be float32-representable"
        return eps, float(np.float32(1.0) - e)
    return eps, 1.0 - eps


def to_double(x):
    """Round an mpf to the nearest double (inf stays inf)."""
    return libmp.to_float(mpf(x)._mpf_, rnd=libmp.round_nearest)


def validate(s: Spec):
    N, M = s.y_pred.shape
    assert N >= 1 and M >= 1, s.name
    arrays = [s.y_pred] + ([s.y_true] if s.y_true is not None else [])
    if s.weights is not None:
        arrays.append(s.weights)
        assert s.weights.shape in ((N,), (N, M)), s.name
        assert np.all(s.weights >= 0), s.name
        if s.loss in ("cce", "sparse"):
            assert s.weights.shape == (N,), s.name
    for a in arrays:
        assert a.dtype == np.float64 and np.all(np.isfinite(a)), s.name
        if s.is_float:
            assert np.all(a.astype(np.float32).astype(np.float64) == a), s.name
    if s.loss == "sparse":
        assert s.y_true is None and s.labels is not None and s.labels.shape == (N,)
        assert np.all((s.labels >= 0) & (s.labels < M)), s.name
    else:
        assert s.labels is None and s.y_true is not None and s.y_true.shape == (N, M)
    if s.loss != "mse":
        assert np.all((s.y_pred >= 0) & (s.y_pred <= 1)), s.name
        if s.y_true is not None:
            assert np.all((s.y_true >= 0) & (s.y_true <= 1)), s.name
    assert 0 <= s.eps < 0.5, s.name
    clip_bounds(s.eps, s.is_float)


def targets_of(s: Spec):
    """Dense N x M target matrix (sparse labels become one-hot)."""
    if s.loss == "sparse":
        N, K = s.y_pred.shape
        y = np.zeros((N, K))
        y[np.arange(N), s.labels] = 1.0
        return y
    return s.y_true


def weight_matrix(s: Spec):
    """Per-element reduction weights W_ij and the mean's denominator D (numpy)."""
    N, M = s.y_pred.shape
    if s.weights is None:
        W = np.ones((N, M))
        D = float(N * M) if s.loss in ("mse", "bce") else float(N)
    elif s.weights.ndim == 1:
        W = np.repeat(s.weights[:, None], M, axis=1)
        D = float(M) * float(np.sum(s.weights)) if s.loss in ("mse", "bce") \
            else float(np.sum(s.weights))
    else:
        W = s.weights.copy()
        D = float(np.sum(s.weights))
    return W, D


# --------------------------------------------------------------------------
# Primary values: mpmath, 50 digits, straight from the formulas
# --------------------------------------------------------------------------
def mp_div(a, b):
    """a / b for b >= 0, a != 0; b == 0 gives +-inf."""
    if b == 0:
        assert a != 0
        return mpmath.inf if a > 0 else -mpmath.inf
    return a / b


def mp_reference(s: Spec):
    lo, hi = clip_bounds(s.eps, s.is_float)
    LO, HI = mpf(lo), mpf(hi)
    N, M = s.y_pred.shape
    Y = targets_of(s)
    term = [[None] * M for _ in range(N)]  # unweighted element contributions
    dterm = [[None] * M for _ in range(N)]  # their derivatives
    term_atol = np.zeros((N, M))  # float64 rounding allowance for 1 - pc
    grad_mag = np.zeros((N, M))  # sum of |parts| of the derivative
    for i in range(N):
        for j in range(M):
            p = mpf(float(s.y_pred[i, j]))
            y = mpf(float(Y[i, j]))
            if s.loss == "mse":
                t, d = (p - y) ** 2, 2 * (p - y)
                mag = abs(d)
            else:
                inside = LO <= p <= HI
                pc = p if inside else (LO if p < LO else HI)
                t, d, mag = mpf(0), mpf(0), mpf(0)
                if y != 0:  # 0 * log(0) = 0: a zero coefficient adds nothing
                    t -= y * mpmath.log(pc)
                    if inside:
                        g = mp_div(y, pc)
                        d -= g
                        mag += abs(g)
                if s.loss == "bce":
                    cy = 1 - y
                    if cy != 0:
                        t -= cy * mpmath.log(1 - pc)
                        if 1 - pc != 0:
                            term_atol[i, j] = 1e-15 * to_double(cy / (1 - pc))
                        if inside:
                            g = mp_div(cy, 1 - pc)
                            d += g
                            mag += abs(g)
            term[i][j], dterm[i][j] = t, d
            grad_mag[i, j] = to_double(mag)

    W, D = weight_matrix(s)
    Wmp = [[mpf(float(W[i, j])) for j in range(M)] for i in range(N)]
    if s.weights is None:
        Dmp = mpf(N * M) if s.loss in ("mse", "bce") else mpf(N)
    elif s.weights.ndim == 1:
        tw = mpmath.fsum(mpf(float(w)) for w in s.weights)
        Dmp = M * tw if s.loss in ("mse", "bce") else tw
    else:
        Dmp = mpmath.fsum(mpf(float(w)) for w in s.weights.ravel())

    total = mpf(0)
    gsum = [[mpf(0)] * M for _ in range(N)]
    for i in range(N):
        for j in range(M):
            if Wmp[i][j] != 0:  # zero weight: nothing, even for inf terms
                total += Wmp[i][j] * term[i][j]
                gsum[i][j] = Wmp[i][j] * dterm[i][j]
    if Dmp != 0:
        mean = total / Dmp
        gmean = [[g / Dmp for g in row] for row in gsum]
    else:  # total weight zero: value 0 and gradient 0
        assert total == 0
        mean = mpf(0)
        gmean = [[mpf(0)] * M for _ in range(N)]

    row_loss = [mpmath.fsum(term[i]) for i in range(N)]
    if s.loss in ("mse", "bce"):
        per_sample = [r / M for r in row_loss]
        per_element = [to_double(term[i][j]) for i in range(N) for j in range(M)]
    else:
        per_sample = row_loss
        per_element = []
    ref = dict(
        mean=to_double(mean),
        sum=to_double(total),
        per_sample=[to_double(v) for v in per_sample],
        per_element=per_element,
        gradient_mean=[to_double(gmean[i][j]) for i in range(N) for j in range(M)],
        gradient_sum=[to_double(gsum[i][j]) for i in range(N) for j in range(M)],
        # exact helpers for the cross-checks
        _row_loss=row_loss,
        _term_atol=term_atol,
        _grad_mag=grad_mag,
        _W=W,
        _D=D,
        _Dmp=Dmp,
    )
    for k in ("mean", "sum"):
        assert not math.isnan(ref[k]), s.name
    for k in ("per_sample", "per_element", "gradient_mean", "gradient_sum"):
        assert not any(math.isnan(v) for v in ref[k]), (s.name, k)
    return ref


# --------------------------------------------------------------------------
# Cross-checks
# --------------------------------------------------------------------------
def close(what, got, want, atol=0.0, rtol=RTOL):
    got, want = float(got), float(want)
    if math.isnan(got) or math.isnan(want):
        fail(f"{what}: NaN (got {got!r}, want {want!r})")
        return False
    if math.isinf(got) or math.isinf(want):
        ok = got == want
    else:
        ok = abs(got - want) <= rtol * max(abs(got), abs(want)) + atol
    if not ok:
        fail(f"{what}: got {got!r}, want {want!r} (atol {atol!r})")
    return ok


def close_all(what, got, want, atol=None, mask=None):
    got = np.asarray(got, dtype=np.float64).ravel()
    want = np.asarray(want, dtype=np.float64).ravel()
    if got.shape != want.shape:
        fail(f"{what}: shape {got.shape} vs {want.shape}")
        return
    atol = np.zeros_like(want) if atol is None else np.asarray(atol, dtype=np.float64).ravel()
    atol = np.where(np.isfinite(atol), atol, 0.0)  # infinite values compare exactly
    for k in range(want.size):
        if mask is None or mask.ravel()[k]:
            close(f"{what}[{k}]", got[k], want[k], atol[k])


def T(x):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64)


def torch_check(s: Spec, ref):
    """torch float64: framework losses for values, autograd for gradients."""
    lo, hi = clip_bounds(s.eps, s.is_float)
    N, M = s.y_pred.shape
    Yn = targets_of(s)
    W, D = ref["_W"], ref["_D"]
    Wt, Y = T(W), T(Yn)
    P = T(s.y_pred).requires_grad_(True)
    # Zero-weight elements are evaluated at a harmless point so that their
    # (possibly infinite) derivative cannot turn 0 * inf into NaN.
    Ps = torch.where(Wt != 0, P, torch.full_like(P, 0.5))
    one = torch.ones_like(P)
    zero = torch.zeros_like(P)
    labels = torch.tensor(np.argmax(Yn, axis=1) if s.labels is None else s.labels,
                          dtype=torch.long)

    def masked_xlog(coef, x):  # coef * log(x) with 0 * log(0) = 0, NaN-free grads
        nz = coef != 0
        return torch.where(nz, coef * torch.log(torch.where(nz, x, one)), zero)

    def contributions(Pin):
        if s.loss == "mse":
            return F.mse_loss(Pin, Y, reduction="none")
        Pc = torch.clamp(Pin, lo, hi)
        if s.loss == "bce":
            return -(masked_xlog(Y, Pc) + masked_xlog(1 - Y, 1 - Pc))
        if s.loss == "cce":
            return -masked_xlog(Y, Pc)
        onehot = Y != 0  # sparse: NLL of the label column only
        logp = torch.log(torch.where(onehot, Pc, one))
        rows = F.nll_loss(logp, labels, reduction="none")
        return torch.where(onehot, rows[:, None].expand(N, M), zero)

    C = contributions(Ps)
    S = (Wt * C).sum()
    mean = S / D if D != 0 else S * 0.0
    g_sum, = torch.autograd.grad(S, P, retain_graph=True)
    g_mean, = torch.autograd.grad(mean, P)

    term_atol = ref["_term_atol"]
    scale = W / D if D != 0 else np.zeros_like(W)
    close(f"{s.name}: torch sum", S.item(), ref["sum"], float(np.sum(W * term_atol)))
    close(f"{s.name}: torch mean", mean.item(), ref["mean"],
          float(np.sum(scale * term_atol)))
    with np.errstate(invalid="ignore"):  # 0 * inf: zero-weight elements, atol 0
        gmag = np.where(W != 0, ref["_grad_mag"], 0.0)
        close_all(f"{s.name}: torch autograd gradient_sum", g_sum.numpy(),
                  ref["gradient_sum"], 1e-14 * W * gmag)
        close_all(f"{s.name}: torch autograd gradient_mean", g_mean.numpy(),
                  ref["gradient_mean"], 1e-14 * scale * gmag)

    used = [f"{TORCH} float64 autograd (torch.clamp)"]
    with torch.no_grad():
        P0 = T(s.y_pred)
        C0 = contributions(P0)
        per_sample = C0.sum(1) / M if s.loss in ("mse", "bce") else C0.sum(1)
        row_atol = term_atol.sum(1) / (M if s.loss in ("mse", "bce") else 1)
        close_all(f"{s.name}: torch per_sample", per_sample.numpy(),
                  ref["per_sample"], row_atol)
        if s.loss == "mse":
            used.append("F.mse_loss")
            close_all(f"{s.name}: F.mse_loss none", F.mse_loss(P0, Y, reduction="none"),
                      ref["per_element"])
            if s.weights is None:
                close(f"{s.name}: F.mse_loss mean", F.mse_loss(P0, Y).item(), ref["mean"])
                close(f"{s.name}: F.mse_loss sum",
                      F.mse_loss(P0, Y, reduction="sum").item(), ref["sum"])
        elif s.loss == "bce":
            used.append("F.binary_cross_entropy(clamp(p))")
            Pc = torch.clamp(P0, lo, hi)
            pe = np.asarray(ref["per_element"]).reshape(N, M)
            weighted_all_finite = bool(np.all(np.isfinite(pe) | (W == 0)))
            close_all(f"{s.name}: F.binary_cross_entropy none",
                      F.binary_cross_entropy(Pc, Y, reduction="none").numpy(), pe,
                      term_atol, mask=np.isfinite(pe))
            if weighted_all_finite:  # torch caps logs at -100: skip infinite terms
                got = F.binary_cross_entropy(Pc, Y, weight=Wt, reduction="sum").item()
                close(f"{s.name}: F.binary_cross_entropy weighted sum", got, ref["sum"],
                      float(np.sum(W * term_atol)))
                if s.weights is None:
                    close(f"{s.name}: F.binary_cross_entropy mean",
                          F.binary_cross_entropy(Pc, Y).item(), ref["mean"],
                          float(np.mean(term_atol)))
        else:
            Pc = torch.clamp(P0, lo, hi)
            if s.loss == "sparse":
                rows = np.arange(N)
            else:  # one-hot rows of cce
                rows = np.array([i for i in range(N)
                                 if np.sum(Yn[i] == 1.0) == 1 and np.sum(Yn[i] == 0.0) == M - 1],
                                dtype=np.int64)
            if rows.size:
                used.append("F.nll_loss(log(clamp(p)))"
                            + ("" if rows.size == N else " (one-hot rows)"))
                idx = torch.tensor(rows, dtype=torch.long)
                logp = torch.log(Pc[idx])
                nll = F.nll_loss(logp, labels[idx], reduction="none").numpy()
                close_all(f"{s.name}: F.nll_loss none", nll,
                          np.asarray(ref["per_sample"])[rows])
                if rows.size == N and s.weights is None:
                    close(f"{s.name}: F.nll_loss mean",
                          F.nll_loss(logp, labels).item(), ref["mean"])
                    close(f"{s.name}: F.nll_loss sum",
                          F.nll_loss(logp, labels, reduction="sum").item(), ref["sum"])
    return used


def sklearn_check(s: Spec, ref):
    """sklearn.metrics.log_loss on the rows it can score exactly as we do."""
    if s.loss not in ("cce", "sparse"):
        return None
    lo, hi = clip_bounds(s.eps, s.is_float)
    N, K = s.y_pred.shape
    if K < 2:
        return None  # log_loss needs at least two classes
    Yn = targets_of(s)
    w = np.ones(N) if s.weights is None else s.weights
    rows = []
    for i in range(N):
        if np.sum(Yn[i] == 1.0) != 1 or np.sum(Yn[i] == 0.0) != K - 1:
            continue  # soft target row: log_loss takes labels only
        if np.any(s.y_pred[i] < lo) or np.any(s.y_pred[i] > hi):
            continue  # clipped: log_loss clips to 1 - eps in double and renormalises
        if abs(mpmath.fsum(mpf(float(v)) for v in s.y_pred[i]) - 1) > mpf("1e-15"):
            continue  # log_loss 1.2 renormalises rows that do not sum to one
        if w[i] == 0 and mpmath.isinf(ref["_row_loss"][i]):
            continue  # numpy would form 0 * inf = nan; contributes 0 by contract
        rows.append(i)
    if s.sklearn_all_rows and len(rows) != N:
        fail(f"{s.name}: sklearn could only check rows {rows}")
    if not rows:
        return None
    rows = np.array(rows)
    lab = np.argmax(Yn[rows], axis=1)
    kw = dict(eps=lo, labels=list(range(K)))
    if s.weights is not None:
        kw["sample_weight"] = w[rows]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got_sum = log_loss(lab, s.y_pred[rows], normalize=False, **kw)
    want_sum = to_double(mpmath.fsum(
        mpf(float(w[i])) * ref["_row_loss"][i] for i in rows if w[i] != 0))
    atol = 1e-14 * float(np.sum(w[rows]))  # renormalisation by a sum 1 +- 1e-15
    close(f"{s.name}: sklearn log_loss sum", got_sum, want_sum, atol)
    what = "all rows" if len(rows) == N else "rows " + ",".join(map(str, rows))
    results = {"sum": got_sum} if len(rows) == N else {}
    if len(rows) == N and np.sum(w) > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got_mean = log_loss(lab, s.y_pred, **kw)
        close(f"{s.name}: sklearn log_loss mean", got_mean, ref["mean"],
              atol / float(np.sum(w)))
        results["mean"] = got_mean
    return f"{SKL} ({what})", results


def literal_check(s: Spec, ref, skl_results):
    for key, want in s.expect.items():
        close(f"{s.name}: literal {key}", ref[key], want)
        if skl_results is not None and key in skl_results:
            close(f"{s.name}: sklearn literal {key}", skl_results[key], want)
    for key, want in s.expect_exact.items():
        if ref[key] != want:
            fail(f"{s.name}: {key} {ref[key]!r} != exact literal {want!r}")


def build_case(s: Spec):
    validate(s)
    ref = mp_reference(s)
    checks = torch_check(s, ref)
    skl = sklearn_check(s, ref)
    skl_results = None
    if skl is not None:
        checks.append(skl[0])
        skl_results = skl[1]
    literal_check(s, ref, skl_results)
    source = MP_SRC + "; checked: " + ", ".join(checks)
    if s.note:
        source += "; " + s.note
    return s, ref, source


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------
rng = np.random.default_rng(SEED)


def as_scalar(x, is_float):
    x = np.asarray(x, dtype=np.float64)
    return x.astype(np.float32).astype(np.float64) if is_float else x


def A(x):
    return np.array(x, dtype=np.float64)


def quantise_rows(p):
    """float32 distributions summing exactly to one: multiples of 2**-24,
    the remainder on each row's largest entry."""
    q = np.round(p * 2.0 ** 24) / 2.0 ** 24
    big = np.argmax(q, axis=1)
    for i in range(q.shape[0]):
        q[i, big[i]] = 0.0
        q[i, big[i]] = 1.0 - q[i].sum()  # exact: all multiples of 2**-24
    assert np.all(q >= 0) and np.all(q.sum(axis=1) == 1.0)
    return q


def gen_probs(shape, is_float):
    return as_scalar(rng.uniform(0.02, 0.98, shape), is_float)


def gen_pred_rows(N, K, is_float, floor=0.02):
    """Prediction rows: distributions with every entry in [0.02, 0.98]."""
    if K == 1:
        return gen_probs((N, 1), is_float)  # a single column cannot be a distribution
    p = floor + (1 - floor * K) * rng.dirichlet(np.ones(K), size=N)
    return quantise_rows(p) if is_float else p


def gen_soft_targets(N, K, is_float):
    if K == 1:
        return np.ones((N, 1))
    y = rng.dirichlet(np.full(K, 0.8), size=N)
    if K >= 3:  # some exact zeros (0 * log p = 0 convention)
        for i in range(0, N, 2):
            y[i, rng.integers(K)] = 0.0
        y /= y.sum(axis=1, keepdims=True)
    return quantise_rows(y) if is_float else y


def gen_bce_targets(shape, is_float):
    y = rng.uniform(0.0, 1.0, shape)
    hard = rng.random(shape) < 0.25
    y[hard] = (rng.random(shape) < 0.5)[hard].astype(np.float64)
    return as_scalar(y, is_float)


def gen_weights(shape, is_float, zero_frac=0.25):
    w = rng.uniform(0.1, 3.0, shape)
    if w.size >= 2:
        k = max(1, int(round(zero_frac * w.size)))
        w.flat[rng.choice(w.size, size=k, replace=False)] = 0.0
    w = as_scalar(w, is_float)
    assert w.sum() > 0
    return w


def prec(is_float):
    return "float" if is_float else "double"


def wname(weights, loss):
    if weights is None:
        return "unweighted"
    return "row_weights" if weights.ndim == 1 else "element_weights"


def make(loss, scenario, is_float, y_pred, y_true=None, labels=None, weights=None,
         eps=None, **kw):
    N, M = y_pred.shape
    name = f"{loss}/{scenario}/{N}x{M}/{wname(weights, loss)}/{prec(is_float)}"
    if is_float:  # literal inputs of float cases are rounded to float32 first
        y_pred = as_scalar(y_pred, True)
        y_true = None if y_true is None else as_scalar(y_true, True)
        weights = None if weights is None else as_scalar(weights, True)
    return Spec(name=name, loss=loss, is_float=is_float,
                eps=DEFAULT_EPS[is_float] if eps is None else eps,
                y_pred=y_pred, y_true=y_true,
                labels=None if labels is None else np.asarray(labels, dtype=np.int64),
                weights=weights, **kw)


def random_specs():
    specs = []
    shapes = [(5, 3), (1, 1), (7, 1), (4, 4)]
    for is_float in (False, True):
        for (N, M) in shapes:
            for weighting in ("none", "row", "element"):
                def w():
                    if weighting == "none":
                        return None
                    return gen_weights((N,) if weighting == "row" else (N, M), is_float)
                # mse: real-valued, some exact matches p == y
                y = as_scalar(rng.normal(0.0, 1.5, (N, M)), is_float)
                p = as_scalar(rng.normal(0.0, 1.5, (N, M)), is_float)
                same = rng.random((N, M)) < 0.15
                p[same] = y[same]
                specs.append(make("mse", "random", is_float, p, y, weights=w()))
                # bce: soft targets (about a quarter exactly 0 or 1)
                specs.append(make("bce", "soft_targets", is_float, gen_probs((N, M), is_float),
                                  gen_bce_targets((N, M), is_float), weights=w()))
                if weighting == "element":
                    continue  # cce/sparse take per-sample weights only
                specs.append(make("cce", "soft_targets", is_float,
                                  gen_pred_rows(N, M, is_float),
                                  gen_soft_targets(N, M, is_float), weights=w()))
                lab = rng.integers(0, M, N)
                specs.append(make("cce", "onehot_targets", is_float,
                                  gen_pred_rows(N, M, is_float), np.eye(M)[lab], weights=w()))
                lab = rng.integers(0, M, N)
                specs.append(make("sparse", "random", is_float,
                                  gen_pred_rows(N, M, is_float), labels=lab, weights=w()))
    # one larger case per loss
    N, M = 50, 7
    y = rng.normal(0.0, 1.5, (N, M))
    p = rng.normal(0.0, 1.5, (N, M))
    specs.append(make("mse", "random", False, p, y, weights=gen_weights((N, M), False)))
    specs.append(make("bce", "soft_targets", True, gen_probs((N, M), True),
                      gen_bce_targets((N, M), True), weights=gen_weights((N,), True)))
    specs.append(make("cce", "soft_targets", False, gen_pred_rows(N, M, False),
                      gen_soft_targets(N, M, False), weights=gen_weights((N,), False)))
    specs.append(make("sparse", "random", True, gen_pred_rows(N, M, True),
                      labels=rng.integers(0, M, N)))
    return specs


def edge_specs():
    specs = []
    for f in (False, True):
        e = DEFAULT_EPS[f]
        lo, hi = clip_bounds(e, f)
        below = e / 2  # strictly below eps: clipped, gradient 0
        above = float(np.nextafter(np.float32(hi), np.float32(2))) if f \
            else float(np.nextafter(hi, 2.0))  # strictly above 1 - eps
        assert below < lo and hi < above <= 1.0

        # ---- predictions exactly 0 and 1, default eps: finite, gradient 0 there
        p = A([[0, 1, 0, 1], [1, 0, 1, 0.6], [1, 0, 0.4, 0]])
        y = A([[0, 1, 0.3, 1], [0, 1, 0.75, 0.5], [1, 0, 0.25, 0]])
        specs.append(make("bce", "clipped_0_1", f, p, y))
        specs.append(make("bce", "clipped_0_1", f, p, y, weights=A([2, 0.5, 0])))
        p = A([[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0, 0, 1]])
        y = A([[1, 0, 0], [1, 0, 0], [0, 0, 1], [0.25, 0.25, 0.5]])
        specs.append(make("cce", "clipped_0_1", f, p, y))
        specs.append(make("cce", "clipped_0_1", f, p, y, weights=A([1, 3, 0.5, 0])))
        specs.append(make("sparse", "clipped_0_1", f, p, labels=[0, 0, 1, 2]))
        specs.append(make("sparse", "clipped_0_1", f, p, labels=[0, 1, 1, 2],
                          weights=A([0, 2, 1, 1.5])))

        # ---- at the clip bounds (analytic gradient) and just outside (0)
        p = A([[lo, hi, below, above], [lo, hi, below, above], [hi, lo, 0.5, 0.25]])
        y = A([[0, 1, 0, 1], [1, 0, 0.5, 0.5], [0.5, 0.75, 1, 0]])
        specs.append(make("bce", "clip_bounds", f, p, y))
        specs.append(make("bce", "clip_bounds", f, p, y,
                          weights=A([[1, 2, 0, 1], [0.5, 1, 1, 0], [3, 1, 1, 1]])))
        p = A([[lo, hi, 0.5], [lo, hi, 0.5], [below, above, 0.5], [below, above, 0.5]])
        y = A([[1, 0, 0], [0.25, 0.5, 0.25], [1, 0, 0], [0.5, 0.5, 0]])
        specs.append(make("cce", "clip_bounds", f, p, y))
        specs.append(make("sparse", "clip_bounds", f, p, labels=[0, 1, 0, 1]))
        specs.append(make("sparse", "clip_bounds", f, p, labels=[1, 0, 1, 0],
                          weights=A([1, 0.5, 2, 0])))

        # ---- opposite certainty: mean 52 ln 2 (double) / 23 ln 2 (float)
        bits = 23 if f else 52
        exact = to_double(bits * mpmath.log(2))
        assert math.isclose(exact, bits * math.log(2), rel_tol=1e-15)
        specs.append(make("bce", "opposite_certainty", f, A([[1], [0]]), A([[0], [1]]),
                          expect_exact={"mean": exact, "sum": to_double(2 * bits * mpmath.log(2))},
                          note=f"asserted mean == {bits} ln 2"))

        # ---- Keras' epsilon 1e-7 (in float: float32(1e-7), 1 - eps rounds to 1 - 2**-23)
        k = KERAS_EPS[f]
        klo, khi = clip_bounds(k, f)
        p = A([[0, 1, klo, khi], [0.3, 0.9, 1, 0], [klo / 2, 0.5, 0.05, khi]])
        y = A([[0, 1, 0.5, 0.25], [0.3, 0, 0, 1], [1, 0.5, 1, 0]])
        specs.append(make("bce", "keras_eps", f, p, y, eps=k))
        if not f:
            specs.append(make("bce", "keras_eps", f, p, y, eps=k,
                              weights=A([[1, 0, 2, 1], [0.5, 1, 1, 3], [1, 1, 0, 2]])))
        p = A([[1, 0, 0], [klo, khi, 0], [0.2, 0.3, 0.5], [0, 0.1, 0.9]])
        y = A([[0, 1, 0], [0.5, 0.5, 0], [0, 0, 1], [1, 0, 0]])
        specs.append(make("cce", "keras_eps", f, p, y, eps=k))
        specs.append(make("cce", "keras_eps", f, p, y, eps=k, weights=A([1, 2, 0.5, 1])))
        specs.append(make("sparse", "keras_eps", f, p, labels=[1, 1, 2, 0], eps=k))

        # ---- eps = 0 without infinities: p equal to its 0/1 target (one-sided derivative)
        p = A([[0, 1, 0.5], [0, 1, 0.9], [0.2, 1, 0]])
        y = A([[0, 1, 0.5], [0, 1, 0.3], [0.6, 1, 0]])
        specs.append(make("bce", "eps0_finite", f, p, y, eps=0.0))
        specs.append(make("bce", "eps0_finite", f, p, y, eps=0.0,
                          weights=A([[1, 2, 0], [0.5, 1, 1], [0, 3, 1]])))
        p = A([[1, 0, 0], [0, 0.5, 0.5], [0.2, 0.8, 0], [0.5, 0, 0.25]])
        y = A([[1, 0, 0], [0, 0.5, 0.5], [0, 1, 0], [1, 0, 0]])
        specs.append(make("cce", "eps0_finite", f, p, y, eps=0.0))
        specs.append(make("sparse", "eps0_finite", f, p, labels=[0, 2, 1, 0], eps=0.0))
        specs.append(make("sparse", "eps0_finite", f, p, labels=[0, 2, 1, 0], eps=0.0,
                          weights=A([2, 1, 0, 1])))

        # ---- eps = 0, certain and wrong: +inf value (gradient -inf/+inf there)
        p = A([[0, 1, 0.5], [0.25, 0, 1]])
        y = A([[1, 0, 0.5], [0, 0, 1]])
        specs.append(make("bce", "eps0_infinite", f, p, y, eps=0.0))
        # ... and the same with zero weights on the infinite terms: finite
        specs.append(make("bce", "eps0_infinite_zero_weight", f, p, y, eps=0.0,
                          weights=A([[0, 0, 1], [2, 1, 0.5]])))
        specs.append(make("bce", "eps0_infinite_zero_weight", f, p, y, eps=0.0,
                          weights=A([0, 1])))
        specs.append(make("bce", "eps0_infinite", f, p, y, eps=0.0, weights=A([0.5, 1])))
        p = A([[0, 0.6, 0.4], [0.5, 0.5, 0], [0.1, 0.2, 0.7]])
        y = A([[1, 0, 0], [0.5, 0.25, 0.25], [0, 1, 0]])
        specs.append(make("cce", "eps0_infinite", f, p, y, eps=0.0))
        specs.append(make("cce", "eps0_infinite_zero_weight", f, p, y, eps=0.0,
                          weights=A([0, 0, 2])))
        specs.append(make("sparse", "eps0_infinite", f, p, labels=[0, 2, 1], eps=0.0))
        specs.append(make("sparse", "eps0_infinite_zero_weight", f, p, labels=[0, 2, 1],
                          eps=0.0, weights=A([0, 0, 1])))

        # ---- total weight zero: value 0, gradient 0
        p = gen_probs((3, 2), f)
        y = gen_bce_targets((3, 2), f)
        specs.append(make("mse", "all_zero_weights", f, p, y, weights=np.zeros(3)))
        specs.append(make("mse", "all_zero_weights", f, p, y, weights=np.zeros((3, 2))))
        specs.append(make("bce", "all_zero_weights", f, p, y, weights=np.zeros(3)))
        specs.append(make("bce", "all_zero_weights", f, p, y, weights=np.zeros((3, 2))))
        p = gen_pred_rows(3, 2, f)
        specs.append(make("cce", "all_zero_weights", f, p, A([[1, 0], [0.5, 0.5], [0, 1]]),
                          weights=np.zeros(3)))
        specs.append(make("sparse", "all_zero_weights", f, p, labels=[1, 0, 1],
                          weights=np.zeros(3)))

        # ---- mse: exact match gives 0 and gradient 0
        y = as_scalar(rng.normal(0.0, 1.5, (3, 3)), f)
        specs.append(make("mse", "exact_match", f, y.copy(), y))
        specs.append(make("mse", "exact_match", f, y.copy(), y, weights=A([1, 0, 2])))
    return specs


SKLEARN_LIT = "literal value from scikit-learn's test_log_loss"


def sklearn_specs():
    """scikit-learn's log_loss tests, as sparse (labels) and cce (one-hot)."""
    data = [
        ("sklearn_binary", [0, 0, 0, 1, 1, 1],
         [[.5, .5], [.1, .9], [.01, .99], [.9, .1], [.75, .25], [.001, .999]],
         None, {"mean": 1.881797068998267}),
        ("sklearn_multiclass", [1, 0, 2],
         [[.2, .7, .1], [.6, .2, .2], [.6, .1, .3]],
         None, {"mean": 0.6904911240102196, "sum": 2.0714733720306588}),
        ("sklearn_multiclass_doubled", [1, 0, 2] * 2,
         [[.2, .7, .1], [.6, .2, .2], [.6, .1, .3]] * 2,
         None, {"mean": 0.6904911240102196, "sum": 4.142946744061318}),
        ("sklearn_ham_spam", [0, 1, 1, 0],
         [[.3, .7], [.6, .4], [.4, .6], [.7, .3]], None, {"mean": 0.7469410259762035}),
        ("sklearn_one_class_present", [1, 1],
         [[.1, .9], [.1, .9]], None, {"mean": 0.10536051565782628}),
        ("sklearn_labels_subset", [0, 1, 1],
         [[.7, .1, .2], [.2, .7, .1], [.1, .7, .2]], None, {"mean": 0.35667494393873245}),
        ("sklearn_docstring", [1, 0, 0, 1],
         [[.1, .9], [.9, .1], [.8, .2], [.35, .65]], None, {"mean": 0.21616187468057912}),
        ("sklearn_sample_weight", [0, 1, 1],
         [[.8, .2], [.3, .7], [.6, .4]], [1, 2, 3],
         {"mean": 0.6142276058023566, "sum": 3.6853656348141395}),
    ]
    specs = []
    for scenario, lab, p, w, expect in data:
        p = A(p)
        K = p.shape[1]
        w = None if w is None else A(w)
        specs.append(make("sparse", scenario, False, p, labels=lab, weights=w,
                          expect=expect, sklearn_all_rows=True, note=SKLEARN_LIT))
        specs.append(make("cce", scenario, False, p, np.eye(K)[lab], weights=w,
                          expect=expect, sklearn_all_rows=True, note=SKLEARN_LIT))
    # rows that do not sum to one are scored as given (not renormalised)
    lab = [0, 1, 1, 0]
    p = A([[.2, .7], [.6, .3], [.4, .7], [.8, .3]])
    note = (f"rows do not sum to one: value from mpmath (and torch) only; {SKL} "
            "renormalises such rows and was not used")
    specs.append(make("sparse", "unnormalised_rows", False, p, labels=lab, note=note))
    specs.append(make("cce", "unnormalised_rows", False, p, np.eye(2)[lab], note=note))
    return specs


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
def fmt(x):
    x = float(x)
    assert not math.isnan(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


class Pool:
    """All numbers of all cases in one flat constexpr array (and one for labels): large
    initializer lists of std::vector take compilers minutes and gigabytes; flat constexpr
    arrays compile in a moment."""

    def __init__(self, numbers_name="numbers", labels_name="label_numbers"):
        self.numbers = []
        self.labels = []
        self.numbers_name = numbers_name
        self.labels_name = labels_name

    def span(self, xs):
        xs = [fmt(v) for v in xs]
        offset = len(self.numbers)
        self.numbers.extend(xs)
        return f"{{{self.numbers_name} + {offset}, {len(xs)}}}"

    def label_span(self, xs):
        offset = len(self.labels)
        self.labels.extend(str(int(v)) for v in xs)
        return f"{{{self.labels_name} + {offset}, {len(xs)}}}"


def lines_of(items, per_line=6, indent="  "):
    return ",\n".join(indent + ", ".join(items[k:k + per_line]) for k in range(0, len(items), per_line))


def cpp_case(pool: Pool, s: Spec, ref, source):
    N, M = s.y_pred.shape
    for text in (s.name, source):
        assert '"' not in text and "\\" not in text
    labels = [] if s.labels is None else [int(v) for v in s.labels]
    y_true = [] if s.y_true is None else list(s.y_true.ravel())
    weights = [] if s.weights is None else list(s.weights.ravel())
    fields = [
        f'"{s.name}"',
        f'"{source}"',
        f"Loss::{s.loss}",
        "true" if s.is_float else "false",
        fmt(s.eps),
        str(N),
        str(M),
        "/*y_true*/ " + pool.span(y_true),
        "/*labels*/ " + pool.label_span(labels),
        "/*y_pred*/ " + pool.span(s.y_pred.ravel()),
        "/*weights*/ " + pool.span(weights),
        "/*mean*/ " + fmt(ref["mean"]),
        "/*sum*/ " + fmt(ref["sum"]),
        "/*per_sample*/ " + pool.span(ref["per_sample"]),
        "/*per_element*/ " + pool.span(ref["per_element"]),
        "/*gradient_mean*/ " + pool.span(ref["gradient_mean"]),
        "/*gradient_sum*/ " + pool.span(ref["gradient_sum"]),
    ]
    head = ", ".join(fields[:7])
    return "  {" + head + ",\n" + ",\n".join("     " + f for f in fields[7:]) + "},\n"


HEADER = """\
// Generated by tests/reference/generate.py; do not edit by hand.
#pragma once
#include <cstddef>
#include <limits>
namespace reference {
constexpr double inf = std::numeric_limits<double>::infinity();
enum class Loss { mse, bce, cce, sparse };
/// A run of numbers inside the pools below.
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
struct Case {
  const char* name;            // unique, e.g. "bce/soft_targets/5x3/row_weights/double"
  const char* source;          // which independent library produced the expected numbers
  Loss loss;
  bool is_float;               // true: inputs are float32-representable and the case is meant to run with Scalar=float (epsilon default differs)
  double epsilon;              // clipping epsilon the case uses (ignored for mse)
  long rows, cols;             // y_pred is rows x cols (N x M, or N x K)
  Span<double> y_true;         // row-major, rows*cols values (empty for sparse)
  Span<long> labels;           // sparse only: rows labels in [0, cols)
  Span<double> y_pred;         // row-major rows*cols
  Span<double> weights;        // empty (unweighted), rows values (one per sample), or rows*cols (one per element, mse/bce only), row-major
  double mean;                 // reduced value with Reduction::mean, weighted as `weights` says
  double sum;                  // reduced value with Reduction::sum, weighted
  Span<double> per_sample;     // rows values, UNWEIGHTED (mse/bce: mean over the row's cols terms; cce/sparse: the row's loss)
  Span<double> per_element;    // mse/bce only: rows*cols UNWEIGHTED terms, row-major (empty for cce/sparse)
  Span<double> gradient_mean;  // rows*cols, row-major: d(mean value)/d(y_pred), weighted
  Span<double> gradient_sum;   // rows*cols, row-major: d(sum value)/d(y_pred), weighted
};
"""


def render(built):
    pool = Pool()
    cases = "".join(cpp_case(pool, *b) for b in built)
    numbers = pool.numbers or ["0"]
    labels = pool.labels or ["0"]
    return (HEADER
            + "inline constexpr double numbers[] = {\n" + lines_of(numbers) + "};\n"
            + "inline constexpr long label_numbers[] = {\n" + lines_of(labels, per_line=20) + "};\n"
            + "inline constexpr Case cases[] = {\n" + cases + "};\n"
            + "}  // namespace reference\n")


def main():
    torch.set_default_dtype(torch.float64)
    specs = random_specs() + edge_specs() + sklearn_specs()
    names = [s.name for s in specs]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate case names: {sorted(dup)}"
    built = [build_case(s) for s in specs]
    if FAILURES:
        for msg in FAILURES:
            print("CROSS-CHECK FAILED:", msg, file=sys.stderr)
        print(f"{len(FAILURES)} cross-check failure(s); nothing written", file=sys.stderr)
        return 1
    text = render(built)
    OUT.write_text(text)
    counts = {}
    for s in specs:
        counts[s.loss] = counts.get(s.loss, 0) + 1
    print(f"wrote {OUT} ({len(text)} bytes, {len(specs)} cases: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
