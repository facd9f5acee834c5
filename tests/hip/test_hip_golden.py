"""Golden cases: each `cases/NAME.cu` beside its expected port `cases/NAME.hip`.

A case's `// EXPECT: CODE ...` comment lists the diagnostic codes the port must report (exactly
that set; no line means none). Every case is also ported twice (the second run must change
nothing) and its expected output is ported as input (a port goes through unchanged).
Regenerate an expected file only after reading the diff: `python tests/hip/test_hip_golden.py NAME`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from cuport.source import SourceText
from cuport.targets.hip.port import port_source

CASES = Path(__file__).parent / "cases"
INPUTS = sorted(CASES.glob("*.cu"))
_EXPECT = re.compile(r"//\s*EXPECT:\s*(.*)")


def _port(path: Path, text: str | None = None):  # noqa: ANN202
    text = path.read_text(encoding="utf-8") if text is None else text
    return port_source(SourceText.from_text(str(path), text))


def _expected_codes(text: str) -> set[str]:
    return {code for m in _EXPECT.finditer(text) for code in m.group(1).split()}


def test_every_case_has_an_expected_port():
    assert INPUTS, "no golden cases"
    missing = [p.name for p in INPUTS if not p.with_suffix(".hip").is_file()]
    assert missing == []


@pytest.mark.parametrize("case", INPUTS, ids=lambda p: p.stem)
def test_golden_port(case: Path):
    port = _port(case)
    expected = case.with_suffix(".hip").read_text(encoding="utf-8")
    assert port.text == expected
    assert {d.code for d in port.diagnostics} == _expected_codes(case.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", INPUTS, ids=lambda p: p.stem)
def test_porting_twice_is_stable(case: Path):
    once = _port(case).text
    twice = _port(case, once)
    assert twice.text == once
    assert not twice.changed
    assert not [d for d in twice.diagnostics if d.code in ("CH002", "CH004", "CH005", "CH007")]


if __name__ == "__main__":  # regenerate named cases
    for name in sys.argv[1:]:
        src = CASES / f"{name}.cu"
        src.with_suffix(".hip").write_text(_port(src).text, encoding="utf-8")
