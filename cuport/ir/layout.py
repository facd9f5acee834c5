"""Memory layout of user structs that kernels take by pointer (`Particle* p`): the ports state it
in their manifests and verification generates, poisons and compares struct buffers by it.

The layout is computed from the kernel's IR struct with the C rules that g++ (x86-64), nvcc and
PoCL share: a scalar is aligned to its size; CUDA vector types as CUDA declares them (2 lanes:
twice the lane size, 4 lanes: four times, at most 16; 1 and 3 lanes: the lane's); arrays as their
element; a struct to its strictest field, its size rounded up to that alignment. Each runner
confirms the layout it really has (the CPU runtime's sizeof, PoCL by a probe kernel), so a struct
this module gets wrong (`__align__`, bitfields) is reported, never verified on shifted bytes.

Nested structs are flattened: the leaves are named by their path ("pos.x") and placed at their
absolute offsets. A numpy structured dtype of the leaves then views a payload; the bytes that no
leaf covers are padding, which is never generated, compared or held against a kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cuport.ir import types as t

STRUCT_PREFIX = "struct:"  # how runners name the dtype of a struct buffer: "struct:Particle"

_NUMPY = {
    t.ScalarKind.BOOL: "bool", t.ScalarKind.I8: "int8", t.ScalarKind.U8: "uint8", t.ScalarKind.I16: "int16",
    t.ScalarKind.U16: "uint16", t.ScalarKind.I32: "int32", t.ScalarKind.U32: "uint32", t.ScalarKind.I64: "int64",
    t.ScalarKind.U64: "uint64", t.ScalarKind.F16: "float16", t.ScalarKind.F32: "float32", t.ScalarKind.F64: "float64",
}  # fmt: skip


class LayoutError(ValueError):
    """A struct whose layout cannot be stated (pointer fields, opaque structs, bfloat16...)."""


@dataclass(frozen=True)
class Leaf:
    """One scalar, vector or array field at its absolute offset. `shape` is () for a scalar,
    (lanes,) for a vector, (n,) or (n, lanes) for an array."""

    name: str  # path from the struct: "tag", "pos.x", "hist"
    dtype: str  # numpy name of the lane type
    offset: int
    shape: tuple[int, ...] = ()

    @property
    def nbytes(self) -> int:
        return int(np.dtype(self.dtype).itemsize * int(np.prod(self.shape, dtype=np.int64)))


@dataclass(frozen=True)
class StructLayout:
    name: str
    size: int
    align: int
    leaves: tuple[Leaf, ...]

    @property
    def numpy(self) -> np.dtype:
        """A structured dtype of the leaves; padding is left out (numpy keeps `itemsize`)."""
        return np.dtype({
            "names": [leaf.name for leaf in self.leaves],
            "formats": [(leaf.dtype, leaf.shape) if leaf.shape else leaf.dtype for leaf in self.leaves],
            "offsets": [leaf.offset for leaf in self.leaves],
            "itemsize": self.size,
        })

    def field_mask(self) -> np.ndarray:
        """Per byte of one element: True where a leaf lies, False for padding."""
        mask = np.zeros(self.size, dtype=bool)
        for leaf in self.leaves:
            mask[leaf.offset : leaf.offset + leaf.nbytes] = True
        return mask

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "align": self.align,
                "leaves": [[leaf.name, leaf.dtype, leaf.offset, list(leaf.shape)] for leaf in self.leaves]}

    @staticmethod
    def from_json(data: dict[str, Any]) -> StructLayout:
        leaves = tuple(Leaf(str(n), str(d), int(o), tuple(int(s) for s in shape)) for n, d, o, shape in data["leaves"])
        return StructLayout(str(data["name"]), int(data["size"]), int(data["align"]), leaves)


def _size_align(ty: t.Type) -> tuple[int, int]:
    if isinstance(ty, t.Scalar):
        n = ty.kind.bits // 8
        return n, n
    if isinstance(ty, t.Vector):
        lane = ty.elem.kind.bits // 8
        if ty.count == 2:
            return 2 * lane, min(2 * lane, 16)
        if ty.count == 4:
            return 4 * lane, min(4 * lane, 16)
        return ty.count * lane, lane
    if isinstance(ty, t.Array):
        if ty.size is None:
            raise LayoutError("an array field without a size")
        size, align = _size_align(ty.elem)
        return size * ty.size, align
    if isinstance(ty, t.Struct):
        layout = struct_layout(ty)
        return layout.size, layout.align
    if isinstance(ty, t.Pointer):
        raise LayoutError("a pointer field (its target cannot be generated or compared)")
    raise LayoutError(f"a field of type {ty}")


def _leaves(ty: t.Type, name: str, offset: int) -> list[Leaf]:
    if isinstance(ty, t.Struct):
        layout = struct_layout(ty)
        return [Leaf(f"{name}.{leaf.name}", leaf.dtype, offset + leaf.offset, leaf.shape) for leaf in layout.leaves]
    shape: tuple[int, ...] = ()
    elem = ty
    if isinstance(elem, t.Array):
        assert elem.size is not None
        shape, elem = (elem.size,), elem.elem
        if isinstance(elem, t.Struct | t.Array):
            size, _ = _size_align(elem)
            return [leaf for k in range(shape[0]) for leaf in _leaves(elem, f"{name}[{k}]", offset + k * size)]
    if isinstance(elem, t.Vector):
        shape, elem = (*shape, elem.count), elem.elem
    if not isinstance(elem, t.Scalar) or elem.kind not in _NUMPY:
        raise LayoutError(f"field '{name}' of type {elem}")
    return [Leaf(name, _NUMPY[elem.kind], offset, shape)]


def struct_layout(st: t.Struct) -> StructLayout:
    """The C layout of `st`; raises LayoutError when it cannot be stated."""
    if not st.fields:
        raise LayoutError(f"struct {st.name} has no known fields (declared, not defined, in this file)")
    offset, align = 0, 1
    leaves: list[Leaf] = []
    for fname, ftype in st.fields:
        try:
            size, falign = _size_align(ftype)
            offset = (offset + falign - 1) // falign * falign
            leaves += _leaves(ftype, fname, offset)
        except LayoutError as exc:
            raise LayoutError(f"struct {st.name}: field '{fname}': {exc}") from None
        offset += size
        align = max(align, falign)
    size = (offset + align - 1) // align * align
    return StructLayout(st.name, size, align, tuple(leaves))


def struct_name(dtype: str) -> str | None:
    """"struct:Particle" -> "Particle"; None for other dtypes."""
    return dtype[len(STRUCT_PREFIX):] if dtype.startswith(STRUCT_PREFIX) else None
