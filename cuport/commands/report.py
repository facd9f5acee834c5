"""`cuport report`: a migration report over whole trees.

    cuport report PATH... -o DIR [--to hip,opencl,triton] [--verify] [--bench FILE] [--jobs N]
                  [--baseline FILE] [-I DIR] [-D NAME[=VALUE]] [--executor local|ray] [--no-cache]

Settings not given as flags come from `cuport.toml` / `[tool.cuport]` (targets, include/exclude,
includes, defines, baseline, suppress, output, jobs, executor); ports come from `cuport port`'s
content-hash cache when nothing that decides them changed.

Scans every source (`cuport scan`), ports it to each target (`cuport port`'s jobs) into
DIR/ports/<target>/, optionally verifies the kernels that have a launch spec (`cuport verify`'s
jobs) and reads speed ratios from a `cuport.bench/1` file; then writes DIR/report.json (the source
of truth, `cuport.report/1`), DIR/index.html, DIR/report.md, DIR/kernels.csv and DIR/hazards.sarif,
each atomically. The output folder may lie inside the input tree: it is never scanned or ported.
One bad file never stops the report; it is listed with its reason.
Exit codes: 0 report written; 2 usage or input error (a missing path: the rest is still reported).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from cuport.cli import UsageError
from cuport.commands.port import (
    Job,
    Settings,
    _wants,
    add_executor_arguments,
    run_port_jobs,
    settings_from_args,
)
from cuport.commands.scan import ScanOptions, scan_paths
from cuport.config import ProjectConfig
from cuport.fsutil import is_within, write_atomic
from cuport.parse.walk import iter_sources
from cuport.report.csv_out import kernels_csv
from cuport.report.html import render_html
from cuport.report.markdown import render_markdown
from cuport.report.migration import PortRecord, build_report
from cuport.report.sarif import sarif_document
from cuport.report.scan_json import FileScan
from cuport.result import Skipped
from cuport.targets.base import TARGET_NAMES
from cuport.translate.suppress import BaselineError, read_baseline, subtract_baseline


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="CUDA files or folders")
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="report folder (default: config output)")
    p.add_argument("--to", metavar="T,...", help=f"targets (default: config targets, else {','.join(TARGET_NAMES)})")
    p.add_argument("--verify", action="store_true", help="verify every kernel that has a launch spec (slow)")
    p.add_argument("--bench", type=Path, metavar="FILE", help="speed ratios from a cuport.bench/1 JSON file")
    p.add_argument("--baseline", metavar="FILE", help="leave out hazards recorded in this baseline file")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: config jobs, else 1)")
    p.add_argument("-I", dest="includes", action="append", default=[], type=Path, help="include folder")
    p.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]")
    p.add_argument("--trials", type=int, help="trials per kernel with --verify")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per verification run (default 60)")
    add_executor_arguments(p)


def collect_sources(
    paths: list[str], out_dir: Path, config: ProjectConfig | None = None
) -> tuple[list[tuple[Path, Path]], list[FileScan], list[str]]:
    """(source, folder relative to its given root) pairs, skipped entries, and missing paths.
    Anything under the report folder is left out, so a report inside its input tree never reads itself."""
    found: list[tuple[Path, Path]] = []
    skipped: list[FileScan] = []
    missing: list[str] = []
    seen: set[Path] = set()
    for given in paths:
        root = Path(given)
        if not os.path.lexists(root):
            missing.append(given)
            continue
        base = root if root.is_dir() else root.parent
        for item in iter_sources([root]):
            if isinstance(item, Skipped):
                where = item.location.file if item.location is not None else given
                skipped.append(FileScan(where, "skipped", item.reason))
                continue
            if is_within(item, out_dir) or item in seen:
                continue
            if config is not None and root.is_dir() and not config.selects(item, base):
                continue  # left out by the config's include/exclude globs
            seen.add(item)
            rel_dir = item.parent.relative_to(base) if item.is_relative_to(base) else Path()
            if len(paths) > 1:  # several roots: keep them apart (a/main.cu and b/main.cu both exist)
                rel_dir = Path(base.resolve().name) / rel_dir
            found.append((item, rel_dir))
    return found, skipped, missing


def port_sources(
    sources: list[tuple[Path, Path]], st: Settings, out_dir: Path, address: str | None = None
) -> list[PortRecord]:
    """Port each source with `cuport port`'s job function into a staging folder, then move every
    file into DIR/ports/<target>/ (one rename each): the report links exactly the files of this run."""
    staging = out_dir / f".staging-{os.getpid()}"
    port_jobs = [
        Job(src, rel, t, staging / t / rel, False, False, st.includes, st.defines, 32, st.cache_dir)
        for src, rel in sources for t in st.targets if _wants(src, t)
    ]
    try:
        outcomes = run_port_jobs(port_jobs, st, address, label="report")
        records = []
        for o in outcomes:
            written = []
            for staged in o.written:
                rel = Path(staged).relative_to(staging)
                final = out_dir / "ports" / rel
                try:
                    final.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staged, final)
                except OSError as exc:  # e.g. two roots of the same name: the first file won
                    o.diagnostics.append(f"{final}: not written: {exc.strerror or exc}")
                    continue
                written.append(str(Path("ports") / rel))
            records.append(PortRecord(o.source, o.target, o.status, o.reason, written,
                                      [dict(k) for k in o.kernels], o.diagnostics))
        return records
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def verify_sources(
    sources: list[tuple[Path, Path]], targets: list[str], args: argparse.Namespace, includes: tuple[Path, ...] = ()
) -> list[Any]:
    """`cuport verify --to` over every .cu that has a launch spec; imported only with --verify."""
    from cuport.commands.verify import collect_jobs, verify_jobs
    from cuport.verify.spec import spec_path_for

    with_spec = [str(src) for src, _ in sources if src.suffix == ".cu" and spec_path_for(src).is_file()]
    if not with_spec or not targets:
        return []
    jobs, _errors = collect_jobs(with_spec, None, [])
    ns = argparse.Namespace(workers=0, trials=args.trials, seed=0, timeout=args.timeout, warp_size=32,
                            includes=list(includes or args.includes), port=None)
    return verify_jobs(jobs, ns, targets)


def read_bench(path: Path) -> list[dict[str, Any]]:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"--bench {path}: cannot read: {exc}") from exc
    if not isinstance(doc, dict) or not str(doc.get("schema", "")).startswith("cuport.bench/") \
            or not isinstance(doc.get("results"), list):
        raise UsageError(f"--bench {path}: not a cuport.bench/1 file")
    return [r for r in doc["results"] if isinstance(r, dict)]


def write_outputs(doc: dict[str, Any], hazards: list[Any], out_dir: Path) -> list[Path]:
    outputs = {
        "report.json": json.dumps(doc, indent=1) + "\n",
        "index.html": render_html(doc),
        "report.md": render_markdown(doc),
        "kernels.csv": kernels_csv(doc),
        "hazards.sarif": json.dumps(sarif_document(hazards), indent=1) + "\n",
    }
    written = []
    for name, text in outputs.items():
        target = out_dir / name
        try:
            write_atomic(target, text)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
        written.append(target)
    return written


def run(args: argparse.Namespace) -> int:
    st = settings_from_args(args, default_targets=",".join(TARGET_NAMES))
    if args.output is None and st.config.output is None:
        raise UsageError("-o DIR is required (or output = \"DIR\" in cuport.toml / [tool.cuport])")
    targets = st.targets
    out_dir: Path = st.output
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"-o {out_dir}: exists and is not a folder")
    baseline = None
    baseline_file = args.baseline or st.config.baseline
    if baseline_file:
        try:
            baseline = read_baseline(baseline_file)
        except BaselineError as exc:
            raise UsageError(str(exc)) from exc
    bench = read_bench(args.bench) if args.bench else []
    includes, defines = st.includes, st.defines
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc

    sources, skipped, missing = collect_sources(args.paths, out_dir, st.config)
    for p in missing:
        print(f"cuport report: error[CU001]: {p}: no such file or directory", file=sys.stderr)
    options = ScanOptions(tuple(str(i) for i in includes), defines)
    scans = skipped + scan_paths([str(s) for s, _ in sources], options, st.jobs)
    hazards = [h for s in scans for h in s.hazards if h.id not in st.config.suppress]
    if baseline is not None:
        hazards = subtract_baseline(hazards, baseline)  # type: ignore[assignment]
    ports = port_sources(sources, st, out_dir, args.ray_address)
    verified = verify_sources(sources, targets, args, includes) if args.verify else []

    doc = build_report(scans, hazards, ports, targets, verified, bench, inputs=args.paths)
    write_outputs(doc, hazards, out_dir)
    s = doc["summary"]
    print(f"{s['files']} files ({s['files_skipped']} skipped, {s['files_failed']} failed), {s['kernels']} kernels, "
          f"{s['hazards']} hazards; {s['kernels_automatic']} kernels automatic, {s['kernels_manual']} need a person")
    print(f"report: {out_dir / 'index.html'}")
    return 2 if missing else 0
