"""The migration report as one self-contained HTML page (jinja2; charts as inline SVG, no scripts,
no external URLs), printed from the `cuport.report/1` document and nothing else.

Chart geometry is laid out here (plain numbers); the template only prints it. Every bar carries
`data-chart`, `data-series`, `data-label` and `data-value`, so tests (and readers) can check the
picture against the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

BAR_HEIGHT = 18
LABEL_WIDTH = 210
PLOT_WIDTH = 420
COLORS = {
    "ported": "#2e7d32", "not_ported": "#c62828", "not_candidate": "#9e9e9e", "failed": "#6a1b9a",
    "not_run": "#e0e0e0", "error": "#c62828", "warning": "#ef6c00", "note": "#1565c0",
    "pass": "#2e7d32", "fail": "#c62828", "unverified": "#9e9e9e", "ratio": "#00695c",
}


@dataclass(frozen=True)
class Bar:
    series: str
    label: str
    value: float
    x: float
    width: float
    color: str


@dataclass(frozen=True)
class Row:
    title: str
    y: float
    bars: tuple[Bar, ...]
    total: float


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    rows: tuple[Row, ...]
    legend: tuple[tuple[str, str], ...]
    width: int
    height: int


def stacked_chart(name: str, title: str, rows: list[tuple[str, dict[str, float]]], keys: tuple[str, ...]) -> Chart:
    """One horizontal stacked bar per row; segments in `keys` order, scaled to the largest total."""
    biggest = max((sum(v.get(k, 0) for k in keys) for _, v in rows), default=0) or 1
    out = []
    for i, (title_, values) in enumerate(rows):
        x = float(LABEL_WIDTH)
        bars = []
        for k in keys:
            v = values.get(k, 0)
            if not v:
                continue
            w = PLOT_WIDTH * v / biggest
            bars.append(Bar(title_, k, v, round(x, 2), round(w, 2), COLORS.get(k, "#607d8b")))
            x += w
        out.append(Row(title_, 8 + i * (BAR_HEIGHT + 6), tuple(bars), sum(values.get(k, 0) for k in keys)))
    used = tuple(k for k in keys if any(b.label == k for r in out for b in r.bars))
    return Chart(name, title, tuple(out), tuple((k, COLORS.get(k, "#607d8b")) for k in used),
                 LABEL_WIDTH + PLOT_WIDTH + 60, 16 + len(out) * (BAR_HEIGHT + 6))


def charts(doc: dict[str, Any]) -> list[Chart]:
    s = doc["summary"]
    out = [stacked_chart("port-status", "Kernels by port status, per target",
                         [(t, dict(v)) for t, v in s["port_status"].items()],
                         ("ported", "not_candidate", "not_ported", "failed", "not_run"))]
    if any(sum(v.values()) for v in s["verification"].values()):
        out.append(stacked_chart("verification", "Verification, per target",
                                 [(t, dict(v)) for t, v in s["verification"].items()],
                                 ("pass", "fail", "error", "unverified")))
    if s["hazards_by_kind"]:
        out.append(stacked_chart("hazards", "Hazards by kind and severity",
                                 [(f"{hid} {row['name']}", row) for hid, row in s["hazards_by_kind"].items()],
                                 ("error", "warning", "note")))
    speed = [(f"{k['name']} ({t})", {"ratio": r}) for k in doc["kernels"] for t, r in sorted(k["speed_ratio"].items())]
    if speed:
        out.append(stacked_chart("speed", "Speed ratio (original time / port time; above 1: the port is faster)",
                                 speed, ("ratio",)))
    return out


def excerpt(path: str, line: int, context: int = 3) -> list[tuple[int, str]]:
    """Lines around `line` of `path`, for the per-kernel sections; empty when the file is gone."""
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []
    lo, hi = max(1, line - context), min(len(lines), line + context + 8)
    return [(n, lines[n - 1]) for n in range(lo, hi + 1)]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cuport.report", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = lambda v: f"{v:g}" if isinstance(v, float) else str(v)
    return env


def render_html(doc: dict[str, Any]) -> str:
    excerpts = {(k["file"], k["line"]): excerpt(k["file"], k["line"]) for k in doc["kernels"]}
    return _environment().get_template("index.html.j2").render(
        doc=doc, s=doc["summary"], charts=charts(doc), excerpts=excerpts, colors=COLORS,
    )
