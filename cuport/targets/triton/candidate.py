"""Kernels Triton cannot express at all, recognised from their text before any lowering.

Ordered (pattern, reason) rows: the first match is the verdict. These are properties of the
programming model, not gaps of the lowering: a Triton program has no inline assembly, cannot
launch kernels, has no texture units and no grid-wide barrier.
"""

from __future__ import annotations

import re

NOT_CANDIDATE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\basm\s*(volatile\s*)?\(|\b__asm__\b"), "inline PTX assembly"),
    (re.compile(r"<<<"), "dynamic parallelism (a kernel launch inside a kernel)"),
    (re.compile(r"\btex[123]D\w*\s*(<|\()|\btexture\s*<|\bsurf[123]D\w*\s*\("), "texture or surface references"),
    (re.compile(r"\bthis_grid\s*\(|\bgrid\.sync\s*\(|\bgrid_group\b"), "grid-wide synchronisation (cooperative launch)"),
    (re.compile(r"\b__nanosleep\s*\(|\bclock(64)?\s*\("), "timing or sleeping on the device clock"),
)


def not_candidate_reason(kernel_text: str) -> str | None:
    for pattern, reason in NOT_CANDIDATE:
        if pattern.search(kernel_text):
            return reason
    return None
