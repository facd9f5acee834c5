"""Value types of the CUDA runtime that device code declares: `dim3`.

`dim3` is three unsigned ints, so the IR holds it as `uint3`; what differs is its constructor,
whose missing components default to 1 (`dim3 d;` is (1, 1, 1), `dim3 d(x, y)` is (x, y, 1)).
Those defaults are made explicit here wherever a `dim3` is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

DIM3 = t.VECTOR_TYPES["uint3"]


def names_dim3(lo: FunctionLowerer, node: CstNode | None) -> bool:
    """Whether a type or callee spells the runtime's dim3 (not a variable or a file's own type)."""
    if node is None or "".join(lo.text(node).split()) not in ("dim3", "::dim3"):
        return False
    return lo.lookup("dim3") is None and "dim3" not in lo.scope.types.names


def dim3_value(lo: FunctionLowerer, node: CstNode, items: list[CstNode]) -> ir.Expr:
    """`dim3(a, b)`, `dim3 d{a}`, `dim3 d;`: the three components, missing ones 1."""
    sp = lo.span(node)
    if len(items) > 3:
        raise lo.fail(node, "dim3", "takes at most 3 components")
    if len(items) == 1:
        only = lo.expr(items[0])
        if only.type == DIM3 or (isinstance(only.type, t.Vector) and only.type.count == 3
                                 and only.type.elem == t.U32):
            return only  # a copy of a dim3 / uint3
        values = [lo.convert(only, t.U32, items[0])]
    else:
        values = [lo.convert(lo.expr(c), t.U32, c) for c in items]
    values += [ir.IntLit(sp, t.U32, 1)] * (3 - len(values))
    return ir.MakeVector(sp, DIM3, tuple(values))


__all__ = ["DIM3", "dim3_value", "names_dim3"]
