"""triton.idiom.rows: softmax-like row kernels as one Triton program per row, in tiles.

A row kernel gives each row of a matrix to a group of threads (a CUDA block, or one warp) and
runs a sequence of phases over the row's columns, each phase a loop

    for (int c = lane; c < bound; c += G) { ... }        (G = the group's thread count)

that reads and writes memory only at column c (`p[c]`, `p[u + c]`, u the same for the whole
group) and folds values into per-thread accumulators (`acc += e`, `acc = fmaxf(acc, e)`, ...).
Between phases the accumulators are combined across the group (a shared-memory tree read back
from `sh[0]`, or a `__shfl_xor_sync` butterfly, as a loop or unrolled), and group-wide scalars
are computed (`1 / sum`, `rsqrtf(var / n + eps)`). Softmax, log-softmax, layernorm and rmsnorm
are this shape. The meaning is then independent of G: every column is visited once per phase,
each visit computes the same thing, and the reductions are over the whole row. So one program
per group loops over the row in tiles of TILE columns (`tl.arange(0, TILE)` + mask), keeps the
accumulators as per-lane partials and combines them with one `tl.sum` / `tl.max` / `tl.min`.

Recognition is by the IR's structure (which values vary by thread, what each loop reads and
writes, which reduction follows which accumulation); anything outside the model raises
Unsupported inside this lowering and the rule declines (the general lowering then runs). In
particular a sum must start from 0 (per-lane partials would add the start value once per lane),
a reduction must use the accumulation's own operator over the whole group, and a per-thread
partial may not be read except by its reduction. The launcher checks the launch geometry the
recognised kernel assumed (block size of the tree, whole warps).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from cuport.ir import nodes as ir
from cuport.ir.printer import print_expr
from cuport.ir.types import Pointer, Scalar
from cuport.targets.triton.elementwise import _is_gid
from cuport.targets.triton.idioms import _combine, _halving, const_int
from cuport.targets.triton.lower import KernelLowering, LoweredKernel
from cuport.targets.triton.types import Unsupported, tl_dtype
from cuport.targets.triton.uniformity import Uniformity

RULE = "triton.idiom.rows"
# columns per tile when the row length is not a parameter the launcher can read
TILE_MAX = 1024
_ATOM = 20
_FLAT = "threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * (blockDim.x * blockDim.y)"
_REDUCE_FN = {"sum": "tl.sum", "max": "tl.max", "min": "tl.min"}
# not allowed inside a column loop: they would tie a column's work to a CUDA thread
_NOT_IN_PHASE = (ir.ThreadIdx, ir.Barrier, ir.WarpShuffle, ir.WarpVote, ir.WarpReduce, ir.Atomic, ir.SharedDecl,
                 ir.Return, ir.Break, ir.Continue, ir.For, ir.While, ir.DoWhile, ir.Fence)


def _strip(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.operand
    return e


def _is_zero(e: ir.Expr | None) -> bool:
    e = _strip(e) if e is not None else None
    return isinstance(e, ir.IntLit | ir.FloatLit) and e.value == 0


class RowLowering(KernelLowering):
    def __init__(self, kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> None:
        super().__init__(kernel, globals_, jit_name)
        self.u = Uniformity()  # managed here: the column and the per-lane partials vary
        self.rules = [RULE]
        for reserved in ("wid", "bid", "TILE", "WARPS", "wy", "wz"):
            self.names["\0" + reserved] = reserved
        self.lane_vars, self.warp_vars = self._index_vars()
        self.group = self._group()
        self.checks: set[str] = set()  # launch conditions the recognised kernel assumes
        self.partial: dict[str, str] = {}  # accumulator -> its operator, while it holds per-lane partials
        self.dead: set[str] = set()  # partials whose reduction went through shared memory
        self.zero: set[str] = set()  # locals whose last value is a literal 0
        self.pending: tuple[str, str] | None = None  # (shared array, partial) stored, tree not yet seen
        self.reduced: dict[str, str] = {}  # shared array -> the name of its reduced sh[0]
        self.ladder: tuple[str, int, str] | None = None  # unrolled butterfly in progress: (var, next offset, op)
        self.reductions = 0
        self.phases = 0
        self.bounds: set[str] = set()
        self.depth = 0
        self.reading: frozenset[str] = frozenset()  # partials the statement being lowered may fold into

    # --- what the group is, and the thread-index forms it allows ---------------------------------

    def _index_vars(self) -> tuple[set[str], set[str]]:
        decls: dict[str, list[ir.VarDecl]] = {}
        written: set[str] = set()
        for n in ir.walk(self.k.body):
            if isinstance(n, ir.VarDecl):
                decls.setdefault(n.name, []).append(n)
            if isinstance(n, ir.Assign) and isinstance(n.target, ir.Var):
                written.add(n.target.name)
        lanes, warps = set(), set()
        for name, ds in decls.items():
            if len(ds) != 1 or name in written or ds[0].init is None:
                continue
            form = self._form(ds[0].init)
            if form in ("lane", "tid"):
                lanes.add(name)
            elif form in ("warp", "gwarp"):
                warps.add(name)
        return lanes, warps

    def _form(self, e: ir.Expr) -> str | None:
        """'tid' (threadIdx.x), 'lane' (index within the warp), 'warp' (warp within the block)."""
        e = _strip(e)
        if isinstance(e, ir.ThreadIdx) and e.axis == "x":
            return "tid"
        if isinstance(e, ir.Var) and e.name in getattr(self, "lane_vars", ()):
            return "tid" if self._form(self._init_of(e.name)) == "tid" else "lane"
        if isinstance(e, ir.Var) and e.name in getattr(self, "warp_vars", ()):
            return self._form(self._init_of(e.name))
        if not isinstance(e, ir.Binary):
            return None
        if e.op in ("/", ">>") and const_int(e.rhs) == (32 if e.op == "/" else 5) and _is_gid(e.lhs):
            return "gwarp"
        flat = self._flat(e.lhs)
        k = const_int(e.rhs)
        if flat is None or k is None:
            return None
        if (e.op == "%" and k == 32) or (e.op == "&" and k == 31):
            return "lane"
        if (e.op == "/" and k == 32) or (e.op == ">>" and k == 5):
            return "warp"
        return None

    def _init_of(self, name: str) -> ir.Expr:
        for n in ir.walk(self.k.body):
            if isinstance(n, ir.VarDecl) and n.name == name and n.init is not None:
                return n.init
        raise Unsupported("no declaration")

    def _flat(self, e: ir.Expr) -> str | None:
        e = _strip(e)
        if isinstance(e, ir.ThreadIdx) and e.axis == "x":
            return "x"
        return "flat" if print_expr(e) == _FLAT else None

    def _group(self) -> str:
        """'warp' when the column loops start at a lane of a warp, 'block' when at threadIdx.x."""
        forms = set()
        for n in ir.walk(self.k.body):
            if isinstance(n, ir.For) and len(n.init) == 1 and isinstance(n.init[0], ir.VarDecl) and n.init[0].init is not None:
                f = self._form(n.init[0].init)
                if f in ("lane", "tid"):
                    forms.add(f)
        if forms == {"lane"}:
            return "warp"
        if forms == {"tid"}:
            return "block"
        raise Unsupported("not a row kernel: no column loop started by the thread index, or two kinds")

    def _lane_checks(self, e: ir.Expr) -> None:
        """Launch conditions under which `e` (a lane or warp form) means what the model says."""
        e = _strip(e)
        if isinstance(e, ir.Var):
            e = _strip(self._init_of(e.name))
        if isinstance(e, ir.Binary) and self._flat(e.lhs) == "x":
            # threadIdx.x & 31 is the lane when warps do not straddle rows of the block;
            # threadIdx.x / 32 is the warp when the block is 1-D
            self.checks.add("bx % 32 == 0" if e.op in ("%", "&") else "by == 1 and bz == 1")
        if isinstance(e, ir.ThreadIdx):
            self.checks.add("by == 1 and bz == 1")

    # --- launch and function head ---------------------------------------------------------------

    def constexprs(self) -> str:
        const = "BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, TILE: tl.constexpr"
        return const + (", WARPS: tl.constexpr" if self.group == "warp" else "")

    def head(self, uses_scratch: bool) -> list[str]:
        if self.group == "block":
            return []
        return ["bid = tl.program_id(0) // WARPS  # blockIdx.x: programs are the warps of the CUDA blocks",
                "wid = tl.program_id(0) % WARPS  # the warp within its block"]

    def launch_info(self) -> dict[str, str] | None:
        tile = next(iter(self.bounds)) if len(self.bounds) == 1 else ""
        return {"kind": "rows", "group": self.group, "checks": ";".join(sorted(self.checks)), "tile_from": tile,
                "tile_max": str(TILE_MAX)}

    # --- expressions: thread indices only in the forms the model gives a meaning ------------------

    def value(self, e: ir.Expr) -> tuple[str, int]:
        form = self._form(e)
        if form == "warp" and self.group == "warp":
            self._lane_checks(e)
            return "wid", _ATOM
        if form == "gwarp" and self.group == "warp":
            self.checks.add("by == 1 and bz == 1")  # (blockIdx.x * blockDim.x + threadIdx.x) / 32
            return "(bid * WARPS + wid)", _ATOM
        if form is not None:
            raise Unsupported("the thread index used outside a column loop's start")
        return super().value(e)

    def e_ThreadIdx(self, e: ir.ThreadIdx) -> tuple[str, int]:
        if self.group == "warp" and e.axis in ("y", "z"):
            self.checks.add("bx % 32 == 0")  # a warp then lies in one row of the block
            code = "wid * 32 // BLOCK_X % BLOCK_Y" if e.axis == "y" else "wid * 32 // (BLOCK_X * BLOCK_Y)"
            return f"({code})", _ATOM
        raise Unsupported("the thread index used outside a column loop's start")

    def e_BlockIdx(self, e: ir.BlockIdx) -> tuple[str, int]:
        if self.group == "warp" and e.axis == "x":
            return "bid", _ATOM
        return super().e_BlockIdx(e)

    def e_GridDim(self, e: ir.GridDim) -> tuple[str, int]:
        if self.group == "warp" and e.axis == "x":
            return "(tl.num_programs(0) // WARPS)", _ATOM
        return super().e_GridDim(e)

    def e_Var(self, e: ir.Var) -> tuple[str, int]:
        if e.name in self.dead or (e.name in self.partial and e.name not in self.reading):
            raise Unsupported(f"a per-thread partial ({e.name}) read other than by its reduction")
        if e.kind == "shared":
            raise Unsupported("shared memory other than a reduction tree")
        return super().e_Var(e)

    def e_Index(self, e: ir.Index) -> tuple[str, int]:
        base = e.base
        if isinstance(base, ir.Var) and base.kind == "shared":
            if base.name in self.reduced and const_int(e.index) == 0:
                return self.reduced[base.name], _ATOM
            raise Unsupported("shared memory read other than the reduced sh[0]")
        return super().e_Index(e)

    # --- statements ----------------------------------------------------------------------------------

    def lower_body(self) -> None:
        stmts = list(self.k.body.stmts)
        for s in stmts:
            if isinstance(s, ir.If) and s.orelse is None and len(s.then.stmts) == 1 and isinstance(s.then.stmts[0], ir.Return):
                # `if (row >= rows) return;`: the whole group leaves; the rest runs under the negation
                if self.u.expr(s.cond) or self._has_lane(s.cond):
                    raise Unsupported("an early return that differs by thread")
                self.out.add(f"if {self._negated(s.cond)}:")
                self.out.depth += 1
                self.depth += 1
                continue
            self.stmt(s)
        if self.ladder is not None or self.pending is not None or self.partial:
            raise Unsupported("a per-thread partial left without its reduction")
        if len({c for c in self.checks if c.startswith("bx == ")}) > 1:
            raise Unsupported("loops and reductions written for different block sizes")
        if self.reductions == 0 or self.phases == 0:
            raise Unsupported("not a row kernel: no reduction over a row")

    def _negated(self, cond: ir.Expr) -> str:
        flip = {"<": ">=", ">=": "<", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}
        c = _strip(cond)
        if isinstance(c, ir.Compare) and all(isinstance(x.type, Scalar) and x.type.kind.is_integer for x in (c.lhs, c.rhs)):
            return self.value(replace(c, op=flip[c.op]))[0]
        if isinstance(c, ir.Logical) and c.op == "||":
            a, b = self._negated(c.lhs), self._negated(c.rhs)
            return f"({a}) & ({b})"
        raise Unsupported("an early return whose condition is not an integer comparison")

    def _has_lane(self, e: ir.Node) -> bool:
        return any(isinstance(n, ir.Expr) and self._form(n) in ("lane", "tid") for n in ir.walk(e))

    def stmt(self, s: ir.Stmt) -> None:
        if self.ladder is not None:
            if not self._ladder_step(s):
                raise Unsupported("an unrolled shuffle butterfly cut short")
            return
        if self.pending is not None and not isinstance(s, ir.For) and not _is_sync(s):
            raise Unsupported("a shared-memory store not followed by its reduction tree")
        if _is_sync(s):
            return  # one program runs the group's phases in order: barriers have nothing to order
        if isinstance(s, ir.For):
            if self.pending is not None:
                self._tree(s)
            elif not self._butterfly(s):  # a butterfly loop is consumed by _butterfly itself
                self._column_loop(s)
            return
        if isinstance(s, ir.If):
            self._if(s)
            return
        if isinstance(s, ir.Assign) and self._ladder_start(s):
            return
        super().stmt(s)

    def s_SharedDecl(self, s: ir.SharedDecl) -> None:
        if s.dynamic:
            raise Unsupported("dynamic shared memory in a row kernel")

    def s_VarDecl(self, s: ir.VarDecl) -> None:
        if s.name in self.lane_vars or s.name in self.warp_vars:
            return  # read only through the forms value() maps
        init = s.init
        if init is not None and isinstance(_strip(init), ir.Var) and _strip(init).name in self.partial:  # type: ignore[union-attr]
            src = _strip(init).name  # type: ignore[union-attr]
            self.partial[s.name] = self.partial[src]
            self.u.varying.add(s.name)
            self.out.add(f"{self.name(s.name)} = {self.name(src)}")
            return
        self._track_zero(s.name, init)
        super().s_VarDecl(s)

    def s_Assign(self, s: ir.Assign) -> None:
        t = s.target
        if isinstance(t, ir.Index) and isinstance(t.base, ir.Var) and t.base.kind == "shared":
            v = _strip(s.value)
            if s.op or self._form(t.index) != "tid" or not (isinstance(v, ir.Var) and v.name in self.partial):
                raise Unsupported("a shared-memory store other than a partial into sh[threadIdx.x]")
            if self.group != "block":
                raise Unsupported("a shared-memory tree in a warp-per-row kernel")
            self._lane_checks(t.index)
            self.pending = (t.base.name, v.name)
            return
        if isinstance(t, ir.Var) and t.kind == "local" and (t.name in self.partial or t.name in self.dead) \
                and t.name not in self.reading:
            if s.op or self.u.expr(s.value) or any(isinstance(n, ir.Var) and n.name in self.partial for n in ir.walk(s.value)):
                raise Unsupported("a partial overwritten by a varying value")
            self.partial.pop(t.name, None)
            self.dead.discard(t.name)
            self.u.varying.discard(t.name)
        if isinstance(t, ir.Var):
            self._track_zero(t.name, s.value if not s.op else ir.IntLit(s.span, s.value.type, 1))
        super().s_Assign(s)

    def _track_zero(self, name: str, init: ir.Expr | None) -> None:
        if _is_zero(init):
            self.zero.add(name)
        else:
            self.zero.discard(name)

    def _if(self, s: ir.If) -> None:
        """A uniform `if`, or `if (lane == 0 [&& uniform]) { stores of uniform values }`."""
        for n in ir.walk(s):
            if isinstance(n, ir.For | ir.While | ir.DoWhile | ir.Return | ir.Break | ir.Continue):
                raise Unsupported("a loop or exit inside an if of a row kernel")
        cond = _strip(s.cond)
        rest = self._lane_zero(cond)
        if rest is None:
            if self._has_lane(cond) or self.u.expr(cond):
                raise Unsupported("an if that differs by thread")
            super().s_If(s)
            return
        if s.orelse is not None:
            raise Unsupported("an else branch under a one-lane guard")
        for n in ir.walk(s.then):
            if isinstance(n, ir.VarDecl) or (isinstance(n, ir.Assign) and isinstance(n.target, ir.Var)):
                raise Unsupported("a one-lane guard that changes a variable (lanes would disagree)")
        if rest is True:
            self.stmt_block(s.then)
            return
        code, _ = self.value(rest)
        self.out.add(f"if {code}:")
        self.indented(s.then)

    def _lane_zero(self, cond: ir.Expr) -> ir.Expr | bool | None:
        """For `lane == 0` True; for `lane == 0 && c` (c uniform) c; else None."""
        if isinstance(cond, ir.Compare) and cond.op == "==":
            for a, b in ((cond.lhs, cond.rhs), (cond.rhs, cond.lhs)):
                if self._form(a) in ("lane", "tid") and const_int(b) == 0:
                    self._lane_checks(a)
                    return True
            return None
        if isinstance(cond, ir.Logical) and cond.op == "&&":
            for a, b in ((cond.lhs, cond.rhs), (cond.rhs, cond.lhs)):
                if self._lane_zero(_strip(a)) is True and not self._has_lane(b) and not self.u.expr(b):
                    return b
        return None

    # --- phases: the column loops --------------------------------------------------------------

    def _column_loop(self, s: ir.For) -> None:
        if self.depth > 1:
            raise Unsupported("a column loop nested in another statement")
        if len(s.init) != 1 or len(s.step) != 1 or not isinstance(s.init[0], ir.VarDecl) or s.init[0].init is None:
            raise Unsupported("a loop that is not a column loop")
        decl, step, cond = s.init[0], s.step[0], s.cond
        form = self._form(decl.init)  # type: ignore[arg-type]
        if form not in ("lane", "tid"):
            raise Unsupported("a loop that is not a column loop")
        self._lane_checks(decl.init)  # type: ignore[arg-type]
        c = decl.name
        if not (isinstance(cond, ir.Compare) and cond.op == "<" and _is_var(cond.lhs, c)):
            raise Unsupported("a column loop whose condition is not `c < bound`")
        if not (isinstance(step, ir.Assign) and step.op == "+" and _is_var(step.target, c)):
            raise Unsupported("a column loop whose step is not `c += G`")
        self._stride(step.value)
        bound = cond.rhs
        if self.u.expr(bound) or self._has_lane(bound):
            raise Unsupported("a column loop whose bound differs by thread")
        b = _strip(bound)
        self.bounds.add(self.name(b.name) if isinstance(b, ir.Var) and b.kind == "param" else "")
        accs = self._accumulations(s.body, c)
        inner = {n.name for n in ir.walk(s.body) if isinstance(n, ir.VarDecl)}
        self._check_accesses(s.body, c, inner)
        for acc, op in accs.items():
            name = self.name(acc)
            t = self._local_type(acc)
            if acc in self.partial:
                if self.partial[acc] != op:
                    raise Unsupported("one partial folded with two operators")
                continue
            if op == "sum" and acc not in self.zero:
                raise Unsupported("a sum that does not start from 0 (each lane would add the start)")
            start = f"tl.zeros([TILE], {tl_dtype(t)})"
            self.out.add(f"{name} = {start}" if op == "sum" else f"{name} = {start} + {name}")
            self.partial[acc] = op
            self.u.varying.add(acc)
        stop, _ = self.value(bound)
        first, mask, col = self.fresh("col"), self.fresh("m"), self.name(c)
        self.u.varying |= inner | {c}
        self.out.add(f"for {first} in range(0, {stop}, TILE):")
        self.out.depth += 1
        self.out.add(f"{col} = {first} + tl.arange(0, TILE)")
        self.out.add(f"{mask} = {col} < {stop}")
        full, self.full = self.full, False
        self.masks.append(mask)
        self.reading = frozenset(accs)
        try:
            self.stmt_block(s.body)
        finally:
            self.reading = frozenset()
        self.masks.pop()
        self.full = full
        self.out.depth -= 1
        self.phases += 1

    def _stride(self, e: ir.Expr) -> None:
        g = _strip(e)
        k = const_int(g)
        if self.group == "warp":
            if k != 32 and not isinstance(g, ir.WarpSize):
                raise Unsupported("a warp's column loop with a stride other than 32")
            self.checks.add("bx * by * bz % 32 == 0")
        elif isinstance(g, ir.BlockDim) and g.axis == "x":
            self.checks.add("by == 1 and bz == 1")
        elif k is not None and k > 0:
            self.checks.add(f"bx == {k}")
        else:
            raise Unsupported("a column loop whose stride is not the block's thread count")

    def _local_type(self, name: str) -> Scalar:
        for n in ir.walk(self.k.body):
            if isinstance(n, ir.VarDecl) and n.name == name and isinstance(n.var_type, Scalar):
                return n.var_type
        raise Unsupported(f"an accumulator ({name}) that is not a scalar local")

    def _accumulations(self, body: ir.Block, c: str) -> dict[str, str]:
        """The locals of the enclosing code the loop folds into, with their operators."""
        inner = {n.name for n in ir.walk(body) if isinstance(n, ir.VarDecl)}
        out: dict[str, str] = {}
        for n in ir.walk(body):
            if isinstance(n, _NOT_IN_PHASE):
                raise Unsupported(f"{type(n).__name__} inside a column loop")
            if isinstance(n, ir.VarDecl) and not isinstance(n.var_type, Scalar):
                raise Unsupported("a non-scalar local inside a column loop")
            if not (isinstance(n, ir.Assign) and isinstance(n.target, ir.Var)):
                continue
            name = n.target.name
            if name == c:
                raise Unsupported("a column loop that writes its column")
            if name in inner:
                continue
            op = _fold(n, lambda e, nm=name: _is_var(e, nm), lambda e, nm=name: not _reads(e, nm))
            if op is None or n.target.kind != "local":
                raise Unsupported(f"a column loop that changes {name} other than by folding into it")
            if out.setdefault(name, op) != op:
                raise Unsupported("one partial folded with two operators")
        folds = [n for n in ir.walk(body) if isinstance(n, ir.Assign) and isinstance(n.target, ir.Var) and n.target.name in out]
        allowed = {id(v) for f in folds for v in ir.walk(f)}
        for n in ir.walk(body):
            if isinstance(n, ir.Var) and n.name in out and id(n) not in allowed:
                raise Unsupported(f"a column loop that reads its partial {n.name} (lanes hold other columns' partials)")
        return out

    def _check_accesses(self, body: ir.Block, c: str, inner: set[str]) -> None:
        """Memory only at column c (p[c], p[u + c], *(p + c)), or read at one address for the group."""
        varying = inner | {c} | set(self.partial)

        def uniform(e: ir.Expr) -> bool:
            return not any(isinstance(n, ir.Var) and n.name in varying for n in ir.walk(e)) and not self._has_lane(e)

        def at_column(offset: ir.Expr) -> bool:
            o = _strip(offset)
            if _is_var(o, c):
                return True
            return isinstance(o, ir.Binary) and o.op == "+" and (
                (_is_var(o.lhs, c) and uniform(o.rhs)) or (_is_var(o.rhs, c) and uniform(o.lhs)))

        def pointer_ok(p: ir.Expr, write: bool) -> bool:
            p = _strip(p)
            if uniform(p):
                return not write
            return isinstance(p, ir.PtrAdd) and p.op == "+" and uniform(p.ptr) and at_column(p.offset)

        writes = {id(n.target) for n in ir.walk(body) if isinstance(n, ir.Assign)}
        for n in ir.walk(body):
            ok = True
            if isinstance(n, ir.Index) and isinstance(n.base, ir.Var) and n.base.name in self.reduced:
                ok = const_int(n.index) == 0 and id(n) not in writes  # the group's reduced value
            elif isinstance(n, ir.Index):
                if not isinstance(n.base.type, Pointer) or not uniform(n.base):
                    raise Unsupported("an array other than a pointer inside a column loop")
                ok = at_column(n.index) or (uniform(n.index) and id(n) not in writes)
            elif isinstance(n, ir.Deref):
                ok = pointer_ok(n.ptr, id(n) in writes)
            elif isinstance(n, ir.MathCall) and n.op in ("ldg", "st"):
                ok = pointer_ok(n.args[0], n.op == "st")
            elif isinstance(n, ir.AddrOf | ir.Member):
                ok = False
            if not ok:
                raise Unsupported("a column loop touching memory other than at its column")

    # --- reductions across the group -----------------------------------------------------------------

    def _reduce(self, var: str, op: str, into: str) -> None:
        if self.partial.get(var) != op:
            raise Unsupported("a reduction whose operator is not the accumulation's")
        what = "shared-memory tree" if into != self.name(var) else "shuffle butterfly"
        self.out.add(f"# {what} over the group: one {_REDUCE_FN[op]} of the per-lane partials")
        self.out.add(f"{into} = {_REDUCE_FN[op]}({self.name(var)}, 0)")
        self.reductions += 1

    def _butterfly(self, s: ir.For) -> bool:
        """`for (o = 16; o > 0; o >>= 1) v = op(v, __shfl_xor_sync(m, v, o))` over a warp's partial."""
        h = _halving(s)
        if h is None or len(s.body.stmts) != 1:
            return False
        counter, start = h
        step = s.body.stmts[0]
        if not isinstance(step, ir.Assign) or not isinstance(step.target, ir.Var) or step.target.name not in self.partial:
            return False
        if start != 16 or self.group != "warp":
            raise Unsupported("a shuffle butterfly over other than a whole warp")
        op = self._shuffle_fold(step, lambda e: _is_var(e, counter))
        if op is None:
            raise Unsupported("a loop over a partial that is not a xor butterfly")
        self._finish_butterfly(step.target.name, op)
        return True

    def _finish_butterfly(self, var: str, op: str) -> None:
        self._reduce(var, op, self.name(var))
        self.partial.pop(var)
        self.u.varying.discard(var)

    def _shuffle_fold(self, s: ir.Assign, offset_ok: Callable[[ir.Expr], bool]) -> str | None:
        """The operator of `v = op(v, __shfl_xor_sync(m, v, o))` (also `v > S ? v : S`), o accepted by offset_ok."""
        assert isinstance(s.target, ir.Var)
        name = s.target.name

        def is_shfl(e: ir.Expr) -> bool:
            e = _strip(e)
            return (isinstance(e, ir.WarpShuffle) and e.kind == "xor" and _is_var(e.value, name)
                    and (e.width is None or const_int(e.width) == 32) and offset_ok(e.lane))

        return _fold(s, lambda e: _is_var(e, name), is_shfl)

    def _ladder_start(self, s: ir.Assign) -> bool:
        if not isinstance(s.target, ir.Var) or s.target.name not in self.partial:
            return False
        op = self._shuffle_fold(s, lambda e: const_int(e) == 16)
        if op is None:
            return False
        if self.group != "warp":
            raise Unsupported("a shuffle butterfly in a block-per-row kernel")
        self.ladder = (s.target.name, 8, op)
        return True

    def _ladder_step(self, s: ir.Stmt) -> bool:
        assert self.ladder is not None
        var, offset, op = self.ladder
        if not (isinstance(s, ir.Assign) and _is_var(s.target, var)):
            return False
        if self._shuffle_fold(s, lambda e: const_int(e) == offset) != op:
            return False
        if offset > 1:
            self.ladder = (var, offset // 2, op)
            return True
        self.ladder = None
        self._finish_butterfly(var, op)
        return True

    def _tree(self, s: ir.For) -> None:
        """The shared tree `for (s = C/2; s > 0; s >>= 1) { if (t < s) sh[t] op= sh[t + s]; sync }`."""
        assert self.pending is not None
        sh, var = self.pending
        h = _halving(s)
        body = s.body.stmts
        if h is None or len(body) != 2 or not isinstance(body[0], ir.If) or body[0].orelse is not None or not _is_sync(body[1]):
            raise Unsupported("a shared-memory store not followed by its reduction tree")
        counter, start = h
        guard = body[0]
        cond = guard.cond
        if not (isinstance(cond, ir.Compare) and cond.op == "<" and self._form(cond.lhs) == "tid" and _is_var(cond.rhs, counter)):
            raise Unsupported("a reduction tree guarded other than by threadIdx.x < s")
        if len(guard.then.stmts) != 1:
            raise Unsupported("a reduction tree with more than one step")
        lane = cond.lhs

        def at(e: ir.Expr, partner: bool) -> bool:
            e = _strip(e)
            if not (isinstance(e, ir.Index) and _is_var(e.base, sh)):
                return False
            i = _strip(e.index)
            if not partner:
                return self._form(i) == "tid"
            return isinstance(i, ir.Binary) and i.op == "+" and self._form(i.lhs) == "tid" and _is_var(i.rhs, counter)

        op = _fold(guard.then.stmts[0], lambda e: at(e, False), lambda e: at(e, True))
        if op is None:
            raise Unsupported("a reduction tree that is not one fold of sh[t] and sh[t + s]")
        self._lane_checks(lane)
        self.checks.add(f"bx == {2 * start}")  # the tree reads exactly the block's partials
        into = f"{self.name(sh)}_0"
        while into in self.names.values():
            into += "_"
        self._reduce(var, op, into)
        self.reduced[sh] = into
        self.partial.pop(var)
        self.dead.add(var)  # CUDA's own copy is still the thread's partial
        self.pending = None


def _fold(s: ir.Stmt, target: Callable[[ir.Expr], bool], other: Callable[[ir.Expr], bool]) -> str | None:
    """The operator of a fold `x op= y`, `x = x + y`, `x = fmaxf(x, y)`, `x = x > y ? x : y` (either
    operand order) with target(x) and other(y), else None."""
    op = _combine(s, target, other)
    if op is not None or not isinstance(s, ir.Assign) or s.op or not target(s.target):
        return op
    v = _strip(s.value)
    if isinstance(v, ir.Binary) and v.op == "+":
        if (target(v.lhs) and other(v.rhs)) or (target(v.rhs) and other(v.lhs)):
            return "sum"
    if isinstance(v, ir.Select) and isinstance(_strip(v.cond), ir.Compare):
        cmp = _strip(v.cond)
        assert isinstance(cmp, ir.Compare)
        pick = {">": "max", ">=": "max", "<": "min", "<=": "min"}.get(cmp.op)
        for a, b in ((cmp.lhs, cmp.rhs), (cmp.rhs, cmp.lhs)):
            if target(a) and other(b) and _same(v.if_true, cmp.lhs) and _same(v.if_false, cmp.rhs):
                return pick
    return None


def _same(a: ir.Expr, b: ir.Expr) -> bool:
    return _strip(a) == _strip(b)


def _is_var(e: ir.Expr, name: str) -> bool:
    e = _strip(e)
    return isinstance(e, ir.Var) and e.name == name


def _reads(e: ir.Expr, name: str) -> bool:
    return any(isinstance(n, ir.Var) and n.name == name for n in ir.walk(e))


def _is_sync(s: ir.Stmt) -> bool:
    return isinstance(s, ir.ExprStmt) and isinstance(s.expr, ir.Barrier) and s.expr.kind in ("syncthreads", "syncwarp")


def lower(k: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    if not any(isinstance(n, ir.For) for n in ir.walk(k.body)):
        return None
    try:
        low = RowLowering(k, globals_, jit_name)
        out = low.lower()
    except Unsupported:
        return None
    source = out.source.replace("[BLOCK]", "[TILE]")
    if out.uses_scratch or re.search(r"\b(BLOCK|tid|tx|ty|tz|active|smem|lmem)\b", source):
        return None  # something still assumed the general lowering's CUDA-block vector
    return replace(out, source=source, min_block=1)
