"""Whole-program mode on HeCBench: build each `*-cuda` benchmark's own main against the CPU runtime,
run it with the arguments of its Makefile `run` target, and tabulate what runs and why the rest
do not.

    .venv/bin/python benchmarks/hecbench_programs.py /path/to/HeCBench/src [--limit N] [--timeout S]

Only single-folder benchmarks whose sources are one or more .cu files are tried; the `.cu` file that
defines `main` is the program, the other `.cu` files are not linked (reported as "multi-file").
The arguments come from the Makefile's `run:` recipe, unchanged (the small sizes the benchmarks
ship with), under --timeout. Benchmarks that read data files are skipped.
"""

from __future__ import annotations

import argparse
import collections
import re
import shlex
import sys
import time
from pathlib import Path

from cuport.verify.build_cache import BuildCache
from cuport.verify.whole_program import ProgramRunner

_MAIN = re.compile(r"^\s*int\s+main\s*\(", re.M)


def run_args(makefile: Path) -> tuple[str, ...] | None:
    """The arguments of `./$(program) ...` in the Makefile's run target."""
    try:
        text = makefile.read_text(errors="replace")
    except OSError:
        return None
    m = re.search(r"^run\s*:.*\n((?:\t.*\n?)+)", text, re.M)
    if not m:
        return None
    for line in m.group(1).splitlines():
        if "$(program)" in line:
            after = line.split("$(program)", 1)[1].strip()
            try:
                return tuple(shlex.split(after))
            except ValueError:
                return None
    return None


def reason(out) -> str:  # noqa: ANN001 - ProgramOutcome
    """A short, groupable reason for a failed build or run."""
    text = (out.message or out.stderr or "").strip().splitlines()
    first = text[0] if text else ""
    if out.status == "compile_error":
        m = re.search(r"error: (.*)", first)
        msg = m.group(1) if m else first
        msg = re.sub(r"'[^']*'", "'…'", msg)
        return f"compile: {msg[:90]}"
    if out.status == "error":
        return f"exit code {out.exit_code}"
    return f"{out.status}: {first[:80]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="try the first N benchmarks (alphabetical)")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    runner = ProgramRunner(workers=2, cache=BuildCache())
    dirs = sorted(d for d in args.src.iterdir() if d.name.endswith("-cuda") and d.is_dir())
    if args.only:
        dirs = [d for d in dirs if d.name.removesuffix("-cuda") in args.only]
    if args.limit:
        dirs = dirs[: args.limit]
    tally: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    for d in dirs:
        t0 = time.perf_counter()
        cus = sorted(d.glob("*.cu"))
        mains = [p for p in cus if _MAIN.search(p.read_text(errors="replace"))]
        argv = run_args(d / "Makefile")
        if len(mains) != 1:
            status, why = "skipped", "no single .cu with main"
        elif len(cus) > 1:
            status, why = "skipped", "multi-file (.cu files linked together)"
        elif argv is None:
            status, why = "skipped", "no run target"
        elif any(a.startswith(("<", ">", "|")) or "/" in a for a in argv):
            status, why = "skipped", "run target reads a data file"
        else:
            out = runner.run(mains[0], argv, timeout_s=args.timeout)
            status = "ok" if out.status == "ok" else "failed"
            why = "" if status == "ok" else reason(out)
        tally[status] += 1
        if why:
            reasons[why] += 1
        print(f"{d.name:32s} {status:8s} {time.perf_counter() - t0:6.1f}s {why}", flush=True)
    print(f"\n{len(dirs)} benchmarks: " + ", ".join(f"{k} {v}" for k, v in tally.most_common()))
    for why, n in reasons.most_common(15):
        print(f"  {n:4d}  {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
