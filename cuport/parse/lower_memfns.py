"""`memset` / `memcpy` in device code, as statements: a loop over bytes through `unsigned char*`,
which is right whatever the element types and whether the size is a constant or an expression.
Each argument is evaluated once, before the loop (C leaves their order unspecified; this is one of
the allowed orders). The result (the destination pointer) is never used in statement position; a
call whose value is used is refused by the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

MEM_FUNCTIONS = frozenset({"memset", "memcpy"})


def mem_function_name(lw: FunctionLowerer, callee: CstNode) -> str | None:
    """`memset` / `memcpy` (also `std::` or `::` qualified) when the file does not define its own."""
    if callee.type not in ("identifier", "qualified_identifier"):
        return None
    text = lw.text(callee)
    name = text.removeprefix("std::").removeprefix("::")
    if name not in MEM_FUNCTIONS or lw.lookup(name) is not None or name in lw.scope.functions:
        return None
    return name


def lower_mem_call(lw: FunctionLowerer, node: CstNode, name: str) -> list[ir.Stmt]:
    args = lw.args(node)
    if len(args) != 3:
        raise lw.fail(node, f"call of '{name}'", f"takes 3 arguments, {len(args)} given")
    sp = lw.span(node)
    (dst, dst_node), (second, second_node), (size, size_node) = args
    stmts: list[ir.Stmt] = []
    dst_bytes = _bytes(lw, dst, dst_node, f"destination of '{name}'")
    if dst_bytes.type.const:  # type: ignore[union-attr]
        raise lw.fail(dst_node, f"destination of '{name}'", "points to const memory")
    out = _local(lw, stmts, sp, "mem_dst", dst_bytes)
    if name == "memset":
        fill = _local(lw, stmts, sp, "mem_fill", lw.convert(second, t.U8, second_node))
    else:
        src = _local(lw, stmts, sp, "mem_src", _bytes(lw, second, second_node, f"source of '{name}'"))
    count = _local(lw, stmts, sp, "mem_bytes", lw.convert(size, t.U64, size_node))
    k = ir.Var(sp, t.U64, lw.fresh_name("mem_i"), "local")
    _declare(lw, k.name, t.U64)
    value = fill if name == "memset" else ir.Index(sp, t.U8, src, k)
    body = ir.Block(sp, (ir.Assign(sp, ir.Index(sp, t.U8, out, k), "", value),))
    stmts.append(ir.For(sp, (ir.VarDecl(sp, k.name, t.U64, ir.IntLit(sp, t.U64, 0)),),
                        ir.Compare(sp, t.BOOL, "<", k, count), (ir.Assign(sp, k, "+", ir.IntLit(sp, t.U64, 1)),), body))  # fmt: skip
    return [ir.Block(sp, tuple(stmts))]


def _bytes(lw: FunctionLowerer, e: ir.Expr, node: CstNode, what: str) -> ir.Expr:
    """`(unsigned char*)e` (const when e points to const), in e's address space."""
    if not isinstance(e.type, t.Pointer | t.Array):
        raise lw.fail(node, what, "must be a pointer")
    const = isinstance(e.type, t.Pointer) and e.type.const
    return lw.explicit_cast(node, t.Pointer(t.U8, t.AddrSpace.GENERIC, const), e, "c")


def _local(lw: FunctionLowerer, stmts: list[ir.Stmt], sp: object, stem: str, init: ir.Expr) -> ir.Var:
    """A fresh local initialised with `init`, declared as the source would spell it (a pointer
    without an address space: where it points is inferred from its uses, as for any local)."""
    ty = init.type
    if isinstance(ty, t.Pointer):
        ty = t.Pointer(ty.pointee, t.AddrSpace.GENERIC, ty.const)
    name = lw.fresh_name(stem)
    stmts.append(ir.VarDecl(sp, name, ty, init))  # type: ignore[arg-type]
    _declare(lw, name, ty)
    return ir.Var(sp, ty, name, "local")  # type: ignore[arg-type]


def _declare(lw: FunctionLowerer, name: str, ty: t.Type) -> None:
    from cuport.parse.lower_body import Binding

    lw.declare(name, Binding(ty, "local"))
