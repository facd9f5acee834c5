"""`cuport scan PATH...`: inventory CUDA sources, count API references, find portability hazards.

Each file is read, parsed once, indexed once (one query pass) and handed to the inventory, the
API counter and the hazard detectors; `scan_file` is a pure function of the path and options, so
`--jobs N` runs it in a process pool. One bad file never stops the batch: it is listed as skipped
or failed, with the reason.

Exit codes: 0 no hazard at or above --severity (default error); 1 some; 2 usage or input error
(a path that does not exist, a bad baseline; the other paths are still scanned).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cuport.cli import UsageError
from cuport.fsutil import write_atomic
from cuport.parse.cst import iter_problems, parse_cst
from cuport.parse.inventory import FileInventory, inventory
from cuport.parse.reader import read_source
from cuport.parse.walk import iter_sources
from cuport.report.sarif import sarif_document
from cuport.report.scan_json import FileScan, scan_document
from cuport.report.text import render_scan
from cuport.result import Skipped
from cuport.translate.api_refs import find_api_refs
from cuport.translate.hazards import SEVERITIES, Hazard, find_hazards_in_index, severity_rank
from cuport.translate.hazards_index import CstIndex, build_index, macro_value
from cuport.translate.suppress import BaselineError, read_baseline, subtract_baseline, write_baseline

# Below this many files a process pool costs more (start-up, imports) than it saves.
POOL_MIN_FILES = 16


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to scan")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--baseline", metavar="FILE", help="ignore hazards recorded in this baseline file")
    p.add_argument("--write-baseline", metavar="FILE", help="record the current hazards as the baseline")
    p.add_argument("--severity", choices=SEVERITIES, default="error",
                   help="exit 1 when a hazard at or above this level remains (default: error)")
    p.add_argument("-I", dest="includes", action="append", default=[], metavar="DIR",
                   help="folder searched for quoted includes (their macros resolve masks and constants)")
    p.add_argument("-D", dest="defines", action="append", default=[], metavar="X=Y", help="define a macro")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (0: one per core)")


@dataclass(frozen=True)
class ScanOptions:
    includes: tuple[str, ...] = ()
    defines: tuple[tuple[str, str], ...] = ()


def parse_defines(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for item in items:
        name, _, value = item.partition("=")
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise UsageError(f"-D {item}: expected NAME or NAME=VALUE")
        out.append((name, value if _ else "1"))
    return tuple(out)


def run(args: argparse.Namespace) -> int:
    options = ScanOptions(tuple(args.includes), parse_defines(args.defines))
    missing = [p for p in args.paths if not os.path.lexists(p)]
    for p in missing:
        print(f"cuport scan: error[CU001]: {p}: no such file or directory", file=sys.stderr)
    baseline = None
    if args.baseline:
        try:
            baseline = read_baseline(args.baseline)
        except BaselineError as exc:
            raise UsageError(str(exc)) from exc

    files = scan_paths([p for p in args.paths if p not in missing], options, args.jobs)
    hazards = [h for f in files for h in f.hazards]
    if args.write_baseline:
        write_baseline(args.write_baseline, hazards)
    if baseline is not None:
        hazards = subtract_baseline(hazards, baseline)  # type: ignore[assignment]

    document = scan_document(files, hazards)
    if args.format == "json":
        text = json.dumps(document, indent=1) + "\n"
    elif args.format == "sarif":
        text = json.dumps(sarif_document(hazards), indent=1) + "\n"
    else:
        text = render_scan(files, hazards, document["summary"])
    if args.output:
        _write_atomically(Path(args.output), text)
    else:
        sys.stdout.write(text)

    if missing:
        return 2
    threshold = severity_rank(args.severity)
    return 1 if any(severity_rank(h.severity) >= threshold for h in hazards) else 0


def scan_paths(paths: list[str], options: ScanOptions, jobs: int = 0) -> list[FileScan]:
    """Scan every CUDA file under `paths`, in walk order; never raises for a bad file."""
    items = list(iter_sources(paths))
    files: list[Path] = [p for p in items if isinstance(p, Path)]
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    results: dict[int, FileScan] = {}
    progress = _Progress(len(files))
    if workers > 1 and len(files) >= POOL_MIN_FILES:
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                chunk = max(1, min(32, len(files) // (workers * 8)))
                jobs = [(str(f), options) for f in files]
                for i, scan in enumerate(pool.map(_scan_one, jobs, chunksize=chunk)):
                    results[id(files[i])] = scan
                    progress.step(scan.path)
        except (BrokenProcessPool, OSError):
            pass  # a worker died (killed, out of memory): finish what is left in this process
    for f in files:
        if id(f) not in results:
            results[id(f)] = scan_file(str(f), options)
            progress.step(str(f))
    progress.done()
    out = []
    for item in items:
        if isinstance(item, Skipped):
            where = item.location.file if item.location is not None else "<unknown>"
            out.append(FileScan(where, "skipped", item.reason))
        else:
            out.append(results[id(item)])
    return out


def _scan_one(job: tuple[str, ScanOptions]) -> FileScan:
    return scan_file(*job)


def scan_file(path: str, options: ScanOptions = ScanOptions()) -> FileScan:
    """One file, start to end. Exceptions from a bug are caught so the batch goes on."""
    read = read_source(path)
    if isinstance(read, Skipped):
        return FileScan(path, "skipped", read.reason)
    source = read.value
    result = FileScan(path, "ok", lines=source.data.count(b"\n") + (0 if source.data.endswith(b"\n") else 1),
                      encoding=source.encoding, diagnostics=list(read.diagnostics))
    try:
        tree = parse_cst(source)
        extra = _header_macros(path, source.data, options)
        index = build_index(source.data, tree, extra)
        inv = inventory(source, tree)
        result.parse_errors = [{"line": p.span.line, "col": p.span.col, "what": p.what, "missing": p.missing}
                               for p in inv.problems] if inv.problems else _problems(source, tree)
        result.hazards = find_hazards_in_index(source, index)
        result.api_refs = find_api_refs(source, index)
        result.kernels = _kernels(inv, index, result.hazards)
        result.launches = [
            {"kernel": s.callee, "file": path, "line": s.span.line, "col": s.span.col,
             "config": list(s.config), "via": s.via, "caller": s.caller}
            for s in inv.launches
        ]
    except Exception as exc:  # a bug in cuport must not stop the batch; say which file and why
        if os.environ.get("CUPORT_DEBUG"):
            raise
        result.status = "error"
        result.reason = f"internal error: {type(exc).__name__}: {exc}"
    return result


def _problems(source: Any, tree: Any) -> list[dict[str, Any]]:
    out = []
    for node in iter_problems(tree):
        line, col = source.line_col(node.start_byte)
        out.append({"line": line, "col": col, "what": node.type, "missing": bool(node.is_missing)})
    return out


_FEATURES: tuple[tuple[str, tuple[bytes, ...]], ...] = (
    ("shared", (b"__shared__",)),
    ("barriers", (b"__syncthreads", b".sync()")),
    ("atomics", (b"atomic",)),
    ("warp_ops", (b"__shfl", b"__ballot", b"__any_sync", b"__all_sync", b"__activemask", b"__syncwarp",
                  b"__match_", b"__reduce_")),
    ("printf", (b"printf",)),
    ("texture", (b"tex1D", b"tex2D", b"tex3D", b"surf2D", b"surf1D")),
    ("inline_asm", (b"asm",)),
    ("cooperative_groups", (b"this_thread_block", b"this_grid", b"tiled_partition", b"cg::")),
    ("half", (b"__half", b"half2", b"__nv_bfloat16")),
    ("vector_types", (b"float2", b"float4", b"int2", b"int4", b"double2", b"uchar4")),
)


def _kernels(inv: FileInventory, index: CstIndex, hazards: list[Hazard]) -> list[dict[str, Any]]:
    constants = [g.name for g in inv.globals if g.kind == "constant"]
    out = []
    for k in inv.kernels:
        if not k.is_definition:
            continue
        start, end = (k.body_start, k.body_end) if k.body_start is not None else (k.start, k.end)
        body = index.data[start:end]
        features = [name for name, needles in _FEATURES if any(n in body for n in needles)]
        if b"extern __shared__" in body or b"extern  __shared__" in body:
            features.append("dynamic_shared")
        if k.is_template:
            features.append("templates")
        if constants and any(re.search(rb"\b" + re.escape(c.encode()) + rb"\b", body) for c in constants):
            features.append("constant")
        ids = sorted({h.id for h in hazards if k.start <= h.start < k.end})
        if "CPH015" in ids:
            features.append("float_atomics")
        if "CPH014" in ids:
            features.append("dynamic_parallelism")
        out.append({
            "name": k.name,
            "qualified_name": k.qualified_name,
            "file": k.span.file,
            "line": k.span.line,
            "col": k.span.col,
            "params": [{"name": p.name, "type": p.type} for p in k.params],
            "template_params": [p.name for p in k.template_params],
            "features": sorted(features),
            "hazards": ids,
        })
    return out


_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([^\n]*?)[ \t]*(?:\\)?$", re.MULTILINE)
_QUOTED_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"', re.MULTILINE)


def _header_macros(path: str, data: bytes, options: ScanOptions) -> dict[str, str]:
    """Object-like macros of quoted includes (one level) and -D, for resolving masks and constants."""
    out: dict[str, str] = {}
    if b"#" in data and b"include" in data:
        dirs = (str(Path(path).parent), *options.includes)
        for m in _QUOTED_INCLUDE.finditer(data):
            name = m.group(1).decode("utf-8", errors="replace")
            for d in dirs:
                macros = _macros_of(os.path.join(d, name))
                if macros is not None:
                    for k, v in macros.items():
                        out.setdefault(k, v)
                    break
    out.update(options.defines)
    return out


@cache
def _macros_of(header: str) -> dict[str, str] | None:
    try:
        if os.path.getsize(header) > 2 * 1024 * 1024:
            return None
        with open(header, "rb") as f:
            data = f.read()
    except (OSError, ValueError):
        return None
    return {m.group(1).decode(): macro_value(m.group(2).decode("utf-8", errors="replace"))
            for m in _DEFINE.finditer(data) if m.group(2)}


class _Progress:
    """`[n/N] path` on stderr, only when stderr is a terminal and the batch is long."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.n = 0
        self.on = total >= 20 and sys.stderr.isatty()

    def step(self, path: str) -> None:
        self.n += 1
        if self.on:
            tail = path[-60:]
            sys.stderr.write(f"\r\x1b[K[{self.n}/{self.total}] {tail}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _write_atomically(target: Path, text: str) -> None:
    try:
        write_atomic(target, text)  # writes into devices such as /dev/null instead of replacing them
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc

