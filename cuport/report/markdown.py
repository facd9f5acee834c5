"""The migration report as Markdown for pull requests, printed from the `cuport.report/1` document."""

from __future__ import annotations

from typing import Any

PORT_COLUMNS = ("ported", "not_candidate", "not_ported", "failed", "not_run")
MAX_ROWS = 50  # long tables are cut, with a note: a pull-request comment must stay readable


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        out.append(f"\n_{len(rows) - MAX_ROWS} more rows in report.json / kernels.csv._")
    return out


def render_markdown(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    e = doc["effort"]
    lines = [
        "# cuport migration report",
        "",
        f"**{s['files']}** files ({s['files_skipped']} skipped, {s['files_failed']} failed), **{s['kernels']}** kernels, "
        f"**{s['hazards']}** hazards ({s['hazards_by_severity']['error']} errors, "
        f"{s['hazards_by_severity']['warning']} warnings, {s['hazards_by_severity']['note']} notes).",
        "",
        f"Effort: **{e['kernels_automatic']}** kernels automatic, **{e['kernels_manual']}** need a person; "
        f"{e['api_refs_unmigrated']} uses of CUDA APIs without a full HIP mapping.",
        "",
        "## Port status per target",
        "",
    ]
    lines += _table(["target", *(c.replace("_", " ") for c in PORT_COLUMNS), "by rule", "by LLM"],
                    [[t, *(row[c] for c in PORT_COLUMNS), s["port_how"][t].get("rule", 0), s["port_how"][t].get("llm", 0)]
                     for t, row in s["port_status"].items()])
    if any(sum(v.values()) for v in s["verification"].values()):
        lines += ["", "## Verification", ""]
        lines += _table(["target", "pass", "fail", "error", "unverified"],
                        [[t, v["pass"], v["fail"], v["error"], v["unverified"]] for t, v in s["verification"].items()])
    if s["speed_ratio"]:
        lines += ["", "## Speed ratio (original time / port time; above 1: the port is faster)", ""]
        lines += _table(["target", "kernels", "median", "min", "max"],
                        [[t, r["count"], f"{r['median']:.3g}", f"{r['min']:.3g}", f"{r['max']:.3g}"]
                         for t, r in s["speed_ratio"].items()])
    if e["reasons"]:
        lines += ["", "## Why a person is needed", ""]
        lines += _table(["reason", "count"], [[r["reason"], r["count"]] for r in e["reasons"]])
    if s["hazards_by_kind"]:
        lines += ["", "## Hazards by kind", ""]
        lines += _table(["id", "name", "effort", "error", "warning", "note"],
                        [[hid, r["name"], r["effort"], r["error"], r["warning"], r["note"]]
                         for hid, r in s["hazards_by_kind"].items()])
    if doc["unmigrated_apis"]:
        lines += ["", "## CUDA APIs left unmigrated", ""]
        lines += _table(["API", "category", "HIP", "support", "uses", "first use"],
                        [[f"`{a['name']}`", a["category"], a["hip"] or "—", a["support"], a["count"], a["first"]]
                         for a in doc["unmigrated_apis"]])
    manual = [k for k in doc["kernels"] if not k["effort"]["automatic"]]
    if manual:
        lines += ["", "## Kernels that need a person", ""]
        lines += _table(["kernel", "location", "why"],
                        [[f"`{k['name']}`", f"{k['file']}:{k['line']}", "; ".join(k["effort"]["reasons"])] for k in manual])
    return "\n".join(lines) + "\n"
