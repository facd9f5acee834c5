"""`cuport bench`: time the original and its ports on the same inputs, alternated in one run.

    cuport bench FILE.cu|DIR... [--kernel K] [--spec S.toml] [--to T,...] [--port FILE.cu]
                 [--reps N] [--warmup N] [--launches N] [--warm-launches N] [--trial N] [--device auto|cpu|gpu] [--seed S] [--format text|json] [-o FILE]

Without --to or --port every available target is timed. The original runs on the CPU runtime for
CUDA, or on the GPU (nvcc harness) when one is here, with Triton compiled beside it; each port on its target's runner (verify/bench.py has the method). A port that gives wrong
results in any run is rejected, never timed.
Exit codes: 0 every port timed, 1 a port was wrong, failed, could not run or was not ported,
2 usage or input error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cuport.cli import UsageError
from cuport.commands.verify import Job, collect_jobs
from cuport.report.bench_json import to_json, to_text
from cuport.targets.base import KernelPort, available_targets, get_target
from cuport.verify.bench import BenchOptions, BenchResult, Side, bench_kernel, machine
from cuport.verify.bench_gpu import gpu_runners
from cuport.verify.cpu_cuda import CpuCudaRunner
from cuport.verify.ported import port_for_verification
from cuport.verify.protocol import Artifact, Runner


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="FILE.cu|DIR", help="CUDA sources, or folders (every .cu with a spec)")
    p.add_argument("--kernel", action="append", default=[], metavar="K", help="only this kernel (repeatable)")
    p.add_argument("--spec", type=Path, help="launch spec (default: NAME.cuport.toml next to each source)")
    p.add_argument("--to", default="", metavar="T,...", help="targets whose generated ports to time (default: all available)")
    p.add_argument("--port", type=Path, help="a hand-written CUDA port (.cu) to time against the original")
    p.add_argument("--reps", type=int, default=15, help="timed rounds, each side run once per round (default 15)")
    p.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    p.add_argument("--launches", type=int, default=5,
                   help="timed kernel launches per side per round, in one process, same inputs each (default 5)")
    p.add_argument("--warm-launches", type=int, default=1,
                   help="untimed launches at the start of every run's process (default 1)")
    p.add_argument("--trial", type=int, help="time the sizes of this trial of the spec (default: the largest)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs (default 0)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-o", "--output", type=Path, help="write the report here instead of stdout")
    p.add_argument("--workers", type=int, default=0, help="worker threads of the CPU runtime (default: its own)")
    p.add_argument("-I", dest="includes", action="append", default=[], type=Path, help="include folder")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    p.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto",
                   help="where the original and the Triton port run: gpu needs nvidia-smi -L to list a GPU; "
                        "auto picks gpu when it does (default auto)")


def run(args: argparse.Namespace) -> int:
    if args.reps < 1:
        raise UsageError("--reps must be at least 1")
    if args.warmup < 0:
        raise UsageError("--warmup cannot be negative")
    if args.launches < 1:
        raise UsageError("--launches must be at least 1")
    if args.warm_launches < 0:
        raise UsageError("--warm-launches cannot be negative")
    if args.trial is not None and args.trial < 0:
        raise UsageError("--trial cannot be negative")
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    if args.port is not None:
        if targets:
            raise UsageError("give either --port or --to, not both")
        if not args.port.is_file():
            raise UsageError(f"--port {args.port}: no such file")
        if args.port.suffix not in (".cu", ".cuh"):
            raise UsageError(f"--port {args.port}: only CUDA (.cu) ports are timed by hand so far")
    else:
        for t in targets:
            try:
                get_target(t)
            except ValueError as exc:
                raise UsageError(f"{exc} (available: {', '.join(available_targets()) or 'none'})") from None
        targets = targets or available_targets()

    gpu = None
    if args.device != "cpu":
        gpu = gpu_runners()
        if gpu is None and args.device == "gpu":
            raise UsageError("--device gpu: nvidia-smi -L lists no GPU here")
    jobs, errors = collect_jobs(args.paths, args.spec, args.kernel)
    if args.port is not None and len(jobs) > 1:
        raise UsageError("--port needs exactly one source file")
    opts = BenchOptions(reps=args.reps, warmup=args.warmup, launches=args.launches, warm_launches=args.warm_launches,
                        seed=args.seed, trial=args.trial, timeout_s=args.timeout)
    date = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    host = machine()
    progress = _progress_line if sys.stderr.isatty() else None
    results = bench_jobs(jobs, targets, args.port, opts, workers=args.workers or None, includes=args.includes,
                         progress=progress, gpu=gpu)
    if progress is not None:
        sys.stderr.write("\r\033[K")

    text = (json.dumps(to_json(results, errors, opts, host, date), indent=2) + "\n"
            if args.format == "json" else to_text(results, errors, host))
    if args.output:
        tmp = args.output.with_name(args.output.name + ".tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, args.output)  # atomic: a reader never sees half a report
    else:
        sys.stdout.write(text)
    if errors or any(d.code.startswith("CS") for r in results for d in r.diagnostics):
        return 2
    return 0 if results and all(r.status == "ok" for r in results) else 1


def bench_jobs(jobs: list[Job], targets: list[str], port: Path | None, opts: BenchOptions, *,
               workers: int | None = None, includes: list[Path] | None = None,
               progress: Callable[[str], None] | None = None,
               gpu: tuple[Runner, Runner] | None = None) -> list[BenchResult]:
    """Every kernel of every job against its ports (or against `port`, a hand-written CUDA port).
    With `gpu` (the original's and Triton's GPU runners) both run on the GPU; the other targets
    keep their CPU runners and are reported uncompared (never a ratio across devices)."""
    total, done = sum(len(j.kernels) for j in jobs), 0
    original: Runner = gpu[0] if gpu is not None else CpuCudaRunner(workers=workers)
    runners: dict[str, Runner] = {} if port is not None else {t: get_target(t).runner(warp_size=32) for t in targets}
    if gpu is not None and "triton" in runners:
        runners["triton"] = gpu[1]
    results: list[BenchResult] = []
    try:
        for job in jobs:
            k0 = job.kernels[0]
            art = Artifact(job.source, "cuda", tuple(sorted(k0.defines.items())),
                           tuple(k0.includes) + tuple(p.resolve() for p in includes or []))
            with _ported_sides(job, art, targets, runners, port, original) as sides_for:
                for k in job.kernels:
                    done += 1
                    if progress is not None:
                        progress(f"[{done}/{total}] {job.source.name} {k.name}")
                    results += bench_kernel(Side("cuda (original)", original, art), sides_for(k.name, k.base_name), k, opts)
    finally:
        for r in runners.values():
            close = getattr(r, "close", None)  # the Triton runner keeps a worker process
            if callable(close):
                close()
    return results


def _progress_line(text: str) -> None:
    sys.stderr.write(f"\r\033[Kbench {text}")  # one line, rewritten in place on a terminal
    sys.stderr.flush()


@contextmanager
def _ported_sides(job: Job, art: Artifact, targets: list[str], runners: dict[str, Runner], port: Path | None,
                  original: Runner) -> Iterator[Callable[[str, str], list[Side]]]:
    """Port the job's source to every target into a private folder; yield kernel -> its Sides."""
    if port is not None:
        hand = Side("cuda", original, Artifact(port, "cuda", art.defines, art.includes), how="hand")
        yield lambda name, base: [hand]
        return
    with tempfile.TemporaryDirectory(prefix="cuport-bench-") as tmp:
        per_target: dict[str, tuple[dict[str, KernelPort], Artifact | None, str]] = {}
        for t in targets:
            workdir = Path(tmp) / t
            workdir.mkdir()
            ported = port_for_verification(job.source, t, job.kernels, art, 32, workdir)
            if isinstance(ported, str):
                per_target[t] = ({}, None, ported)
                continue
            port_art = Artifact(workdir / ported.artifact, t, art.defines, art.includes) if ported.artifact else None
            per_target[t] = ({kp.kernel: kp for kp in ported.kernels}, port_art, "")

        def sides(name: str, base: str) -> list[Side]:
            out = []
            for t in targets:
                by_name, port_art, failure = per_target[t]
                kp = by_name.get(name) or by_name.get(base)
                if failure:
                    out.append(Side(t, None, None, reason=failure))
                elif kp is None:
                    out.append(Side(t, None, None, reason=f"the {t} port does not mention this kernel"))
                elif kp.status != "ported" or port_art is None:
                    why = kp.reason or f"not ported to {t}"
                    out.append(Side(t, None, None, reason=f"{kp.status.replace('_', ' ')}: {why}"))
                else:
                    out.append(Side(t, runners[t], port_art, how=kp.how))
            return out

        yield sides
