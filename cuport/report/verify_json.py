"""`cuport.verify/1`: verification results as JSON (the source of truth) and as text.

One entry in `results` per kernel and target: kernel, target, status (pass|fail|error|unverified),
trials, sizes, max_abs_err, max_rel_err, mismatches, first_mismatch, reason, device; plus file,
weak and diagnostics. `errors` holds what stopped a file before any kernel ran (bad spec,
missing file), each with a code and location.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from cuport import __version__
from cuport.diagnostics import Diagnostic, render
from cuport.verify.differential import VerifyResult

SCHEMA = "cuport.verify/1"
STATUSES = ("pass", "fail", "error", "unverified")


def _num(x: float) -> float | str:
    return x if math.isfinite(x) else str(x)


def result_to_json(r: VerifyResult) -> dict[str, object]:
    out = {
        "kernel": r.kernel,
        "target": r.target,
        "status": r.status,
        "trials": r.trials,
        "sizes": r.sizes,
        "max_abs_err": _num(r.max_abs_err),
        "max_rel_err": _num(r.max_rel_err),
        "mismatches": r.mismatches,
        "first_mismatch": r.first_mismatch,
        "reason": r.reason,
        "device": r.device,
        "file": r.file,
        "weak": r.weak,
        "how": r.how,
        "rules": r.rules,
        "diagnostics": [d.to_json() for d in r.diagnostics],
    }
    # how an LLM took part (translate/llm_cli.py): model, attempts, tokens, cost, cache hits
    for key in ("llm", "optimize"):
        value = getattr(r, key, None)
        if value is not None:
            out[key] = value
    return out


def to_json(results: Sequence[VerifyResult], errors: Sequence[Diagnostic] = (), seed: int | None = None) -> dict[str, object]:
    counts = Counter(r.status for r in results)
    return {
        "schema": SCHEMA,
        "tool": f"cuport {__version__}",
        "seed": seed,
        "summary": {s: counts.get(s, 0) for s in STATUSES} | {"errors": len(errors)},
        "results": [result_to_json(r) for r in results],
        "errors": [d.to_json() for d in errors],
    }


def result_line(r: VerifyResult) -> str:
    """`PASS  saxpy  cuda-cpu (self-check)  3 trials  max abs 0  max rel 0`, then the reason."""
    head = f"{r.status.upper():<10} {r.kernel}  [{r.target}]  {r.trials} trial(s)"
    if r.status in ("pass", "unverified") or r.mismatches:
        head += f"  max abs {r.max_abs_err:.3g}  max rel {r.max_rel_err:.3g}"
    lines = [head]
    if r.file:
        lines[0] += f"  {r.file}"
    if r.reason:
        lines.append(f"           {r.reason}")
    return "\n".join(lines)


def to_text(results: Sequence[VerifyResult], errors: Sequence[Diagnostic] = ()) -> str:
    out = [render(d) for d in errors]
    out += [result_line(r) for r in results]
    counts = Counter(r.status for r in results)
    devices = sorted({r.device for r in results if r.device})
    total = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
    out.append(f"{len(results)} kernel result(s): {total}" + (f"; {len(errors)} input error(s)" if errors else ""))
    if devices:
        out.append("device: " + "; ".join(devices))
    return "\n".join(out) + "\n"
