"""Kernels as CSV (one row per kernel, a column group per target), printed from `cuport.report/1`."""

from __future__ import annotations

import csv
import io
from typing import Any


def kernels_csv(doc: dict[str, Any]) -> str:
    targets = doc["targets"]
    header = ["kernel", "file", "line"]
    for t in targets:
        header += [f"{t}_port", f"{t}_how", f"{t}_verify", f"{t}_speed_ratio"]
    header += ["hazards", "hazard_ids", "automatic", "manual_reasons"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for k in doc["kernels"]:
        row: list[object] = [k["name"], k["file"], k["line"]]
        for t in targets:
            p = k["ports"][t]
            row += [p["status"], p["how"] or "", k["verification"].get(t, {}).get("status", ""),
                    k["speed_ratio"].get(t, "")]
        row += [len(k["hazards"]), ";".join(sorted({h["id"] for h in k["hazards"]})),
                "yes" if k["effort"]["automatic"] else "no", "; ".join(k["effort"]["reasons"])]
        w.writerow(row)
    return buf.getvalue()
