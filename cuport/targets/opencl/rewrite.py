"""Generic bottom-up IR rewriting and the uniformity analysis the OpenCL passes need."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from cuport.ir import nodes as ir

Rewrite = Callable[[ir.Node], ir.Node]


def transform(node: ir.Node, fn: Rewrite) -> ir.Node:
    """Rebuild `node` bottom-up: children first, then `fn` on the rebuilt node."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        if f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, ir.Node):
            new = transform(value, fn)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, ir.Node) for v in value):
            items = tuple(transform(v, fn) if isinstance(v, ir.Node) else v for v in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.name] = items
    rebuilt = ir.replace(node, **changes) if changes else node
    return fn(rebuilt)


_COLLECTIVE = (ir.WarpShuffle, ir.WarpVote, ir.WarpReduce)


def varying_names(body: ir.Block, params_vary: bool) -> set[str]:
    """Local names whose value may differ between the threads of a block (a fixpoint over
    assignments; anything written under thread-dependent control varies too)."""
    names: set[str] = set()

    def varies(e: ir.Node | None) -> bool:
        if e is None:
            return False
        for n in ir.walk(e):
            if isinstance(n, ir.ThreadIdx | ir.Atomic | ir.WarpShuffle | ir.WarpVote | ir.WarpReduce):
                return True
            if isinstance(n, ir.Var) and (n.name in names or (params_vary and n.kind == "param")):
                return True
        return False

    def visit(s: ir.Stmt, under: bool) -> bool:
        changed = False
        if isinstance(s, ir.VarDecl):
            if (under or varies(s.init)) and s.name not in names:
                names.add(s.name)
                changed = True
        elif isinstance(s, ir.Assign):
            root = s.target
            while isinstance(root, ir.Index | ir.Member):
                root = root.base
            if isinstance(root, ir.Var) and root.kind == "local" and (under or varies(s.value) or varies(s.target)):
                if root.name not in names:
                    names.add(root.name)
                    changed = True
        elif isinstance(s, ir.Block):
            for x in s.stmts:
                changed |= visit(x, under)
        elif isinstance(s, ir.If):
            inner = under or varies(s.cond)
            changed |= visit(s.then, inner)
            if s.orelse is not None:
                changed |= visit(s.orelse, inner)
        elif isinstance(s, ir.For):
            for x in s.init:
                changed |= visit(x, under)
            inner = under or varies(s.cond)
            for x in (*s.step, s.body):
                changed |= visit(x, inner)
        elif isinstance(s, ir.While | ir.DoWhile):
            changed |= visit(s.body, under or varies(s.cond))
        return changed

    while visit(body, False):
        pass
    return names


def expr_varies(e: ir.Expr | None, names: set[str], params_vary: bool) -> bool:
    if e is None:
        return False
    for n in ir.walk(e):
        if isinstance(n, ir.ThreadIdx | ir.Atomic | ir.WarpShuffle | ir.WarpVote | ir.WarpReduce):
            return True
        if isinstance(n, ir.Var) and (n.name in names or (params_vary and n.kind == "param")):
            return True
    return False


def has_collective(node: ir.Node) -> bool:
    return any(isinstance(n, _COLLECTIVE) for n in ir.walk(node))
