"""`cuport check`: the pre-commit / CI gate.

    cuport check [FILES...] [--severity note|warning|error] [--baseline FILE]
                 [--ports DIR --to T,... [--root DIR]] [-I DIR] [-D NAME[=VALUE]]

Only the files given are checked (pre-commit passes the staged ones); with none, every CUDA source
under the current folder. A hazard at or above --severity (default warning) fails, printed as
`file:line:col: severity[ID]: message` with the line and a caret; inline `// cuport: ignore[ID]`
comments and a baseline file (`cuport scan --write-baseline`) silence old findings.
With --ports, each file's port is regenerated in memory and compared with the committed one,
like `black --check`: `DIR/<target>/<path of the source relative to --root>/...`, the layout
`cuport port ROOT --to T -o DIR` writes. A stale or missing port fails and its diff is shown.

Kept light for speed: the targets (and numpy under them) are imported only with --ports.
Exit codes: 0 clean; 1 a hazard or a stale port; 2 usage or input error.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from cuport.cli import UsageError
from cuport.commands.scan import ScanOptions, parse_defines, scan_file
from cuport.diagnostics import diag, render
from cuport.parse.walk import iter_sources
from cuport.report.scan_json import FileScan
from cuport.report.text import render_hazard
from cuport.result import Skipped
from cuport.source import Span
from cuport.translate.hazards import SEVERITIES, Hazard, severity_rank
from cuport.translate.suppress import BaselineError, read_baseline, subtract_baseline


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="files to check (default: CUDA sources under .)")
    p.add_argument("--severity", choices=SEVERITIES, default="warning",
                   help="fail on hazards at or above this level (default: warning)")
    p.add_argument("--baseline", metavar="FILE", help="ignore hazards recorded in this baseline file")
    p.add_argument("--ports", type=Path, metavar="DIR", help="committed ports to keep in sync (needs --to)")
    p.add_argument("--to", default="", metavar="T,...", help="targets whose committed ports are compared")
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                   help="folder the ports mirror (the PATH given to `cuport port`; default .)")
    p.add_argument("-I", dest="includes", action="append", default=[], metavar="DIR", help="include folder")
    p.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]")


def run(args: argparse.Namespace) -> int:
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    if bool(targets) != (args.ports is not None):
        raise UsageError("--ports and --to go together")
    baseline = None
    if args.baseline:
        try:
            baseline = read_baseline(args.baseline)
        except BaselineError as exc:
            raise UsageError(str(exc)) from exc
    options = ScanOptions(tuple(args.includes), parse_defines(args.defines))

    files, problems = _files(args.files, args.ports)
    for msg in problems:
        print(f"cuport check: error[CU001]: {msg}", file=sys.stderr)
    scans = [scan_file(str(f), options) for f in files]
    failed = False
    for s in scans:
        if s.status != "ok":
            print(f"{s.path}: {s.status}: {s.reason}", file=sys.stderr)
    hazards: list[Hazard] = [h for s in scans for h in s.hazards]
    if baseline is not None:
        hazards = subtract_baseline(hazards, baseline)  # type: ignore[assignment]
    threshold = severity_rank(args.severity)
    blocking = [h for h in hazards if severity_rank(h.severity) >= threshold]
    for h in blocking:
        print(render_hazard(h))
    failed |= bool(blocking)
    stale = _check_ports(scans, targets, args) if targets else 0
    failed |= stale > 0
    if blocking or stale:
        print(f"cuport check: {len(blocking)} hazard(s) at or above {args.severity}, {stale} port(s) out of date "
              f"in {len(files)} file(s)", file=sys.stderr)
    if problems:
        return 2
    return 1 if failed else 0


def _files(given: list[str], ports: Path | None) -> tuple[list[Path], list[str]]:
    paths = given or ["."]
    files: list[Path] = []
    problems: list[str] = []
    for item in iter_sources(paths):
        if isinstance(item, Skipped):
            where = item.location.file if item.location is not None else "?"
            problems.append(f"{where}: {item.reason}")
        elif not given and ports is not None and _is_under(item, ports):
            continue  # the committed ports are outputs, not sources to check
        else:
            files.append(item)
    return files, problems


def _is_under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


_DIFF_OLD = re.compile(r"^--- (.*)$", re.MULTILINE)


def _check_ports(scans: list[FileScan], targets: list[str], args: argparse.Namespace) -> int:
    """Regenerate each port in memory (`cuport port --diff`'s job) and show what differs."""
    from cuport.commands.port import Job, _wants, port_job
    from cuport.targets.base import get_target

    for t in targets:
        try:
            get_target(t)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    root = args.root.resolve()
    includes = tuple(Path(i) for i in args.includes)
    defines = parse_defines(args.defines)
    stale = 0
    for s in scans:
        if s.status != "ok":
            continue
        src = Path(s.path)
        try:
            rel_dir = src.resolve().parent.relative_to(root)
        except ValueError:
            print(f"cuport check: error[CU001]: {src} is outside --root {args.root}", file=sys.stderr)
            stale += 1
            continue
        for t in targets:
            if not _wants(src, t):
                continue
            job = Job(src, rel_dir, t, args.ports / t / rel_dir, False, True, includes, defines, 32)
            outcome = port_job(job)
            if outcome.status == "failed":
                print(f"{src}: note: no {t} port to compare: {outcome.reason}", file=sys.stderr)
                continue
            if not outcome.diff:
                continue
            stale += 1
            for port in dict.fromkeys(_DIFF_OLD.findall(outcome.diff)):
                code = "CK001" if os.path.exists(port) else "CK002"
                d = diag(code, Span(str(src), 1, 1), target=t, port=port, source=args.root, ports=args.ports)
                print(render(d))
            sys.stdout.write(outcome.diff)
    return stale
