"""One C-style printer for every C-family target (OpenCL C now; CUDA/HIP can subclass it later).

The printer only prints legal IR: decisions (address spaces, hoisting, helper calls) are made by a
target's legalisation passes before. What differs between dialects lives in class attributes —
kernel qualifier, address-space spellings, barrier, index spellings, the scalar type map — and in a
few small hook methods a subclass overrides (math calls, atomics, vector construction, casts).
Parentheses come from a precedence table, as in pycparser's c_generator.
"""

from __future__ import annotations

from typing import ClassVar

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.printer import COMMA_ARG, POSTFIX, PREC, TERNARY, UNARY, StatementPrinter

__all__ = ["COMMA_ARG", "POSTFIX", "PREC", "TERNARY", "UNARY", "CStylePrinter", "UnprintableError"]

class UnprintableError(Exception):
    """The IR holds a node the dialect cannot spell: a legalisation pass should have removed it."""

    def __init__(self, node: ir.Node, what: str) -> None:
        super().__init__(what)
        self.node = node


class CStylePrinter(StatementPrinter):
    # --- dialect (override in subclasses) ------------------------------------------------------
    kernel_qualifier: ClassVar[str] = "__global__ void"
    function_qualifier: ClassVar[str] = "__device__"
    address_spaces: ClassVar[dict[t.AddrSpace, str]] = {
        t.AddrSpace.GENERIC: "", t.AddrSpace.GLOBAL: "", t.AddrSpace.SHARED: "",
        t.AddrSpace.CONSTANT: "", t.AddrSpace.LOCAL: "",
    }  # fmt: skip
    shared_decl: ClassVar[str] = "__shared__"
    barrier: ClassVar[str] = "__syncthreads()"
    index_spelling: ClassVar[dict[type, str]] = {
        ir.ThreadIdx: "threadIdx.{axis}", ir.BlockIdx: "blockIdx.{axis}",
        ir.BlockDim: "blockDim.{axis}", ir.GridDim: "gridDim.{axis}",
    }  # fmt: skip
    scalar_names: ClassVar[dict[t.ScalarKind, str]] = dict(t.CUDA_SCALAR_NAMES)
    int_suffix: ClassVar[dict[t.ScalarKind, str]] = {t.ScalarKind.U32: "u", t.ScalarKind.I64: "ll", t.ScalarKind.U64: "ull"}
    restrict: ClassVar[str] = "__restrict__"
    indent: ClassVar[str] = "    "

    # --- types and declarators -----------------------------------------------------------------

    def type(self, ty: t.Type) -> str:
        if isinstance(ty, t.Scalar):
            return self.scalar_names[ty.kind]
        if isinstance(ty, t.Vector):
            return self.vector_name(ty)
        if isinstance(ty, t.Pointer):
            space = self.address_spaces[ty.space]
            const = "const " if ty.const else ""
            restrict = f" {self.restrict}" if ty.restrict and self.restrict else ""
            return f"{space + ' ' if space else ''}{const}{self.type(ty.pointee)}*{restrict}"
        if isinstance(ty, t.Struct):
            return ty.name
        if isinstance(ty, t.Void):
            return "void"
        raise UnprintableError(ir.Node(None), f"type {ty}")  # type: ignore[arg-type]

    def vector_name(self, ty: t.Vector) -> str:
        return ty.name

    def decl(self, ty: t.Type, name: str, var_const: bool = False) -> str:
        """`T name` with C declarator syntax (array sizes after the name, pointers before)."""
        dims = ""
        while isinstance(ty, t.Array):
            dims += f"[{'' if ty.size is None else ty.size}]"
            ty = ty.elem
        if isinstance(ty, t.Pointer):
            return f"{self.type(ty)}{' const' if var_const else ''} {name}{dims}"
        return f"{'const ' if var_const else ''}{self.type(ty)} {name}{dims}"

    # --- expressions ---------------------------------------------------------------------------

    def int_lit(self, e: ir.IntLit) -> tuple[str, int]:
        kind = e.type.kind if isinstance(e.type, t.Scalar) else t.ScalarKind.I32
        if kind == t.ScalarKind.I32 and e.value == -(1 << 31):
            return ("(-2147483647 - 1)", POSTFIX)
        if kind == t.ScalarKind.I64 and e.value == -(1 << 63):
            return (f"(-9223372036854775807{self.int_suffix[t.ScalarKind.I64]} - 1)", POSTFIX)
        text = f"{e.value}{self.int_suffix.get(kind, '')}"
        if kind not in (t.ScalarKind.I32, t.ScalarKind.U32, t.ScalarKind.I64, t.ScalarKind.U64):
            return (f"({self.type(e.type)}){text}", UNARY)  # no literal of this type in C
        return (text, POSTFIX if e.value >= 0 else UNARY)

    def float_lit(self, e: ir.FloatLit) -> tuple[str, int]:
        value = float(e.value)
        if value != value or value in (float("inf"), float("-inf")):
            text = "NAN" if value != value else ("INFINITY" if value > 0 else "-INFINITY")
            return (f"({self.type(e.type)})({text})", UNARY)
        text = repr(value)
        if "e" not in text and "." not in text:
            text += ".0"
        return (text + ("f" if e.type == t.F32 else ""), POSTFIX if value >= 0 else UNARY)

    def cast(self, e: ir.Cast) -> tuple[str, int]:
        if e.implicit:
            return self.expr_prec(e.operand)  # C's conversions are the same as C++'s for these
        return (f"({self.type(e.type)}){self.expr(e.operand, UNARY)}", UNARY)

    def make_vector(self, e: ir.MakeVector) -> tuple[str, int]:
        return (f"make_{self.type(e.type)}({self.args(e.args)})", POSTFIX)

    def atomic(self, e: ir.Atomic) -> tuple[str, int]:
        raise UnprintableError(e, f"atomic {e.op}")

    def special(self, e: ir.Expr) -> tuple[str, int]:
        if type(e) in self.index_spelling:
            return (self.index_spelling[type(e)].format(axis=e.axis, dim="xyz".index(e.axis)), POSTFIX)  # type: ignore[attr-defined]
        if isinstance(e, ir.Barrier) and e.kind == "syncthreads":
            return (self.barrier, POSTFIX)
        raise UnprintableError(e, type(e).__name__)

    # --- statements (StatementPrinter prints them; the dialect supplies these two) ----------

    def shared_prefix(self, s: ir.SharedDecl) -> str:
        return self.shared_decl

    def unknown_statement(self, s: ir.Stmt) -> Exception:
        return UnprintableError(s, type(s).__name__)

    # --- functions -----------------------------------------------------------------------------

    def params(self, fn: ir.Function) -> str:
        return ", ".join(self.decl(p.type, p.name) for p in fn.params) or "void"

    def function(self, fn: ir.Function) -> str:
        if isinstance(fn, ir.Kernel):
            head = f"{self.kernel_qualifier} {fn.name}({self.params(fn)})"
        else:
            head = f"{self.function_qualifier} {self.type(fn.return_type)} {fn.name}({self.params(fn)})"
        return "\n".join([head, "{", *self.stmts(fn.body.stmts, 1), "}"])

    def prototype(self, fn: ir.DeviceFunction) -> str:
        return f"{self.function_qualifier} {self.type(fn.return_type)} {fn.name}({self.params(fn)});"
