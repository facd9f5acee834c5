"""Qualified names that denote compile-time values: `Enum::kValue` (enum classes too),
`ns::kConst` (a namespace of the file), `S::kN` and `Traits::kN` (a static integer constant of a
struct or of a class template instance, with a template type parameter bound to that instance).

Static constants fold to literals: the IR has no class scope, and C++ needs them as constants
anyway (array bounds, template arguments, `__launch_bounds__`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import conversions as conv
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.lower_types import split_scope

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer


def _literal(sp: object, value: int, ty: t.Type) -> ir.Expr:
    if ty == t.BOOL:
        return ir.BoolLit(sp, t.BOOL, bool(value))  # type: ignore[arg-type]
    if not isinstance(ty, t.Scalar) or not ty.kind.is_integer or not conv.fits(value, ty):
        ty = t.I32 if conv.fits(value, t.I32) else t.I64
    return ir.IntLit(sp, ty, value)  # type: ignore[arg-type]


def static_value(lo: FunctionLowerer, node: CstNode, name: str) -> ir.Expr | None:
    """The value a qualified name denotes, or None when it names nothing this knows."""
    name = "".join(name.split()).removeprefix("::")
    sp = lo.span(node)
    enum = lo.scope.enum_values
    parts = split_scope(name)
    if parts is None:
        return None
    prefix, member = parts
    namespaces = lo.scope.classes.namespaces
    outer = prefix.split("::")
    while outer and outer[0] in namespaces:
        outer.pop(0)  # `ns::E::k`, `ns::k`: the file's namespaces are flattened
    if not outer:
        if member in lo.globals:
            g = lo.globals[member]
            return ir.Var(sp, g.var_type, member, "constant" if g.space == "constant" else "global")
        if member in enum:
            return _literal(sp, enum[member], t.I32)
        return None
    key = f"{'::'.join(outer)}::{member}"
    if key in enum:
        return _literal(sp, enum[key], t.I32)
    owner = lo.types.lookup("::".join(outer))
    if not isinstance(owner, t.Struct):
        return None
    found = lo.scope.classes.member(owner, member, lo.types)
    if isinstance(found, tuple):
        return _literal(sp, found[0], found[1])
    return None


def own_static(lo: FunctionLowerer, node: CstNode, name: str) -> ir.Expr | None:
    """An unqualified static constant used inside a member function of its class."""
    owner = lo.methods.owner
    if owner is None:
        return None
    found = lo.scope.classes.member(owner, name, lo.types)
    return _literal(lo.span(node), found[0], found[1]) if isinstance(found, tuple) else None


__all__ = ["own_static", "static_value"]
