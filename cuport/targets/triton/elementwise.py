"""triton.idiom.elementwise: one-thread-per-element kernels as wide vector blocks.

Recognised shapes (i the global index `blockIdx.x * blockDim.x + threadIdx.x`, n a parameter):

    T i = gid; if (i < n) { body }                      (guard)
    T i = gid; if (i >= n) return; body                 (guard)
    for (T i = gid; i < n; i += blockDim.x * gridDim.x) body      (grid-stride; the stride may be
                                                                  a local declared just before)

where the body reads no thread, block or grid built-in, no shared memory, barrier or warp
operation, has no per-thread array, never leaves early and never writes i. Then every element is
independent, so one Triton program covers ELEMS consecutive elements whatever the CUDA block
size: `i = pid * ELEMS + tl.arange(0, ELEMS)`, mask `i < limit`. The launcher keeps the CUDA
signature and computes the grid from n: the guard form covers min(n, CUDA threads) elements (the
threads that exist and pass the guard), the grid-stride form covers n whatever the CUDA grid.
Anything else declines (None) and the general lowering runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cuport.ir import nodes as ir
from cuport.ir.types import Array, Pointer, Scalar
from cuport.targets.triton.lower import KernelLowering, LoweredKernel
from cuport.targets.triton.types import tl_dtype

# elements per program: wide enough to amortise a program (1 ms under the interpreter) and to
# give a GPU long vectorised accesses
ELEMS = 1024

_NOT_IN_BODY = (ir.ThreadIdx, ir.BlockIdx, ir.BlockDim, ir.GridDim, ir.SharedDecl, ir.Barrier, ir.WarpShuffle,
                ir.WarpVote, ir.WarpReduce, ir.Return, ir.Break, ir.Continue)


def _strip(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.operand
    return e


def _product(e: ir.Expr, a: type, b: type) -> bool:
    """`a.x * b.x` in either order (casts ignored)."""
    e = _strip(e)
    if not (isinstance(e, ir.Binary) and e.op == "*"):
        return False
    lhs, rhs = _strip(e.lhs), _strip(e.rhs)
    pair = {type(lhs), type(rhs)}
    return pair == {a, b} and all(getattr(x, "axis", None) == "x" for x in (lhs, rhs))


def _is_gid(e: ir.Expr) -> bool:
    """blockIdx.x * blockDim.x + threadIdx.x, in any order of the operands."""
    e = _strip(e)
    if not (isinstance(e, ir.Binary) and e.op == "+"):
        return False
    for prod, t in ((e.lhs, e.rhs), (e.rhs, e.lhs)):
        t = _strip(t)
        if isinstance(t, ir.ThreadIdx) and t.axis == "x" and _product(prod, ir.BlockIdx, ir.BlockDim):
            return True
    return False


def _is_var(e: ir.Expr, name: str) -> bool:
    e = _strip(e)
    return isinstance(e, ir.Var) and e.name == name


@dataclass
class _Match:
    index: ir.VarDecl
    bound: ir.Param
    body: list[ir.Stmt]
    stride: bool


def _bound(k: ir.Kernel, cond: ir.Expr | None, index: str, op: str) -> ir.Param | None:
    if not (isinstance(cond, ir.Compare) and cond.op == op and _is_var(cond.lhs, index)):
        return None
    n = _strip(cond.rhs)
    if not isinstance(n, ir.Var) or n.kind != "param":
        return None
    p = next((p for p in k.params if p.name == n.name), None)
    return p if p is not None and isinstance(p.type, Scalar) and p.type.kind.is_integer else None


def match(k: ir.Kernel) -> _Match | None:
    stmts = list(k.body.stmts)
    if not stmts:
        return None
    first = stmts[0]
    if isinstance(first, ir.VarDecl) and first.init is not None and _is_gid(first.init) and len(stmts) >= 2:
        guard = stmts[1]
        if not isinstance(guard, ir.If):
            return None
        if len(stmts) == 2 and guard.orelse is None:
            bound = _bound(k, guard.cond, first.name, "<")
            return _Match(first, bound, list(guard.then.stmts), False) if bound else None
        if guard.orelse is None and len(guard.then.stmts) == 1 and isinstance(guard.then.stmts[0], ir.Return):
            bound = _bound(k, guard.cond, first.name, ">=")
            return _Match(first, bound, stmts[2:], False) if bound else None
        return None
    stride_var = None
    if isinstance(first, ir.VarDecl) and first.init is not None and _product(first.init, ir.BlockDim, ir.GridDim):
        stride_var = first.name
        stmts = stmts[1:]
    if len(stmts) != 1 or not isinstance(stmts[0], ir.For):
        return None
    loop = stmts[0]
    if len(loop.init) != 1 or len(loop.step) != 1 or not isinstance(loop.init[0], ir.VarDecl):
        return None
    decl, step = loop.init[0], loop.step[0]
    if decl.init is None or not _is_gid(decl.init):
        return None
    if not (isinstance(step, ir.Assign) and step.op == "+" and _is_var(step.target, decl.name)):
        return None
    if not (_product(step.value, ir.BlockDim, ir.GridDim) or (stride_var is not None and _is_var(step.value, stride_var))):
        return None
    if stride_var is not None and any(isinstance(n, ir.Var) and n.name == stride_var for n in ir.walk(loop.body)):
        return None
    bound = _bound(k, loop.cond, decl.name, "<")
    return _Match(decl, bound, list(loop.body.stmts), True) if bound else None


def _body_ok(m: _Match) -> bool:
    for s in m.body:
        for n in ir.walk(s):
            if isinstance(n, _NOT_IN_BODY):
                return False
            if isinstance(n, ir.VarDecl) and isinstance(n.var_type, Array):
                return False
            if isinstance(n, ir.Assign) and _is_var(n.target, m.index.name):
                return False
            if isinstance(n, ir.AddrOf) and _is_var(n.operand, m.index.name):
                return False
    return True


class ElementwiseLowering(KernelLowering):
    def __init__(self, kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str, m: _Match) -> None:
        super().__init__(kernel, globals_, jit_name)
        self.m = m
        self.rules = ["triton.idiom.elementwise"]

    def lower_body(self) -> None:
        i = self.name(self.m.index.name)
        t = self.m.index.var_type
        wide = isinstance(t, Scalar) and t.kind.bits == 64
        pid = "tl.program_id(0).to(tl.int64)" if wide else "tl.program_id(0)"
        what = "grid-stride loop" if self.m.stride else "one thread per element"
        self.out.add(f"# elementwise ({what}): each program covers ELEMS consecutive elements")
        index = f"{pid} * ELEMS + tl.arange(0, ELEMS)"
        if isinstance(t, Scalar) and t.kind.is_integer and not t.kind.is_signed:
            # the declared unsigned type: Triton refuses / and % across signedness
            index = f"({index}).to({tl_dtype(t)})"
        self.out.add(f"{i} = {index}")
        self.out.add(f"active = {i} < limit")
        for s in self.m.body:
            self.stmt(s)

    def head(self, uses_scratch: bool) -> list[str]:
        return []

    def extra_params(self) -> list[str]:
        return ["limit"]

    def constexprs(self) -> str:
        return "ELEMS: tl.constexpr"

    def launch_info(self) -> dict[str, str] | None:
        return {"kind": "elementwise", "bound": self.name(self.m.bound.name), "form": "stride" if self.m.stride else "guard",
                "elems": str(ELEMS)}


def lower(k: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    m = match(k)
    if m is None or not _body_ok(m) or isinstance(m.index.var_type, Pointer):
        return None
    out = ElementwiseLowering(k, globals_, jit_name, m).lower()
    # the general statement lowering writes vector shapes as [BLOCK]: here the vector is ELEMS wide
    source = out.source.replace("[BLOCK]", "[ELEMS]")
    if out.uses_scratch or out.min_block > 1 or re.search(r"\bBLOCK\w*|\btid\b", source):
        return None  # something in the body still assumed CUDA blocks
    return replace(out, source=source)
