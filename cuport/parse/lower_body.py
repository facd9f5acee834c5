"""The lowering of one function body: CST statements and expressions -> IR nodes.

C++ semantics are made explicit here: integer promotion and the usual arithmetic conversions
become `Cast(implicit=True)` nodes (see `cuport/ir/conversions.py`), conditions become bool,
template parameters are substituted and integer constants folded. Anything without an IR form
raises `LowerError` carrying a CLxxx diagnostic; `lower.py` turns it into a Failed result.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tree_sitter import Node as CstNode

from cuport.diagnostics import Diagnostic, diag
from cuport.ir import conversions as conv
from cuport.ir import math_table as math_tables
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.cst import parse_cst
from cuport.parse.lower_compare import reread_comparisons
from cuport.parse.lower_constexpr import Constexpr
from cuport.parse.lower_cub import cub_alias, cub_call, lower_cub_call, storage_union
from cuport.parse.lower_effects import EffectScope, Sequencer, has_effect
from cuport.parse.lower_groups import Groups
from cuport.parse.lower_lambdas import LambdaDef, Lambdas
from cuport.parse.lower_library import DIM3, dim3_value, names_dim3
from cuport.parse.lower_memfns import MEM_FUNCTIONS, lower_mem_call, mem_function_name
from cuport.parse.lower_methods import Methods
from cuport.parse.lower_parens import walk_cst
from cuport.parse.lower_printf import is_string_choice, printf_items, printf_statement
from cuport.parse.lower_scope import FileScope, FunctionDef, scan_type_alias
from cuport.parse.lower_scoped import own_static, static_value
from cuport.parse.lower_structs import template_param_name
from cuport.parse.lower_switch import lower_switch
from cuport.parse.lower_traits import is_trait_value, trait_value
from cuport.parse.lower_types import TypeError_, TypeNames, base_type, has_qualifier, parse_type_text, size_of
from cuport.source import SourceText, Span

_AXES = ("x", "y", "z")
_BUILTIN_INDEX = {"threadIdx": ir.ThreadIdx, "blockIdx": ir.BlockIdx, "blockDim": ir.BlockDim, "gridDim": ir.GridDim}
_ARITH_OPS = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"}
_COMPARE_OPS = {"==", "!=", "<", "<=", ">", ">="}
_INT_ONLY = {"%", "&", "|", "^", "<<", ">>"}
# C++'s alternative tokens (`if (not done or last)`).
_ALT_TOKENS = {"and": "&&", "or": "||", "not": "!", "bitand": "&", "bitor": "|", "xor": "^", "compl": "~", "not_eq": "!="}
_PRINTF_SPEC = re.compile(
    r"%(?:%|[-+ #0]*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|j|z|t|L)?(?P<conv>[diouxXfFeEgGaAcspn]))"
)  # one printf conversion, or `%%` (conv None)
_SKIP = {"comment", "preproc_call", "preproc_def", "preproc_function_def", "preproc_include", ";"}
_NAME = re.compile(r"[A-Za-z_]\w*")
# Expressions whose value is no lvalue (decltype of them is no reference), and plain names.
_PRVALUES = {"identifier", "number_literal", "binary_expression", "unary_expression", "call_expression",
             "cast_expression", "true", "false", "sizeof_expression", "char_literal"}


def math_table() -> dict[str, dict]:
    return math_tables.math_table()


@cache
def builtin_table() -> dict[str, dict]:
    return tomllib.loads(resources.files("cuport.ir").joinpath("cuda_builtins.toml").read_text("utf-8"))


@cache
def std_constants() -> dict[str, dict]:
    return tomllib.loads(resources.files("cuport.ir").joinpath("std_constants.toml").read_text("utf-8"))


_WORD_TYPES = math_tables.WORD_TYPES
_HALF2_OPERATORS = {"+": "__hadd2", "-": "__hsub2", "*": "__hmul2", "/": "__h2div"}


def _is_half2(ty: t.Type) -> bool:
    return isinstance(ty, t.Vector) and ty.count == 2 and ty.elem in (t.F16, t.BF16)


class LowerError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class Binding:
    type: t.Type
    kind: ir.VarKind
    const_value: int | None = None  # a const integer with a known value (array sizes, folding)
    ref: bool = False  # a C++ reference held as a pointer: uses read and write through it
    lam: LambdaDef | None = None  # a lambda (no value: only called, see lower_lambdas)


def _scalar(ty: t.Type) -> t.Scalar | None:
    return ty if isinstance(ty, t.Scalar) else None


class FunctionLowerer:
    def __init__(
        self,
        source: SourceText,
        scope: FileScope,
        globals: dict[str, ir.GlobalVar],
        targs: dict[str, str | int],
        *,
        inline: bool = False,
    ) -> None:
        self.source = source
        self.scope = scope
        self.globals = globals
        self.targs = targs
        self.inline = inline
        self.types: TypeNames = scope.types
        self.values: dict[str, int] = {}
        self.scopes: list[dict[str, Binding]] = [{}]
        self.loop_depth = 0
        self.switch_depth = 0  # inside a switch case: `break` leaves the switch (see lower_switch)
        self.is_kernel = False
        self.return_type: t.Type = t.VOID
        self.instantiations: list[tuple[FunctionDef, dict[str, str | int]]] = []
        self._inline_bodies: dict[str, tuple[tuple[ir.Param, ...], ir.Expr]] = {}
        # Side effects inside the statement being lowered (`a[i++] = x`, `x = y = 0`; see
        # lower_effects). None: not allowed here.
        self.effects: EffectScope | None = None
        self.seq = Sequencer(self)
        self.conditional = 0  # inside the lazily evaluated side of &&, || or ?:
        self.defaults: dict[int, CstNode] = {}  # parameter position -> default argument (last `params`)
        self.groups = Groups(self)  # cooperative groups bound in this function
        self.methods = Methods(self)  # the class of a member function, `this`, member calls
        self.lambdas = Lambdas(self)  # lambdas bound in this function, the device functions of their calls
        self.deduce_return = False  # a lambda's return type: the first `return`'s
        self.constexpr = Constexpr(self)  # variable templates, constexpr calls evaluated
        self._fresh = 0  # counter of `fresh_name`
        self.cub_members: dict[tuple[str, str], str] = {}  # (union variable, member) -> its scratch (lower_cub)
        self.swapped: frozenset[int] = frozenset()  # offsets of `<` read as `>` (see lower_compare)

    # --- helpers ------------------------------------------------------------------------------

    def span(self, node: CstNode) -> Span:
        return self.source.span(node.start_byte, node.end_byte)

    def fail(self, node: CstNode | None, what: str, reason: str, code: str = "CL001") -> LowerError:
        sp = self.span(node) if node is not None else None
        return LowerError(diag(code, sp, what=what, reason=reason))

    def err(self, code: str, node: CstNode, **fields: object) -> LowerError:
        return LowerError(diag(code, self.span(node), **fields))

    def text(self, node: CstNode) -> str:
        return node.text.decode("utf-8", errors="replace") if node.text else ""

    def lookup(self, name: str) -> Binding | None:
        for s in reversed(self.scopes):
            if name in s:
                return s[name]
        return None

    def declare(self, name: str, binding: Binding) -> None:
        self.scopes[-1][name] = binding

    # --- types --------------------------------------------------------------------------------

    def base_type(self, node: CstNode) -> t.Type:
        try:
            return base_type(node, self.types)
        except TypeError_ as e:
            if e.what == "auto":
                raise
            raise self.err("CL005", e.node or node, name=e.what) from None

    def declarator(
        self, node: CstNode | None, ty: t.Type, const_base: bool
    ) -> tuple[str, t.Type, CstNode | None, bool]:
        """Apply a declarator to a base type: (name, type, initializer node, variable is const)."""
        name, ty, init, var_const, is_ref = self.ref_declarator(node, ty, const_base)
        if is_ref:
            raise self.fail(node, "a reference", "not supported here")
        return name, ty, init, var_const

    def ref_declarator(
        self, node: CstNode | None, ty: t.Type, const_base: bool
    ) -> tuple[str, t.Type, CstNode | None, bool, bool]:
        """`declarator` that also accepts a reference: the last item says `T& x` (ty is then T)."""
        init: CstNode | None = None
        is_ref = False
        var_const = const_base
        first_pointer = True
        while node is not None:
            kind = node.type
            if kind == "init_declarator":
                init = node.child_by_field_name("value")
                node = node.child_by_field_name("declarator")
            elif kind == "pointer_declarator":
                quals = {self.text(c) for c in node.named_children if c.type == "type_qualifier"}
                ty = t.Pointer(ty, const=const_base and first_pointer, restrict=bool(quals & {"__restrict__", "restrict", "__restrict"}))
                var_const = "const" in quals
                first_pointer = False
                node = node.child_by_field_name("declarator")
            elif kind == "array_declarator":
                size_node = node.child_by_field_name("size")
                size = None if size_node is None else self.const_int(size_node)
                ty = t.Array(ty, size)
                node = node.child_by_field_name("declarator")
            elif kind == "parenthesized_declarator":
                node = node.named_children[0] if node.named_children else None
            elif kind in ("identifier", "field_identifier"):
                return self.text(node), ty, init, var_const, is_ref
            elif kind == "reference_declarator":
                if is_ref or any(not c.is_named and c.type == "&&" for c in node.children):
                    raise self.fail(node, "an rvalue reference", "not supported")
                is_ref = True
                node = node.named_children[0] if node.named_children else None
            else:
                raise self.fail(node, f"declarator '{kind}'", "not supported")
        return "", ty, init, var_const, is_ref

    def const_int(self, node: CstNode) -> int:
        if node.type in ("type_descriptor", "type_identifier"):
            # A template argument list parses a lone name (`BlockReduce<float, BLOCK_SIZE>`) as a type.
            name = self.text(node).strip()
            value = self.targs.get(name, self.values.get(name, self.scope.enum_values.get(name)))
            if isinstance(value, int):
                return value
            if _NAME.fullmatch(name) and self.lookup(name) is not None or name in self.globals:
                v = const_value(self.fold_locals(self.e_identifier(node)))  # a `constexpr` variable
                if v is not None:
                    return v
            if "::" in name and (v := const_value(static_value(self, node, name))) is not None:
                return v  # `Mode::kFast`, `Traits::kN`
            raise self.err("CL007", node, what=name)
        e = self.expr(node)
        v = const_value(self.fold_locals(e))
        if v is None:
            raise self.err("CL007", node, what=self.text(node))
        return v

    def fold_locals(self, e: ir.Expr) -> ir.Expr:
        """`e` with local `const` integers of known value substituted and folded: array sizes such
        as `double a[N_L + N_M]` after `const int N_L = 10;` (the IR itself keeps the names)."""
        if isinstance(e, ir.Var):
            b = self.lookup(e.name)
            if b is not None and b.const_value is not None and not b.ref and isinstance(e.type, t.Scalar):
                return ir.IntLit(e.span, e.type, b.const_value)
            return e
        if isinstance(e, ir.Unary):
            return fold(ir.replace(e, operand=self.fold_locals(e.operand)))
        if isinstance(e, ir.Binary | ir.Compare | ir.Logical):
            return fold(ir.replace(e, lhs=self.fold_locals(e.lhs), rhs=self.fold_locals(e.rhs)))
        if isinstance(e, ir.Select):
            return fold(ir.replace(e, cond=self.fold_locals(e.cond), if_true=self.fold_locals(e.if_true),
                                   if_false=self.fold_locals(e.if_false)))
        if isinstance(e, ir.Cast):
            return fold(ir.replace(e, operand=self.fold_locals(e.operand)))
        return e

    # --- functions ----------------------------------------------------------------------------

    def bind_templates(self, fn: FunctionDef) -> tuple[tuple[str, str | int], ...]:
        if fn.template_params is None:
            self.methods.enter(fn, ())
            return ()
        bound: list[tuple[str, str | int]] = []
        type_names: dict[str, t.Type] = {}
        for p in fn.template_params.named_children:
            name = template_param_name(p)
            if name is None:
                continue
            given = self.targs.get(name)
            is_type = p.type.endswith("type_parameter_declaration")
            if given is None:
                default = p.child_by_field_name("default_type" if is_type else "default_value")
                if default is None:
                    raise self.err("CL003", p, name=fn.name)
                given = self.text(default) if is_type else self.const_int(default)
            if is_type:
                ty = parse_type_text(str(given), self.types.child(type_names))
                if ty is None:
                    raise self.err("CL005", p, name=str(given))
                type_names[name] = ty
                bound.append((name, t.type_name(ty)))
            else:
                try:
                    word = str(given).strip()
                    value = {"true": 1, "false": 0}[word] if word in ("true", "false") else int(word.rstrip("uUlL"), 0)
                except ValueError as exc:
                    raise self.fail(p, f"template argument {name}={given}", "not an integer") from exc
                self.values[name] = value
                bound.append((name, value))
            self.types = self.types.child(type_names, {k: v for k, v in bound if isinstance(v, int)})
        self.methods.enter(fn, tuple(bound))
        return tuple(bound)

    def params(self, fn: FunctionDef) -> tuple[ir.Param, ...]:
        decl = fn.node.child_by_field_name("declarator")
        while decl is not None and decl.type != "function_declarator":
            # `T& f(...)`: a reference declarator holds the function declarator unnamed
            decl = decl.child_by_field_name("declarator") or (decl.named_children[0] if decl.named_children else None)
        plist = decl.child_by_field_name("parameters") if decl is not None else None
        out: list[ir.Param] = []
        self.defaults = {}
        this = self.methods.this_param(fn)
        if this is not None:
            self.declare(this.name, Binding(this.type, "param"))
            out.append(this)
        for p in plist.named_children if plist is not None else []:
            if p.type in ("comment",):
                continue
            if p.type == "optional_parameter_declaration":
                default = p.child_by_field_name("default_value")
                if default is not None:
                    self.defaults[len(out)] = default
            elif p.type != "parameter_declaration":
                raise self.fail(p, f"parameter '{self.text(p)}'", "not supported")
            type_node = p.child_by_field_name("type")
            if type_node is None:
                raise self.fail(p, "parameter", "no type")
            d = p.child_by_field_name("declarator")
            inner = d
            while inner is not None and inner.type == "reference_declarator" and inner.named_children:
                inner = inner.named_children[0]
            if inner is not None and inner.type == "identifier" and self.groups.param(type_node, self.text(inner)):
                continue  # a cooperative group: a compile-time binding, not a value
            base = self.base_type(type_node)
            if d is None:
                if isinstance(base, t.Void):
                    continue  # f(void)
                raise self.fail(p, "unnamed parameter", "not supported")
            const = has_qualifier(p, "const")
            name, ty, _, _, is_ref = self.ref_declarator(d, base, const)
            if isinstance(ty, t.Array):
                # Array parameters are pointers; a reference to an array (`int (&a)[N]`) too: the
                # callee indexes the caller's array either way.
                ty, is_ref = t.Pointer(ty.elem, const=const), False
            if isinstance(ty, t.Pointer) and fn.is_kernel:
                # Kernel arguments point to global memory in every use cuport supports.
                ty = t.Pointer(ty.pointee, t.AddrSpace.GLOBAL, ty.const, ty.restrict)
            by_ref = is_ref and not (const and not isinstance(ty, t.Pointer))
            if by_ref and fn.is_kernel:
                raise self.fail(d, f"reference parameter '{name}' of a kernel", "not supported")
            if by_ref:
                # A writable reference is a pointer the body reads and writes through.
                ty = t.Pointer(ty)
            self.declare(name, Binding(ty, "param", ref=by_ref))
            out.append(ir.Param(self.span(p), name, ty, by_ref))
        return tuple(out)

    def function(self, fn: FunctionDef) -> ir.Kernel | ir.DeviceFunction:
        reread = reread_comparisons(self.source, fn.node)  # `i < n >> 3` parsed as a template
        if reread is not None:
            fn = dataclasses.replace(fn, node=reread[0])
            self.swapped = reread[1]
        bound = self.bind_templates(fn)
        self.is_kernel = fn.is_kernel
        self.lambdas.fn_node = fn.node
        self.lambdas.fn_name = "_".join([fn.ir_name or fn.name, *(str(v) for _, v in bound)])
        type_node = fn.node.child_by_field_name("type")
        if type_node is None and not self.methods.in_ctor:
            raise self.fail(fn.node, "function", "no return type")
        ret = self.methods.owner if self.methods.in_ctor and self.methods.owner else self.base_type(type_node)  # type: ignore[arg-type]
        decl = fn.node.child_by_field_name("declarator")
        if decl is not None and decl.type == "pointer_declarator":
            ret = t.Pointer(ret, const=has_qualifier(fn.node, "const"))
        self.return_type = ret
        params = self.params(fn)
        body_node = fn.node.child_by_field_name("body")
        if body_node is None:
            raise self.fail(fn.node, "function", "no body")
        body = self.block(body_node, new_scope=True)
        if self.methods.in_ctor:
            body = self.methods.ctor_body(fn, body)
        sp = self.span(fn.node)
        if fn.is_kernel:
            bounds: tuple[int, ...] = ()
            lb = next((c for c in fn.node.named_children if c.type == "launch_bounds"), None)
            if lb is not None:
                bounds = tuple(self.const_int(c) for c in lb.named_children)
            return ir.Kernel(sp, fn.name, params, body, bound, bounds)
        return ir.DeviceFunction(sp, fn.ir_name or fn.name, params, ret, body, bound, fn.force_inline)

    def global_vars(self, decl: CstNode, space: str) -> list[ir.GlobalVar]:
        type_node = decl.child_by_field_name("type")
        if type_node is None:
            return []
        base = self.base_type(type_node)
        out = []
        for d in decl.children_by_field_name("declarator"):
            ctor_args = None
            if space == "const" and d.type == "function_declarator" and d.child_by_field_name("declarator") is not None:
                d, ctor_args = d.child_by_field_name("declarator"), self.constructor_args(d)  # type: ignore[assignment]
            name, ty, init_node, _ = self.declarator(d, base, has_qualifier(decl, "const"))
            init_node = init_node if ctor_args is None else ctor_args
            init = None
            if init_node is not None:
                init = self.initializer(init_node, ty)
            if isinstance(ty, t.Array) and ty.size is None and isinstance(init, ir.InitList):
                ty = t.Array(ty.elem, len(init.items))
            if space == "const":
                if init is None:
                    raise self.fail(d, f"constant '{name}'", "no initializer")
                value = const_value(init)
                if value is not None and t.is_integer(ty):
                    self.scope.enum_values[name] = value  # integer constants fold like enumerators
                    continue
            out.append(ir.GlobalVar(self.span(d), name, ty, space, init))  # type: ignore[arg-type]
        return out

    # --- statements ---------------------------------------------------------------------------

    def block(self, node: CstNode, new_scope: bool = True) -> ir.Block:
        if node.type != "compound_statement":
            return self.as_block(node)
        if new_scope:
            self.scopes.append({})
        try:
            stmts: list[ir.Stmt] = []
            for c in node.named_children:
                stmts.extend(self.stmt(c))
            return ir.Block(self.span(node), tuple(stmts))
        finally:
            if new_scope:
                self.scopes.pop()

    def as_block(self, node: CstNode) -> ir.Block:
        """A statement as a Block with its own scope (bodies of if/for/while)."""
        if node.type == "compound_statement":
            return self.block(node)
        self.scopes.append({})
        try:
            return ir.Block(self.span(node), tuple(self.stmt(node)))
        finally:
            self.scopes.pop()

    def stmt(self, node: CstNode) -> list[ir.Stmt]:
        kind = node.type
        sp = self.span(node)
        if kind in _SKIP:
            return []
        if kind == "compound_statement":
            return [self.block(node)]
        if kind == "declaration":
            return self.with_effects(node, lambda: self.local_declaration(node))
        if kind == "expression_statement":
            if not node.named_children:
                return []
            grouped = self.groups.template_statement(node)
            if grouped is not None:
                return grouped
            return self.with_effects(node, lambda: self.expr_stmt(node.named_children[0]))
        if kind == "if_statement":
            if any(not c.is_named and c.type == "constexpr" for c in node.children):
                return self.if_constexpr(node)
            pre, cond = self.seq.condition(node.child_by_field_name("condition"))
            then = self.as_block(node.child_by_field_name("consequence"))  # type: ignore[arg-type]
            alt = node.child_by_field_name("alternative")
            orelse = None
            if alt is not None:
                inner = alt.named_children[0] if alt.type == "else_clause" else alt
                orelse = self.as_block(inner)
            return [*pre, ir.If(sp, cond, then, orelse)]
        if kind == "for_statement":
            return [self.for_stmt(node)]
        if kind == "while_statement":
            pre, cond = self.seq.condition(node.child_by_field_name("condition"))
            body = self.loop_body(node.child_by_field_name("body"))
            return [self.seq.while_loop(sp, pre, cond, body)]
        if kind == "do_statement":
            body = self.loop_body(node.child_by_field_name("body"))
            pre, cond = self.seq.condition(node.child_by_field_name("condition"))
            return [self.seq.do_loop(node, pre, cond, body)]
        if kind == "break_statement":
            if self.loop_depth == 0 and self.switch_depth == 0:
                raise self.fail(node, "break", "outside a loop or switch")
            return [ir.Break(sp)]
        if kind == "continue_statement":
            if self.loop_depth == 0:
                raise self.fail(node, "continue", "outside a loop")
            return [ir.Continue(sp)]
        if kind == "return_statement":
            value_node = next((c for c in node.named_children if c.type != "comment"), None)
            if value_node is None:
                return [ir.Return(sp)]
            return self.with_effects(
                node, lambda: [ir.Return(sp, self.convert(self.return_value(value_node), self.return_type, value_node))]
            )
        if kind in ("type_definition", "alias_declaration", "struct_specifier", "enum_specifier"):
            # A local alias: scan it into a copy of the names so it stays local to this function.
            local = FileScope(types=self.types.child({}), enum_values=self.scope.enum_values,
                              classes=self.scope.classes)
            alias = cub_alias(node, lambda n: self.base_type(n), self.const_int, self.targs)
            if alias is not None:
                local.types.cub[alias[0]] = alias[1]
            scan_type_alias(node, local)
            name, aliased = node.child_by_field_name("name"), node.child_by_field_name("type")
            if (kind == "alias_declaration" and name is not None and aliased is not None and alias is None
                    and self.text(name) not in local.types.names):
                raise self.err("CL005", aliased, name=" ".join(self.text(aliased).split()))  # not silently unknown
            self.types = local.types
            return []
        if kind in ("namespace_alias_definition", "using_declaration", "static_assert_declaration"):
            return []
        if kind == "switch_statement":
            return lower_switch(self, node)
        if kind == "attributed_statement":
            inner = [c for c in node.named_children if c.type != "attribute_declaration"]
            return [s for c in inner for s in self.stmt(c)]
        raise self.fail(node, f"statement '{kind.replace('_statement', '')}'", "not supported yet")

    def return_value(self, node: CstNode) -> ir.Expr:
        value = self.expr(node)
        if self.deduce_return:  # `auto` deduction: the value's type, decayed (the returns agree)
            self.return_type, self.deduce_return = self.lambdas.decay(value.type), False
            if not isinstance(self.return_type, t.Scalar | t.Vector | t.Pointer | t.Struct):
                raise self.fail(node, f"return of {t.type_name(value.type)} from a lambda", "not supported")
        return value

    def if_constexpr(self, node: CstNode) -> list[ir.Stmt]:
        """`if constexpr (c)`: only the branch the constant picks is lowered (the other may not
        even be valid for this instantiation)."""
        cond_node = node.child_by_field_name("condition")
        inner = cond_node.child_by_field_name("value") if cond_node is not None else None
        if inner is None and cond_node is not None:
            inner = next((c for c in cond_node.named_children if c.type != "comment"), None)
        if inner is None:
            raise self.fail(node, "if constexpr", "no condition")
        taken = node.child_by_field_name("consequence") if self.const_int(inner) else node.child_by_field_name("alternative")
        if taken is not None and taken.type == "else_clause":
            taken = taken.named_children[0] if taken.named_children else None
        return [] if taken is None else [self.as_block(taken)]

    def with_effects(self, node: CstNode, lower: Callable[[], list[ir.Stmt]]) -> list[ir.Stmt]:
        """Lower one statement in which `++`, `--` and assignments may sit inside expressions.

        Such a side effect is allowed on a variable that occurs only once in the statement and not
        on a lazily evaluated side: then running it before (prefix, assignment) or after (postfix)
        the statement is exactly C++'s meaning.
        """
        if self.effects is not None:
            return lower()
        with self.seq.scope(node) as sc:
            main = lower()
        if sc.after and any(isinstance(s, ir.Return) for s in main):
            raise self.err("CL006", node, what="a postfix update in a return")
        return sc.before + main + sc.after

    def fresh_name(self, stem: str) -> str:
        """A local name for a lowering-made variable, unused in this function so far."""
        while True:
            self._fresh += 1
            name = f"{stem}_{self._fresh}"
            if self.lookup(name) is None and name not in self.globals:
                return name

    def side_effect_slot(self) -> list[ir.Stmt] | None:
        """Where statements that must run before the current one go, or None (no statement here,
        or a lazily evaluated operand)."""
        if self.effects is None or self.conditional:
            return None
        return self.effects.before

    def side_effect(self, node: CstNode, target_node: CstNode | None) -> tuple[list[ir.Stmt], list[ir.Stmt]] | None:
        """Where a side effect on `target_node` may go (before, after lists), or None if not here."""
        sc = self.seq.place(target_node)
        return None if sc is None else (sc.before, sc.after)

    def case_block(self, node: CstNode, stmts: list[CstNode]) -> ir.Block:
        """The statements of one switch case, in a scope of their own (see lower_switch)."""
        self.scopes.append({})
        self.switch_depth += 1
        try:
            out = [s for c in stmts for s in self.stmt(c)]
        finally:
            self.scopes.pop()
            self.switch_depth -= 1
        return ir.Block(self.span(node), tuple(out))

    def condition_value(self, node: CstNode | None) -> ir.Expr:
        if node is None:
            raise self.fail(None, "switch", "no condition")
        inner = node.child_by_field_name("value") or next((c for c in node.named_children if c.type != "comment"), None)
        if inner is None:
            raise self.fail(node, "switch", "no condition")
        return self.expr(inner)

    def loop_body(self, node: CstNode | None) -> ir.Block:
        if node is None:
            raise self.fail(None, "loop", "no body")
        self.loop_depth += 1
        try:
            return self.as_block(node)
        finally:
            self.loop_depth -= 1

    def for_stmt(self, node: CstNode) -> ir.For | ir.Block:
        self.scopes.append({})
        try:
            init_node = node.child_by_field_name("initializer")
            init: list[ir.Stmt] = []
            hoisted: list[ir.Stmt] = []  # what the initializer's statement expressions run first
            if init_node is not None and init_node.type == "declaration" and any(
                n.type == "compound_statement" for n in walk_cst(init_node)
            ):
                with self.seq.scope(init_node) as sc:
                    init = self.declaration(init_node)
                if sc.after:
                    raise self.err("CL006", node, what="a postfix update in a for-loop initializer")
                hoisted = sc.before
            elif init_node is not None:
                init = self.declaration(init_node) if init_node.type == "declaration" else self.expr_stmt(init_node)
            cond_node = node.child_by_field_name("condition")
            pre, cond = ([], None) if cond_node is None else self.seq.condition(cond_node)
            step: list[ir.Stmt] = []
            for u in node.children_by_field_name("update"):
                step.extend(self.seq.statements(u))
            if not all(isinstance(s, ir.Assign | ir.ExprStmt) for s in step):
                raise self.err("CL006", node, what="a for-loop step whose side effects need statements")
            body = self.loop_body(node.child_by_field_name("body"))
            loop = self.seq.for_loop(self.span(node), init, pre, cond, step, body)
            return ir.Block(loop.span, (*hoisted, loop)) if hoisted else loop
        finally:
            self.scopes.pop()

    def decltype(self, node: CstNode) -> t.Type:
        """`decltype(e)` (and GCC's `__typeof__`, read as decltype): the type of a name or of a value
        that is no lvalue, where both mean the same; an lvalue would be a reference to decltype."""
        operand = next((c for c in node.named_children if c.type != "comment"), None)
        if operand is None or operand.type not in _PRVALUES or has_effect(operand):
            raise self.fail(node, "decltype/__typeof__", "only of a name or of a value that is no lvalue, without side effects")
        if operand.type == "unary_expression" and self.text(operand.child_by_field_name("operator")) not in "-+!~":  # type: ignore[arg-type]
            raise self.fail(node, "decltype/__typeof__", "of this operator")
        return self.expr(operand).type

    def e_compound_statement(self, node: CstNode) -> ir.Expr:
        """A GNU statement expression `({ T x = a; ...; value; })`: its statements run before the
        statement that uses it (in a block of their own, so its names stay its own), the value
        lands in a temporary."""
        slot = self.side_effect_slot()
        items = [c for c in node.named_children if c.type not in _SKIP]
        if slot is None or not items or items[-1].type != "expression_statement" or not items[-1].named_children:
            raise self.fail(node, "a statement expression", "only one ending in a value, outside lazily evaluated operands")
        saved, self.effects = self.effects, None
        self.scopes.append({})
        try:
            stmts = [s for c in items[:-1] for s in self.stmt(c)]
            last = items[-1].named_children[0]
            holder: list[ir.Expr] = []

            def value_stmt() -> list[ir.Stmt]:
                holder.append(self.expr(last))
                return [ir.ExprStmt(self.span(last), holder[-1])]

            stmts += self.with_effects(items[-1], value_stmt)
        finally:
            self.scopes.pop()
            self.effects = saved
        value = holder[-1]
        ty = value.type
        if isinstance(ty, t.Array | t.Struct) or ty == t.VOID:
            raise self.fail(node, "a statement expression", f"of type {t.type_name(ty)}")
        sp = self.span(node)
        name = self.fresh_name("stmt_value")
        self.declare(name, Binding(ty, "local"))
        var = ir.Var(sp, ty, name, "local")
        # The value is taken where the last statement stood (before a postfix update of it runs).
        body = [ir.Assign(sp, var, "", value) if isinstance(s, ir.ExprStmt) and s.expr is value else s for s in stmts]
        slot.extend([ir.VarDecl(sp, name, ty, None), ir.Block(sp, tuple(body))])
        return var

    def local_declaration(self, node: CstNode) -> list[ir.Stmt]:
        grouped = self.groups.declaration(node)
        return self.declaration(node) if grouped is None else grouped

    def declaration(self, node: CstNode) -> list[ir.Stmt]:
        type_node = node.child_by_field_name("type")
        if type_node is None:
            raise self.fail(node, "declaration", "no type")
        shared = has_qualifier(node, "__shared__")
        extern = has_qualifier(node, "extern")
        if has_qualifier(node, "static") and not shared:
            raise self.fail(node, "a static local variable", "not supported")
        const = has_qualifier(node, "const") or has_qualifier(node, "constexpr")
        auto = type_node.type == "placeholder_type_specifier"
        if shared and (storages := storage_union(self, node, type_node)) is not None:
            return storages
        base = t.VOID if auto else self.decltype(type_node) if type_node.type == "decltype" else self.base_type(type_node)
        out: list[ir.Stmt] = []
        for d in node.children_by_field_name("declarator"):
            ctor_args = None
            if d.type == "function_declarator" and d.child_by_field_name("declarator") is not None:
                d, ctor_args = d.child_by_field_name("declarator"), self.constructor_args(d)  # type: ignore[assignment]
            name, ty, init_node, var_const, is_ref = self.ref_declarator(d, base, const)
            init_node = init_node if ctor_args is None else ctor_args
            sp = self.span(d)
            if auto and not is_ref and init_node is not None and init_node.type == "lambda_expression":
                out.extend(self.lambdas.define(d, name, init_node))
                continue
            if is_ref and not shared:
                out.extend(self.local_reference(d, name, ty, init_node, const, auto))
                continue
            if shared:
                if init_node is not None:
                    raise self.fail(d, "an initialised __shared__ variable", "CUDA does not allow it")
                dynamic = extern or (isinstance(ty, t.Array) and ty.size is None)
                self.declare(name, Binding(ty, "shared"))
                out.append(ir.SharedDecl(sp, name, ty, dynamic))
                continue
            init = None
            if ty == DIM3 and names_dim3(self, type_node):  # its constructor's defaults
                init = dim3_value(self, init_node or d, [] if init_node is None else (
                    [c for c in init_node.named_children if c.type != "comment"]
                    if init_node.type in ("argument_list", "initializer_list") else [init_node]))
            elif init_node is not None:
                if auto:
                    init = self.expr(init_node)
                    ty = init.type
                    if isinstance(ty, t.Array):
                        ty = t.Pointer(ty.elem)
                        init = ir.Cast(init.span, ty, init, implicit=True)
                else:
                    init = self.initializer(init_node, ty)
            elif auto:
                raise self.fail(d, "auto without initializer", "invalid")
            elif isinstance(ty, t.Struct) and self.methods.has_ctor(ty):
                init = self.methods.construct(d, ty, [])  # the user default constructor
            if isinstance(ty, t.Array) and ty.size is None and isinstance(init, ir.InitList):
                ty = t.Array(ty.elem, len(init.items))
            is_const = var_const if isinstance(ty, t.Pointer) else const
            cv = const_value(self.fold_locals(init)) if (is_const and init is not None and t.is_integer(ty)) else None
            self.declare(name, Binding(ty, "local", cv))
            out.append(ir.VarDecl(sp, name, ty, init, is_const))
        return out

    def constructor_args(self, d: CstNode) -> CstNode:
        """`T v(a * b);` inside a function: the grammar reads a function declaration with a
        parameter of type `a`; C++ (the names being variables) a variable initialised by `a * b`.
        The parentheses are parsed again as call arguments, at the same byte offsets."""
        plist = d.child_by_field_name("parameters")
        if plist is None:
            raise self.fail(d, "a function declaration inside a function", "not supported")
        prefix = b"void f(){x"
        start = plist.start_byte - len(prefix)
        data = b" " * start + prefix + self.source.data[plist.start_byte:plist.end_byte] + b";}"
        tree = parse_cst(dataclasses.replace(self.source, data=data))
        call = tree.root_node.descendant_for_byte_range(plist.start_byte, plist.end_byte)
        if call is None or call.type != "argument_list" or (call.start_byte, call.end_byte) != (plist.start_byte, plist.end_byte):
            raise self.fail(d, f"declaration '{self.text(d)}'", "neither a variable nor a function")
        return call

    def local_reference(
        self, d: CstNode, name: str, ty: t.Type, init_node: CstNode | None, const: bool, auto: bool
    ) -> list[ir.Stmt]:
        """`T& r = lvalue;` holds a pointer to the lvalue; `const T& r = e;` is a copy of e."""
        if init_node is None:
            raise self.fail(d, f"reference '{name}'", "no initializer")
        sp = self.span(d)
        if const:
            init = self.expr(init_node) if auto else self.initializer(init_node, ty)
            self.declare(name, Binding(init.type, "local"))
            return [ir.VarDecl(sp, name, init.type, init, True)]
        target = self.expr(init_node)
        ptr = self.address_of(target, ty if not auto else target.type, init_node)
        pty = t.Pointer(t.element_of(ptr.type))  # declared like `T* const r = &x;` would be
        self.declare(name, Binding(pty, "local", ref=True))
        return [ir.VarDecl(sp, name, pty, ptr, True)]

    def address_of(self, e: ir.Expr, want: t.Type, node: CstNode) -> ir.Expr:
        """The pointer a reference to lvalue `e` holds (`want`: the referenced type)."""
        if not isinstance(e, ir.Var | ir.Index | ir.Deref | ir.Member):
            raise self.fail(node, f"a reference to '{self.text(node)}'", "not an lvalue")
        if not t.same_ignoring_space(e.type, want) and e.type != want:
            raise self.fail(node, f"a {t.type_name(want)}& bound to {t.type_name(e.type)}", "types differ")
        if isinstance(e, ir.Deref):
            return e.ptr
        return ir.AddrOf(e.span, t.Pointer(e.type, self.space_of(e)), e)

    def initializer(self, node: CstNode, ty: t.Type) -> ir.Expr:
        if (node.type in ("string_literal", "concatenated_string") and isinstance(ty, t.Array)
                and isinstance(ty.elem, t.Scalar) and ty.elem.kind.is_integer and ty.elem.kind.bits == 8):
            # `char s[] = "abc"`: the characters and the terminating NUL (C: as many as fit).
            codes = [*self.string_value(node).encode("latin-1", "replace"), 0]
            if ty.size is not None:
                codes = (codes + [0] * ty.size)[: ty.size]
            sp = self.span(node)
            items = tuple(ir.IntLit(sp, ty.elem, conv.wrap(c, ty.elem)) for c in codes)
            return ir.InitList(sp, t.Array(ty.elem, len(codes)), items)
        if isinstance(ty, t.Struct) and node.type in ("argument_list", "initializer_list"):
            return self.struct_initializer(node, ty)
        if node.type == "initializer_list":
            items = [c for c in node.named_children if c.type != "comment"]
            if isinstance(ty, t.Array):
                return ir.InitList(self.span(node), ty, tuple(self.initializer(c, ty.elem) for c in items))
            if isinstance(ty, t.Vector):
                if len(items) > ty.count:
                    raise self.fail(node, f"{len(items)} values for {t.type_name(ty)}", "too many")
                args = [self.convert(self.expr(c), ty.elem, c) for c in items]
                zero = self.convert(ir.IntLit(self.span(node), t.I32, 0), ty.elem, node)
                args += [zero] * (ty.count - len(args))  # missing lanes are zero, as in C
                return ir.MakeVector(self.span(node), ty, tuple(args))
            if len(items) == 1:
                return self.convert(self.expr(items[0]), ty, items[0])
            if not items and isinstance(ty, t.Scalar):
                return self.convert(ir.IntLit(self.span(node), t.I32, 0), ty, node)
            raise self.fail(node, "this initializer list", f"not supported for {t.type_name(ty)}")
        if node.type == "argument_list":  # `T x(args)` constructor syntax
            items = node.named_children
            if len(items) == 1:
                return self.convert(self.expr(items[0]), ty, items[0])
            raise self.fail(node, "constructor initialisation", "not supported")
        return self.convert(self.expr(node), ty, node)

    def struct_initializer(self, node: CstNode, ty: t.Struct) -> ir.Expr:
        """`S x(args)`, `S x{args}`: the constructor's value; `S x = {a, b}` of an aggregate: its
        fields in order (the rest value-initialised, as C++ does)."""
        items = [c for c in node.named_children if c.type != "comment"]
        if self.methods.has_ctor(ty):
            built = self.methods.construct(node, ty, [(self.expr(c), c) for c in items])
            assert built is not None
            return built
        if node.type == "argument_list" and len(items) == 1:
            return self.convert(self.expr(items[0]), ty, items[0])  # a copy
        if any(c.type == "initializer_pair" for c in items):
            return self.designated_initializer(node, items, ty)
        if not ty.fields or len(items) > len(ty.fields):
            raise self.fail(node, f"this initializer list of {ty.name}", "fields unknown" if not ty.fields else "too many items")
        if len(items) == 1 and items[0].type != "initializer_list":
            first = self.expr(items[0])
            if first.type == ty:
                return first  # `S x = {y}`: a copy of y
        values = [self.initializer(c, ft) for c, (_, ft) in zip(items, ty.fields, strict=False)]
        return ir.InitList(self.span(node), ty, tuple(values))

    def designated_initializer(self, node: CstNode, items: list[CstNode], ty: t.Struct) -> ir.Expr:
        """`{.r = 0, .g = 1, .b = 2}`: each value goes to the field it names; an undesignated value
        to the field after the previous one; fields left out are zero (scalars only here)."""
        names = [name for name, _ in ty.fields]
        if not names:
            raise self.fail(node, f"this initializer list of {ty.name}", "fields unknown")
        values: dict[int, ir.Expr] = {}
        pos = 0
        for c in items:
            value_node = c
            if c.type == "initializer_pair":
                designators = c.children_by_field_name("designator")
                field = designators[0].named_children[0] if len(designators) == 1 and designators[0].named_children else None
                if designators[0].type != "field_designator" or field is None or len(designators) != 1:
                    raise self.fail(c, "a nested or array designator", "not supported")
                name = self.text(field)
                if name not in names:
                    raise self.fail(c, f"designator '.{name}'", f"{ty.name} has no such field")
                pos, value_node = names.index(name), c.child_by_field_name("value")  # type: ignore[assignment]
            if pos >= len(names) or pos in values:
                raise self.fail(c, f"this initializer list of {ty.name}", "too many items or a field given twice")
            values[pos] = self.initializer(value_node, ty.fields[pos][1])
            pos += 1
        out: list[ir.Expr] = []
        for i, (name, fty) in enumerate(ty.fields):
            if i in values:
                out.append(values[i])
            elif isinstance(fty, t.Scalar):
                out.append(self.convert(ir.IntLit(self.span(node), t.I32, 0), fty, node))
            else:
                raise self.fail(node, f"field '{name}' left out of a designated initializer", "not a scalar")
        return ir.InitList(self.span(node), ty, tuple(out))

    def expr_stmt(self, node: CstNode) -> list[ir.Stmt]:
        """An expression in statement position: assignments, ++/--, calls, comma lists."""
        kind = node.type
        sp = self.span(node)
        if kind == "comma_expression":
            return self.expr_stmt(node.child_by_field_name("left")) + self.expr_stmt(node.child_by_field_name("right"))  # type: ignore[arg-type]
        if kind == "parenthesized_expression" and node.named_children:
            return self.expr_stmt(node.named_children[0])
        if kind == "assignment_expression":
            op = self.text(node.child_by_field_name("operator")).rstrip("=")  # type: ignore[arg-type]
            target = self.lvalue(node.child_by_field_name("left"))
            right = node.child_by_field_name("right")
            if right is not None and right.type == "initializer_list":
                value = self.initializer(right, target.type)
                return [ir.Assign(sp, target, "", value)]
            inner = right
            while inner is not None and inner.type == "parenthesized_expression" and len(inner.named_children) == 1:
                inner = inner.named_children[0]
            if inner is not None and inner.type == "assignment_expression" and self.seq.rereadable(inner.child_by_field_name("left")):  # type: ignore[arg-type]
                # `a = b = c`: C++ assigns b first, then a the value b then holds.
                first = self.expr_stmt(inner)
                return [*first, self.assign(sp, target, op, self.lvalue(inner.child_by_field_name("left")), node)]
            value = self.expr(right)  # type: ignore[arg-type]
            return [self.assign(sp, target, op, value, node)]
        if kind == "update_expression":
            op = "+" if "++" in self.text(node) else "-"
            target = self.lvalue(node.child_by_field_name("argument"))
            return [self.assign(sp, target, op, ir.IntLit(sp, t.I32, 1), node)]
        callee = node.child_by_field_name("function") if kind == "call_expression" else None
        if callee is not None and (collective := cub_call(self, node, callee)) is not None:
            lower_cub_call(self, collective)  # its statements are in place; a result is dropped
            return []
        if callee is not None and (mem := mem_function_name(self, callee)) is not None:
            return lower_mem_call(self, node, mem)
        if callee is not None and self.text(callee) == "printf" and self.lookup("printf") is None:
            chosen = printf_statement(self, node)
            if chosen is not None:
                return chosen
        return [ir.ExprStmt(sp, self.expr(node))]

    def lvalue(self, node: CstNode | None) -> ir.Expr:
        if node is None:
            raise self.fail(None, "assignment", "no target")
        e = self.expr(node)
        if not isinstance(e, ir.Var | ir.Index | ir.Deref | ir.Member):
            raise self.fail(node, f"assignment to '{self.text(node)}'", "not an lvalue")
        return e

    def has_device(self, name: str) -> bool:
        return any(d.is_device for d in self.scope.functions.get(name, ()))

    def assign(self, sp: Span, target: ir.Expr, op: str, value: ir.Expr, node: CstNode) -> ir.Stmt:
        if op == "":
            return ir.Assign(sp, target, "", self.convert(value, target.type, node))
        if self.methods.has_member(target.type, f"operator{op}="):  # a member `operator+=`
            return ir.ExprStmt(sp, self.methods.call(node, target, node, f"operator{op}=", False, [(value, node)]))
        if not (isinstance(target.type, t.Scalar | t.Pointer) and isinstance(value.type, t.Scalar)):
            if self.has_device(f"operator{op}="):  # user `operator+=`: called for its effect
                return ir.ExprStmt(sp, self.device_call(node, f"operator{op}=", [], [(target, node), (value, node)]))
            if self.has_device(f"operator{op}"):  # `a += b` means `a = a + b` with a user `operator+`
                call = self.device_call(node, f"operator{op}", [], [(target, node), (value, node)])
                return ir.Assign(sp, target, "", self.convert(call, target.type, node))
        if isinstance(target.type, t.Pointer) and op in ("+", "-"):
            if not t.is_integer(value.type):
                raise self.fail(node, "pointer arithmetic", "offset is not an integer")
            return ir.Assign(sp, target, op, value)
        tt, vt = _scalar(target.type), _scalar(value.type)
        if tt is None or vt is None:
            raise self.fail(node, f"'{op}=' on {t.type_name(target.type)}", "operands are not arithmetic")
        if op in ("<<", ">>"):
            ct = conv.promote(tt)
            return ir.Assign(sp, target, op, self.convert(value, conv.promote(vt), node))
        ct = conv.common_type(tt, vt)
        if op in _INT_ONLY and not ct.kind.is_integer:
            raise self.fail(node, f"'{op}=' on floating values", "invalid")
        return ir.Assign(sp, target, op, self.convert(value, ct, node))

    # --- conversions --------------------------------------------------------------------------

    def convert(self, e: ir.Expr, ty: t.Type, node: CstNode | None) -> ir.Expr:
        """An implicit conversion to ty (assignment, argument passing, return)."""
        if e.type == ty:
            return e
        src = e.type
        if isinstance(ty, t.Scalar) and isinstance(src, t.Scalar):
            return ir.Cast(e.span, ty, e, implicit=True)
        if isinstance(ty, t.Pointer):
            if isinstance(src, t.Array):
                src = t.Pointer(src.elem, self.space_of(e))
                e = ir.Cast(e.span, src, e, implicit=True)  # array-to-pointer decay
                if t.same_ignoring_space(src, ty):
                    return e
            if isinstance(src, t.Pointer) and (t.same_ignoring_space(src, ty) or isinstance(src.pointee, t.Void)):
                return e  # qualifiers and address spaces differ only: same value
            if isinstance(e, ir.IntLit) and e.value == 0:
                return ir.Cast(e.span, ty, e, implicit=True)  # null pointer constant
        if isinstance(ty, t.Scalar) and ty.kind == t.ScalarKind.BOOL and isinstance(src, t.Pointer):
            return ir.Cast(e.span, ty, e, implicit=True)
        if isinstance(ty, t.Array) and isinstance(src, t.Array) and ty.elem == src.elem:
            return e
        if isinstance(ty, t.Vector) and isinstance(src, t.Vector) and (ty.elem, ty.count) == (src.elem, src.count):
            return e  # two spellings of one type (half2 and __half2)
        raise self.fail(node, f"conversion from {t.type_name(src)} to {t.type_name(ty)}", "not allowed implicitly")

    def to_bool(self, e: ir.Expr, node: CstNode) -> ir.Expr:
        if isinstance(e.type, t.Scalar | t.Pointer):
            return self.convert(e, t.BOOL, node)
        raise self.fail(node, f"a condition of type {t.type_name(e.type)}", "needs a scalar")

    def arith(self, e: ir.Expr, node: CstNode) -> t.Scalar:
        s = _scalar(e.type)
        if s is None:
            raise self.fail(node, f"arithmetic on {t.type_name(e.type)}", "operands must be scalars")
        return s

    def space_of(self, e: ir.Expr) -> t.AddrSpace:
        """The address space an lvalue lives in (for `&x` and array decay)."""
        if isinstance(e, ir.Var):
            return {
                "shared": t.AddrSpace.SHARED, "constant": t.AddrSpace.CONSTANT, "global": t.AddrSpace.GLOBAL,
                "local": t.AddrSpace.LOCAL, "param": t.AddrSpace.LOCAL,
            }[e.kind]  # fmt: skip
        if isinstance(e, ir.Index):
            return e.base.type.space if isinstance(e.base.type, t.Pointer) else self.space_of(e.base)
        if isinstance(e, ir.Deref):
            return e.ptr.type.space if isinstance(e.ptr.type, t.Pointer) else t.AddrSpace.GENERIC
        if isinstance(e, ir.Member):
            if e.arrow and isinstance(e.base.type, t.Pointer):
                return e.base.type.space
            return self.space_of(e.base)
        if isinstance(e, ir.Cast):
            return self.space_of(e.operand)
        return t.AddrSpace.GENERIC

    # --- expressions --------------------------------------------------------------------------

    def expr(self, node: CstNode) -> ir.Expr:
        method = getattr(self, "e_" + node.type, None)
        if method is None:
            raise self.fail(node, f"expression '{node.type}'", "not supported yet")
        return method(node)

    def e_lambda_expression(self, node: CstNode) -> ir.Expr:
        raise self.fail(node, "a lambda not held in an `auto` variable", "it escapes (passed, returned or called in place); only `auto f = [...]...; f(...)` is lowered")

    def e_parenthesized_expression(self, node: CstNode) -> ir.Expr:
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            raise self.fail(node, "parenthesised expression", "unexpected shape")
        return self.expr(inner[0])

    def e_number_literal(self, node: CstNode) -> ir.Expr:
        text = self.text(node).replace("'", "")
        sp = self.span(node)
        lower = text.lower()
        is_hex = lower.startswith("0x")
        if lower.lstrip("+-").startswith("0x") and "p" in lower:
            # a hexadecimal float (`-0xf.8eed2p-4f`, the sign is part of the literal here): the
            # binary exponent ends it, so a trailing f/F/l/L is a suffix, not a digit
            ty = t.F32 if lower.endswith("f") else t.F64
            try:
                return ir.FloatLit(sp, ty, float.fromhex(text.rstrip("fFlL")))
            except ValueError:
                raise self.fail(node, f"literal {text}", "not a number") from None
        if not is_hex and ("." in text or "e" in lower or (lower.endswith("f") and not is_hex)):
            ty = t.F32 if lower.endswith("f") else t.F64
            body = text.rstrip("fFlL")
            try:
                return ir.FloatLit(sp, ty, float(body))
            except ValueError:
                raise self.fail(node, f"literal {text}", "not a number") from None
        body = text.rstrip("uUlL")
        suffix = text[len(body):]
        try:
            if len(body) > 1 and body.startswith("0") and body[1] not in "xXbB":
                value = int(body, 8)
            else:
                value = int(body, 0)
        except ValueError:
            raise self.fail(node, f"literal {text}", "not a number") from None
        decimal = not (is_hex or lower.startswith("0b") or (len(body) > 1 and body.startswith("0")))
        return ir.IntLit(sp, conv.int_literal_type(value, suffix, decimal), value)

    def e_char_literal(self, node: CstNode) -> ir.Expr:
        raw = self.text(node)[1:-1]
        try:
            ch = raw.encode().decode("unicode_escape") if raw.startswith("\\") else raw
        except UnicodeDecodeError:
            raise self.fail(node, f"character {raw}", "unknown escape") from None
        if len(ch) != 1:
            raise self.fail(node, f"character {raw}", "not a single character")
        return ir.IntLit(self.span(node), t.I8, ord(ch))

    def e_true(self, node: CstNode) -> ir.Expr:
        return ir.BoolLit(self.span(node), t.BOOL, True)

    def e_false(self, node: CstNode) -> ir.Expr:
        return ir.BoolLit(self.span(node), t.BOOL, False)

    def e_null(self, node: CstNode) -> ir.Expr:
        # The same IR as `(void*)0`, which the printer spells `nullptr`.
        return ir.Cast(self.span(node), t.Pointer(t.VOID), ir.IntLit(self.span(node), t.I32, 0))

    def e_identifier(self, node: CstNode) -> ir.Expr:
        name = self.text(node)
        sp = self.span(node)
        b = self.lookup(name)
        if b is not None and b.lam is not None:
            raise self.fail(node, f"lambda '{name}' used as a value", "it escapes (stored, passed or returned); only calls of a lambda in the function that defines it are lowered")
        if b is not None:
            var = ir.Var(sp, b.type, name, b.kind)
            if b.ref and isinstance(b.type, t.Pointer):
                return ir.Deref(sp, b.type.pointee, var)
            return var
        member = self.methods.field(name, node)
        if member is None:
            member = own_static(self, node, name)
        if member is not None:
            return member
        if name in self.values:
            return ir.IntLit(sp, t.I32, self.values[name])
        g = self.globals.get(name)
        if g is not None:
            kind: ir.VarKind = "constant" if g.space == "constant" else "global"
            return ir.Var(sp, g.var_type, name, kind)
        if name in self.scope.enum_values:
            v = self.scope.enum_values[name]
            return ir.IntLit(sp, t.I32 if conv.fits(v, t.I32) else t.I64, v)
        if name == "warpSize":
            return ir.WarpSize(sp, t.I32)
        std = std_constants().get(name)
        if std is not None:
            ty = _WORD_TYPES[std["type"]]
            if isinstance(std["value"], float):
                return ir.FloatLit(sp, ty, std["value"])
            return ir.IntLit(sp, ty, std["value"])
        if name in ("NULL", "nullptr"):
            return self.e_null(node)
        if "::" in name:
            return self.qualified_value(node, name)
        raise self.err("CL002", node, name=name)

    def qualified_value(self, node: CstNode, name: str) -> ir.Expr:
        """`std::is_same_v<T, U>`, `S::kConst`, `Enum::kValue`, `ns::name`: a compile-time value."""
        sp = self.span(node)
        if is_trait_value(name):
            value = trait_value(name, lambda s: parse_type_text(s, self.types),
                                lambda s: str(self.targs.get(s.strip(), s)))
            if value is None:
                raise self.fail(node, f"'{' '.join(name.split())}'", "the trait's answer is not known for these types")
            return ir.BoolLit(sp, t.BOOL, value)
        found = static_value(self, node, name)
        if found is None:
            raise self.err("CL002", node, name=name)
        return found

    e_qualified_identifier = e_identifier

    def e_this(self, node: CstNode) -> ir.Expr:
        return self.methods.this(node)

    def e_field_expression(self, node: CstNode) -> ir.Expr:
        arg = node.child_by_field_name("argument")
        fld = self.text(node.child_by_field_name("field"))  # type: ignore[arg-type]
        op = self.text(node.child_by_field_name("operator"))  # type: ignore[arg-type]
        sp = self.span(node)
        if arg is not None and arg.type == "identifier" and self.text(arg) in _BUILTIN_INDEX and self.lookup(self.text(arg)) is None:
            if fld not in _AXES:
                raise self.fail(node, f"{self.text(arg)}.{fld}", "unknown component")
            return _BUILTIN_INDEX[self.text(arg)](sp, t.U32, fld)  # type: ignore[arg-type]
        base = self.expr(arg)  # type: ignore[arg-type]
        ty = base.type
        arrow = op == "->"
        if arrow:
            if not isinstance(ty, t.Pointer):
                raise self.fail(node, "'->'", "on a non-pointer")
            ty = ty.pointee
        if isinstance(ty, t.Vector):
            if fld not in t.VECTOR_LANES[: ty.count]:
                raise self.fail(node, f".{fld} of {ty.name}", "no such lane")
            return ir.Member(sp, ty.elem, base, fld, arrow)
        if isinstance(ty, t.Struct):
            for fname, ftype in ty.fields:
                if fname == fld:
                    return ir.Member(sp, ftype, base, fld, arrow)
            raise self.fail(node, f"member '{fld}' of {ty.name}", "struct fields unknown" if not ty.fields else "no such field")
        raise self.fail(node, f"member '{fld}'", f"on {t.type_name(ty)}")

    def e_subscript_expression(self, node: CstNode) -> ir.Expr:
        base = self.expr(node.child_by_field_name("argument"))  # type: ignore[arg-type]
        idx_list = node.child_by_field_name("indices")
        idx_nodes = [c for c in idx_list.named_children if c.type != "comment"] if idx_list is not None else []
        if len(idx_nodes) != 1:
            raise self.fail(node, "subscript", "needs exactly one index")
        index = self.expr(idx_nodes[0])
        if not isinstance(base.type, t.Pointer | t.Array):
            if isinstance(index.type, t.Pointer | t.Array):
                base, index = index, base  # i[p] is p[i]
            else:
                raise self.fail(node, f"subscript of {t.type_name(base.type)}", "not a pointer or array")
        if not t.is_integer(index.type):
            raise self.fail(node, "subscript", "index is not an integer")
        index = self.convert(index, conv.promote(index.type), idx_nodes[0])  # type: ignore[arg-type]
        elem = t.element_of(base.type)
        if isinstance(elem, t.Void):
            raise self.fail(node, "subscript of void*", "invalid")
        return ir.Index(self.span(node), elem, base, index)

    def e_pointer_expression(self, node: CstNode) -> ir.Expr:
        op = self.text(node.child_by_field_name("operator"))  # type: ignore[arg-type]
        arg = self.expr(node.child_by_field_name("argument"))  # type: ignore[arg-type]
        sp = self.span(node)
        if op == "*":
            if isinstance(arg.type, t.Array):
                return ir.Index(sp, arg.type.elem, arg, ir.IntLit(sp, t.I32, 0))
            if not isinstance(arg.type, t.Pointer) or isinstance(arg.type.pointee, t.Void):
                raise self.fail(node, "'*'", f"on {t.type_name(arg.type)}")
            return ir.Deref(sp, arg.type.pointee, arg)
        if not isinstance(arg, ir.Var | ir.Index | ir.Deref | ir.Member):
            raise self.fail(node, "'&'", "of a value that is not an lvalue")
        if isinstance(arg, ir.Deref):
            return arg.ptr
        return ir.AddrOf(sp, t.Pointer(arg.type, self.space_of(arg)), arg)

    def e_unary_expression(self, node: CstNode) -> ir.Expr:
        op = self.text(node.child_by_field_name("operator"))  # type: ignore[arg-type]
        op = _ALT_TOKENS.get(op, op)
        arg_node = node.child_by_field_name("argument")
        e = self.expr(arg_node)  # type: ignore[arg-type]
        sp = self.span(node)
        if op == "!":
            return fold(ir.Unary(sp, t.BOOL, "!", self.to_bool(e, arg_node)))  # type: ignore[arg-type]
        if not isinstance(e.type, t.Scalar) and op in ("-", "~") and self.has_device(f"operator{op}"):
            return self.device_call(node, f"operator{op}", [], [(e, arg_node)])  # type: ignore[list-item]
        s = self.arith(e, node)
        pt = conv.promote(s)
        if op == "~" and not pt.kind.is_integer:
            raise self.fail(node, "'~'", "on a floating value")
        return fold(ir.Unary(sp, pt, op, self.convert(e, pt, node)))  # type: ignore[arg-type]

    def e_binary_expression(self, node: CstNode) -> ir.Expr:
        op_node = node.child_by_field_name("operator")
        op = "<" if op_node is not None and op_node.start_byte in self.swapped else self.text(op_node)  # type: ignore[arg-type]
        op = _ALT_TOKENS.get(op, op)
        lnode, rnode = node.child_by_field_name("left"), node.child_by_field_name("right")
        cast_to = self.parenthesised_type(lnode) if op in ("-", "+") else None
        if cast_to is not None and rnode is not None:
            return self.prefix_cast(rnode, cast_to, op)
        lazy = op in ("&&", "||")
        if lazy:
            sequenced = self.seq.logical(node, op, lnode, rnode)  # type: ignore[arg-type]
            if sequenced is not None:
                return sequenced
        lhs = self.expr(lnode)  # type: ignore[arg-type]
        self.conditional += lazy
        try:
            rhs = self.expr(rnode)  # type: ignore[arg-type]
        finally:
            self.conditional -= lazy
        return self.binary(node, op, lhs, rhs)

    def parenthesised_type(self, node: CstNode | None) -> t.Type | None:
        """`(real)` in `(real)-2.5`: the grammar cannot know `real` is a type (a template parameter
        or typedef) and parses a subtraction; C++ reads a cast of `-2.5`."""
        if node is None or node.type != "parenthesized_expression" or len(node.named_children) != 1:
            return None
        inner = node.named_children[0]
        if inner.type != "identifier":
            return None
        name = self.text(inner)
        if self.lookup(name) is not None or name in self.globals or name in self.values:
            return None
        return parse_type_text(name, self.types)

    def prefix_cast(self, node: CstNode, ty: t.Type, op: str) -> ir.Expr:
        """`(T) op node` read as C++ does: the cast of the unary `op` applies to the leftmost operand
        of `node` (everything in `node` binds tighter than the binary `op` the parser saw)."""
        if node.type == "binary_expression":
            bop = self.text(node.child_by_field_name("operator"))  # type: ignore[arg-type]
            lhs = self.prefix_cast(node.child_by_field_name("left"), ty, op)  # type: ignore[arg-type]
            lazy = bop in ("&&", "||")
            self.conditional += lazy
            try:
                rhs = self.expr(node.child_by_field_name("right"))  # type: ignore[arg-type]
            finally:
                self.conditional -= lazy
            return self.binary(node, bop, lhs, rhs)
        e = self.expr(node)
        if isinstance(e, ir.FloatLit):  # `-2.5` is one literal to the grammar elsewhere
            return self.explicit_cast(node, ty, ir.replace(e, value=-e.value if op == "-" else e.value), "c")
        s = self.arith(e, node)
        pt = conv.promote(s)
        return self.explicit_cast(node, ty, fold(ir.Unary(self.span(node), pt, op, self.convert(e, pt, node))), "c")  # type: ignore[arg-type]

    def binary(self, node: CstNode, op: str, lhs: ir.Expr, rhs: ir.Expr) -> ir.Expr:
        sp = self.span(node)
        if op in ("&&", "||"):
            return fold(ir.Logical(sp, t.BOOL, op, self.to_bool(lhs, node), self.to_bool(rhs, node)))  # type: ignore[arg-type]
        lp = isinstance(lhs.type, t.Pointer | t.Array)
        rp = isinstance(rhs.type, t.Pointer | t.Array)
        if lp or rp:
            return self.pointer_binary(node, op, lhs, rhs)
        if self.methods.has_member(lhs.type, f"operator{op}"):
            return self.methods.call(node, lhs, node, f"operator{op}", False, [(rhs, node)])
        if not (isinstance(lhs.type, t.Scalar) and isinstance(rhs.type, t.Scalar)) and self.has_device(f"operator{op}"):
            return self.device_call(node, f"operator{op}", [], [(lhs, node), (rhs, node)])  # a user operator
        half2 = _HALF2_OPERATORS.get(op)
        if half2 is not None and _is_half2(lhs.type) and _is_half2(rhs.type):
            # cuda_fp16.h defines these operators on __half2 as the lane-wise intrinsics.
            return self.math_call(node, half2, math_table()[half2], [(lhs, node), (rhs, node)])
        ls, rs = self.arith(lhs, node), self.arith(rhs, node)
        if op in ("<<", ">>"):
            lt, rt = conv.promote(ls), conv.promote(rs)
            if not (lt.kind.is_integer and rt.kind.is_integer):
                raise self.fail(node, f"'{op}'", "on floating values")
            return fold(ir.Binary(sp, lt, op, self.convert(lhs, lt, node), self.convert(rhs, rt, node)))  # type: ignore[arg-type]
        ct = conv.common_type(ls, rs)
        a, b = self.convert(lhs, ct, node), self.convert(rhs, ct, node)
        if op in _COMPARE_OPS:
            return fold(ir.Compare(sp, t.BOOL, op, a, b))  # type: ignore[arg-type]
        if op not in _ARITH_OPS:
            raise self.fail(node, f"operator '{op}'", "unknown")
        if op in _INT_ONLY and not ct.kind.is_integer:
            raise self.fail(node, f"'{op}'", "on floating values")
        return fold(ir.Binary(sp, ct, op, a, b))  # type: ignore[arg-type]

    def pointer_binary(self, node: CstNode, op: str, lhs: ir.Expr, rhs: ir.Expr) -> ir.Expr:
        sp = self.span(node)
        if isinstance(lhs.type, t.Array):
            lhs = self.convert(lhs, t.Pointer(lhs.type.elem, self.space_of(lhs)), node)
        if isinstance(rhs.type, t.Array):
            rhs = self.convert(rhs, t.Pointer(rhs.type.elem, self.space_of(rhs)), node)
        lp, rp = isinstance(lhs.type, t.Pointer), isinstance(rhs.type, t.Pointer)
        if op in _COMPARE_OPS:
            if lp and rp:
                return ir.Compare(sp, t.BOOL, op, lhs, rhs)  # type: ignore[arg-type]
            if isinstance(rhs, ir.IntLit) and rhs.value == 0:
                return ir.Compare(sp, t.BOOL, op, lhs, self.convert(rhs, lhs.type, node))  # type: ignore[arg-type]
            if isinstance(lhs, ir.IntLit) and lhs.value == 0:
                return ir.Compare(sp, t.BOOL, op, self.convert(lhs, rhs.type, node), rhs)  # type: ignore[arg-type]
        if op == "-" and lp and rp:
            return ir.PtrDiff(sp, t.I64, lhs, rhs)
        if op in ("+", "-") and lp and t.is_integer(rhs.type):
            return ir.PtrAdd(sp, lhs.type, op, lhs, rhs)  # type: ignore[arg-type]
        if op == "+" and rp and t.is_integer(lhs.type):
            return ir.PtrAdd(sp, rhs.type, "+", rhs, lhs)
        raise self.fail(node, f"'{op}' on pointers", f"{t.type_name(lhs.type)} and {t.type_name(rhs.type)}")

    def e_conditional_expression(self, node: CstNode) -> ir.Expr:
        sequenced = self.seq.select(node)
        if sequenced is not None:
            return sequenced
        cond_node = node.child_by_field_name("condition")
        cond = self.to_bool(self.expr(cond_node), cond_node)  # type: ignore[arg-type]
        a_node, b_node = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        self.conditional += 1
        try:
            a, b = self.expr(a_node), self.expr(b_node)  # type: ignore[arg-type]
        finally:
            self.conditional -= 1
        return self.select(node, cond, a, b)

    def select(self, node: CstNode, cond: ir.Expr, a: ir.Expr, b: ir.Expr) -> ir.Expr:
        """`cond ? a : b` with the branches converted to their common type."""
        sp = self.span(node)
        if isinstance(a.type, t.Scalar) and isinstance(b.type, t.Scalar):
            ct = conv.common_type(a.type, b.type) if a.type != b.type else a.type
            return fold(ir.Select(sp, ct, cond, self.convert(a, ct, node), self.convert(b, ct, node)))
        if isinstance(a.type, t.Pointer | t.Array) or isinstance(b.type, t.Pointer | t.Array):
            target = a.type if isinstance(a.type, t.Pointer) else b.type
            if isinstance(target, t.Array):
                target = t.Pointer(target.elem, self.space_of(a))
            return ir.Select(sp, target, cond, self.convert(a, target, node), self.convert(b, target, node))
        if a.type == b.type:
            return ir.Select(sp, a.type, cond, a, b)
        raise self.fail(node, "'?:'", f"branches of types {t.type_name(a.type)} and {t.type_name(b.type)}")

    def e_cast_expression(self, node: CstNode) -> ir.Expr:
        ty = self.type_descriptor(node.child_by_field_name("type"))  # type: ignore[arg-type]
        return self.explicit_cast(node, ty, self.expr(node.child_by_field_name("value")), "c")  # type: ignore[arg-type]

    def explicit_cast(self, node: CstNode, ty: t.Type, e: ir.Expr, style: str) -> ir.Expr:
        sp = self.span(node)
        if isinstance(ty, t.Void):
            return ir.Cast(sp, ty, e, style=style)  # type: ignore[arg-type]
        if isinstance(e.type, t.Array) and isinstance(ty, t.Pointer):
            e = self.convert(e, t.Pointer(e.type.elem, self.space_of(e)), node)
        ok = (
            (isinstance(ty, t.Scalar) and isinstance(e.type, t.Scalar | t.Pointer))
            or (isinstance(ty, t.Pointer) and isinstance(e.type, t.Pointer | t.Scalar))
        )
        if not ok:
            if e.type == ty:
                return ir.Cast(sp, ty, e, style=style)  # type: ignore[arg-type]
            raise self.fail(node, f"cast from {t.type_name(e.type)} to {t.type_name(ty)}", "not supported")
        if isinstance(ty, t.Pointer) and isinstance(e.type, t.Pointer) and ty.space == t.AddrSpace.GENERIC:
            ty = t.Pointer(ty.pointee, e.type.space, ty.const, ty.restrict)  # a cast keeps where memory lives
        return fold(ir.Cast(sp, ty, e, style=style))  # type: ignore[arg-type]

    def type_descriptor(self, node: CstNode) -> t.Type:
        if node.type != "type_descriptor":
            return self.base_type(node)
        type_node = node.child_by_field_name("type")
        if type_node is None:
            raise self.fail(node, "type", "missing")
        ty = self.base_type(type_node)
        const = has_qualifier(node, "const")
        d = node.child_by_field_name("declarator")
        first = True
        while d is not None:
            if d.type == "abstract_pointer_declarator":
                ty = t.Pointer(ty, const=const and first)
                first = False
                d = d.child_by_field_name("declarator")
            elif d.type == "abstract_array_declarator":
                size = d.child_by_field_name("size")
                ty = t.Array(ty, None if size is None else self.const_int(size))
                d = d.child_by_field_name("declarator")
            else:
                raise self.fail(d, f"type declarator '{d.type}'", "not supported")
        return ty

    def e_sizeof_expression(self, node: CstNode) -> ir.Expr:
        type_node = node.child_by_field_name("type")
        if type_node is not None:
            ty = self.type_descriptor(type_node)
        else:
            value = node.child_by_field_name("value")
            text = value
            while text is not None and text.type == "parenthesized_expression" and len(text.named_children) == 1:
                text = text.named_children[0]
            if text is not None and text.type in ("string_literal", "concatenated_string"):
                # `sizeof("abc")`: the characters and the terminating NUL.
                size = len(self.string_value(text).encode("latin-1", "replace")) + 1
                return ir.IntLit(self.span(node), t.U64, size)
            named = self.type_in_parens(value)
            ty = named if named is not None else self.expr(value).type  # type: ignore[arg-type]
        size = size_of(ty)
        if size is None:
            raise self.fail(node, f"sizeof({t.type_name(ty)})", "size unknown")
        return ir.IntLit(self.span(node), t.U64, size)

    def type_in_parens(self, node: CstNode | None) -> t.Type | None:
        """`(T)` where T names a type: tree-sitter reads `sizeof(T)` and `(T)(x)` as expressions."""
        if node is None or node.type != "parenthesized_expression" or len(node.named_children) != 1:
            return None
        inner = node.named_children[0]
        if inner.type == "qualified_identifier":  # `(std::uint32_t)(0)`: a namespace's type name
            return self.types.lookup(" ".join(self.text(inner).split()))
        if inner.type != "identifier" or self.lookup(self.text(inner)) is not None:
            return None
        return self.types.lookup(self.text(inner))

    def e_comma_expression(self, node: CstNode) -> ir.Expr:
        raise self.fail(node, "a comma expression", "only allowed in statement position")

    def e_assignment_expression(self, node: CstNode) -> ir.Expr:
        left = node.child_by_field_name("left")
        place = self.side_effect(node, left)
        if place is None:
            raise self.err("CL006", node, what="assignment")
        place[0].extend(self.expr_stmt(node))  # runs first; the expression reads the new value
        return self.lvalue(left)

    def e_update_expression(self, node: CstNode) -> ir.Expr:
        arg = node.child_by_field_name("argument")
        place = self.side_effect(node, arg)
        if place is None:
            raise self.err("CL006", node, what=self.text(node.child_by_field_name("operator")))  # type: ignore[arg-type]
        postfix = arg is not None and node.children and node.children[0] == arg
        update = self.expr_stmt(node)
        (place[1] if postfix else place[0]).extend(update)
        return self.lvalue(arg)

    def e_compound_literal_expression(self, node: CstNode) -> ir.Expr:
        """`(double2){ 1, -1 }`: a value of the type, initialised like a declared variable."""
        type_node, value = node.child_by_field_name("type"), node.child_by_field_name("value")
        if type_node is None or value is None:
            raise self.fail(node, "compound literal", "unexpected shape")
        ty = self.type_descriptor(type_node)
        if isinstance(ty, t.Array):
            raise self.fail(node, f"a compound literal of type {t.type_name(ty)}", "not supported (arrays)")
        return self.initializer(value, ty)

    def e_initializer_list(self, node: CstNode) -> ir.Expr:
        raise self.fail(node, "an initializer list", "only allowed to initialise a declared variable")

    # --- calls --------------------------------------------------------------------------------

    def args(self, node: CstNode) -> list[tuple[ir.Expr, CstNode]]:
        alist = node.child_by_field_name("arguments")
        if alist is None:
            return []
        # Cooperative groups are no values: they are passed by leaving them out (see lower_groups).
        return [(self.expr(c), c) for c in alist.named_children if c.type != "comment" and self.groups.named(c) is None]

    def e_call_expression(self, node: CstNode) -> ir.Expr:
        fn = node.child_by_field_name("function")
        if fn is None:
            raise self.fail(node, "call", "no callee")
        sp = self.span(node)
        if names_dim3(self, fn):
            alist = node.child_by_field_name("arguments")
            return dim3_value(self, node, [c for c in alist.named_children if c.type != "comment"] if alist else [])
        grouped = self.groups.call(node, fn)
        if grouped is not None:
            return grouped
        collective = cub_call(self, node, fn)
        if collective is not None:
            result = lower_cub_call(self, collective)
            if result is None:
                raise self.fail(node, f"cub::{collective.alias.kind}::{collective.method}", "returns nothing")
            return result
        if fn.type == "template_function":
            return self.template_call(node, fn)
        if fn.type == "field_expression":
            obj_node = fn.child_by_field_name("argument")
            op = fn.child_by_field_name("operator")
            obj = self.expr(obj_node)  # type: ignore[arg-type]
            return self.methods.call(node, obj, obj_node, self.text(fn.child_by_field_name("field")),  # type: ignore[arg-type]
                                     op is not None and self.text(op) == "->", self.args(node))
        if fn.type in ("primitive_type", "type_identifier", "sized_type_specifier", "template_type"):
            ty = self.base_type(fn)
            args = self.args(node)
            if isinstance(ty, t.Struct):
                built = self.methods.construct(node, ty, args)
                if built is None:
                    raise self.fail(node, f"construction of {ty.name}", "it has no __device__ constructor")
                return built
            if len(args) == 1:
                return self.explicit_cast(node, ty, args[0][0], "c")
            if isinstance(ty, t.Vector):
                return ir.MakeVector(sp, ty, tuple(self.convert(a, ty.elem, n) for a, n in args))
            raise self.fail(node, f"construction of {t.type_name(ty)}", "not supported")
        cast_to = self.type_in_parens(fn)
        if cast_to is not None:
            args = self.args(node)
            if len(args) != 1:
                raise self.fail(node, f"cast to {t.type_name(cast_to)}", "needs one operand")
            return self.explicit_cast(node, cast_to, args[0][0], "c")
        if fn.type not in ("identifier", "qualified_identifier"):
            raise self.fail(fn, "a call through an expression", "not supported")
        name = self.text(fn)
        limit = self.numeric_limit(node, name)
        if limit is not None:
            return limit
        b = self.lookup(name)
        if b is not None and b.lam is not None:
            return self.lambdas.call(node, b.lam, self.args(node))
        own = self.methods.own_call(node, name) if b is None else None
        if own is not None:
            return own
        if b is not None and self.methods.has_member(b.type, "operator()"):
            return self.methods.call(node, self.e_identifier(fn), fn, "operator()", False, self.args(node))
        struct = self.types.lookup(name) if b is None and name not in self.scope.functions else None
        if isinstance(struct, t.Struct):
            built = self.methods.construct(node, struct, self.args(node))
            if built is not None:
                return built
        named = self.functional_type(name)
        if named is not None:  # `T(x)`: tree-sitter cannot tell a template's type name from a callee
            args = self.args(node)
            if len(args) == 1:
                return self.explicit_cast(node, named, args[0][0], "c")
            if isinstance(named, t.Vector) and len(args) == named.count:
                return ir.MakeVector(sp, named, tuple(self.convert(a, named.elem, n) for a, n in args))
            if not args and isinstance(named, t.Scalar):
                return self.convert(ir.IntLit(sp, t.I32, 0), named, node)  # `T()` value-initialises
            raise self.fail(node, f"construction of {t.type_name(named)}", "not supported")
        if name.startswith("std::") or name.startswith("::") or (
            "::" in name and name.split("::")[-1] in self.scope.functions
        ):
            name = name.split("::")[-1]  # std:: math, and functions of the file's namespaces
        if name == "printf" and self.lookup(name) is None:
            return self.printf(node)
        if name in ("assert", "__assert") and self.lookup(name) is None:
            args = self.args(node)
            if len(args) != 1:
                raise self.fail(node, "assert", "takes one argument")
            return ir.Assert(sp, t.VOID, self.to_bool(args[0][0], args[0][1]), self.text(args[0][1]))
        if name in self.scope.functions and any(d.is_device for d in self.scope.functions[name]):
            try:
                return self.device_call(node, name, [], self.args(node))
            except LowerError:
                # The file's own overload of a CUDA name (`make_float4(float)`): none of them fits,
                # so the CUDA built-in is meant.
                if not (name in builtin_table() or name in math_table() or name.startswith("make_")):
                    raise
        builtin = builtin_table().get(name)
        if builtin is not None:
            return self.builtin_call(node, name, builtin, self.args(node))
        row = math_table().get(name)
        if row is not None:
            return self.math_call(node, name, row, self.args(node))
        if name.startswith("make_") and name[5:] in t.VECTOR_TYPES:
            vt = t.VECTOR_TYPES[name[5:]]
            args = self.args(node)
            if len(args) != vt.count:
                raise self.fail(node, name, f"takes {vt.count} arguments")
            return ir.MakeVector(sp, vt, tuple(self.convert(a, vt.elem, n) for a, n in args))
        evaluated = self.constexpr.call(node, fn)
        if evaluated is not None:
            return evaluated
        if name in self.scope.functions:
            raise self.fail(node, f"call of '{name}'", "it is a host function")
        if name in MEM_FUNCTIONS and self.lookup(name) is None:
            raise self.fail(node, f"'{name}' whose result is used", "only a call as a statement is lowered")
        if self.scope.project is not None:  # declared here, defined in another file (nvcc -rdc)
            external = self.scope.project.call(self, node, fn, name)
            if external is not None:
                return external
        raise self.err("CL008", fn, name=name)

    def numeric_limit(self, node: CstNode, name: str) -> ir.Expr | None:
        """`std::numeric_limits<T>::max()` and friends as literals of T."""
        m = re.fullmatch(r"(?:::)?\s*(?:std\s*::)?\s*numeric_limits\s*<(.+)>\s*::\s*(\w+)", re.sub(r"\s+", " ", name))
        if m is None:
            return None
        ty = parse_type_text(m.group(1), self.types)
        if not isinstance(ty, t.Scalar) or self.args(node):
            raise self.fail(node, f"numeric_limits<{m.group(1)}>::{m.group(2)}()", "not supported")
        value = limit_value(ty, m.group(2))
        if value is None:
            raise self.fail(node, f"numeric_limits<{m.group(1)}>::{m.group(2)}()", "not supported")
        sp = self.span(node)
        if isinstance(value, float):
            return ir.FloatLit(sp, ty, value)
        if ty.kind == t.ScalarKind.BOOL:
            return ir.BoolLit(sp, ty, bool(value))
        return ir.IntLit(sp, ty, value)

    def functional_type(self, name: str) -> t.Type | None:
        """The type `name` denotes in a functional cast `name(x)`, or None when it names a value or
        a function (variables and the file's functions win, as in C++ scope lookup)."""
        if self.lookup(name) is not None or name in self.scope.functions:
            return None
        ty = self.types.lookup(name)
        return ty if isinstance(ty, t.Scalar | t.Vector) else None

    def printf(self, node: CstNode, chosen: dict[int, CstNode] | None = None) -> ir.Expr:
        """`printf(...)`; chosen: arguments replaced by one outcome of their `?:` (lower_printf)."""
        items = [(chosen or {}).get(i, c) for i, c in enumerate(printf_items(node))]
        items = [c.named_children[0] if c.type == "parenthesized_expression" and is_string_choice(c) else c for c in items]
        if any(c.type == "conditional_expression" and is_string_choice(c) for c in items):
            raise self.fail(node, "printf with a ?: of strings", "its result is used (only a printf statement is lowered)")
        if not items or items[0].type not in ("string_literal", "concatenated_string"):
            raise self.fail(node, "printf", "the format must be a string literal")
        fmt = self.string_value(items[0])
        specs = [m for m in _PRINTF_SPEC.finditer(fmt) if m.group("conv")]
        if any("*" in m.group(0) for m in specs) or len(specs) != len(items) - 1:
            raise self.fail(node, "printf", f"{len(specs)} conversions ('*' widths not supported), {len(items) - 1} arguments")
        out: list[ir.Expr] = []
        pieces: list[str] = []
        last = 0
        for m, c in zip(specs, items[1:], strict=True):
            if c.type in ("string_literal", "concatenated_string"):
                if m.group("conv") != "s":
                    raise self.fail(c, "printf", f"a string for %{m.group('conv')}")
                # A literal string argument is spliced into the format (the IR has no strings).
                pieces += [fmt[last:m.start()], self.string_value(c).replace("%", "%%")]
                last = m.end()
                continue
            e = self.expr(c)
            if isinstance(e.type, t.Scalar):
                if not e.type.kind.is_integer and e.type.kind.bits < 64:
                    e = self.convert(e, t.F64, c)  # C varargs: float and half travel as double
                elif e.type.kind.is_integer and e.type.kind.bits < 32:
                    e = self.convert(e, t.I32, c)
            elif isinstance(e.type, t.Array):
                e = self.convert(e, t.Pointer(e.type.elem, self.space_of(e)), c)
            elif not isinstance(e.type, t.Pointer):
                raise self.fail(c, f"printf of {t.type_name(e.type)}", "not a scalar or pointer")
            out.append(e)
        fmt = "".join(pieces) + fmt[last:]
        return ir.Printf(self.span(node), t.I32, fmt, tuple(out))

    def string_value(self, node: CstNode) -> str:
        """The characters of a string literal (or adjacent literals), escapes decoded."""
        if node.type == "concatenated_string":
            return "".join(self.string_value(c) for c in node.named_children if c.type == "string_literal")
        text = self.text(node)
        if not text.startswith('"'):
            raise self.fail(node, f"string {text}", "prefixed strings are not supported")
        raw = text[1:-1]
        try:
            return raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
        except UnicodeDecodeError:
            raise self.fail(node, f"string {text}", "unknown escape") from None

    def template_call(self, node: CstNode, fn: CstNode) -> ir.Expr:
        name_node = fn.child_by_field_name("name")
        name = self.text(name_node) if name_node is not None else ""
        targs_node = fn.child_by_field_name("arguments")
        targ_nodes = [c for c in targs_node.named_children if c.type != "comment"] if targs_node is not None else []
        if name in ("static_cast", "reinterpret_cast", "const_cast"):
            if len(targ_nodes) != 1:
                raise self.fail(fn, name, "needs one type")
            ty = self.type_descriptor(targ_nodes[0])
            args = self.args(node)
            if len(args) != 1:
                raise self.fail(node, name, "needs one argument")
            style = {"static_cast": "static", "reinterpret_cast": "reinterpret", "const_cast": "const"}[name]
            e = args[0][0]
            if style == "static" and isinstance(ty, t.Scalar) and isinstance(e.type, t.Pointer):
                raise self.fail(node, "static_cast from a pointer to an integer", "invalid")
            return self.explicit_cast(node, ty, e, style)
        struct = self.types.lookup(self.text(fn)) if name not in self.scope.functions else None
        if isinstance(struct, t.Struct):  # `V<float>(args)`: a class template's constructor
            built = self.methods.construct(node, struct, self.args(node))
            if built is None:
                raise self.fail(node, f"construction of {struct.name}", "it has no __device__ constructor")
            return built
        if name in self.scope.functions:
            return self.device_call(node, name, self.explicit_template_args(targs_node), self.args(node))
        evaluated = self.constexpr.call(node, fn)
        if evaluated is not None:
            return evaluated
        if name in ("min", "max"):
            return self.math_call(node, name, math_table()[name], self.args(node))
        row = math_table().get(name)
        if row is not None and row["ret"] == "targ":
            if len(targ_nodes) != 1 or targ_nodes[0].type != "type_descriptor":
                raise self.fail(fn, name, "needs one type argument")
            return self.math_call(node, name, row, self.args(node), self.type_descriptor(targ_nodes[0]))
        raise self.err("CL008", fn, name=name)

    def explicit_template_args(self, targs_node: CstNode | None) -> list[str | int]:
        """The arguments of `<...>`: type names (as the IR spells them) and integer values."""
        texts: list[str | int] = []
        for a in targs_node.named_children if targs_node is not None else ():
            if a.type == "comment":
                continue
            if a.type == "type_descriptor" and not self.names_value(a):
                texts.append(self.type_text(self.type_descriptor(a), a))
            else:
                texts.append(self.const_int(a))
        return texts

    def e_template_function(self, node: CstNode) -> ir.Expr:
        value = self.constexpr.variable(node)
        if value is None:
            raise self.fail(node, f"'{self.text(node)}'", "not a variable template of this file")
        return value

    def names_value(self, node: CstNode) -> bool:
        """Whether a template argument that parses as a type (`f<float, UNROLL>`: a lone name is a
        type to the grammar) names a value: a value parameter, an enumerator or a constant."""
        name = self.text(node).strip()
        if "::" in name and parse_type_text(name, self.types) is None:
            return static_value(self, node, name) is not None  # `f<Mode::kFast>`, `f<S::kN>`
        if not _NAME.fullmatch(name) or parse_type_text(name, self.types) is not None:
            return False
        return (isinstance(self.targs.get(name), int) or name in self.values or name in self.scope.enum_values
                or self.lookup(name) is not None or name in self.globals)

    def type_text(self, ty: t.Type, node: CstNode) -> str:
        name = t.type_name(ty)
        if parse_type_text(name, self.scope.types) != ty:
            raise self.fail(node, f"template argument {name}", "cannot be named")
        return name

    def device_call(
        self, node: CstNode, name: str, explicit: list[str | int], args: list[tuple[ir.Expr, CstNode]]
    ) -> ir.Expr:
        candidates = [d for d in self.scope.functions[name] if d.is_device]
        if not candidates:
            raise self.fail(node, f"call of kernel '{name}'", "dynamic parallelism is not supported")
        errors: list[LowerError] = []
        best: tuple[int, ir.Expr] | None = None
        for cand in candidates:
            score: list[int] = []
            try:
                e = self.call_candidate(node, cand, explicit, args, score)
            except LowerError as err:
                errors.append(err)
                continue
            if best is None or score[0] < best[0]:
                best = (score[0], e)  # overloads: the fewest converted arguments wins
        if best is not None:
            return best[1]
        raise errors[0]

    def call_candidate(
        self, node: CstNode, fn: FunctionDef, explicit: list[str | int], args: list[tuple[ir.Expr, CstNode]],
        score: list[int] | None = None, home: tuple[SourceText, FileScope] | None = None,
    ) -> ir.Expr:
        """home: the file defining fn when it is not this one (its types and spans are its own)."""
        sig_lowerer = FunctionLowerer(*(home or (self.source, self.scope)), self.globals if home is None else {}, {})
        targs: dict[str, str | int] = {}
        if fn.template_params is not None:
            pnames = [template_param_name(p) for p in fn.template_params.named_children]
            pnames_list = [p for p in pnames if p is not None]
            for pname, value in zip(pnames_list, explicit, strict=False):
                targs[pname] = value
            deduced = self.deduce(fn, pnames_list, targs, [a for a, _ in args])
            targs.update(deduced)
        elif explicit and not self.same_targs(fn.specialized, explicit) and not (
            fn.specialized == () and len(explicit) == 1 and isinstance(explicit[0], str)
        ):
            raise self.fail(node, f"template arguments for '{fn.name}'", "it is not a template")
        sig_lowerer.targs = targs
        bound = sig_lowerer.bind_templates(fn)
        type_node = fn.node.child_by_field_name("type")
        ret = sig_lowerer.base_type(type_node) if type_node is not None else sig_lowerer.methods.owner or t.VOID
        decl = fn.node.child_by_field_name("declarator")
        if decl is not None and decl.type == "pointer_declarator":
            ret = t.Pointer(ret)
        if fn.specialized == () and explicit and parse_type_text(str(explicit[0]), self.types) != ret:
            # `template<> half f(float)`, called `f<half>(x)`: the argument names the return type
            raise self.fail(node, f"specialization of '{fn.name}' returning {t.type_name(ret)}", "not the one named")
        sig_lowerer.scopes.append({})
        params = sig_lowerer.params(fn)
        if len(args) < len(params) and all(i in sig_lowerer.defaults for i in range(len(args), len(params))):
            args = args + [(sig_lowerer.expr(sig_lowerer.defaults[i]), sig_lowerer.defaults[i])
                           for i in range(len(args), len(params))]  # default arguments
        if len(params) != len(args):
            raise self.fail(node, f"call of '{fn.name}'", f"takes {len(params)} arguments, {len(args)} given")
        conv_list: list[ir.Expr] = []
        for (a, n), p in zip(args, params, strict=True):
            if p.by_ref and isinstance(p.type, t.Pointer):
                conv_list.append(self.address_of(a, p.type.pointee, n))
            else:
                conv_list.append(self.convert(a, p.type, n))
        conv_args = tuple(conv_list)
        if score is not None:
            score.append(sum(1 for (a, _), c in zip(args, conv_args, strict=True) if a.type != c.type and not
                             (isinstance(c, ir.AddrOf) or (isinstance(a, ir.Deref) and c is a.ptr))))
        ir_name = fn.ir_name or fn.name
        instance = ir_name if not bound else f"{ir_name}<{', '.join(str(v) for _, v in bound)}>"
        if (fn, targs) not in self.instantiations:
            self.instantiations.append((fn, targs))
        sp = self.span(node)
        if self.inline and home is None:
            inlined = self.try_inline(fn, targs, params, conv_args)
            if inlined is not None:
                return inlined
        return ir.Call(sp, ret, instance, conv_args)

    def same_targs(self, specialized: tuple[str, ...] | None, explicit: list[str | int]) -> bool:
        """Whether a specialisation's argument texts name the explicit arguments: types compare as
        types (`Half` and `__half`), values as values (`4` and `0x4`)."""
        if specialized is None or len(specialized) != len(explicit):
            return False
        for text, want in zip(specialized, explicit, strict=True):
            if isinstance(want, int):
                try:
                    if int(text.rstrip("uUlL"), 0) != want:
                        return False
                except ValueError:
                    return False
            elif text != want:
                ty = parse_type_text(text, self.types)
                if ty is None or ty != parse_type_text(want, self.types):
                    return False
        return True

    def deduce(
        self, fn: FunctionDef, pnames: list[str], given: dict[str, str | int], args: list[ir.Expr]
    ) -> dict[str, str | int]:
        """Deduce type parameters from arguments whose parameter type is `T`, `T*` or `const T*`, and
        value parameters that bound an array passed by reference."""
        out: dict[str, str | int] = {}
        decl = fn.node.child_by_field_name("declarator")
        while decl is not None and decl.type != "function_declarator":
            # `T& f(...)`: a reference declarator holds the function declarator unnamed
            decl = decl.child_by_field_name("declarator") or (decl.named_children[0] if decl.named_children else None)
        plist = decl.child_by_field_name("parameters") if decl is not None else None
        if plist is None:
            return out
        for p, a in zip([c for c in plist.named_children if c.type == "parameter_declaration"], args, strict=False):
            self.deduce_array_bound(p, a.type, pnames, given, out)
            type_node = p.child_by_field_name("type")
            if type_node is None or type_node.type != "type_identifier":
                continue
            tname = self.text(type_node)
            if tname not in pnames or tname in given or tname in out:
                continue
            ty = a.type
            d = p.child_by_field_name("declarator")
            while d is not None and d.type == "pointer_declarator":
                if not isinstance(ty, t.Pointer | t.Array):
                    break
                ty = t.element_of(ty)
                d = d.child_by_field_name("declarator")
            plain = d is None or d.type == "identifier"  # `T x`, no pointer or reference left
            if plain and isinstance(ty, t.Array):
                ty = t.Pointer(ty.elem)  # by value: an array argument decays
            if plain and isinstance(ty, t.Pointer):
                ty = dataclasses.replace(ty, space=t.AddrSpace.GENERIC, restrict=False)  # `T p` with T = int*
            if isinstance(ty, t.Scalar | t.Vector | t.Pointer | t.Struct) and parse_type_text(t.type_name(ty), self.types) == ty:
                out[tname] = t.type_name(ty)
        return out

    def deduce_array_bound(
        self, param: CstNode, arg: t.Type, pnames: list[str], given: dict[str, str | int], out: dict[str, str | int]
    ) -> None:
        """`unsigned (&bins)[N]` called with an `unsigned[4]`: N = 4 (only a reference keeps the bound)."""
        d = param.child_by_field_name("declarator")
        sizes: list[CstNode | None] = []
        while d is not None and d.type == "array_declarator":  # outermost is the last dimension
            sizes.append(d.child_by_field_name("size"))
            d = d.child_by_field_name("declarator")
        if d is None or d.type != "parenthesized_declarator" or not any(
            c.type == "reference_declarator" for c in d.named_children
        ):
            return
        ty = arg
        for size in reversed(sizes):
            if not isinstance(ty, t.Array):
                return
            name = self.text(size).strip() if size is not None else ""
            if name in pnames and name not in given and name not in out and ty.size is not None:
                out[name] = ty.size
            ty = ty.elem

    def try_inline(
        self, fn: FunctionDef, targs: dict[str, str | int], params: tuple[ir.Param, ...], args: tuple[ir.Expr, ...]
    ) -> ir.Expr | None:
        """Inline a callee whose body is one `return expr;` by substituting its parameters."""
        sub = FunctionLowerer(self.source, self.scope, self.globals, targs, inline=True)
        try:
            callee = sub.function(fn)
        except LowerError:
            return None
        if not isinstance(callee, ir.DeviceFunction) or len(callee.body.stmts) != 1:
            return None
        ret = callee.body.stmts[0]
        if not isinstance(ret, ir.Return) or ret.value is None:
            return None
        mapping = {p.name: a for p, a in zip(params, args, strict=True)}
        return substitute(ret.value, mapping)

    def math_call(
        self, node: CstNode, name: str, row: dict, args: list[tuple[ir.Expr, CstNode]], targ: t.Type | None = None
    ) -> ir.Expr:
        want: list[str] = row["args"]
        if row["ret"] == "targ" and targ is None:
            raise self.fail(node, f"call of '{name}'", "needs its template argument (`<float>`)")
        if len(args) != len(want):
            raise self.fail(node, f"call of '{name}'", f"takes {len(want)} arguments, {len(args)} given")
        scalars = [a.type for a, _ in args if isinstance(a.type, t.Scalar)]
        generic: t.Scalar | None = None
        if "T" in want or "A" in want or row["ret"] in ("T", "A"):
            if len(scalars) != sum(1 for w in want if w in ("T", "A")) and "ptr" not in want:
                raise self.fail(node, f"call of '{name}'", "arguments must be scalars")
            common = scalars[0] if scalars else t.F64
            for s in scalars[1:]:
                common = conv.common_type(common, s)
            if "T" in want and common.kind.is_integer:
                common = t.F64  # C++ math overloads take integers as double
            generic = conv.promote(common) if "A" in want else common
        words = math_tables.resolved_words(any(math_tables.is_bf16_based(a.type) for a, _ in args))
        out_args: list[ir.Expr] = []
        for (a, n), w in zip(args, want, strict=True):
            if w in ("T", "A"):
                out_args.append(self.convert(a, generic, n))  # type: ignore[arg-type]
            elif w == "ptr":
                if not isinstance(a.type, t.Pointer | t.Array):
                    raise self.fail(n, f"argument of '{name}'", "must be a pointer")
                out_args.append(a)
            elif w == "deref":  # the value a cache-hint store writes through the first argument
                out_args.append(self.convert(a, t.element_of(out_args[0].type), n))
            else:
                out_args.append(self.convert(a, words[w], n))
        ret_word: str = row["ret"]
        if ret_word in ("T", "A"):
            ret: t.Type = generic  # type: ignore[assignment]
        elif ret_word == "targ":
            ret = targ  # type: ignore[assignment]
        elif ret_word == "deref":
            ptr_t = out_args[0].type
            ret = t.element_of(ptr_t)
        else:
            ret = words[ret_word]
        return ir.MathCall(self.span(node), ret, row["op"], name, tuple(out_args))

    def builtin_call(self, node: CstNode, name: str, row: dict, args: list[tuple[ir.Expr, CstNode]]) -> ir.Expr:
        sp = self.span(node)
        kind = row["node"]

        def need(n: int) -> None:
            if len(args) != n:
                raise self.fail(node, f"call of '{name}'", f"takes {n} arguments, {len(args)} given")

        if kind == "barrier":
            bkind = row["kind"]
            if bkind == "syncthreads":
                need(0)
                return ir.Barrier(sp, t.VOID, "syncthreads")
            if bkind == "syncwarp":
                if len(args) > 1:
                    need(1)
                mask = self.convert(args[0][0], t.U32, args[0][1]) if args else None
                return ir.Barrier(sp, t.VOID, "syncwarp", mask=mask)
            need(1)
            pred = self.convert(args[0][0], t.I32, args[0][1])
            return ir.Barrier(sp, t.I32, bkind, pred=pred)
        if kind == "fence":
            need(0)
            return ir.Fence(sp, t.VOID, row["scope"])
        if kind == "atomic":
            op = row["op"]
            need(3 if op == "cas" else 1 if op in () else 2)
            ptr = args[0][0]
            if not isinstance(ptr.type, t.Pointer):
                raise self.fail(args[0][1], f"first argument of '{name}'", "must be a pointer")
            elem = ptr.type.pointee
            # atomicAdd has __half2 / __nv_bfloat162 overloads (each lane atomic on its own)
            if not isinstance(elem, t.Scalar) and not (op == "add" and _is_half2(elem)):
                raise self.fail(args[0][1], f"'{name}' on {t.type_name(elem)}", "not supported")
            compare = None
            if op == "cas":
                compare = self.convert(args[1][0], elem, args[1][1])
                value = self.convert(args[2][0], elem, args[2][1])
            else:
                value = self.convert(args[1][0], elem, args[1][1])
            return ir.Atomic(sp, elem, op, ptr, value, compare, row["scope"])
        if kind == "shuffle":
            masked = row["mask"]
            base = 1 if masked else 0
            if len(args) not in (base + 2, base + 3):
                need(base + 2)
            mask = self.convert(args[0][0], t.U32, args[0][1]) if masked else None
            value = args[base][0]
            if not isinstance(value.type, t.Scalar):
                raise self.fail(args[base][1], f"'{name}' of {t.type_name(value.type)}", "not supported")
            if value.type.kind.bits < 32 and value.type.kind.is_integer:
                value = self.convert(value, t.I32, args[base][1])  # the int overload
            lane_t = t.U32 if row["kind"] in ("up", "down") else t.I32
            lane = self.convert(args[base + 1][0], lane_t, args[base + 1][1])
            width = self.convert(args[base + 2][0], t.I32, args[base + 2][1]) if len(args) == base + 3 else None
            return ir.WarpShuffle(sp, value.type, row["kind"], mask, value, lane, width)
        if kind == "vote":
            vkind = row["kind"]
            if vkind == "activemask":
                need(0)
                return ir.WarpVote(sp, t.U32, "activemask", None, None)
            masked = row["mask"]
            need(2 if masked else 1)
            mask = self.convert(args[0][0], t.U32, args[0][1]) if masked else None
            pred_e, pred_n = args[-1]
            pred = self.convert(pred_e, t.I32, pred_n)
            return ir.WarpVote(sp, t.U32 if vkind == "ballot" else t.I32, vkind, mask, pred)
        if kind == "reduce":
            need(2)
            mask = self.convert(args[0][0], t.U32, args[0][1])
            v, vn = args[1]
            vt = t.U32 if isinstance(v.type, t.Scalar) and not v.type.kind.is_signed else t.I32
            if row["op"] in ("and", "or", "xor"):
                vt = t.U32
            return ir.WarpReduce(sp, vt, row["op"], mask, self.convert(v, vt, vn))
        raise self.fail(node, name, f"unknown built-in kind {kind}")


# Finite limits of the floating types: (max, min normal, epsilon, min subnormal).
_FLOAT_LIMITS = {
    t.ScalarKind.F16: (65504.0, 2.0**-14, 2.0**-10, 2.0**-24),
    t.ScalarKind.BF16: (3.3895313892515355e38, 2.0**-126, 2.0**-7, 2.0**-133),
    t.ScalarKind.F32: (3.4028234663852886e38, 2.0**-126, 2.0**-23, 2.0**-149),
    t.ScalarKind.F64: (1.7976931348623157e308, 2.0**-1022, 2.0**-52, 5e-324),
}  # fmt: skip


def limit_value(ty: t.Scalar, what: str) -> int | float | None:
    """The value of `std::numeric_limits<ty>::what()`, or None for members not modelled."""
    if ty.kind.is_integer:
        bits = ty.kind.bits if ty.kind != t.ScalarKind.BOOL else 1
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if ty.kind.is_signed else (0, (1 << bits) - 1)
        return {"max": hi, "min": lo, "lowest": lo, "digits": bits - ty.kind.is_signed}.get(what)
    big, small, eps, denorm = _FLOAT_LIMITS[ty.kind]
    return {
        "max": big, "min": small, "lowest": -big, "epsilon": eps, "denorm_min": denorm,
        "infinity": float("inf"), "quiet_NaN": float("nan"),
    }.get(what)  # fmt: skip


# --- constants ----------------------------------------------------------------------------------


def const_value(e: ir.Expr | None) -> int | None:
    """The integer value of a constant expression, or None."""
    if e is None:
        return None
    if isinstance(e, ir.IntLit):
        return e.value
    if isinstance(e, ir.BoolLit):
        return int(e.value)
    if isinstance(e, ir.Cast) and isinstance(e.type, t.Scalar) and e.type.kind.is_integer:
        v = const_value(e.operand)
        return None if v is None else conv.wrap(v, e.type)
    return None


def fold(e: ir.Expr) -> ir.Expr:
    """Fold an integer operation whose operands are constants (C semantics: wrap, truncating division)."""
    if not isinstance(e.type, t.Scalar) or not e.type.kind.is_integer:
        return e
    ty = e.type
    value: int | None = None
    if isinstance(e, ir.Unary):
        v = const_value(e.operand)
        if v is not None:
            value = {"-": -v, "+": v, "~": ~v, "!": int(not v)}[e.op]
    elif isinstance(e, ir.Binary | ir.Compare | ir.Logical):
        a, b = const_value(e.lhs), const_value(e.rhs)
        if a is None or b is None:
            return e
        value = _fold_binary(e.op, a, b, e.lhs.type)
    elif isinstance(e, ir.Select):
        c = const_value(e.cond)
        a, b = const_value(e.if_true), const_value(e.if_false)
        if c is not None and a is not None and b is not None:
            value = a if c else b
    elif isinstance(e, ir.Cast) and not e.implicit:
        value = const_value(e)
    if value is None:
        return e
    if ty.kind == t.ScalarKind.BOOL:
        return ir.BoolLit(e.span, ty, bool(value))
    return ir.IntLit(e.span, ty, conv.wrap(value, ty))


def _fold_binary(op: str, a: int, b: int, operand_type: t.Type) -> int | None:
    if op in ("/", "%"):
        if b == 0:
            return None
        q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
        return q if op == "/" else a - q * b
    if op in ("<<", ">>"):
        bits = operand_type.kind.bits if isinstance(operand_type, t.Scalar) else 32
        if b < 0 or b >= bits:
            return None  # undefined in C: leave it to the target
        return a << b if op == "<<" else a >> b
    table = {
        "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "&": lambda: a & b, "|": lambda: a | b,
        "^": lambda: a ^ b, "==": lambda: int(a == b), "!=": lambda: int(a != b), "<": lambda: int(a < b),
        "<=": lambda: int(a <= b), ">": lambda: int(a > b), ">=": lambda: int(a >= b),
        "&&": lambda: int(bool(a) and bool(b)), "||": lambda: int(bool(a) or bool(b)),
    }  # fmt: skip
    fn = table.get(op)
    return None if fn is None else fn()


def substitute(e: ir.Expr, mapping: dict[str, ir.Expr]) -> ir.Expr:
    """Replace parameter variables by expressions (for inlining)."""
    if isinstance(e, ir.Var) and e.kind == "param" and e.name in mapping:
        return mapping[e.name]
    changes: dict[str, object] = {}
    for f in dataclasses.fields(e):
        v = getattr(e, f.name)
        if isinstance(v, ir.Expr):
            changes[f.name] = substitute(v, mapping)
        elif isinstance(v, tuple) and v and all(isinstance(x, ir.Expr) for x in v):
            changes[f.name] = tuple(substitute(x, mapping) for x in v)
    return ir.replace(e, **changes) if changes else e


__all__ = ["FunctionLowerer", "LowerError", "const_value", "fold"]
