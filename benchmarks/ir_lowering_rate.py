"""Share of kernels that lower to IR on a CUDA tree (HeCBench's src/ layout), and why the rest fail.

    .venv/bin/python benchmarks/ir_lowering_rate.py /work/hecbench/src [--limit N] [--top K]
        [--only NAME] [--cache DIR] [--show N]

For every `*-cuda/` benchmark: each .cu/.cuh file whose raw text parses with no ERROR node is
preprocessed (cuport.parse.preprocess: stub CUDA headers, -I the benchmark folder), parsed again,
and every `__global__` function is lowered. Templated kernels are instantiated for the measurement
with their defaults, else `float` for type parameters and 256 for value parameters (counted apart).
Prints the rates, the top failure reasons (by diagnostic code and message shape), and time per kernel.
"""

from __future__ import annotations

import argparse
import collections
import re
import statistics
import sys
import time
from pathlib import Path

from cuport.parse.cst import iter_problems, parse_cst
from cuport.parse.lower import lower_function
from cuport.parse.lower_body import Signature
from cuport.parse.lower_scope import scan_file
from cuport.parse.preprocess import preprocess
from cuport.result import Ok
from cuport.source import SourceText

EXCLUDED = {"particles", "bitonic-sort", "graphExecution", "threadfence", "scan", "fhd", "tpacf", "srad",
            "hwt1d", "mandelbrot", "filter"}  # kept aside for evaluation (DESIGN.md)


def guess_args(fn) -> dict[str, str | int]:  # type: ignore[no-untyped-def]
    out: dict[str, str | int] = {}
    for p in fn.template_params.named_children if fn.template_params is not None else []:
        name = Signature.template_param_name(p)
        if name is None or p.child_by_field_name("default_type") or p.child_by_field_name("default_value"):
            continue
        out[name] = "float" if p.type.endswith("type_parameter_declaration") else 256
    return out


def shape(message: str) -> str:
    """A failure reason with names and numbers blurred, so equal causes group together."""
    return re.sub(r"'[^']*'", "'…'", re.sub(r"\d+", "N", message))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tree", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="only the first N benchmarks")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--show", type=int, default=0, help="print N example failures per top reason")
    ap.add_argument("--only", action="append", default=[], help="only benchmarks whose name contains this")
    ap.add_argument("--cache", type=Path, default=None, help="preprocessing cache folder (fast re-runs)")
    args = ap.parse_args()
    benches = sorted(d for d in args.tree.glob("*-cuda") if d.is_dir() and d.name[:-5] not in EXCLUDED)
    if args.only:
        benches = [b for b in benches if any(o in b.name for o in args.only)]
    if args.limit:
        benches = benches[: args.limit]
    counts = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    per_kernel: list[float] = []
    names: collections.Counter[str] = collections.Counter()
    for bench in benches:
        seen: set[str] = set()
        for path in sorted([*bench.rglob("*.cu"), *bench.rglob("*.cuh")]):
            try:
                raw = SourceText.from_text(str(path), path.read_bytes().decode("utf-8", errors="replace"))
            except OSError:
                continue
            if next(iter_problems(parse_cst(raw)), None) is not None:
                counts["files with ERROR (skipped)"] += 1
                continue
            counts["files parsed clean"] += 1
            pre = preprocess(path, includes=[bench], cache_dir=args.cache)
            if not isinstance(pre, Ok):
                counts["files failing preprocessing"] += 1
                continue
            source = pre.value
            tree = parse_cst(source)
            scope = scan_file(source, tree)
            for name, defs in scope.functions.items():
                fn = next((d for d in defs if d.is_kernel), None)
                if fn is None or (bench.name, name) in seen:
                    continue
                seen.add(name)
                templated = fn.template_params is not None
                key = "template kernels" if templated else "kernels"
                counts[key] += 1
                t0 = time.perf_counter()
                result = lower_function(source, tree, name, template_args=guess_args(fn) if templated else None,
                                        module_globals=scope)
                per_kernel.append(time.perf_counter() - t0)
                if isinstance(result, Ok):
                    counts[key + " lowered"] += 1
                    continue
                d = result.diagnostics[0] if result.diagnostics else None
                reason = f"{d.code} {shape(d.message)}" if d else shape(result.reason)
                reasons[reason] += 1
                if d is not None and d.code in ("CL005", "CL008", "CL002"):
                    names[f"{d.code} {d.message}"] += 1
                if len(examples[reason]) < args.show and d is not None:
                    examples[reason].append(f"{d.span}: {d.message}")
    total = counts["kernels"] + counts["template kernels"]
    lowered = counts["kernels lowered"] + counts["template kernels lowered"]
    print(f"benchmarks: {len(benches)}   files parsed clean: {counts['files parsed clean']}   "
          f"skipped (ERROR nodes): {counts['files with ERROR (skipped)']}   "
          f"preprocessing failed: {counts['files failing preprocessing']}")
    for key in ("kernels", "template kernels"):
        n, ok = counts[key], counts[key + " lowered"]
        print(f"{key:17s}: {ok}/{n} lowered ({100 * ok / max(n, 1):.1f}%)")
    print(f"all kernels      : {lowered}/{total} lowered ({100 * lowered / max(total, 1):.1f}%)")
    if per_kernel:
        print(f"time per kernel  : median {1e3 * statistics.median(per_kernel):.2f} ms "
              f"(lower_function incl. globals; CPU, {len(per_kernel)} kernels)")
    print(f"\ntop failure reasons ({sum(reasons.values())} failures):")
    for reason, n in reasons.most_common(args.top):
        print(f"{n:5d}  {reason}")
        for ex in examples[reason]:
            print(f"         {ex}")
    print("\nmost frequent unknown names:")
    for name, n in names.most_common(args.top):
        print(f"{n:5d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
