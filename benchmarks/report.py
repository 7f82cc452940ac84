#!/usr/bin/env python3
"""Turns one benchmark run (the JSON of each build flavour) into RESULTS.md.

    report.py --output RESULTS.md results/*.json

Python 3 standard library only. Reads the median aggregates (or single runs when there
were no repetitions), merges the files of one flavour (float and double run as separate
processes), and reports, per flavour, ns per element, GB/s, the library's ratios
to LibTorch, to the tutorial's loop and to the bounds, then checks the performance targets.
"""

import argparse
import json
import re
import statistics
import sys
from collections import defaultdict

NAME = re.compile(r"^(?P<loss>[a-z_]+)/(?P<scalar>float|double)/n=(?P<n>\d+)/k=(?P<k>\d+)/(?P<impl>.+)$")
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
FLAVOUR_ORDER = ["plain", "x86-64-v3", "native"]
HEADLINE_FLAVOUR = "x86-64-v3"

# What each loss is compared with. "torch": LibTorch computing the same function (the
# fastest of the listed formulations is the one compared); "users": what LibTorch users call
# for the task (cross_entropy on logits), when that is a different function.
LOSSES = {
    "mse": dict(
        title="Mean squared error",
        labels=False,
        torch_fwd=["torch.fwd"],
        torch_both=["torch.fwd+bwd", "torch.fwd+bwd_ops"],
        transcendental=None,
        torch_text="`mse_loss`; backward by autograd, and by `mse_loss_backward_out` into the same gradient buffer",
    ),
    "bce": dict(
        title="Binary cross-entropy on probabilities",
        labels=False,
        torch_fwd=["torch.fwd"],
        torch_both=["torch.fwd+bwd", "torch.fwd+bwd_ops"],
        transcendental="log2",
        torch_text="`binary_cross_entropy`; backward by autograd, and by `binary_cross_entropy_backward_out` into the same gradient buffer",
    ),
    "bce_logits": dict(
        title="Binary cross-entropy on logits",
        labels=False,
        torch_fwd=["torch.fwd"],
        torch_both=["torch.fwd+bwd"],
        transcendental="exp_log",
        torch_text="`binary_cross_entropy_with_logits`; backward by autograd",
    ),
    "cce": dict(
        title="Categorical cross-entropy on probabilities, dense one-hot targets",
        labels=False,
        torch_fwd=["torch.fwd"],
        torch_both=["torch.fwd+bwd"],
        users="cce_logits",
        transcendental="log_rows",
        torch_text="`-(y * log(p)).sum(1).mean()` (the same function; LibTorch has no built-in for it); backward by autograd",
    ),
    "cce_logits": dict(
        title="Softmax cross-entropy on logits, dense probability targets",
        labels=False,
        torch_fwd=["torch.fwd"],
        torch_both=["torch.fwd+bwd"],
        transcendental="softmax",
        torch_text="`cross_entropy(x, y)` with probability targets; backward by autograd",
    ),
    "sparse_cce": dict(
        title="Categorical cross-entropy on probabilities, integer labels",
        labels=True,
        torch_fwd=["torch.fwd", "torch_gather.fwd"],
        torch_both=["torch.fwd+bwd", "torch_gather.fwd+bwd"],
        users="sparse_cce_logits",
        transcendental="log_rows",
        torch_text="`nll_loss(log(p), labels)` and `-log(p.gather(1, labels)).mean()` (both the same function); backward by autograd",
    ),
    "sparse_cce_logits": dict(
        title="Softmax cross-entropy on logits, integer labels",
        labels=True,
        torch_fwd=["torch.fwd"],
        torch_both=["torch.fwd+bwd"],
        transcendental="softmax",
        torch_text="`cross_entropy(x, labels)` with class indices; backward by autograd",
    ),
}


def bandwidth_bounds(loss):
    """The bandwidth bounds (value, value and gradient) for a loss's bytes."""
    return ("read_labels", "scale_labels") if LOSSES[loss]["labels"] else ("read2", "triad")


class Run:
    """One flavour's results: time per call (ns) and counters, by (loss, scalar, n, k, impl)."""

    def __init__(self, path, clock):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.path = path
        self.context = data.get("context", {})
        self.flavour = self.context.get("losses_flavour", path)
        self.results = {}
        self.cv = {}
        self.real_over_cpu = []
        single = {}
        for b in data.get("benchmarks", []):
            name = b.get("run_name", b["name"])
            m = NAME.match(name)
            if not m:
                continue
            key = (m["loss"], m["scalar"], int(m["n"]), int(m["k"]), m["impl"])
            scale = UNIT_NS[b.get("time_unit", "ns")]
            entry = dict(time=b[clock + "_time"] * scale, real=b["real_time"] * scale, cpu=b["cpu_time"] * scale,
                         elements=b.get("elements"), bytes=b.get("bytes"), repetitions=b.get("repetitions", 1))
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") == "median":
                    self.results[key] = entry
                elif b.get("aggregate_name") == "cv":
                    self.cv[key] = b[clock + "_time"]
            else:
                single.setdefault(key, []).append(entry)
        for key, entries in single.items():  # no aggregates: the median of the runs present
            if key not in self.results:
                entries.sort(key=lambda e: e["time"])
                self.results[key] = dict(entries[len(entries) // 2], repetitions=len(entries))
        for e in self.results.values():
            if e["cpu"] > 0:
                self.real_over_cpu.append(e["real"] / e["cpu"])
        self.repetitions = max((e["repetitions"] for e in self.results.values()), default=0)
        self.contexts = [self.context]

    def merge(self, other):
        """Adds another process's results of the same flavour (float and double run apart)."""
        self.results.update(other.results)
        self.cv.update(other.cv)
        self.real_over_cpu += other.real_over_cpu
        self.repetitions = max(self.repetitions, other.repetitions)
        self.contexts += other.contexts

    def time(self, loss, scalar, n, k, impl):
        e = self.results.get((loss, scalar, n, k, impl))
        return e["time"] if e else None

    def best(self, loss, scalar, n, k, impls):
        times = [(self.time(loss, scalar, n, k, i), i) for i in impls]
        times = [t for t in times if t[0] is not None]
        return min(times) if times else (None, None)

    def per_element(self, loss, scalar, n, k, impl):
        t = self.time(loss, scalar, n, k, impl)
        return t / n if t is not None else None

    def gbps(self, loss, scalar, n, k, impl):
        e = self.results.get((loss, scalar, n, k, impl))
        return e["bytes"] / e["time"] if e and e.get("bytes") else None

    def bound(self, scalar, n, k, kind):
        return self.time("bound", scalar, n, k, kind)

    def shapes(self, loss):
        """(scalar, n, k) present for a loss, in a stable order."""
        found = {(s, n, k) for (l, s, n, k, _) in self.results if l == loss}
        return sorted(found, key=lambda t: (t[0] != "float", t[2], t[1]))

    def has(self, loss, impl):
        return any(l == loss and i == impl for (l, _, _, _, i) in self.results)


def ratio(a, b):
    return a / b if a is not None and b is not None and b > 0 else None


def fmt_ns(v):
    if v is None:
        return "–"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_x(v):
    return "–" if v is None else (f"{v:.1f}×" if v >= 10 else f"{v:.2f}×")


def fmt_pct(v):
    return "–" if v is None else f"{100 * v:.0f}%"


def fmt_gb(v):
    return "–" if v is None else f"{v:.1f}"


def fmt_n(n):
    exponent = len(str(n)) - 1
    return f"1e{exponent}" if n == 10**exponent else str(n)


def shape_text(n, k):
    return fmt_n(n) if k == 1 else f"{fmt_n(n)} (N={fmt_n(n // k) if n // k > 1 else 1}, K={k})"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------


def library_speedups(run, loss):
    """(scalar, n, k, into vs torch both, value vs torch fwd, into vs users' both)."""
    spec = LOSSES[loss]
    out = []
    for scalar, n, k in run.shapes(loss):
        into = run.time(loss, scalar, n, k, "library.into")
        value = run.time(loss, scalar, n, k, "library.value")
        torch_both, _ = run.best(loss, scalar, n, k, spec["torch_both"])
        torch_fwd, _ = run.best(loss, scalar, n, k, spec["torch_fwd"])
        users = None
        if spec.get("users"):
            users_both, _ = run.best(spec["users"], scalar, n, k, LOSSES[spec["users"]]["torch_both"])
            users = ratio(users_both, into)
        out.append((scalar, n, k, ratio(torch_both, into), ratio(torch_fwd, value), users))
    return out


def loss_details(run, loss):
    spec = LOSSES[loss]
    read, triad = bandwidth_bounds(loss)
    trans = spec["transcendental"]
    has_library = run.has(loss, "library.into")
    has_colmajor = run.has(loss, "library.into_colmajor")
    parts = [f"#### {spec['title']} (`{loss}`)", "", f"LibTorch: {spec['torch_text']}.", ""]

    header = ["scalar", "n"]
    if has_library:
        header += ["value", "value, then gradient", "into"]
        if has_colmajor:
            header += ["into, col-major"]
    header += ["tutorial"]
    header += [i.replace("torch", "LibTorch", 1) for i in spec["torch_fwd"] + spec["torch_both"]]
    header += [f"bound {read}", f"bound {triad}"] + ([f"bound {trans}"] if trans else [])
    rows = []
    for scalar, n, k in run.shapes(loss):
        row = [scalar, shape_text(n, k)]
        impls = []
        if has_library:
            impls += ["library.value", "library.value+gradient", "library.into"]
            if has_colmajor:
                impls += ["library.into_colmajor"]
        impls += ["tutorial.value"] + spec["torch_fwd"] + spec["torch_both"]
        row += [fmt_ns(run.per_element(loss, scalar, n, k, i)) for i in impls]
        for kind in [read, triad] + ([trans] if trans else []):
            b = run.bound(scalar, n, k, kind)
            row.append(fmt_ns(b / n if b is not None else None))
        rows.append(row)
    parts += ["ns per element (n = N·K elements):", "", table(header, rows), ""]

    if has_library:
        header = ["scalar", "n", "into GB/s", "into vs LibTorch fwd+bwd", "value vs LibTorch fwd"]
        if spec.get("users"):
            header.append("into vs `cross_entropy` fwd+bwd (logits)")
        header += ["value vs tutorial", "two calls / into", f"value % of {read}", f"into % of {triad}"]
        if trans:
            header += [f"value % of {trans}", f"into % of {trans}"]
        rows = []
        speedups = {(s, n, k): (a, b, c) for s, n, k, a, b, c in library_speedups(run, loss)}
        for scalar, n, k in run.shapes(loss):
            into = run.time(loss, scalar, n, k, "library.into")
            value = run.time(loss, scalar, n, k, "library.value")
            both, fwd, users = speedups[(scalar, n, k)]
            row = [scalar, shape_text(n, k), fmt_gb(run.gbps(loss, scalar, n, k, "library.into")), fmt_x(both), fmt_x(fwd)]
            if spec.get("users"):
                row.append(fmt_x(users))
            row += [
                fmt_x(ratio(run.time(loss, scalar, n, k, "tutorial.value"), value)),
                fmt_x(ratio(run.time(loss, scalar, n, k, "library.value+gradient"), into)),
                fmt_pct(ratio(run.bound(scalar, n, k, read), value)),
                fmt_pct(ratio(run.bound(scalar, n, k, triad), into)),
            ]
            if trans:
                row += [fmt_pct(ratio(run.bound(scalar, n, k, trans), value)),
                        fmt_pct(ratio(run.bound(scalar, n, k, trans), into))]
            rows.append(row)
        parts += ["Ratios (× = how many times faster the library is; % = bound time / library time):", "",
                  table(header, rows), ""]
    else:
        parts += ["No logits results in this run.", ""]
    return "\n".join(parts)


def pivot(run, column):
    """Rows: each loss (and K); columns: scalar × n; cells: one of library_speedups' ratios."""
    columns = [(s, n) for s in ("float", "double") for n in (1_000, 100_000, 10_000_000)]
    header = ["loss", "K"] + [f"{s} {fmt_n(n)}" for s, n in columns]
    rows = []
    for loss in LOSSES:
        if not run.has(loss, "library.into") or (column == 2 and not LOSSES[loss].get("users")):
            continue
        cells = {(s, n, k): r for s, n, k, *r in library_speedups(run, loss)}
        for k in sorted({k for (_, _, k) in cells}):
            rows.append([f"`{loss}`", "–" if k == 1 else str(k)] +
                        [fmt_x(cells.get((s, n, k), (None,) * 3)[column]) for s, n in columns])
    return table(header, rows)


def headline(run):
    return "\n".join([
        "`value_and_gradient_into` against LibTorch's forward plus backward (the fastest LibTorch formulation "
        "of the same function):", "", pivot(run, 0), "",
        "The value against LibTorch's forward:", "", pivot(run, 1), "",
        "The categorical losses on probabilities against `cross_entropy` on logits, forward plus backward "
        "(what LibTorch users call; it also does the softmax's work, so this flatters the library):", "",
        pivot(run, 2)])


def targets(run):
    """The performance targets, each with the measured ratios."""
    lines = []
    # 1. into ≥ 2x LibTorch fwd+bwd at n ≥ 1e5, ≥ 5x at 1e3.
    missed, worst_large, worst_small = [], None, None
    for loss in LOSSES:
        if not run.has(loss, "library.into"):
            continue
        for scalar, n, k, both, _, _ in library_speedups(run, loss):
            if both is None:
                continue
            need = 5.0 if n < 100_000 else 2.0
            if n < 100_000:
                worst_small = both if worst_small is None else min(worst_small, both)
            else:
                worst_large = both if worst_large is None else min(worst_large, both)
            if both < need:
                missed.append(f"`{loss}` {scalar} n = {shape_text(n, k)}: {fmt_x(both)} (target {need:.0f}×)")
    lines.append(f"1. **`value_and_gradient_into` ≥ 2× LibTorch forward plus backward at n ≥ 1e5, ≥ 5× at 1e3** "
                 f"(against the fastest LibTorch formulation of the same function): worst {fmt_x(worst_large)} at "
                 f"n ≥ 1e5, {fmt_x(worst_small)} at 1e3. " +
                 (f"**Missed** in {len(missed)} cases:" if missed else "Met."))
    lines += [f"   - {m}" for m in missed]
    # 2. MSE at 1e7: ≥ 85% of the triad bandwidth.
    cells = []
    for scalar in ("float", "double"):
        n = 10_000_000
        v = ratio(run.bound(scalar, n, 1, "read2"), run.time("mse", scalar, n, 1, "library.value"))
        g = ratio(run.bound(scalar, n, 1, "triad"), run.time("mse", scalar, n, 1, "library.into"))
        cells.append(f"{scalar}: value {fmt_pct(v)} of read2, into {fmt_pct(g)} of triad: " +
                     ("met" if v is not None and g is not None and min(v, g) >= 0.85 else "**missed**"))
    lines.append("2. **MSE at 1e7 reaches ≥ 85% of the bandwidth of a pass over its bytes** (above 100%: the library "
                 "beat the bound kernel, whose sum is not perfectly tuned, or noise):")
    lines += [f"   - {c}" for c in cells]
    # 3. In cache, ≥ 70% (probabilities) / 60% (logits) of the transcendental bound.
    cells = []
    for loss in LOSSES:
        if not run.has(loss, "library.into") or loss == "mse":
            continue
        need = 0.6 if loss.endswith("_logits") else 0.7
        trans = LOSSES[loss]["transcendental"]
        read, triad = bandwidth_bounds(loss)
        for scalar, n, k in run.shapes(loss):
            if n != 100_000:
                continue
            value, into = run.time(loss, scalar, n, k, "library.value"), run.time(loss, scalar, n, k, "library.into")
            # The bound is whichever is slower: the calls or moving the bytes.
            bv = max(filter(None, [run.bound(scalar, n, k, trans), run.bound(scalar, n, k, read)]), default=None)
            bg = max(filter(None, [run.bound(scalar, n, k, trans), run.bound(scalar, n, k, triad)]), default=None)
            rv, rg = ratio(bv, value), ratio(bg, into)
            flag = "met" if rv is not None and rg is not None and min(rv, rg) >= need else "**missed**"
            cells.append(f"`{loss}` {scalar} n = {shape_text(n, k)}: value {fmt_pct(rv)}, into {fmt_pct(rg)}: {flag}")
    lines.append("3. **In cache (n = 1e5), ≥ 70% of the transcendental bound on probabilities, ≥ 60% on logits** "
                 "(the bound is the slower of the calls and a pass over the same bytes):")
    lines += [f"   - {c}" for c in cells]
    lines.append("4. **Checks cost < 5% against an unchecked policy**: not measured; the library has no internal "
                 "unchecked policy yet for the benchmarks to time.")
    lines.append("5. **The caller-storage overload allocates nothing**: a property for the test suite "
                 "(`tests/allocations.test.cpp`), not timed here.")
    lines.append("6. **Plain `-O3` measured and reported beside the others**: see the flavour comparison below.")
    return "\n".join(lines)


def flavours_table(runs):
    by_flavour = {r.flavour: r for r in runs}
    names = [f for f in FLAVOUR_ORDER if f in by_flavour] + [f for f in by_flavour if f not in FLAVOUR_ORDER]
    header = ["loss", "scalar", "n"] + [f"into ns/elem, {f}" for f in names]
    if "plain" in by_flavour and HEADLINE_FLAVOUR in by_flavour:
        header.append(f"plain / {HEADLINE_FLAVOUR}")
    if "native" in by_flavour and HEADLINE_FLAVOUR in by_flavour:
        header.append(f"{HEADLINE_FLAVOUR} / native")
    header += [f"into vs LibTorch, {f}" for f in names]
    rows = []
    ref = by_flavour.get(HEADLINE_FLAVOUR, runs[0])
    for loss in LOSSES:
        if not ref.has(loss, "library.into"):
            continue
        for scalar, n, k in ref.shapes(loss):
            if n < 100_000:
                continue
            t = {f: by_flavour[f].time(loss, scalar, n, k, "library.into") for f in names}
            row = [f"`{loss}`", scalar, shape_text(n, k)] + [fmt_ns(t[f] / n if t[f] else None) for f in names]
            if "plain" in t and HEADLINE_FLAVOUR in t:
                row.append(fmt_x(ratio(t["plain"], t[HEADLINE_FLAVOUR])))
            if "native" in t and HEADLINE_FLAVOUR in t:
                row.append(fmt_x(ratio(t[HEADLINE_FLAVOUR], t["native"])))
            for f in names:
                sp = {(s, nn, kk): b for s, nn, kk, b, _, _ in library_speedups(by_flavour[f], loss)}
                row.append(fmt_x(sp.get((scalar, n, k))))
            rows.append(row)
    return table(header, rows)


def machine(runs):
    c = runs[0].context
    caches = ", ".join(f"L{x['level']} {x['type'].lower()} {x['size'] // 1024} KiB"
                       + (f" ×{c['num_cpus'] // x['num_sharing']}" if x.get("num_sharing") else "")
                       for x in c.get("caches", []))
    lines = [
        f"- **Date**: {c.get('date', 'unknown')} (the start of the first process; each one's start below)",
        f"- **CPU**: {c.get('cpu_model', 'unknown')}, {c.get('num_cpus', '?')} logical CPUs at "
        f"{c.get('mhz_per_cpu', '?')} MHz; caches: {caches}",
        f"- **SIMD flags**: {c.get('cpu_simd_flags', 'unknown')}",
        f"- **Compiler**: {c.get('compiler', 'unknown')}; Eigen {c.get('eigen_version', '?')}; "
        f"losses {c.get('losses_version', '?')}",
        f"- **LibTorch**: {c.get('torch_version', '?')} (headers' version), CPU kernels: "
        f"{c.get('torch_cpu_capability', '?')}, intra-op threads: {c.get('torch_threads', '?')}",
        f"- **Google Benchmark** library build type: {c.get('library_build_type', '?')} (Debian's package; "
        "this concerns the harness library, not the code timed)",
        f"- **Run options**: `{' '.join(a for a in c.get('arguments', '?').split() if not a.startswith('--scalar='))}`"
        + (", float and double in separate processes" if any(len(r.contexts) > 1 for r in runs) else ""),
    ]
    for r in runs:
        rc = r.context
        starts = "; ".join(f"{x.get('date', '?')} (load average {', '.join(f'{v:.2f}' for v in x.get('load_avg', []))})"
                           for x in r.contexts)
        cvs = [v for v in r.cv.values() if v is not None]
        cv = fmt_pct(statistics.median(cvs)) if cvs else "–"
        wall = f"{statistics.median(r.real_over_cpu):.2f}" if r.real_over_cpu else "–"
        lines.append(f"- **{r.flavour}**: `{rc.get('losses_flags', '?')}`, Eigen SIMD: {rc.get('eigen_simd', '?')}; "
                     f"started {starts}; median CV of the repetitions {cv}; median wall/CPU time {wall}")
    return "\n".join(lines)


def report(runs, clock):
    runs = sorted(runs, key=lambda r: FLAVOUR_ORDER.index(r.flavour) if r.flavour in FLAVOUR_ORDER else 99)
    head = next((r for r in runs if r.flavour == HEADLINE_FLAVOUR), runs[0])
    loaded = any(statistics.median(r.real_over_cpu) > 1.2 for r in runs if r.real_over_cpu) or any(
        (r.context.get("load_avg") or [0])[0] > r.context.get("num_cpus", 1) for r in runs)
    out = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/report.py` from one run of `cmake --workflow --preset bench`; see the README's "
        "*Performance and benchmarks* section for what is measured and how to reproduce it.",
        "",
        "## Machine and run",
        "",
        machine(runs),
        "",
        f"Times are medians over {head.repetitions} randomly interleaved repetitions of the benchmark thread's "
        f"**{clock} time**, per call, divided by the n = N·K elements of the problem.",
    ]
    if loaded:
        out += ["",
                "> **This run was taken on a loaded, shared machine** (the load average exceeds the CPU count, or "
                "wall time exceeds CPU time): absolute numbers are noisy and pessimistic, memory-bound numbers most "
                "of all, since other processes share the caches and the memory bus. Ratios between implementations "
                "in the same run are what to read; repeat on a quiet machine before quoting absolute speeds."]
    out += [
        "",
        f"## Headline: the library against LibTorch ({head.flavour})",
        "",
        "How many times faster the library is (below 1×: slower). n = N·K elements; K = 1 for the element-wise "
        "losses.",
        "",
        headline(head),
        "",
        f"## The performance targets ({head.flavour})",
        "",
        targets(head),
        "",
        "## Build flavours",
        "",
        "`value_and_gradient_into`, ns per element, at n ≥ 1e5; `plain / x86-64-v3` is how many times slower the "
        "default build is than AVX2+FMA.",
        "",
        flavours_table(runs),
        "",
        "## Details",
        "",
        "- *value*: `loss(y, p)`; *value, then gradient*: `loss(y, p)` then `loss.gradient(y, p)` (the gradient "
        "allocates its result); *into*: `loss.value_and_gradient_into(y, p, g)` into caller storage.",
        "- *into, col-major*: the same call on the categorical buffers read as Eigen's default column-major "
        "N x K (same bytes and same amount of work, a different but valid problem).",
        "- *tutorial*: the plain loop of a first implementation (value only; sums in double, `log(p + 1e-15)` "
        "promotes float to double and calls scalar libm). Not timed at 1e7.",
        "- LibTorch *fwd*: under `NoGradGuard`; *fwd+bwd*: autograd `backward()` on a leaf over the predictions, "
        "the gradient reset after each call (so each backward allocates it); *fwd+bwd_ops*: the forward op plus "
        "the explicit `*_backward_out` op writing into the library's gradient buffer, without autograd.",
        "- Layout: every categorical problem is stored N x K row-major (sample-major), LibTorch's layout, and both "
        "sides read those bytes in place (`Eigen::Map` of a row-major array, `torch::from_blob`): the same work on "
        "the same memory.",
        "- Fair comparisons for the categorical losses on probabilities: LibTorch has no loss on probabilities with "
        "dense targets, so `-(y * log(p)).sum(1).mean()` (the same function and gradient) is the one compared; for "
        "labels, `nll_loss(log(p), labels)` takes a log of all N·K probabilities where one per row is needed, so "
        "`-log(p.gather(1, labels)).mean()` (N logs, like the library) is timed too and the faster of the two "
        "is compared. `cross_entropy` on logits is what LibTorch users call instead; it does the softmax as well "
        "and differentiates with respect to the logits, so it is quoted for context, not used for the targets.",
        "- At n = 1e7 LibTorch allocates its temporaries and the autograd gradient (tens of MB each, fresh pages "
        "from the kernel every call), and *value, then gradient* allocates the library's gradient the same way: "
        "part of the library's lead at 1e7 is that allocation, and n = 1e5 (where allocators reuse memory) is the "
        "cleaner kernel-against-kernel comparison.",
        "- Bounds: *read2* sums y + s·p (the value's bytes); *triad* is STREAM's g = y + s·p (read y, p, write g); "
        "*read_labels* / *scale_labels* do the same for labels and p; *log2* = 2 logs per element, *exp_log* = "
        "1 exp + 1 log per element, *log_rows* = 1 log per row, *softmax* = K exps + 1 log per row, all with "
        "Eigen's vectorised `log`/`exp` in the flavour's instruction set.",
        "",
    ]
    for r in runs:
        out += [f"<details{' open' if r is head else ''}><summary><b>{r.flavour}</b> "
                f"(<code>{r.context.get('losses_flags', '')}</code>)</summary>", ""]
        for loss in LOSSES:
            if r.shapes(loss):
                out += [loss_details(r, loss), ""]
        out += ["</details>", ""]
    return "\n".join(out)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json", nargs="+",
                        help="Google Benchmark JSON output: one file per build flavour, or several (say float "
                             "and double) that the report merges by flavour")
    parser.add_argument("--output", "-o", help="where to write the Markdown (default: standard output)")
    parser.add_argument("--clock", choices=["cpu", "real"], default="cpu",
                        help="which time to report (default: cpu, the benchmark thread's CPU time)")
    args = parser.parse_args(argv)
    runs = {}
    for path in args.json:
        try:
            run = Run(path, args.clock)
        except (OSError, ValueError) as e:  # a filter that matched nothing leaves an empty file
            print(f"report.py: skipping {path}: {e}", file=sys.stderr)
            continue
        if not run.results:
            continue
        if run.flavour in runs:
            runs[run.flavour].merge(run)
        else:
            runs[run.flavour] = run
    runs = list(runs.values())
    if not runs:
        sys.exit("report.py: no benchmark results in " + ", ".join(args.json))
    text = report(runs, args.clock)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
