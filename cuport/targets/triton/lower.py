"""The general lowering: one CUDA kernel (IR) -> one `@triton.jit` function.

One Triton program runs one CUDA block; the block's threads are the lanes of `[BLOCK]` vectors
(`tid = tl.arange(0, BLOCK)`, BLOCK the thread count padded to a power of two; 2-D/3-D blocks are
flattened, x fastest). Block-uniform values stay scalars (uniformity.py). Divergence is carried by
boolean lane masks held in named variables: `active` (lanes that exist and have not returned), one
mask per divergent `if` branch, one per divergent loop (`while any lane is active`). Every memory
access is masked by the mask in force, so padded and finished lanes never touch memory.

Shared memory and per-thread arrays live in a per-program slice of one scratch buffer the
launcher allocates (`tl.debug_barrier()` at `__syncthreads`: correct for race-free code, since a
barrier in CUDA orders exactly those accesses).
"""

from __future__ import annotations

import keyword
import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cuport.ir import nodes as ir
from cuport.ir.types import Array, Pointer, Scalar, ScalarKind, Type, Vector, type_name
from cuport.targets.triton.types import Unsupported, elem_count, leaf_of, scalar_of, size_of, tl_dtype
from cuport.targets.triton.uniformity import Uniformity, analyse

# Python precedence levels (higher binds tighter), for parenthesising emitted expressions.
_PREC = {"|": 4, "^": 5, "&": 6, "<<": 7, ">>": 7, "+": 8, "-": 8, "*": 9, "/": 9, "//": 9, "%": 9}
_CMP_PREC = 3
_ATOM = 20
_INTERNAL = {"tl", "triton", "libdevice", "tid", "tx", "ty", "tz", "active", "scratch", "scratch_stride",
             "smem", "lmem", "BLOCK", "BLOCK_X", "BLOCK_Y", "BLOCK_Z", "WARPS"}
_BUILTIN_AXES = {"x": 0, "y": 1, "z": 2}


@cache
def math_table() -> dict[str, str]:
    data = tomllib.loads((Path(__file__).with_name("math_map.toml")).read_text("utf-8"))
    return {op: row["fn"] for op, row in data.items()}


@dataclass
class Helpers:
    """Prelude helpers a port needs (emitted once per file, only when used)."""

    used: set[str] = field(default_factory=set)


@dataclass
class LoweredKernel:
    name: str  # the jit function's name
    source: str  # the function's text
    scalar_params: tuple[str, ...]
    param_names: tuple[str, ...]
    uses_scratch: bool
    static_scratch: int  # bytes of static shared memory per program
    local_bytes: int  # bytes per thread of per-thread arrays
    min_block: int  # BLOCK must be at least this (warp operations need whole warps)
    helpers: set[str]
    rules: tuple[str, ...]
    # set by whole-kernel idioms whose programs are not CUDA blocks: how the launcher maps the
    # CUDA launch onto them (launcher.py reads it); None = one program per CUDA block
    launch: dict[str, str] | None = None


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 1

    def add(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)


class KernelLowering:
    def __init__(self, kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> None:
        self.k = kernel
        self.globals = globals_
        self.jit_name = jit_name
        self.u: Uniformity = analyse(kernel)
        self.out = _Lines()
        self.names: dict[str, str] = {}
        self.masks: list[str] = ["active"]
        self.loops: list[tuple[str, str | None]] = []  # (loop mask, continue mask)
        self.counter = 0
        self.full = True  # no lane has returned and no divergent region is open
        self.helpers: set[str] = set()
        self.static_scratch = 0
        self.local_bytes = 0
        self.min_block = 1
        self.used_axes: set[str] = set()
        self.shared: dict[str, tuple[int, Type]] = {}
        self.dynamic_shared: list[tuple[str, Type]] = []
        self.local_arrays: dict[str, tuple[int, Type]] = {}
        self.rules: list[str] = ["triton.general"]
        self.range_vars: set[str] = set()

    # --- names ----------------------------------------------------------------------------------

    def name(self, cuda_name: str) -> str:
        if cuda_name not in self.names:
            py = cuda_name
            if keyword.iskeyword(py) or py in _INTERNAL or py.startswith("_") or py in ("range", "min", "max", "abs"):
                py = py.strip("_") + "_v"
            while py in self.names.values():
                py += "_"
            self.names[cuda_name] = py
        return self.names[cuda_name]

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    @property
    def mask(self) -> str:
        return self.masks[-1]

    # --- the function -----------------------------------------------------------------------------

    def lower(self) -> LoweredKernel:
        params = []
        scalars = []
        prologue: list[str] = []
        for p in self.k.params:
            pname = self.name(p.name)
            params.append(pname)
            if isinstance(p.type, Pointer):
                continue
            st = scalar_of(p.type)
            scalars.append(pname)
            if st.kind == ScalarKind.F64:
                prologue.append(f"{pname} = tl.load({pname})  # doubles arrive as one-element tensors")
            elif st.kind not in (ScalarKind.F32, ScalarKind.I32):
                prologue.append(f"{pname} = {pname}.to({tl_dtype(st)})")
        for g in self.globals.values():
            if g.space == "constant" or g.space == "device":
                params.append(self.name(g.name))
        self.lower_body()
        body = self.out.lines
        uses_scratch = bool(self.shared or self.dynamic_shared or self.local_arrays)
        head = self.head(uses_scratch)
        sig = ", ".join(params + self.extra_params() + (["scratch", "scratch_stride"] if uses_scratch else []))
        const = self.constexprs()
        nospec = [s for s in scalars] + self.extra_params()
        if uses_scratch:
            nospec.append("scratch_stride")
        deco = f"@triton.jit(do_not_specialize={nospec!r})" if nospec else "@triton.jit"
        text = [deco, f"def {self.jit_name}({sig}, {const}):"]
        text += ["    " + h for h in prologue + head]
        text += body
        return LoweredKernel(
            name=self.jit_name,
            source="\n".join(text) + "\n",
            scalar_params=tuple(scalars),
            param_names=tuple(self.name(p.name) for p in self.k.params),
            uses_scratch=uses_scratch,
            static_scratch=self.static_scratch,
            local_bytes=self.local_bytes,
            min_block=self.min_block,
            helpers=self.helpers,
            rules=tuple(dict.fromkeys(self.rules)),
            launch=self.launch_info(),
        )

    # --- hooks a whole-kernel idiom overrides (idioms.py) --------------------------------------

    def lower_body(self) -> None:
        self.stmt_block(self.k.body)

    def extra_params(self) -> list[str]:
        return []

    def launch_info(self) -> dict[str, str] | None:
        return None

    def constexprs(self) -> str:
        const = "BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr"
        if self.local_arrays:
            const += ", LOCAL_BYTES: tl.constexpr"
        return const

    def head(self, uses_scratch: bool) -> list[str]:
        head = []
        head.append("tid = tl.arange(0, BLOCK)")
        if "x" in self.used_axes:
            head.append("tx = tid % BLOCK_X")
        if "y" in self.used_axes:
            head.append("ty = tid // BLOCK_X % BLOCK_Y")
        if "z" in self.used_axes:
            head.append("tz = tid // (BLOCK_X * BLOCK_Y)")
        head.append("active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding")
        if uses_scratch:
            head.append("program = tl.program_id(0) + tl.num_programs(0) * (tl.program_id(1) + tl.num_programs(1) * tl.program_id(2))")
            head.append("smem = scratch + program.to(tl.int64) * scratch_stride  # this block's shared memory")
            for sname, (off, t) in self.shared.items():
                head.append(f"{sname} = (smem + {off}).to(tl.pointer_type({tl_dtype(leaf_of(t))}))")
            for sname, t in self.dynamic_shared:
                head.append(f"{sname} = (smem + {self.static_scratch}).to(tl.pointer_type({tl_dtype(leaf_of(t))}))  # extern __shared__")
            if self.local_arrays:
                head.append("lmem = smem + scratch_stride - LOCAL_BYTES * BLOCK  # per-thread arrays, lane-interleaved")
                for lname, (off, t) in self.local_arrays.items():
                    head.append(f"{lname} = (lmem + {off} * BLOCK).to(tl.pointer_type({tl_dtype(leaf_of(t))}))")
        return head

    # --- statements ---------------------------------------------------------------------------------

    def stmt_block(self, b: ir.Block) -> None:
        for s in b.stmts:
            self.stmt(s)

    def stmt(self, s: ir.Stmt) -> None:
        m = getattr(self, "s_" + type(s).__name__, None)
        if m is None:
            raise Unsupported(f"statement {type(s).__name__}", s.span)
        m(s)

    def s_Block(self, s: ir.Block) -> None:
        self.stmt_block(s)

    def s_VarDecl(self, s: ir.VarDecl) -> None:
        name = self.name(s.name)
        if isinstance(s.var_type, Array):
            self._local_array(s, name)
            return
        varying = s.name in self.u.varying
        if isinstance(s.var_type, Vector):
            self._vector_decl(s, name, s.var_type, varying)
            return
        if s.init is None:
            self.out.add(f"{name} = {self.zeros(s.var_type, varying)}")
            return
        value = self.value(s.init)
        self.out.add(f"{name} = {self.materialise(value, s.init, s.var_type, varying)}")

    def _local_array(self, s: ir.VarDecl, name: str) -> None:
        t = s.var_type
        if not isinstance(t, Array) or t.size is None:
            raise Unsupported("a per-thread array without a size", s.span)
        off = self.local_bytes
        align = size_of(leaf_of(t))
        off = (off + align - 1) // align * align
        self.local_arrays[name] = (off, t)
        self.local_bytes = off + size_of(t)
        if s.init is not None:
            items = s.init.items if isinstance(s.init, ir.InitList) else None
            if items is None:
                raise Unsupported("a per-thread array initialised by something other than a list", s.span)
            for i, item in enumerate(items):
                self.store(f"{name} + {i} * BLOCK + tid", True, item)

    def s_SharedDecl(self, s: ir.SharedDecl) -> None:
        name = self.name(s.name)
        if s.dynamic:
            self.dynamic_shared.append((name, s.var_type))
            return
        align = max(16, size_of(leaf_of(s.var_type)))
        off = (self.static_scratch + align - 1) // align * align
        self.shared[name] = (off, s.var_type)
        self.static_scratch = off + size_of(s.var_type)

    def s_Assign(self, s: ir.Assign) -> None:
        t = s.target
        if isinstance(t.type, Vector) or _vector_lane(t) is not None:
            self._vector_assign(s)
            return
        if isinstance(t, ir.Var) and t.kind in ("local", "param"):
            name = self.name(t.name)
            if s.op:
                new = self.compound(s, self.var_value(t))
                if isinstance(t.type, Scalar) and isinstance(s.value.type, Scalar):
                    # `int i; i += blockDim.x` computes in unsigned: back to i's own type
                    new = self.cast_code(new, s.value.type, t.type)
            else:
                new = self.value(s.value)
            varying = t.name in self.u.varying
            value = self.materialise(new, s.value if not s.op else None, t.type, varying)
            if varying and not self.full:
                self.out.add(f"{name} = tl.where({self.mask}, {value}, {name})")
            else:
                self.out.add(f"{name} = {value}")
            return
        addr, varying_addr = self.address(t)
        if s.op:
            old = self.load(addr, varying_addr, t.type)
            new = self.compound(s, old)
            self.store(addr, varying_addr, None, code=self.cast_code(new, s.value.type, t.type), value_varying=True)
        else:
            self.store(addr, varying_addr, s.value, target_type=t.type)

    def compound(self, s: ir.Assign, old: tuple[str, int]) -> tuple[str, int]:
        ct = s.value.type
        op = s.op
        old_c = self.cast_code(old, s.target.type, ct) if isinstance(ct, Scalar) else old
        if isinstance(s.target.type, Pointer):
            return self.binop(op, old, self.value(s.value))
        if op == "/" and scalar_of(ct).kind.is_integer:
            op = "//"
        return self.binop(op, old_c, self.value(s.value))

    def s_ExprStmt(self, s: ir.ExprStmt) -> None:
        e = s.expr
        if isinstance(e, ir.Barrier) and e.kind in ("syncthreads", "syncwarp"):
            self.out.add("tl.debug_barrier()")
            return
        if isinstance(e, ir.Fence):
            self.out.add("tl.debug_barrier()  # __threadfence: the program's own accesses are ordered")
            return
        if isinstance(e, ir.MathCall) and e.op == "st" and len(e.args) == 2 and isinstance(e.args[0].type, Pointer):
            # __stcs/__stcg/__stwb: a plain store (cache hints have no meaning here)
            ptr, v = e.args
            self.s_Assign(ir.Assign(s.span, ir.Deref(ptr.span, ptr.type.pointee, ptr), "", v))
            return
        code, _ = self.value(e)
        self.out.add(code)

    def s_If(self, s: ir.If) -> None:
        if not self.u.expr(s.cond):
            cond, _ = self.value(s.cond)
            self.out.add(f"if {cond}:")
            self.indented(s.then)
            if s.orelse is not None:
                self.out.add("else:")
                self.indented(s.orelse)
            return
        cond, p = self.value(s.cond)
        then_m = self.fresh("m")
        else_m = self.fresh("m") if s.orelse is not None else None
        outer = self.mask
        self.out.add(f"{then_m} = {outer} & {self.paren(cond, p, 6)}")
        if else_m is not None:
            self.out.add(f"{else_m} = {outer} & ~{self.paren(cond, p, 15)}")
        self.in_mask(then_m, s.then)
        if s.orelse is not None and else_m is not None:
            self.in_mask(else_m, s.orelse)

    def indented(self, b: ir.Block) -> None:
        self.out.depth += 1
        before = len(self.out.lines)
        self.stmt_block(b)
        if len(self.out.lines) == before:
            self.out.add("pass")
        self.out.depth -= 1

    def in_mask(self, m: str, b: ir.Block) -> None:
        full = self.full
        self.full = False
        self.masks.append(m)
        self.stmt_block(b)
        self.masks.pop()
        self.full = full

    def s_For(self, s: ir.For) -> None:
        from cuport.targets.triton.idioms import LOOP_RULES

        for _, rule in LOOP_RULES:
            if rule(self, s):
                return
        for i in s.init:
            self.stmt(i)
        if self.u.loop_divergent(s):
            self.divergent_loop(s.cond, s.body, s.step, test_first=True)
            return
        if self.try_range(s):
            return
        cond = self.value(s.cond)[0] if s.cond is not None else "True"
        self.out.add(f"while {cond}:")
        self.out.depth += 1
        self.stmt_block(s.body)
        for st in s.step:
            self.stmt(st)
        self.out.depth -= 1

    def try_range(self, s: ir.For) -> bool:
        """`for (int i = a; i < b; i += c)` with i untouched in the body -> `for i in range(a, b, c)`."""
        if len(s.init) != 1 or len(s.step) != 1 or not isinstance(s.init[0], ir.VarDecl):
            return False
        decl, step, cond = s.init[0], s.step[0], s.cond
        if not (isinstance(cond, ir.Compare) and cond.op in ("<", "<=") and isinstance(cond.lhs, ir.Var)):
            return False
        if cond.lhs.name != decl.name or not (isinstance(step, ir.Assign) and step.op == "+"):
            return False
        if not (isinstance(step.target, ir.Var) and step.target.name == decl.name and isinstance(step.value, ir.IntLit)):
            return False
        if step.value.value <= 0:
            return False
        written = {n.target.name for n in ir.walk(s.body) if isinstance(n, ir.Assign) and isinstance(n.target, ir.Var)}
        read = {n.name for n in ir.walk(cond.rhs) if isinstance(n, ir.Var)}
        if decl.name in written or read & written:
            return False
        # the declaration was already emitted; range() restarts from it
        name = self.name(decl.name)
        self.range_vars.add(decl.name)
        self.out.lines.pop()
        start = self.value(decl.init)[0] if decl.init is not None else "0"
        stop, p = self.value(cond.rhs)
        if cond.op == "<=":
            stop = f"{self.paren(stop, p, 8)} + 1"
        inc = step.value.value
        self.out.add(f"for {name} in range({start}, {stop}{'' if inc == 1 else f', {inc}'}):")
        self.indented(s.body)
        return True

    def s_While(self, s: ir.While) -> None:
        if self.u.loop_divergent(s):
            self.divergent_loop(s.cond, s.body, (), test_first=True)
            return
        self.out.add(f"while {self.value(s.cond)[0]}:")
        self.indented(s.body)

    def s_DoWhile(self, s: ir.DoWhile) -> None:
        self.divergent_loop(s.cond, s.body, (), test_first=False)

    def divergent_loop(self, cond: ir.Expr | None, body: ir.Block, step: tuple[ir.Stmt, ...], *, test_first: bool) -> None:
        lm = self.fresh("loop")
        outer = self.mask
        if test_first and cond is not None:
            c, p = self.value(cond)
            self.out.add(f"{lm} = {outer} & {self.paren(c, p, 6)}")
        else:
            self.out.add(f"{lm} = {outer}")
        self.helpers.add("any")
        self.out.add(f"while _any({lm}):")
        self.out.depth += 1
        has_continue = any(isinstance(n, ir.Continue) for n in _own_stmts(body))
        cm = self.fresh("iter") if has_continue else None
        full = self.full
        self.full = False
        self.masks.append(lm)
        self.loops.append((lm, cm))
        if cm is not None:
            self.out.add(f"{cm} = {lm}")
            self.masks.append(cm)
        self.stmt_block(body)
        if cm is not None:
            self.masks.pop()
        for st in step:
            self.stmt(st)
        if cond is not None:
            c, p = self.value(cond)
            self.out.add(f"{lm} = {lm} & {self.paren(c, p, 6)}")
        self.loops.pop()
        self.masks.pop()
        self.full = full
        self.out.depth -= 1

    def _narrow_from(self, base: str) -> None:
        """After `base` lost lanes, every mask opened inside it loses them too."""
        idx = self.masks.index(base)
        for m in self.masks[idx + 1 :]:
            self.out.add(f"{m} = {m} & {base}")

    def s_Break(self, s: ir.Break) -> None:
        if not self.loops:
            raise Unsupported("break outside a loop (switch)", s.span)
        lm, _ = self.loops[-1]
        self.out.add(f"{lm} = {lm} & ~{self.mask}  # break")
        self._narrow_from(lm)

    def s_Continue(self, s: ir.Continue) -> None:
        _, cm = self.loops[-1]
        assert cm is not None
        self.out.add(f"{cm} = {cm} & ~{self.mask}  # continue")
        self._narrow_from(cm)

    def s_Return(self, s: ir.Return) -> None:
        if self.mask == "active":
            self.out.add("active = active & (tid < 0)  # return")
        else:
            self.out.add(f"active = active & ~{self.mask}  # return")
        self._narrow_from("active")
        self.full = False

    # --- memory ---------------------------------------------------------------------------------------

    def address(self, e: ir.Expr) -> tuple[str, bool]:
        """Code of a pointer to the lvalue `e`, and whether it differs by lane."""
        if isinstance(e, ir.Index):
            base = e.base
            idx, ip = self.value(e.index)
            if isinstance(base, ir.Var) and self.name(base.name) in self.local_arrays:
                return f"{self.name(base.name)} + {self.paren(idx, ip, 9)} * BLOCK + tid", True
            if isinstance(base.type, Array):
                b, bv = self.array_base(base)
                n = elem_count(base.type.elem)
                off = self.paren(idx, ip, 9) if n == 1 else f"{self.paren(idx, ip, 9)} * {n}"
                return f"{b} + {off}", bv or self.u.expr(e.index)
            b, bp = self.value(base)
            return f"{self.paren(b, bp, 8)} + {self.paren(idx, ip, 9)}", self.u.expr(e)
        if isinstance(e, ir.Deref):
            p, pp = self.value(e.ptr)
            return p, self.u.expr(e.ptr)
        if isinstance(e, ir.Var) and e.kind in ("constant", "global") and not isinstance(e.type, Array):
            return self.name(e.name), False
        if isinstance(e, ir.Member):
            raise Unsupported("vector lanes and struct fields (float4, half2, structs)", e.span)
        raise Unsupported(f"address of {type(e).__name__}", e.span)

    def array_base(self, e: ir.Expr) -> tuple[str, bool]:
        """Pointer to the first scalar of an array-typed expression."""
        if isinstance(e, ir.Var):
            n = self.name(e.name)
            if n in self.local_arrays:
                raise Unsupported("a per-thread array used as a pointer", e.span)
            return n, False
        if isinstance(e, ir.Index) and isinstance(e.base.type, Array):
            b, bv = self.array_base(e.base)
            idx, ip = self.value(e.index)
            return f"{b} + {self.paren(idx, ip, 9)} * {elem_count(e.base.type.elem)}", bv or self.u.expr(e.index)
        raise Unsupported(f"array expression {type(e).__name__}", e.span)

    def load(self, addr: str, varying: bool, t: Type) -> tuple[str, int]:
        if varying:
            return f"tl.load({addr}, mask={self.mask})", _ATOM
        if self.full:
            return f"tl.load({addr})", _ATOM
        self.helpers.add("any")
        return f"tl.load({addr}, mask=_any({self.mask}))", _ATOM

    def store(self, addr: str, varying_addr: bool, value: ir.Expr | None, *, code: tuple[str, int] | None = None,
              value_varying: bool | None = None, target_type: Type | None = None) -> None:
        if code is None:
            assert value is not None
            code = self.value(value)
            if target_type is not None and value.type != target_type:
                code = self.cast_code(code, value.type, target_type)
        vv = value_varying if value_varying is not None else (value is not None and self.u.expr(value))
        if varying_addr or vv or not self.full:
            if not varying_addr:
                addr = f"{self.paren(addr, 8, 8)} + tl.zeros([BLOCK], tl.int32)  # one address, the masked lanes store"
                self.out.add(f"tl.store({addr.split('  #')[0]}, {code[0]}, mask={self.mask})  #{addr.split('  #')[1]}")
                return
            self.out.add(f"tl.store({addr}, {code[0]}, mask={self.mask})")
        else:
            self.out.add(f"tl.store({addr}, {code[0]})")

    # --- expressions -------------------------------------------------------------------------------------

    def paren(self, code: str, prec: int, need: int) -> str:
        return code if prec >= need else f"({code})"

    def binop(self, op: str, a: tuple[str, int], b: tuple[str, int]) -> tuple[str, int]:
        p = _PREC[op]
        return f"{self.paren(a[0], a[1], p)} {op} {self.paren(b[0], b[1], p + 1)}", p

    def var_value(self, e: ir.Var) -> tuple[str, int]:
        return self.name(e.name), _ATOM

    def zeros(self, t: Type, varying: bool) -> str:
        if isinstance(t, Pointer):
            # an uninitialised pointer's value is indeterminate in C++ (reading it is undefined),
            # but Triton needs a typed value to merge branch assignments into: any pointer will do
            base = next((self.name(p.name) for p in self.k.params if isinstance(p.type, Pointer)), None)
            if base is None or isinstance(t.pointee, Pointer | Vector) or not isinstance(t.pointee, Scalar):
                raise Unsupported("a pointer variable declared without a value")
            typed = f"{base}.to({tl_dtype(t)})"
            return f"{typed} + tl.zeros([BLOCK], tl.int32)" if varying else typed
        shape = "[BLOCK]" if varying else "[]"
        return f"tl.zeros({shape}, {tl_dtype(t)})"

    def materialise(self, code: tuple[str, int], e: ir.Expr | None, t: Type, varying: bool) -> str:
        """A value of exactly the variable's type and shape (Triton loops need stable types)."""
        if isinstance(t, Pointer):
            if varying and e is not None and not self.u.expr(e):
                return f"{self.paren(code[0], code[1], 8)} + tl.zeros([BLOCK], tl.int32)"
            return code[0]
        literal = e is not None and isinstance(e, ir.IntLit | ir.FloatLit | ir.BoolLit) or (
            isinstance(e, ir.Cast) and isinstance(e.operand, ir.IntLit | ir.FloatLit)
        )
        if literal or (e is not None and varying and not self.u.expr(e)):
            shape = "[BLOCK]" if varying else "[]"
            return f"tl.full({shape}, {code[0]}, {tl_dtype(t)})"
        return code[0]

    def value(self, e: ir.Expr) -> tuple[str, int]:
        m = getattr(self, "e_" + type(e).__name__, None)
        if m is None:
            raise Unsupported(f"expression {type(e).__name__}", e.span)
        return m(e)

    def e_IntLit(self, e: ir.IntLit) -> tuple[str, int]:
        return str(e.value), (_ATOM if e.value >= 0 else 10)

    def e_FloatLit(self, e: ir.FloatLit) -> tuple[str, int]:
        v = e.value
        if math.isinf(v):
            return ('float("inf")' if v > 0 else '-float("inf")'), (_ATOM if v > 0 else 10)
        if math.isnan(v):
            return 'float("nan")', _ATOM
        return repr(float(v)), (_ATOM if v >= 0 else 10)

    def e_BoolLit(self, e: ir.BoolLit) -> tuple[str, int]:
        return ("True" if e.value else "False"), _ATOM

    def e_Var(self, e: ir.Var) -> tuple[str, int]:
        if self.name(e.name) in self.local_arrays:  # lanes interleave its elements: no flat pointer to it
            raise Unsupported("a per-thread array used as a pointer", e.span)
        if e.kind == "shared" or isinstance(e.type, Array):
            return self.name(e.name), _ATOM
        if e.kind in ("constant", "global"):
            return f"tl.load({self.name(e.name)})", _ATOM
        return self.name(e.name), _ATOM

    def e_Unary(self, e: ir.Unary) -> tuple[str, int]:
        v, p = self.value(e.operand)
        if e.op == "!":
            return f"{self.paren(v, p, _CMP_PREC + 1)} == 0", _CMP_PREC
        if e.op == "+":
            return v, p
        return f"{e.op}{self.paren(v, p, 10)}", 10

    def e_Binary(self, e: ir.Binary) -> tuple[str, int]:
        op = e.op
        if op == "/" and scalar_of(e.type).kind.is_integer:
            op = "//"
        literal = any(isinstance(_strip_casts(x), ir.IntLit) for x in (e.lhs, e.rhs))  # adapts to the other side
        if op in ("//", "%") and scalar_of(e.type).kind.is_integer and not literal:
            # Triton refuses / and % across signedness: thread and block indices are emitted as
            # int32 (CUDA: unsigned), so convert them to the operation's type as C's usual
            # arithmetic conversions do
            return self.binop(op, self._as_int(e.lhs, e.type), self._as_int(e.rhs, e.type))
        return self.binop(op, self.value(e.lhs), self.value(e.rhs))

    def _as_int(self, e: ir.Expr, t: Type) -> tuple[str, int]:
        code = self.value(e)
        if isinstance(e, ir.IntLit) or not _small_builtin(e):
            return code
        return self.cast_code(code, Scalar(ScalarKind.I32), t, _constexpr(e))

    def e_Compare(self, e: ir.Compare) -> tuple[str, int]:
        for ptr, other in ((e.lhs, e.rhs), (e.rhs, e.lhs)):
            null = _strip_casts(other)
            if isinstance(ptr.type, Pointer) and isinstance(null, ir.IntLit) and null.value == 0 and e.op in ("==", "!="):
                # `p != nullptr`: Triton has no null pointer constant; compare the address as an integer
                p, pp = self.value(ptr)
                return f"{self.paren(p, pp, _ATOM)}.to(tl.int64) {e.op} 0", _CMP_PREC
        a, ap = self.value(e.lhs)
        b, bp = self.value(e.rhs)
        return f"{self.paren(a, ap, _CMP_PREC + 1)} {e.op} {self.paren(b, bp, _CMP_PREC + 1)}", _CMP_PREC

    def e_Logical(self, e: ir.Logical) -> tuple[str, int]:
        a = self.value(e.lhs)
        b = self.guarded(e.rhs, a, negate=e.op == "||")
        op = "&" if e.op == "&&" else "|"
        lv, rv = self.u.expr(e.lhs), self.u.expr(e.rhs)
        if lv != rv:
            # a lane vector & a scalar bool: the interpreter broadcasts the scalar to int32 and
            # the result is no longer a valid mask; tl.where keeps it boolean (same on a GPU)
            (u, _), (v, _) = (b, a) if lv else (a, b)
            return (f"tl.where({u}, {v}, False)" if op == "&" else f"tl.where({u}, True, {v})"), _ATOM
        return self.binop(op, a, b)

    def guarded(self, e: ir.Expr, cond: tuple[str, int], *, negate: bool) -> tuple[str, int]:
        """`e` evaluated only where `cond` (or its negation) holds, when `e` reads memory."""
        if not any(isinstance(n, ir.Index | ir.Deref | ir.Atomic) for n in ir.walk(e)):
            return self.value(e)
        m = self.fresh("m")
        c = self.paren(cond[0], cond[1], 15 if negate else 6)
        self.out.add(f"{m} = {self.mask} & {'~' if negate else ''}{c}")
        full = self.full
        self.full = False
        self.masks.append(m)
        try:
            return self.value(e)
        finally:
            self.masks.pop()
            self.full = full

    def e_Select(self, e: ir.Select) -> tuple[str, int]:
        c = self.value(e.cond)
        a = self.guarded(e.if_true, c, negate=False)
        b = self.guarded(e.if_false, c, negate=True)
        return f"tl.where({c[0]}, {a[0]}, {b[0]})", _ATOM

    def cast_code(self, code: tuple[str, int], src: Type, dst: Type, constant: bool = False) -> tuple[str, int]:
        if src == dst:
            return code
        if isinstance(dst, Pointer):
            return f"{self.paren(code[0], code[1], _ATOM)}.to({tl_dtype(dst)})", _ATOM
        ds = scalar_of(dst)
        if ds.kind == ScalarKind.BOOL:
            return f"{self.paren(code[0], code[1], _CMP_PREC + 1)} != 0", _CMP_PREC
        if constant and ds.kind == ScalarKind.F64:
            return f"tl.full([], {code[0]}, tl.float64)", _ATOM  # tl.cast would round through fp32
        if constant:
            return f"tl.cast({code[0]}, {tl_dtype(dst)})", _ATOM  # constexprs have no .to()
        return f"{self.paren(code[0], code[1], _ATOM)}.to({tl_dtype(dst)})", _ATOM

    def e_Cast(self, e: ir.Cast) -> tuple[str, int]:
        o = e.operand
        if isinstance(e.type, Pointer) and isinstance(o.type, Pointer) and _lane_type(e.type.pointee) == _lane_type(o.type.pointee):
            return self.value(o)  # float* <-> float4*: both point at floats here
        if isinstance(e.type, Pointer) and isinstance(o.type, Pointer) and Vector in (type(e.type.pointee), type(o.type.pointee)):
            raise Unsupported(f"a pointer cast from {type_name(o.type)} to {type_name(e.type)}: vectors are scalarised "
                              "into lanes of their own type, so their bits cannot be read as another type", e.span)
        if isinstance(e.type, Vector):
            raise Unsupported("a vector value used as a whole (only lanes, loads, stores and make_* are scalarised)", e.span)
        if isinstance(o, ir.IntLit) and isinstance(e.type, Scalar):
            if e.type.kind.is_float:
                return repr(float(o.value)), (_ATOM if o.value >= 0 else 10)
            if e.type.kind != ScalarKind.BOOL:
                return self.value(o)
        if isinstance(o, ir.FloatLit) and isinstance(e.type, Scalar) and e.type.kind.is_float:
            return self.value(o)
        if _small_builtin(o) and isinstance(e.type, Scalar) and e.type.kind in (ScalarKind.I32, ScalarKind.U32):
            return self.value(o)  # block and thread indices are small: i32 and u32 agree
        # range() counters are Python ints under the interpreter: tl.cast works on both
        loose = _constexpr(o) or any(isinstance(n, ir.Var) and n.name in self.range_vars for n in ir.walk(o))
        return self.cast_code(self.value(o), o.type, e.type, loose)

    def e_Index(self, e: ir.Index) -> tuple[str, int]:
        if isinstance(e.type, Array):
            return self.array_base(e)[0], 8
        addr, varying = self.address(e)
        return self.load(addr, varying, e.type)

    def e_Deref(self, e: ir.Deref) -> tuple[str, int]:
        addr, varying = self.address(e)
        return self.load(addr, varying, e.type)

    def e_PtrAdd(self, e: ir.PtrAdd) -> tuple[str, int]:
        if isinstance(e.ptr.type, Array):
            base = (self.array_base(e.ptr)[0], 8)
        else:
            base = self.value(e.ptr)
        off = self.value(e.offset)
        if isinstance(e.ptr.type, Pointer) and isinstance(e.ptr.type.pointee, Vector):
            off = self.binop("*", off, (str(e.ptr.type.pointee.count), _ATOM))  # pointers are to the lanes
        return self.binop(e.op, base, off)

    def e_AddrOf(self, e: ir.AddrOf) -> tuple[str, int]:
        addr, _ = self.address(e.operand)
        return addr, 8

    def e_MathCall(self, e: ir.MathCall) -> tuple[str, int]:
        if e.op == "ldg":
            return self.value(ir.Deref(e.span, e.type, e.args[0]))
        if e.op in ("div", "add", "sub", "mul"):
            op = {"div": "/", "add": "+", "sub": "-", "mul": "*"}[e.op]
            return self.binop(op, self.value(e.args[0]), self.value(e.args[1]))
        if e.op in ("rcp",):
            return self.binop("/", ("1.0", _ATOM), self.value(e.args[0]))
        mode = e.name[-3:] if e.name[-3:] in ("_rn", "_rz", "_ru", "_rd") else None
        if e.op == "f2i" and mode is not None:
            # `.to(int)` truncates: round in the float type first as the spelling says
            a = e.args[0]
            op = {"_rn": "rint", "_rz": "trunc", "_ru": "ceil", "_rd": "floor"}[mode]
            rounded = ir.MathCall(e.span, a.type, op, op, (a,))
            return self.cast_code(self.value(rounded), a.type, e.type)
        if e.op in ("i2f", "f2f") and mode not in (None, "_rn"):
            raise Unsupported(f"{e.name}: Triton has no directed rounding for this conversion", e.span)
        if e.op in ("h2f", "f2h", "bf2f", "f2bf", "f2f", "i2f", "f2i"):
            return self.cast_code(self.value(e.args[0]), e.args[0].type, e.type)
        if e.op == "signbit":
            # the sign bit itself (true for -0.0 and negative NaNs too), as the same-width integer's sign
            bits = {ScalarKind.F16: "tl.int16", ScalarKind.F32: "tl.int32", ScalarKind.F64: "tl.int64"}.get(scalar_of(e.args[0].type).kind)
            if bits is None:
                raise Unsupported(f"signbit of {e.args[0].type}", e.span)
            v, vp = self.value(e.args[0])
            return f"{self.paren(v, vp, _ATOM)}.to({bits}, bitcast=True) < 0", _CMP_PREC
        if e.op == "saturate":
            v = self.value(e.args[0])[0]
            return f"tl.minimum(tl.maximum({v}, 0.0), 1.0)", _ATOM
        if e.op == "bitcast":
            return self.bitcast(e)
        if m := _SIMD_PICK.fullmatch(e.op):
            u32 = Scalar(ScalarKind.U32)
            a, b = (self.cast_code(self.value(x), x.type, u32, _constexpr(x))[0] for x in e.args)
            if not any(self.u.expr(x) for x in e.args):
                a = f"({a}) + tl.zeros([], tl.uint32)"  # a Python int has no bits to shift
            self.helpers.add("simd")
            return f"_simd_pick({a}, {b}, {m[3]}, {m[2] == 's'}, {m[1] == 'max'})", _ATOM
        if e.op in _HALF_COMPARE:
            return self.half_compare(e)
        if e.op == "neg" and len(e.args) == 1:
            v, vp = self.value(e.args[0])
            return f"-{self.paren(v, vp, 10)}", 10
        if e.op in ("low", "high", "low_f32", "high_f32") and len(e.args) == 1:
            lane = self.vector_lane(e.args[0], 0 if e.op.startswith("low") else 1)
            src = e.args[0].type
            assert isinstance(src, Vector)
            return self.cast_code(lane, src.elem, e.type)
        fn = math_table().get(e.op)
        if fn is None:
            raise Unsupported(f"math function {e.name} has no Triton form", e.span)
        if _half_kind(e.type) and fn not in _HALF_NATIVE and all(a.type == e.type for a in e.args):
            # hsqrt, hexp ...: computed in float and rounded to half once, like the CUDA runtime;
            # (for sqrt that is the correctly rounded half result: 24 >= 2 * 11 + 2 bits)
            f32 = Scalar(ScalarKind.F32)
            wide = tuple(ir.Cast(a.span, f32, a) for a in e.args)
            return self.value(ir.Cast(e.span, e.type, ir.MathCall(e.span, f32, e.op, e.name, wide)))
        if fn.endswith("_rn") and any(scalar_of(a.type).kind == ScalarKind.F64 for a in e.args if isinstance(a.type, Scalar)):
            fn = fn[: -len("_rn")]  # the _rn forms take fp32 only; fp64 sqrt is correctly rounded already
        if fn.startswith("libdevice."):
            self.helpers.add("libdevice")
        args = [self.math_arg(a) for a in e.args]
        if fn.startswith("libdevice.") and args and not any(self.u.expr(a) for a in e.args) and isinstance(e.args[0].type, Scalar):
            # all-uniform arguments may be plain Python numbers under the interpreter, whose
            # libdevice stand-ins need a tensor: add a typed identity (-0.0 keeps the sign of zero)
            t = e.args[0].type
            zero = "-0.0" if t.kind.is_float else "0"
            args[0] = f"{args[0]} + tl.full([], {zero}, {tl_dtype(t)})"
        return f"{fn}({', '.join(args)})", _ATOM

    def bitcast(self, e: ir.MathCall) -> tuple[str, int]:
        """`__int_as_float` and friends: the same bits read as another type of the same width."""
        (a,) = e.args
        src, dst = scalar_of(a.type), scalar_of(e.type)
        if src.kind.bits != dst.kind.bits:
            raise Unsupported(f"{e.name}: a bit cast between types of different widths", e.span)
        code = self.value(a)
        if _constexpr(a) or any(isinstance(n, ir.Var) and n.name in self.range_vars for n in ir.walk(a)):
            # a Python number under Triton has no bits of its own: give it the source type first
            code = f"tl.full([], {code[0]}, {tl_dtype(src)})", _ATOM
        return f"{self.paren(code[0], code[1], _ATOM)}.to({tl_dtype(dst)}, bitcast=True)", _ATOM

    def half_compare(self, e: ir.MathCall) -> tuple[str, int]:
        """`__hgt` (a bool) and the lanes of `__hgt2` (1.0 where it holds, else 0.0). CUDA's
        ordered comparisons are false on NaN, `__hne` included (Python's != is not)."""
        a, b = (self.value(x) for x in e.args)
        pa, pb = self.paren(a[0], a[1], _CMP_PREC + 1), self.paren(b[0], b[1], _CMP_PREC + 1)
        if e.op == "ne":
            cmp = f"({pa} < {pb}) | ({pa} > {pb})"
        else:
            cmp = f"{pa} {_HALF_COMPARE[e.op]} {pb}"
        if isinstance(e.type, Scalar) and e.type.kind == ScalarKind.BOOL:
            return cmp, (_CMP_PREC if e.op != "ne" else 4)
        return f"tl.where({cmp}, 1.0, 0.0).to({tl_dtype(e.type)})", _ATOM

    def math_arg(self, a: ir.Expr) -> str:
        """A math function's argument; a double constant is made an fp64 value, since a Python
        float is fp32 to Triton and libdevice wants every argument of one type."""
        code = self.value(a)
        if _constexpr(a) and isinstance(a.type, Scalar) and a.type.kind == ScalarKind.F64:
            return f"tl.full([], {code[0]}, tl.float64)"  # tl.cast would round through fp32
        return code[0]

    def e_ThreadIdx(self, e: ir.ThreadIdx) -> tuple[str, int]:
        self.used_axes.add(e.axis)
        return "t" + e.axis, _ATOM

    def e_BlockIdx(self, e: ir.BlockIdx) -> tuple[str, int]:
        return f"tl.program_id({_BUILTIN_AXES[e.axis]})", _ATOM

    def e_BlockDim(self, e: ir.BlockDim) -> tuple[str, int]:
        return f"BLOCK_{e.axis.upper()}", _ATOM

    def e_GridDim(self, e: ir.GridDim) -> tuple[str, int]:
        return f"tl.num_programs({_BUILTIN_AXES[e.axis]})", _ATOM

    def e_WarpSize(self, e: ir.WarpSize) -> tuple[str, int]:
        return "32", _ATOM

    def e_Barrier(self, e: ir.Barrier) -> tuple[str, int]:
        if e.kind in ("syncthreads", "syncwarp"):
            raise Unsupported("a barrier used as a value", e.span)
        assert e.pred is not None
        p, pp = self.value(e.pred)
        self.out.add("tl.debug_barrier()")
        votes = f"({self.mask} & {self.paren(p, pp, 7)}).to(tl.int32)"
        if e.kind == "count":
            return f"tl.sum({votes}, 0)", _ATOM
        if e.kind == "and":
            return f"tl.min(tl.where({self.mask}, {self.paren(p, pp, 7)}, True).to(tl.int32), 0)", _ATOM
        return f"tl.max({votes}, 0)", _ATOM

    def e_Atomic(self, e: ir.Atomic) -> tuple[str, int]:
        if not isinstance(e.type, Scalar):  # atomicAdd on __half2: Triton atomics take one scalar per lane
            raise Unsupported(f"atomic {e.op} on {e.type}: Triton has no paired-lane atomic", e.span)
        if e.op == "cas":
            return self.atomic_cas(e)
        ptr, pp = self.value(e.ptr)
        varying = self.u.expr(e.ptr)
        val, vp = self.value(e.value)
        if not varying:
            ptr = f"{self.paren(ptr, pp, 8)} + tl.zeros([BLOCK], tl.int32)"
        fn = {"add": "tl.atomic_add", "sub": "tl.atomic_add", "exch": "tl.atomic_xchg", "min": "tl.atomic_min",
              "max": "tl.atomic_max", "and": "tl.atomic_and", "or": "tl.atomic_or", "xor": "tl.atomic_xor"}.get(e.op)
        if e.op == "sub":
            val, vp = f"-{self.paren(val, vp, 10)}", 10
        if fn is None:
            raise Unsupported(f"atomic {e.op} has no Triton form", e.span)
        if not self.u.expr(e.value):
            val = f"tl.full([BLOCK], {val}, {tl_dtype(e.value.type)})"
        return f"{fn}({ptr}, {val}, mask={self.mask}, sem='relaxed')", _ATOM

    def atomic_cas(self, e: ir.Atomic) -> tuple[str, int]:
        """atomicCAS. tl.atomic_cas takes no mask, so lanes outside the mask are made harmless:
        they offer `compare` as the new value (where memory holds it they write it back
        unchanged, atomically) at the address of an active lane (theirs may be meaningless,
        `if (i < n) atomicCAS(p + i, ...)`); the call runs only while some lane is active."""
        assert e.compare is not None
        dtype = tl_dtype(e.type)
        ptr, pp = self.value(e.ptr)
        cmp, val = (self.value(x)[0] for x in (e.compare, e.value))
        cmp = f"tl.full([BLOCK], {cmp}, {dtype})" if not self.u.expr(e.compare) else f"({cmp}).to({dtype})"
        val = f"tl.where({self.mask}, {val}, {cmp}).to({dtype})"
        old, at = self.fresh("cas"), self.fresh("addr")
        self.helpers.add("any")
        self.out.add(f"{old} = tl.zeros([BLOCK], {dtype})")
        self.out.add(f"if _any({self.mask}):")
        self.out.add(f"    {at} = {self.paren(ptr, pp, 8)} + tl.zeros([BLOCK], tl.int32)")
        self.out.add(f"    {at}_bytes = {at}.to(tl.int64)")
        self.out.add(f"    {at}_live = tl.min(tl.where({self.mask}, {at}_bytes, 9223372036854775807), 0)")
        self.out.add(f"    {at} = {at} + tl.where({self.mask}, 0, ({at}_live - {at}_bytes) // {size_of(e.type)})")
        self.out.add(f"    {old} = tl.atomic_cas({at}, {cmp}, {val}, sem='relaxed')")
        return old, _ATOM

    def e_WarpShuffle(self, e: ir.WarpShuffle) -> tuple[str, int]:
        self.min_block = max(self.min_block, 32)
        self.helpers.add("shfl")
        v = self.value(e.value)[0]
        lane = self.value(e.lane)[0]
        width = self.value(e.width)[0] if e.width is not None else "32"
        if not self.u.expr(e.value):
            v = f"tl.full([BLOCK], {v}, {tl_dtype(e.value.type)})"
        return f"_shfl_{e.kind}({v}, {lane}, {width}, tid)", _ATOM

    def e_WarpVote(self, e: ir.WarpVote) -> tuple[str, int]:
        self.min_block = max(self.min_block, 32)
        self.helpers.add("vote")
        if e.kind == "activemask":
            return f"_ballot({self.mask}, BLOCK)", _ATOM
        assert e.pred is not None
        p, pp = self.value(e.pred)
        pred = f"{self.mask} & {self.paren(p, pp, 7)}"
        if e.kind == "ballot":
            return f"_ballot({pred}, BLOCK)", _ATOM
        if e.kind == "any":
            return f"_ballot({pred}, BLOCK) != 0", _CMP_PREC
        if e.kind == "all":
            return f"_ballot({self.mask} & ~{self.paren(p, pp, 15)}, BLOCK) == 0", _CMP_PREC
        raise Unsupported(f"warp vote {e.kind}", e.span)

    def e_WarpReduce(self, e: ir.WarpReduce) -> tuple[str, int]:
        self.min_block = max(self.min_block, 32)
        self.helpers.add("vote")
        v = self.value(e.value)[0]
        if e.op not in ("add", "min", "max"):
            raise Unsupported(f"warp reduce {e.op}", e.span)
        return f"_warp_{e.op}(tl.where({self.mask}, {v}, 0), BLOCK)", _ATOM

    def e_Call(self, e: ir.Call) -> tuple[str, int]:
        raise Unsupported(f"call of device function {e.callee} (only single-return helpers are inlined)", e.span)

    def e_Member(self, e: ir.Member) -> tuple[str, int]:
        lane = _vector_lane(e)
        if lane is None:
            raise Unsupported("vector lanes and struct fields (float4, half2, structs)", e.span)
        return self.vector_lane(e.base, lane)

    def e_MakeVector(self, e: ir.MakeVector) -> tuple[str, int]:
        raise Unsupported("a vector value used as a whole (only lanes, loads, stores and make_* are scalarised)", e.span)

    # --- vector types: scalarised into one value per lane (v.x -> v_x; a float4 load -> 4 loads) --

    def _vector_decl(self, s: ir.VarDecl, name: str, t: Vector, varying: bool) -> None:
        for j in range(t.count):
            lane = f"{name}_{_LANES[j]}"
            if s.init is None:
                self.out.add(f"{lane} = {self.zeros(t.elem, varying)}")
                continue
            code = self.cast_code(self.vector_lane(s.init, j), t.elem, t.elem)
            self.out.add(f"{lane} = {self.materialise(code, s.init, t.elem, varying)}")

    def _vector_assign(self, s: ir.Assign) -> None:
        t = s.target
        lane = _vector_lane(t)
        if lane is not None and isinstance(t, ir.Member):
            base = t.base
            if not (isinstance(base, ir.Var) and base.kind == "local"):
                raise Unsupported("a store to one lane of a vector in memory", s.span)
            targets = [(lane, f"{self.name(base.name)}_{_LANES[lane]}")]
            varying = base.name in self.u.varying
            values = [self._lane_update(s, t, lane)]
            vtype: Type = t.type
        else:
            vt = t.type
            assert isinstance(vt, Vector)
            if s.op:
                raise Unsupported(f"compound assignment {s.op}= on a whole vector", s.span)
            values = [self.vector_lane(s.value, j) for j in range(vt.count)]
            vtype = vt.elem
            if isinstance(t, ir.Var) and t.kind == "local":
                targets = [(j, f"{self.name(t.name)}_{_LANES[j]}") for j in range(vt.count)]
                varying = t.name in self.u.varying
            else:
                addr, varying_addr = self.vector_address(t)
                vv = self.u.expr(s.value)
                for j, code in enumerate(values):
                    self.store(_plus(addr, j), varying_addr, None, code=code, value_varying=vv)
                return
        for (_, name), code in zip(targets, values, strict=True):
            value = self.materialise(code, None if s.op else s.value, vtype, varying)
            if varying and not self.full:
                self.out.add(f"{name} = tl.where({self.mask}, {value}, {name})")
            else:
                self.out.add(f"{name} = {value}")

    def _lane_update(self, s: ir.Assign, target: ir.Member, lane: int) -> tuple[str, int]:
        if not s.op:
            return self.cast_code(self.value(s.value), s.value.type, target.type)
        old = self.vector_lane(target.base, lane)
        return self.compound(s, old)

    def vector_math_lane(self, e: ir.MathCall, vt: Vector, j: int) -> tuple[str, int]:
        """Lane j of a lane-wise vector conversion: `__half22float2`, `__float22half2_rn` (one
        vector of the same width) and `__floats2half2_rn` (one scalar per lane). Each lane is the
        scalar conversion, rounding to nearest even like CUDA."""
        args = e.args
        if e.op in ("h2f", "f2h") and len(args) == 1 and isinstance(args[0].type, Vector) \
                and args[0].type.count == vt.count:
            src = args[0].type
            return self.cast_code(self.vector_lane(args[0], j), src.elem, vt.elem)
        scalars = all(not isinstance(a.type, Vector) for a in args)
        if (e.op == "pack2" and len(args) == vt.count or e.op == "splat" and len(args) == 1) and scalars:
            a = args[j if e.op == "pack2" else 0]
            return self.cast_code(self.value(a), a.type, vt.elem, _constexpr(a))
        if e.op in _LANE_PICKS and all(_same_vector(a.type, vt) for a in args):
            arg, lane = _LANE_PICKS[e.op][j]
            return self.vector_lane(args[arg], lane)
        if args and all(_same_vector(a.type, vt) for a in args) and e.op not in _NOT_LANEWISE:
            # a lane-wise operation (__hadd2, __hgt2, h2exp ...): the scalar operation on lane j
            lanes = tuple(ir.Member(a.span, vt.elem, a, _LANES[j]) for a in args)
            return self.value(ir.MathCall(e.span, vt.elem, e.op, e.name, lanes))
        raise Unsupported(f"vector-typed math function {e.name} has no Triton form", e.span)

    def vector_address(self, e: ir.Expr) -> tuple[str, bool]:
        """Pointer to lane 0 of a vector lvalue in memory (lanes follow at +1, +2, ...)."""
        vt = e.type
        assert isinstance(vt, Vector)
        if isinstance(e, ir.Index) and isinstance(e.base.type, Pointer):
            b, bp = self.value(e.base)
            idx, ip = self.value(e.index)
            return f"{self.paren(b, bp, 8)} + {self.paren(idx, ip, 9)} * {vt.count}", self.u.expr(e)
        if isinstance(e, ir.Deref):
            p, pp = self.value(e.ptr)
            return self.paren(p, pp, 8), self.u.expr(e.ptr)
        raise Unsupported(f"a vector in {type(e).__name__} (only pointers to vectors are scalarised)", e.span)

    def vector_lane(self, e: ir.Expr, j: int) -> tuple[str, int]:
        """Lane j of a vector-typed expression."""
        vt = e.type
        if not isinstance(vt, Vector) or j >= vt.count:
            raise Unsupported(f"lane {j} of a value of type {vt}", e.span)
        if isinstance(e, ir.MakeVector) and len(e.args) == vt.count:
            a = e.args[j]
            return self.cast_code(self.value(a), a.type, vt.elem)
        if isinstance(e, ir.Var) and e.kind == "local":
            return f"{self.name(e.name)}_{_LANES[j]}", _ATOM
        if isinstance(e, ir.Cast) and e.operand.type == vt:
            return self.vector_lane(e.operand, j)
        if isinstance(e, ir.Index | ir.Deref):
            addr, varying = self.vector_address(e)
            return self.load(_plus(addr, j), varying, vt.elem)
        if isinstance(e, ir.MathCall):
            return self.vector_math_lane(e, vt, j)
        if isinstance(e, ir.Select):
            # `c ? v : w` lane by lane: the condition is read once per lane, so it must not act
            if any(isinstance(n, _ACTING) for n in ir.walk(e.cond)):
                raise Unsupported("a vector ?: whose condition has side effects", e.span)
            arms = (ir.Member(a.span, vt.elem, a, _LANES[j]) for a in (e.if_true, e.if_false))
            return self.value(ir.Select(e.span, vt.elem, e.cond, *arms))
        raise Unsupported(f"a vector value from {type(e).__name__} (only locals, loads and make_* are scalarised)", e.span)


_LANES = "xyzw"
_HALF_COMPARE = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
# two-lane permutations: lane j of the result is lane `lane` of argument `arg`
_LANE_PICKS = {
    "lows": ((0, 0), (1, 0)), "highs": ((0, 1), (1, 1)), "swap_lanes": ((0, 1), (0, 0)),
    "splat_low": ((0, 0), (0, 0)), "splat_high": ((0, 1), (0, 1)),
}
# vector-typed ops whose lane j is not the scalar op on lane j of each argument
_NOT_LANEWISE = {"splat", "pack2", "low", "high", "low_f32", "high_f32", "bitcast", *_LANE_PICKS}


def _vector_lane(e: ir.Expr) -> int | None:
    """The lane number of `v.x` ... `v.w` on a vector value, else None."""
    if isinstance(e, ir.Member) and not e.arrow and isinstance(e.base.type, Vector) and e.name in _LANES:
        return _LANES.index(e.name)
    return None


_SIMD_PICK = re.compile(r"v(max|min)([su])([24])")
# nodes that do something besides giving a value (reading them twice would do it twice)
_ACTING = (ir.Atomic, ir.Call, ir.Barrier, ir.Printf, ir.Assert, ir.WarpShuffle, ir.WarpVote, ir.WarpReduce)
# math functions Triton computes on half values directly (exact: they pick or negate)
_HALF_NATIVE = {"tl.minimum", "tl.maximum", "tl.abs"}


def _half_kind(t: Type) -> bool:
    return isinstance(t, Scalar) and t.kind in (ScalarKind.F16, ScalarKind.BF16)


def _same_vector(t: Type, vt: Vector) -> bool:
    """Same lanes (`half2` and `__half2` are one type under two spellings)."""
    return isinstance(t, Vector) and t.elem.kind == vt.elem.kind and t.count == vt.count


def _plus(addr: str, j: int) -> str:
    return addr if j == 0 else f"{addr} + {j}"


def _lane_type(t: Type) -> Type:
    return t.elem if isinstance(t, Vector) else t


def _own_stmts(b: ir.Stmt) -> list[ir.Node]:
    """Statements of a loop body, not descending into nested loops."""
    out: list[ir.Node] = []
    for c in ir.children(b):
        out.append(c)
        if isinstance(c, ir.Stmt) and not isinstance(c, ir.For | ir.While | ir.DoWhile):
            out.extend(_own_stmts(c))
    return out


def _strip_casts(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.operand
    return e


def _small_builtin(e: ir.Expr) -> bool:
    """Built-in index arithmetic (+, * of thread/block indices and dims): fits in 31 bits."""
    if isinstance(e, ir.ThreadIdx | ir.BlockIdx | ir.BlockDim | ir.GridDim | ir.IntLit):
        return not isinstance(e, ir.IntLit) or 0 <= e.value < 2**31
    if isinstance(e, ir.Cast):
        return _small_builtin(e.operand)
    if isinstance(e, ir.Binary) and e.op in ("+", "*"):
        return _small_builtin(e.lhs) and _small_builtin(e.rhs)
    return False


def _constexpr(e: ir.Expr) -> bool:
    """Built from literals and block dimensions only: a Python int under Triton, not a tensor."""
    if isinstance(e, ir.IntLit | ir.FloatLit | ir.BlockDim | ir.WarpSize):
        return True
    if isinstance(e, ir.Cast):
        return _constexpr(e.operand)
    if isinstance(e, ir.Binary):
        return _constexpr(e.lhs) and _constexpr(e.rhs)
    return False
