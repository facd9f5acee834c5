"""Uniformity analysis: which values are the same for every thread of a block (kept as Triton
scalars) and which vary by thread (kept as `[BLOCK]` vectors).

A variable is thread-varying when some assignment gives it a thread-varying value, or assigns it
under thread-varying control (a divergent `if` or loop): lanes that skip the assignment keep their
old value, so the lanes disagree. Early `return` does not make values varying: a lane that has
returned never reads a variable again. The analysis iterates to a fixpoint because loops feed
values back to their own conditions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cuport.ir import nodes as ir
from cuport.ir.types import Array

# expressions whose value differs by thread whatever their operands
_ALWAYS_VARYING = (ir.ThreadIdx, ir.Atomic, ir.WarpShuffle, ir.WarpVote, ir.WarpReduce)


@dataclass
class Uniformity:
    varying: set[str] = field(default_factory=set)
    local_arrays: set[str] = field(default_factory=set)  # per-thread arrays live in scratch memory

    def expr(self, e: ir.Expr) -> bool:
        """True when `e` may differ between the threads of a block."""
        if isinstance(e, _ALWAYS_VARYING):
            return True
        if isinstance(e, ir.Var):
            return e.name in self.varying or e.name in self.local_arrays
        return any(self.expr(c) for c in ir.children(e) if isinstance(c, ir.Expr))

    def loop_divergent(self, loop: ir.For | ir.While | ir.DoWhile) -> bool:
        """A loop whose iterations differ by lane: a varying condition, or an exit inside it."""
        cond = loop.cond
        if cond is not None and self.expr(cond):
            return True
        return _has_exit(loop.body)


def _has_exit(body: ir.Stmt) -> bool:
    """break/continue of this loop (not of nested ones) or a return anywhere inside."""
    for s in ir.children(body):
        if isinstance(s, ir.Return | ir.Break | ir.Continue):
            return True
        if isinstance(s, ir.For | ir.While | ir.DoWhile):
            if any(isinstance(n, ir.Return) for n in ir.walk(s)):
                return True
            continue
        if isinstance(s, ir.Stmt) and _has_exit(s):
            return True
    return False


def analyse(kernel: ir.Kernel) -> Uniformity:
    u = Uniformity()
    for n in ir.walk(kernel.body):
        if isinstance(n, ir.VarDecl) and isinstance(n.var_type, Array):
            u.local_arrays.add(n.name)
    while True:
        before = len(u.varying)
        _stmt(kernel.body, u, divergent=False)
        if len(u.varying) == before:
            return u


def _assigned(u: Uniformity, name: str, value: ir.Expr | None, divergent: bool) -> None:
    if divergent or (value is not None and u.expr(value)):
        u.varying.add(name)


def _stmt(s: ir.Stmt, u: Uniformity, divergent: bool) -> None:
    if isinstance(s, ir.Block):
        for c in s.stmts:
            _stmt(c, u, divergent)
    elif isinstance(s, ir.VarDecl):
        if not isinstance(s.var_type, Array):
            _assigned(u, s.name, s.init, divergent and s.init is not None)
    elif isinstance(s, ir.Assign):
        if isinstance(s.target, ir.Var):
            value = s.value if not s.op else ir.Binary(s.value.span, s.value.type, "+", s.target, s.value)
            _assigned(u, s.target.name, value, divergent)
    elif isinstance(s, ir.If):
        inner = divergent or u.expr(s.cond)
        _stmt(s.then, u, inner)
        if s.orelse is not None:
            _stmt(s.orelse, u, inner)
    elif isinstance(s, ir.For):
        for i in s.init:
            _stmt(i, u, divergent)
        inner = divergent or u.loop_divergent(s)
        _stmt(s.body, u, inner)
        for st in s.step:
            _stmt(st, u, inner)
    elif isinstance(s, ir.While | ir.DoWhile):
        _stmt(s.body, u, divergent or u.loop_divergent(s))
