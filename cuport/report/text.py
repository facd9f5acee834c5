"""The scan's text format: `file:line:col: severity[ID]: message`, source line, caret, then totals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cuport.report.scan_json import FileScan
from cuport.translate.hazards import Hazard


def render_hazard(h: Hazard) -> str:
    head = f"{h.file}:{h.line}:{h.col}: {h.severity}[{h.id}]: {h.message}"
    if not h.source_line:
        return head
    line = h.source_line.expandtabs(1)
    return f"{head}\n    {line}\n    {' ' * (max(h.col, 1) - 1)}^"


def render_scan(files: Sequence[FileScan], hazards: Sequence[Hazard], summary: dict[str, Any]) -> str:
    out = [render_hazard(h) for h in hazards]
    for f in files:
        if f.status != "ok":
            out.append(f"{f.path}: {f.status}: {f.reason}")
    sev = summary["hazards_by_severity"]
    out.append(
        f"{summary['files_scanned']} file(s) scanned, {summary['files_skipped']} skipped, "
        f"{summary['lines']} lines, {summary['kernels']} kernel(s), {summary['launches']} launch(es)"
    )
    out.append(
        f"{summary['api_refs']} API reference(s): {summary['api_conversions']} renamed for HIP, "
        f"{summary['api_unknown']} unknown"
    )
    out.append(f"{summary['hazards']} hazard(s): {sev['error']} error(s), {sev['warning']} warning(s), "
               f"{sev['note']} note(s)")
    return "\n".join(out) + "\n"
