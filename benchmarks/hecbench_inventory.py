"""Measure the front end on a HeCBench checkout: parse health, kernels found, and throughput.

    .venv/bin/python benchmarks/hecbench_inventory.py /path/to/HeCBench/src [--runs 5] [--show 10]

Scans every .cu/.cuh file under the `*-cuda` folders. Kernels found by the inventory are compared
with an independent count: `__global__` tokens in comment-stripped text outside `#define` lines.
Throughput is read + parse + inventory over all files, in source lines per second (median of runs).
With --preprocess, each file is also run through `preprocess` (its own folder on -I, a throw-away
cache) and the parse health and kernel count of the expanded text are reported; kernels are
counted only where the line markers say they come from the file itself, not from its headers.
Nothing from the tree is written anywhere.
"""

from __future__ import annotations

import argparse
import collections
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cuport.parse.cst import parse_cst
from cuport.parse.inventory import FileInventory, inventory
from cuport.parse.preprocess import line_map, original_span, preprocess
from cuport.parse.reader import read_source

_COMMENTS_AND_STRINGS = re.compile(rb'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"', re.S)
_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define\b(?:[^\n]*\\\n)*[^\n]*", re.M)
_GLOBAL = re.compile(rb"\b__global__\b")


def independent_kernel_count(data: bytes) -> int:
    # Keep newlines in removed comments so `#define` detection still sees line starts.
    text = _COMMENTS_AND_STRINGS.sub(lambda m: b"\n" * m.group().count(b"\n"), data)
    text = _DEFINE.sub(b"", text)
    return len(_GLOBAL.findall(text))


def error_cause(inv: FileInventory) -> list[str]:
    causes = []
    for p in inv.problems:
        if p.missing:
            causes.append(p.what)
            continue
        what = p.what.removeprefix("unexpected '")
        head = re.match(r"#\s*\w+|[A-Za-z_]\w*|\S", what)
        token = head.group() if head else "?"
        if re.fullmatch(r"[A-Z_][A-Z0-9_]+", token):
            token = "<UPPERCASE_MACRO>"
        causes.append(f"starts with {token}")
    return causes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tree", type=Path, help="HeCBench src/ folder")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--show", type=int, default=10, help="how many differing files to list")
    ap.add_argument("--preprocess", action="store_true", help="also measure parse health after preprocessing")
    args = ap.parse_args()

    files = sorted(p for d in sorted(args.tree.glob("*-cuda")) for p in d.rglob("*") if p.suffix in (".cu", ".cuh"))
    if not files:
        print(f"no .cu/.cuh files under {args.tree}/*-cuda", file=sys.stderr)
        return 2

    stats: collections.Counter[str] = collections.Counter()
    causes: collections.Counter[str] = collections.Counter()
    diffs: list[tuple[str, int, int, int]] = []
    for path in files:
        r = read_source(path)
        if not r.ok:
            stats["skipped"] += 1
            continue
        source = r.value
        if r.diagnostics:
            stats["latin-1"] += 1
        stats["lines"] += source.data.count(b"\n") + 1
        inv = inventory(source, parse_cst(source))
        stats["files"] += 1
        kernels = inv.kernels
        stats["kernels"] += len(kernels)
        stats["kernel definitions"] += sum(k.is_definition for k in kernels)
        stats["kernels recovered"] += sum(k.recovered for k in kernels)
        stats["device functions"] += len(inv.device_functions)
        stats["launch sites"] += len(inv.launches)
        stats["globals"] += len(inv.globals)
        if inv.problems:
            stats["files with parse problems"] += 1
            if any(not p.missing for p in inv.problems):
                stats["files with ERROR nodes"] += 1
            causes.update(set(error_cause(inv)))
        independent = independent_kernel_count(source.data)
        stats["independent kernel count"] += independent
        if independent != len(kernels):
            diffs.append((str(path.relative_to(args.tree)), len(kernels), sum(k.recovered for k in kernels), independent))

    timings = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        for path in files:
            r = read_source(path)
            if r.ok:
                inventory(r.value, parse_cst(r.value))
        timings.append(time.perf_counter() - t0)

    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    for key in ("files", "skipped", "latin-1", "lines", "files with parse problems", "files with ERROR nodes",
                "kernels", "kernel definitions", "kernels recovered", "independent kernel count",
                "device functions", "launch sites", "globals"):
        print(f"{key:28} {stats[key]}")
    med = statistics.median(timings)
    spread = (min(timings), max(timings))
    print(f"time per full pass (median of {args.runs}): {med:.2f} s (min {spread[0]:.2f}, max {spread[1]:.2f})")
    print(f"throughput: {stats['lines'] / med:,.0f} lines/s")
    print("top causes of parse problems (files affected):")
    for cause, n in causes.most_common(12):
        print(f"  {n:5}  {cause}")
    print(f"files where inventory kernels != independent count: {len(diffs)}")
    for name, found, recovered, independent in diffs[: args.show]:
        print(f"  {name}: inventory {found} (recovered {recovered}), independent {independent}")
    if args.preprocess:
        measure_preprocessed(files)
    return 0


def measure_preprocessed(files: list[Path]) -> None:
    stats: collections.Counter[str] = collections.Counter()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        for path in files:
            r = preprocess(path, includes=[path.parent], cache_dir=Path(cache))
            if not r.ok:
                stats["preprocess failed"] += 1
                continue
            stats["preprocessed"] += 1
            stats["CP004 missing user headers"] += sum(d.code == "CP004" for d in r.diagnostics)
            stats["CP006 stubbed system headers"] += sum(d.code == "CP006" for d in r.diagnostics)
            lines = line_map(r.value)
            inv = inventory(r.value, parse_cst(r.value))
            own = str(path)
            if any(original_span(p.span, lines).file == own for p in inv.problems if not p.missing):
                stats["files with ERROR nodes (own lines)"] += 1
            mine = [k for k in inv.kernels if original_span(k.span, lines).file == own]
            stats["kernels (own lines)"] += len(mine)
            stats["kernels recovered"] += sum(k.recovered for k in mine)
    elapsed = time.perf_counter() - t0
    print("after preprocessing (-I the file's folder, system headers stubbed):")
    for key, n in sorted(stats.items()):
        print(f"  {key:36} {n}")
    print(f"  time (first run, no cache): {elapsed:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
