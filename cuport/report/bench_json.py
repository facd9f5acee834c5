"""`cuport.bench/1`: benchmark results as JSON (the source of truth) and as text.

One entry in `results` per kernel and target: kernel, target, status (ok|wrong|fail|error|unported),
median_s, p10_s, p90_s, runs (the port's timed launches: rounds x launches per round), device, ratio (original median / port median, > 1: the
port is faster; null unless both sides ran, agreed and ran on the same kind of device), suspect
(speed-up over 10x), compile_s (the port's build, apart from run time), the original's side under
`original`, what each clock covers, the sizes timed and the reason. The top level names the
machine, the settings and carries `note`: CPU and interpreter timings are not performance numbers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from cuport import __version__
from cuport.diagnostics import Diagnostic, render
from cuport.verify.bench import (
    NOTE,
    STATUSES,
    SUSPECT_RATIO,
    BenchOptions,
    BenchResult,
    Spread,
    geometric_mean,
)

SCHEMA = "cuport.bench/1"


def _num(x: float | None) -> float | str | None:
    if x is None:
        return None
    return x if math.isfinite(x) else str(x)


def _spread(s: Spread | None) -> dict[str, object]:
    if s is None:
        return {"median_s": None, "p10_s": None, "p90_s": None, "runs": 0, "samples_s": []}
    return {"median_s": s.median_s, "p10_s": s.p10_s, "p90_s": s.p90_s, "runs": s.runs, "samples_s": list(s.samples_s)}


def result_to_json(r: BenchResult) -> dict[str, object]:
    port = _spread(r.port)
    return {
        "kernel": r.kernel,
        "target": r.target,
        "status": r.status,
        "median_s": port["median_s"],
        "p10_s": port["p10_s"],
        "p90_s": port["p90_s"],
        "runs": port["runs"],
        "samples_s": port["samples_s"],
        "device": r.device,
        "clock": r.clock,
        "interpreter": r.interpreter,
        "ratio": _num(r.ratio),
        "suspect": r.suspect,
        "comparable": r.comparable,
        "compile_s": r.compile_s,
        "compile_cached": r.compile_cached,
        "original": _spread(r.original) | {
            "device": r.original_device,
            "clock": r.original_clock,
            "compile_s": r.original_compile_s,
            "compile_cached": r.original_compile_cached,
        },
        "sizes": r.sizes,
        "how": r.how,
        "reason": r.reason,
        "file": r.file,
        "diagnostics": [d.to_json() for d in r.diagnostics],
    }


def summary(results: Sequence[BenchResult]) -> dict[str, object]:
    """Counts by status and, per target, the geometric mean of the ratios that stand."""
    counts = Counter(r.status for r in results)
    by_target: dict[str, dict[str, object]] = {}
    for t in sorted({r.target for r in results}):
        ratios = [r.ratio for r in results if r.target == t and r.status == "ok" and r.ratio is not None]
        gm = geometric_mean(ratios)
        by_target[t] = {
            "geomean_ratio": gm,
            "kernels_timed": len(ratios),
            "kernels": sum(1 for r in results if r.target == t),
            "suspect": sum(1 for r in results if r.target == t and r.suspect),
        }
    return {s: counts.get(s, 0) for s in STATUSES} | {"by_target": by_target}


def to_json(results: Sequence[BenchResult], errors: Sequence[Diagnostic], opts: BenchOptions,
            machine: dict[str, object], date: str) -> dict[str, object]:
    return {
        "schema": SCHEMA,
        "tool": f"cuport {__version__}",
        "date": date,
        "machine": machine,
        "note": NOTE,
        "settings": {"reps": opts.reps, "warmup": opts.warmup, "launches": opts.launches,
                     "warm_launches": opts.warm_launches, "seed": opts.seed, "trial": opts.trial,
                     "suspect_ratio": SUSPECT_RATIO},
        "summary": summary(results) | {"errors": len(errors)},
        "results": [result_to_json(r) for r in results],
        "errors": [d.to_json() for d in errors],
    }


def _ms(s: Spread) -> str:
    return f"{s.median_s * 1e3:.3f} ms (p10 {s.p10_s * 1e3:.3f}, p90 {s.p90_s * 1e3:.3f})"


def result_line(r: BenchResult) -> str:
    """`OK  saxpy  [opencl]  port 1.2 ms (...)  original 0.9 ms (...)  0.75x  compile 0.40 s`, then the reason."""
    head = f"{r.status.upper():<9} {r.kernel}  [{r.target}]"
    if r.port is not None and r.original is not None:
        head += f"  port {_ms(r.port)}  original {_ms(r.original)}  {r.port.runs} launches"
        if r.ratio is not None:
            head += f"  ratio {r.ratio:.3g}x" + ("  SUSPECT" if r.suspect else "")
    if r.compile_s is not None:
        head += f"  compile {r.compile_s:.2f} s" + (" (cached)" if r.compile_cached else "")
    lines = [head]
    if r.reason:
        lines.append(f"          {r.reason}")
    return "\n".join(lines)


def to_text(results: Sequence[BenchResult], errors: Sequence[Diagnostic], machine: dict[str, object]) -> str:
    out = [render(d) for d in errors]
    out += [result_line(r) for r in results]
    s = summary(results)
    total = ", ".join(f"{s[k]} {k}" for k in STATUSES)
    out.append(f"{len(results)} result(s): {total}" + (f"; {len(errors)} input error(s)" if errors else ""))
    by_target = s["by_target"]
    assert isinstance(by_target, dict)
    for t, row in by_target.items():
        gm = row["geomean_ratio"]
        if gm is not None:
            out.append(f"{t}: geometric mean ratio {gm:.3g}x over {row['kernels_timed']} kernel(s) (> 1: the port is faster)")
    devices = sorted({d for r in results for d in (r.original_device, r.device) if d})
    if devices:
        out.append("devices: " + "; ".join(devices))
    out.append(f"machine: {machine.get('cpu')}, {machine.get('cores')} cores")
    out.append("note: " + NOTE)
    return "\n".join(out) + "\n"
