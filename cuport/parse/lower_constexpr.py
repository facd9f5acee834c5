"""Variable templates and compile-time evaluation of `constexpr` functions.

    template <class T> __constant__ T mask[N];           mask<T>[j]            -> mask_float[j]
    template <class K> const K EMPTY = empty_key<K>();   x == EMPTY<unsigned>  -> x == 4294967295u

A `__constant__`/`__device__` variable template becomes one global per instantiation, named
`name_arg...` (the IR names globals with identifiers; the module lists each instance once). A
`const`/`constexpr` variable template is a value: its initializer is lowered with the arguments
bound and must fold to a literal. Host-only `constexpr` functions (and `static constexpr` methods
of class templates, `H<K>::empty()`) are evaluated where they are called: their body is
interpreted — `if`/`if constexpr` on constants, `return`, `static_assert` — with integer
arguments only; anything else is refused, never guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.lower_scope import FunctionDef, is_device_global, tokens
from cuport.parse.lower_structs import template_param_name

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

_MAX_DEPTH = 32  # nested constexpr calls: deeper is refused (a recursive constexpr function)


def literal(e: ir.Expr, ty: t.Type) -> ir.Expr | None:
    """`e` (already converted to ty) as a literal of ty, or None when it is not a constant."""
    from cuport.parse.lower_body import const_value

    if not isinstance(ty, t.Scalar):
        return None
    if ty.kind == t.ScalarKind.BOOL:
        v = const_value(e)
        return None if v is None else ir.BoolLit(e.span, ty, bool(v))
    if ty.kind.is_integer:
        v = const_value(e)
        return None if v is None else ir.IntLit(e.span, ty, v)
    inner = e.operand if isinstance(e, ir.Cast) else e
    if isinstance(inner, ir.FloatLit | ir.IntLit):
        return ir.FloatLit(e.span, ty, float(inner.value))
    return None


def instance_name(name: str, args: list[str | int]) -> str:
    """`mask` with [float] -> `mask_float` (an identifier every target can spell)."""
    words = [re.sub(r"\W+", "_", str(a)).strip("_") for a in args]
    return "_".join([name, *words])


class Constexpr:
    """Variable-template uses and constexpr calls of one function being lowered."""

    def __init__(self, lw: FunctionLowerer, depth: int = 0) -> None:
        self.lw = lw
        self.depth = depth
        self.new_globals: list[ir.GlobalVar] = []  # instances this function made (lower.py adds them)

    def sub_lowerer(self, name: str, node: CstNode, params: CstNode | None, explicit: list[str | int]) -> FunctionLowerer:
        """A lowerer with `params` bound to `explicit` (defaults for the rest), for one declaration."""

        lw = self.lw
        names = [template_param_name(p) for p in params.named_children] if params is not None else []
        if len(explicit) > len(names):
            raise lw.fail(node, f"'{name}'", f"{len(explicit)} template arguments for {len(names)} parameters")
        targs = {n: v for n, v in zip(names, explicit, strict=False) if n is not None}
        sub = type(lw)(lw.source, lw.scope, lw.globals, targs)
        sub.constexpr = Constexpr(sub, self.depth + 1)
        sub.bind_templates(FunctionDef(name, node, params, False, False, False))
        return sub

    # --- variable templates ---------------------------------------------------------------

    def variable(self, node: CstNode) -> ir.Expr | None:
        """A use `name<args>` of a variable template (None: `node` names none)."""
        lw = self.lw
        name_node = node.child_by_field_name("name")
        name = lw.text(name_node) if name_node is not None else ""
        entry = lw.scope.var_templates.get(name)
        if entry is None:
            return None
        decl, params = entry
        explicit = lw.explicit_template_args(node.child_by_field_name("arguments"))
        space = is_device_global(decl)
        sp = lw.span(node)
        if space in ("constant", "device"):
            gname = instance_name(name, explicit)
            g = lw.globals.get(gname)
            if g is None:
                made = self.sub_lowerer(name, decl, params, explicit).global_vars(decl, space)
                if len(made) != 1:
                    raise lw.fail(node, f"variable template '{name}'", "not one variable")
                g = ir.replace(made[0], name=gname)
                lw.globals[gname] = g
                self.new_globals.append(g)
            return ir.Var(sp, g.var_type, gname, "constant" if g.space == "constant" else "global")
        if space != "const":
            raise lw.fail(node, f"variable template '{name}'", "a host variable (not const, __constant__ or __device__)")
        sub = self.sub_lowerer(name, decl, params, explicit)
        type_node = decl.child_by_field_name("type")
        d = decl.child_by_field_name("declarator")
        if self.depth >= _MAX_DEPTH or type_node is None or d is None:
            raise lw.fail(node, f"variable template '{name}'", "cannot be evaluated")
        _, ty, init_node, _ = sub.declarator(d, sub.base_type(type_node), True)
        if init_node is None:
            raise lw.fail(node, f"variable template '{name}'", "no initializer")
        value = literal(sub.initializer(init_node, ty), ty)
        if value is None:
            raise lw.fail(node, f"variable template '{name}'", "its value is not a constant")
        return ir.replace(value, span=sp)

    # --- constexpr calls ------------------------------------------------------------------

    def call(self, node: CstNode, fn: CstNode) -> ir.Expr | None:
        """A call of a host-only constexpr function or a `static constexpr` method of a class
        template (`H<K>::empty()`), evaluated; None when the callee is neither."""
        lw = self.lw
        explicit: list[str | int] = []
        if fn.type == "template_function":
            name_node = fn.child_by_field_name("name")
            name = lw.text(name_node) if name_node is not None else ""
            if name not in lw.scope.constexpr_fns or lw.scope.functions.get(name):
                return None
            explicit = lw.explicit_template_args(fn.child_by_field_name("arguments"))
            defs = lw.scope.constexpr_fns[name]
        elif fn.type == "identifier":
            name = lw.text(fn)
            if name not in lw.scope.constexpr_fns or lw.scope.functions.get(name) or lw.lookup(name) is not None:
                return None
            defs = lw.scope.constexpr_fns[name]
        elif fn.type == "qualified_identifier":
            found = self.static_method(fn)
            if found is None:
                return None
            name, explicit, defs = found
        else:
            return None
        if len(defs) != 1:
            raise lw.fail(node, f"constexpr function '{name}'", "overloaded (not evaluated)")
        fn_node, params = defs[0]
        return self.evaluate(node, name, fn_node, params, explicit)

    def static_method(self, fn: CstNode) -> tuple[str, list[str | int], list[tuple[CstNode, CstNode | None]]] | None:
        lw = self.lw
        scope_node, member = fn.child_by_field_name("scope"), fn.child_by_field_name("name")
        if scope_node is None or member is None or scope_node.type != "template_type":
            return None
        cls_node = scope_node.child_by_field_name("name")
        cls = lw.text(cls_node) if cls_node is not None else ""
        defs = lw.scope.functions.get(f"{cls}::{lw.text(member)}", [])
        picked = [(d.node, d.template_params) for d in defs if {"static", "constexpr"} <= tokens(d.node)]
        if not picked:
            return None
        explicit = lw.explicit_template_args(scope_node.child_by_field_name("arguments"))
        return f"{cls}::{lw.text(member)}", explicit, picked

    def evaluate(
        self, node: CstNode, name: str, fn_node: CstNode, params: CstNode | None, explicit: list[str | int]
    ) -> ir.Expr:
        lw = self.lw
        what = f"constexpr function '{name}'"
        if self.depth >= _MAX_DEPTH:
            raise lw.fail(node, what, "nested too deeply (recursive?)")
        sub = self.sub_lowerer(name, fn_node, params, explicit)
        type_node, body = fn_node.child_by_field_name("type"), fn_node.child_by_field_name("body")
        if type_node is None or body is None:
            raise lw.fail(node, what, "no return type or body")
        sub.return_type = sub.base_type(type_node)
        formals = [p for p in self.parameter_nodes(fn_node) if p.type != "comment"]
        actuals = lw.args(node)
        if len(formals) != len(actuals):
            raise lw.fail(node, what, "called with default or variadic arguments (not evaluated)")
        from cuport.parse.lower_body import Binding

        for p, (value, arg_node) in zip(formals, actuals, strict=True):
            ptype = p.child_by_field_name("type")
            pname, pty, _, _ = sub.declarator(p.child_by_field_name("declarator"), sub.base_type(ptype), True)  # type: ignore[arg-type]
            v = literal(lw.convert(value, pty, arg_node), pty)
            if v is None or not isinstance(v, ir.IntLit | ir.BoolLit):
                raise lw.fail(arg_node, what, "an argument that is not an integer constant")
            sub.declare(pname, Binding(pty, "local", int(v.value)))
        result = self.run(sub, body, what)
        if result is None:
            raise lw.fail(node, what, "ends without a return")
        return ir.replace(result, span=lw.span(node))

    @staticmethod
    def parameter_nodes(fn_node: CstNode) -> list[CstNode]:
        decl = fn_node.child_by_field_name("declarator")
        while decl is not None and decl.type != "function_declarator":
            decl = decl.child_by_field_name("declarator")
        plist = decl.child_by_field_name("parameters") if decl is not None else None
        return list(plist.named_children) if plist is not None else []

    def run(self, sub: FunctionLowerer, node: CstNode, what: str) -> ir.Expr | None:
        """Interpret one statement of a constexpr body: the returned literal, or None to go on."""
        kind = node.type
        if kind in ("comment", "static_assert_declaration", ";"):
            return None
        if kind == "compound_statement":
            for c in node.named_children:
                r = self.run(sub, c, what)
                if r is not None:
                    return r
            return None
        if kind == "if_statement":
            cond = node.child_by_field_name("condition")
            inner = cond.child_by_field_name("value") if cond is not None else None
            if inner is None and cond is not None:
                inner = next((c for c in cond.named_children if c.type != "comment"), None)
            if inner is None or (cond is not None and cond.child_by_field_name("initializer") is not None):
                raise sub.fail(node, what, "an if whose condition is not a plain expression")
            taken = node.child_by_field_name("consequence") if sub.const_int(inner) else node.child_by_field_name("alternative")
            if taken is not None and taken.type == "else_clause":
                taken = taken.named_children[0] if taken.named_children else None
            return None if taken is None else self.run(sub, taken, what)
        if kind == "return_statement":
            value_node = next((c for c in node.named_children if c.type != "comment"), None)
            if value_node is None:
                raise sub.fail(node, what, "returns nothing")
            e = sub.convert(sub.fold_locals(sub.expr(value_node)), sub.return_type, value_node)
            v = literal(e, sub.return_type)
            if v is None:
                raise sub.fail(value_node, what, "returns a value that is not a constant")
            return v
        raise sub.fail(node, what, f"statement '{kind}' is not evaluated at compile time")
