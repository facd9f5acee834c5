"""Lines per second of `cuport scan` on a source tree, optionally against `hipify-perl -examine`.

    .venv/bin/python benchmarks/scan_throughput.py TREE... [--repeat 5] [--jobs 1,2] [--hipify PATH]

Each run is the whole command line in a fresh process (start-up included), output to /dev/null.
Reports the median of `--repeat` runs and the spread, plus the machine; also CPU seconds, which
shared machines disturb less than wall-clock time. hipify-perl is given the
same files (`.cu`/`.cuh` etc. as found by cuport's walker) and timed the same way.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from cuport.parse.walk import iter_sources


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def timed(cmd: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (user + system of the child and its workers) per run."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def report(label: str, lines: int, runs: tuple[list[float], list[float]]) -> float:
    walls, cpus = runs
    median = statistics.median(walls)
    cpu = statistics.median(cpus)
    print(f"{label:<34} wall median {median:7.2f} s (min {min(walls):.2f}, max {max(walls):.2f}) "
          f"{lines / median:9,.0f} lines/s | CPU median {cpu:6.2f} s {lines / cpu:9,.0f} lines/CPU-s")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time")
    parser.add_argument("--hipify", default=shutil.which("hipify-perl"), help="path to hipify-perl")
    parser.add_argument("--ext", default=".cu,.cuh", help="file extensions to include (comma-separated)")
    args = parser.parse_args()

    # both tools get the same explicit list of files
    files = [str(p) for p in iter_sources(args.trees, extensions=args.ext.split(",")) if isinstance(p, Path)]
    lines = 0
    for f in files:
        try:
            with open(f, "rb") as fh:
                lines += fh.read().count(b"\n")
        except OSError:
            pass
    print(f"machine: {machine()}")
    print(f"{len(files)} files, {lines:,} lines; median of {args.repeat} runs")
    cuport = [sys.executable, "-m", "cuport.cli", "scan", *files, "--format", "json", "-o", os.devnull]
    medians = {}
    for jobs in args.jobs.split(","):
        medians[jobs] = report(f"cuport scan --jobs {jobs}", lines, timed([*cuport, "--jobs", jobs], args.repeat))
    if args.hipify:
        # hipify-perl reads the list of files itself; -examine only counts, it writes nothing
        hip = report("hipify-perl -quiet-warnings -examine", lines,
                     timed(["perl", args.hipify, "-quiet-warnings", "-examine", *files], args.repeat))
        for jobs, m in medians.items():
            print(f"cuport --jobs {jobs} is {hip / m:.1f}x hipify-perl")
    else:
        print("hipify-perl not found (pass --hipify PATH)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
