"""Side effects inside expressions (`a[i++] = x`, `while ((v = f()) != 0)`, `c ? x : y++`) lowered
to statements, in C++'s order of evaluation.

The IR keeps assignments, ++ and -- as statements. Within one statement (an expression statement,
a declaration, a return, or the condition of an if/loop) an update may be hoisted before it
(assignment, prefix) or run after it (postfix) when nothing else in the statement reads or writes the
updated object: its variable occurs once, or every other occurrence names a different member of it.
A loop condition's statements run again before each test. An operand that C++ evaluates lazily (the
right side of && and ||, the branches of ?:) becomes an `if` on a temporary, when the variables it
updates occur nowhere else in the statement. Anything else is refused with CL006.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.source import Span

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

_EFFECTS = ("assignment_expression", "update_expression")
_IMPURE = (*_EFFECTS, "call_expression", "comma_expression", "lambda_expression")
_PLACES = ("subscript_expression", "field_expression", "parenthesized_expression", "pointer_expression")


@dataclass
class EffectScope:
    """One statement being lowered: statements to run before and after it, how often each
    identifier occurs in it, and its CST node."""

    before: list[ir.Stmt]
    after: list[ir.Stmt]
    counts: dict[str, int]
    node: CstNode


def _walk(node: CstNode) -> Iterator[CstNode]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if n.type != "lambda_expression":
            stack.extend(reversed(n.children))


def has_effect(node: CstNode | None) -> bool:
    """An update, or a GNU statement expression `({ ... })` (its statements run before the use)."""
    return node is not None and any(n.type in _EFFECTS or n.type == "compound_statement" for n in _walk(node))


def _pure(node: CstNode) -> bool:
    """No assignment, update, call or comma inside: evaluating it twice gives the same value."""
    return not any(n.type in _IMPURE for n in _walk(node))


def name_counts(node: CstNode) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in _walk(node):
        if n.type == "identifier" and n.text:
            counts[n.text.decode()] = counts.get(n.text.decode(), 0) + 1
    return counts


def place_root(target: CstNode) -> tuple[CstNode, str | None, list[CstNode]] | None:
    """The variable an lvalue lives in, the member of it the lvalue is in (`s.a[i].b`: a), and the
    expressions the address depends on (indices, pointers); None for other shapes."""
    root, member, inner = target, None, []
    while root.type in _PLACES:
        if root.type == "parenthesized_expression":
            nxt = root.named_children[0] if len(root.named_children) == 1 else None
        elif root.type == "pointer_expression":
            op = root.child_by_field_name("operator")
            if op is None or op.type != "*":
                return None
            nxt = root.child_by_field_name("argument")
        else:
            nxt = root.child_by_field_name("argument")
            if root.type == "field_expression":
                fld = root.child_by_field_name("field")
                member = fld.text.decode() if fld is not None and fld.text else None
            else:
                member = None
                idx = root.child_by_field_name("indices")
                inner.extend(idx.named_children if idx is not None else [])
        if nxt is None:
            return None
        root = nxt
    return (root, member, inner) if root.type == "identifier" else None


def updates(node: CstNode) -> set[str]:
    """Names of the variables the assignments and updates inside node write."""
    out: set[str] = set()
    for n in _walk(node):
        if n.type in _EFFECTS:
            target = n.child_by_field_name("left" if n.type == "assignment_expression" else "argument")
            found = place_root(target) if target is not None else None
            out.add(found[0].text.decode() if found is not None and found[0].text else "")
    return out


def outside_loops(s: ir.Stmt) -> list[ir.Stmt]:
    """Statements of s not nested in a loop (where `break` and `continue` belong to s's context)."""
    if isinstance(s, ir.For | ir.While | ir.DoWhile):
        return []
    out: list[ir.Stmt] = [s]
    for c in ir.children(s):
        if isinstance(c, ir.Stmt):
            out += outside_loops(c)
    return out


def _simple(stmts: list[ir.Stmt]) -> bool:
    """Statements that print as a for-loop's init or step (no declarations, no control flow)."""
    return all(isinstance(s, ir.Assign | ir.ExprStmt) for s in stmts)


class Sequencer:
    def __init__(self, low: FunctionLowerer) -> None:
        self.low = low

    # --- one statement ------------------------------------------------------------------------

    @contextmanager
    def scope(self, node: CstNode) -> Iterator[EffectScope]:
        """Lower node as a statement of its own: its side effects collect in the yielded scope."""
        low = self.low
        saved = low.effects, low.conditional
        sc = EffectScope([], [], name_counts(node), node)
        low.effects, low.conditional = sc, 0
        try:
            yield sc
        finally:
            low.effects, low.conditional = saved

    def place(self, target: CstNode | None) -> EffectScope | None:
        """The statement an update of `target` may be hoisted out of, or None when that would
        change what the rest of the statement reads."""
        low = self.low
        sc = low.effects
        if sc is None or low.conditional or target is None:
            return None
        found = place_root(target)
        if found is None or not all(_pure(i) for i in found[2]):
            return None
        root, member, _ = found
        name = low.text(root)
        if sc.counts.get(name, 0) == 1:
            return sc
        if member is None:
            return None
        # Other members of the same variable (`cut->leaves[cut->n++]`) are other objects.
        for n in _walk(sc.node):
            if n.type != "identifier" or low.text(n) != name or n.start_byte == root.start_byte:
                continue
            parent = n.parent
            fld = parent.child_by_field_name("field") if parent is not None and parent.type == "field_expression" else None
            if fld is None or parent.child_by_field_name("argument") != n or low.text(fld) == member:
                return None
        return sc

    def rereadable(self, target: CstNode) -> bool:
        """Whether reading lvalue `target` again after assigning it gives the assigned value: its
        address depends only on pure expressions that do not read its own variable."""
        found = place_root(target)
        if found is None:
            return False
        name = self.low.text(found[0])
        return all(_pure(i) and name not in name_counts(i) for i in found[2])

    def value(self, node: CstNode, finish: Callable[[ir.Expr], ir.Expr] = lambda e: e) -> tuple[list[ir.Stmt], ir.Expr]:
        """node's value and the statements to run first; a postfix update inside makes a temporary
        hold the value read before it."""
        low = self.low
        with self.scope(node) as sc:
            e = finish(low.expr(node))
        if not sc.after:
            return sc.before, e
        if not isinstance(e.type, t.Scalar | t.Pointer | t.Vector):
            raise low.err("CL006", node, what=f"a postfix update in a value of type {t.type_name(e.type)}")
        decl, v = self.temp(e.span, e.type, e)
        return [*sc.before, decl, *sc.after], v

    def temp(self, sp: Span, ty: t.Type, init: ir.Expr | None) -> tuple[ir.VarDecl, ir.Var]:
        """A lowering-made local: its declaration and a use of it."""
        from cuport.parse.lower_body import Binding

        name = self.low.fresh_name("tmp")
        self.low.declare(name, Binding(ty, "local"))
        return ir.VarDecl(sp, name, ty, init), ir.Var(sp, ty, name, "local")

    def condition(self, node: CstNode | None) -> tuple[list[ir.Stmt], ir.Expr]:
        """A condition of if/while/for/do: (statements to run before each test, bool value)."""
        low = self.low
        if node is None:
            raise low.fail(None, "condition", "missing")
        inner = node
        if node.type in ("condition_clause", "parenthesized_expression"):
            value = node.child_by_field_name("value")
            inner = value if value is not None else next((c for c in node.named_children if c.type != "comment"), None)  # type: ignore[assignment]
            if inner is None or inner.type == "declaration":
                raise low.fail(node, "a declaration in a condition", "not supported")
        if not has_effect(inner):
            return [], low.to_bool(low.expr(inner), inner)
        return self.value(inner, lambda e: low.to_bool(e, inner))

    def statements(self, node: CstNode) -> list[ir.Stmt]:
        """An expression lowered as a statement of its own (a for-loop's step)."""
        if not has_effect(node):
            return self.low.expr_stmt(node)
        with self.scope(node) as sc:
            main = self.low.expr_stmt(node)
        return [*sc.before, *main, *sc.after]

    # --- lazily evaluated operands ------------------------------------------------------------

    def contained(self, node: CstNode) -> EffectScope | None:
        """The statement node's side effects may be hoisted out of as a whole: the variables they
        update occur nowhere else in it. None when there is no such statement here."""
        low = self.low
        sc = low.effects
        if sc is None or low.conditional:
            return None
        inside = name_counts(node)
        for name in updates(node):
            if not name or inside.get(name, 0) != sc.counts.get(name, 0):
                raise low.err("CL006", node, what=f"an update of '{name}' (also used outside its lazily evaluated operand)")
        return sc

    def logical(self, node: CstNode, op: str, lnode: CstNode, rnode: CstNode) -> ir.Expr | None:
        """`a && b` / `a || b` where b has side effects: `bool v = a; if (v) { v = b; }`."""
        low = self.low
        if not has_effect(rnode):
            return None
        sc = self.contained(node)
        if sc is None:
            return None
        sl, lhs = self.value(lnode, lambda e: low.to_bool(e, lnode))
        sr, rhs = self.value(rnode, lambda e: low.to_bool(e, rnode))
        sp = low.span(node)
        decl, v = self.temp(sp, t.BOOL, lhs)
        test: ir.Expr = v if op == "&&" else ir.Unary(sp, t.BOOL, "!", v)
        sc.before.extend([*sl, decl, ir.If(sp, test, ir.Block(sp, (*sr, ir.Assign(sp, v, "", rhs))))])
        return v

    def select(self, node: CstNode) -> ir.Expr | None:
        """`c ? a : b` where a or b has side effects: `T v; if (c) { v = a; } else { v = b; }`."""
        low = self.low
        c_node, a_node, b_node = (node.child_by_field_name(f) for f in ("condition", "consequence", "alternative"))
        if c_node is None or a_node is None or b_node is None or not (has_effect(a_node) or has_effect(b_node)):
            return None
        sc = self.contained(node)
        if sc is None:
            return None
        sc_, cond = self.value(c_node, lambda e: low.to_bool(e, c_node))
        sa, a = self.value(a_node)
        sb, b = self.value(b_node)
        sel = low.select(node, ir.BoolLit(low.span(node), t.BOOL, True), a, b)  # the branches' common type
        if not isinstance(sel, ir.Select) or isinstance(sel.type, t.Array):
            raise low.err("CL006", node, what="a side effect in a branch of '?:'")
        sp = low.span(node)
        decl, v = self.temp(sp, sel.type, None)
        then = ir.Block(sp, (*sa, ir.Assign(sp, v, "", sel.if_true)))
        orelse = ir.Block(sp, (*sb, ir.Assign(sp, v, "", sel.if_false)))
        sc.before.extend([*sc_, decl, ir.If(sp, cond, then, orelse)])
        return v

    # --- loops --------------------------------------------------------------------------------

    def while_loop(self, sp: Span, pre: list[ir.Stmt], cond: ir.Expr, body: ir.Block) -> ir.Stmt:
        """`while (c)` whose test needs statements `pre` first."""
        return self.for_loop(sp, [], pre, cond, [], body) if pre else ir.While(sp, cond, body)

    def for_loop(
        self, sp: Span, init: list[ir.Stmt], pre: list[ir.Stmt], cond: ir.Expr | None, step: list[ir.Stmt], body: ir.Block
    ) -> ir.For:
        if not pre:
            return ir.For(sp, tuple(init), cond, tuple(step), body)
        if _simple(pre) and _simple(init):
            # `for (pre; c; step, pre)`: a `continue` runs the step, then pre, then the test.
            return ir.For(sp, (*init, *pre), cond, (*step, *pre), body)
        assert cond is not None
        leave = ir.If(sp, ir.Unary(sp, t.BOOL, "!", cond), ir.Block(sp, (ir.Break(sp),)))
        return ir.For(sp, tuple(init), None, tuple(step), ir.Block(body.span, (*pre, leave, body)))

    def do_loop(self, node: CstNode, pre: list[ir.Stmt], cond: ir.Expr, body: ir.Block) -> ir.Stmt:
        sp = self.low.span(node)
        if not pre:
            return ir.DoWhile(sp, body, cond)
        if any(isinstance(s, ir.Continue) for s in outside_loops(body)):
            raise self.low.err("CL006", node, what="a side effect in a do-while test (a 'continue' in the body would skip it)")
        if _simple(pre):
            return ir.DoWhile(sp, ir.Block(body.span, (body, *pre)), cond)
        leave = ir.If(sp, ir.Unary(sp, t.BOOL, "!", cond), ir.Block(sp, (ir.Break(sp),)))
        return ir.While(sp, ir.BoolLit(sp, t.BOOL, True), ir.Block(body.span, (body, *pre, leave)))


__all__ = ["EffectScope", "Sequencer", "has_effect", "outside_loops"]
