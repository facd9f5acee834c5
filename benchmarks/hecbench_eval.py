"""Evaluate the ports on a folder of real kernels with launch specs (e.g. extracts of HeCBench).

    .venv/bin/python benchmarks/hecbench_eval.py EVAL_DIR [--to opencl,triton,hip] [--jobs 2]
                                                 [--json OUT.json] [--self-check] [--timeout 900]

EVAL_DIR holds `<bench>/<name>.cu` files, each with `<name>.cuport.toml` beside it (written by
hand, outside the repository). For every file and target this runs
`cuport verify FILE --to TARGET --format json` in its own process (a pool of --jobs; one slow or
crashing file never stops the batch) and tabulates, per target: kernels ported, pass, fail, error,
unverified, the most common reasons, and for Triton the idiomatic share (ported kernels that used a
rule other than `triton.general`). With --self-check, each file is first verified against itself
(`cuport verify FILE`: the original on the CPU runtime, sequential vs shuffled); kernels whose
self-check does not pass are left out of the port table (a spec that cannot check itself proves
nothing) and listed with their reason. A cuport crash (no JSON, or a traceback) is counted and
shown apart: it is a bug, not a port result.
"""

from __future__ import annotations

import argparse
import collections
import json
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPEC_SUFFIX = ".cuport.toml"
STATUSES = ("pass", "fail", "error", "unverified")


@dataclass
class Job:
    source: Path
    target: str | None  # None: the self-check


@dataclass
class JobResult:
    source: str
    target: str | None
    results: list[dict[str, Any]] = field(default_factory=list)
    crash: str = ""  # cuport gave no usable JSON: the tail of its stderr
    seconds: float = 0.0


def find_sources(root: Path) -> list[Path]:
    """Every `.cu` file that has a spec beside it, in a stable order."""
    return sorted(p for p in root.rglob("*.cu") if p.with_name(p.stem + SPEC_SUFFIX).is_file())


def run_job(job: Job, cuport: list[str], timeout_s: float) -> JobResult:
    cmd = [*cuport, "verify", str(job.source), "--format", "json"]
    if job.target:
        cmd += ["--to", job.target]
    out = JobResult(str(job.source), job.target)
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        out.crash = f"cuport verify timed out after {timeout_s:.0f} s"
        return out
    finally:
        out.seconds = time.perf_counter() - start
    try:
        data = json.loads(proc.stdout)
        out.results = list(data["results"])
    except (json.JSONDecodeError, KeyError, TypeError):
        out.crash = (
            f"exit {proc.returncode}, no JSON: "
            + (proc.stderr.strip().splitlines() or ["(no stderr)"])[-1][:300]
        )
    if "Traceback (most recent call last)" in proc.stderr:
        last = proc.stderr.strip().splitlines()[-1][:300]
        out.crash = out.crash or f"traceback on stderr: {last}"
    return out


def reason_group(reason: str) -> str:
    """Collapse a reason to its kind: numbers, names in quotes and paths vary between kernels."""
    text = reason.strip().splitlines()[0] if reason.strip() else "(no reason)"
    text = re.sub(r"/\S+", "<path>", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|‘[^’]*’", "'…'", text)
    text = re.sub(r"\b\d+(\.\d+)?(e[-+]?\d+)?\b", "N", text)
    return text[:160]


def kernel_key(r: dict[str, Any], source: str) -> tuple[str, str]:
    return (source, str(r.get("kernel")))


def tabulate(
    runs: list[JobResult], targets: list[str], root: Path, excluded: dict[tuple[str, str], str], top: int
) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for target in targets:
        rows = [
            (jr, r)
            for jr in runs
            if jr.target == target
            for r in jr.results
            if kernel_key(r, jr.source) not in excluded
        ]
        counts = collections.Counter(r["status"] for _, r in rows)
        ported = [r for _, r in rows if r.get("how")]
        reasons = collections.Counter(
            reason_group(r.get("reason", "")) for _, r in rows if r["status"] != "pass"
        )
        entry: dict[str, Any] = {
            "kernels": len(rows),
            "ported": len(ported),
            **{s: counts.get(s, 0) for s in STATUSES},
            "crashes": [
                {"file": _rel(jr.source, root), "crash": jr.crash}
                for jr in runs
                if jr.target == target and jr.crash
            ],
            "top_reasons": reasons.most_common(top),
            "per_kernel": [
                {
                    "file": _rel(jr.source, root),
                    "kernel": r.get("kernel"),
                    "status": r["status"],
                    "how": r.get("how"),
                    "rules": r.get("rules", []),
                    "reason": r.get("reason", ""),
                    "max_abs_err": r.get("max_abs_err"),
                    "max_rel_err": r.get("max_rel_err"),
                }
                for jr, r in rows
            ],
        }
        if target == "triton":
            idiomatic = [r for r in ported if any(rule != "triton.general" for rule in r.get("rules", []))]
            entry["idiomatic"] = len(idiomatic)
            entry["idiomatic_rules"] = collections.Counter(
                rule for r in idiomatic for rule in r.get("rules", []) if rule != "triton.general"
            ).most_common()
        table[target] = entry
    return table


def _rel(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return path


def print_table(
    table: dict[str, Any], excluded: dict[tuple[str, str], str], root: Path, total_seconds: float
) -> None:
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} {platform.system()} (CPU runs); wall {total_seconds:.0f} s"
    )
    if excluded:
        print(f"\nleft out ({len(excluded)} kernel(s) whose self-check did not pass):")
        for (src, kernel), why in sorted(excluded.items()):
            print(f"  {_rel(src, root)}::{kernel}: {why}")
    print(f"\n{'target':8} {'N':>4} {'ported':>7} {'pass':>5} {'fail':>5} {'error':>6} {'unverif':>8}")
    for target, e in table.items():
        print(
            f"{target:8} {e['kernels']:>4} {e['ported']:>7} {e['pass']:>5} {e['fail']:>5} {e['error']:>6} {e['unverified']:>8}"
        )
    for target, e in table.items():
        if target == "triton" and e["ported"]:
            print(
                f"\ntriton idiomatic: {e['idiomatic']}/{e['ported']} ported kernels ({100 * e['idiomatic'] / e['ported']:.0f}%): {e['idiomatic_rules']}"
            )
        print(f"\n{target}: top reasons (not pass)")
        for reason, n in e["top_reasons"]:
            print(f"  {n:3}  {reason}")
        for c in e["crashes"]:
            print(f"  CRASH {c['file']}: {c['crash']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root", type=Path, help="folder of <bench>/<name>.cu files with specs beside them")
    ap.add_argument("--to", default="opencl,triton,hip", help="targets, comma-separated")
    ap.add_argument("--jobs", type=int, default=2, help="processes in the pool (default 2)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per cuport verify run")
    ap.add_argument("--self-check", action="store_true", help="verify each original against itself first")
    ap.add_argument("--json", type=Path, help="write the full results here")
    ap.add_argument("--top", type=int, default=8, help="reasons shown per target")
    ap.add_argument("--cuport", default=f"{sys.executable} -m cuport", help="command that runs cuport")
    args = ap.parse_args()

    if not args.root.is_dir():
        print(f"error: {args.root} is not a folder", file=sys.stderr)
        return 2
    sources = find_sources(args.root)
    if not sources:
        print(f"error: no .cu file with a {SPEC_SUFFIX} beside it under {args.root}", file=sys.stderr)
        return 2
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    cuport = args.cuport.split()
    jobs = [Job(s, None) for s in sources] if args.self_check else []
    jobs += [Job(s, t) for s in sources for t in targets]

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_job, j, cuport, args.timeout) for j in jobs]
        runs: list[JobResult] = []
        for i, fut in enumerate(futures, 1):
            runs.append(fut.result())
            print(
                f"[{i}/{len(jobs)}] {_rel(runs[-1].source, args.root)} {runs[-1].target or 'self-check'} {runs[-1].seconds:.1f} s",
                file=sys.stderr,
            )
    total = time.perf_counter() - start

    excluded: dict[tuple[str, str], str] = {}
    for jr in runs:
        if jr.target is None:
            if jr.crash:
                excluded[(jr.source, "*")] = jr.crash
            for r in jr.results:
                if r["status"] != "pass":
                    excluded[kernel_key(r, jr.source)] = f"{r['status']}: {reason_group(r.get('reason', ''))}"
    bad_files = {src for (src, k) in excluded if k == "*"}
    runs = [jr for jr in runs if jr.source not in bad_files]
    table = tabulate(runs, targets, args.root, excluded, args.top)
    print_table(table, excluded, args.root, total)
    if args.json:
        payload = {
            "schema": "cuport.hecbench_eval/1",
            "machine": platform.platform(),
            "wall_seconds": round(total, 1),
            "files": [_rel(str(s), args.root) for s in sources],
            "excluded": [
                {"file": _rel(s, args.root), "kernel": k, "why": w} for (s, k), w in sorted(excluded.items())
            ],
            "self_check": [
                {"file": _rel(jr.source, args.root), "results": jr.results, "crash": jr.crash}
                for jr in runs
                if jr.target is None
            ],
            "targets": table,
        }
        args.json.write_text(json.dumps(payload, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
