"""The OpenCL C dialect of the C-style printer: spellings only, every decision was made before."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import ClassVar

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.targets.cstyle import POSTFIX, UNARY, CStylePrinter, UnprintableError
from cuport.targets.opencl.legalize import CL_SCALAR

_ROUNDED = ("_rz", "_ru", "_rd")
_ATOMIC_NAMES = {"add": "add", "sub": "sub", "exch": "xchg", "min": "min", "max": "max", "and": "and", "or": "or", "xor": "xor"}


@cache
def math_table() -> dict[str, dict[str, object]]:
    return tomllib.loads(resources.files("cuport.targets.opencl").joinpath("math.toml").read_text("utf-8"))


def math_spelling(e: ir.MathCall) -> tuple[str, bool] | None:
    """(template over {0}.. and {t}, is fast-math) for a math call, or None when unsupported."""
    table = math_table()
    row = table["names"].get(e.name)
    if isinstance(row, dict):
        return str(row["text"]), bool(row.get("note", False))
    if e.name.endswith(_ROUNDED) and e.op in ("add", "sub", "mul", "div", "fma", "rcp", "sqrt"):
        return None  # a directed rounding mode: OpenCL C has no per-operation rounding
    is_float = isinstance(e.type, t.Scalar | t.Vector) and _elem(e.type).kind.is_float
    text = table["float_ops"].get(e.op) if is_float else None
    text = text or table["ops"].get(e.op)
    return (str(text), False) if isinstance(text, str) else None


def _printed_type(e: ir.Expr) -> t.Type:
    """The type OpenCL sees for `e`: the printer leaves implicit scalar conversions to C."""
    while isinstance(e, ir.Cast) and e.implicit and not isinstance(e.type, t.Pointer | t.Vector):
        e = e.operand
    return e.type


def _elem(ty: t.Scalar | t.Vector) -> t.Scalar:
    return ty.elem if isinstance(ty, t.Vector) else ty


class OpenCLPrinter(CStylePrinter):
    kernel_qualifier: ClassVar[str] = "__kernel void"
    function_qualifier: ClassVar[str] = "static inline"  # helpers and device functions: no linkage
    address_spaces: ClassVar[dict[t.AddrSpace, str]] = {
        t.AddrSpace.GENERIC: "__global", t.AddrSpace.GLOBAL: "__global", t.AddrSpace.SHARED: "__local",
        t.AddrSpace.CONSTANT: "__constant", t.AddrSpace.LOCAL: "",
    }  # fmt: skip
    shared_decl: ClassVar[str] = "__local"
    barrier: ClassVar[str] = "barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)"
    # CUDA's indices are unsigned int; OpenCL's size_t: the cast keeps CUDA's 32-bit arithmetic
    index_spelling: ClassVar[dict[type, str]] = {
        ir.ThreadIdx: "(uint)get_local_id({dim})", ir.BlockIdx: "(uint)get_group_id({dim})",
        ir.BlockDim: "(uint)get_local_size({dim})", ir.GridDim: "(uint)get_num_groups({dim})",
    }  # fmt: skip
    scalar_names: ClassVar[dict[t.ScalarKind, str]] = dict(CL_SCALAR)
    int_suffix: ClassVar[dict[t.ScalarKind, str]] = {t.ScalarKind.U32: "u", t.ScalarKind.I64: "l", t.ScalarKind.U64: "ul"}
    restrict: ClassVar[str] = "restrict"

    def vector_name(self, ty: t.Vector) -> str:
        return f"{self.scalar_names[ty.elem.kind]}{ty.count}"

    def cast(self, e: ir.Cast) -> tuple[str, int]:
        src, dst = e.operand.type, e.type
        if isinstance(dst, t.Vector):
            return (f"convert_{self.type(dst)}({self.expr(e.operand)})", POSTFIX) if isinstance(src, t.Vector) else (
                f"(({self.type(dst)})({self.expr(e.operand)}))", POSTFIX)
        if e.implicit and not isinstance(dst, t.Pointer):
            return self.expr_prec(e.operand)
        return (f"({self.type(dst)}){self.expr(e.operand, UNARY)}", UNARY)

    def make_vector(self, e: ir.MakeVector) -> tuple[str, int]:
        return (f"({self.type(e.type)})({self.args(e.args)})", POSTFIX)

    def math_call(self, e: ir.MathCall) -> tuple[str, int]:
        found = math_spelling(e)
        if found is None:
            raise UnprintableError(e, f"math function {e.name}")
        text, _ = found
        ty = self.type(e.type) if not isinstance(e.type, t.Void) else "void"
        args = [a for a in e.args if a is not None]
        values = [self.expr(a, 2) for a in args]
        if e.op in math_table()["same_type"]["ops"] and isinstance(e.type, t.Scalar):
            values = [v if _printed_type(a) == e.type or not isinstance(a.type, t.Scalar)
                      else f"({ty}){self.expr(a, UNARY)}" for a, v in zip(args, values, strict=True)]
        if "{" not in text:
            return (f"{text}({', '.join(values)})", POSTFIX)
        return (text.replace("{t}", ty).format(*values), POSTFIX)

    def atomic(self, e: ir.Atomic) -> tuple[str, int]:
        elem = e.ptr.type.pointee if isinstance(e.ptr.type, t.Pointer) else None
        wide = isinstance(elem, t.Scalar) and elem.kind.bits == 64
        prefix = "atom_" if wide else "atomic_"
        if e.op == "cas":
            return (f"{prefix}cmpxchg({self.args((e.ptr, e.compare, e.value))})", POSTFIX)
        if e.op not in _ATOMIC_NAMES:
            raise UnprintableError(e, f"atomic {e.op}")
        return (f"{prefix}{_ATOMIC_NAMES[e.op]}({self.args((e.ptr, e.value))})", POSTFIX)

    def special(self, e: ir.Expr) -> tuple[str, int]:
        if isinstance(e, ir.WarpSize):
            return ("CUPORT_WARP_SIZE", POSTFIX)
        if isinstance(e, ir.Fence):
            return ("mem_fence(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE)", POSTFIX)
        return super().special(e)
