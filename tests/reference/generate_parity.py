#!/usr/bin/python3
"""Reference values for the parity tests (tests/parity.test.cpp).

WHAT IT DOES
    Computes, for a few small problems, the numbers scikit-learn 1.2 and PyTorch 1.13
    give for the conventions the README's parity table lists, and writes them to
    tests/reference/parity_values.hpp (next to this script).

HOW TO RUN
    From the repository root:

        /usr/bin/python3 tests/reference/generate_parity.py

    It needs Debian's python3 with numpy, scikit-learn 1.2, torch 1.13 and mpmath. The
    output is deterministic. It exits with a non-zero status, writing nothing, if any
    cross-check disagrees.

WHERE THE NUMBERS COME FROM (nothing here uses the C++ library)
    * renormalised rows: scikit-learn 1.2's log_loss, which still divides each row of
      probabilities by its sum (1.5 stopped), for its value; the Keras formula
      (q = p / sum(p), clip(q, eps, 1 - eps), -sum(t log q)) in torch float64 under
      autograd for the gradient; both cross-checked with mpmath at 50 digits.
    * PyTorch's F.binary_cross_entropy on probabilities inside (0, 1) with element
      weights, reduction 'mean' and 'sum', and its autograd gradient; cross-checked with
      mpmath from the definition.
"""

import sys
from pathlib import Path

import mpmath
import numpy as np
import torch
from sklearn.metrics import log_loss

mpmath.mp.dps = 50
RTOL = 1e-13


def fail(message):
    print("generate_parity.py: " + message, file=sys.stderr)
    sys.exit(1)


def close(what, got, want, rtol=RTOL):
    got, want = float(got), float(want)
    if abs(got - want) > rtol * max(abs(want), 1e-300):
        fail(f"{what}: {got!r} against {want!r}")


def mp_renormalised(t, p, eps):
    """Keras' categorical cross-entropy of one row, at 50 digits."""
    p = [mpmath.mpf(float(v)) for v in p]
    total = mpmath.fsum(p)
    loss = mpmath.mpf(0)
    for tk, pk in zip(t, p):
        q = min(max(pk / total, mpmath.mpf(eps)), 1 - mpmath.mpf(eps))
        if tk != 0:
            loss -= mpmath.mpf(float(tk)) * mpmath.log(q)
    return loss


def renormalised_case(name, y, p, eps, labels=None):
    """Rows renormalised then clipped (Keras); labels given: also scikit-learn 1.2."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    N, K = p.shape
    P = torch.tensor(p, requires_grad=True)
    q = torch.clamp(P / P.sum(dim=1, keepdim=True), eps, 1 - eps)
    rows = -(torch.tensor(y) * torch.log(q)).sum(dim=1)
    mean = rows.mean()
    mean.backward()
    exact = [mp_renormalised(y[i], p[i], eps) for i in range(N)]
    for i in range(N):
        close(f"{name}: torch row {i}", rows[i].item(), exact[i])
    source = "torch 1.13 float64 autograd of Keras' formula; mpmath 1.2.1 at 50 digits"
    if labels is not None:
        # scikit-learn 1.2 clips at its own eps (1e-15) before renormalising: the
        # predictions here are far from both bounds, so the order does not matter.
        skl_mean = log_loss(labels, p, labels=list(range(K)))
        skl_sum = log_loss(labels, p, labels=list(range(K)), normalize=False)
        close(f"{name}: sklearn mean", skl_mean, mean.item())
        close(f"{name}: sklearn sum", skl_sum, rows.sum().item())
        source = "scikit-learn 1.2.1 log_loss (value); " + source
    return dict(name=name, source=source, kind="renormalize", y=y, p=p, w=None, eps=eps,
                mean=float(mpmath.fsum(exact) / N), sum=float(mpmath.fsum(exact)),
                per_sample=[float(v) for v in exact], gradient=P.grad.numpy())


def torch_bce_case(name, y, p, w):
    y, p, w = (np.asarray(a, dtype=np.float64) for a in (y, p, w))
    P = torch.tensor(p, requires_grad=True)
    mean = torch.nn.functional.binary_cross_entropy(P, torch.tensor(y), weight=torch.tensor(w), reduction="mean")
    total = torch.nn.functional.binary_cross_entropy(P.detach(), torch.tensor(y), weight=torch.tensor(w),
                                                     reduction="sum")
    mean.backward()
    exact = mpmath.fsum(
        -mpmath.mpf(w[i, j]) * (mpmath.mpf(y[i, j]) * mpmath.log(p[i, j]) +
                                (1 - mpmath.mpf(y[i, j])) * mpmath.log(1 - mpmath.mpf(p[i, j])))
        for i in range(p.shape[0]) for j in range(p.shape[1]))
    close(f"{name}: torch sum", total.item(), exact)
    return dict(name=name, source="torch 1.13 F.binary_cross_entropy (float64) and autograd; mpmath 1.2.1",
                kind="torch_bce", y=y, p=p, w=w, eps=0.0, mean=mean.item(), sum=total.item(),
                per_sample=[], gradient=P.grad.numpy())


def cases():
    labels = [0, 2, 1, 1, 0, 2]
    one_hot = np.eye(3)[labels]
    unnormalised = [[0.2, 0.3, 0.2], [0.6, 0.3, 0.6], [0.1, 0.8, 0.3],
                    [0.25, 0.25, 0.25], [0.5, 0.4, 0.3], [0.05, 0.15, 0.6]]
    out = [renormalised_case("rows not summing to one, one-hot", one_hot, unnormalised, 1e-7, labels)]
    soft = [[0.2, 0.5, 0.3], [0.0, 0.0, 1.0], [0.6, 0.4, 0.0], [1 / 3, 1 / 3, 1 / 3]]
    tiny = [[0.2, 0.5, 1e-9], [0.4, 0.4, 0.4], [0.3, 0.9, 0.6], [0.1, 0.1, 0.5]]
    out.append(renormalised_case("soft targets, a probability clipped after renormalising", soft, tiny, 1e-7))
    rng = np.random.default_rng(20261204)
    p = rng.uniform(0.05, 0.95, size=(5, 3))
    y = rng.choice([0.0, 1.0, 0.3], size=(5, 3))
    w = rng.uniform(0.0, 2.0, size=(5, 3))
    out.append(torch_bce_case("PyTorch binary_cross_entropy inside (0, 1), element weights", y, p, w))
    return out


def fmt(x):
    return repr(float(x)) if np.isfinite(x) else ("inf" if x > 0 else "-inf")


def array(values):
    values = list(np.asarray(values, dtype=np.float64).ravel())
    return "{" + ", ".join(fmt(v) for v in values) + "}"


def render(all_cases):
    lines = ["// Generated by tests/reference/generate_parity.py; do not edit by hand.",
             "// Reference values for the parity tests; see the script for their sources.",
             "#pragma once", "#include <vector>", "namespace parity_reference {",
             "enum class Kind { renormalize, torch_bce };", "struct Case {",
             "  const char* name;", "  const char* source;", "  Kind kind;", "  long rows, cols;",
             "  double epsilon;",
             "  std::vector<double> y_true, y_pred, weights;  // row-major; weights empty: none",
             "  double mean, sum;", "  std::vector<double> per_sample;  // empty: not listed",
             "  std::vector<double> gradient_mean;  // row-major", "};",
             "inline const std::vector<Case>& cases() {", "  static const std::vector<Case> all = {"]
    for c in all_cases:
        rows, cols = c["p"].shape
        lines += [f"    {{\"{c['name']}\", \"{c['source']}\", Kind::{c['kind']}, {rows}, {cols}, {fmt(c['eps'])},",
                  f"     {array(c['y'])},", f"     {array(c['p'])},",
                  f"     {array(c['w']) if c['w'] is not None else '{}'},",
                  f"     {fmt(c['mean'])}, {fmt(c['sum'])},", f"     {array(c['per_sample'])},",
                  f"     {array(c['gradient'])}}},"]
    lines += ["  };", "  return all;", "}", "}  // namespace parity_reference", ""]
    return "\n".join(lines)


def main():
    text = render(cases())
    out = Path(__file__).with_name("parity_values.hpp")
    out.write_text(text)
    print(f"wrote {out.name} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
