"""Inline device-function calls into the kernel (Triton jit functions could be called too, but a
CUDA helper's parameters are per-thread values and its early returns are per-lane: inlining lets
the kernel's masks cover them).

A call is replaced by a fresh local that the inlined body assigns; the callee's parameters and
locals are renamed `<callee>_<name>`. Supported: calls in statements, declarations and
assignments; a callee whose only `return` is its last statement (or a void callee without one).
Calls in loop conditions or under `&&`/`||`/`?:` are declined (they would run unconditionally).
"""

from __future__ import annotations

import dataclasses
import itertools

from cuport.ir import nodes as ir
from cuport.ir.types import VOID
from cuport.targets.triton.types import Unsupported

_MAX_DEPTH = 8


class Inliner:
    def __init__(self, functions: dict[str, ir.DeviceFunction]) -> None:
        self.functions = functions
        self.counter = itertools.count(1)

    def kernel(self, k: ir.Kernel) -> ir.Kernel:
        if not any(isinstance(n, ir.Call) for n in ir.walk(k.body)):
            return k
        return ir.replace(k, body=self.block(k.body, 0))

    def block(self, b: ir.Block, depth: int) -> ir.Block:
        out: list[ir.Stmt] = []
        for s in b.stmts:
            out.extend(self.stmt(s, depth))
        return ir.replace(b, stmts=tuple(out))

    def stmt(self, s: ir.Stmt, depth: int) -> list[ir.Stmt]:
        if isinstance(s, ir.Block):
            return [self.block(s, depth)]
        if isinstance(s, ir.If):
            pre, cond = self.expr(s.cond, depth)
            orelse = self.block(s.orelse, depth) if s.orelse is not None else None
            return [*pre, ir.replace(s, cond=cond, then=self.block(s.then, depth), orelse=orelse)]
        if isinstance(s, ir.For):
            for e in [s.cond, *s.step]:
                if e is not None and _has_call(e):
                    raise Unsupported("a device-function call in a loop header", s.span)
            init: list[ir.Stmt] = []
            for i in s.init:
                init.extend(self.stmt(i, depth))
            return [ir.replace(s, init=tuple(init), body=self.block(s.body, depth))]
        if isinstance(s, ir.While | ir.DoWhile):
            if _has_call(s.cond):
                raise Unsupported("a device-function call in a loop condition", s.span)
            return [ir.replace(s, body=self.block(s.body, depth))]
        if isinstance(s, ir.VarDecl) and s.init is not None:
            pre, init = self.expr(s.init, depth)
            return [*pre, ir.replace(s, init=init)]
        if isinstance(s, ir.Assign):
            pre_t, target = self.expr(s.target, depth)
            pre_v, value = self.expr(s.value, depth)
            return [*pre_t, *pre_v, ir.replace(s, target=target, value=value)]
        if isinstance(s, ir.ExprStmt):
            if isinstance(s.expr, ir.Call):
                pre, _ = self.call(s.expr, depth, want_value=False)
                return pre
            pre, e = self.expr(s.expr, depth)
            return [*pre, ir.replace(s, expr=e)]
        if isinstance(s, ir.Return) and s.value is not None and _has_call(s.value):
            raise Unsupported("a kernel returning a value", s.span)
        return [s]

    def expr(self, e: ir.Expr, depth: int) -> tuple[list[ir.Stmt], ir.Expr]:
        if not _has_call(e):
            return [], e
        if isinstance(e, ir.Logical | ir.Select):
            raise Unsupported("a device-function call under &&, || or ?:", e.span)
        if isinstance(e, ir.Call):
            pre, result = self.call(e, depth, want_value=True)
            assert result is not None
            return pre, result
        pre: list[ir.Stmt] = []
        changes = {}
        for f in dataclasses.fields(e):
            v = getattr(e, f.name)
            if isinstance(v, ir.Expr):
                p, nv = self.expr(v, depth)
                pre += p
                changes[f.name] = nv
            elif isinstance(v, tuple) and v and isinstance(v[0], ir.Expr):
                items = []
                for item in v:
                    p, ni = self.expr(item, depth)
                    pre += p
                    items.append(ni)
                changes[f.name] = tuple(items)
        return pre, ir.replace(e, **changes)

    def call(self, c: ir.Call, depth: int, *, want_value: bool) -> tuple[list[ir.Stmt], ir.Var | None]:
        if depth >= _MAX_DEPTH:
            raise Unsupported(f"device-function calls nested deeper than {_MAX_DEPTH} (recursion?)", c.span)
        fn = self.functions.get(c.callee)
        if fn is None:
            raise Unsupported(f"call of {c.callee}, whose definition did not lower", c.span)
        pre: list[ir.Stmt] = []
        args = []
        for a in c.args:
            p, na = self.expr(a, depth)
            pre += p
            args.append(na)
        n = next(self.counter)
        prefix = f"{fn.name}{n}_"
        names = {p.name: prefix + p.name for p in fn.params}
        for node in ir.walk(fn.body):
            if isinstance(node, ir.VarDecl):
                names[node.name] = prefix + node.name
        body = _rename(fn.body, names)
        # `f(&local)` with `*p` (or p[0]) the only use of p: the body works on the local itself
        # (Triton has no addresses of registers)
        by_ref: set[str] = set()
        for prm, a in zip(fn.params, args, strict=True):
            if isinstance(a, ir.AddrOf) and isinstance(a.operand, ir.Var) and a.operand.kind == "local":
                swapped = _deref_to(body, names[prm.name], a.operand)
                if not any(isinstance(x, ir.Var) and x.name == names[prm.name] for x in ir.walk(swapped)):
                    body, _ = swapped, by_ref.add(prm.name)
        stmts = list(body.stmts)
        result: ir.Var | None = None
        if fn.return_type != VOID:
            result = ir.Var(c.span, fn.return_type, f"{fn.name}{n}_result", "local")
            pre.append(ir.VarDecl(c.span, result.name, fn.return_type))
        if stmts and isinstance(stmts[-1], ir.Return):
            last = stmts.pop()
            assert isinstance(last, ir.Return)
            if last.value is not None and result is not None:
                stmts.append(ir.Assign(last.span, result, "", last.value))
        if any(isinstance(x, ir.Return) for s in stmts for x in ir.walk(s)):
            raise Unsupported(f"device function {fn.name} returns before its end", fn.span)
        for p, a in zip(fn.params, args, strict=True):
            if p.name in by_ref:
                continue
            pre.append(ir.VarDecl(a.span, names[p.name], p.type, a))
        inner = Inliner(self.functions)
        inner.counter = self.counter
        pre.extend(inner.block(ir.Block(fn.body.span, tuple(stmts)), depth + 1).stmts)
        return pre, result if want_value else None


def _has_call(e: ir.Node) -> bool:
    return any(isinstance(n, ir.Call) for n in ir.walk(e))


def _rename(node: ir.Node, names: dict[str, str]):  # noqa: ANN202 - returns the node's own type
    changes = {}
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if isinstance(v, ir.Node):
            changes[f.name] = _rename(v, names)
        elif isinstance(v, tuple) and any(isinstance(i, ir.Node) for i in v):
            changes[f.name] = tuple(_rename(i, names) if isinstance(i, ir.Node) else i for i in v)
    if isinstance(node, ir.Var) and node.kind in ("local", "param") and node.name in names:
        changes["name"] = names[node.name]
        changes["kind"] = "local"
    if isinstance(node, ir.VarDecl) and node.name in names:
        changes["name"] = names[node.name]
    return ir.replace(node, **changes) if changes else node


def _deref_to(node: ir.Node, ptr: str, target: ir.Var):  # noqa: ANN202 - returns the node's own type
    """`node` with every `*ptr` and `ptr[0]` replaced by `target`."""
    if isinstance(node, ir.Deref) and isinstance(node.ptr, ir.Var) and node.ptr.name == ptr:
        return target
    if (isinstance(node, ir.Index) and isinstance(node.base, ir.Var) and node.base.name == ptr
            and isinstance(node.index, ir.IntLit) and node.index.value == 0):
        return target
    changes = {}
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if isinstance(v, ir.Node):
            changes[f.name] = _deref_to(v, ptr, target)
        elif isinstance(v, tuple) and any(isinstance(i, ir.Node) for i in v):
            changes[f.name] = tuple(_deref_to(i, ptr, target) if isinstance(i, ir.Node) else i for i in v)
    return ir.replace(node, **changes) if changes else node
