"""If-conversion: thread-dependent control flow around warp operations and barriers, predicated.

PoCL has no sub-groups, so warp operations become __local exchanges with work-group barriers that
every work-item must reach; OpenCL barriers under divergent control are undefined too. This pass
(IR -> IR, before legalisation) rewrites such regions so that every work-item runs the
synchronising operations while everything else keeps its guard:

- `if (c) { S }` (c thread-dependent, S synchronises): `bool p = c;` and S under predicate p;
- a top-level `if (c) return;` of a kernel followed by synchronising code: `bool p = !c;` and
  the rest of the kernel under p (CUDA releases barriers for exited threads; OpenCL does not);
- under a predicate p: runs of statements without synchronisation become `if (p) { ... }`;
  declarations stay at their scope (initialised unconditionally when that is safe, else zeroed
  and assigned under p); a loop around synchronisation runs for everyone when its trip count is
  the same for every work-item; a synchronising expression is hoisted into a temporary computed
  by everyone (its operands made safe: evaluated under p, votes see `p && pred`), and the
  statement that uses it runs under p.

Anything else (a return inside a region, break/continue in a predicated loop, a loop whose trip
count depends on the thread, a device function with memory side effects called under a
predicate) raises `Unpredicable`: the kernel is refused, never emitted wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.source import Span
from cuport.targets.opencl.rewrite import transform, varying_names

_SYNC = (ir.WarpShuffle, ir.WarpVote, ir.WarpReduce, ir.Barrier)


class Unpredicable(Exception):
    def __init__(self, span: Span | None, what: str, reason: str) -> None:
        super().__init__(reason)
        self.span = span
        self.what = what
        self.reason = reason


def _zero(ty: t.Type, span: Span) -> ir.Expr | None:
    if isinstance(ty, t.Scalar):
        if ty.kind == t.ScalarKind.BOOL:
            return ir.BoolLit(span, ty, False)
        if ty.kind.is_float:
            return ir.Cast(span, ty, ir.IntLit(span, t.I32, 0))
        return ir.Cast(span, ty, ir.IntLit(span, t.I32, 0))
    if isinstance(ty, t.Vector):
        return ir.Cast(span, ty, ir.IntLit(span, t.I32, 0))
    return None


def _and(span: Span, p: ir.Expr | None, c: ir.Expr) -> ir.Expr:
    return c if p is None else ir.Logical(span, t.BOOL, "&&", p, c)


def _not(span: Span, c: ir.Expr) -> ir.Expr:
    return ir.Unary(span, t.BOOL, "!", c)


class IfConverter:
    """Converts one function body. `syncs(callee)` says whether a device function (transitively)
    synchronises; `pure(callee)` whether it touches no memory but its own private variables."""

    def __init__(self, fn: ir.Function, is_kernel: bool, syncs: Callable[[str], bool],
                 pure: Callable[[str], bool]) -> None:
        self.fn = fn
        self.is_kernel = is_kernel
        self.syncs_fn = syncs
        self.pure_fn = pure
        self.varying = varying_names(fn.body, params_vary=not is_kernel)
        self.count = 0
        self.converted: list[tuple[Span, str]] = []  # (where, what) for the notes

    # --- queries -------------------------------------------------------------------------------
    def syncs(self, node: ir.Node) -> bool:
        for n in ir.walk(node):
            if isinstance(n, _SYNC):
                return True
            if isinstance(n, ir.Call) and self.syncs_fn(n.callee):
                return True
        return False

    def varies(self, e: ir.Expr | None) -> bool:
        if e is None:
            return False
        for n in ir.walk(e):
            if isinstance(n, ir.ThreadIdx | ir.Atomic | ir.WarpShuffle | ir.WarpVote | ir.WarpReduce):
                return True
            if isinstance(n, ir.Var) and (n.name in self.varying or (not self.is_kernel and n.kind == "param")):
                return True
        return False

    def safe(self, e: ir.Expr | None) -> bool:
        """Evaluating `e` in a work-item whose guard is false can neither fault nor have an effect."""
        if e is None:
            return True
        for n in ir.walk(e):
            if isinstance(n, ir.Index | ir.Deref | ir.Atomic | ir.Printf | ir.Assert | ir.Call | ir.Barrier):
                return False
            if isinstance(n, ir.Member) and n.arrow:
                return False
            if isinstance(n, ir.Binary) and n.op in ("/", "%") and t.is_integer(n.type):
                return False  # an integer division by a garbage zero traps on the CPU
        return True

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"cuport_{stem}{self.count}"

    # --- entry ---------------------------------------------------------------------------------
    def run(self) -> ir.Block:
        return self.walk_uniform(self.fn.body, top=True)

    def walk_uniform(self, b: ir.Block, top: bool) -> ir.Block:
        """A block every work-item of the group runs: find the divergent regions that synchronise."""
        out: list[ir.Stmt] = []
        stmts = list(b.stmts)
        for i, s in enumerate(stmts):
            rest = stmts[i + 1:]
            if (top and self.is_kernel and isinstance(s, ir.If) and self.varies(s.cond) and _early_return(s)
                    and any(self.syncs(r) for r in rest)):
                if self.syncs(s):
                    raise Unpredicable(s.span, "early return", "the code before the return synchronises")
                p = self.fresh("active")
                out.append(ir.VarDecl(s.span, p, t.BOOL, _not(s.span, s.cond)))
                pv = ir.Var(s.span, t.BOOL, p, "local")
                if len(s.then.stmts) > 1:
                    out.append(ir.If(s.span, _not(s.span, pv), ir.Block(s.span, s.then.stmts[:-1])))
                self.converted.append((s.span, "early return"))
                out.extend(self.region(rest, pv, top=True))
                return ir.Block(b.span, tuple(out))
            if not self.syncs(s):
                out.append(s)
            elif isinstance(s, ir.If) and self.varies(s.cond):
                self.converted.append((s.span, "thread-dependent if"))
                out.extend(self.convert(s, None, top=False))
            elif isinstance(s, ir.If):
                orelse = None if s.orelse is None else self.walk_uniform(s.orelse, top=False)
                out.append(ir.replace(s, then=self.walk_uniform(s.then, top=False), orelse=orelse))
            elif isinstance(s, ir.For | ir.While | ir.DoWhile) and not self.varies(s.cond):
                out.append(ir.replace(s, body=self.walk_uniform(s.body, top=False)))
            elif isinstance(s, ir.Block):
                out.append(self.walk_uniform(s, top=False))
            else:
                out.append(s)  # a divergent loop around synchronisation: the legaliser refuses it
        return ir.Block(b.span, tuple(out))

    # --- predicated regions --------------------------------------------------------------------
    def region(self, stmts: list[ir.Stmt], p: ir.Expr | None, top: bool) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        pending: list[ir.Stmt] = []

        def flush() -> None:
            if pending:
                block = ir.Block(pending[0].span, tuple(pending))
                out.append(block if p is None else ir.If(pending[0].span, p, block))
                pending.clear()

        for i, s in enumerate(stmts):
            if self.syncs(s):
                flush()
                out.extend(self.convert(s, p, top))
                continue
            if _has(s, ir.Return):
                later = any(self.syncs(r) for r in stmts[i + 1:])
                if top and later and isinstance(s, ir.If) and _early_return(s):
                    flush()
                    c = self.fresh("exit")
                    out.append(ir.VarDecl(s.span, c, t.BOOL, _and(s.span, p, s.cond)))
                    cv = ir.Var(s.span, t.BOOL, c, "local")
                    if len(s.then.stmts) > 1:
                        out.append(ir.If(s.span, cv, ir.Block(s.span, s.then.stmts[:-1])))
                    q = self.fresh("active")
                    out.append(ir.VarDecl(s.span, q, t.BOOL, _and(s.span, p, _not(s.span, cv))))
                    p = ir.Var(s.span, t.BOOL, q, "local")
                    continue
                if not top or later:
                    raise Unpredicable(s.span, "return", "a return inside code that must run for every work-item")
            if isinstance(s, ir.VarDecl):
                flush()
                out.extend(self.decl(s, p))
                continue
            pending.append(s)
        flush()
        return out

    def decl(self, s: ir.VarDecl, p: ir.Expr | None) -> list[ir.Stmt]:
        init = s.init
        if p is None or init is None or self.safe(init):
            return [s]
        zero = _zero(s.var_type, s.span)
        if zero is None or isinstance(s.var_type, t.Array) or s.const:
            raise Unpredicable(s.span, s.name, f"the initialiser of '{s.name}' cannot be evaluated by every work-item")
        target = ir.Var(s.span, s.var_type, s.name, "local")
        return [ir.replace(s, init=zero),
                ir.If(s.span, p, ir.Block(s.span, (ir.Assign(s.span, target, "", init),)))]

    def convert(self, s: ir.Stmt, p: ir.Expr | None, top: bool) -> list[ir.Stmt]:
        """A statement that synchronises, run by every work-item with the effects kept under p."""
        if isinstance(s, ir.Block):
            return [ir.Block(s.span, tuple(self.region(list(s.stmts), p, top=False)))]
        if isinstance(s, ir.If):
            if p is None and not self.varies(s.cond):
                orelse = None if s.orelse is None else self.walk_uniform(s.orelse, top=False)
                return [ir.replace(s, then=self.walk_uniform(s.then, top=False), orelse=orelse)]
            c = self.fresh("p")
            out: list[ir.Stmt] = [ir.VarDecl(s.span, c, t.BOOL, _and(s.span, p, s.cond))]
            cv = ir.Var(s.span, t.BOOL, c, "local")
            out.append(ir.Block(s.then.span, tuple(self.region(list(s.then.stmts), cv, top=False))))
            if s.orelse is not None:
                e = self.fresh("p")
                out.append(ir.VarDecl(s.span, e, t.BOOL, _and(s.span, p, _not(s.span, cv))))
                ev = ir.Var(s.span, t.BOOL, e, "local")
                out.append(ir.Block(s.orelse.span, tuple(self.region(list(s.orelse.stmts), ev, top=False))))
            return out
        if isinstance(s, ir.For):
            self.check_loop(s)
            body = ir.Block(s.body.span, tuple(self.region(list(s.body.stmts), p, top=False)))
            return [ir.replace(s, body=body)]
        if isinstance(s, ir.While | ir.DoWhile):
            raise Unpredicable(s.span, "loop", "a while loop around a warp operation or barrier under a thread-dependent condition")
        if isinstance(s, ir.ExprStmt) and isinstance(s.expr, ir.Barrier) and s.expr.kind in ("syncthreads", "syncwarp"):
            return [s]  # every work-item now reaches it
        if isinstance(s, ir.ExprStmt | ir.Assign | ir.VarDecl):
            return self.hoist(s, p)
        raise Unpredicable(s.span, type(s).__name__, "this statement cannot be predicated")

    def check_loop(self, s: ir.For) -> None:
        """Every work-item must run the same iterations: loop control uniform, no early exits."""
        own = {d.name for d in s.init if isinstance(d, ir.VarDecl)}
        if s.cond is None or len(own) != len(s.init):
            raise Unpredicable(s.span, "loop", "a loop around a warp operation or barrier without a plain counter")

        def uniform(e: ir.Expr | None) -> bool:
            if e is None:
                return True
            if not self.safe(e):
                return False
            return all(not isinstance(n, ir.ThreadIdx) and not (
                isinstance(n, ir.Var) and n.name not in own and (
                    n.name in self.varying or (not self.is_kernel and n.kind == "param")))
                for n in ir.walk(e))

        inits_ok = all(isinstance(d, ir.VarDecl) and uniform(d.init) for d in s.init)
        steps_ok = all(isinstance(st, ir.Assign) and isinstance(st.target, ir.Var) and st.target.name in own
                       and uniform(st.value) for st in s.step)
        assigned = {_root(a.target) for a in ir.walk(s.body) if isinstance(a, ir.Assign)}
        if not (inits_ok and steps_ok and uniform(s.cond)) or assigned & own:
            raise Unpredicable(s.span, "loop", "the trip count of a loop around a warp operation or barrier depends on the thread")
        for n in _outside_loops(s.body):
            if isinstance(n, ir.Break | ir.Continue | ir.Return):
                raise Unpredicable(n.span, "loop", "break, continue or return in a loop that every work-item must run")

    def hoist(self, s: ir.Stmt, p: ir.Expr | None) -> list[ir.Stmt]:
        """Synchronising sub-expressions become temporaries that every work-item computes."""
        before: list[ir.Stmt] = []

        def operand(e: ir.Expr | None) -> ir.Expr | None:
            if e is None or p is None or self.safe(e):
                return e
            zero = _zero(e.type, e.span)
            if zero is None:
                raise Unpredicable(e.span, "operand", "an operand of a warp operation cannot be evaluated by every work-item")
            name = self.fresh("arg")
            before.append(ir.VarDecl(e.span, name, e.type, ir.Select(e.span, e.type, p, e, zero)))
            return ir.Var(e.span, e.type, name, "local")

        def lift(n: ir.Node) -> ir.Node:
            if isinstance(n, ir.WarpShuffle):
                n = ir.replace(n, value=operand(n.value), lane=operand(n.lane), width=operand(n.width))
            elif isinstance(n, ir.WarpReduce):
                n = ir.replace(n, value=operand(n.value))
            elif isinstance(n, ir.WarpVote):
                if n.pred is not None and p is not None:
                    n = ir.replace(n, pred=_and(n.span, p, n.pred))  # a guarded-off lane votes false
            elif isinstance(n, ir.Barrier) and n.kind not in ("syncthreads", "syncwarp"):
                if p is not None:
                    n = ir.replace(n, pred=_and(n.span, p, n.pred or ir.BoolLit(n.span, t.BOOL, True)))
            elif isinstance(n, ir.Call) and self.syncs_fn(n.callee):
                if not self.pure_fn(n.callee):
                    raise Unpredicable(n.span, f"{n.callee}(...)", f"'{n.callee}' touches memory, so it cannot run for work-items whose guard is false")
                n = ir.replace(n, args=tuple(operand(a) for a in n.args))
            else:
                return n
            assert isinstance(n, ir.Expr)
            if isinstance(n.type, t.Void):
                before.append(ir.ExprStmt(n.span, n))
                return ir.Var(n.span, n.type, "", "local")  # a void call's value is never used
            name = self.fresh("sync")
            before.append(ir.VarDecl(n.span, name, n.type, n))
            return ir.Var(n.span, n.type, name, "local")

        rest = transform(s, lift)
        assert isinstance(rest, ir.Stmt)
        if isinstance(rest, ir.ExprStmt) and isinstance(rest.expr, ir.Var):
            return before  # the statement was the synchronising expression itself
        if isinstance(rest, ir.VarDecl):
            return [*before, *self.decl(rest, p)]
        if p is None:
            return [*before, rest]
        return [*before, ir.If(s.span, p, ir.Block(s.span, (rest,)))]


def _early_return(s: ir.If) -> bool:
    """`if (c) return;` or `if (c) { ...; return; }` with no other return and no else."""
    stmts = s.then.stmts
    return (s.orelse is None and bool(stmts) and isinstance(stmts[-1], ir.Return) and stmts[-1].value is None
            and not any(_has(x, ir.Return) for x in stmts[:-1]))


def _has(node: ir.Node, kind: type) -> bool:
    return any(isinstance(n, kind) for n in ir.walk(node))


def _root(e: ir.Expr) -> str:
    while isinstance(e, ir.Index | ir.Member):
        e = e.base
    return e.name if isinstance(e, ir.Var) else ""


def _outside_loops(node: ir.Node) -> list[ir.Node]:
    """Descendants of `node` not inside a nested loop (where break/continue bind)."""
    out: list[ir.Node] = []
    stack = list(ir.children(node))
    while stack:
        n = stack.pop()
        out.append(n)
        if not isinstance(n, ir.For | ir.While | ir.DoWhile):
            stack.extend(ir.children(n))
    return out


def touches_memory(fn: ir.Function) -> bool:
    """Reads or writes anything but its own private variables (shared, global, through pointers)."""
    for n in ir.walk(fn.body):
        if isinstance(n, ir.Atomic | ir.Printf | ir.Assert | ir.Deref):
            return True
        if isinstance(n, ir.Member) and n.arrow:
            return True
        if isinstance(n, ir.Index) and not (isinstance(n.base, ir.Var) and n.base.kind == "local"
                                             and isinstance(n.base.type, t.Array)):
            return True
        if isinstance(n, ir.Var) and n.kind in ("shared", "global"):
            return True
    return False
