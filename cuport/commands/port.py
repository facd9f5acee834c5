"""`cuport port`: port CUDA sources to hip, opencl and/or triton.

    cuport port PATH... --to hip,opencl,triton [-o OUT] [--in-place] [--diff] [--jobs N]
                        [-I DIR] [-D NAME[=VALUE]] [--format text|json]

Output mirrors the input tree per target: `OUT/<target>/<path relative to the given folder>`.
Inputs are never touched unless `--in-place` (ports are written beside their sources; a file that
would be overwritten is first kept as `NAME.cuport-bak`). Every file is written atomically. One bad
file or kernel never stops the batch: each file is reported as ported / partial / failed / skipped
with the reason, then totals.
Exit codes: 0 every kernel ported; 1 a kernel or file could not be ported; 2 usage or input error.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cuport.cli import UsageError
from cuport.diagnostics import render
from cuport.fsutil import backup_path, is_within, write_atomic
from cuport.parse.reader import read_source
from cuport.parse.walk import iter_sources
from cuport.result import Ok, Skipped
from cuport.targets.base import TARGET_NAMES, PortRequest, PortResult, get_target
from cuport.translate.llm_cli import add_llm_arguments, session_from_args
from cuport.translate.llm_config import LLMConfigError
from cuport.translate.llm_loop import LLMSession
from cuport.translate.llm_port import LLMPortRequest, llm_port_file
from cuport.verify.spec import SpecError, load_spec, spec_path_for

PORTABLE_EXTENSIONS = (".cu", ".cuh")  # HIP also ports headers; see _wants


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="CUDA files or folders")
    p.add_argument("--to", required=True, metavar="T,...", help=f"targets: {','.join(TARGET_NAMES)}")
    p.add_argument("-o", "--output", type=Path, default=Path("ported"), help="output folder (default ported/)")
    p.add_argument("--in-place", action="store_true", help="write ports beside their sources (keeps backups)")
    p.add_argument("--diff", action="store_true", help="show what would be written, write nothing")
    p.add_argument("--jobs", type=int, default=1, help="files ported in parallel (process pool)")
    p.add_argument("-I", dest="includes", action="append", default=[], type=Path, help="include folder")
    p.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]")
    p.add_argument("--warp-size", type=int, choices=(32, 64), default=32)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_llm_arguments(p)


@dataclass
class FileOutcome:
    source: str
    target: str
    status: str  # ported | partial | failed | skipped | unchanged
    reason: str = ""
    written: list[str] = field(default_factory=list)
    kernels: list[dict[str, object]] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    diff: str = ""


@dataclass(frozen=True)
class Job:
    source: Path
    rel_dir: Path  # folder of the source relative to the root it was found under
    target: str
    out_dir: Path  # where this job's files go
    in_place: bool
    show_diff: bool
    includes: tuple[Path, ...]
    defines: tuple[tuple[str, str], ...]
    warp_size: int


def _parse_defines(raw: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for d in raw:
        name, _, value = d.partition("=")
        if not name.isidentifier():
            raise UsageError(f"-D {d}: not a macro name")
        out.append((name, value or "1"))
    return tuple(out)


def _wants(path: Path, target: str) -> bool:
    if target == "hip":
        return True  # headers and host files carry CUDA API calls too
    return path.suffix.lower() in PORTABLE_EXTENSIONS


def port_job(job: Job) -> FileOutcome:
    """One file to one target: a pure function of its inputs, safe to run in a worker process."""
    try:
        return _port_job(job)
    except Exception as exc:  # one bad file never stops the batch
        return FileOutcome(str(job.source), job.target, "failed", f"internal error: {type(exc).__name__}: {exc}")


def _port_job(job: Job) -> FileOutcome:
    read = read_source(job.source)
    if isinstance(read, Skipped):
        return FileOutcome(str(job.source), job.target, "skipped", read.reason)
    assert isinstance(read, Ok)
    source = read.value
    kernels: tuple[str, ...] = ()
    spec_file = spec_path_for(job.source)
    if spec_file.is_file():
        try:
            kernels = tuple(load_spec(spec_file).kernels)
        except SpecError as exc:
            return FileOutcome(str(job.source), job.target, "failed", str(exc))
    target = get_target(job.target)
    request = PortRequest(job.source, kernels, job.defines, job.includes, job.warp_size)
    result: PortResult = target.port_file(source, request)
    outcome = FileOutcome(str(job.source), job.target, _status(result))
    outcome.kernels = [
        {"kernel": k.kernel, "status": k.status, "how": k.how, "rules": list(k.rules), "reason": k.reason}
        for k in result.kernels
    ]
    outcome.diagnostics = [render(d, source) for d in result.diagnostics]
    for k in result.kernels:
        outcome.diagnostics += [render(d, source) for d in k.diagnostics]
    if not result.kernels and not result.files:
        outcome.status, outcome.reason = "unchanged", "nothing to port"
    for f in result.files:
        dest = job.out_dir / f.relpath
        old = dest.read_text("utf-8", errors="replace") if dest.is_file() else ""
        if old == f.content:
            continue
        if job.show_diff:
            outcome.diff += "".join(
                difflib.unified_diff(
                    old.splitlines(keepends=True), f.content.splitlines(keepends=True), str(dest), str(dest)
                )
            )
            continue
        if job.in_place and dest.exists():
            backup = backup_path(dest)
            write_atomic(backup, dest.read_bytes())
        write_atomic(dest, f.content)
        outcome.written.append(str(dest))
    return outcome


def _llm_step(session: LLMSession, args: argparse.Namespace, job: Job, outcome: FileOutcome) -> None:
    """LLM ports where the rules stopped (`--llm`) and faster versions (`--optimize`), written beside."""
    req = LLMPortRequest(job.source, job.target, args.llm, args.optimize, job.includes, job.defines, job.warp_size)
    step = llm_port_file(session, req, outcome.kernels)
    for f in step.files:
        dest = job.out_dir / f.relpath
        if job.show_diff:
            old = dest.read_text("utf-8", errors="replace") if dest.is_file() else ""
            outcome.diff += "".join(difflib.unified_diff(
                old.splitlines(keepends=True), f.content.splitlines(keepends=True), str(dest), str(dest)))
            continue
        if job.in_place and dest.exists():
            write_atomic(backup_path(dest), dest.read_bytes())
        write_atomic(dest, f.content)
        outcome.written.append(str(dest))
    outcome.diagnostics += step.notes
    statuses = {str(k["status"]) for k in outcome.kernels}
    if statuses:
        outcome.status = "ported" if statuses <= {"ported"} else "partial" if "ported" in statuses else "failed"


def _status(result: PortResult) -> str:
    statuses = {k.status for k in result.kernels}
    if not statuses or statuses <= {"ported"}:
        return "ported"
    if "ported" in statuses:
        return "partial"
    return "failed"


def _jobs(args: argparse.Namespace, targets: list[str]) -> tuple[list[Job], list[FileOutcome]]:
    jobs: list[Job] = []
    skipped: list[FileOutcome] = []
    out_root: Path = args.output
    includes = tuple(args.includes)
    defines = _parse_defines(args.defines)
    several_roots = len(args.paths) > 1
    for given in args.paths:
        root = Path(given)
        if not root.exists():
            skipped.append(FileOutcome(str(root), "-", "skipped", "no such file or directory"))
            continue
        base = root if root.is_dir() else root.parent
        for item in iter_sources([root]):
            if isinstance(item, Skipped):
                skipped.append(FileOutcome(item.location.file if item.location else str(root), "-", "skipped", item.reason))
                continue
            if not args.in_place and is_within(item, out_root):
                continue  # never port our own output when -o lies inside the input tree
            rel_dir = item.parent.relative_to(base) if item.is_relative_to(base) else Path()
            if several_roots and root.is_dir():
                rel_dir = Path(root.resolve().name) / rel_dir  # two roots' main.cu must not collide
            for t in targets:
                if not _wants(item, t):
                    continue
                out_dir = item.parent if args.in_place else out_root / t / rel_dir
                jobs.append(
                    Job(item, rel_dir, t, out_dir, args.in_place, args.diff, includes, defines, args.warp_size)
                )
    return jobs, skipped


def run(args: argparse.Namespace) -> int:
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    if not targets:
        raise UsageError("--to needs at least one target")
    for t in targets:
        try:
            get_target(t)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    try:
        session = session_from_args(args)
    except LLMConfigError as exc:
        raise UsageError(str(exc)) from None
    jobs, outcomes = _jobs(args, targets)
    input_error = any(o.target == "-" for o in outcomes)
    if args.jobs > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            outcomes += list(pool.map(port_job, jobs, chunksize=4))
    else:
        outcomes += [port_job(j) for j in jobs]
    if session is not None:
        # the LLM step runs here, in one process: the session holds the client, the budget and the cache
        done = {(o.source, o.target): o for o in outcomes}
        for j in jobs:
            o = done.get((str(j.source), j.target))
            if o is not None and o.status not in ("skipped", "unchanged"):
                _llm_step(session, args, j, o)
    _print(outcomes, args)
    if input_error:
        return 2
    return 1 if any(o.status in ("failed", "partial") for o in outcomes) else 0


def _print(outcomes: list[FileOutcome], args: argparse.Namespace) -> None:
    if args.format == "json":
        doc = {
            "schema": "cuport.port/1",
            "files": [o.__dict__ for o in outcomes],
            "summary": _totals(outcomes),
        }
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    for o in outcomes:
        where = f"{o.source} -> {o.target}" if o.target != "-" else o.source
        line = f"{o.status:9} {where}"
        if o.reason:
            line += f": {o.reason}"
        print(line)
        for k in o.kernels:
            if k["status"] != "ported":
                print(f"          kernel {k['kernel']}: {k['status']}: {k['reason']}")
        for d in o.diagnostics:
            print("  " + d.replace("\n", "\n  "))
        if o.diff:
            sys.stdout.write(o.diff)
    totals = _totals(outcomes)
    print(", ".join(f"{n} {s}" for s, n in totals.items() if n) or "nothing to port")


def _totals(outcomes: list[FileOutcome]) -> dict[str, int]:
    keys = ("ported", "partial", "failed", "skipped", "unchanged")
    return {k: sum(1 for o in outcomes if o.status == k) for k in keys}
