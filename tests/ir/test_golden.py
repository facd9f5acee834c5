"""One runner over `tests/ir/cases/*.cu`: lower, compare with the expected IR, verify, re-lower."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.ir import instance_name, printer
from cuport.ir.verify import verify_module
from cuport.result import Ok

from .golden import CASES, UPDATE, lower_text, render_module, split_case, write_expected

CASE_FILES = sorted(CASES.glob("*.cu"))


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_golden(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    input_text, expected = split_case(text)
    source, lowered = lower_text(path.name, input_text)
    got = render_module(source, lowered)
    if UPDATE:
        write_expected(path, input_text, got)
        return
    assert expected is not None, f"{path.name} has no EXPECT-IR block (run with CUPORT_UPDATE_GOLDEN=1)"
    assert got == expected


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_golden_verifies(path: Path) -> None:
    input_text, _ = split_case(path.read_text(encoding="utf-8"))
    source, lowered = lower_text(path.name, input_text)
    problems = verify_module(lowered.module(source))
    assert problems == [], "\n".join(d.message for d in problems)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_golden_relowers_to_same_ir(path: Path) -> None:
    """Printed IR is CUDA that lowers back to the same IR (spans aside), and printing is stable."""
    input_text, _ = split_case(path.read_text(encoding="utf-8"))
    source, lowered = lower_text(path.name, input_text)
    module = lowered.module(source)
    if not module.functions:
        pytest.skip("nothing lowered in this case (a failure case)")
    printed = printer.print_module(module)
    source2, lowered2 = lower_text("printed.cu", printed)
    module2 = lowered2.module(source2)
    failures = {k: r for k, r in lowered2.functions.items() if not isinstance(r, Ok)}
    assert not failures, f"printed text did not lower: {failures}\n{printed}"
    assert {instance_name(f): f for f in module2.functions} == {instance_name(f): f for f in module.functions}
    assert module2.globals == module.globals
    assert printer.print_module(module2) == printed
