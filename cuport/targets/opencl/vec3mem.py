"""Three-element vectors in memory: CUDA's float3 is 12 bytes, OpenCL's 16, so buffers of them are
read and written through the element type with vload3/vstore3.

Pointers to `T3` become pointers to `T`; a load `p[i]` becomes `vload3(i, p)`, a store `p[i] = v`
`vstore3(v, i, p)`, a store to one lane `p[i].y = s` a scalar store `p[3 * i + 1] = s`. Anything
else that needs the 16-byte layout (a compound assignment of a whole element, `&p[i]`, pointer
arithmetic on the vector pointer) is refused with CO001. `__shared__` and private T3 values never
reach the host, so they keep OpenCL's own layout.
"""

from __future__ import annotations

from cuport.diagnostics import diag
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.targets.opencl.rewrite import transform

_LANES = {"x": 0, "y": 1, "z": 2}


def _is_vec3_ptr(ty: t.Type | None) -> bool:
    return isinstance(ty, t.Pointer) and isinstance(ty.pointee, t.Vector) and ty.pointee.count == 3 and (
        ty.space != t.AddrSpace.SHARED)


def _flat(ty: t.Type) -> t.Type:
    assert isinstance(ty, t.Pointer) and isinstance(ty.pointee, t.Vector)
    return ir.replace(ty, pointee=ty.pointee.elem)  # type: ignore[type-var]


def lower_vec3_memory(fn: ir.Kernel | ir.DeviceFunction) -> ir.Kernel | ir.DeviceFunction:
    from cuport.targets.opencl.legalize import NotPortable

    if not any(_is_vec3_ptr(getattr(n, "type", None)) or _is_vec3_ptr(getattr(n, "var_type", None))
               for n in ir.walk(fn)):
        return fn

    def refuse(n: ir.Node, what: str) -> NotPortable:
        return NotPortable(diag("CO001", n.span, reason=f"{what} on a buffer of 3-element vectors (12 bytes in CUDA, "
                                "16 in OpenCL)"))

    def fix(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.Index) and _flattened(n.base.type, n.type):  # the base Var is already retyped
            return ir.Call(n.span, n.type, "vload3", (n.index, n.base))
        if isinstance(n, ir.Var | ir.Param) and _is_vec3_ptr(n.type):
            return ir.replace(n, type=_flat(n.type))
        if isinstance(n, ir.VarDecl) and _is_vec3_ptr(n.var_type):
            return ir.replace(n, var_type=_flat(n.var_type))
        if isinstance(n, ir.Assign) and _is_vload3(n.target):
            if n.op != "":
                raise refuse(n, "a compound assignment")
            index, ptr = n.target.args  # type: ignore[attr-defined]
            return ir.ExprStmt(n.span, ir.Call(n.span, t.VOID, "vstore3", (n.value, index, ptr)))
        if isinstance(n, ir.Assign) and isinstance(n.target, ir.Member) and _is_vload3(n.target.base):
            index, ptr = n.target.base.args  # type: ignore[attr-defined]
            lane = _LANES.get(n.target.name)
            if lane is None:
                raise refuse(n, f"a store to member '{n.target.name}'")
            i32 = index.type
            flat = ir.Binary(n.span, i32, "+", ir.Binary(n.span, i32, "*", ir.IntLit(n.span, i32, 3), index),
                             ir.IntLit(n.span, i32, lane))
            return ir.replace(n, target=ir.Index(n.span, n.target.type, ptr, flat))
        if isinstance(n, ir.AddrOf) and _is_vload3(n.operand):
            raise refuse(n, "taking an element's address")
        return n

    # checked before the rewrite: afterwards the pointers are flat and the arithmetic would be wrong
    for n in ir.walk(fn):
        if isinstance(n, ir.PtrAdd | ir.Deref | ir.PtrDiff) and any(_is_vec3_ptr(c.type) for c in ir.children(n)
                                                                   if isinstance(c, ir.Expr)):
            raise refuse(n, "pointer arithmetic")
        if isinstance(n, ir.Cast) and (_is_vec3_ptr(n.type) or _is_vec3_ptr(n.operand.type)):
            raise refuse(n, "a pointer cast")
    return transform(fn, fix)  # type: ignore[return-value]


def _flattened(base: t.Type, elem: t.Type) -> bool:
    """`base[i]` of type `elem` reads a T3 element through a pointer already retyped to T*."""
    return (isinstance(elem, t.Vector) and elem.count == 3 and isinstance(base, t.Pointer)
            and base.pointee == elem.elem and base.space != t.AddrSpace.SHARED)


def _is_vload3(e: ir.Expr) -> bool:
    return isinstance(e, ir.Call) and e.callee == "vload3"
