"""File-scope `const` scalars (`const double alpha = 0.02;`) folded into the kernel.

They are not symbols the runner uploads (only `__constant__`/`__device__` ones are), and C++
gives them internal linkage with a known value, so each read becomes its initialiser, cast to
the variable's type as the C++ initialisation would.
"""

from __future__ import annotations

import dataclasses

from cuport.ir import nodes as ir
from cuport.ir.types import Scalar

_MAX_DEPTH = 8  # initialisers may name other consts; a cycle would be a C++ error anyway


def fold(k: ir.Kernel, globals_: dict[str, ir.GlobalVar]) -> ir.Kernel:
    consts = {n: g for n, g in globals_.items() if g.space == "const" and g.init is not None and isinstance(g.var_type, Scalar)}
    if not consts:
        return k
    return ir.replace(k, body=_fold(k.body, consts, 0))


def _fold(node: ir.Node, consts: dict[str, ir.GlobalVar], depth: int):  # noqa: ANN202 - returns the node's own type
    if isinstance(node, ir.Var) and node.kind == "global" and node.name in consts and depth < _MAX_DEPTH:
        g = consts[node.name]
        assert g.init is not None
        init = _fold(g.init, consts, depth + 1)
        return init if init.type == g.var_type else ir.Cast(node.span, g.var_type, init, implicit=True)
    changes = {}
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if isinstance(v, ir.Node):
            changes[f.name] = _fold(v, consts, depth)
        elif isinstance(v, tuple) and any(isinstance(i, ir.Node) for i in v):
            changes[f.name] = tuple(_fold(i, consts, depth) if isinstance(i, ir.Node) else i for i in v)
    return ir.replace(node, **changes) if changes else node
