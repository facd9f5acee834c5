"""CUB's warp-wide collectives as warp shuffles (see lower_cub.py); W is the logical warp width
(a power of two up to 32) and a thread's lane is its linear rank % W.

WarpReduce (`Sum(x)`, `Sum(x, valid)`, `Reduce(x, op)`, `Reduce(x, op, valid)`; op: cub::Sum/Max/Min):

    T v = x;
    for (offset = W / 2; offset > 0; offset >>= 1) {
      T other = __shfl_down_sync(0xffffffff, v, offset, W);
      if (lane + offset < valid) v = v op other;      // valid: W unless given
    }

Lane 0 ends with the reduction of lanes [0, valid), which is all CUB promises; other lanes hold
partial results (CUB leaves them undefined).

WarpScan (`InclusiveSum(x, out[, aggregate])`, `ExclusiveSum(x, out[, aggregate])`): a Kogge-Stone
scan with `__shfl_up_sync`; the exclusive result is the inclusive one of the lane before, 0 in lane 0
(CUB's ExclusiveSum), and the aggregate is lane W-1's inclusive result, given to every lane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.lower_cub import CubCall, combine, local, loop_var, reduce_op, u32, zero

if TYPE_CHECKING:
    from tree_sitter import Node as CstNode

    from cuport.parse.lower_body import FunctionLowerer


def warp_reduce(lw: FunctionLowerer, call: CubCall) -> ir.Expr:
    args, node = call.args, call.node
    valid: CstNode | None = None
    if call.method == "Sum" and len(args) in (1, 2):
        op = "+"
        valid = args[1] if len(args) == 2 else None
    elif call.method == "Reduce" and len(args) in (2, 3):
        op = reduce_op(lw, args[1], "cub::WarpReduce")
        valid = args[2] if len(args) == 3 else None
    else:
        raise lw.fail(node, f"cub::WarpReduce::{call.method} with {len(args)} arguments", "not supported")
    sp = lw.span(node)
    width = call.alias.threads
    value = _item(lw, call, args[0])
    limit = u32(sp, width) if valid is None else lw.convert(lw.expr(valid), t.U32, valid)
    lane = _lane(lw, call)
    acc = local(lw, call, "cub_warp", call.alias.elem, value)
    offset = loop_var(lw, sp, "cub_offset")
    other = _shuffle(lw, call, "down", acc, offset)
    in_range = ir.Compare(sp, t.BOOL, "<", ir.Binary(sp, t.U32, "+", lane, offset), limit)
    body = (ir.VarDecl(sp, other[0], call.alias.elem, other[1]),
            ir.If(sp, in_range, ir.Block(sp, (ir.Assign(sp, acc, "", combine(lw, node, op, acc, other[2], call.alias.elem)),))))
    call.place.append(ir.For(sp, (ir.VarDecl(sp, offset.name, t.U32, u32(sp, width // 2)),),
                             ir.Compare(sp, t.BOOL, ">", offset, u32(sp, 0)),
                             (ir.Assign(sp, offset, ">>", ir.IntLit(sp, t.I32, 1)),), ir.Block(sp, body)))
    return acc


def warp_scan(lw: FunctionLowerer, call: CubCall) -> None:
    args, node, elem = call.args, call.node, call.alias.elem
    if call.method not in ("ExclusiveSum", "InclusiveSum") or len(args) not in (2, 3):
        raise lw.fail(node, f"cub::WarpScan::{call.method} with {len(args)} arguments",
                      "not supported (ExclusiveSum and InclusiveSum are)")
    sp = lw.span(node)
    width = call.alias.threads
    value = _item(lw, call, args[0])
    out = lw.lvalue(args[1])
    aggregate = lw.lvalue(args[2]) if len(args) == 3 else None
    lane = _lane(lw, call)
    acc = local(lw, call, "cub_warp", elem, value)
    offset = loop_var(lw, sp, "cub_offset")
    other = _shuffle(lw, call, "up", acc, offset)
    body = (ir.VarDecl(sp, other[0], elem, other[1]),
            ir.If(sp, ir.Compare(sp, t.BOOL, ">=", lane, offset),
                  ir.Block(sp, (ir.Assign(sp, acc, "", combine(lw, node, "+", acc, other[2], elem)),))))
    call.place.append(ir.For(sp, (ir.VarDecl(sp, offset.name, t.U32, u32(sp, 1)),),
                             ir.Compare(sp, t.BOOL, "<", offset, u32(sp, width)),
                             (ir.Assign(sp, offset, "<<", ir.IntLit(sp, t.I32, 1)),), ir.Block(sp, body)))
    result: ir.Expr = acc
    if call.method == "ExclusiveSum":
        before = local(lw, call, "cub_exclusive", elem, _shuffle(lw, call, "up", acc, u32(sp, 1))[1])
        call.place.append(ir.If(sp, ir.Compare(sp, t.BOOL, "==", lane, u32(sp, 0)),
                                ir.Block(sp, (ir.Assign(sp, before, "", zero(lw, sp, elem, node)),))))
        result = before
    total = None
    if aggregate is not None:
        total = local(lw, call, "cub_aggregate", elem, _shuffle(lw, call, "idx", acc, ir.IntLit(sp, t.I32, width - 1))[1])
    call.place.append(ir.Assign(sp, out, "", lw.convert(result, out.type, args[1])))
    if aggregate is not None and total is not None:
        call.place.append(ir.Assign(sp, aggregate, "", lw.convert(total, aggregate.type, args[2])))
    return None


def _item(lw: FunctionLowerer, call: CubCall, node: CstNode) -> ir.Expr:
    value = lw.expr(node)
    if isinstance(value.type, t.Array):
        raise lw.fail(node, f"cub::{call.alias.kind} of an items array", "not in CUB")
    elem = call.alias.elem
    if isinstance(elem, t.Scalar) and elem.kind.bits < 32:
        raise lw.fail(node, f"cub::{call.alias.kind} of {t.type_name(elem)}", "not supported (shuffles move 32 bits or more)")
    return lw.convert(value, call.alias.elem, node)


def _lane(lw: FunctionLowerer, call: CubCall) -> ir.Var:
    sp = lw.span(call.node)
    lane = ir.Binary(sp, t.U32, "%", lw.groups.block_rank(sp), u32(sp, call.alias.threads))
    return local(lw, call, "cub_lane", t.U32, lane, True)


def _shuffle(lw: FunctionLowerer, call: CubCall, kind: str, value: ir.Var, lane: ir.Expr) -> tuple[str, ir.Expr, ir.Var]:
    """A shuffle of `value` over the logical warp: (a fresh name, the shuffle, a Var of that name)."""
    sp = lw.span(call.node)
    name = lw.fresh_name("cub_other")
    shuffle = ir.WarpShuffle(sp, value.type, kind, ir.IntLit(sp, t.U32, 0xFFFFFFFF),  # type: ignore[arg-type]
                             value, lw.convert(lane, t.U32 if kind in ("up", "down") else t.I32, call.node),
                             ir.IntLit(sp, t.I32, call.alias.threads))
    from cuport.parse.lower_body import Binding

    lw.declare(name, Binding(value.type, "local"))
    return name, shuffle, ir.Var(sp, value.type, name, "local")
