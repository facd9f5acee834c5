"""Lines per second of the HIP translation (whole files, in memory) on a source tree, measured in
the same run as `hipify-perl -quiet-warnings` on the same files when hipify-perl is available.

    .venv/bin/python benchmarks/hip_throughput.py TREE... [--repeat 3] [--hipify PATH]

cuport: one process, every file read, parsed, rewritten (renames, includes, warp rewrites,
hazards) and its text produced; the first pass warms the tables and is not counted. hipify-perl:
one process per repeat over the same file list, output to a scratch folder. Reports the median of
`--repeat` runs with min/max, the machine and the file/line counts, in wall seconds and in CPU
seconds (this process's for cuport, the children's user+sys for hipify-perl): on a shared machine
the CPU seconds are the comparable figure. benchmarks/hip_vs_hipify.py compares more ways.
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
import tempfile
import time
from pathlib import Path

from cuport.parse.reader import read_source
from cuport.parse.walk import iter_sources
from cuport.result import Ok
from cuport.targets.hip.port import port_source


def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def port_all(sources: list) -> int:  # noqa: ANN001
    changed = 0
    for s in sources:
        changed += port_source(s).changed
    return changed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hipify", default=shutil.which("hipify-perl"), help="path to hipify-perl")
    args = parser.parse_args(argv)

    files = [p for p in iter_sources(args.trees) if isinstance(p, Path)]
    sources = []
    for f in files:
        r = read_source(f)
        if isinstance(r, Ok):
            sources.append(r.value)
    lines = sum(s.data.count(b"\n") for s in sources)
    print(f"machine: {machine()}")
    print(f"files: {len(sources)}, lines: {lines}")
    port_all(sources[: min(20, len(sources))])  # warm-up: tables, parser
    times, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        changed = port_all(sources)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    med, cmed = statistics.median(times), statistics.median(cpu)
    print(f"cuport HIP port: median {med:.2f} s wall, {cmed:.2f} s CPU ({lines / cmed:,.0f} lines per CPU second), "
          f"wall min {min(times):.2f}, max {max(times):.2f}; {changed} files changed; load {os.getloadavg()[0]:.1f}")
    if not args.hipify:
        print("hipify-perl: not available (Debian 12 packages no hipify; pass --hipify PATH)")
        return 0
    htimes, hcpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            for i, f in enumerate(files):
                with open(Path(tmp) / f"{i}.hip", "wb") as out:
                    subprocess.run(["perl", args.hipify, "-quiet-warnings", str(f)], stdout=out, stderr=subprocess.DEVNULL)
            htimes.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            hcpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    hmed, hcmed = statistics.median(htimes), statistics.median(hcpu)
    print(f"hipify-perl -quiet-warnings (one process per file): median {hmed:.2f} s wall, {hcmed:.2f} s CPU; "
          f"cuport is {hcmed / cmed:.1f}x in CPU seconds, {hmed / med:.1f}x in wall seconds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
