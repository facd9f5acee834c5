"""`cuport.report/1`: the migration report as JSON, the source of truth HTML/Markdown/CSV print from.

Built from what the other stages already return: scan (`FileScan`), port (`FileOutcome` from
`cuport port`), optional verify (`VerifyResult`) and bench results (`cuport.bench/1` rows). This
module only assembles plain data; it runs nothing.

    summary   counts: files, kernels, hazards (by severity, id, effort), per-target port and verify status,
              speed ratios, the effort estimate and the unmigrated APIs
    files     one per input file: scan status, hazards, per-target port status and the ports written
    kernels   one per kernel: name, file, line, per-target port (status, how, rules, reason),
              verification, speed ratio, hazards (with locations), effort
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cuport import __version__
from cuport.report.scan_json import FileScan, hazard_json
from cuport.translate.hazards import Hazard, catalogue

SCHEMA = "cuport.report/1"
PORT_STATUSES = ("ported", "not_ported", "not_candidate", "failed", "not_run")
VERIFY_STATUSES = ("pass", "fail", "error", "unverified")
# Hazard efforts that a person must look at; "trivial" ones the rules (or a one-line edit) handle.
MANUAL_EFFORTS = frozenset({"moderate", "hard"})
# Targets that rewrite the whole file: a kernel their port does not list (they list only the spec's
# kernels, or none without a spec) is still in the ported file.
WHOLE_FILE_TARGETS = frozenset({"hip"})


@dataclass
class PortRecord:
    """What `cuport port` did with one file for one target (a FileOutcome, as plain data)."""

    source: str
    target: str
    status: str  # ported | partial | failed | skipped | unchanged
    reason: str = ""
    written: list[str] = field(default_factory=list)  # relative to the report folder
    kernels: list[dict[str, Any]] = field(default_factory=list)  # kernel, status, how, rules, reason
    diagnostics: list[str] = field(default_factory=list)


def base_name(kernel: str) -> str:
    """`reduce<float, 256>` -> `reduce`; `ns::k` -> `k` (spec names and inventory names meet here)."""
    return kernel.split("<", 1)[0].strip().rsplit("::", 1)[-1]


def _kernel_hazards(kernels: list[dict[str, Any]], hazards: Sequence[Hazard]) -> dict[int, list[Hazard]]:
    """Each hazard to the kernel that contains it: the last kernel starting at or before its line
    whose scan listed that hazard id (scan records ids by byte range; the report needs locations)."""
    out: dict[int, list[Hazard]] = defaultdict(list)
    order = sorted(range(len(kernels)), key=lambda i: kernels[i]["line"])
    for h in hazards:
        owner = None
        for i in order:
            if kernels[i]["line"] <= h.line and h.id in kernels[i].get("hazards", ()):
                owner = i
        if owner is not None:
            out[owner].append(h)
    return out


def _speed_index(bench: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    out = {}
    for row in bench:
        ratio = row.get("ratio")
        if isinstance(ratio, (int, float)):
            key = (str(row.get("file", "")), base_name(str(row.get("kernel", ""))), str(row.get("target", "")))
            out[key] = {"ratio": float(ratio), "suspect": bool(row.get("suspect", False)),
                        "device": str(row.get("device", ""))}
    return out


def _lookup(index: Mapping[tuple[str, str, str], Any], file: str, kernel: str, target: str) -> Any:
    # results may name the file as given or by another spelling: fall back to kernel + target
    hit = index.get((file, kernel, target))
    if hit is not None:
        return hit
    matches = [v for (f, k, t), v in index.items() if k == kernel and t == target]
    return matches[0] if len(matches) == 1 else None


def build_report(
    scans: Sequence[FileScan],
    hazards: Sequence[Hazard],
    ports: Sequence[PortRecord],
    targets: Sequence[str],
    verify: Sequence[Any] = (),
    bench: Sequence[Mapping[str, Any]] = (),
    inputs: Sequence[str] = (),
) -> dict[str, Any]:
    """The whole `cuport.report/1` document. `hazards` is the list after baseline/suppressions."""
    kinds = catalogue()
    targets = list(targets)
    port_by_file: dict[tuple[str, str], PortRecord] = {(p.source, p.target): p for p in ports}
    verify_index = {(str(r.file), base_name(r.kernel), r.target): r for r in verify}
    speed_index = _speed_index(bench)
    hazards_by_file: dict[str, list[Hazard]] = defaultdict(list)
    for h in hazards:
        hazards_by_file[h.file].append(h)

    kernels_out: list[dict[str, Any]] = []
    files_out: list[dict[str, Any]] = []
    for scan in scans:
        file_hazards = hazards_by_file.get(scan.path, [])
        owned = _kernel_hazards(scan.kernels, file_hazards)
        file_ports: dict[str, Any] = {}
        for t in targets:
            rec = port_by_file.get((scan.path, t))
            file_ports[t] = ({"status": rec.status, "reason": rec.reason, "files": rec.written,
                              "diagnostics": rec.diagnostics} if rec else {"status": "not_run", "reason": "", "files": []})
        for i, k in enumerate(scan.kernels):
            kernels_out.append(_kernel_entry(k, scan.path, owned.get(i, []), targets, port_by_file,
                                             verify_index, speed_index, kinds))
        files_out.append({
            **scan.file_json(),
            "kernels": len(scan.kernels),
            "hazards": len(file_hazards),
            "api_refs": len(scan.api_refs),
            "ports": file_ports,
            "diagnostics": [d.to_json() for d in scan.diagnostics],
        })

    unmigrated = unmigrated_apis(scans)
    effort = effort_estimate(kernels_out, unmigrated, scans)
    return {
        "schema": SCHEMA,
        "tool": {"name": "cuport", "version": __version__},
        "inputs": list(inputs),
        "targets": targets,
        "summary": _summary(scans, hazards, kernels_out, targets, unmigrated, effort, kinds),
        "files": files_out,
        "kernels": kernels_out,
        "hazards": [dict(hazard_json(h), effort=kinds[h.id].effort, name=kinds[h.id].name) for h in hazards],
        "unmigrated_apis": unmigrated,
        "effort": effort,
    }


def _kernel_entry(
    k: dict[str, Any], path: str, hazards: list[Hazard], targets: list[str],
    port_by_file: Mapping[tuple[str, str], PortRecord], verify_index: Mapping[tuple[str, str, str], Any],
    speed_index: Mapping[tuple[str, str, str], dict[str, Any]], kinds: Mapping[str, Any],
) -> dict[str, Any]:
    name = k["name"]
    ports: dict[str, Any] = {}
    verification: dict[str, Any] = {}
    speed: dict[str, Any] = {}
    for t in targets:
        rec = port_by_file.get((path, t))
        entry: dict[str, Any] = {"status": "not_run", "how": None, "rules": [], "reason": ""}
        if rec is not None:
            hit = next((kp for kp in rec.kernels if base_name(str(kp["kernel"])) == name), None)
            if hit is not None:
                entry = {"status": hit["status"], "how": hit.get("how") or "rule", "rules": list(hit.get("rules", [])),
                         "reason": hit.get("reason", "")}
            elif rec.status in ("ported", "partial") and (not rec.kernels or t in WHOLE_FILE_TARGETS):
                entry = {"status": "ported", "how": "rule", "rules": [], "reason": "whole-file port"}
            elif rec.status in ("failed", "skipped"):
                entry = {"status": "failed", "how": None, "rules": [], "reason": rec.reason or rec.status}
            else:
                entry = {"status": "not_ported", "how": None, "rules": [],
                         "reason": f"the {t} port does not mention this kernel"}
        ports[t] = entry
        v = _lookup(verify_index, path, name, t)
        if v is not None:
            verification[t] = {"status": v.status, "trials": v.trials, "max_abs_err": _finite(v.max_abs_err),
                               "max_rel_err": _finite(v.max_rel_err), "reason": v.reason, "device": v.device}
        s = _lookup(speed_index, path, name, t)
        if s is not None:
            speed[t] = s
    hz = [{"id": h.id, "name": kinds[h.id].name, "severity": h.severity, "effort": kinds[h.id].effort,
           "line": h.line, "col": h.col, "message": h.message, "source_line": h.source_line} for h in hazards]
    reasons = _manual_reasons(ports, hz)
    return {
        "name": name,
        "qualified_name": k.get("qualified_name", name),
        "file": path,
        "line": k["line"],
        "col": k.get("col", 1),
        "params": k.get("params", []),
        "features": k.get("features", []),
        "ports": ports,
        "verification": verification,
        "speed_ratio": {t: s["ratio"] for t, s in speed.items()},
        "speed": speed,
        "hazards": hz,
        "effort": {"automatic": not reasons, "reasons": reasons},
    }


def _finite(x: float) -> float | str:
    return x if x == x and abs(x) != float("inf") else str(x)


def _manual_reasons(ports: Mapping[str, Any], hazards: Sequence[Mapping[str, Any]]) -> list[str]:
    """Why a person must look at this kernel; empty when the rules did it all."""
    out = []
    for t, p in ports.items():
        if p["status"] not in ("ported", "not_run"):
            out.append(f"{t}: {p['status'].replace('_', ' ')}" + (f" ({p['reason']})" if p["reason"] else ""))
    for h in hazards:
        if h["effort"] in MANUAL_EFFORTS:
            out.append(f"{h['id']} {h['name']} ({h['effort']}) at line {h['line']}")
    return out


def unmigrated_apis(scans: Sequence[FileScan]) -> list[dict[str, Any]]:
    """CUDA APIs the HIP table cannot convert fully (support partial/none, or unknown names), by count."""
    rows: dict[str, dict[str, Any]] = {}
    for scan in scans:
        for r in scan.api_refs:
            if r.known and r.support == "full":
                continue
            row = rows.setdefault(r.name, {"name": r.name, "category": r.category, "hip": r.hip,
                                           "support": r.support if r.known else "unknown", "count": 0,
                                           "files": [], "first": f"{r.file}:{r.line}:{r.col}"})
            row["count"] += 1
            if r.file not in row["files"]:
                row["files"].append(r.file)
    return sorted(rows.values(), key=lambda row: (-row["count"], row["name"]))


def effort_estimate(
    kernels: Sequence[Mapping[str, Any]], unmigrated: Sequence[Mapping[str, Any]], scans: Sequence[FileScan]
) -> dict[str, Any]:
    """How much is automatic and how much needs a person, and why (counted by reason kind)."""
    why: Counter[str] = Counter()
    for k in kernels:
        for t, p in k["ports"].items():
            if p["status"] not in ("ported", "not_run"):
                why[f"not ported to {t} ({p['status'].replace('_', ' ')})"] += 1
        for h in k["hazards"]:
            if h["effort"] in MANUAL_EFFORTS:
                why[f"hazard {h['id']} {h['name']} ({h['effort']})"] += 1
    for row in unmigrated:
        why[f"API without a full HIP mapping ({row['support']})"] += row["count"]
    failed = [s.path for s in scans if s.status != "ok"]
    if failed:
        why["file not scanned (skipped or failed)"] += len(failed)
    automatic = sum(1 for k in kernels if k["effort"]["automatic"])
    return {
        "kernels_automatic": automatic,
        "kernels_manual": len(kernels) - automatic,
        "automatic_share": round(automatic / len(kernels), 4) if kernels else 1.0,
        "api_refs_unmigrated": sum(row["count"] for row in unmigrated),
        "reasons": [{"reason": r, "count": n} for r, n in sorted(why.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def _summary(
    scans: Sequence[FileScan], hazards: Sequence[Hazard], kernels: Sequence[Mapping[str, Any]],
    targets: Sequence[str], unmigrated: Sequence[Mapping[str, Any]], effort: Mapping[str, Any],
    kinds: Mapping[str, Any],
) -> dict[str, Any]:
    severities = Counter(h.severity for h in hazards)
    port_status = {t: {s: sum(1 for k in kernels if k["ports"][t]["status"] == s) for s in PORT_STATUSES}
                   for t in targets}
    port_how = {t: dict(Counter(k["ports"][t]["how"] for k in kernels if k["ports"][t]["status"] == "ported"))
                for t in targets}
    verified = {t: {s: sum(1 for k in kernels if k["verification"].get(t, {}).get("status") == s)
                    for s in VERIFY_STATUSES} for t in targets}
    ratios = {t: [k["speed_ratio"][t] for k in kernels if t in k["speed_ratio"]] for t in targets}
    return {
        "files": len(scans),
        "files_scanned": sum(1 for s in scans if s.status == "ok"),
        "files_skipped": sum(1 for s in scans if s.status == "skipped"),
        "files_failed": sum(1 for s in scans if s.status == "error"),
        "lines": sum(s.lines for s in scans),
        "kernels": len(kernels),
        "hazards": len(hazards),
        "hazards_by_severity": {s: severities.get(s, 0) for s in ("error", "warning", "note")},
        "hazards_by_id": dict(sorted(Counter(h.id for h in hazards).items())),
        "hazards_by_kind": {
            hid: {"name": kinds[hid].name, "effort": kinds[hid].effort,
                  **{s: sum(1 for h in hazards if h.id == hid and h.severity == s) for s in ("error", "warning", "note")}}
            for hid in sorted({h.id for h in hazards})
        },
        "hazards_by_effort": dict(sorted(Counter(kinds[h.id].effort for h in hazards).items())),
        "port_status": port_status,
        "port_how": port_how,
        "verification": verified,
        "speed_ratio": {t: {"count": len(v), "median": _median(v), "min": min(v), "max": max(v)}
                        for t, v in ratios.items() if v},
        "unmigrated_apis": len(unmigrated),
        "unmigrated_api_refs": sum(row["count"] for row in unmigrated),
        "kernels_automatic": effort["kernels_automatic"],
        "kernels_manual": effort["kernels_manual"],
    }


def _median(values: Sequence[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
