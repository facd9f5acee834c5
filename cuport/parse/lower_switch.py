"""`switch` lowered to an if/else-if chain on `value == label`.

Entering at a case runs its statements and, while a case falls through (does not end in break,
return or continue), the next case's too: each entry point gets that sequence (a case reached by
fall-through is lowered once and its IR shared). A `break` before the end of the sequence (outside
nested loops) leaves the switch: the statements after it run under `if (!c)` when it is the
sequence's own `if (c) break;`, else under a flag set by the break. `default` is the chain's final
else; labels sharing default's statements need no test of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import conversions as conv
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.lower_effects import outside_loops
from cuport.source import Span

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

_SKIP = {"comment", "preproc_call", "preproc_def", "preproc_function_def", "preproc_include", ";"}


@dataclass
class _Case:
    labels: list[ir.Expr]
    default: bool
    node: CstNode  # the first case_statement of the group (spans)
    stmts: list[CstNode]
    ends: bool  # ends in break/return/continue: no fall-through into the next group


def _ends(stmts: list[CstNode]) -> tuple[list[CstNode], bool]:
    """The statements without a final `break`, and whether control leaves the switch at the end."""
    if not stmts:
        return stmts, False
    last = stmts[-1]
    if last.type == "compound_statement":
        inner = [c for c in last.named_children if c.type not in _SKIP]
        if inner and inner[-1].type == "break_statement":
            return stmts[:-1] + inner[:-1], True
    if last.type == "break_statement":
        return stmts[:-1], True
    return stmts, last.type in ("return_statement", "continue_statement")


def _has_break(s: ir.Stmt) -> bool:
    return any(isinstance(n, ir.Break) for n in outside_loops(s))


class _BreakFlag:
    """Removes the `break`s of a case sequence (see the module docstring)."""

    def __init__(self, low: FunctionLowerer, sp: Span) -> None:
        self.low, self.sp = low, sp
        self.decl: ir.VarDecl | None = None
        self.var: ir.Var | None = None

    def flag(self) -> ir.Var:
        if self.var is None:
            self.decl, self.var = self.low.seq.temp(self.sp, t.BOOL, ir.BoolLit(self.sp, t.BOOL, False))
        return self.var

    def strip(self, stmts: tuple[ir.Stmt, ...], top: bool) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        for k, s in enumerate(stmts):
            if not _has_break(s):
                out.append(s)
                continue
            rest = stmts[k + 1:]
            if isinstance(s, ir.Break):
                return [*out, ir.Assign(s.span, self.flag(), "", ir.BoolLit(s.span, t.BOOL, True))]
            if top and isinstance(s, ir.If) and s.orelse is None and len(s.then.stmts) == 1 and isinstance(s.then.stmts[0], ir.Break):
                # `if (c) break; rest`: rest runs when c does not hold.
                stripped = self.strip(rest, top)
                if not stripped:
                    return out
                return [*out, ir.If(s.span, ir.Unary(s.span, t.BOOL, "!", s.cond), ir.Block(s.span, tuple(stripped)))]
            out.append(self.rewrite(s))
            tail = self.strip(rest, False)
            if tail:
                out.append(ir.If(s.span, ir.Unary(s.span, t.BOOL, "!", self.flag()), ir.Block(s.span, tuple(tail))))
            return out
        return out

    def rewrite(self, s: ir.Stmt) -> ir.Stmt:
        if isinstance(s, ir.Block):
            return ir.Block(s.span, tuple(self.strip(s.stmts, False)))
        if isinstance(s, ir.If):
            then = ir.Block(s.then.span, tuple(self.strip(s.then.stmts, False)))
            orelse = None if s.orelse is None else ir.Block(s.orelse.span, tuple(self.strip(s.orelse.stmts, False)))
            return ir.If(s.span, s.cond, then, orelse)
        raise self.low.fail(None, f"break inside a {type(s).__name__} in a switch case", "not supported")


def _groups(low: FunctionLowerer, body: CstNode | None, vt: t.Scalar) -> list[_Case]:
    groups: list[_Case] = []
    pending: list[ir.Expr] = []
    pending_default = False
    first: CstNode | None = None
    for case in body.named_children if body is not None else []:
        if case.type in _SKIP:
            continue
        if case.type != "case_statement":
            raise low.fail(case, "a statement outside a case label", "not supported")
        label = case.child_by_field_name("value")
        stmts = [c for c in case.named_children if c != label and c.type not in _SKIP]
        first = first or case
        if label is None:
            pending_default = True
        else:
            pending.append(ir.IntLit(low.span(label), vt, conv.wrap(low.const_int(label), vt)))
        if not stmts:
            continue
        stmts, ends = _ends(stmts)
        groups.append(_Case(pending, pending_default, first, stmts, ends))
        pending, pending_default, first = [], False, None
    if first is not None:  # trailing labels with no statements: they do nothing
        groups.append(_Case(pending, pending_default, first, [], True))
    return groups


def lower_switch(low: FunctionLowerer, node: CstNode) -> list[ir.Stmt]:
    sp = low.span(node)
    value = low.condition_value(node.child_by_field_name("condition"))
    vt = conv.promote(low.arith(value, node))
    if not vt.kind.is_integer:
        raise low.fail(node, "switch", "on a non-integer")
    subject = low.convert(value, vt, node)
    groups = _groups(low, node.child_by_field_name("body"), vt)
    pre: list[ir.Stmt] = []
    if any(isinstance(n, ir.Call | ir.Atomic) for n in ir.walk(subject)):
        decl, subject = low.seq.temp(sp, vt, subject)  # evaluated once, compared many times
        pre.append(decl)
    blocks = [low.case_block(g.node, g.stmts) for g in groups]
    flag = _BreakFlag(low, sp)

    def entry(i: int) -> ir.Block:
        """What runs when the switch enters at group i."""
        j = i
        while not groups[j].ends and j + 1 < len(groups):
            j += 1
        seq = blocks[i] if i == j else ir.Block(blocks[i].span, tuple(blocks[i:j + 1]))
        return ir.Block(seq.span, tuple(flag.strip(seq.stmts, top=i == j)))

    entries = [entry(i) for i in range(len(groups))]
    orelse = next((e for g, e in zip(groups, entries, strict=True) if g.default), None)
    for g, block in reversed(list(zip(groups, entries, strict=True))):
        if g.default or not g.labels:
            continue
        cond: ir.Expr | None = None
        for lab in g.labels:
            test = ir.Compare(lab.span, t.BOOL, "==", subject, lab)
            cond = test if cond is None else ir.Logical(lab.span, t.BOOL, "||", cond, test)
        assert cond is not None
        orelse = ir.Block(low.span(g.node), (ir.If(low.span(g.node), cond, block, orelse),))
    chain = orelse if orelse is not None else ir.Block(sp, ())
    return [*pre, *([flag.decl] if flag.decl is not None else []), chain]


__all__ = ["lower_switch"]
