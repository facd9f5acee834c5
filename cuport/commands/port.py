"""`cuport port`: port CUDA sources to hip, opencl and/or triton.

    cuport port PATH... --to hip,opencl,triton [-o OUT] [--in-place] [--diff] [--jobs N] [--verify]
                        [--executor local|ray [--ray-address ADDR]] [--no-cache]
                        [-I DIR] [-D NAME[=VALUE]] [--format text|json]

Settings not given on the command line come from `cuport.toml` / `[tool.cuport]` of pyproject.toml
(searched upward from the first path; see cuport/config.py). Each file's port is cached by content
hash (source, included headers, spec, target, options, cuport's code) under the cuport cache dir:
a re-run of an unchanged tree ports nothing, and a run stopped with Ctrl-C resumes where it stopped.

Output mirrors the input tree per target: `OUT/<target>/<path relative to the given folder>`.
Inputs are never touched unless `--in-place` (ports are written beside their sources; a file that
would be overwritten is first kept as `NAME.cuport-bak`). Every file is written atomically. One bad
file or kernel never stops the batch: each file is reported as ported / partial / failed / skipped
with the reason, then totals.
`--verify` then verifies every ported kernel that has a launch spec (NAME.cuport.toml).
Exit codes: 0 every kernel ported (and verified); 1 a kernel or file could not be ported or written,
or a verification failed; 2 usage or input error.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cuport.cli import UsageError
from cuport.config import ConfigError, ProjectConfig, config_for_paths
from cuport.diagnostics import render
from cuport.executor import ExecutorError, Progress, ResultCache, code_fingerprint, make_executor
from cuport.fsutil import backup_path, is_within, write_atomic
from cuport.parse.reader import read_source
from cuport.parse.walk import ALWAYS_SKIPPED_DIRS, DEFAULT_EXTENSIONS, iter_sources
from cuport.result import Ok, Skipped
from cuport.targets.base import TARGET_NAMES, PortRequest, PortResult, get_target
from cuport.translate.llm_cli import add_llm_arguments, session_from_args
from cuport.translate.llm_config import LLMConfigError
from cuport.translate.llm_loop import LLMSession
from cuport.translate.llm_port import LLMPortRequest, llm_port_file
from cuport.verify.build_cache import default_cache_root
from cuport.verify.spec import SpecError, load_spec, spec_path_for

PORTABLE_EXTENSIONS = (".cu", ".cuh")  # HIP also ports headers; see _wants


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="CUDA files or folders")
    p.add_argument("--to", metavar="T,...", help=f"targets: {','.join(TARGET_NAMES)} (default: config targets)")
    p.add_argument("-o", "--output", type=Path, help="output folder (default: config output, else ported/)")
    p.add_argument("--in-place", action="store_true", help="write ports beside their sources (keeps backups)")
    p.add_argument("--diff", action="store_true", help="show what would be written, write nothing")
    p.add_argument("--jobs", "-j", type=int, help="files ported in parallel (default: config jobs, else 1)")
    p.add_argument("--verify", action="store_true", help="verify every ported kernel that has a launch spec")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per verification run (default 60)")
    add_executor_arguments(p)
    p.add_argument("-I", dest="includes", action="append", default=[], type=Path, help="include folder")
    p.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]")
    p.add_argument("--warp-size", type=int, choices=(32, 64), default=32)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_llm_arguments(p)


def add_executor_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--executor", choices=("local", "ray"), help="where jobs run (default: config, else local)")
    p.add_argument("--ray-address", metavar="ADDR", help="Ray cluster to join (default: start a local one)")
    p.add_argument("--no-cache", action="store_true", help="port every file again (ignore the port cache)")


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
    cached: bool = False
    write_error: str = ""  # a port that could not be written (full disk, permissions): re-run to resume


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
    cache_dir: Path | None = None  # None: no cache
    # The files given with it (separate compilation, nvcc -rdc): where functions it only declares
    # are defined; project_key: their contents' hash, for the port cache.
    project: tuple[Path, ...] = ()
    project_key: str = ""


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
        computed = _computed(job)
    except Exception as exc:  # one bad file never stops the batch
        return FileOutcome(str(job.source), job.target, "failed", f"internal error: {type(exc).__name__}: {exc}")
    outcome = FileOutcome(str(job.source), job.target, computed["status"], computed["reason"],
                          kernels=computed["kernels"], diagnostics=computed["diagnostics"],
                          cached=computed.get("cached", False))
    for relpath, content in computed["files"]:
        try:
            _write(job, outcome, job.out_dir / relpath, content)
        except OSError as exc:  # the old file is intact (atomic writes); the port stays cached
            outcome.write_error = f"cannot write {job.out_dir / relpath}: {exc.strerror or exc}"
            outcome.status, outcome.reason = "failed", outcome.write_error
            break
    return outcome


_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"', re.M)


# `__device__ int f(int);`: a function declared here may be defined in another file of the project.
_DEVICE_DECLARATION = re.compile(rb"__device__[^;{}=]*\)\s*;")


def cache_key(job: Job, data: bytes) -> str:
    """Everything that decides a port: the source and the headers it includes with quotes (found
    beside it or under -I), its spec, the target, the options and cuport's own code."""
    h = hashlib.sha256()
    for part in (code_fingerprint(), str(job.source), job.target, repr(job.defines),
                 repr(tuple(str(i) for i in job.includes)), str(job.warp_size)):
        h.update(part.encode() + b"\0")
    h.update(hashlib.sha256(data).digest())
    spec = spec_path_for(job.source)
    h.update(spec.read_bytes() if spec.is_file() else b"-")
    seen: set[Path] = set()
    todo = [(job.source.parent, data)]
    while todo and len(seen) < 500:
        folder, text = todo.pop()
        for name in _INCLUDE.findall(text):
            for d in (folder, *job.includes):
                header = d / name.decode("utf-8", "replace")
                if header.is_file():
                    header = header.resolve()
                    if header not in seen:
                        seen.add(header)
                        body = header.read_bytes()
                        h.update(str(header).encode() + hashlib.sha256(body).digest())
                        todo.append((header.parent, body))
                    break
    if _DEVICE_DECLARATION.search(data) or any(_DEVICE_DECLARATION.search(p.read_bytes()) for p in seen):
        h.update(job.project_key.encode())  # it may call a function another file defines
    return h.hexdigest()


def _computed(job: Job) -> dict[str, Any]:
    """The port of one file as plain data, from the cache when nothing that decides it changed."""
    try:
        data = job.source.read_bytes()
    except FileNotFoundError:
        return _plain("skipped", "vanished during the run (no such file)")
    except OSError as exc:
        return _plain("skipped", f"cannot read: {exc.strerror or exc}")
    cache = ResultCache(job.cache_dir) if job.cache_dir is not None else None
    key = cache_key(job, data) if cache is not None else ""
    if cache is not None:
        hit = cache.get(key)
        if hit is not None and {"status", "reason", "kernels", "diagnostics", "files"} <= hit.keys():
            return {**hit, "cached": True}
    computed = _port_compute(job)
    if cache is not None and computed["status"] != "skipped":
        cache.put(key, computed)  # as soon as it is done: an interrupted run resumes from here
    return computed


def _plain(status: str, reason: str) -> dict[str, Any]:
    return {"status": status, "reason": reason, "kernels": [], "diagnostics": [], "files": []}


def _port_compute(job: Job) -> dict[str, Any]:
    read = read_source(job.source)
    if isinstance(read, Skipped):
        return _plain("skipped", read.reason)
    assert isinstance(read, Ok)
    source = read.value
    kernels: tuple[str, ...] = ()
    spec_file = spec_path_for(job.source)
    if spec_file.is_file():
        try:
            kernels = tuple(load_spec(spec_file).kernels)
        except SpecError as exc:
            return _plain("failed", str(exc))
    target = get_target(job.target)
    request = PortRequest(job.source, kernels, job.defines, job.includes, job.warp_size, project=job.project)
    result: PortResult = target.port_file(source, request)
    out = _plain(_status(result), "")
    out["kernels"] = [
        {"kernel": k.kernel, "status": k.status, "how": k.how, "rules": list(k.rules), "reason": k.reason}
        for k in result.kernels
    ]
    out["diagnostics"] = [render(d, source) for d in result.diagnostics]
    for k in result.kernels:
        out["diagnostics"] += [render(d, source) for d in k.diagnostics]
    if not result.kernels and not result.files:
        out["status"], out["reason"] = "unchanged", "nothing to port"
    out["files"] = [[f.relpath, f.content] for f in result.files]
    return out


def _write(job: Job, outcome: FileOutcome, dest: Path, content: str) -> None:
    """Write one port (or show its diff); an unchanged file is left alone, an in-place one backed up."""
    old = dest.read_text("utf-8", errors="replace") if dest.is_file() else ""
    if old == content:
        return
    if job.show_diff:
        outcome.diff += "".join(difflib.unified_diff(
            old.splitlines(keepends=True), content.splitlines(keepends=True), str(dest), str(dest)))
        return
    if job.in_place and dest.exists():
        write_atomic(backup_path(dest), dest.read_bytes())
    write_atomic(dest, content)
    outcome.written.append(str(dest))


def _llm_step(session: LLMSession, args: argparse.Namespace, job: Job, outcome: FileOutcome) -> None:
    """LLM ports where the rules stopped (`--llm`) and faster versions (`--optimize`), written beside."""
    req = LLMPortRequest(job.source, job.target, args.llm, args.optimize, job.includes, job.defines, job.warp_size)
    step = llm_port_file(session, req, outcome.kernels)
    for f in step.files:
        try:
            _write(job, outcome, job.out_dir / f.relpath, f.content)
        except OSError as exc:
            outcome.write_error = f"cannot write {job.out_dir / f.relpath}: {exc.strerror or exc}"
            outcome.diagnostics.append(outcome.write_error)
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


@dataclass(frozen=True)
class Settings:
    """The command line over the project config: what this run actually uses."""

    targets: list[str]
    output: Path
    jobs: int
    executor: str
    includes: tuple[Path, ...]
    defines: tuple[tuple[str, str], ...]
    config: ProjectConfig
    cache_dir: Path | None


def settings_from_args(args: argparse.Namespace, default_targets: str = "") -> Settings:
    """Flags win over `cuport.toml` / `[tool.cuport]`; -I and -D add to the configured lists."""
    try:
        cfg = config_for_paths(list(args.paths))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    raw = args.to if args.to else ",".join(cfg.targets) if cfg.targets else default_targets
    targets = [t.strip() for t in raw.split(",") if t.strip()]
    if not targets:
        raise UsageError("--to needs at least one target (or targets = [...] in cuport.toml / [tool.cuport])")
    for t in targets:
        try:
            get_target(t)
        except ValueError as exc:
            where = f"{cfg.file}: targets: " if not args.to and cfg.file else ""
            raise UsageError(f"{where}{exc}") from None
    jobs = args.jobs if args.jobs is not None else cfg.jobs or 1
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    output = args.output or cfg.output or Path("ported")
    executor = getattr(args, "executor", None) or cfg.executor or "local"
    cache_dir = None if getattr(args, "no_cache", False) else default_cache_root() / "port"
    return Settings(targets, output, jobs, executor, cfg.includes + tuple(args.includes),
                    _parse_defines(list(cfg.defines) + list(args.defines)), cfg, cache_dir)


def _jobs(args: argparse.Namespace, st: Settings) -> tuple[list[Job], list[FileOutcome]]:
    jobs: list[Job] = []
    skipped: list[FileOutcome] = []
    out_root = st.output
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
            if root.is_dir() and not st.config.selects(item, base):
                continue  # left out by include/exclude globs (a file named on the command line is kept)
            rel_dir = item.parent.relative_to(base) if item.is_relative_to(base) else Path()
            if several_roots and root.is_dir():
                rel_dir = Path(root.resolve().name) / rel_dir  # two roots' main.cu must not collide
            for t in st.targets:
                if not _wants(item, t):
                    continue
                out_dir = item.parent if args.in_place else out_root / t / rel_dir
                jobs.append(Job(item, rel_dir, t, out_dir, args.in_place, args.diff, st.includes, st.defines,
                                args.warp_size, st.cache_dir))
    return with_project(jobs), skipped


def with_project(jobs: list[Job]) -> list[Job]:
    """Files ported together form one project: each job gets the others (of its target) and a
    hash of their contents (a changed definition elsewhere changes the port)."""
    replaced: dict[int, Job] = {}
    for target in dict.fromkeys(j.target for j in jobs):
        paths = tuple(j.source for j in jobs if j.target == target and j.source.suffix.lower() in PORTABLE_EXTENSIONS)
        if len(paths) < 2 or target == "hip":  # hip rewrites each file as it is: nothing to look up
            continue
        h = hashlib.sha256()
        for p in paths:
            try:
                h.update(str(p).encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
            except OSError:
                h.update(str(p).encode() + b"\0-")
        key = h.hexdigest()
        replaced.update({id(j): dataclasses.replace(j, project=paths, project_key=key) for j in jobs if j.target == target})
    return [replaced.get(id(j), j) for j in jobs]


def run_port_jobs(jobs: list[Job], st: Settings, address: str | None, label: str = "port") -> list[FileOutcome]:
    """Every job on the chosen executor, in job order, with a progress bar on a terminal."""
    try:
        executor = make_executor(st.executor, st.jobs, address)
    except ExecutorError as exc:
        raise UsageError(str(exc)) from None
    results: list[FileOutcome | None] = [None] * len(jobs)
    bar = Progress(len(jobs), label)
    try:
        for i, outcome in executor.run(port_job, jobs):
            results[i] = outcome
            bar.step(Path(outcome.source).name)
    except KeyboardInterrupt:
        bar.close()
        done = sum(r is not None for r in results)
        print(f"cuport {label}: interrupted after {done} of {len(jobs)} ports; they are cached, "
              "re-run the same command to resume", file=sys.stderr)
        raise
    bar.close()
    return [r for r in results if r is not None]


def run(args: argparse.Namespace) -> int:
    st = settings_from_args(args)
    try:
        session = session_from_args(args)
    except LLMConfigError as exc:
        raise UsageError(str(exc)) from None
    jobs, outcomes = _jobs(args, st)
    input_error = any(o.target == "-" for o in outcomes)
    outcomes += run_port_jobs(jobs, st, getattr(args, "ray_address", None))
    if "hip" in st.targets and not args.in_place and not args.diff:
        outcomes += copy_unchanged(args.paths, st.output / "hip", {j.source for j in jobs}, st.output)
    if session is not None:
        # the LLM step runs here, in one process: the session holds the client, the budget and the cache
        done = {(o.source, o.target): o for o in outcomes}
        for j in jobs:
            o = done.get((str(j.source), j.target))
            if o is not None and o.status not in ("skipped", "unchanged"):
                _llm_step(session, args, j, o)
    verdicts = _verify(args, st, jobs) if args.verify else None
    _print(outcomes, args, verdicts)
    if input_error:
        return 2
    failed = any(o.status in ("failed", "partial") for o in outcomes)
    bad_verdict = verdicts is not None and any(r.status in ("fail", "error") for r in verdicts)
    return 1 if failed or bad_verdict else 0


def _verify(args: argparse.Namespace, st: Settings, jobs: list[Job]) -> list[Any]:
    """`cuport verify --to` (cuport/verify/ported.py verify_target) on every source with a spec."""
    from cuport.commands.verify import collect_jobs, verify_jobs

    sources = sorted({str(j.source) for j in jobs if j.source.suffix == ".cu" and spec_path_for(j.source).is_file()})
    if not sources:
        return []
    vjobs, errors = collect_jobs(sources, None, [])
    for e in errors:
        print(render(e), file=sys.stderr)
    ns = argparse.Namespace(workers=0, trials=None, seed=0, timeout=args.timeout, warp_size=args.warp_size,
                            includes=list(st.includes), port=None)
    return verify_jobs(vjobs, ns, st.targets)


def _print(outcomes: list[FileOutcome], args: argparse.Namespace, verdicts: list[Any] | None = None) -> None:
    from cuport.report.verify_json import result_line, result_to_json

    write_errors = [o.write_error for o in outcomes if o.write_error]
    if args.format == "json":
        doc: dict[str, Any] = {
            "schema": "cuport.port/1",
            "files": [o.__dict__ for o in outcomes],
            "summary": _totals(outcomes),
        }
        if verdicts is not None:
            doc["verify"] = [result_to_json(r) for r in verdicts]
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
    for r in verdicts or ():
        print(result_line(r))
    totals = _totals(outcomes)
    line = ", ".join(f"{n} {s}" for s, n in totals.items() if n) or "nothing to port"
    cached = sum(o.cached for o in outcomes)
    print(line + (f" ({cached} from the cache)" if cached else ""))
    if verdicts is not None:
        v = {s: sum(r.status == s for r in verdicts) for s in ("pass", "fail", "error", "unverified")}
        print("verify: " + (", ".join(f"{n} {s}" for s, n in v.items() if n) or "no kernel has a launch spec"))
    if write_errors:
        print(f"{len(write_errors)} port(s) not written ({write_errors[0]}); the ports are cached: "
              "fix the cause and re-run", file=sys.stderr)


MAX_COPY_BYTES = 64 << 20


def copy_unchanged(paths: list[str], hip_root: Path, ported: set[Path], out_root: Path) -> list[FileOutcome]:
    """A HIP tree must build like the original: copy every other file of a ported folder (build files,
    data, docs) into the mirror. Links, huge files and our own output are left out, with a reason."""
    outcomes: list[FileOutcome] = []
    several_roots = len(paths) > 1
    for given in paths:
        root = Path(given)
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if d not in ALWAYS_SKIPPED_DIRS and not is_within(here / d, out_root)
                             and not (here / d).is_symlink())
            for name in sorted(files):
                src = here / name
                if src in ported or src.suffix.lower() in DEFAULT_EXTENSIONS or src.is_symlink():
                    continue
                rel = src.relative_to(root)
                dest = hip_root / (Path(root.resolve().name) / rel if several_roots else rel)
                try:
                    size = src.stat().st_size
                    if size > MAX_COPY_BYTES:
                        outcomes.append(FileOutcome(str(src), "hip", "skipped", f"not copied: {size} bytes"))
                        continue
                    data = src.read_bytes()
                    if dest.is_file() and dest.read_bytes() == data:
                        continue
                    write_atomic(dest, data)
                except OSError as exc:
                    outcomes.append(FileOutcome(str(src), "hip", "skipped", f"not copied: {exc.strerror or exc}"))
                    continue
                outcomes.append(FileOutcome(str(src), "hip", "copied", written=[str(dest)]))
    return outcomes


def _totals(outcomes: list[FileOutcome]) -> dict[str, int]:
    keys = ("ported", "partial", "failed", "skipped", "unchanged", "copied")
    return {k: sum(1 for o in outcomes if o.status == k) for k in keys}
