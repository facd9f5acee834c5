"""Warp-width rewrites for modern HIP (64-bit `*_sync` masks, `warpSize` 32 or 64).

Two rewrites, each made only where it is provably safe; everything else stays a hazard with its
location and suggested fix (the hazard catalogue's CPH ids):

- A full 32-bit mask (`0xffffffff`, `~0u`, `-1`, or a macro of the file that holds one and is used
  only as such a mask) passed to a `*_sync` warp function becomes `~0ull`. "All lanes of the warp"
  means the same on 32- and 64-wide wavefronts, and ROCm 6.2+ rejects masks that are not 64-bit.
- Lane math (`tid & 31`, `tid % 32`, `tid / 32`, `tid >> 5`) becomes `warpSize`-based math, but only
  in a file that uses warp collectives and holds no other warp-width assumption (a 32 constant,
  shuffle width or start offset, ballot stored in 32 bits, shared arrays sized by warps, implicit
  lock-step). Where another assumption is left, changing the lane ids alone would make a correct
  wave64 program wrong (a reduction starting at offset 16 already sums each half-wave correctly
  with the original ids), so nothing is rewritten and the hazards explain why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cuport.diagnostics import Diagnostic, diag
from cuport.source import SourceText
from cuport.targets.hip.edits import Edit
from cuport.translate import hazards as hz
from cuport.translate.hazards_index import CstIndex, Node

FULL_MASK_64 = "~0ull"
# hazards that are a warp-width assumption other than the mask and the lane math themselves
OTHER_WIDTH_HAZARDS = frozenset({"CPH001", "CPH004", "CPH005", "CPH006", "CPH007", "CPH013"})
_LANE_REWRITE = {"&": "& (warpSize - 1)", "%": "% warpSize", "/": "/ warpSize"}
_PRECEDENCE_SENSITIVE = frozenset({"binary_expression", "unary_expression", "cast_expression", "field_expression",
                                   "pointer_expression", "update_expression"})
_SIMPLE_OPERANDS = frozenset({"identifier", "field_expression", "parenthesized_expression", "call_expression",
                              "subscript_expression", "number_literal"})


@dataclass
class WarpRewrites:
    edits: list[Edit] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed: set[tuple[str, int]] = field(default_factory=set)  # (hazard id, start byte) now resolved


def _mask_uses_only(index: CstIndex, name: str, mask_nodes: set[int]) -> bool:
    """True if every use of `name` in the file is one of the mask arguments in `mask_nodes`."""
    for kind in ("id",):
        for node in index.get(kind):
            if index.text(node) == name and node.start_byte not in mask_nodes:
                parent = node.parent
                if parent is not None and parent.type == "preproc_def":
                    continue  # the definition itself
                return False
    for kind in ("macro", "fmacro"):
        for node in index.get(kind):
            value = node.child_by_field_name("value")
            if value is not None and name in index.text(value).replace("(", " ").replace(")", " ").split():
                return False
    return True


def widen_masks(source: SourceText, index: CstIndex, found: list[hz.Finding], out: WarpRewrites) -> None:
    masks = [f for f in found if f.id == "CPH002"]
    mask_starts = {f.node.start_byte for f in masks}
    macro_nodes = {index.text(n.child_by_field_name("name")): n for n in index.get("macro")
                   if n.child_by_field_name("name") is not None}
    widened_macros: set[str] = set()
    for f in masks:
        node = f.node
        text = index.text(node).strip()
        call = f.fields.get("call", "")
        if node.type in ("number_literal", "unary_expression", "cast_expression", "parenthesized_expression"):
            out.edits.append(Edit(node.start_byte, node.end_byte, FULL_MASK_64))
            out.fixed.add(("CPH002", node.start_byte))
            out.diagnostics.append(diag("CH004", source.span(node.start_byte, node.end_byte), mask=text, new=FULL_MASK_64, call=call))
        elif node.type == "identifier" and text in macro_nodes and text not in widened_macros:
            if not _mask_uses_only(index, text, mask_starts):
                continue
            value = macro_nodes[text].child_by_field_name("value")
            if value is None:
                continue
            widened_macros.add(text)
            body = index.text(value)
            lead = len(body) - len(body.lstrip())
            trail = len(body.rstrip())
            start = value.start_byte + len(body[:lead].encode("utf-8"))
            end = value.start_byte + len(body[:trail].encode("utf-8"))
            out.edits.append(Edit(start, end, FULL_MASK_64))
            out.diagnostics.append(diag("CH004", source.span(start, end), mask=f"{text} ({body.strip()})", new=FULL_MASK_64, call=call))
        if node.type == "identifier" and text in widened_macros:
            out.fixed.add(("CPH002", node.start_byte))


def _uses_warp_collectives(index: CstIndex) -> bool:
    return any(hz._callee(index, c) in hz.WARP_SYNC_CALLS | hz.SHUFFLES | hz.VOTE_CALLS for c in index.get("call"))


def lane_math_is_safe(index: CstIndex, found: list[hz.Finding]) -> bool:
    return _uses_warp_collectives(index) and not any(f.id in OTHER_WIDTH_HAZARDS for f in found)


def _operand(index: CstIndex, node: Node) -> str:
    text = index.text(node)
    return text if node.type in _SIMPLE_OPERANDS else f"({text})"


def rewrite_lane_math(source: SourceText, index: CstIndex, found: list[hz.Finding], out: WarpRewrites) -> None:
    if not lane_math_is_safe(index, found):
        return
    for f in found:
        if f.id != "CPH003":
            continue
        node = f.node
        op, left, right = (node.child_by_field_name(k) for k in ("operator", "left", "right"))
        if op is None or left is None or right is None:
            continue
        old = " ".join(index.text(node).split())
        if op.type == ">>":
            new = f"{_operand(index, left)} / warpSize"
            if node.parent is not None and node.parent.type in _PRECEDENCE_SENSITIVE:
                new = f"({new})"  # `a + t >> 5` must stay `(a + t) / warpSize`-shaped
            out.edits.append(Edit(node.start_byte, node.end_byte, new))
        elif op.type in _LANE_REWRITE:
            new_tail = _LANE_REWRITE[op.type]
            out.edits.append(Edit(op.start_byte, right.end_byte, new_tail))
            new = f"{index.text(left)} {new_tail}"
        else:
            continue
        out.fixed.add(("CPH003", node.start_byte))
        out.diagnostics.append(diag("CH005", source.span(node.start_byte, node.end_byte), old=old, new=new))


def warp_findings(index: CstIndex) -> list[hz.Finding]:
    """The warp-related hazard findings (mask, lane math and the other width assumptions)."""
    out: list[hz.Finding] = []
    for detector in hz.DETECTORS:
        out.extend(f for f in detector(index) if f.id in OTHER_WIDTH_HAZARDS | {"CPH002", "CPH003"})
    return out
