"""Whole-file CUDA -> HIP: parse once, collect edits from every rule, apply them once.

The output is the input with names, includes, masks and (where safe) lane math changed and
nothing else: formatting, comments, macros and `<<<...>>>` launches stay as written. A HIP file
(or a port) goes through unchanged, so porting twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cuport.diagnostics import Diagnostic, Severity
from cuport.parse.cst import parse_cst
from cuport.source import SourceText
from cuport.targets.hip import renames, warp
from cuport.targets.hip.edits import Edit, apply_edits
from cuport.translate.hazards import catalogue, find_hazards_in_index
from cuport.translate.hazards_index import build_index

_NEEDS_RUNTIME = re.compile(rb"__global__|<<<|\bthreadIdx\b|\bblockIdx\b|__syncthreads|__shared__")


@dataclass
class HipPort:
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)  # CHxxx and the hazards left (CPHxxx)
    renamed: int = 0
    unmapped: dict[str, int] = field(default_factory=dict)
    hazards_left: list[str] = field(default_factory=list)  # hazard ids still in the port
    changed: bool = False


def _hazard_diagnostics(source: SourceText, index: object, fixed: set[tuple[str, int]]) -> tuple[list[Diagnostic], list[str]]:
    kinds = catalogue()
    diags, ids = [], []
    for h in find_hazards_in_index(source, index):  # type: ignore[arg-type]
        kind = kinds[h.id]
        if "hip" not in kind.targets or (h.id, h.start) in fixed:
            continue
        ids.append(h.id)
        diags.append(Diagnostic(h.id, Severity(h.severity), f"{h.message}; fix: {kind.fix}", source.span(h.start, h.end)))
    return diags, ids


def _runtime_include_at(data: bytes, first_include: int | None) -> int:
    """Where `#include <hip/hip_runtime.h>` goes: before the first include, else after the
    leading comment block (a licence header stays on top)."""
    if first_include is not None:
        return first_include
    at = 0
    while True:
        rest = data[at:]
        stripped = rest.lstrip(b" \t\r\n")
        skip = len(rest) - len(stripped)
        if stripped.startswith(b"//"):
            nl = stripped.find(b"\n")
            at += skip + (len(stripped) if nl < 0 else nl + 1)
        elif stripped.startswith(b"/*"):
            close = stripped.find(b"*/")
            if close < 0:
                return 0
            at += skip + close + 2
            nl = data.find(b"\n", at)
            at = len(data) if nl < 0 else nl + 1
        else:
            return at


def port_source(source: SourceText, *, warp_rewrites: bool = True) -> HipPort:
    tree = parse_cst(source)
    index = build_index(source.data, tree)
    extra = renames.extra_nodes(tree)
    named = renames.Renamed()
    renames.rename_includes(source, index, named)
    renames.rename_identifiers(source, index, named)
    renames.rename_namespaces(source, index, extra, named)
    renames.rename_in_macros(source, index, named)
    renames.report_parse_errors(source, extra, named)

    rewrites = warp.WarpRewrites()
    if warp_rewrites:
        found = warp.warp_findings(index)
        warp.widen_masks(source, index, found, rewrites)
        warp.rewrite_lane_math(source, index, found, rewrites)

    edits: list[Edit] = named.edits + rewrites.edits
    if renames.HIP_RUNTIME not in named.hip_headers and (named.renamed or _NEEDS_RUNTIME.search(source.data)):
        includes = index.get("include")
        first = min((n.start_byte for n in includes), default=None)
        edits.append(Edit(_runtime_include_at(source.data, first), _runtime_include_at(source.data, first),
                          f"#include <{renames.HIP_RUNTIME}>\n"))
    data = apply_edits(source.data, edits)
    hazard_diags, left = _hazard_diagnostics(source, index, rewrites.fixed)
    diagnostics = sorted(named.diagnostics + rewrites.diagnostics + hazard_diags,
                         key=lambda d: (d.span.line if d.span else 0, d.span.col if d.span else 0, d.code))
    return HipPort(
        text=data.decode("utf-8", errors="surrogateescape"),
        diagnostics=diagnostics,
        renamed=named.renamed,
        unmapped=named.unmapped,
        hazards_left=left,
        changed=data != source.data,
    )
