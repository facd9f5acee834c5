"""Legalisation for OpenCL C: IR -> IR that the OpenCL printer can spell one to one.

Per kernel, starting from the kernel and following its calls:
- names monomorphised (`reduce<float, 256>` -> `reduce_float_256`); device functions specialised
  per address-space signature of their pointer arguments (`f` / `f__l` for a __local pointer);
- address spaces inferred for every pointer (kernel pointers __global, `__shared__` __local,
  `__constant__` __constant, locals from their initialiser, through device-function parameters);
- static `__shared__` hoisted to kernel scope as `__local` with unique names (those of device
  functions are passed down as `__local T*` parameters); `extern __shared__` becomes one
  `__local` kernel argument sized at launch; `__constant__`/`__device__` symbols become kernel
  arguments (scalars read as `name[0]`);
- float/double atomics, atomicInc/Dec, warp shuffles/votes/reductions and `__syncthreads_count`
  become calls of helpers (emitted only when used), warp operations through a `__local`
  exchange buffer and work-group barriers — refused (CO002) under thread-dependent control flow.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from cuport.diagnostics import Diagnostic, diag
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.targets.opencl.halfmem import LOADS_STORES, RELATIONS, ROUND, lower_half_memory
from cuport.targets.opencl.predicate import IfConverter, Unpredicable, touches_memory
from cuport.targets.opencl.rewrite import expr_varies, has_collective, transform, varying_names
from cuport.targets.opencl.vec3mem import lower_vec3_memory

SCRATCH = "cuport_warp_scratch"
DYNAMIC = "cuport_dynamic_shared"
_SPACE_CODE = {t.AddrSpace.GLOBAL: "g", t.AddrSpace.SHARED: "l", t.AddrSpace.CONSTANT: "c", t.AddrSpace.LOCAL: "p"}
CL_SCALAR = {
    t.ScalarKind.BOOL: "bool", t.ScalarKind.I8: "char", t.ScalarKind.U8: "uchar", t.ScalarKind.I16: "short",
    t.ScalarKind.U16: "ushort", t.ScalarKind.I32: "int", t.ScalarKind.U32: "uint", t.ScalarKind.I64: "long",
    t.ScalarKind.U64: "ulong", t.ScalarKind.F16: "half", t.ScalarKind.F32: "float", t.ScalarKind.F64: "double",
}  # fmt: skip


class NotPortable(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def mangle(name: str) -> str:
    """An OpenCL identifier for an instantiated name: `reduce<float, 256>` -> `reduce_float_256`;
    a name of an OpenCL built-in function (`dot`, `step`) gets a trailing underscore."""
    out = re.sub(r"[^A-Za-z0-9_]+", "_", name.replace("unsigned ", "u")).strip("_")
    return f"{out}_" if is_builtin_function(out) else out


@cache
def _builtin_functions() -> tuple[frozenset[str], tuple[str, ...]]:
    table = tomllib.loads(resources.files("cuport.targets.opencl").joinpath("builtin_functions.toml").read_text("utf-8"))
    return frozenset(table["names"]), tuple(table["prefixes"])


def is_builtin_function(name: str) -> bool:
    names, prefixes = _builtin_functions()
    return name in names or name.startswith(prefixes)


@dataclass(frozen=True)
class Resource:
    """Something a function reaches without a parameter in CUDA: passed explicitly in OpenCL."""

    name: str
    type: t.Type  # the parameter type in a device function (a pointer)
    kind: str  # "symbol" | "shared" | "scratch" | "dynamic"


@dataclass
class KernelPlan:
    kernel: ir.Kernel
    functions: list[ir.DeviceFunction]  # callees first
    symbols: list[ir.GlobalVar]  # appended kernel arguments, in this order
    dynamic_shared: bool  # one more __local argument after the symbols
    warp_scratch: bool = False  # the warp-exchange __local argument, last (8 bytes per work-item)
    helpers: set[str] = field(default_factory=set)
    extensions: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _cl_scalar(ty: t.Type, where: ir.Node) -> str:
    if isinstance(ty, t.Scalar) and ty.kind in CL_SCALAR and ty.kind not in (t.ScalarKind.F16, t.ScalarKind.BOOL):
        return CL_SCALAR[ty.kind]
    raise NotPortable(diag("CO001", where.span, reason=f"no OpenCL helper for type {t.type_name(ty)}"))


class Legaliser:
    def __init__(self, functions: dict[str, ir.Function], globals_: tuple[ir.GlobalVar, ...],
                 failed: dict[str, Diagnostic] | None = None) -> None:
        self.functions = functions
        self.globals = {g.name: g for g in globals_}
        self.failed = failed or {}  # why a device function did not lower, by name

    def not_lowered(self, call: ir.Call) -> NotPortable:
        why = self.failed.get(call.callee) or self.failed.get(call.callee.split("<")[0])
        detail = f": [{why.code}] {why.message}" if why is not None else ""
        return NotPortable(diag("CO001", call.span, reason=f"device function '{call.callee}' did not lower{detail}"))

    def kernel(self, k: ir.Kernel) -> KernelPlan:
        plan = KernelPlan(k, [], [], False)
        state = _State(self, plan)
        k = state.predicated(lower_vec3_memory(lower_half_memory(k)), is_kernel=True)  # type: ignore[arg-type]
        spaces = {p.name: t.AddrSpace.GLOBAL for p in k.params if isinstance(p.type, t.Pointer)}
        body, resources = state.body(k, k.body, spaces, is_kernel=True)
        params = [ir.replace(p, type=_with_space(p.type, t.AddrSpace.GLOBAL)) for p in k.params]
        hoisted: list[ir.Stmt] = list(state.hoisted)
        params, unpacked = _bool_params(params)
        hoisted = [*unpacked, *hoisted]
        for r in resources:
            if r.kind == "symbol":
                g = self.globals[r.name]
                plan.symbols.append(g)
                params.append(ir.Param(g.span, r.name, r.type))
            elif r.kind == "scratch":
                plan.warp_scratch = True
            elif r.kind == "dynamic":
                plan.dynamic_shared = True
        if plan.dynamic_shared:
            params.append(ir.Param(k.span, DYNAMIC, t.Pointer(t.U8, t.AddrSpace.SHARED)))
        if plan.warp_scratch:
            # an argument sized at launch (8 bytes per work-item), not a kernel-scope __local array:
            # PoCL 3.0 miscompiles a kernel-scope array passed to two inlined barrier helpers
            params.append(ir.Param(k.span, SCRATCH, t.Pointer(t.U64, t.AddrSpace.SHARED)))
        plan.kernel = ir.replace(k, name=mangle(ir.instance_name(k)), params=tuple(params),
                                 body=ir.Block(body.span, (*hoisted, *body.stmts)), template_args=())
        plan.kernel = rename_reserved(plan.kernel)
        plan.functions = [rename_reserved(f) for f in plan.functions]
        return plan


@dataclass
class _Fn:
    name: str
    resources: list[Resource]


class _State:
    """Walks one kernel and everything it calls."""

    def __init__(self, owner: Legaliser, plan: KernelPlan) -> None:
        self.owner = owner
        self.plan = plan
        self.hoisted: list[ir.SharedDecl] = []
        self.hoisted_names: set[str] = set()
        self.done: dict[tuple[str, tuple[t.AddrSpace, ...]], _Fn] = {}
        self.collective_cache: dict[str, bool] = {}
        self.sync_cache: dict[str, bool] = {}

    # --- if-conversion -------------------------------------------------------------------------
    def predicated(self, fn: ir.Kernel | ir.DeviceFunction, *, is_kernel: bool) -> ir.Kernel | ir.DeviceFunction:
        """`fn` with thread-dependent control flow around synchronisation predicated (predicate.py)."""
        conv = IfConverter(fn, is_kernel, self.calls_sync, self.pure)
        try:
            body = conv.run()
        except Unpredicable as exc:
            raise NotPortable(diag("CO007", exc.span, what=exc.what, reason=exc.reason)) from None
        for span, what in conv.converted:
            self.plan.diagnostics.append(diag("CO008", span, what=what))
        return ir.replace(fn, body=body)

    def calls_sync(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether device function `name` (transitively) has a warp operation or a barrier."""
        if name in self.sync_cache:
            return self.sync_cache[name]
        fn = self.owner.functions.get(name)
        found = False
        if fn is not None and name not in seen:
            found = any(isinstance(n, ir.WarpShuffle | ir.WarpVote | ir.WarpReduce | ir.Barrier)
                        or (isinstance(n, ir.Call) and self.calls_sync(n.callee, seen | {name}))
                        for n in ir.walk(fn.body))
        self.sync_cache[name] = found
        return found

    def pure(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether device function `name` (transitively) touches only its own private variables."""
        fn = self.owner.functions.get(name)
        if fn is None or name in seen or touches_memory(fn):
            return False
        return all(self.pure(n.callee, seen | {name}) for n in ir.walk(fn.body) if isinstance(n, ir.Call))

    # --- device functions ----------------------------------------------------------------------
    def calls_collective(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in self.collective_cache:
            return self.collective_cache[name]
        fn = self.owner.functions.get(name)
        found = False
        if fn is not None and name not in seen:
            found = has_collective(fn.body) or any(
                isinstance(n, ir.Call) and self.calls_collective(n.callee, seen | {name}) for n in ir.walk(fn.body)
            )
        self.collective_cache[name] = found
        return found

    def specialise(self, call: ir.Call, arg_spaces: tuple[t.AddrSpace, ...]) -> _Fn:
        key = (call.callee, arg_spaces)
        if key in self.done:
            return self.done[key]
        fn = self.owner.functions.get(call.callee)
        if not isinstance(fn, ir.DeviceFunction):
            raise self.owner.not_lowered(call)
        pointer_params = [p for p in fn.params if isinstance(p.type, t.Pointer)]
        spaces = dict(zip((p.name for p in pointer_params), arg_spaces, strict=True))
        suffix = "".join(_SPACE_CODE[s] for s in arg_spaces)
        name = mangle(ir.instance_name(fn)) + ("" if set(suffix) <= {"g"} else f"__{suffix}")
        entry = _Fn(name, [])
        self.done[key] = entry  # recursion: CUDA allows it, OpenCL does not; the printer would loop
        fn = self.predicated(lower_vec3_memory(lower_half_memory(fn)), is_kernel=False)
        body, resources = self.body(fn, fn.body, dict(spaces), is_kernel=False)
        entry.resources = resources
        params = [ir.replace(p, type=_with_space(p.type, spaces.get(p.name, t.AddrSpace.LOCAL))) for p in fn.params]
        params += [ir.Param(fn.span, r.name, r.type) for r in resources]
        self.plan.functions.append(ir.replace(fn, name=name, params=tuple(params), body=body, template_args=()))
        return entry

    # --- bodies --------------------------------------------------------------------------------
    def body(self, fn: ir.Function, body: ir.Block, spaces: dict[str, t.AddrSpace], *, is_kernel: bool
             ) -> tuple[ir.Block, list[Resource]]:
        walker = _Body(self, fn, spaces, is_kernel)
        new = walker.block(body, divergent=False)
        return new, walker.resources


class _Body:
    def __init__(self, state: _State, fn: ir.Function, spaces: dict[str, t.AddrSpace], is_kernel: bool) -> None:
        self.state = state
        self.fn = fn
        self.spaces = spaces
        self.is_kernel = is_kernel
        self.resources: list[Resource] = []
        self.renames: dict[str, str] = {}
        self.scalar_refs: set[str] = set()  # names read as name[0] (scalar symbols, shared scalars passed down)
        self.varying = varying_names(fn.body, params_vary=not is_kernel)
        self.exited = False  # a thread-dependent return was seen: later code runs divergent

    def need(self, r: Resource) -> None:
        if all(x.name != r.name for x in self.resources):
            self.resources.append(r)

    # --- statements ----------------------------------------------------------------------------
    def block(self, b: ir.Block, divergent: bool) -> ir.Block:
        out: list[ir.Stmt] = []
        for s in b.stmts:
            out.extend(self.stmt(s, divergent or self.exited))
        return ir.Block(b.span, tuple(out))

    def varies(self, e: ir.Expr | None) -> bool:
        return expr_varies(e, self.varying, not self.is_kernel)

    def stmt(self, s: ir.Stmt, divergent: bool) -> list[ir.Stmt]:
        if isinstance(s, ir.SharedDecl):
            return self.shared(s)
        if isinstance(s, ir.VarDecl):
            init = None if s.init is None else self.expr(s.init, divergent)
            ty = s.var_type
            if isinstance(ty, t.Pointer):
                space = self.space_of(init) if init is not None else t.AddrSpace.GLOBAL
                self.spaces[s.name] = space
                ty = _with_space(ty, space)
                if init is not None:
                    init = _retype_pointer(init, space)
            elif isinstance(ty, t.Array):
                self.spaces[s.name] = t.AddrSpace.LOCAL
            return [ir.replace(s, var_type=ty, init=init)]
        if isinstance(s, ir.Assign):
            value = self.expr(s.value, divergent)
            target = self.expr(s.target, divergent)
            if isinstance(target.type, t.Pointer):
                value = _retype_pointer(value, self.space_of(target))
            return [ir.replace(s, target=target, value=value)]
        if isinstance(s, ir.ExprStmt):
            return [ir.replace(s, expr=self.expr(s.expr, divergent))]
        if isinstance(s, ir.Block):
            return [self.block(s, divergent)]
        if isinstance(s, ir.If):
            inner = divergent or self.varies(s.cond)
            cond = self.expr(s.cond, divergent)
            then = self.block(s.then, inner)
            orelse = None if s.orelse is None else self.block(s.orelse, inner)
            if inner and not divergent and _returns(s):
                self.exited = True
            return [ir.replace(s, cond=cond, then=then, orelse=orelse)]
        if isinstance(s, ir.For):
            init = tuple(x for st in s.init for x in self.stmt(st, divergent))
            inner = divergent or self.varies(s.cond)
            cond = None if s.cond is None else self.expr(s.cond, divergent)
            step = tuple(x for st in s.step for x in self.stmt(st, inner))
            return [ir.replace(s, init=init, cond=cond, step=step, body=self.block(s.body, inner))]
        if isinstance(s, ir.While | ir.DoWhile):
            inner = divergent or self.varies(s.cond)
            return [ir.replace(s, cond=self.expr(s.cond, divergent), body=self.block(s.body, inner))]
        if isinstance(s, ir.Return):
            return [s if s.value is None else ir.replace(s, value=self.expr(s.value, divergent))]
        return [s]

    def shared(self, s: ir.SharedDecl) -> list[ir.Stmt]:
        if s.dynamic:
            elem = s.var_type.elem if isinstance(s.var_type, t.Array) else s.var_type
            self.need(Resource(DYNAMIC, t.Pointer(t.U8, t.AddrSpace.SHARED), "dynamic"))
            ptr = t.Pointer(elem, t.AddrSpace.SHARED)
            self.spaces[s.name] = t.AddrSpace.SHARED
            src = ir.Var(s.span, t.Pointer(t.U8, t.AddrSpace.SHARED), DYNAMIC, "param")
            return [ir.VarDecl(s.span, s.name, ptr, ir.Cast(s.span, ptr, src))]
        fname = mangle(ir.instance_name(self.fn))
        if self.is_kernel:
            name = s.name
            if name in self.state.hoisted_names:
                name = f"{s.name}_{len(self.state.hoisted_names)}"
                self.renames[s.name] = name
            self.state.hoisted_names.add(name)
            self.state.hoisted.append(ir.replace(s, name=name))
            return []
        # a device function's __shared__ is one per block: hoisted into the kernel, passed down
        if isinstance(s.var_type, t.Array) and isinstance(s.var_type.elem, t.Array):
            raise NotPortable(diag("CO001", s.span, reason="multi-dimensional __shared__ array inside a device function"))
        name = f"{fname}_{s.name}"
        self.renames[s.name] = name
        elem = s.var_type.elem if isinstance(s.var_type, t.Array) else s.var_type
        if not isinstance(s.var_type, t.Array):
            self.scalar_refs.add(name)
        self.need(Resource(name, t.Pointer(elem, t.AddrSpace.SHARED), "shared"))
        if name not in self.state.hoisted_names:
            self.state.hoisted_names.add(name)
            self.state.hoisted.append(ir.replace(s, name=name))
        return []

    # --- expressions ---------------------------------------------------------------------------
    def expr(self, e: ir.Expr, divergent: bool) -> ir.Expr:
        def fix(n: ir.Node) -> ir.Node:
            return self.rewrite(n, divergent)  # type: ignore[arg-type]

        return transform(e, fix)  # type: ignore[return-value]

    def rewrite(self, e: ir.Expr, divergent: bool) -> ir.Expr:
        if isinstance(e, ir.Var):
            return self.var(e)
        if isinstance(e, ir.Call):
            return self.call(e, divergent)
        if isinstance(e, ir.Atomic):
            return self.atomic(e)
        if isinstance(e, ir.WarpShuffle | ir.WarpVote | ir.WarpReduce):
            return self.warp(e, divergent)
        if isinstance(e, ir.Barrier):
            return self.barrier(e, divergent)
        if isinstance(e, ir.Cast) and isinstance(e.type, t.Pointer):
            return ir.replace(e, type=_with_space(e.type, self.space_of(e.operand)))
        return e

    def var(self, e: ir.Var) -> ir.Expr:
        if e.kind in ("constant", "global") and e.name in self.state.owner.globals:
            g = self.state.owner.globals[e.name]
            if g.space == "const":
                return e
            space = t.AddrSpace.CONSTANT if g.space == "constant" else t.AddrSpace.GLOBAL
            elem = g.var_type.elem if isinstance(g.var_type, t.Array) else g.var_type
            if isinstance(elem, t.Array):
                raise NotPortable(diag("CO001", e.span, reason=f"multi-dimensional symbol '{e.name}'"))
            ptr = t.Pointer(elem, space)
            self.need(Resource(e.name, ptr, "symbol"))
            self.spaces[e.name] = space
            v = ir.Var(e.span, ptr, e.name, "param")
            if isinstance(g.var_type, t.Array):
                return v
            return ir.Index(e.span, elem, v, ir.IntLit(e.span, t.I32, 0))
        if e.kind == "shared":
            name = self.renames.get(e.name, e.name)
            if name in self.scalar_refs:
                ptr = t.Pointer(e.type, t.AddrSpace.SHARED)
                return ir.Index(e.span, e.type, ir.Var(e.span, ptr, name, "param"), ir.IntLit(e.span, t.I32, 0))
            self.spaces[name] = t.AddrSpace.SHARED
            return ir.replace(e, name=name) if name != e.name else e
        return e

    def call(self, e: ir.Call, divergent: bool) -> ir.Expr:
        if e.callee.startswith(LOADS_STORES) or e.callee in ("vload3", "vstore3") or (
                e.callee in RELATIONS and e.callee not in self.state.owner.functions):
            if e.callee.startswith(ROUND) and e.callee not in self.state.plan.helpers:
                self.state.plan.helpers.add(e.callee)
                self.state.plan.diagnostics.append(diag("CO005", e.span, what="half-precision arithmetic",
                                                        how="float arithmetic rounded to half after each operation"))
            return e  # an OpenCL built-in (or helper) the half-storage pass introduced
        if divergent and self.state.calls_collective(e.callee):
            raise NotPortable(diag("CO002", e.span, what=f"{e.callee}(...)"))
        fn = self.state.owner.functions.get(e.callee)
        if not isinstance(fn, ir.DeviceFunction):
            raise self.state.owner.not_lowered(e)
        arg_spaces = tuple(self.space_of(a) for a, p in zip(e.args, fn.params, strict=False) if isinstance(p.type, t.Pointer))
        spec = self.state.specialise(e, arg_spaces)
        extra: list[ir.Expr] = []
        for r in spec.resources:
            self.need(r)
            if r.kind == "shared" and r.name not in self.scalar_refs and self.is_kernel and not isinstance(
                next((h.var_type for h in self.state.hoisted if h.name == r.name), None), t.Array
            ):
                extra.append(ir.AddrOf(e.span, r.type, ir.Var(e.span, r.type, r.name, "shared")))
            elif r.kind == "scratch" and self.is_kernel:
                extra.append(ir.Var(e.span, r.type, r.name, "shared"))
            else:
                extra.append(ir.Var(e.span, r.type, r.name, "param"))
        return ir.replace(e, callee=spec.name, args=(*e.args, *extra))

    def atomic(self, e: ir.Atomic) -> ir.Expr:
        elem = e.ptr.type.pointee if isinstance(e.ptr.type, t.Pointer) else None
        if not isinstance(elem, t.Scalar):
            raise NotPortable(diag("CO001", e.span, reason="atomic on a non-scalar"))
        space = self.space_of(e.ptr)
        sp = "local" if space == t.AddrSpace.SHARED else "global"
        if elem.kind.bits == 64:
            self.state.plan.extensions.add("cl_khr_int64_base_atomics")
            if e.op in ("min", "max", "and", "or", "xor"):
                self.state.plan.extensions.add("cl_khr_int64_extended_atomics")
        if elem.kind.is_float or e.op in ("inc", "dec"):
            if e.op not in ("add", "sub", "exch", "min", "max", "inc", "dec", "cas"):
                raise NotPortable(diag("CO001", e.span, reason=f"atomic {e.op} on {t.type_name(elem)}"))
            if e.op == "exch" and elem.kind == t.ScalarKind.F32:
                return e  # atomic_xchg has a float overload
            if elem.kind.is_float and elem.kind.bits == 16:
                raise NotPortable(diag("CO001", e.span, reason="half-precision atomics"))
            name = f"cuport_atomic_{e.op}_{_cl_scalar(elem, e)}_{sp}"
            self.state.plan.helpers.add(name)
            self.state.plan.diagnostics.append(diag("CO005", e.span, what=f"atomic {e.op} on {t.type_name(elem)}",
                                                    how="a compare-and-swap loop"))
            args = (e.ptr, e.compare, e.value) if e.op == "cas" else (e.ptr, e.value)
            return ir.Call(e.span, e.type, name, tuple(a for a in args if a is not None))
        return e

    def warp(self, e: ir.Expr, divergent: bool) -> ir.Expr:
        what = type(e).__name__
        if divergent:
            raise NotPortable(diag("CO002", e.span, what=what))
        scratch_t = t.Pointer(t.U64, t.AddrSpace.SHARED)
        self.need(Resource(SCRATCH, scratch_t, "scratch"))
        scratch = ir.Var(e.span, scratch_t, SCRATCH, "shared" if self.is_kernel else "param")
        i32 = t.I32
        if isinstance(e, ir.WarpShuffle):
            name = f"cuport_shfl_{e.kind}_{_cl_scalar(e.type, e)}"
            width = e.width if e.width is not None else ir.WarpSize(e.span, i32)
            args: tuple[ir.Expr, ...] = (scratch, e.value, e.lane, width)
        elif isinstance(e, ir.WarpVote):
            if e.kind == "uni":
                raise NotPortable(diag("CO001", e.span, reason="__uni_sync"))
            name = f"cuport_vote_{e.kind}"
            pred = e.pred if e.pred is not None else ir.BoolLit(e.span, t.BOOL, True)
            args = (scratch, ir.Cast(e.span, i32, pred))
        else:
            assert isinstance(e, ir.WarpReduce)
            name = f"cuport_reduce_{e.op}_{_cl_scalar(e.type, e)}"
            args = (scratch, e.value)
        self.state.plan.helpers.add(name)
        self.state.plan.diagnostics.append(diag("CO005", e.span, what=what, how="__local memory and work-group barriers"))
        return ir.Call(e.span, e.type, name, args)

    def barrier(self, e: ir.Barrier, divergent: bool) -> ir.Expr:
        if e.kind == "syncthreads":
            if self.exited:
                raise NotPortable(diag("CO007", e.span, what="__syncthreads()",
                                       reason="it follows an early return that is not a top-level `if (...) return;`"))
            if divergent:
                self.state.plan.diagnostics.append(diag("CO004", e.span, reason="it sits under thread-dependent control flow or after an early return"))
            return e
        if e.kind == "syncwarp":
            if divergent:
                raise NotPortable(diag("CO002", e.span, what="__syncwarp"))
            return ir.replace(e, kind="syncthreads", mask=None)
        if divergent:
            raise NotPortable(diag("CO002", e.span, what=f"__syncthreads_{e.kind}"))
        scratch_t = t.Pointer(t.U64, t.AddrSpace.SHARED)
        self.need(Resource(SCRATCH, scratch_t, "scratch"))
        scratch = ir.Var(e.span, scratch_t, SCRATCH, "shared" if self.is_kernel else "param")
        name = f"cuport_syncthreads_{e.kind}"
        self.state.plan.helpers.add(name)
        pred = e.pred if e.pred is not None else ir.IntLit(e.span, t.I32, 1)
        return ir.Call(e.span, t.I32, name, (scratch, ir.Cast(e.span, t.I32, pred)))

    # --- address spaces ------------------------------------------------------------------------
    def space_of(self, e: ir.Expr | None) -> t.AddrSpace:
        """Where a pointer-valued expression points."""
        if e is None:
            return t.AddrSpace.GLOBAL
        if isinstance(e, ir.Var):
            if e.kind == "shared":
                return t.AddrSpace.SHARED
            if isinstance(e.type, t.Array) and e.kind == "local":
                return t.AddrSpace.LOCAL
            if isinstance(e.type, t.Pointer) and e.type.space not in (t.AddrSpace.GENERIC,) and e.name not in self.spaces:
                return e.type.space
            return self.spaces.get(e.name, t.AddrSpace.GLOBAL)
        if isinstance(e, ir.PtrAdd):
            return self.space_of(e.ptr)
        if isinstance(e, ir.Cast):
            return self.space_of(e.operand)
        if isinstance(e, ir.Select):
            return self.space_of(e.if_true)
        if isinstance(e, ir.AddrOf):
            return self.lvalue_space(e.operand)
        if isinstance(e, ir.Index) and isinstance(e.base.type, t.Array) and isinstance(e.type, t.Array):
            return self.space_of(e.base)  # a row of a 2-D array decays to a pointer
        return t.AddrSpace.GLOBAL

    def lvalue_space(self, e: ir.Expr) -> t.AddrSpace:
        if isinstance(e, ir.Index):
            return self.space_of(e.base)
        if isinstance(e, ir.Deref):
            return self.space_of(e.ptr)
        if isinstance(e, ir.Member):
            return self.space_of(e.base) if e.arrow else self.lvalue_space(e.base)
        if isinstance(e, ir.Var):
            if e.kind == "shared":
                return t.AddrSpace.SHARED
            if e.kind == "param" and isinstance(e.type, t.Pointer) and e.type.space == t.AddrSpace.SHARED:
                return t.AddrSpace.SHARED
            return t.AddrSpace.LOCAL
        return t.AddrSpace.LOCAL


def _bool_params(params: list[ir.Param]) -> tuple[list[ir.Param], list[ir.Stmt]]:
    """OpenCL forbids `bool` kernel arguments: each comes as a uchar (one byte, as CUDA's bool) and
    the body reads a `bool` of the original name, so assignments to it keep bool semantics."""
    out: list[ir.Param] = []
    decls: list[ir.Stmt] = []
    for p in params:
        if p.type != t.BOOL:
            out.append(p)
            continue
        raw = ir.Var(p.span, t.U8, f"{p.name}__arg", "param")
        zero = ir.IntLit(p.span, t.I32, 0)
        decls.append(ir.VarDecl(p.span, p.name, t.BOOL, ir.Compare(p.span, t.BOOL, "!=", raw, zero)))
        out.append(ir.replace(p, name=raw.name, type=t.U8))
    return out, decls


def _returns(s: ir.Stmt) -> bool:
    return any(isinstance(n, ir.Return) for n in ir.walk(s))


def _with_space(ty: t.Type, space: t.AddrSpace) -> t.Type:
    if isinstance(ty, t.Pointer):
        return ir.replace(ty, space=space)  # type: ignore[type-var]
    return ty


def _retype_pointer(e: ir.Expr, space: t.AddrSpace) -> ir.Expr:
    if isinstance(e, ir.Cast) and isinstance(e.type, t.Pointer):
        return ir.replace(e, type=_with_space(e.type, space))
    return e


# OpenCL C keywords and built-in names that are ordinary identifiers in CUDA
RESERVED = frozenset(
    "local global constant private kernel read_only write_only read_write image2d_t image3d_t sampler_t event_t "
    "half uchar ushort uint ulong bool vec_type_hint reqd_work_group_size work_group_size_hint".split()
)


def _safe(name: str) -> str:
    return f"{name}_" if name in RESERVED else name


def rename_reserved(fn: ir.Function) -> ir.Function:
    """Identifiers that are OpenCL keywords (`local`, `global`, ...) get a trailing underscore."""

    def fix(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.Var | ir.VarDecl | ir.SharedDecl | ir.Param) and n.name in RESERVED:
            return ir.replace(n, name=_safe(n.name))
        return n

    return transform(fn, fix)  # type: ignore[return-value]
