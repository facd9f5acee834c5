"""IR -> CUDA-like text, for golden tests and debugging. It only prints: no decisions.

Parentheses come from a precedence table (as pycparser's c_generator does). With
`show_implicit=False` the text is plain CUDA that lowers back to the same IR (modulo spans);
with `show_implicit=True` every conversion C++ inserts is printed as a cast, so a reader sees the
types operations compute in. Instantiated templates print their parameters with defaults bound to
the arguments (`template <typename T = float>`), which re-lowers to the same instance.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.math_table import math_table
from cuport.ir.structs import module_structs

# C++ precedence, higher binds tighter (shared with every C-family target printer).
PREC = {
    "||": 4, "&&": 5, "|": 6, "^": 7, "&": 8, "==": 9, "!=": 9, "<": 10, "<=": 10, ">": 10, ">=": 10,
    "<<": 11, ">>": 11, "+": 12, "-": 12, "*": 13, "/": 13, "%": 13,
}  # fmt: skip
UNARY = 15
POSTFIX = 16
TERNARY = 3
COMMA_ARG = 2  # an expression that is one argument in a comma-separated list
_INDEX_NAMES = {ir.ThreadIdx: "threadIdx", ir.BlockIdx: "blockIdx", ir.BlockDim: "blockDim", ir.GridDim: "gridDim"}
_SUFFIX = {t.ScalarKind.U32: "u", t.ScalarKind.I64: "ll", t.ScalarKind.U64: "ull"}


@cache
def _builtin_names() -> dict[tuple, str]:
    """(node kind, key fields) -> CUDA spelling, reversed from cuda_builtins.toml (first spelling wins)."""
    rows = tomllib.loads(resources.files("cuport.ir").joinpath("cuda_builtins.toml").read_text("utf-8"))
    out: dict[tuple, str] = {}
    for name, row in rows.items():
        key = (row["node"], row.get("op") or row.get("kind") or row.get("scope"), row.get("scope"), row.get("mask"))
        out.setdefault(key, name)
    return out


def _builtin(node: str, what: str, scope: str | None = None, mask: bool | None = None) -> str:
    return _builtin_names()[(node, what, scope, mask)]


class StatementPrinter:
    """Statements in C syntax, shared by the IR printer and every C-family target printer
    (`cuport/targets/cstyle.py`). Subclasses provide `indent`, `expr(e, parent_prec)` and
    `decl(type, name, const)`, and may override the two hooks below."""

    indent: str

    def expr(self, e: ir.Expr, parent_prec: int = 0) -> str:
        text, prec = self.expr_prec(e)
        return f"({text})" if prec < parent_prec else text

    def args(self, args: tuple[ir.Expr | None, ...]) -> str:
        return ", ".join(self.expr(a, COMMA_ARG) for a in args if a is not None)

    def expr_prec(self, e: ir.Expr) -> tuple[str, int]:
        """An expression and its precedence: the forms C, C++ and OpenCL C spell alike here; the
        rest goes to the hooks a dialect overrides (literals, casts, math, vectors, atomics,
        `special` for built-ins)."""
        if isinstance(e, ir.IntLit):
            return self.int_lit(e)
        if isinstance(e, ir.FloatLit):
            return self.float_lit(e)
        if isinstance(e, ir.BoolLit):
            return ("true" if e.value else "false", POSTFIX)
        if isinstance(e, ir.Var):
            return (e.name, POSTFIX)
        if isinstance(e, ir.Unary):
            return (f"{e.op}{self.expr(e.operand, UNARY)}", UNARY)
        if isinstance(e, ir.Binary | ir.Compare | ir.Logical):
            p = PREC[e.op]
            return (f"{self.expr(e.lhs, p)} {e.op} {self.expr(e.rhs, p + 1)}", p)
        if isinstance(e, ir.PtrAdd):
            p = PREC[e.op]
            return (f"{self.expr(e.ptr, p)} {e.op} {self.expr(e.offset, p + 1)}", p)
        if isinstance(e, ir.PtrDiff):
            return (f"{self.expr(e.lhs, 12)} - {self.expr(e.rhs, 13)}", 12)
        if isinstance(e, ir.Select):
            cond, yes, no = self.expr(e.cond, TERNARY + 1), self.expr(e.if_true, TERNARY), self.expr(e.if_false, TERNARY)
            return (f"{cond} ? {yes} : {no}", TERNARY)
        if isinstance(e, ir.Cast):
            return self.cast(e)
        if isinstance(e, ir.Index):
            return (f"{self.expr(e.base, POSTFIX)}[{self.expr(e.index)}]", POSTFIX)
        if isinstance(e, ir.Deref):
            return (f"*{self.expr(e.ptr, UNARY)}", UNARY)
        if isinstance(e, ir.AddrOf):
            return (f"&{self.expr(e.operand, UNARY)}", UNARY)
        if isinstance(e, ir.Member):
            return (f"{self.expr(e.base, POSTFIX)}{'->' if e.arrow else '.'}{e.name}", POSTFIX)
        if isinstance(e, ir.Call):
            return (f"{e.callee}({self.args(e.args)})", POSTFIX)
        if isinstance(e, ir.MathCall):
            return self.math_call(e)
        if isinstance(e, ir.MakeVector):
            return self.make_vector(e)
        if isinstance(e, ir.InitList):
            return ("{" + self.args(e.items) + "}", POSTFIX)
        if isinstance(e, ir.Atomic):
            return self.atomic(e)
        return self.special(e)

    def int_lit(self, e: ir.IntLit) -> tuple[str, int]:
        raise NotImplementedError

    def float_lit(self, e: ir.FloatLit) -> tuple[str, int]:
        raise NotImplementedError

    def cast(self, e: ir.Cast) -> tuple[str, int]:
        raise NotImplementedError

    def math_call(self, e: ir.MathCall) -> tuple[str, int]:
        return (f"{e.name}({self.args(e.args)})", POSTFIX)

    def make_vector(self, e: ir.MakeVector) -> tuple[str, int]:
        raise NotImplementedError

    def atomic(self, e: ir.Atomic) -> tuple[str, int]:
        raise NotImplementedError

    def special(self, e: ir.Expr) -> tuple[str, int]:
        """Expressions a dialect spells its own way (thread indices, barriers, warp operations)."""
        raise NotImplementedError

    def decl(self, ty: t.Type, name: str, var_const: bool = False) -> str:
        raise NotImplementedError

    def struct_definition(self, s: t.Struct) -> str:
        """`typedef struct S { fields } S;`: valid C, C++ and OpenCL C, and named either way."""
        fields = [f"{self.indent}{self.decl(ft, name)};" for name, ft in s.fields]
        return "\n".join([f"typedef struct {s.name} {{", *fields, f"}} {s.name};"])

    def shared_prefix(self, s: ir.SharedDecl) -> str:
        return "extern __shared__" if s.dynamic else "__shared__"

    def unknown_statement(self, s: ir.Stmt) -> Exception:
        return TypeError(f"printer: unknown statement {type(s).__name__}")

    def stmt(self, s: ir.Stmt, depth: int) -> list[str]:
        pad = self.indent * depth
        if isinstance(s, ir.VarDecl):
            init = "" if s.init is None else f" = {self.expr(s.init, COMMA_ARG)}"
            return [f"{pad}{self.decl(s.var_type, s.name, s.const)}{init};"]
        if isinstance(s, ir.SharedDecl):
            return [f"{pad}{self.shared_prefix(s)} {self.decl(s.var_type, s.name)};"]
        if isinstance(s, ir.Assign):
            return [f"{pad}{self.expr(s.target)} {s.op}= {self.expr(s.value, COMMA_ARG)};"]
        if isinstance(s, ir.ExprStmt):
            return [f"{pad}{self.expr(s.expr)};"]
        if isinstance(s, ir.Block):
            return [f"{pad}{{", *self.stmts(s.stmts, depth + 1), f"{pad}}}"]
        if isinstance(s, ir.If):
            out = [f"{pad}if ({self.expr(s.cond)}) {{", *self.stmts(s.then.stmts, depth + 1)]
            orelse = s.orelse
            while orelse is not None and len(orelse.stmts) == 1 and isinstance(orelse.stmts[0], ir.If):
                inner = orelse.stmts[0]
                out += [f"{pad}}} else if ({self.expr(inner.cond)}) {{", *self.stmts(inner.then.stmts, depth + 1)]
                orelse = inner.orelse
            if orelse is not None:
                out += [f"{pad}}} else {{", *self.stmts(orelse.stmts, depth + 1)]
            return [*out, f"{pad}}}"]
        if isinstance(s, ir.For):
            init = self.for_init(s.init)
            cond = "" if s.cond is None else " " + self.expr(s.cond)
            step = ", ".join(self.stmt(st, 0)[0].rstrip(";") for st in s.step)
            return [f"{pad}for ({init}{cond}; {step}) {{", *self.stmts(s.body.stmts, depth + 1), f"{pad}}}"]
        if isinstance(s, ir.While):
            return [f"{pad}while ({self.expr(s.cond)}) {{", *self.stmts(s.body.stmts, depth + 1), f"{pad}}}"]
        if isinstance(s, ir.DoWhile):
            return [f"{pad}do {{", *self.stmts(s.body.stmts, depth + 1), f"{pad}}} while ({self.expr(s.cond)});"]
        if isinstance(s, ir.Break):
            return [f"{pad}break;"]
        if isinstance(s, ir.Continue):
            return [f"{pad}continue;"]
        if isinstance(s, ir.Return):
            return [f"{pad}return{'' if s.value is None else ' ' + self.expr(s.value)};"]
        raise self.unknown_statement(s)

    def for_init(self, init: tuple[ir.Stmt, ...]) -> str:
        """`int j = 0, k = 10;` — several declarations of one scalar type share one declaration."""
        decls = [s for s in init if isinstance(s, ir.VarDecl)]
        if len(decls) > 1 and len(decls) == len(init) and all(
            d.var_type == decls[0].var_type and d.const == decls[0].const and isinstance(d.var_type, t.Scalar | t.Vector)
            for d in decls
        ):
            rest = ", ".join(f"{d.name}{'' if d.init is None else ' = ' + self.expr(d.init, COMMA_ARG)}" for d in decls[1:])
            return self.stmt(decls[0], 0)[0].rstrip(";") + f", {rest};"
        if len(init) > 1 and all(isinstance(s, ir.Assign) for s in init):
            return ", ".join(self.stmt(s, 0)[0].rstrip(";") for s in init) + ";"
        return " ".join(x.strip() for st in init for x in self.stmt(st, 0)) or ";"

    def stmts(self, stmts: tuple[ir.Stmt, ...], depth: int) -> list[str]:
        return [line for s in stmts for line in self.stmt(s, depth)]



class Printer(StatementPrinter):
    def __init__(self, show_implicit: bool = False, indent: str = "  ") -> None:
        self.show_implicit = show_implicit
        self.indent = indent

    # --- types and declarators ----------------------------------------------------------------

    def decl(self, ty: t.Type, name: str, var_const: bool = False) -> str:
        """`T name` with C declarator syntax (arrays after the name, pointers before)."""
        dims = ""
        while isinstance(ty, t.Array):
            dims += f"[{'' if ty.size is None else ty.size}]"
            ty = ty.elem
        if isinstance(ty, t.Pointer):
            const = " const" if var_const else ""
            return f"{self.type(ty)}{const} {name}{dims}"
        prefix = "const " if var_const else ""
        return f"{prefix}{self.type(ty)} {name}{dims}"

    def type(self, ty: t.Type) -> str:
        if isinstance(ty, t.Pointer):
            const = "const " if ty.const else ""
            restrict = " __restrict__" if ty.restrict else ""
            return f"{const}{self.type(ty.pointee)}*{restrict}"
        return t.type_name(ty)

    # --- expressions --------------------------------------------------------------------------

    def float_lit(self, e: ir.FloatLit) -> tuple[str, int]:
        text = repr(float(e.value))
        if math.isinf(e.value):
            text = "-1e999" if e.value < 0 else "1e999"  # overflows to infinity, and reads back so
        elif math.isnan(e.value):
            return ("(0.0f / 0.0f)" if e.type == t.F32 else "(0.0 / 0.0)", POSTFIX)
        if "e" not in text and "." not in text and "inf" not in text and "nan" not in text:
            text += ".0"
        return (text + ("f" if e.type == t.F32 else ""), POSTFIX if e.value >= 0 else UNARY)

    def cast(self, e: ir.Cast) -> tuple[str, int]:
        if e.implicit and not self.show_implicit:
            return self.expr_prec(e.operand)
        if e.type == t.Pointer(t.VOID) and isinstance(e.operand, ir.IntLit) and e.operand.value == 0:
            return ("nullptr", POSTFIX)
        if e.style in ("static", "reinterpret", "const"):
            return (f"{e.style}_cast<{self.type(e.type)}>({self.expr(e.operand)})", POSTFIX)
        return (f"({self.type(e.type)}){self.expr(e.operand, UNARY)}", UNARY)

    def math_call(self, e: ir.MathCall) -> tuple[str, int]:
        row = math_table().get(e.name)
        targ = f"<{t.type_name(e.type)}>" if row is not None and row["ret"] == "targ" else ""
        return (f"{e.name}{targ}({self.args(e.args)})", POSTFIX)

    def make_vector(self, e: ir.MakeVector) -> tuple[str, int]:
        return (f"make_{t.type_name(e.type)}({self.args(e.args)})", POSTFIX)

    def atomic(self, e: ir.Atomic) -> tuple[str, int]:
        name = _builtin("atomic", e.op, e.scope)
        args = (e.ptr, e.compare, e.value) if e.op == "cas" else (e.ptr, e.value)
        return (f"{name}({self.args(args)})", POSTFIX)

    def special(self, e: ir.Expr) -> tuple[str, int]:
        if type(e) in _INDEX_NAMES:
            return (f"{_INDEX_NAMES[type(e)]}.{e.axis}", POSTFIX)  # type: ignore[attr-defined]
        if isinstance(e, ir.WarpSize):
            return ("warpSize", POSTFIX)
        if isinstance(e, ir.Barrier):
            return (f"{_builtin('barrier', e.kind)}({self.args((e.mask, e.pred))})", POSTFIX)
        if isinstance(e, ir.Fence):
            return (f"{_builtin('fence', e.scope, e.scope)}()", POSTFIX)
        if isinstance(e, ir.WarpShuffle):
            name = _builtin("shuffle", e.kind, None, e.mask is not None)
            return (f"{name}({self.args((e.mask, e.value, e.lane, e.width))})", POSTFIX)
        if isinstance(e, ir.WarpVote):
            name = _builtin("vote", e.kind, None, e.mask is not None)
            return (f"{name}({self.args((e.mask, e.pred))})", POSTFIX)
        if isinstance(e, ir.WarpReduce):
            return (f"{_builtin('reduce', e.op)}({self.args((e.mask, e.value))})", POSTFIX)
        if isinstance(e, ir.Printf):
            rest = f", {self.args(e.args)}" if e.args else ""
            return (f"printf({c_string(e.format)}{rest})", POSTFIX)
        if isinstance(e, ir.Assert):
            return (f"assert({self.expr(e.cond)})", POSTFIX)
        raise TypeError(f"printer: unknown expression {type(e).__name__}")

    def int_lit(self, e: ir.IntLit) -> tuple[str, int]:
        ty = e.type
        kind = ty.kind if isinstance(ty, t.Scalar) else t.ScalarKind.I32
        if kind == t.ScalarKind.I8 and 32 <= e.value < 127 and chr(e.value) not in "'\\":
            return (f"'{chr(e.value)}'", POSTFIX)
        if kind == t.ScalarKind.I32 and e.value == -(1 << 31):
            return ("(-2147483647 - 1)", POSTFIX)
        if kind == t.ScalarKind.I64 and e.value == -(1 << 63):
            return ("(-9223372036854775807ll - 1)", POSTFIX)
        text = f"{e.value}{_SUFFIX.get(kind, '')}"
        if kind not in (t.ScalarKind.I32, t.ScalarKind.U32, t.ScalarKind.I64, t.ScalarKind.U64):
            return (f"({t.type_name(ty)}){text}", UNARY)  # no literal of this type in C++
        return (text, POSTFIX if e.value >= 0 else UNARY)

    # --- statements ---------------------------------------------------------------------------

    # --- top level ----------------------------------------------------------------------------

    def template_header(self, args: tuple[tuple[str, ir.TemplateArg], ...]) -> list[str]:
        if not args:
            return []
        parts = [f"int {n} = {v}" if isinstance(v, int) else f"typename {n} = {v}" for n, v in args]
        return [f"template <{', '.join(parts)}>"]

    def function(self, fn: ir.Function) -> str:
        params = ", ".join(self.decl(p.type, p.name) for p in fn.params)
        if isinstance(fn, ir.Kernel):
            bounds = f" __launch_bounds__({', '.join(map(str, fn.launch_bounds))})" if fn.launch_bounds else ""
            head = f"__global__ void{bounds} {fn.name}({params}) {{"
        else:
            inline = " __forceinline__" if fn.force_inline else ""
            head = f"__device__{inline} {self.type(fn.return_type)} {fn.name}({params}) {{"
        lines = [*self.template_header(fn.template_args), head, *self.stmts(fn.body.stmts, 1), "}"]
        return "\n".join(lines)

    def global_var(self, g: ir.GlobalVar) -> str:
        prefix = {"constant": "__constant__ ", "device": "__device__ ", "const": "const "}[g.space]
        init = "" if g.init is None else f" = {self.expr(g.init, 2)}"
        return f"{prefix}{self.decl(g.var_type, g.name)}{init};"

    def module(self, m: ir.Module) -> str:
        parts = [self.struct_definition(s) for s in module_structs(m.functions, m.globals)
                 if t.LIBRARY_STRUCTS.get(s.name) != s]
        parts += [self.global_var(g) for g in m.globals]
        parts += [self.function(f) for f in m.functions]
        return "\n\n".join(parts)


def c_string(text: str) -> str:
    """A C string literal whose value is `text`."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):03o}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def print_function(fn: ir.Function, *, show_implicit: bool = False) -> str:
    return Printer(show_implicit).function(fn)


def print_module(m: ir.Module, *, show_implicit: bool = False) -> str:
    return Printer(show_implicit).module(m)


def print_expr(e: ir.Expr, *, show_implicit: bool = False) -> str:
    return Printer(show_implicit).expr(e)
