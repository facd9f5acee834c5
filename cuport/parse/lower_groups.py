"""Cooperative groups (`cooperative_groups.h`) lowered to the IR's existing nodes.

A group is a compile-time binding, never a runtime value: `cg::thread_block b = this_thread_block()`
and `thread_block_tile<16> t = tiled_partition<16>(b)` emit no statement, and their methods become
thread-index arithmetic, `Barrier`, `WarpShuffle` (width = tile size, mask = the tile's lanes) and
`WarpVote`. A tile partitions the block by linear thread rank, as CUDA does. A dynamic tile
(`tiled_partition(block, n)`) keeps its size in a local int. `cg::reduce` unrolls to an xor-shuffle
butterfly placed before the statement. Group parameters of device functions are dropped from the
IR signature and from calls (the callee rebuilds the group from its declared type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

_NAMESPACES = ("cg", "cooperative_groups")
_GROUP_TYPES = re.compile(r"^(?:const)?(?:(?:cg|cooperative_groups)::)?(thread_block|thread_group|thread_block_tile"
                          r"<(?P<n>[^>]+)>)&?$")
_REDUCE_OPS = {"plus": "+", "less": "min", "greater": "max", "bit_and": "&", "bit_or": "|", "bit_xor": "^"}


@dataclass(frozen=True)
class Group:
    kind: str  # "block" or "tile"
    size: ir.Expr | None = None  # tile size (an IntLit when static)

    @property
    def static_size(self) -> int | None:
        return self.size.value if isinstance(self.size, ir.IntLit) else None


def cg_name(lw: FunctionLowerer, node: CstNode) -> tuple[str, CstNode | None] | None:
    """`cg::name`, `cooperative_groups::name<args>` or a bare `name` -> (name, template args node)."""
    if node.type == "qualified_identifier":
        scope = node.child_by_field_name("scope")
        if scope is None or lw.text(scope) not in _NAMESPACES:
            return None
        node = node.child_by_field_name("name")  # type: ignore[assignment]
        if node is None:
            return None
    if node.type == "template_function":
        name = node.child_by_field_name("name")
        return (lw.text(name), node.child_by_field_name("arguments")) if name is not None else None
    if node.type == "identifier":
        return lw.text(node), None
    return None


def group_type(lw: FunctionLowerer, type_node: CstNode) -> Group | str | None:
    """The group a declared type denotes: a Group for thread_block / thread_block_tile<N>,
    "dynamic" for thread_group (its size comes from the initializer), None for other types."""
    text = "".join(lw.text(type_node).split())
    m = _GROUP_TYPES.match(text)
    if m is None:
        return None
    if text.rstrip("&").endswith("thread_block"):
        return Group("block")
    if m.group("n") is None:
        return "dynamic"
    n = m.group("n")
    value = lw.values.get(n, lw.scope.enum_values.get(n))
    if value is None:
        try:
            value = int(n.rstrip("uUlL"), 0)
        except ValueError:
            return None
    return Group("tile", ir.IntLit(lw.span(type_node), t.U32, value))


class Groups:
    """The cooperative-group bindings of one function and the lowering of their uses."""

    def __init__(self, lw: FunctionLowerer) -> None:
        self.lw = lw
        self.bound: dict[str, Group] = {}

    # --- bindings -----------------------------------------------------------------------------

    def named(self, node: CstNode | None) -> Group | None:
        if node is None or node.type != "identifier":
            return None
        if self.lw.lookup(self.lw.text(node)) is not None:
            return None
        return self.bound.get(self.lw.text(node))

    def declaration(self, node: CstNode) -> list[ir.Stmt] | None:
        """`cg::thread_block b = ...;` and friends (None: not a group declaration)."""
        lw = self.lw
        type_node = node.child_by_field_name("type")
        if type_node is None:
            return None
        declared = None if type_node.type == "placeholder_type_specifier" else group_type(lw, type_node)
        out: list[ir.Stmt] = []
        for d in node.children_by_field_name("declarator"):
            init = d.child_by_field_name("value") if d.type == "init_declarator" else None
            name_node = d.child_by_field_name("declarator") if d.type == "init_declarator" else d
            while name_node is not None and name_node.type == "reference_declarator":
                name_node = name_node.named_children[0] if name_node.named_children else None
            group = self.expr(init) if init is not None else None
            if group is None and declared is None:
                return None  # auto of a non-group value, or not a group type
            if group is None:
                raise lw.fail(d, "a cooperative group", "must be initialised from a group")
            if name_node is None or name_node.type != "identifier":
                raise lw.fail(d, "a cooperative group declarator", "not supported")
            out += self.bind(lw.text(name_node), group, d)
        return out

    def template_statement(self, node: CstNode) -> list[ir.Stmt] | None:
        """tree-sitter reads `cg::thread_block_tile<32> t = f(b);` as `(cg::thread_block_tile < 32) > (t = f(b))`."""
        lw = self.lw
        e = node.named_children[0] if node.named_children else None
        if e is None or e.type != "binary_expression" or lw.text(e.child_by_field_name("operator")) != ">":  # type: ignore[arg-type]
            return None
        left, right = e.child_by_field_name("left"), e.child_by_field_name("right")
        if left is None or right is None or left.type != "binary_expression" or right.type != "assignment_expression":
            return None
        callee = left.child_by_field_name("left")
        named = cg_name(lw, callee) if callee is not None else None
        if named is None or named[0] != "thread_block_tile":
            return None
        target, value = right.child_by_field_name("left"), right.child_by_field_name("right")
        if target is None or target.type != "identifier" or value is None:
            return None
        group = self.expr(value)
        if group is None:
            raise lw.fail(value, "a thread_block_tile", "must be initialised from tiled_partition")
        return self.bind(lw.text(target), group, node)

    def bind(self, name: str, group: Group, node: CstNode) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        if group.size is not None and not isinstance(group.size, ir.IntLit | ir.Var):
            # A dynamic tile size is evaluated once, where the tile is made.
            var = f"{name}_size"
            out.append(ir.VarDecl(self.lw.span(node), var, t.U32, group.size, True))
            self.lw.declare(var, _binding(t.U32))
            group = Group("tile", ir.Var(group.size.span, t.U32, var, "local"))
        self.bound[name] = group
        return out

    def param(self, type_node: CstNode, name: str) -> bool:
        """A group parameter: bound by its declared type, left out of the IR signature."""
        g = group_type(self.lw, type_node)
        if isinstance(g, Group):
            self.bound[name] = g
            return True
        if g == "dynamic":
            raise self.lw.fail(type_node, f"parameter '{name}' of type thread_group", "its size is unknown here")
        return False

    def expr(self, node: CstNode) -> Group | None:
        """The group an initializer or argument denotes, or None when it is not a group."""
        lw = self.lw
        if node.type == "identifier":
            return self.named(node)
        if node.type != "call_expression":
            return None
        fn = node.child_by_field_name("function")
        named = cg_name(lw, fn) if fn is not None else None
        if named is None:
            return None
        name, targs = named
        alist = node.child_by_field_name("arguments")
        args = [c for c in alist.named_children if c.type != "comment"] if alist is not None else []
        if name == "this_thread_block" and not args:
            return Group("block")
        if name != "tiled_partition" or not args:
            return None
        parent = self.expr(args[0])
        if parent is None or parent.kind != "block":
            raise lw.fail(node, "tiled_partition of a tile", "only tiles of the thread block are supported")
        sp = lw.span(node)
        if targs is not None and len(args) == 1:
            sizes = [c for c in targs.named_children if c.type != "comment"]
            if len(sizes) != 1:
                raise lw.fail(targs, "tiled_partition", "needs one size")
            return Group("tile", ir.IntLit(sp, t.U32, lw.const_int(sizes[0])))
        if len(args) == 2:
            size = lw.convert(lw.expr(args[1]), t.U32, args[1])
            v = lw_const(size)
            return Group("tile", ir.IntLit(sp, t.U32, v) if v is not None else size)
        raise lw.fail(node, "tiled_partition", "takes a block and a size")

    # --- uses ---------------------------------------------------------------------------------

    def call(self, node: CstNode, fn: CstNode) -> ir.Expr | None:
        """A method call `g.m(...)`, or `cg::sync(g)` / `cg::reduce(g, v, op)`; None if neither."""
        lw = self.lw
        alist = node.child_by_field_name("arguments")
        arg_nodes = [c for c in alist.named_children if c.type != "comment"] if alist is not None else []
        if fn.type == "field_expression":
            group = self.named(fn.child_by_field_name("argument"))
            if group is None:
                return None
            method = lw.text(fn.child_by_field_name("field"))  # type: ignore[arg-type]
            return self.method(node, group, method, arg_nodes)
        named = cg_name(lw, fn)
        if named is None or named[0] not in ("sync", "reduce") or not arg_nodes:
            return None
        if fn.type == "identifier" and lw.lookup(named[0]) is not None:
            return None
        group = self.expr(arg_nodes[0])
        if group is None:
            return None
        if named[0] == "sync":
            return self.method(node, group, "sync", arg_nodes[1:])
        return self.reduce(node, group, arg_nodes[1:])

    def method(self, node: CstNode, g: Group, name: str, args: list[CstNode]) -> ir.Expr:
        lw = self.lw
        sp = lw.span(node)

        def need(n: int) -> None:
            if len(args) != n:
                raise lw.fail(node, f"{name}()", f"takes {n} arguments, {len(args)} given")

        if lw.conditional and name in ("sync", "shfl", "shfl_down", "shfl_up", "shfl_xor", "any", "all", "ballot"):
            # Every lane of the group must reach it; a lazily evaluated operand may skip it.
            raise lw.fail(node, f"{name}() in a lazily evaluated operand of '&&', '||' or '?:'", "every lane must reach it")
        if name == "sync":
            need(0)
            if g.kind == "block":
                return ir.Barrier(sp, t.VOID, "syncthreads")
            return ir.Barrier(sp, t.VOID, "syncwarp", mask=self.mask(sp, g))
        if name in ("thread_rank", "size", "num_threads", "meta_group_rank", "meta_group_size"):
            need(0)
            return self.index(sp, g, name)
        if name in ("shfl", "shfl_down", "shfl_up", "shfl_xor"):
            need(2)
            if g.kind != "tile":
                raise lw.fail(node, f"{name} on a thread block", "only tiles shuffle")
            value = lw.expr(args[0])
            if not isinstance(value.type, t.Scalar):
                raise lw.fail(args[0], f"{name} of {t.type_name(value.type)}", "not supported")
            if value.type.kind.bits < 32 and value.type.kind.is_integer:
                value = lw.convert(value, t.I32, args[0])
            kind = {"shfl": "idx", "shfl_down": "down", "shfl_up": "up", "shfl_xor": "xor"}[name]
            lane = lw.convert(lw.expr(args[1]), t.U32 if kind in ("up", "down") else t.I32, args[1])
            return ir.WarpShuffle(sp, value.type, kind, self.mask(sp, g), value, lane, self.width(sp, g))  # type: ignore[arg-type]
        if name in ("any", "all", "ballot"):
            need(1)
            if g.kind != "tile":
                raise lw.fail(node, f"{name} on a thread block", "only tiles vote")
            pred = lw.convert(lw.expr(args[0]), t.I32, args[0])
            if name != "ballot":
                return ir.WarpVote(sp, t.I32, name, self.mask(sp, g), pred)  # type: ignore[arg-type]
            bits: ir.Expr = ir.WarpVote(sp, t.U32, "ballot", self.mask(sp, g), pred)
            if g.static_size != 32:
                bits = ir.Binary(sp, t.U32, ">>", bits, self.tile_base(sp, g))  # the tile's lanes from bit 0
            return bits
        raise lw.fail(node, f"cooperative groups method '{name}'", "not supported")

    def index(self, sp: object, g: Group, name: str) -> ir.Expr:
        rank = self.block_rank(sp)
        if g.kind == "block":
            if name == "thread_rank":
                return rank
            if name in ("size", "num_threads"):
                return self.block_size(sp)
            return ir.IntLit(sp, t.U32, 0 if name == "meta_group_rank" else 1)  # type: ignore[arg-type]
        n = g.size
        assert n is not None
        if name == "thread_rank":
            return _fold(ir.Binary(sp, t.U32, "%", rank, n))  # type: ignore[arg-type]
        if name in ("size", "num_threads"):
            return n
        if name == "meta_group_rank":
            return _fold(ir.Binary(sp, t.U32, "/", rank, n))  # type: ignore[arg-type]
        one = ir.IntLit(sp, t.U32, 1)  # type: ignore[arg-type]
        up = ir.Binary(sp, t.U32, "-", ir.Binary(sp, t.U32, "+", self.block_size(sp), n), one)  # type: ignore[arg-type]
        return ir.Binary(sp, t.U32, "/", up, n)  # type: ignore[arg-type]

    def block_rank(self, sp: object) -> ir.Expr:
        """threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * blockDim.x * blockDim.y."""
        tx, ty, tz = (ir.ThreadIdx(sp, t.U32, a) for a in "xyz")  # type: ignore[arg-type]
        bx, by = (ir.BlockDim(sp, t.U32, a) for a in "xy")  # type: ignore[arg-type]
        row = ir.Binary(sp, t.U32, "*", ty, bx)  # type: ignore[arg-type]
        plane = ir.Binary(sp, t.U32, "*", tz, ir.Binary(sp, t.U32, "*", bx, by))  # type: ignore[arg-type]
        return ir.Binary(sp, t.U32, "+", ir.Binary(sp, t.U32, "+", tx, row), plane)  # type: ignore[arg-type]

    def block_size(self, sp: object) -> ir.Expr:
        bx, by, bz = (ir.BlockDim(sp, t.U32, a) for a in "xyz")  # type: ignore[arg-type]
        return ir.Binary(sp, t.U32, "*", ir.Binary(sp, t.U32, "*", bx, by), bz)  # type: ignore[arg-type]

    def tile_base(self, sp: object, g: Group) -> ir.Expr:
        """The first warp lane of the calling thread's tile: rank % 32 / n * n."""
        assert g.size is not None
        lane = ir.Binary(sp, t.U32, "%", self.block_rank(sp), ir.IntLit(sp, t.U32, 32))  # type: ignore[arg-type]
        return ir.Binary(sp, t.U32, "*", ir.Binary(sp, t.U32, "/", lane, g.size), g.size)  # type: ignore[arg-type]

    def mask(self, sp: object, g: Group) -> ir.Expr:
        """The lanes of the calling thread's tile (all 32 for a warp-sized tile)."""
        full = ir.IntLit(sp, t.U32, 0xFFFFFFFF)  # type: ignore[arg-type]
        if g.kind == "block" or g.static_size == 32:
            return full
        assert g.size is not None
        one = ir.IntLit(sp, t.U32, 1)  # type: ignore[arg-type]
        ones = _fold(ir.Binary(sp, t.U32, "-", _fold(ir.Binary(sp, t.U32, "<<", one, g.size)), one))  # type: ignore[arg-type]
        lanes = ir.Binary(sp, t.U32, "<<", ones, self.tile_base(sp, g))  # type: ignore[arg-type]
        if g.static_size is not None:
            return lanes
        wide = ir.Compare(sp, t.BOOL, ">=", g.size, ir.IntLit(sp, t.U32, 32))  # type: ignore[arg-type]
        return ir.Select(sp, t.U32, wide, full, lanes)  # type: ignore[arg-type]

    def width(self, sp: object, g: Group) -> ir.Expr | None:
        if g.static_size == 32:
            return None
        assert g.size is not None
        return self.lw.convert(g.size, t.I32, None)

    def reduce(self, node: CstNode, g: Group, rest: list[CstNode]) -> ir.Expr:
        """`cg::reduce(tile, v, cg::plus<T>())`: an xor butterfly over the tile's lanes, run before
        the statement into a fresh local; the expression reads that local."""
        lw = self.lw
        if len(rest) != 2:
            raise lw.fail(node, "cg::reduce", "takes a group, a value and an operation")
        if g.kind != "tile" or g.static_size is None:
            raise lw.fail(node, "cg::reduce", "only over a tile of static size")
        m = re.search(r"\b(plus|less|greater|bit_and|bit_or|bit_xor)\b", lw.text(rest[1]))
        if m is None:
            raise lw.fail(rest[1], f"cg::reduce operation '{lw.text(rest[1])}'", "not supported")
        place = lw.side_effect_slot()
        if place is None:
            raise lw.fail(node, "cg::reduce", "not supported in this position")
        value = lw.expr(rest[0])
        if not isinstance(value.type, t.Scalar):
            raise lw.fail(rest[0], f"cg::reduce of {t.type_name(value.type)}", "not supported")
        ty = value.type
        sp = lw.span(node)
        name = lw.fresh_name("cg_reduce")
        var = ir.Var(sp, ty, name, "local")
        place.append(ir.VarDecl(sp, name, ty, value))
        lw.declare(name, _binding(ty))
        op = _REDUCE_OPS[m.group(1)]
        offset = g.static_size // 2
        while offset >= 1:
            other = ir.WarpShuffle(sp, ty, "xor", self.mask(sp, g), var, ir.IntLit(sp, t.I32, offset), self.width(sp, g))
            if op in ("min", "max"):
                cmp = ir.Compare(sp, t.BOOL, "<" if op == "min" else ">", var, other)
                combined: ir.Expr = ir.Select(sp, ty, cmp, var, other)
            else:
                if op != "+" and not ty.kind.is_integer:
                    raise lw.fail(rest[1], f"cg::{m.group(1)} on floating values", "invalid")
                combined = lw.binary(node, op, var, other)
                combined = lw.convert(combined, ty, node)
            place.append(ir.Assign(sp, var, "", combined))
            offset //= 2
        return var


def lw_const(e: ir.Expr) -> int | None:
    from cuport.parse.lower_body import const_value

    return const_value(e)


def _fold(e: ir.Expr) -> ir.Expr:
    from cuport.parse.lower_body import fold

    return fold(e)


def _binding(ty: t.Type) -> object:
    from cuport.parse.lower_body import Binding

    return Binding(ty, "local")


__all__ = ["Group", "Groups", "group_type"]
