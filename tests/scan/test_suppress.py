"""Inline suppression comments and baseline files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.translate.hazards import Hazard
from cuport.translate.suppress import (
    BaselineError,
    fingerprint,
    ignored_ids,
    read_baseline,
    subtract_baseline,
    write_baseline,
)


def test_ignored_ids() -> None:
    assert ignored_ids("x = 1; // cuport: ignore[CPH002]") == {"CPH002"}
    assert ignored_ids("/* cuport: ignore[CPH002, CPH003] */") == {"CPH002", "CPH003"}
    assert ignored_ids("// cuport: ignore") == {"*"}
    assert ignored_ids("// cuport is great") is None
    assert ignored_ids('puts("no comment");') is None


def h(line: int, text: str, hid: str = "CPH002") -> Hazard:
    return Hazard(hid, "error", "a.cu", line, 1, "m", text)


def test_fingerprint_ignores_line_number_and_spacing() -> None:
    assert fingerprint(h(3, "  v += f(0xffffffff);")) == fingerprint(h(30, "v +=  f(0xffffffff);"))
    assert fingerprint(h(3, "v")) != fingerprint(h(3, "v", "CPH003"))


def test_baseline_is_a_multiset(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    write_baseline(path, [h(1, "same")])
    left = subtract_baseline([h(5, "same"), h(9, "same")], read_baseline(path))
    assert [x.line for x in left] == [9]


def test_not_a_baseline(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(BaselineError):
        read_baseline(path)
