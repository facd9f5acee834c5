"""`cuport.scan/1`: the scan result as JSON, the source of truth the other scan formats print from.

`FileScan` is what scanning one file yields (plain data, picklable for the process pool);
`scan_document(files)` assembles the document with its summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cuport import __version__
from cuport.diagnostics import Diagnostic
from cuport.translate.api_refs import ApiRef
from cuport.translate.hazards import Hazard, catalogue
from cuport.translate.suppress import fingerprint

SCHEMA = "cuport.scan/1"


@dataclass
class FileScan:
    path: str
    status: str  # ok | skipped | error
    reason: str = ""
    lines: int = 0
    encoding: str = ""
    parse_errors: list[dict[str, Any]] = field(default_factory=list)
    kernels: list[dict[str, Any]] = field(default_factory=list)
    launches: list[dict[str, Any]] = field(default_factory=list)
    api_refs: list[ApiRef] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def file_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "status": self.status, "lines": self.lines,
                               "encoding": self.encoding, "parse_errors": self.parse_errors}
        if self.reason:
            out["reason"] = self.reason
        return out


def hazard_json(h: Hazard) -> dict[str, Any]:
    out = h.to_json()
    out["fingerprint"] = fingerprint(h)
    return out


def summary(files: Sequence[FileScan], hazards: Sequence[Hazard]) -> dict[str, Any]:
    refs = [r for f in files for r in f.api_refs]
    by_name: dict[str, dict[str, Any]] = {}
    for r in refs:
        row = by_name.get(r.name)
        if row is None:
            row = by_name[r.name] = {"count": 0, "category": r.category, "hip": r.hip, "support": r.support,
                                     "conversion": r.is_conversion}
        row["count"] += 1
    severities = Counter(h.severity for h in hazards)
    return {
        "files": len(files),
        "files_scanned": sum(1 for f in files if f.status == "ok"),
        "files_skipped": sum(1 for f in files if f.status != "ok"),
        "lines": sum(f.lines for f in files),
        "kernels": sum(len(f.kernels) for f in files),
        "launches": sum(len(f.launches) for f in files),
        "api_refs": len(refs),
        "api_conversions": sum(1 for r in refs if r.is_conversion),
        "api_unknown": sum(1 for r in refs if not r.known),
        "api_by_category": dict(sorted(Counter(r.category for r in refs).items())),
        "api_by_name": dict(sorted(by_name.items(), key=lambda kv: (-kv[1]["count"], kv[0]))),
        "hazards": len(hazards),
        "hazards_by_severity": {s: severities.get(s, 0) for s in ("error", "warning", "note")},
        "hazards_by_id": dict(sorted(Counter(h.id for h in hazards).items())),
        "files_by_hazard": dict(sorted(Counter(hid for f in files for hid in {h.id for h in f.hazards}).items())),
    }


def scan_document(files: Sequence[FileScan], hazards: Sequence[Hazard] | None = None,
                  errors: Sequence[Diagnostic] = ()) -> dict[str, Any]:
    """The whole document; `hazards` defaults to every file's (pass the baseline-filtered list)."""
    if hazards is None:
        hazards = [h for f in files for h in f.hazards]
    kinds = catalogue()
    return {
        "schema": SCHEMA,
        "tool": {"name": "cuport", "version": __version__},
        "files": [f.file_json() for f in files],
        "kernels": [k for f in files for k in f.kernels],
        "launches": [launch for f in files for launch in f.launches],
        "api_refs": [r.to_json() for f in files for r in f.api_refs],
        "hazards": [dict(hazard_json(h), effort=kinds[h.id].effort) for h in hazards],
        "errors": [d.to_json() for d in errors] + [d.to_json() for f in files for d in f.diagnostics],
        "summary": summary(files, hazards),
    }
