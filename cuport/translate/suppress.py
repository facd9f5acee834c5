"""Silencing hazards: inline `// cuport: ignore[ID]` comments, and baseline files for CI.

Inline: `// cuport: ignore[CPH002]`, `ignore[CPH002,CPH003]` or a bare `ignore` (every hazard),
on the flagged line, or alone on the line above it (also inside `/* ... */`).

Baseline: a JSON file of fingerprints, each id + file + the flagged source line with whitespace
normalised, so findings survive code moving up or down. It is a multiset: two identical findings
in one file need two entries.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cuport.source import SourceText

if TYPE_CHECKING:
    from cuport.translate.hazards import Hazard

BASELINE_SCHEMA = "cuport.baseline/1"

_IGNORE = re.compile(r"(?://|/\*)\s*cuport:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")


class _Finding(Protocol):
    id: str
    file: str
    line: int
    source_line: str


def ignored_ids(line_text: str) -> frozenset[str] | None:
    """The ids a comment on this line silences; {'*'} for all; None when there is no such comment."""
    match = _IGNORE.search(line_text)
    if match is None:
        return None
    if match.group(1) is None:
        return frozenset({"*"})
    return frozenset(part.strip() for part in match.group(1).split(",") if part.strip())


def apply_inline_suppressions(hazards: Sequence[Hazard], source: SourceText) -> list[Hazard]:
    if b"cuport:" not in source.data:  # the common case costs one byte search
        return list(hazards)
    kept = []
    for h in hazards:
        silenced = False
        for line in (h.line, h.line - 1):
            text = source.line_text(line)
            if line != h.line and not text.lstrip().startswith(("//", "/*")):
                continue  # a trailing comment on the previous statement covers that statement only
            ids = ignored_ids(text)
            if ids is not None and ("*" in ids or h.id in ids):
                silenced = True
                break
        if not silenced:
            kept.append(h)
    return kept


def fingerprint(finding: _Finding) -> str:
    """Stable across line shifts: the id, the file and the normalised source line."""
    normalised = " ".join(finding.source_line.split())
    digest = hashlib.sha256(f"{finding.id}\0{finding.file}\0{normalised}".encode()).hexdigest()
    return digest[:24]


class BaselineError(Exception):
    """The baseline file is unreadable or not a cuport baseline."""


def write_baseline(path: str | Path, findings: Iterable[_Finding]) -> int:
    entries = sorted(
        ({"id": f.id, "file": f.file, "fingerprint": fingerprint(f), "line": " ".join(f.source_line.split())}
         for f in findings),
        key=lambda e: (e["file"], e["id"], e["fingerprint"]),
    )
    doc = {"schema": BASELINE_SCHEMA, "findings": entries}
    Path(path).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def read_baseline(path: str | Path) -> Counter[str]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("schema") != BASELINE_SCHEMA or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{path} is not a {BASELINE_SCHEMA} file")
    counts: Counter[str] = Counter()
    for entry in doc["findings"]:
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str):
            counts[entry["fingerprint"]] += 1
    return counts


def subtract_baseline(findings: Iterable[_Finding], baseline: Counter[str]) -> list[_Finding]:
    left = Counter(baseline)
    kept = []
    for f in findings:
        fp = fingerprint(f)
        if left[fp] > 0:
            left[fp] -= 1
        else:
            kept.append(f)
    return kept
