"""CUB's block and warp collectives, recognised by their aliases and lowered to existing IR nodes.

`using R = cub::BlockReduce<T, N>;` (or a `typedef`; unqualified names only where the file says
`using namespace cub;`, since code often carries its own classes of the same names) is recorded on
the type names as a `CubAlias`, so `__shared__ typename R::TempStorage s;` declares the collective's
shared scratch (`CubAlias.storage`). A call `R(s).Method(...)` becomes statements placed before the
current one (lower_cub_block.py, lower_cub_warp.py) and the expression reads their result.
A `__shared__ union { typename A::TempStorage a; typename B::TempStorage b; } u;` of such storages
becomes one scratch array per member (`u_a`, `u_b`): each collective writes its scratch before it
reads it, so sharing the bytes is an optimisation, not a meaning.

Every collective needs all threads of its block (warp) to reach it, as in CUB.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

# BlockLoad/BlockStore algorithms whose items end up in (come from) a blocked arrangement: thread r
# holds items r*IPT .. r*IPT+IPT-1. Only *_STRIPED keeps the striped one (item j at j*N + r).
_BLOCKED_IO = {"DIRECT", "VECTORIZE", "TRANSPOSE", "WARP_TRANSPOSE", "WARP_TRANSPOSE_TIMESLICED"}
_KINDS = ("BlockReduce", "BlockScan", "BlockLoad", "BlockStore", "WarpReduce", "WarpScan")


@dataclass(frozen=True)
class CubAlias:
    """One specialisation: the collective, its item type, its thread count (block threads
    X*Y*Z, or the logical warp width), items per thread and the data arrangement (Load/Store)."""

    kind: str
    elem: t.Type
    threads: int
    items: int = 1
    striped: bool = False

    def storage(self) -> t.Type:
        """The shared scratch `TempStorage` stands for: one slot per thread for the block-wide
        trees; the warp collectives (shuffles) and direct loads/stores need none, so one slot."""
        return t.Array(self.elem, self.threads if self.kind in ("BlockReduce", "BlockScan") else 1)


def cub_alias(
    node: CstNode, resolve_type: Callable[[CstNode], t.Type], resolve_int: Callable[[CstNode], int],
    targs: Mapping[str, str | int] | None = None,
) -> tuple[str, CubAlias] | None:
    """(alias, CubAlias) for `using R = cub::Kind<...>` / `typedef cub::Kind<...> R`, else None."""
    if node.type == "alias_declaration":
        name = node.child_by_field_name("name")
        desc = node.child_by_field_name("type")
        ty = desc.child_by_field_name("type") if desc is not None else None
    elif node.type == "type_definition":
        ty = node.child_by_field_name("type")
        name = next(iter(node.children_by_field_name("declarator")), None)
    else:
        return None
    if ty is None or name is None or not name.text:
        return None
    if ty.type == "qualified_identifier":
        scope, inner = ty.child_by_field_name("scope"), ty.child_by_field_name("name")
        if scope is None or scope.text != b"cub" or inner is None:
            return None
    elif ty.type == "template_type" and _uses_namespace_cub(node):
        inner = ty
    else:
        return None
    template = inner.child_by_field_name("name")
    args_node = inner.child_by_field_name("arguments")
    if inner.type != "template_type" or template is None or args_node is None:
        return None
    kind = template.text.decode() if template.text else ""
    if kind not in _KINDS:
        return None
    args = [c for c in args_node.named_children if c.type != "comment"]
    if not args:
        return None
    type_node = args[0].child_by_field_name("type") if args[0].type == "type_descriptor" else args[0]
    if type_node is None or args[0].child_by_field_name("declarator") is not None:
        return None
    try:
        elem = resolve_type(type_node)
        alias = _specialise(kind, elem, args[1:], resolve_int, targs or {})
    except Exception:  # noqa: BLE001 - an alias we cannot read stays unknown; its use reports CL005
        return None
    return None if alias is None else (name.text.decode(), alias)


def _specialise(
    kind: str, elem: t.Type, args: list[CstNode], resolve_int: Callable[[CstNode], int],
    targs: Mapping[str, str | int],
) -> CubAlias | None:
    if kind in ("WarpReduce", "WarpScan"):
        if len(args) > 1:
            return None  # a legacy PTX-arch argument: not modelled
        width = resolve_int(args[0]) if args else 32
        return CubAlias(kind, elem, width) if width in (1, 2, 4, 8, 16, 32) else None
    if kind in ("BlockReduce", "BlockScan"):
        # <T, X, ALGORITHM, Y, Z>: the algorithm changes how, never what, is computed.
        if not 1 <= len(args) <= 4:
            return None
        dims = [resolve_int(args[0]), *(resolve_int(a) for a in args[2:])]
        return CubAlias(kind, elem, _product(dims))
    # BlockLoad / BlockStore <T, X, ITEMS, ALGORITHM, Y, Z>
    if not 2 <= len(args) <= 5:
        return None
    striped = False
    if len(args) >= 3:
        text = "".join((args[2].text or b"").decode().split())
        text = str(targs.get(text, text))
        m = re.fullmatch(r"(?:cub::)?BLOCK_(?:LOAD|STORE)_(\w+)", text)
        if m is None or (m.group(1) not in _BLOCKED_IO and m.group(1) != "STRIPED"):
            return None
        if (kind == "BlockLoad") != text.split("::")[-1].startswith("BLOCK_LOAD"):
            return None
        striped = m.group(1) == "STRIPED"
    dims = [resolve_int(args[0]), *(resolve_int(a) for a in args[3:])]
    return CubAlias(kind, elem, _product(dims), resolve_int(args[1]), striped)


def _product(dims: list[int]) -> int:
    out = 1
    for d in dims:
        if d <= 0:
            raise ValueError(d)
        out *= d
    return out


def _uses_namespace_cub(node: CstNode) -> bool:
    root = node
    while root.parent is not None:
        root = root.parent
    return any(c.type == "using_declaration" and b"".join((c.text or b"").split()) == b"usingnamespacecub;"
               for c in root.children)


def storage_union(lw: FunctionLowerer, node: CstNode, type_node: CstNode) -> list[ir.Stmt] | None:
    """`__shared__ union { typename A::TempStorage a; ... } u;` -> one SharedDecl per member, or
    None when the declaration is no such union."""
    if type_node.type != "union_specifier" or type_node.child_by_field_name("name") is not None:
        return None
    body = type_node.child_by_field_name("body")
    members: list[tuple[str, t.Type]] = []
    for field in body.named_children if body is not None else []:
        if field.type == "comment":
            continue
        ftype = field.child_by_field_name("type")
        decls = field.children_by_field_name("declarator")
        alias = _storage_alias(lw, ftype)
        if field.type != "field_declaration" or alias is None or len(decls) != 1 or decls[0].type != "field_identifier":
            return None
        members.append((lw.text(decls[0]), alias.storage()))
    out: list[ir.Stmt] = []
    from cuport.parse.lower_body import Binding

    for d in node.children_by_field_name("declarator"):
        if d.type != "identifier":
            raise lw.fail(d, "a union of CUB TempStorage", "only as a plain variable")
        for member, ty in members:
            name = lw.fresh_name(f"{lw.text(d)}_{member}")
            lw.cub_members[(lw.text(d), member)] = name
            lw.declare(name, Binding(ty, "shared"))
            out.append(ir.SharedDecl(lw.span(d), name, ty))
    return out


def _storage_alias(lw: FunctionLowerer, ftype: CstNode | None) -> CubAlias | None:
    if ftype is None:
        return None
    m = re.fullmatch(r"(?:typename\s+)?(\w+)::TempStorage", " ".join(lw.text(ftype).split()))
    return lw.types.cub.get(m.group(1)) if m is not None else None


@dataclass(frozen=True)
class CubCall:
    """A parsed `R(storage).method(args...)`: what the collective lowerings receive."""

    alias: CubAlias
    storage: ir.Expr
    method: str
    args: list[CstNode]
    place: list[ir.Stmt]
    node: CstNode


def cub_call(lw: FunctionLowerer, node: CstNode, fn: CstNode) -> CubCall | None:
    """`R(storage).Method(...)` for a recorded alias R, or None when `node` is no such call."""
    if fn.type != "field_expression":
        return None
    ctor = fn.child_by_field_name("argument")
    if ctor is None or ctor.type != "call_expression":
        return None
    callee = ctor.child_by_field_name("function")
    if callee is None or callee.type != "identifier" or lw.text(callee) not in lw.types.cub:
        return None
    alias = lw.types.cub[lw.text(callee)]
    what = f"cub::{alias.kind}"
    alist = ctor.child_by_field_name("arguments")
    ctor_args = [c for c in alist.named_children if c.type != "comment"] if alist is not None else []
    if len(ctor_args) != 1:
        raise lw.fail(ctor, what, "takes one TempStorage (the private-storage constructor is not supported)")
    storage = _storage(lw, ctor_args[0])
    if not isinstance(storage.type, t.Array) or storage.type != alias.storage():
        raise lw.fail(ctor_args[0], what, f"needs a TempStorage of its own {alias.kind}")
    if not isinstance(alias.elem, t.Scalar):
        raise lw.fail(node, f"{what} of {t.type_name(alias.elem)}", "not supported")
    place = lw.side_effect_slot()
    if place is None:
        raise lw.fail(node, what, "not supported in this position")
    alist = node.child_by_field_name("arguments")
    args = [c for c in alist.named_children if c.type != "comment"] if alist is not None else []
    return CubCall(alias, storage, lw.text(fn.child_by_field_name("field")), args, place, node)  # type: ignore[arg-type]


def lower_cub_call(lw: FunctionLowerer, call: CubCall) -> ir.Expr | None:
    """The collective's statements go before the current statement; the result it reads, or None
    for the collectives that return nothing (scans, loads, stores)."""
    from cuport.parse import lower_cub_block, lower_cub_warp

    lower = {"BlockReduce": lower_cub_block.block_reduce, "BlockScan": lower_cub_block.block_scan,
             "BlockLoad": lower_cub_block.block_load, "BlockStore": lower_cub_block.block_store,
             "WarpReduce": lower_cub_warp.warp_reduce, "WarpScan": lower_cub_warp.warp_scan}[call.alias.kind]
    return lower(lw, call)


def _storage(lw: FunctionLowerer, arg: CstNode) -> ir.Expr:
    if arg.type == "field_expression":
        base, member = arg.child_by_field_name("argument"), arg.child_by_field_name("field")
        if base is not None and member is not None:
            name = lw.cub_members.get((lw.text(base), lw.text(member)))
            binding = lw.lookup(name) if name is not None else None
            if name is not None and binding is not None:
                return ir.Var(lw.span(arg), binding.type, name, binding.kind)
    return lw.expr(arg)


__all__ = ["CubAlias", "CubCall", "cub_alias", "cub_call", "lower_cub_call", "storage_union"]


# --- helpers shared by the collectives (lower_cub_block.py, lower_cub_warp.py) ------------------

_OPS = {"Sum": "+", "Max": "max", "Min": "min"}


def reduce_op(lw: FunctionLowerer, arg: CstNode, what: str) -> str:
    """`cub::Sum()` / `cub::Max()` / `cub::Min()` (also `{}` and unqualified) -> "+", "max", "min"."""
    m = re.fullmatch(r"(?:cub::)?(Sum|Max|Min)(?:\(\)|\{\})", "".join(lw.text(arg).split()))
    if m is None:
        raise lw.fail(arg, f"{what} operation '{lw.text(arg)}'", "not supported")
    return _OPS[m.group(1)]


def combine(lw: FunctionLowerer, node: CstNode, op: str, a: ir.Expr, b: ir.Expr, elem: t.Type) -> ir.Expr:
    """a op b in the item type; min/max compare as CUB's functors do (`a < b ? b : a` and
    `b < a ? b : a`), so a NaN operand yields `a` as in CUB."""
    sp = lw.span(node)
    if op in ("min", "max"):
        pick = ir.Compare(sp, t.BOOL, "<", a, b) if op == "max" else ir.Compare(sp, t.BOOL, "<", b, a)
        return ir.Select(sp, elem, pick, b, a)
    return lw.convert(lw.binary(node, op, a, b), elem, node)


def local(lw: FunctionLowerer, call: CubCall, stem: str, ty: t.Type, init: ir.Expr | None, const: bool = False) -> ir.Var:
    """A fresh local declared before the statement; the Var that reads it."""
    sp = lw.span(call.node)
    name = lw.fresh_name(stem)
    call.place.append(ir.VarDecl(sp, name, ty, init, const))
    from cuport.parse.lower_body import Binding

    lw.declare(name, Binding(ty, "local"))
    return ir.Var(sp, ty, name, "local")


def u32(sp: object, value: int) -> ir.Expr:
    return ir.IntLit(sp, t.U32, value)  # type: ignore[arg-type]


def sync(sp: object) -> ir.Stmt:
    return ir.ExprStmt(sp, ir.Barrier(sp, t.VOID, "syncthreads"))  # type: ignore[arg-type]


def counted_loop(sp: object, var: ir.Var, start: int, stop: int, body: list[ir.Stmt]) -> ir.Stmt:
    """for (unsigned int var = start; var < stop; var += 1) body  (`var` from `loop_var`)."""
    return ir.For(sp, (ir.VarDecl(sp, var.name, t.U32, u32(sp, start)),),  # type: ignore[arg-type]
                  ir.Compare(sp, t.BOOL, "<", var, u32(sp, stop)),  # type: ignore[arg-type]
                  (ir.Assign(sp, var, "+", u32(sp, 1)),), ir.Block(sp, tuple(body)))  # type: ignore[arg-type]


def loop_var(lw: FunctionLowerer, sp: object, stem: str) -> ir.Var:
    """A fresh unsigned loop counter (declared by the loop that uses it)."""
    from cuport.parse.lower_body import Binding

    name = lw.fresh_name(stem)
    lw.declare(name, Binding(t.U32, "local"))
    return ir.Var(sp, t.U32, name, "local")  # type: ignore[arg-type]


def zero(lw: FunctionLowerer, sp: object, elem: t.Type, node: CstNode) -> ir.Expr:
    return lw.convert(ir.IntLit(sp, t.I32, 0), elem, node)  # type: ignore[arg-type]
