"""IR types -> Triton spellings, and the byte sizes the scratch-memory layout needs."""

from __future__ import annotations

from cuport.ir.types import Array, Pointer, Scalar, ScalarKind, Struct, Type, Vector, type_name

TL_DTYPES: dict[ScalarKind, str] = {
    ScalarKind.BOOL: "tl.int1", ScalarKind.I8: "tl.int8", ScalarKind.U8: "tl.uint8",
    ScalarKind.I16: "tl.int16", ScalarKind.U16: "tl.uint16", ScalarKind.I32: "tl.int32",
    ScalarKind.U32: "tl.uint32", ScalarKind.I64: "tl.int64", ScalarKind.U64: "tl.uint64",
    ScalarKind.F16: "tl.float16", ScalarKind.BF16: "tl.bfloat16", ScalarKind.F32: "tl.float32",
    ScalarKind.F64: "tl.float64",
}  # fmt: skip

# protocol dtype names (numpy's) of scalar kinds, for the port's signature table
NP_DTYPES: dict[ScalarKind, str] = {
    ScalarKind.BOOL: "bool", ScalarKind.I8: "int8", ScalarKind.U8: "uint8", ScalarKind.I16: "int16",
    ScalarKind.U16: "uint16", ScalarKind.I32: "int32", ScalarKind.U32: "uint32", ScalarKind.I64: "int64",
    ScalarKind.U64: "uint64", ScalarKind.F16: "float16", ScalarKind.BF16: "bfloat16",
    ScalarKind.F32: "float32", ScalarKind.F64: "float64",
}  # fmt: skip


class Unsupported(Exception):
    """A construct the Triton lowering has no form for; the message is the reason shown to users."""

    def __init__(self, reason: str, span: object = None, *, candidate: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.span = span
        self.candidate = candidate  # False: the kernel is not a Triton candidate at all


def scalar_of(t: Type) -> Scalar:
    if isinstance(t, Scalar):
        return t
    what = f"struct {t.name}" if isinstance(t, Struct) else type_name(t)
    raise Unsupported(f"values of type {what} are not supported by the Triton lowering")


def tl_dtype(t: Type) -> str:
    if isinstance(t, Pointer):
        return f"tl.pointer_type({tl_dtype(t.pointee)})"
    return TL_DTYPES[scalar_of(t).kind]


def np_dtype(t: Type) -> str:
    if isinstance(t, Vector):
        return f"{NP_DTYPES[t.elem.kind]}x{t.count}"
    return NP_DTYPES[scalar_of(t).kind]


def size_of(t: Type) -> int:
    if isinstance(t, Scalar):
        return max(1, t.kind.bits // 8)
    if isinstance(t, Array):
        if t.size is None:
            return 0
        return t.size * size_of(t.elem)
    if isinstance(t, Vector):
        return t.count * size_of(t.elem)
    if isinstance(t, Pointer):
        return 8
    raise Unsupported(f"no size for type {t}")


def leaf_of(t: Type) -> Type:
    """The element type of a (nested) array."""
    while isinstance(t, Array):
        t = t.elem
    return t


def elem_count(t: Type) -> int:
    """Scalars in one element of this type (rows of a 2-D array count their columns)."""
    n = 1
    while isinstance(t, Array):
        n *= t.size or 1
        t = t.elem
    return n
