"""Resolved types of the kernel IR: scalars, CUDA vectors, pointers with address space, arrays.

Types are plain values (no span): two `float*` are equal wherever they were written. The C/C++
conversion rules that need them (integer promotion, usual arithmetic conversions) live in
`cuport/ir/conversions.py`, so this module stays a list of shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScalarKind(StrEnum):
    BOOL = "bool"
    I8 = "i8"
    I16 = "i16"
    I32 = "i32"
    I64 = "i64"
    U8 = "u8"
    U16 = "u16"
    U32 = "u32"
    U64 = "u64"
    F16 = "f16"
    BF16 = "bf16"
    F32 = "f32"
    F64 = "f64"

    @property
    def is_float(self) -> bool:
        return self in _FLOATS

    @property
    def is_integer(self) -> bool:
        return not self.is_float  # bool counts as an integer type, as in C++

    @property
    def is_signed(self) -> bool:
        return self in _SIGNED or self.is_float

    @property
    def bits(self) -> int:
        return _BITS[self]


_FLOATS = {ScalarKind.F16, ScalarKind.BF16, ScalarKind.F32, ScalarKind.F64}
_SIGNED = {ScalarKind.I8, ScalarKind.I16, ScalarKind.I32, ScalarKind.I64}
_BITS = {
    ScalarKind.BOOL: 8, ScalarKind.I8: 8, ScalarKind.U8: 8, ScalarKind.I16: 16, ScalarKind.U16: 16,
    ScalarKind.I32: 32, ScalarKind.U32: 32, ScalarKind.I64: 64, ScalarKind.U64: 64,
    ScalarKind.F16: 16, ScalarKind.BF16: 16, ScalarKind.F32: 32, ScalarKind.F64: 64,
}  # fmt: skip


class AddrSpace(StrEnum):
    GENERIC = "generic"
    GLOBAL = "global"
    SHARED = "shared"
    CONSTANT = "constant"
    LOCAL = "local"


@dataclass(frozen=True, slots=True)
class Scalar:
    kind: ScalarKind


@dataclass(frozen=True, slots=True)
class Vector:
    """A CUDA vector type such as float4: `name` is CUDA's spelling, `elem` the lane type."""

    elem: Scalar
    count: int
    name: str = ""  # left out: the usual spelling of the lane type and count (float2, __half2)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", _vector_name(self.elem, self.count))


@dataclass(frozen=True, slots=True)
class Pointer:
    pointee: Type
    space: AddrSpace = AddrSpace.GENERIC
    const: bool = False  # the pointee is const
    restrict: bool = False


@dataclass(frozen=True, slots=True)
class Array:
    """A fixed-size array; `size` is None only for `extern __shared__ T x[]`."""

    elem: Type
    size: int | None


@dataclass(frozen=True, slots=True)
class Struct:
    """A struct known by name; `fields` are filled when the file defines it (else opaque)."""

    name: str
    fields: tuple[tuple[str, Type], ...] = ()


@dataclass(frozen=True, slots=True)
class Void:
    pass


Type = Scalar | Vector | Pointer | Array | Struct | Void

BOOL = Scalar(ScalarKind.BOOL)
I8, I16, I32, I64 = (Scalar(k) for k in (ScalarKind.I8, ScalarKind.I16, ScalarKind.I32, ScalarKind.I64))
U8, U16, U32, U64 = (Scalar(k) for k in (ScalarKind.U8, ScalarKind.U16, ScalarKind.U32, ScalarKind.U64))
F16, BF16, F32, F64 = (Scalar(k) for k in (ScalarKind.F16, ScalarKind.BF16, ScalarKind.F32, ScalarKind.F64))
VOID = Void()

# CUDA spellings of scalar kinds, used by the printer and by diagnostics.
CUDA_SCALAR_NAMES: dict[ScalarKind, str] = {
    ScalarKind.BOOL: "bool", ScalarKind.I8: "signed char", ScalarKind.I16: "short", ScalarKind.I32: "int",
    ScalarKind.I64: "long long", ScalarKind.U8: "unsigned char", ScalarKind.U16: "unsigned short",
    ScalarKind.U32: "unsigned int", ScalarKind.U64: "unsigned long long", ScalarKind.F16: "__half",
    ScalarKind.BF16: "__nv_bfloat16", ScalarKind.F32: "float", ScalarKind.F64: "double",
}  # fmt: skip

# CUDA vector types: prefix -> lane type; each exists with 1..4 lanes.
_VECTOR_BASES: dict[str, Scalar] = {
    "char": I8, "uchar": U8, "short": I16, "ushort": U16, "int": I32, "uint": U32,
    "long": I64, "ulong": U64, "longlong": I64, "ulonglong": U64, "float": F32, "double": F64,
}  # fmt: skip
VECTOR_TYPES: dict[str, Vector] = {
    f"{base}{n}": Vector(elem, n, f"{base}{n}") for base, elem in _VECTOR_BASES.items() for n in (1, 2, 3, 4)
}
VECTOR_TYPES["half2"] = Vector(F16, 2, "half2")
VECTOR_TYPES["__half2"] = Vector(F16, 2, "__half2")
VECTOR_TYPES["__nv_bfloat162"] = Vector(BF16, 2, "__nv_bfloat162")
VECTOR_LANES = ("x", "y", "z", "w")
# Opaque handles of the CUDA runtime device code receives by value (no fields; a target that has no
# equivalent refuses the kernel).
HANDLE_TYPES: dict[str, Struct] = {
    name: Struct(name) for name in ("cudaTextureObject_t", "cudaSurfaceObject_t")
}
# Structs the CUDA runtime headers define, with their documented fields: CUDA-like printing
# leaves their definitions to those headers; other targets print them like user structs.
LIBRARY_STRUCTS: dict[str, Struct] = {
    "cudaPitchedPtr": Struct("cudaPitchedPtr", (("ptr", Pointer(Void())), ("pitch", Scalar(ScalarKind.U64)),
                                                ("xsize", Scalar(ScalarKind.U64)), ("ysize", Scalar(ScalarKind.U64)))),
}


def _vector_name(elem: Scalar, count: int) -> str:
    if elem == F16 and count == 2:
        return "__half2"
    if elem == BF16 and count == 2:
        return "__nv_bfloat162"
    base = next((b for b, e in _VECTOR_BASES.items() if e == elem), None)
    return f"{base}{count}" if base is not None else f"{CUDA_SCALAR_NAMES[elem.kind]}{count}"


def is_arith(t: Type) -> bool:
    return isinstance(t, Scalar)


def is_integer(t: Type) -> bool:
    return isinstance(t, Scalar) and t.kind.is_integer


def is_float(t: Type) -> bool:
    return isinstance(t, Scalar) and t.kind.is_float


def is_pointer_like(t: Type) -> bool:
    return isinstance(t, Pointer | Array)


def element_of(t: Type) -> Type:
    """What indexing a pointer or an array yields."""
    if isinstance(t, Pointer):
        return t.pointee
    if isinstance(t, Array):
        return t.elem
    raise TypeError(f"not indexable: {t}")


def type_name(t: Type) -> str:
    """CUDA spelling of a type without a declarator (arrays print as `T[n]`)."""
    if isinstance(t, Scalar):
        return CUDA_SCALAR_NAMES[t.kind]
    if isinstance(t, Vector):
        return t.name
    if isinstance(t, Pointer):
        const = "const " if t.const else ""
        space = "" if t.space in (AddrSpace.GENERIC, AddrSpace.GLOBAL) else f"/*{t.space.value}*/ "
        return f"{space}{const}{type_name(t.pointee)}*{' __restrict__' if t.restrict else ''}"
    if isinstance(t, Array):
        return f"{type_name(t.elem)}[{'' if t.size is None else t.size}]"
    if isinstance(t, Struct):
        return t.name
    return "void"


def same_ignoring_space(a: Type, b: Type) -> bool:
    """Pointer types compare equal whatever their address space, const or restrict qualifiers; vector
    types whatever their spelling."""
    if isinstance(a, Pointer) and isinstance(b, Pointer):
        return same_ignoring_space(a.pointee, b.pointee) or isinstance(a.pointee, Void) or isinstance(b.pointee, Void)
    if isinstance(a, Vector) and isinstance(b, Vector):
        return (a.elem, a.count) == (b.elem, b.count)  # two spellings of one type (half2, __half2)
    return a == b
