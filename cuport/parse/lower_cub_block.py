"""CUB's block-wide collectives as shared-memory loops of existing IR nodes (see lower_cub.py).

BlockReduce (`Sum(x)`, `Sum(x, valid)`, `Sum(items)`, `Reduce(x, op)`, `Reduce(x, op, valid)`,
`Reduce(items, op)`; op: cub::Sum/Max/Min): a tree over the scratch `s` of one slot per thread,

    s[rank] = x; __syncthreads();
    for (stride = P / 2; stride > 0; stride >>= 1) {   // P: N rounded up to a power of 2
      if (rank < stride && rank + stride < valid) s[rank] = s[rank] op s[rank + stride];
      __syncthreads();
    }
    T r = s[0]; __syncthreads();   // every thread gets the total (CUB: thread 0 only); scratch reusable

BlockScan (`ExclusiveSum` / `InclusiveSum` of one item or an items array, with or without the
block aggregate): each thread sums its items, a Hillis-Steele scan of those sums over `s` gives
each thread the exclusive prefix of the threads before it (0 for thread 0, as CUB's ExclusiveSum
defines), and the thread's own items are then scanned from that prefix in order. Every thread
gets the aggregate (CUB: every thread too).

BlockLoad / BlockStore (`Load(src, items[, valid[, oob_default]])`, `Store(dst, items[, valid])`):
item j of thread r is element r*ITEMS + j (blocked: DIRECT, VECTORIZE, TRANSPOSE, WARP_TRANSPOSE*
all end in a blocked arrangement) or j*N + r (STRIPED); guarded forms touch only elements below
`valid`, and a guarded load without a default leaves the other items unchanged, as CUB does.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.lower_cub import CubCall, combine, counted_loop, local, loop_var, reduce_op, sync, u32, zero

if TYPE_CHECKING:
    from tree_sitter import Node as CstNode

    from cuport.parse.lower_body import FunctionLowerer


def block_reduce(lw: FunctionLowerer, call: CubCall) -> ir.Expr:
    n, args, elem, node = call.alias.threads, call.args, call.alias.elem, call.node
    what = "cub::BlockReduce"
    valid: CstNode | None = None
    if call.method == "Sum" and len(args) in (1, 2):
        op = "+"
        valid = args[1] if len(args) == 2 else None
    elif call.method == "Reduce" and len(args) in (2, 3):
        op = reduce_op(lw, args[1], what)
        valid = args[2] if len(args) == 3 else None
    else:
        raise lw.fail(node, f"{what}::{call.method} with {len(args)} arguments", "not supported")
    sp = lw.span(node)
    value = lw.expr(args[0])
    if isinstance(value.type, t.Array):
        if valid is not None:
            raise lw.fail(node, f"{what}::{call.method} of an items array with a valid count", "not in CUB")
        value = _thread_fold(lw, call, value, args[0], op)
    else:
        value = lw.convert(value, elem, args[0])
    limit = u32(sp, n) if valid is None else lw.convert(lw.expr(valid), t.U32, valid)
    rank = local(lw, call, "cub_rank", t.U32, lw.groups.block_rank(sp), True)
    stride = loop_var(lw, sp, "cub_stride")

    def at(i: ir.Expr) -> ir.Expr:
        return ir.Index(sp, elem, call.storage, i)

    pow2 = 1
    while pow2 < n:
        pow2 *= 2
    other = at(ir.Binary(sp, t.U32, "+", rank, stride))
    in_range = ir.Logical(sp, t.BOOL, "&&", ir.Compare(sp, t.BOOL, "<", rank, stride),
                          ir.Compare(sp, t.BOOL, "<", ir.Binary(sp, t.U32, "+", rank, stride), limit))
    step = ir.Assign(sp, at(rank), "", combine(lw, node, op, at(rank), other, elem))
    body = ir.Block(sp, (ir.If(sp, in_range, ir.Block(sp, (step,))), sync(sp)))
    loop = ir.For(sp, (ir.VarDecl(sp, stride.name, t.U32, u32(sp, pow2 // 2)),),
                  ir.Compare(sp, t.BOOL, ">", stride, u32(sp, 0)),
                  (ir.Assign(sp, stride, ">>", ir.IntLit(sp, t.I32, 1)),), body)
    call.place.extend([ir.Assign(sp, at(rank), "", value), sync(sp), loop])
    result = local(lw, call, "cub_reduce", elem, at(u32(sp, 0)))
    call.place.append(sync(sp))
    return result


def block_scan(lw: FunctionLowerer, call: CubCall) -> None:
    n, args, elem, node = call.alias.threads, call.args, call.alias.elem, call.node
    if call.method not in ("ExclusiveSum", "InclusiveSum") or len(args) not in (2, 3):
        raise lw.fail(node, f"cub::BlockScan::{call.method} with {len(args)} arguments",
                      "not supported (ExclusiveSum and InclusiveSum are)")
    exclusive = call.method == "ExclusiveSum"
    sp = lw.span(node)
    value = lw.expr(args[0])
    out = lw.lvalue(args[1])
    aggregate = lw.lvalue(args[2]) if len(args) == 3 else None
    items = isinstance(value.type, t.Array)
    if items != isinstance(out.type, t.Array) or (items and value.type.size != out.type.size):  # type: ignore[union-attr]
        raise lw.fail(node, "cub::BlockScan", "input and output must both be one item or arrays of one size")
    partial = _thread_fold(lw, call, value, args[0], "+") if items else lw.convert(value, elem, args[0])
    rank = local(lw, call, "cub_rank", t.U32, lw.groups.block_rank(sp), True)

    def at(i: ir.Expr) -> ir.Expr:
        return ir.Index(sp, elem, call.storage, i)

    call.place.extend([ir.Assign(sp, at(rank), "", partial), sync(sp)])
    offset = loop_var(lw, sp, "cub_offset")
    addend = lw.fresh_name("cub_addend")
    addend_var = ir.Var(sp, elem, addend, "local")
    reaches = ir.Compare(sp, t.BOOL, ">=", rank, offset)
    body = (
        ir.VarDecl(sp, addend, elem, zero(lw, sp, elem, node)),
        ir.If(sp, reaches, ir.Block(sp, (ir.Assign(sp, addend_var, "", at(ir.Binary(sp, t.U32, "-", rank, offset))),))),
        sync(sp),
        ir.If(sp, reaches, ir.Block(sp, (ir.Assign(sp, at(rank), "", combine(lw, node, "+", at(rank), addend_var, elem)),))),
        sync(sp),
    )
    call.place.append(ir.For(sp, (ir.VarDecl(sp, offset.name, t.U32, u32(sp, 1)),),
                             ir.Compare(sp, t.BOOL, "<", offset, u32(sp, n)),
                             (ir.Assign(sp, offset, "<<", ir.IntLit(sp, t.I32, 1)),), ir.Block(sp, body)))
    prefix = local(lw, call, "cub_prefix", elem, zero(lw, sp, elem, node))
    call.place.append(ir.If(sp, ir.Compare(sp, t.BOOL, ">", rank, u32(sp, 0)),
                            ir.Block(sp, (ir.Assign(sp, prefix, "", at(ir.Binary(sp, t.U32, "-", rank, u32(sp, 1)))),))))
    inclusive = None if items or exclusive else local(lw, call, "cub_inclusive", elem, at(rank))
    total = None if aggregate is None else local(lw, call, "cub_aggregate", elem, at(u32(sp, n - 1)))
    call.place.append(sync(sp))
    if items:
        j = loop_var(lw, sp, "cub_item")
        item = ir.Var(sp, elem, lw.fresh_name("cub_value"), "local")
        out_j = ir.Index(sp, out.type.elem, out, j)  # type: ignore[union-attr]
        in_j = lw.convert(ir.Index(sp, value.type.elem, value, j), elem, args[0])  # type: ignore[union-attr]
        add = ir.Assign(sp, prefix, "", combine(lw, node, "+", prefix, item, elem))
        if exclusive:  # read the item before writing: input and output may be one array
            steps: list[ir.Stmt] = [ir.VarDecl(sp, item.name, elem, in_j), _store(lw, out_j, prefix, args[1]), add]
        else:
            steps = [ir.VarDecl(sp, item.name, elem, in_j), add, _store(lw, out_j, prefix, args[1])]
        call.place.append(counted_loop(sp, j, 0, value.type.size or 0, steps))  # type: ignore[union-attr]
    else:
        call.place.append(_store(lw, out, prefix if exclusive else inclusive, args[1]))  # type: ignore[arg-type]
    if aggregate is not None and total is not None:
        call.place.append(_store(lw, aggregate, total, args[2]))
    return None


def block_load(lw: FunctionLowerer, call: CubCall) -> None:
    return _block_io(lw, call, load=True)


def block_store(lw: FunctionLowerer, call: CubCall) -> None:
    return _block_io(lw, call, load=False)


def _block_io(lw: FunctionLowerer, call: CubCall, load: bool) -> None:
    alias, args, node = call.alias, call.args, call.node
    method = "Load" if load else "Store"
    if call.method != method or len(args) not in ((2, 3, 4) if load else (2, 3)):
        raise lw.fail(node, f"cub::Block{method}::{call.method} with {len(args)} arguments", "not supported")
    sp = lw.span(node)
    ptr = lw.expr(args[0])
    if not isinstance(ptr.type, t.Pointer) or isinstance(ptr.type.pointee, t.Void):
        raise lw.fail(args[0], f"cub::Block{method}", "needs a pointer to the items in memory (iterators are not supported)")
    items = lw.expr(args[1])
    if not isinstance(items.type, t.Array) or items.type.size != alias.items:
        raise lw.fail(args[1], f"cub::Block{method}", f"needs an array of its {alias.items} items per thread")
    # A local pointer is declared generic, as the user's own `T* p = ...` would be (the targets infer it).
    generic = dataclasses.replace(ptr.type, space=t.AddrSpace.GENERIC)
    base = local(lw, call, "cub_src" if load else "cub_dst", generic, lw.convert(ptr, generic, args[0]), True)
    valid = lw.convert(lw.expr(args[2]), t.I32, args[2]) if len(args) >= 3 else None
    if len(args) == 4:  # CUB assigns the default to every item, then loads the valid ones
        j0 = loop_var(lw, sp, "cub_item")
        fill = lw.convert(lw.expr(args[3]), items.type.elem, args[3])
        call.place.append(counted_loop(sp, j0, 0, alias.items, [ir.Assign(sp, ir.Index(sp, items.type.elem, items, j0), "", fill)]))
    rank = local(lw, call, "cub_rank", t.U32, lw.groups.block_rank(sp), True)
    j = loop_var(lw, sp, "cub_item")
    if alias.striped:
        index: ir.Expr = ir.Binary(sp, t.U32, "+", ir.Binary(sp, t.U32, "*", j, u32(sp, alias.threads)), rank)
    else:
        index = ir.Binary(sp, t.U32, "+", ir.Binary(sp, t.U32, "*", rank, u32(sp, alias.items)), j)
    memory = ir.Index(sp, ptr.type.pointee, base, index)
    item = ir.Index(sp, items.type.elem, items, j)
    move = _store(lw, item, memory, args[1]) if load else _store(lw, memory, item, args[0])
    if valid is not None:
        move = ir.If(sp, ir.Compare(sp, t.BOOL, "<", ir.Cast(sp, t.I32, index), valid), ir.Block(sp, (move,)))
    call.place.append(counted_loop(sp, j, 0, alias.items, [move]))
    return None


def _thread_fold(lw: FunctionLowerer, call: CubCall, items: ir.Expr, node: CstNode, op: str) -> ir.Expr:
    """The thread's items combined in order (CUB reduces a thread's items before the block's)."""
    sp = lw.span(node)
    arr = items.type
    assert isinstance(arr, t.Array)
    elem = call.alias.elem
    acc = local(lw, call, "cub_partial", elem, lw.convert(ir.Index(sp, arr.elem, items, u32(sp, 0)), elem, node))
    j = loop_var(lw, sp, "cub_item")
    nxt = lw.convert(ir.Index(sp, arr.elem, items, j), elem, node)
    call.place.append(counted_loop(sp, j, 1, arr.size or 0, [ir.Assign(sp, acc, "", combine(lw, call.node, op, acc, nxt, elem))]))
    return acc


def _store(lw: FunctionLowerer, target: ir.Expr, value: ir.Expr, node: CstNode) -> ir.Stmt:
    return ir.Assign(lw.span(node), target, "", lw.convert(value, target.type, node))
