"""Half precision as storage only: loads and stores of `__half`/`__half2` become vload_half/vstore_half.

OpenCL C without cl_khr_fp16 (PoCL's CPU device among them) can hold `half` in memory but not
compute with it; core OpenCL converts on the way in and out. Most CUDA fp16 kernels do exactly
that: `__half2float(x[i])` and `y[i] = __float2half(f)` around float arithmetic, so

- a half -> float conversion of a load `p[i]` becomes `vload_half(i, p)` (`vload_half2` for
  `__half2`, whose pointers are retyped to `half*`: vload_halfn counts in n-element steps);
- a store of a float -> half conversion `p[i] = __float2half(f)` becomes `vstore_half_rte(f, i, p)`
  (round to nearest even, as __float2half; two floats for `__half2` are packed into a float2).

The conversions are found by their types, not their names. Any other half value (half arithmetic,
a half local, a half passed by value) is refused with CO001: never emitted wrong.
"""

from __future__ import annotations

from cuport.diagnostics import diag
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.targets.opencl.rewrite import transform

LOADS_STORES = ("vload_half", "vstore_half")


def _half_width(ty: t.Type) -> int:
    """1 for half, n for a vector of n halves, 0 otherwise."""
    if isinstance(ty, t.Scalar) and ty.kind == t.ScalarKind.F16:
        return 1
    if isinstance(ty, t.Vector) and ty.elem.kind == t.ScalarKind.F16:
        return ty.count
    return 0


def _float_width(ty: t.Type) -> int:
    if isinstance(ty, t.Scalar) and ty.kind == t.ScalarKind.F32:
        return 1
    if isinstance(ty, t.Vector) and ty.elem.kind == t.ScalarKind.F32:
        return ty.count
    return 0


def _address(e: ir.Expr) -> tuple[ir.Expr, ir.Expr] | None:
    """(pointer, index) of a half load or store target `p[i]` / `*p`."""
    if isinstance(e, ir.Index) and isinstance(e.base.type, t.Pointer | t.Array):
        return e.base, e.index
    if isinstance(e, ir.Deref):
        return e.ptr, ir.IntLit(e.span, t.I32, 0)
    return None


def _suffix(width: int) -> str:
    return "" if width == 1 else str(width)


def _storage(ty: t.Type) -> t.Type:
    """`__half2*` -> `half*` (vload_half2 takes a pointer to halves)."""
    if isinstance(ty, t.Pointer) and isinstance(ty.pointee, t.Vector) and _half_width(ty.pointee):
        return ir.replace(ty, pointee=ty.pointee.elem)  # type: ignore[type-var]
    return ty


def lower_half_memory(fn: ir.Kernel | ir.DeviceFunction) -> ir.Kernel | ir.DeviceFunction:
    from cuport.targets.opencl.legalize import NotPortable

    if not any(_half_width(getattr(n, "type", None) or t.VOID) or _half_width(_pointee(n)) for n in ir.walk(fn)):
        return fn

    def fix(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.MathCall) and len(n.args) == 1 and _float_width(n.type):
            width = _half_width(n.args[0].type)
            addr = _address(n.args[0])
            if width and width == _float_width(n.type) and addr is not None:
                ptr, index = addr
                return ir.Call(n.span, n.type, f"vload_half{_suffix(width)}", (index, ptr))
        if isinstance(n, ir.Assign) and n.op == "" and isinstance(n.value, ir.MathCall):
            width = _half_width(n.target.type)
            addr = _address(n.target)
            args = n.value.args
            if width and addr is not None and _half_width(n.value.type) == width and all(_float_width(a.type) for a in args):
                if len(args) == 1 and _float_width(args[0].type) == width:
                    value = args[0]
                elif len(args) == width and all(_float_width(a.type) == 1 for a in args):
                    value = ir.MakeVector(n.span, t.Vector(t.F32, width), args)
                else:
                    return n
                ptr, index = addr
                store = ir.Call(n.span, t.VOID, f"vstore_half{_suffix(width)}_rte", (value, index, ptr))
                return ir.ExprStmt(n.span, store)
        if isinstance(n, ir.Var | ir.Param | ir.Cast) and isinstance(getattr(n, "type", None), t.Pointer):
            return ir.replace(n, type=_storage(n.type))  # type: ignore[attr-defined]
        return n

    new = transform(fn, fix)
    for n in ir.walk(new):
        ty = n.var_type if isinstance(n, ir.VarDecl | ir.SharedDecl) else getattr(n, "type", None)
        if isinstance(n, ir.Param | ir.Var) and isinstance(ty, t.Pointer):
            continue
        if ty is not None and (_half_width(ty) or (isinstance(ty, t.Array) and _half_width(ty.elem))) and not (
                isinstance(n, ir.SharedDecl)):
            raise NotPortable(diag("CO001", n.span, reason="a half-precision value used other than loaded into float or "
                                   "stored from float (OpenCL C without cl_khr_fp16 only stores halves)"))
    return new  # type: ignore[return-value]


def _pointee(n: ir.Node) -> t.Type:
    ty = getattr(n, "type", None)
    return ty.pointee if isinstance(ty, t.Pointer) else t.VOID
