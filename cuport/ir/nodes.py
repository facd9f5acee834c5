"""Every node of the kernel IR, defined in this one file.

Nodes are frozen dataclasses with slots; change one only with `replace()`. Each node has a `Span`
pointing at the user's source (spans do not take part in equality, so two lowerings of the same
text compare equal wherever the text sat). Expressions carry their resolved `type`.

Conventions that targets rely on:
- Every implicit C++ conversion is an explicit `Cast(implicit=True)`; binary operands already have
  the operator's computation type, conditions are `bool`.
- Memory: `Index(base, i)` is `base[i]` on a pointer or a fixed array (an lvalue); `PtrAdd` is
  pointer arithmetic `p + i` / `p - i` (element units), `Deref(p)` is `*p`, `AddrOf(x)` is `&x`.
  A `Load` is implicit: an lvalue used as a value reads it; `Assign` writes its target.
- Assignments, `++` and `--` are statements (`Assign`), never expressions; code that assigns inside
  an expression is rejected with a diagnostic rather than given a hidden order of evaluation.
- CUDA built-ins are their own nodes (`ThreadIdx`, `Barrier`, `Atomic`, `WarpShuffle`, ...), and
  math functions are `MathCall(op)` with `op` from `cuport/ir/math_ops.toml`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from cuport.ir.types import Type
from cuport.source import Span

Axis = Literal["x", "y", "z"]
N = TypeVar("N", bound="Node")


@dataclass(frozen=True, slots=True)
class Node:
    span: Span = field(compare=False)


# --- expressions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expr(Node):
    type: Type


@dataclass(frozen=True, slots=True)
class IntLit(Expr):
    value: int


@dataclass(frozen=True, slots=True)
class FloatLit(Expr):
    value: float


@dataclass(frozen=True, slots=True)
class BoolLit(Expr):
    value: bool


VarKind = Literal["param", "local", "shared", "global", "constant"]


@dataclass(frozen=True, slots=True)
class Var(Expr):
    name: str
    kind: VarKind


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: Literal["-", "+", "~", "!"]
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    """Arithmetic, bitwise and shift operators; operands already converted (shifts: promoted)."""

    op: Literal["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"]
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    op: Literal["==", "!=", "<", "<=", ">", ">="]
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class Logical(Expr):
    """Short-circuit `&&` / `||` on bool operands."""

    op: Literal["&&", "||"]
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class Select(Expr):
    """The ternary `cond ? if_true : if_false` (only the chosen side is evaluated)."""

    cond: Expr
    if_true: Expr
    if_false: Expr


@dataclass(frozen=True, slots=True)
class Cast(Expr):
    """Conversion to `type`; `implicit` marks conversions C++ inserts (not written by the user)."""

    operand: Expr
    implicit: bool = False
    style: Literal["c", "static", "reinterpret", "const"] = "c"


@dataclass(frozen=True, slots=True)
class Index(Expr):
    base: Expr  # a pointer or a fixed array
    index: Expr


@dataclass(frozen=True, slots=True)
class PtrAdd(Expr):
    op: Literal["+", "-"]
    ptr: Expr
    offset: Expr  # in elements


@dataclass(frozen=True, slots=True)
class PtrDiff(Expr):
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class Deref(Expr):
    ptr: Expr


@dataclass(frozen=True, slots=True)
class AddrOf(Expr):
    operand: Expr


@dataclass(frozen=True, slots=True)
class Member(Expr):
    """A vector lane (`v.x`) or a field of a struct the file defines."""

    base: Expr
    name: str
    arrow: bool = False  # `p->f`: base is a pointer


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """A call of a device function of the module (by its instantiated name)."""

    callee: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class MathCall(Expr):
    """A math function or intrinsic; `op` is a row of `math_ops.toml`, `name` the CUDA spelling."""

    op: str
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class MakeVector(Expr):
    """`make_float4(a, b, c, d)` and friends; `type` is the vector type."""

    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class InitList(Expr):
    """`{a, b, c}` initialising a local array."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ThreadIdx(Expr):
    axis: Axis


@dataclass(frozen=True, slots=True)
class BlockIdx(Expr):
    axis: Axis


@dataclass(frozen=True, slots=True)
class BlockDim(Expr):
    axis: Axis


@dataclass(frozen=True, slots=True)
class GridDim(Expr):
    axis: Axis


@dataclass(frozen=True, slots=True)
class WarpSize(Expr):
    pass


BarrierKind = Literal["syncthreads", "syncwarp", "count", "and", "or"]


@dataclass(frozen=True, slots=True)
class Barrier(Expr):
    """`__syncthreads()` (void), `__syncthreads_count/and/or(pred)` (int), `__syncwarp(mask)`."""

    kind: BarrierKind
    mask: Expr | None = None
    pred: Expr | None = None


@dataclass(frozen=True, slots=True)
class Fence(Expr):
    scope: Literal["block", "device", "system"]


AtomicOp = Literal["add", "sub", "exch", "min", "max", "inc", "dec", "cas", "and", "or", "xor"]


@dataclass(frozen=True, slots=True)
class Atomic(Expr):
    """An atomic read-modify-write returning the old value; `compare` only for `cas`."""

    op: AtomicOp
    ptr: Expr
    value: Expr
    compare: Expr | None = None
    scope: Literal["device", "block", "system"] = "device"


@dataclass(frozen=True, slots=True)
class WarpShuffle(Expr):
    """`__shfl*_sync`: `lane` is the source lane (idx), the delta (up/down) or the lane mask (xor)."""

    kind: Literal["idx", "up", "down", "xor"]
    mask: Expr | None  # None for the legacy mask-less forms
    value: Expr
    lane: Expr
    width: Expr | None = None


@dataclass(frozen=True, slots=True)
class WarpVote(Expr):
    kind: Literal["ballot", "all", "any", "uni", "activemask"]
    mask: Expr | None
    pred: Expr | None


@dataclass(frozen=True, slots=True)
class WarpReduce(Expr):
    op: Literal["add", "min", "max", "and", "or", "xor"]
    mask: Expr
    value: Expr


@dataclass(frozen=True, slots=True)
class Printf(Expr):
    """Device `printf(format, args...)` (type int); args already have their default promotions
    (float -> double, small integers -> int). `format` is the decoded format string."""

    format: str
    args: tuple[Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class Assert(Expr):
    """`assert(cond)` (type void): a device-side check; `text` is the condition as written."""

    cond: Expr
    text: str = ""


# --- statements -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stmt(Node):
    pass


@dataclass(frozen=True, slots=True)
class VarDecl(Stmt):
    """A local variable (scalars, vectors, pointers, local arrays)."""

    name: str
    var_type: Type
    init: Expr | None = None
    const: bool = False


@dataclass(frozen=True, slots=True)
class SharedDecl(Stmt):
    """`__shared__ T x[n]` (static) or `extern __shared__ T x[]` (dynamic, sized at launch)."""

    name: str
    var_type: Type
    dynamic: bool = False


@dataclass(frozen=True, slots=True)
class Assign(Stmt):
    """`target op= value`; op is "" for plain `=`. `value` has the type the operation computes in."""

    target: Expr
    op: str
    value: Expr


@dataclass(frozen=True, slots=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(frozen=True, slots=True)
class Block(Stmt):
    stmts: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class If(Stmt):
    cond: Expr
    then: Block
    orelse: Block | None = None


@dataclass(frozen=True, slots=True)
class For(Stmt):
    init: tuple[Stmt, ...]
    cond: Expr | None
    step: tuple[Stmt, ...]
    body: Block


@dataclass(frozen=True, slots=True)
class While(Stmt):
    cond: Expr
    body: Block


@dataclass(frozen=True, slots=True)
class DoWhile(Stmt):
    body: Block
    cond: Expr


@dataclass(frozen=True, slots=True)
class Break(Stmt):
    pass


@dataclass(frozen=True, slots=True)
class Continue(Stmt):
    pass


@dataclass(frozen=True, slots=True)
class Return(Stmt):
    value: Expr | None = None


# --- top level ------------------------------------------------------------------------------

TemplateArg = str | int  # a type spelled in CUDA ("float") or an integer


@dataclass(frozen=True, slots=True)
class Param(Node):
    """A parameter. `by_ref` marks a C++ reference parameter (`T& x`): `type` is then a pointer
    to T, callers pass `AddrOf(arg)` and the body reads and writes through `Deref(Var x)`. It records
    where the pointer came from only (the IR already says everything it does), so it is not compared."""

    name: str
    type: Type
    by_ref: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Kernel(Node):
    name: str
    params: tuple[Param, ...]
    body: Block
    template_args: tuple[tuple[str, TemplateArg], ...] = ()
    launch_bounds: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DeviceFunction(Node):
    name: str
    params: tuple[Param, ...]
    return_type: Type
    body: Block
    template_args: tuple[tuple[str, TemplateArg], ...] = ()
    force_inline: bool = False


@dataclass(frozen=True, slots=True)
class GlobalVar(Node):
    """A file-scope variable device code reads: `__constant__`, `__device__`, or a `const` value."""

    name: str
    var_type: Type
    space: Literal["constant", "device", "const"]
    init: Expr | None = None


Function = Kernel | DeviceFunction


@dataclass(frozen=True, slots=True)
class Module(Node):
    functions: tuple[Function, ...]
    globals: tuple[GlobalVar, ...] = ()


def instance_name(fn: Function) -> str:
    """`name` or `name<arg, ...>` for an instantiated template: how calls and modules refer to it."""
    if not fn.template_args:
        return fn.name
    return f"{fn.name}<{', '.join(str(v) for _, v in fn.template_args)}>"


# --- generic helpers --------------------------------------------------------------------------


def replace(node: N, **changes: object) -> N:
    """The one way to change a node: a copy with some fields replaced."""
    return dataclasses.replace(node, **changes)  # type: ignore[arg-type]


def children(node: Node) -> Iterator[Node]:
    """Direct child nodes, in field order (tuples of nodes are flattened)."""
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Node):
                    yield item


def walk(node: Node) -> Iterator[Node]:
    """The node and all its descendants, pre-order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(list(children(n))))
