"""docs/hazards.md is generated from hazards.toml; this fails when someone edits one without the other."""

from __future__ import annotations

from pathlib import Path

from cuport.translate.hazards import SEVERITIES, catalogue, hazards_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "hazards.md"


def test_doc_matches_table() -> None:
    assert DOC.read_text(encoding="utf-8") == hazards_markdown(), (
        "docs/hazards.md is stale: run `python -m cuport.translate.hazards --write-doc`"
    )


def test_catalogue_rows_are_complete() -> None:
    for kind in catalogue().values():
        assert kind.id.startswith("CPH") and len(kind.id) == 6
        assert kind.severity in SEVERITIES
        assert kind.effort in ("trivial", "moderate", "hard")
        assert kind.targets and set(kind.targets) <= {"hip", "opencl", "triton"}
        assert kind.message and kind.doc and kind.fix
