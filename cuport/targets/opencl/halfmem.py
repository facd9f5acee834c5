"""Half precision as storage only: loads and stores of `__half`/`__half2` become vload_half/vstore_half.

OpenCL C without cl_khr_fp16 (PoCL's CPU device among them) can hold `half` in memory but not
compute with it; core OpenCL converts on the way in and out. Most CUDA fp16 kernels do exactly
that: `__half2float(x[i])` and `y[i] = __float2half(f)` around float arithmetic, so

- a half -> float conversion of a load `p[i]` becomes `vload_half(i, p)` (`vload_half2` for
  `__half2`, whose pointers are retyped to `half*`: vload_halfn counts in n-element steps);
- a store of a float -> half conversion `p[i] = __float2half(f)` becomes `vstore_half_rte(f, i, p)`
  (round to nearest even, as __float2half; two floats for `__half2` are packed into a float2).

The conversions are found by their types, not their names. When other half values remain (half
arithmetic, a half local), `lower_half_in_float` holds them in float instead and rounds every half
result of + - * / back to half (exact, see there); what that cannot express (other half
operations, a half kernel argument by value) is refused with CO001: never emitted wrong.
"""

from __future__ import annotations

from functools import cache

from cuport.diagnostics import diag
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.math_table import math_table
from cuport.targets.opencl.rewrite import transform

LOADS_STORES = ("vload_half", "vstore_half", "cuport_half_round")


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
    fn = _count_in_halves(fn)

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
    stray = _stray_half(new)
    if stray is None:
        return new  # type: ignore[return-value]
    in_float = lower_half_in_float(fn)
    if isinstance(in_float, str) or (stray_f := _stray_half(in_float)) is not None:
        why = in_float if isinstance(in_float, str) else "a half-precision value of an unsupported kind"
        raise NotPortable(diag("CO001", (stray if isinstance(in_float, str) else stray_f).span,
                               reason=f"{why} (OpenCL C without cl_khr_fp16 only stores halves)"))
    return in_float


def _pair_width(ty: t.Type) -> int:
    """n for a pointer to a vector of n halves (retyped to `half*` below), else 0."""
    return _half_width(ty.pointee) if isinstance(ty, t.Pointer) and isinstance(ty.pointee, t.Vector) else 0


def _count_in_halves(fn: ir.Kernel | ir.DeviceFunction) -> ir.Kernel | ir.DeviceFunction:
    """Pointer arithmetic on `__half2*` restated in halves, while the types still say half2: the
    pointers become `half*`, so `p + i` must step 2 * i (vload_half2(i, p) already counts pairs)."""

    def times(e: ir.Expr, w: int) -> ir.Expr:
        return ir.Binary(e.span, e.type, "*", e, ir.IntLit(e.span, e.type, w))

    def fix(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.PtrAdd) and (w := _pair_width(n.ptr.type)):
            return ir.replace(n, offset=times(n.offset, w))
        if isinstance(n, ir.AddrOf) and isinstance(n.operand, ir.Index) and (w := _pair_width(n.operand.base.type)):
            return ir.PtrAdd(n.span, n.type, "+", n.operand.base, times(n.operand.index, w))
        if isinstance(n, ir.Assign) and n.op in ("+", "-") and (w := _pair_width(n.target.type)):
            return ir.replace(n, value=times(n.value, w))
        if isinstance(n, ir.PtrDiff) and (w := _pair_width(n.lhs.type)):
            return ir.Binary(n.span, n.type, "/", n, ir.IntLit(n.span, n.type, w))  # pairs apart, exactly
        if isinstance(n, ir.VarDecl) and _pair_width(n.var_type):
            return ir.replace(n, var_type=_storage(n.var_type))
        return n

    return transform(fn, fix)  # type: ignore[return-value]


def _stray_half(fn: ir.Node) -> ir.Node | None:
    """A node still holding a half value (pointers to halves are fine: storage)."""
    for n in ir.walk(fn):
        ty = n.var_type if isinstance(n, ir.VarDecl | ir.SharedDecl) else getattr(n, "type", None)
        if isinstance(n, ir.Param | ir.Var) and isinstance(ty, t.Pointer):
            continue
        if ty is not None and (_half_width(ty) or (isinstance(ty, t.Array) and _half_width(ty.elem))) and not (
                isinstance(n, ir.SharedDecl)):
            return n
    return None


def _pointee(n: ir.Node) -> t.Type:
    ty = getattr(n, "type", None)
    return ty.pointee if isinstance(ty, t.Pointer) else t.VOID


# --- half arithmetic computed in float -----------------------------------------------------------
# When storage-only lowering refuses, half values may still live in float registers: every half
# result of + - * / is rounded to half again (cuport_half_round), which is exact: float's 24-bit
# significand is more than 2*11+2 bits, so rounding the float result to half equals rounding the
# exact result once (the classic double-rounding bound). Other half operations stay refused.
ROUND = "cuport_half_round"
_EXACT_OPS = {"+", "-", "*", "/"}
_MATH_OPS = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def _as_float(ty: t.Type) -> t.Type:
    width = _half_width(ty)
    if not width:
        return ty
    return t.F32 if width == 1 else t.Vector(t.F32, width)


def _round(e: ir.Expr) -> ir.Expr:
    width = _float_width(e.type)
    return ir.Call(e.span, e.type, f"{ROUND}{_suffix(width)}", (e,))


def lower_half_in_float(fn: ir.Kernel | ir.DeviceFunction) -> ir.Kernel | ir.DeviceFunction | str:
    """`fn` with half values held in float, or why not (a reason for CO001)."""
    why: list[str] = []
    halves = {n.name for n in ir.walk(fn) if isinstance(n, ir.VarDecl | ir.Param)
              and _half_width(n.var_type if isinstance(n, ir.VarDecl) else n.type)}
    if isinstance(fn, ir.Kernel) and any(_half_width(p.type) for p in fn.params):
        return "a half-precision kernel argument passed by value"

    def fix(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.Index | ir.Deref) and _half_width(n.type):
            addr = _address(n)
            if addr is None or not isinstance(addr[0].type, t.Pointer):
                why.append("a half-precision array that is not a pointer")
                return n
            return ir.Call(n.span, _as_float(n.type), f"vload_half{_suffix(_half_width(n.type))}", (addr[1], addr[0]))
        if isinstance(n, ir.Assign) and isinstance(n.target, ir.Call) and n.target.callee.startswith("vload_half"):
            index, ptr = n.target.args
            value = n.value
            if n.op:
                if n.op not in _EXACT_OPS:
                    why.append(f"the half-precision compound assignment {n.op}=")
                    return n
                value = _round(ir.Binary(n.span, n.target.type, n.op, n.target, value))  # type: ignore[arg-type]
            suffix = n.target.callee.removeprefix("vload_half")
            return ir.ExprStmt(n.span, ir.Call(n.span, t.VOID, f"vstore_half{suffix}_rte", (value, index, ptr)))
        if isinstance(n, ir.Binary) and _half_width(n.type):
            if n.op not in _EXACT_OPS:
                why.append(f"the half-precision operator {n.op}")
                return n
            return _round(ir.replace(n, type=_as_float(n.type)))
        # arguments are float already (bottom-up): a half result needs rounding, a float or integer
        # result of exact half inputs (comparisons, conversions) is the same computed in float
        if isinstance(n, ir.MathCall) and n.name in _half_rows() and all(_float_width(a.type) for a in n.args):
            if n.op in _COMPARE:
                return _compare(n, *n.args)
            if n.op in _LANE and _float_width(n.args[0].type) == 2:
                return ir.Member(n.span, t.F32, n.args[0], _LANE[n.op])  # __low2half: a lane, exact
        if isinstance(n, ir.MathCall) and (n.op == "h2f" or _half_width(n.type)):
            return _math(n, why)
        if isinstance(n, ir.Cast) and _half_width(n.type):
            if not (_float_width(n.operand.type) or _half_width(n.operand.type)):
                why.append(f"a conversion of {t.type_name(n.operand.type)} to half precision")
                return n
            return _round(ir.replace(n, type=_as_float(n.type)))
        if isinstance(n, ir.FloatLit) and _half_width(n.type):
            return ir.replace(n, type=t.F32)  # a half literal is exactly a float
        if isinstance(n, ir.VarDecl) and _half_width(n.var_type):
            return ir.replace(n, var_type=_as_float(n.var_type))
        if isinstance(n, ir.Param) and _half_width(n.type):
            return ir.replace(n, type=_as_float(n.type))
        if isinstance(n, ir.Assign) and n.op and isinstance(n.target, ir.Var) and n.target.name in halves:
            if n.op not in _EXACT_OPS:
                why.append(f"the half-precision compound assignment {n.op}=")
                return n
            value = _round(ir.Binary(n.span, n.target.type, n.op, n.target, n.value))  # type: ignore[arg-type]
            return ir.replace(n, op="", value=value)
        if isinstance(n, ir.Expr) and _half_width(n.type):
            return ir.replace(n, type=_as_float(n.type))  # variables, selects, members, calls, vectors
        if isinstance(n, ir.Var | ir.Param | ir.Cast) and isinstance(getattr(n, "type", None), t.Pointer):
            return ir.replace(n, type=_storage(n.type))  # type: ignore[attr-defined]
        return n

    new = transform(fn, fix)
    if isinstance(new, ir.DeviceFunction) and _half_width(new.return_type):
        new = ir.replace(new, return_type=_as_float(new.return_type))
    return why[0] if why else new  # type: ignore[return-value]


# half comparisons (exact in float: halves convert exactly), as OpenCL's relational built-ins,
# which are false on NaN like CUDA's: __hne is the ordered islessgreater, not !=
_COMPARE = {"eq": "isequal", "ne": "islessgreater", "lt": "isless", "le": "islessequal",
            "gt": "isgreater", "ge": "isgreaterequal"}
_LANE = {"low": "x", "high": "y", "low_f32": "x", "high_f32": "y"}
RELATIONS = frozenset([*_COMPARE.values(), "select"])  # OpenCL built-ins these calls name


@cache
def _half_rows() -> frozenset[str]:
    """Math functions taking half words ("H", "H2"): their float arguments were halves."""
    return frozenset(name for name, row in math_table().items() if set(row["args"]) & {"H", "H2", "f16x2"})


def _compare(n: ir.MathCall, a: ir.Expr, b: ir.Expr) -> ir.Expr:
    width = _float_width(a.type)
    if width == 1:
        return ir.Call(n.span, n.type, _COMPARE[n.op], (a, b))  # __hgt: an int 1 or 0 as the bool
    # __hgt2: 1.0 or 0.0 per lane; a vector relation is -1 (all bits set) where it holds and
    # select() picks by each lane's top bit
    ft = _as_float(n.type)
    holds = ir.Call(n.span, t.Vector(t.I32, width), _COMPARE[n.op], (a, b))
    zero, one = (ir.Cast(n.span, ft, ir.FloatLit(n.span, t.F32, v)) for v in (0.0, 1.0))
    return ir.Call(n.span, ft, "select", (zero, one, holds))


def _math(n: ir.MathCall, why: list[str]) -> ir.Expr:
    args = [a for a in n.args if a is not None]
    if n.op == "h2f" and len(args) == 1:
        return args[0]  # already float
    if n.op == "f2h" and len(args) == 1 and _float_width(args[0].type):
        return _round(args[0])
    if n.op in _MATH_OPS and len(args) == 2 and _half_width(n.type):
        return _round(ir.Binary(n.span, _as_float(n.type), _MATH_OPS[n.op], args[0], args[1]))  # type: ignore[arg-type]
    if n.op == "splat" and len(args) == 1 and _float_width(args[0].type) == 1 and _half_width(n.type):
        # __float2half2_rn: OpenCL's scalar-to-vector cast repeats the float in every lane, and
        # vstore_half_rte rounds it to nearest even exactly as __float2half_rn does
        return _round(ir.Cast(n.span, _as_float(n.type), args[0]))
    why.append(f"the half-precision function {n.name}")
    return n
