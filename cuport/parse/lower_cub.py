"""CUB's block reduction (`cub::BlockReduce<T, N>`) lowered to a shared-memory tree of existing nodes.

`using R = cub::BlockReduce<T, N>;` is recorded on the type names (`TypeNames.block_reduce`), so
`__shared__ typename R::TempStorage s;` declares a `T s[N]` scratch array. `R(s).Sum(x)`,
`R(s).Sum(x, valid)` and `R(s).Reduce(x, cub::Max())` (Sum/Max/Min) become statements placed before
the current one:

    const unsigned int rank = <linear thread rank>;
    s[rank] = x; __syncthreads();
    for (unsigned int stride = P / 2; stride > 0; stride >>= 1) {   // P: N rounded up to a power of 2
      if (rank < stride && rank + stride < valid) s[rank] = s[rank] op s[rank + stride];
      __syncthreads();
    }
    T r = s[0]; __syncthreads();   // every thread gets the total (CUB: thread 0); storage reusable

and the expression reads `r`. Like CUB it needs every thread of the block to reach the call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

_OPS = {"Sum": "+", "Max": "max", "Min": "min"}


def cub_alias(
    node: CstNode, resolve_type: Callable[[CstNode], t.Type], resolve_int: Callable[[CstNode], int]
) -> tuple[str, t.Type, int] | None:
    """(alias, T, N) for `using R = cub::BlockReduce<T, N...>` / `typedef cub::BlockReduce<T, N...> R`."""
    if node.type == "alias_declaration":
        name = node.child_by_field_name("name")
        desc = node.child_by_field_name("type")
        ty = desc.child_by_field_name("type") if desc is not None else None
    elif node.type == "type_definition":
        ty = node.child_by_field_name("type")
        name = next(iter(node.children_by_field_name("declarator")), None)
    else:
        return None
    if ty is None or name is None or ty.type != "qualified_identifier" or not name.text:
        return None
    scope, inner = ty.child_by_field_name("scope"), ty.child_by_field_name("name")
    if scope is None or scope.text != b"cub" or inner is None or inner.type != "template_type":
        return None
    template = inner.child_by_field_name("name")
    args_node = inner.child_by_field_name("arguments")
    if template is None or template.text != b"BlockReduce" or args_node is None:
        return None
    args = [c for c in args_node.named_children if c.type != "comment"]
    if len(args) < 2 or len(args) > 3:
        return None  # 2D/3D blocks (BLOCK_DIM_Y, BLOCK_DIM_Z) are not modelled
    type_node = args[0].child_by_field_name("type") if args[0].type == "type_descriptor" else args[0]
    if type_node is None or args[0].child_by_field_name("declarator") is not None:
        return None
    try:
        return name.text.decode(), resolve_type(type_node), resolve_int(args[1])
    except Exception:  # noqa: BLE001 - an alias we cannot read stays unknown; its use reports CL005
        return None


def block_reduce_call(lw: FunctionLowerer, node: CstNode, fn: CstNode) -> ir.Expr | None:
    """`R(storage).Sum(x)` and friends, or None when `node` is no such call."""
    if fn.type != "field_expression":
        return None
    ctor = fn.child_by_field_name("argument")
    if ctor is None or ctor.type != "call_expression":
        return None
    callee = ctor.child_by_field_name("function")
    if callee is None or callee.type != "identifier" or lw.text(callee) not in lw.types.block_reduce:
        return None
    elem, n = lw.types.block_reduce[lw.text(callee)]
    method = lw.text(fn.child_by_field_name("field"))  # type: ignore[arg-type]
    alist = node.child_by_field_name("arguments")
    args = [c for c in alist.named_children if c.type != "comment"] if alist is not None else []
    storage_args = lw.args(ctor)
    if len(storage_args) != 1:
        raise lw.fail(ctor, "cub::BlockReduce", "takes one TempStorage")
    storage = storage_args[0][0]
    if not isinstance(storage.type, t.Array) or storage.type.elem != elem or not isinstance(storage, ir.Var):
        raise lw.fail(ctor, "cub::BlockReduce", "needs its TempStorage variable")
    valid: CstNode | None = None
    if method == "Sum" and len(args) in (1, 2):
        op = "+"
        valid = args[1] if len(args) == 2 else None
    elif method == "Reduce" and len(args) in (2, 3):
        m = re.fullmatch(r"(?:cub::)?(Sum|Max|Min)(?:\(\)|\{\})", "".join(lw.text(args[1]).split()))
        if m is None:
            raise lw.fail(args[1], f"cub::BlockReduce operation '{lw.text(args[1])}'", "not supported")
        op = _OPS[m.group(1)]
        valid = args[2] if len(args) == 3 else None
    else:
        raise lw.fail(node, f"cub::BlockReduce::{method} with {len(args)} arguments", "not supported")
    place = lw.side_effect_slot()
    if place is None:
        raise lw.fail(node, "cub::BlockReduce", "not supported in this position")
    if not isinstance(elem, t.Scalar):
        raise lw.fail(node, f"cub::BlockReduce of {t.type_name(elem)}", "not supported")
    sp = lw.span(node)
    value = lw.convert(lw.expr(args[0]), elem, args[0])
    limit: ir.Expr = ir.IntLit(sp, t.U32, n)
    if valid is not None:
        limit = lw.convert(lw.expr(valid), t.U32, valid)
    rank_name = lw.fresh_name("cub_rank")
    place.append(ir.VarDecl(sp, rank_name, t.U32, lw.groups.block_rank(sp), True))
    lw.declare(rank_name, _binding(t.U32))
    rank = ir.Var(sp, t.U32, rank_name, "local")
    stride_name = lw.fresh_name("cub_stride")
    stride = ir.Var(sp, t.U32, stride_name, "local")

    def at(i: ir.Expr) -> ir.Expr:
        return ir.Index(sp, elem, storage, i)

    sync = ir.ExprStmt(sp, ir.Barrier(sp, t.VOID, "syncthreads"))
    pow2 = 1
    while pow2 < n:
        pow2 *= 2
    other = at(ir.Binary(sp, t.U32, "+", rank, stride))
    if op in ("min", "max"):
        pick = ir.Compare(sp, t.BOOL, "<" if op == "min" else ">", at(rank), other)
        combined: ir.Expr = ir.Select(sp, elem, pick, at(rank), other)
    else:
        combined = lw.convert(lw.binary(node, "+", at(rank), other), elem, node)
    in_range = ir.Logical(sp, t.BOOL, "&&", ir.Compare(sp, t.BOOL, "<", rank, stride),
                          ir.Compare(sp, t.BOOL, "<", ir.Binary(sp, t.U32, "+", rank, stride), limit))
    body = ir.Block(sp, (ir.If(sp, in_range, ir.Block(sp, (ir.Assign(sp, at(rank), "", combined),))), sync))
    loop = ir.For(sp, (ir.VarDecl(sp, stride_name, t.U32, ir.IntLit(sp, t.U32, pow2 // 2)),),
                  ir.Compare(sp, t.BOOL, ">", stride, ir.IntLit(sp, t.U32, 0)),
                  (ir.Assign(sp, stride, ">>", ir.IntLit(sp, t.I32, 1)),), body)
    result_name = lw.fresh_name("cub_reduce")
    place += [ir.Assign(sp, at(rank), "", value), sync, loop, ir.VarDecl(sp, result_name, elem, at(ir.IntLit(sp, t.U32, 0))), sync]
    lw.declare(result_name, _binding(elem))
    return ir.Var(sp, elem, result_name, "local")


def _binding(ty: t.Type) -> object:
    from cuport.parse.lower_body import Binding

    return Binding(ty, "local")


__all__ = ["block_reduce_call", "cub_alias"]
