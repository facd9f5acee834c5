"""Byte-range edits over a source text, applied once.

Every rewrite of the HIP target is an `Edit(start, end, text)` on the original bytes; edits never
overlap (a second edit of the same range is a bug in the rule that made it), so applying them in
one left-to-right pass keeps everything between them — formatting, comments, macros — untouched.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Edit:
    start: int
    end: int
    text: str


class OverlappingEdits(ValueError):
    pass


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """The text with every edit made; identical edits are merged, overlapping ones rejected."""
    out: list[bytes] = []
    at = 0
    previous: Edit | None = None
    for edit in sorted(set(edits)):
        if edit.start < at or (previous is not None and edit.start == previous.start and edit.start != edit.end):
            raise OverlappingEdits(f"edit {edit} overlaps {previous}")
        out.append(data[at : edit.start])
        out.append(edit.text.encode("utf-8"))
        at = edit.end
        previous = edit
    out.append(data[at:])
    return b"".join(out)
