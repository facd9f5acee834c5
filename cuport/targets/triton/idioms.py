"""Idiomatic rules: recognised loop shapes replaced by one Triton reduction.

Ordered (name, rule) rows tried by the general lowering on every `for` loop before it lowers the
loop itself; a rule returns False to decline, True once it has emitted its replacement. A port
records the names of the rules that made it (`KernelPort.rules`).

- triton.idiom.block_reduce: the shared-memory tree
      for (s = C/2; s > 0; s >>= 1) { if (t < s) sh[t] op= sh[t + s]; __syncthreads(); }
  -> sh[0] = tl.sum/max/min(sh[0:C]) (C a power of two; the tree leaves only sh[0] defined).
- triton.idiom.warp_reduce: the shuffle ladder
      for (d = W/2; d > 0; d >>= 1) v op= __shfl_xor/down_sync(mask, v, d);
  -> one reduction per segment of W lanes, broadcast to every lane of the segment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cuport.ir import nodes as ir
from cuport.ir.types import Scalar

if TYPE_CHECKING:
    from cuport.targets.triton.lower import KernelLowering, LoweredKernel

_COMBINE = {"+": "sum", "fmax": "max", "max": "max", "fmin": "min", "min": "min"}


def const_int(e: ir.Expr | None) -> int | None:
    if isinstance(e, ir.IntLit):
        return e.value
    if isinstance(e, ir.Cast):
        return const_int(e.operand)
    if isinstance(e, ir.Binary):
        a, b = const_int(e.lhs), const_int(e.rhs)
        if a is None or b is None:
            return None
        ops: dict[str, Callable[[int, int], int]] = {"+": lambda x, y: x + y, "-": lambda x, y: x - y,
                                                   "*": lambda x, y: x * y, "/": lambda x, y: x // y if y else 0}
        return ops[e.op](a, b) if e.op in ops else None
    return None


def _strip(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.operand
    return e


def _halving(s: ir.For) -> tuple[str, int] | None:
    """(counter, start) of `for (int c = start; c > 0; c >>= 1 | c /= 2)`."""
    if len(s.init) != 1 or len(s.step) != 1 or not isinstance(s.init[0], ir.VarDecl):
        return None
    decl, step, cond = s.init[0], s.step[0], s.cond
    start = const_int(decl.init)
    if start is None or start < 1 or start & (start - 1):
        return None
    if not (isinstance(cond, ir.Compare) and cond.op == ">" and _is_var(cond.lhs, decl.name) and const_int(cond.rhs) == 0):
        return None
    if not (isinstance(step, ir.Assign) and _is_var(step.target, decl.name)):
        return None
    if not ((step.op == ">>" and const_int(step.value) == 1) or (step.op == "/" and const_int(step.value) == 2)):
        return None
    return decl.name, start


def _is_var(e: ir.Expr, name: str) -> bool:
    e = _strip(e)
    return isinstance(e, ir.Var) and e.name == name


def _combine(assign: ir.Stmt, target: Callable[[ir.Expr], bool], other: Callable[[ir.Expr], bool]) -> str | None:
    """The reduction of `x op= y` / `x = f(x, y)` with target(x) and other(y), else None."""
    if not isinstance(assign, ir.Assign) or not target(assign.target):
        return None
    if assign.op == "+" and other(assign.value):
        return "sum"
    if assign.op == "":
        v = _strip(assign.value)
        if isinstance(v, ir.MathCall) and v.op in _COMBINE and len(v.args) == 2:
            a, b = v.args
            if (target(_strip(a)) and other(_strip(b))) or (target(_strip(b)) and other(_strip(a))):
                return _COMBINE[v.op]
    return None


def block_reduce(low: KernelLowering, s: ir.For) -> bool:
    h = _halving(s)
    if h is None:
        return False
    counter, start = h
    body = [st for st in s.body.stmts]
    if len(body) != 2 or not isinstance(body[0], ir.If) or body[0].orelse is not None:
        return False
    barrier = body[1]
    if not (isinstance(barrier, ir.ExprStmt) and isinstance(barrier.expr, ir.Barrier) and barrier.expr.kind == "syncthreads"):
        return False
    guard = body[0]
    cond = guard.cond
    if not (isinstance(cond, ir.Compare) and cond.op == "<" and _is_var(cond.rhs, counter)):
        return False
    lane = _strip(cond.lhs)
    if not _is_thread_index(low, lane) or len(guard.then.stmts) != 1:
        return False
    shared: list[str] = []

    def at_lane(e: ir.Expr) -> bool:
        e = _strip(e)
        ok = isinstance(e, ir.Index) and isinstance(e.base, ir.Var) and e.base.kind == "shared" and _same(e.index, lane)
        if ok:
            assert isinstance(e, ir.Index) and isinstance(e.base, ir.Var)
            shared.append(e.base.name)
        return ok

    def at_partner(e: ir.Expr) -> bool:
        e = _strip(e)
        if not (isinstance(e, ir.Index) and isinstance(e.base, ir.Var) and e.base.kind == "shared"):
            return False
        i = _strip(e.index)
        return isinstance(i, ir.Binary) and i.op == "+" and _same(i.lhs, lane) and _is_var(i.rhs, counter)

    op = _combine(guard.then.stmts[0], at_lane, at_partner)
    if op is None or len(set(shared)) != 1:
        return False
    sh = low.name(shared[0])
    count = 2 * start
    low.out.add(f"# block reduction (shared-memory tree over {count} values) as one tl.{op}")
    low.out.add("tl.debug_barrier()")
    total = f"tl.{op}(tl.load({sh} + tl.arange(0, {count})), 0)"
    if low.full:
        low.out.add(f"tl.store({sh}, {total})")
    else:
        low.helpers.add("any")
        low.out.add(f"tl.store({sh}, {total}, mask=_any({low.mask}))")
    low.out.add("tl.debug_barrier()")
    low.rules.append("triton.idiom.block_reduce")
    return True


def _same(a: ir.Expr, b: ir.Expr) -> bool:
    return _strip(a) == _strip(b)


def _is_thread_index(low: KernelLowering, e: ir.Expr) -> bool:
    """threadIdx.x itself, or a local never reassigned whose value is threadIdx.x."""
    if isinstance(e, ir.ThreadIdx):
        return e.axis == "x"
    if not isinstance(e, ir.Var):
        return False
    decls = [n for n in ir.walk(low.k.body) if isinstance(n, ir.VarDecl) and n.name == e.name]
    writes = [n for n in ir.walk(low.k.body) if isinstance(n, ir.Assign) and _is_var(n.target, e.name)]
    if len(decls) != 1 or writes or decls[0].init is None:
        return False
    init = _strip(decls[0].init)
    return isinstance(init, ir.ThreadIdx) and init.axis == "x"


def warp_reduce(low: KernelLowering, s: ir.For) -> bool:
    h = _halving(s)
    if h is None or len(s.body.stmts) != 1:
        return False
    counter, start = h
    width = 2 * start
    if width > 32:
        return False
    stmt = s.body.stmts[0]
    if not isinstance(stmt, ir.Assign) or not isinstance(stmt.target, ir.Var):
        return False
    name = stmt.target.name

    def is_v(e: ir.Expr) -> bool:
        return _is_var(e, name)

    def is_shfl(e: ir.Expr) -> bool:
        e = _strip(e)
        if not (isinstance(e, ir.WarpShuffle) and e.kind in ("xor", "down") and is_v(e.value) and _is_var(e.lane, counter)):
            return False
        w = 32 if e.width is None else const_int(e.width)
        return w is not None and w >= width

    op = _combine(stmt, is_v, is_shfl)
    if op is None or not isinstance(stmt.target.type, Scalar):
        return False
    v = low.name(name)
    low.min_block = max(low.min_block, 32)
    low.helpers.add("segment")
    low.out.add(f"# warp reduction (shuffle ladder over {width} lanes) as one tl.{op} per segment")
    new = f"_segment_{op}({v}, {width}, BLOCK)"
    if name in low.u.varying and not low.full:
        low.out.add(f"{v} = tl.where({low.mask}, {new}, {v})")
    else:
        low.out.add(f"{v} = {new}")
    low.rules.append("triton.idiom.warp_reduce")
    return True


def _doubling(s: ir.For) -> tuple[str, int] | None:
    """(counter, bound) of `for (int c = 1; c < bound; c <<= 1 | c *= 2)`, bound a power of two."""
    if len(s.init) != 1 or len(s.step) != 1 or not isinstance(s.init[0], ir.VarDecl):
        return None
    decl, step, cond = s.init[0], s.step[0], s.cond
    if const_int(decl.init) != 1:
        return None
    if not (isinstance(cond, ir.Compare) and cond.op == "<" and _is_var(cond.lhs, decl.name)):
        return None
    bound = const_int(cond.rhs)
    if bound is None or bound < 2 or bound & (bound - 1):
        return None
    if not (isinstance(step, ir.Assign) and _is_var(step.target, decl.name)):
        return None
    if not ((step.op == "<<" and const_int(step.value) == 1) or (step.op == "*" and const_int(step.value) == 2)):
        return None
    return decl.name, bound


def _is_lane(low: KernelLowering, e: ir.Expr) -> bool:
    """A local never reassigned whose value is threadIdx.x & 31 or threadIdx.x % 32."""
    e = _strip(e)
    if not isinstance(e, ir.Var):
        return False
    decls = [n for n in ir.walk(low.k.body) if isinstance(n, ir.VarDecl) and n.name == e.name]
    writes = [n for n in ir.walk(low.k.body) if isinstance(n, ir.Assign) and _is_var(n.target, e.name)]
    if len(decls) != 1 or writes or decls[0].init is None:
        return False
    init = _strip(decls[0].init)
    return (isinstance(init, ir.Binary) and _is_thread_index(low, _strip(init.lhs))
            and ((init.op == "&" and const_int(init.rhs) == 31) or (init.op == "%" and const_int(init.rhs) == 32)))


def warp_scan(low: KernelLowering, s: ir.For) -> bool:
    """triton.idiom.scan (warp): the shuffle-up ladder
        for (o = 1; o < C; o <<= 1) { T up = __shfl_up_sync(m, v, o); if (lane >= o) v += up; }
    -> one inclusive scan per warp (a window of C lanes when C < 32)."""
    d = _doubling(s)
    if d is None or len(s.body.stmts) != 2:
        return False
    counter, bound = d
    decl, guard = s.body.stmts
    if bound > 32 or not isinstance(decl, ir.VarDecl) or decl.init is None or not isinstance(guard, ir.If):
        return False
    shfl = _strip(decl.init)
    if not (isinstance(shfl, ir.WarpShuffle) and shfl.kind == "up" and _is_var(shfl.lane, counter)):
        return False
    if shfl.width is not None and const_int(shfl.width) != 32:
        return False
    v = _strip(shfl.value)
    if not isinstance(v, ir.Var) or not isinstance(v.type, Scalar) or v.kind != "local":
        return False
    cond = guard.cond
    if guard.orelse is not None or len(guard.then.stmts) != 1:
        return False
    if not (isinstance(cond, ir.Compare) and cond.op == ">=" and _is_lane(low, cond.lhs) and _is_var(cond.rhs, counter)):
        return False
    add = guard.then.stmts[0]
    if not (isinstance(add, ir.Assign) and add.op == "+" and _is_var(add.target, v.name) and _is_var(add.value, decl.name)):
        return False
    name = low.name(v.name)
    low.min_block = max(low.min_block, 32)
    low.helpers.add("scan")
    what = "inclusive scan per warp" if bound == 32 else f"sum of the last {bound} lanes per warp"
    low.out.add(f"# warp scan (shuffle-up ladder over offsets 1..{bound // 2}) as one tl.cumsum: {what}")
    new = f"_warp_window_sum({name}, {bound}, BLOCK)"
    if v.name in low.u.varying and not low.full:
        low.out.add(f"{name} = tl.where({low.mask}, {new}, {name})")
    else:
        low.out.add(f"{name} = {new}")
    low.rules.append("triton.idiom.scan")
    return True


LOOP_RULES: tuple[tuple[str, Callable[[KernelLowering, ir.For], bool]], ...] = (
    ("triton.idiom.block_reduce", block_reduce),
    ("triton.idiom.warp_reduce", warp_reduce),
    ("triton.idiom.scan", warp_scan),
)


def _elementwise(kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    from cuport.targets.triton import elementwise

    return elementwise.lower(kernel, globals_, jit_name)


def _matmul(kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    from cuport.targets.triton import matmul

    return matmul.lower(kernel, globals_, jit_name)


def _dot_product(kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    from cuport.targets.triton import matmul

    return matmul.lower_dot_product(kernel, globals_, jit_name)


def _block_scan(kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    from cuport.targets.triton import scan

    return scan.lower(kernel, globals_, jit_name)


def _rows(kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    from cuport.targets.triton import rows

    return rows.lower(kernel, globals_, jit_name)


# whole-kernel rules, tried in order before the general lowering; each returns None to decline
KERNEL_RULES: tuple[tuple[str, Callable[[ir.Kernel, dict[str, ir.GlobalVar], str], LoweredKernel | None]], ...] = (
    ("triton.idiom.elementwise", _elementwise),
    ("triton.idiom.matmul", _matmul),
    ("triton.idiom.matmul", _dot_product),
    ("triton.idiom.scan", _block_scan),
    ("triton.idiom.rows", _rows),
)


def apply(kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    """The first whole-kernel rule that matches, or None (then the general lowering runs)."""
    for _, rule in KERNEL_RULES:
        out = rule(kernel, globals_, jit_name)
        if out is not None:
            return out
    return None
