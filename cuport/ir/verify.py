"""The IR verifier: rules over nodes, run after lowering and between passes in tests.

Each rule is `(node class, check)`: `check(node)` returns None when the node is fine, or the
reason it is not. Rules that need context (scopes, loops, the function's return type) live in
`_Walker`, which visits statements in order. Every problem is a CL004 diagnostic at the node.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cuport.diagnostics import Diagnostic, diag
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.math_table import is_bf16_based, math_table, resolved_words

Check = Callable[[ir.Node], str | None]


def _same(a: t.Type, b: t.Type) -> bool:
    return a == b or t.same_ignoring_space(a, b)


def _binary(n: ir.Binary) -> str | None:
    if n.op in ("<<", ">>"):
        return None if n.lhs.type == n.type else f"shift result {t.type_name(n.type)} is not its left operand's type"
    if not (n.lhs.type == n.rhs.type == n.type):
        return f"'{n.op}' operands {t.type_name(n.lhs.type)}, {t.type_name(n.rhs.type)} and result {t.type_name(n.type)} differ"
    if n.op in ("%", "&", "|", "^") and not t.is_integer(n.type):
        return f"'{n.op}' on a floating type"
    return None


def _compare(n: ir.Compare) -> str | None:
    if n.type != t.BOOL:
        return "a comparison must be bool"
    if not _same(n.lhs.type, n.rhs.type):
        return f"compared types differ: {t.type_name(n.lhs.type)} and {t.type_name(n.rhs.type)}"
    return None


def _logical(n: ir.Logical) -> str | None:
    if not (n.type == n.lhs.type == n.rhs.type == t.BOOL):
        return f"'{n.op}' needs bool operands"
    return None


def _select(n: ir.Select) -> str | None:
    if n.cond.type != t.BOOL:
        return "'?:' condition is not bool"
    if not (_same(n.if_true.type, n.type) and _same(n.if_false.type, n.type)):
        return "'?:' branches differ from its type"
    return None


def _index(n: ir.Index) -> str | None:
    if not isinstance(n.base.type, t.Pointer | t.Array):
        return "indexing a value that is not a pointer or an array"
    if not t.is_integer(n.index.type):
        return "index is not an integer"
    if t.element_of(n.base.type) != n.type:
        return "index type is not the element type"
    return None


def _unary(n: ir.Unary) -> str | None:
    if n.op == "!":
        return None if n.type == n.operand.type == t.BOOL else "'!' needs bool"
    return None if n.type == n.operand.type else f"'{n.op}' changes the type"


def _cast(n: ir.Cast) -> str | None:
    if n.implicit and isinstance(n.type, t.Array):
        return "an implicit cast to an array type"
    return None


def _ptr_add(n: ir.PtrAdd) -> str | None:
    if not isinstance(n.ptr.type, t.Pointer) or n.type != n.ptr.type:
        return "pointer arithmetic on a non-pointer"
    return None if t.is_integer(n.offset.type) else "pointer offset is not an integer"


def _atomic(n: ir.Atomic) -> str | None:
    if not isinstance(n.ptr.type, t.Pointer):
        return "atomic on a non-pointer"
    if n.ptr.type.space == t.AddrSpace.CONSTANT or n.ptr.type.const:
        return "atomic on read-only memory"
    if n.ptr.type.pointee != n.type or n.value.type != n.type:
        return "atomic value type differs from the pointee"
    if (n.op == "cas") != (n.compare is not None):
        return "compare operand present exactly for atomicCAS"
    return None


def _member(n: ir.Member) -> str | None:
    base = n.base.type
    if n.arrow:
        if not isinstance(base, t.Pointer):
            return "'->' on a non-pointer"
        base = base.pointee
    if isinstance(base, t.Vector):
        return None if n.name in t.VECTOR_LANES[: base.count] and n.type == base.elem else "bad vector lane"
    if isinstance(base, t.Struct):
        return None if (n.name, n.type) in base.fields else f"no field {n.name} in {base.name}"
    return "member access on a non-aggregate"


def _make_vector(n: ir.MakeVector) -> str | None:
    if not isinstance(n.type, t.Vector) or len(n.args) != n.type.count:
        return "vector constructor arity"
    return None if all(a.type == n.type.elem for a in n.args) else "vector constructor lane types"


def _printf(n: ir.Printf) -> str | None:
    for a in n.args:
        if isinstance(a.type, t.Scalar) and (a.type.kind.bits < 32 or (not a.type.kind.is_integer and a.type.kind.bits < 64)):
            return f"printf argument of type {t.type_name(a.type)} without its default promotion"
        if not isinstance(a.type, t.Scalar | t.Pointer):
            return f"printf argument of type {t.type_name(a.type)}"
    return None if n.type == t.I32 else "printf returns int"


def _assert(n: ir.Assert) -> str | None:
    return None if n.cond.type == t.BOOL and isinstance(n.type, t.Void) else "assert needs a bool condition and is void"


def _math_call(n: ir.MathCall) -> str | None:
    """Arguments and result follow the row's fixed type words (generic words are not rechecked)."""
    row = math_table().get(n.name)
    if row is None or row["op"] != n.op:
        return f"'{n.name}' is not a math_ops.toml row with op '{n.op}'"
    if len(n.args) != len(row["args"]):
        return f"'{n.name}' takes {len(row['args'])} arguments"
    words = resolved_words(any(is_bf16_based(a.type) for a in n.args))
    for i, (a, w) in enumerate(zip(n.args, row["args"], strict=True)):
        if w in words and not _same(a.type, words[w]):
            return f"'{n.name}' argument {i + 1} is {t.type_name(a.type)}, not {t.type_name(words[w])}"
        if w == "ptr" and not isinstance(a.type, t.Pointer | t.Array):
            return f"'{n.name}' argument {i + 1} is not a pointer"
    if row["ret"] in words and not _same(n.type, words[row["ret"]]):
        return f"'{n.name}' returns {t.type_name(words[row['ret']])}, not {t.type_name(n.type)}"
    return None


RULES: list[tuple[type, Check]] = [
    (ir.Binary, _binary),  # type: ignore[list-item]
    (ir.Compare, _compare),  # type: ignore[list-item]
    (ir.Logical, _logical),  # type: ignore[list-item]
    (ir.Select, _select),  # type: ignore[list-item]
    (ir.Index, _index),  # type: ignore[list-item]
    (ir.Unary, _unary),  # type: ignore[list-item]
    (ir.Cast, _cast),  # type: ignore[list-item]
    (ir.PtrAdd, _ptr_add),  # type: ignore[list-item]
    (ir.Atomic, _atomic),  # type: ignore[list-item]
    (ir.Member, _member),  # type: ignore[list-item]
    (ir.MakeVector, _make_vector),  # type: ignore[list-item]
    (ir.Printf, _printf),  # type: ignore[list-item]
    (ir.Assert, _assert),  # type: ignore[list-item]
    (ir.MathCall, _math_call),  # type: ignore[list-item]
]

_SYNC = (ir.Barrier, ir.WarpShuffle, ir.WarpVote, ir.WarpReduce)


@dataclass
class _Walker:
    """Context rules: declared-before-use, loops for break/continue, returns, spans, sync placement."""

    globals: set[str]
    functions: set[str] | None
    is_kernel: bool
    return_type: t.Type
    problems: list[Diagnostic] = field(default_factory=list)
    scopes: list[set[str]] = field(default_factory=lambda: [set()])
    loops: int = 0

    def report(self, node: ir.Node, reason: str) -> None:
        self.problems.append(diag("CL004", node.span if node.span.line > 0 else None, reason=reason))

    def declared(self, name: str) -> bool:
        return name in self.globals or any(name in s for s in self.scopes)

    def expr(self, e: ir.Expr, conditional: bool = False) -> None:
        if e.span.line <= 0:
            self.report(e, f"{type(e).__name__} has no span")
        for cls, check in RULES:
            if isinstance(e, cls):
                reason = check(e)
                if reason is not None:
                    self.report(e, reason)
        if isinstance(e, ir.Var) and not self.declared(e.name):
            self.report(e, f"'{e.name}' used before its declaration")
        if isinstance(e, _SYNC) and conditional:
            self.report(e, f"{type(e).__name__} on the conditionally evaluated side of '&&', '||' or '?:'")
        if isinstance(e, ir.Call) and self.functions is not None and e.callee not in self.functions:
            self.report(e, f"call of '{e.callee}', which the module does not define")
        if isinstance(e, ir.Logical):
            self.expr(e.lhs, conditional)
            self.expr(e.rhs, True)
            return
        if isinstance(e, ir.Select):
            self.expr(e.cond, conditional)
            self.expr(e.if_true, True)
            self.expr(e.if_false, True)
            return
        for c in ir.children(e):
            self.expr(c, conditional)  # type: ignore[arg-type]

    def cond(self, e: ir.Expr) -> None:
        if e.type != t.BOOL:
            self.report(e, "a condition must be bool")
        self.expr(e)

    def block(self, b: ir.Block) -> None:
        self.scopes.append(set())
        for s in b.stmts:
            self.stmt(s)
        self.scopes.pop()

    def stmt(self, s: ir.Stmt) -> None:
        if s.span.line <= 0:
            self.report(s, f"{type(s).__name__} has no span")
        if isinstance(s, ir.VarDecl):
            if s.init is not None:
                self.expr(s.init)
                if not isinstance(s.init, ir.InitList) and not _same(s.init.type, s.var_type):
                    self.report(s, f"'{s.name}' initialised with {t.type_name(s.init.type)}")
            self.scopes[-1].add(s.name)
        elif isinstance(s, ir.SharedDecl):
            if s.dynamic and not (isinstance(s.var_type, t.Array) and s.var_type.size is None):
                self.report(s, "dynamic shared memory must be an unsized array")
            self.scopes[-1].add(s.name)
        elif isinstance(s, ir.Assign):
            self.expr(s.target)
            self.expr(s.value)
            if not isinstance(s.target, ir.Var | ir.Index | ir.Deref | ir.Member):
                self.report(s, "assignment to a value that is not an lvalue")
            if s.op == "" and not isinstance(s.value, ir.InitList) and not _same(s.value.type, s.target.type):
                self.report(s, f"assigning {t.type_name(s.value.type)} to {t.type_name(s.target.type)}")
        elif isinstance(s, ir.ExprStmt):
            self.expr(s.expr)
        elif isinstance(s, ir.Block):
            self.block(s)
        elif isinstance(s, ir.If):
            self.cond(s.cond)
            self.block(s.then)
            if s.orelse is not None:
                self.block(s.orelse)
        elif isinstance(s, ir.For):
            self.scopes.append(set())
            for st in s.init:
                self.stmt(st)
            if s.cond is not None:
                self.cond(s.cond)
            self.loops += 1
            self.block(s.body)
            self.loops -= 1
            for st in s.step:
                self.stmt(st)
            self.scopes.pop()
        elif isinstance(s, ir.While | ir.DoWhile):
            self.cond(s.cond)
            self.loops += 1
            self.block(s.body)
            self.loops -= 1
        elif isinstance(s, ir.Break | ir.Continue):
            if self.loops == 0:
                self.report(s, f"{type(s).__name__.lower()} outside a loop")
        elif isinstance(s, ir.Return):
            if s.value is None:
                if not isinstance(self.return_type, t.Void):
                    self.report(s, "return without a value in a non-void function")
            else:
                self.expr(s.value)
                if self.is_kernel or not _same(s.value.type, self.return_type):
                    self.report(s, f"returning {t.type_name(s.value.type)} from a function returning {t.type_name(self.return_type)}")


def verify_function(
    fn: ir.Function, globals: tuple[ir.GlobalVar, ...] = (), functions: set[str] | None = None
) -> list[Diagnostic]:
    """CL004 diagnostics for one function (empty when it is valid). functions: callees to check."""
    w = _Walker({g.name for g in globals}, functions, isinstance(fn, ir.Kernel),
                fn.return_type if isinstance(fn, ir.DeviceFunction) else t.VOID)  # fmt: skip
    if fn.span.line <= 0:
        w.report(fn, "function has no span")
    for p in fn.params:
        w.scopes[0].add(p.name)
        if p.by_ref and (isinstance(fn, ir.Kernel) or not isinstance(p.type, t.Pointer)):
            w.report(p, f"reference parameter '{p.name}' must be a pointer of a device function")
    w.block(fn.body)
    return w.problems


def verify_module(m: ir.Module) -> list[Diagnostic]:
    names = {ir.instance_name(f) for f in m.functions}
    out: list[Diagnostic] = []
    for g in m.globals:
        if g.init is not None:
            w = _Walker(set(), None, False, t.VOID)
            w.expr(g.init)
            out += w.problems
            if any(isinstance(n, _SYNC) for n in ir.walk(g.init)):
                out.append(diag("CL004", g.span, reason="a barrier or warp operation in a global initializer"))
    for f in m.functions:
        out += verify_function(f, m.globals, names)
    return out
