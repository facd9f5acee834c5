"""Golden hazard cases: each `cases/*.cu` marks with `// EXPECT: ID[, ID]` every line that must be
flagged, with those ids; any other finding (another line, another id) fails the case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cuport.parse.cst import parse_cst
from cuport.parse.reader import read_source
from cuport.translate.hazards import catalogue, find_hazards

CASES = sorted((Path(__file__).parent / "cases").glob("*.cu"))
_EXPECT = re.compile(r"EXPECT:\s*((?:CPH\d{3}\s*,?\s*)+)")


def expected(path: Path) -> set[tuple[int, str]]:
    out = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            out.update((number, hid) for hid in re.findall(r"CPH\d{3}", match.group(1)))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case(case: Path) -> None:
    read = read_source(case)
    assert read.ok, read
    source = read.value
    found = {(h.line, h.id) for h in find_hazards(source, parse_cst(source))}
    want = expected(case)
    missing = sorted(want - found)
    extra = sorted(found - want)
    assert not missing and not extra, f"missing {missing}, unexpected {extra}"


def test_every_hazard_has_a_golden_case() -> None:
    covered = {hid for case in CASES for _, hid in expected(case)}
    assert covered == set(catalogue())


def test_cases_include_a_clean_file() -> None:
    assert any(not expected(c) for c in CASES), "keep at least one negative case with no findings"
