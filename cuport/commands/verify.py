"""`cuport verify`: run the original and its ports on the same random inputs and compare.

    cuport verify FILE.cu|DIR... [--kernel K] [--spec S.toml] [--to T,...] [--port FILE]
                  [--trials N] [--seed S] [--format text|json] [-o FILE] [--workers N] [--warp-size 32|64]

Three modes: `--port FILE.cu` checks a hand-written CUDA port against the original (both on the
CPU runtime); `--to T` checks generated ports (only targets whose emitter exists); with neither,
the original is run twice, sequentially and with shuffled block order on more workers: a
difference means a race or a block-order dependence ("cuda-cpu (self-check)").
Exit codes: 0 all verified, 1 a verification failed or could not run, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cuport.cli import UsageError
from cuport.diagnostics import Diagnostic, diag
from cuport.parse.cst import parse_cst
from cuport.parse.inventory import inventory
from cuport.parse.lower_project import program_files
from cuport.parse.reader import read_source, skipped_diagnostic
from cuport.report.verify_json import to_json, to_text
from cuport.result import Ok
from cuport.source import Span
from cuport.targets.base import available_targets, get_target
from cuport.translate.llm_cli import add_llm_arguments, apply_llm, apply_optimize, session_from_args
from cuport.translate.llm_config import LLMConfigError
from cuport.verify.differential import VerifyResult, verify_kernel
from cuport.verify.ported import verify_target
from cuport.verify.protocol import Artifact, Runner
from cuport.verify.spec import KernelSpec, LaunchSpec, SpecError, load_spec, spec_path_for

SELF_CHECK_TARGET = "cuda-cpu (self-check)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="FILE.cu|DIR", help="CUDA sources, or folders (every .cu with a spec)")
    p.add_argument("--kernel", action="append", default=[], metavar="K", help="only this kernel (repeatable)")
    p.add_argument("--spec", type=Path, help="launch spec (default: NAME.cuport.toml next to each source)")
    p.add_argument("--to", default="", metavar="T,...", help="targets whose generated ports to verify")
    p.add_argument("--port", type=Path, help="a hand-written port to verify against the original (.cu)")
    p.add_argument("--trials", type=int, help="trials per kernel (default: one per listed size, at least 2)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs (default 0)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-o", "--output", type=Path, help="write the report here instead of stdout")
    p.add_argument("--workers", type=int, default=0, help="worker threads of the CPU runtime (default: its own)")
    p.add_argument("--warp-size", type=int, choices=(32, 64), default=32, help="warp size for HIP ports")
    p.add_argument("-I", dest="includes", action="append", default=[], type=Path, help="include folder")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    add_llm_arguments(p)


@dataclass
class Job:
    source: Path
    spec: LaunchSpec
    kernels: list[KernelSpec]
    project: tuple[Path, ...] = ()  # every .cu file given with it (separate compilation, nvcc -rdc)


def run(args: argparse.Namespace) -> int:
    if args.trials is not None and args.trials < 1:
        raise UsageError("--trials must be at least 1")
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    if args.port and targets:
        raise UsageError("give either --port or --to, not both")
    for t in targets:
        try:
            get_target(t)
        except ValueError as exc:
            raise UsageError(f"{exc} (available: {', '.join(available_targets()) or 'none'})") from None
    if args.port is not None and not args.port.is_file():
        raise UsageError(f"--port {args.port}: no such file")
    if args.port is not None and args.port.suffix not in (".cu", ".cuh"):
        raise UsageError(f"--port {args.port}: only CUDA (.cu) ports are verified by hand so far")

    try:
        args.llm_session = session_from_args(args)
    except LLMConfigError as exc:
        raise UsageError(str(exc)) from None
    if args.llm_session is not None and not targets:
        raise UsageError("--llm and --optimize need --to (the targets the LLM ports to)")

    jobs, errors = collect_jobs(args.paths, args.spec, args.kernel)
    if args.port is not None and len(jobs) > 1:
        raise UsageError("--port needs exactly one source file")

    results: list[VerifyResult] = []
    if jobs:
        results = verify_jobs(jobs, args, targets)

    text = (
        json.dumps(to_json(results, errors, seed=args.seed), indent=2) + "\n"
        if args.format == "json"
        else to_text(results, errors)
    )
    if args.output:
        tmp = args.output.with_name(args.output.name + ".tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, args.output)  # atomic: a reader never sees half a report
    else:
        sys.stdout.write(text)
    # a spec that does not fit its kernel is an input error, found only once the kernel is built
    if errors or any(d.code.startswith("CS") for r in results for d in r.diagnostics):
        return 2
    return 0 if all(r.status == "pass" for r in results) else 1


def collect_jobs(paths: list[str], spec: Path | None, kernels: list[str]) -> tuple[list[Job], list[Diagnostic]]:
    """Sources with their specs; a problem with one source is an error entry, never an exception."""
    errors: list[Diagnostic] = []
    sources: list[Path] = []
    project: list[Path] = []  # files given together form one program
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            project.extend(sorted(p.rglob("*.cu")))
            found = sorted(f for f in p.rglob("*.cu") if spec is not None or spec_path_for(f).is_file())
            sources.extend(found)
        elif p.is_file():
            project.append(p)
            sources.append(p)
        else:
            errors.append(diag("CU001", Span(str(p), 0, 0), reason=f"{p}: no such file or directory"))
    jobs: list[Job] = []
    seen_kernels: set[str] = set()
    for src in sources:
        spec_file = spec if spec is not None else spec_path_for(src)
        if not spec_file.is_file():
            errors.append(diag("CS003", Span(str(src), 1, 1), name=f"any kernel of {src.name}; expected {spec_file}"))
            continue
        try:
            launch_spec = load_spec(spec_file)
        except SpecError as exc:
            errors.append(exc.diagnostic)
            continue
        defined = _defined_kernels(src, errors)
        if defined is None:
            continue
        chosen: list[KernelSpec] = []
        for k in launch_spec.kernels.values():
            if kernels and k.name not in kernels and k.base_name not in kernels:
                continue
            if k.base_name not in defined:
                errors.append(diag("CS004", k.span, name=k.name, file=str(src)))
                continue
            chosen.append(k)
            seen_kernels.update((k.name, k.base_name))
        jobs.append(Job(src, launch_spec, chosen, tuple(project)))
    for k in kernels:
        if k not in seen_kernels and sources:
            errors.append(diag("CS003", None, name=k))
    return [j for j in jobs if j.kernels], errors


def _defined_kernels(src: Path, errors: list[Diagnostic]) -> set[str] | None:
    read = read_source(src)
    if not isinstance(read, Ok):
        errors.append(skipped_diagnostic(read))
        return None
    inv = inventory(read.value, parse_cst(read.value))
    return {f.name for f in inv.kernels} | {f.qualified_name for f in inv.kernels}


def _cpu_cuda_runner(**config: object) -> Runner | None:
    """The CPU runtime's runner, configured with what its constructor accepts."""
    try:
        mod = importlib.import_module("cuport.verify.cpu_cuda")
    except ImportError:
        return None
    cls = getattr(mod, "CpuCudaRunner", None)
    if cls is None:
        return None
    accepted = inspect.signature(cls).parameters
    return cls(**{k: v for k, v in config.items() if k in accepted and v is not None})


def verify_jobs(jobs: list[Job], args: argparse.Namespace, targets: list[str]) -> list[VerifyResult]:
    workers = args.workers or None
    original = _cpu_cuda_runner(workers=workers)
    results: list[VerifyResult] = []
    for job in jobs:
        for k in job.kernels:
            trials = args.trials or max(k.trial_count, 2)
            includes = tuple(k.includes) + tuple(p.resolve() for p in args.includes)
            defines = tuple(sorted(k.defines.items()))
            art = Artifact(job.source, "cuda", defines, includes, linked_files(job, includes, defines))
            if original is None:
                results.append(_cannot(k, job.source, "the CPU runtime for CUDA (cuport.verify.cpu_cuda) is not installed"))
                continue
            if args.port is not None:
                port_art = Artifact(args.port, "cuda", defines, includes)
                port_runner = original if args.warp_size == 32 else _cpu_cuda_runner(workers=workers, warp_size=args.warp_size)
                assert port_runner is not None
                target = "cuda" if args.warp_size == 32 else f"cuda (warp {args.warp_size})"
                r = verify_kernel(original, port_runner, art, port_art, k, trials, args.seed, target=target, timeout_s=args.timeout)
                results.append(r)
            elif not targets:
                results.append(self_check(k, art, trials, args.seed, workers, args.timeout, args.warp_size))

        if original is not None and targets:
            art = _artifact(job, job.kernels[0], args)
            for t in targets:
                found = verify_target(
                    original, art, job.kernels, t, trials=args.trials, seed=args.seed,
                    timeout_s=args.timeout, warp_size=args.warp_size,
                )
                if getattr(args, "llm_session", None) is not None and getattr(args, "llm", None):
                    found = apply_llm(args.llm_session, args.llm, found, job.source, art, job.kernels, t, original,
                                      seed=args.seed, trials=args.trials, timeout_s=args.timeout)
                if getattr(args, "llm_session", None) is not None and getattr(args, "optimize", False):
                    found = apply_optimize(args.llm_session, found, job.source, art, job.kernels, t, original,
                                           seed=args.seed, timeout_s=args.timeout, warp_size=args.warp_size)
                results += found
    return results


def _artifact(job: Job, k: KernelSpec, args: argparse.Namespace) -> Artifact:
    includes = tuple(k.includes) + tuple(p.resolve() for p in args.includes)
    defines = tuple(sorted(k.defines.items()))
    return Artifact(job.source, "cuda", defines, includes, linked_files(job, includes, defines))


def linked_files(job: Job, includes: tuple[Path, ...], defines: tuple[tuple[str, str], ...]) -> tuple[Path, ...]:
    """The other given files the source's program links with: where the `__device__` functions it
    only declares are defined (the CPU runtime compiles them with it; ports lower them from there)."""
    if len(job.project) < 2:
        return ()
    return program_files(job.source, job.project, includes=includes,
                         defines=[f"{k}={v}" if v else k for k, v in defines])


def self_check(
    k: KernelSpec, art: Artifact, trials: int, seed: int, workers: int | None, timeout_s: float, warp_size: int = 32
) -> VerifyResult:
    """The original against itself: sequential blocks vs shuffled blocks on more workers (and,
    with --warp-size 64, 64-wide warps: results that change show a warp-size dependence)."""
    sequential = _cpu_cuda_runner(workers=1, shuffle_blocks=False)
    shuffled = _cpu_cuda_runner(workers=max(workers or 0, 4), shuffle_blocks=True, warp_size=warp_size)
    assert sequential is not None and shuffled is not None
    target = SELF_CHECK_TARGET if warp_size == 32 else f"cuda-cpu (self-check, warp {warp_size})"
    r = verify_kernel(sequential, shuffled, art, art, k, trials, seed, target=target, timeout_s=timeout_s)
    if r.status == "fail":
        r.diagnostics.append(diag("CV004", k.span, reason=r.reason))
    return r


def _cannot(k: KernelSpec, source: Path, reason: str) -> VerifyResult:
    d = diag("CV003", k.span, reason=reason)
    return VerifyResult(k.name, "cuda", "error", reason=d.message, file=str(source), diagnostics=[d])
