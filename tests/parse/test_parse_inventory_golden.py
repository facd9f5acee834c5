"""Golden inventory tests: each `cases/*.cu` holds CUDA input and, in a trailing comment block that
starts with `/* EXPECTED INVENTORY`, what inventory() must report for it (one line per item).

Regenerate after an intended change with `CUPORT_UPDATE_GOLDEN=1 pytest tests/parse`, then review
the diff: the comment block is the specification a reviewer reads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cuport.parse.cst import parse_cst
from cuport.parse.inventory import FileInventory, FunctionDecl, inventory
from cuport.parse.reader import read_source

CASES = sorted((Path(__file__).parent / "cases").glob("*.cu"))
MARKER = "/* EXPECTED INVENTORY"


def _at(span: object) -> str:
    return f"@{span.line}:{span.col}"  # type: ignore[attr-defined]


def _function_line(f: FunctionDecl) -> str:
    quals = " ".join(q for q in ("host", "device", "global") if q in f.qualifiers)
    params = ", ".join(f"{p.type} {p.name}".strip() + (f" = {p.default}" if p.default else "") for p in f.params)
    parts = [f"function {quals} {f.return_type} {f.qualified_name}({params}) {_at(f.span)}"]
    if f.template_params:
        tps = []
        for t in f.template_params:
            head = {"type": "typename", "template": "template"}.get(t.kind, t.type)
            tps.append(f"{head}{'...' if t.pack else ''} {t.name}" + (f" = {t.default}" if t.default else ""))
        parts.append(f"template<{', '.join(tps)}>")
    if f.specialization:
        parts.append(f"specialization{f.specialization}")
    if f.specifiers:
        parts.append("specifiers " + " ".join(f.specifiers))
    if f.launch_bounds:
        parts.append(f"launch_bounds({f.launch_bounds})")
    if f.extern_c:
        parts.append('extern "C"')
    parts.append("definition" if f.is_definition else "declaration")
    if f.recovered:
        parts.append("RECOVERED")
    if f.qualifier_macro:
        parts.append(f"via macro {f.qualifier_macro}")
    return " | ".join(parts)


def describe(inv: FileInventory) -> list[str]:
    lines = [_function_line(f) for f in inv.functions]
    for g in inv.globals:
        extra = (" extern" if g.is_extern else "") + (f" = {g.initializer}" if g.initializer else "")
        lines.append(f"global {g.kind} {g.type} {g.name}{extra} {_at(g.span)}")
    for i in inv.includes:
        lines.append(f"include {'<' + i.name + '>' if i.system else repr(i.name)} {_at(i.span)}")
    for s in inv.launches:
        lines.append(
            f"launch {s.callee}{s.template_args or ''} via {s.via} config({', '.join(s.config)}) "
            f"args({', '.join(s.args)}) in {s.caller} {_at(s.span)}"
        )
    for p in inv.problems:
        lines.append(f"problem {p.what} {_at(p.span)}")
    return lines


def _split(text: str) -> tuple[str, list[str] | None]:
    at = text.find(MARKER)
    if at < 0:
        return text, None
    block = text[at + len(MARKER) :].split("*/", 1)[0]
    return text[:at], [ln.strip() for ln in block.strip().splitlines() if ln.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_inventory_golden(case: Path) -> None:
    r = read_source(case)
    assert r.ok, r
    source = r.value
    got = describe(inventory(source, parse_cst(source)))
    body, expected = _split(source.text)
    if os.environ.get("CUPORT_UPDATE_GOLDEN") or expected is None:
        block = "\n".join(f"   {ln}" for ln in got)
        case.write_text(f"{body.rstrip()}\n\n{MARKER}\n{block}\n*/\n", encoding="utf-8")
        if expected is None:
            pytest.fail(f"{case.name} had no expected block; one was written, review it")
        return
    assert got == expected


def test_there_are_cases() -> None:
    assert len(CASES) >= 5
