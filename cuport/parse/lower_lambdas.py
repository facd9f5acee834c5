"""Lambdas defined and called in one function: each call lowers to a device function of its own.

    auto f = [=, &s](int i, auto x) { return a[i] * s + x; };   ...   f(1, 2.0f)

becomes `k_f(a, &s, 1, 2.0f)` with `__device__ float k_f(float* a, int& s, int i, float x)`:
captures by reference are reference parameters (pointers to the caller's variables), captures by
value are value parameters, `auto` parameters take the types of the call's arguments (one device
function per distinct list), and a deduced return type is the first `return`'s.

By-value captures copy at the definition: a variable the function may still change afterwards is
copied there into a local of its own (the snapshot the call passes). A lambda that escapes (used
as a value: stored, returned, passed on), a mutable one, `this`, init-captures and template
lambdas are refused, as is a call where a captured name has come to mean another variable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.lower_types import has_qualifier

if TYPE_CHECKING:
    from cuport.parse.lower_body import Binding, FunctionLowerer

_WRITES = ("assignment_expression", "update_expression")


@dataclass(frozen=True)
class Capture:
    name: str  # the name in the lambda's body (and of its parameter in the device function)
    binding: Binding  # what `source` means where the lambda was defined (checked at each call)
    source: str  # the variable the call passes: the captured one, or its snapshot
    by_ref: bool


@dataclass(eq=False)
class LambdaDef:
    node: CstNode  # lambda_expression
    var: str  # the variable holding it
    stem: str  # device function name (instances after the first add a number)
    captures: tuple[Capture, ...]
    inner: dict[str, LambdaDef]  # lambdas it captured (callable in its body)
    instances: dict[tuple[t.Type, ...], tuple[str, t.Type, tuple[ir.Param, ...]]] = field(default_factory=dict)


class Lambdas:
    def __init__(self, lowerer: FunctionLowerer) -> None:
        self.lo = lowerer
        self.functions: list[ir.DeviceFunction] = []  # made by calls (the module adds them)
        self.names: set[str] = set()  # device function names taken (shared with nested lambdas)
        self.fn_node: CstNode | None = None  # the function being lowered (where captures may be written)
        self.fn_name = ""

    # --- definition -------------------------------------------------------------------------------

    def define(self, d: CstNode, var: str, node: CstNode) -> list[ir.Stmt]:
        """`auto var = [...](...) {...};`: bind var to the lambda; snapshots of by-value captures."""
        from cuport.parse.lower_body import Binding

        lo = self.lo
        caps = node.child_by_field_name("captures")
        decl = node.child_by_field_name("declarator")
        body = node.child_by_field_name("body")
        if caps is None or body is None:
            raise lo.fail(node, "lambda", "no captures or body")
        if decl is not None and any(c.type == "lambda_specifier" and "mutable" in lo.text(c) for c in decl.named_children):
            raise lo.fail(node, f"mutable lambda '{var}'", "its copies keep state between calls; not supported")
        if any(c.type == "template_parameter_list" for c in node.named_children):
            raise lo.fail(node, f"template lambda '{var}'", "not supported")
        default, explicit = self.capture_list(caps, var)
        used = [n for n in self.free_names(body) if n not in self.param_names(decl)]
        wanted: dict[str, bool] = dict(explicit)
        if default is not None:
            for name in used:
                if name not in wanted and lo.lookup(name) is not None:
                    wanted[name] = default == "&"
        out: list[ir.Stmt] = []
        captures: list[Capture] = []
        inner: dict[str, LambdaDef] = {}
        for name, by_ref in wanted.items():
            b = lo.lookup(name)
            if b is None:
                raise lo.fail(caps, f"capture of '{name}'", "not a local variable")
            if b.lam is not None:  # a lambda captured: its own captures come along, named as passed
                inner[name] = b.lam
                captures.extend(Capture(c.source, c.binding, c.source, c.by_ref) for c in b.lam.captures)
                continue
            if b.kind == "shared" or isinstance(b.type, t.Array):
                if not by_ref and b.kind != "shared":
                    raise lo.fail(caps, f"array '{name}' captured by value", "a copy of an array is not supported")
                captures.append(Capture(name, b, name, True))
                continue
            if by_ref or not self.written(name):
                captures.append(Capture(name, b, name, by_ref))
                continue
            # The variable may change before a call: the lambda keeps its value from here.
            snap = lo.fresh_name(f"{var}_{name}")
            sp = lo.span(d)
            ty = b.type.pointee if b.ref and isinstance(b.type, t.Pointer) else b.type
            value = ir.Var(sp, b.type, name, b.kind)
            init = ir.Deref(sp, ty, value) if b.ref and isinstance(b.type, t.Pointer) else value
            snap_b = Binding(ty, "local")
            lo.declare(snap, snap_b)
            out.append(ir.VarDecl(sp, snap, ty, init, True))
            captures.append(Capture(name, snap_b, snap, False))
        captures = list(dict.fromkeys(captures))  # the same slot reached twice
        names = [c.name for c in captures]
        if len(set(names)) != len(names):
            raise lo.fail(caps, f"lambda '{var}'", "a name captured twice (directly and through another lambda)")
        stem = re.sub(r"\W+", "_", f"{self.fn_name}_{var}").strip("_")
        lo.declare(var, Binding(t.VOID, "local", lam=LambdaDef(node, var, stem, tuple(captures), inner)))
        return out

    def capture_list(self, caps: CstNode, var: str) -> tuple[str | None, dict[str, bool]]:
        """The default capture (`=`, `&` or None) and the explicit captures (name -> by reference)."""
        lo = self.lo
        default: str | None = None
        explicit: dict[str, bool] = {}
        ref_next = False
        for c in caps.children:
            if c.type == "lambda_default_capture":
                default = lo.text(c).strip()
            elif c.type == "&":
                ref_next = True
            elif c.type == "identifier":
                explicit[lo.text(c)] = ref_next
                ref_next = False
            elif c.type in ("[", "]", ",", "comment"):
                continue
            elif c.type == "this" or "this" in lo.text(c):
                raise lo.fail(c, f"lambda '{var}' capturing this", "not supported")
            else:
                raise lo.fail(c, f"capture '{lo.text(c)}' of lambda '{var}'", "not supported (init-captures are not lowered)")
        return default, explicit

    def free_names(self, node: CstNode) -> list[str]:
        """Identifiers the body names, in order (its own locals too: only outer ones are captured)."""
        out: list[str] = []
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "identifier":
                name = self.lo.text(n)
                if name not in out:
                    out.append(name)
            stack.extend(reversed(n.children))
        return out

    def param_names(self, decl: CstNode | None) -> set[str]:
        plist = decl.child_by_field_name("parameters") if decl is not None else None
        if plist is None:
            return set()
        return {n for p in plist.named_children if (d := p.child_by_field_name("declarator")) is not None
                for n in self.free_names(d)}

    def written(self, name: str) -> bool:
        """Whether the function may change `name` anywhere: assigned, updated, its address taken,
        or passed to a call (a reference parameter). Anything else keeps its value."""
        root = self.fn_node
        if root is None:
            return True
        stack = [root]
        while stack:
            n = stack.pop()
            target: CstNode | None = None
            if n.type in _WRITES:
                target = n.child_by_field_name("left") or n.child_by_field_name("argument")
            elif n.type == "pointer_expression" and n.child_by_field_name("operator") is not None \
                    and self.lo.text(n.child_by_field_name("operator")) == "&":  # type: ignore[arg-type]
                target = n.child_by_field_name("argument")
            elif n.type == "argument_list":
                if any(self.is_name(a, name) for a in n.named_children):
                    return True
            if target is not None and self.is_name(target, name):
                return True
            stack.extend(n.children)
        return False

    def is_name(self, node: CstNode, name: str) -> bool:
        while node.type == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
        return node.type == "identifier" and self.lo.text(node) == name

    # --- calls --------------------------------------------------------------------------------------

    def call(self, node: CstNode, lam: LambdaDef, args: list[tuple[ir.Expr, CstNode]]) -> ir.Expr:
        lo = self.lo
        sp = lo.span(node)
        cap_args: list[ir.Expr] = []
        for c in lam.captures:
            b = lo.lookup(c.source)
            if b is not c.binding:
                raise lo.fail(node, f"call of lambda '{lam.var}'", f"'{c.name}' names another variable here than where it was defined")
            var = ir.Var(sp, b.type, c.source, b.kind)
            if c.by_ref and (b.ref or isinstance(b.type, t.Array) or b.kind == "shared"):
                cap_args.append(var)  # already a pointer (a reference), or an array passed as one
            elif c.by_ref:
                cap_args.append(lo.address_of(var, b.type, node))
            elif b.ref and isinstance(b.type, t.Pointer):
                cap_args.append(ir.Deref(sp, b.type.pointee, var))
            else:
                cap_args.append(var)
        key = tuple(self.decay(a.type) for a, _ in args)
        inst = lam.instances.get(key)
        if inst is None:
            inst = self.instantiate(node, lam, cap_args, args, key)
        name, ret, params = inst
        user = params[len(cap_args):]
        if len(user) != len(args):
            raise lo.fail(node, f"call of lambda '{lam.var}'", f"takes {len(user)} arguments, {len(args)} given")
        conv = [a if a.type == p.type else lo.convert(a, p.type, node) for a, p in zip(cap_args, params, strict=False)]
        for (a, n), p in zip(args, user, strict=True):
            conv.append(lo.address_of(a, p.type.pointee, n) if p.by_ref and isinstance(p.type, t.Pointer)
                        else lo.convert(a, p.type, n))
        return ir.Call(sp, ret, name, tuple(conv))

    @staticmethod
    def decay(ty: t.Type) -> t.Type:
        if isinstance(ty, t.Array):
            return t.Pointer(ty.elem)
        if isinstance(ty, t.Pointer):  # a device function's pointer parameter is generic
            return replace(ty, space=t.AddrSpace.GENERIC, restrict=False)
        return ty

    def instantiate(
        self, node: CstNode, lam: LambdaDef, cap_args: list[ir.Expr], args: list[tuple[ir.Expr, CstNode]],
        key: tuple[t.Type, ...],
    ) -> tuple[str, t.Type, tuple[ir.Param, ...]]:
        from cuport.parse.lower_body import Binding, FunctionLowerer

        lo = self.lo
        sub = FunctionLowerer(lo.source, lo.scope, lo.globals, lo.targs, inline=lo.inline)
        sub.types, sub.values = lo.types, dict(lo.values)
        sub.lambdas.names = self.names
        sub.lambdas.fn_node = lam.node.child_by_field_name("body")
        name = lam.stem
        k = 1
        while name in sub.lambdas.names:
            k += 1
            name = f"{lam.stem}_{k}"
        sub.lambdas.names.add(name)
        sub.lambdas.fn_name = name
        params: list[ir.Param] = []
        for c, a in zip(lam.captures, cap_args, strict=True):
            sp = lo.span(lam.node)
            if c.by_ref and not (c.binding.ref or isinstance(c.binding.type, t.Array) or c.binding.kind == "shared"):
                ty = t.Pointer(c.binding.type)
                sub.declare(c.name, Binding(ty, "param", ref=True))
                params.append(ir.Param(sp, c.name, ty, True))
            elif c.by_ref and c.binding.ref:
                sub.declare(c.name, Binding(c.binding.type, "param", ref=True))
                params.append(ir.Param(sp, c.name, c.binding.type, True))
            else:
                ty = self.decay(a.type)  # an array (by reference) is passed as a pointer to its first element
                sub.declare(c.name, Binding(ty, "param"))
                params.append(ir.Param(sp, c.name, ty, False))
        # The lambdas it captured, their captures now this function's parameters.
        for vname, inner in lam.inner.items():
            rebased = tuple(replace(ic, binding=sub.lookup(ic.source)) for ic in inner.captures)
            sub.declare(vname, Binding(t.VOID, "local", lam=LambdaDef(
                inner.node, inner.var, inner.stem, rebased, inner.inner, inner.instances)))
        decl = lam.node.child_by_field_name("declarator")
        plist = decl.child_by_field_name("parameters") if decl is not None else None
        user = [p for p in (plist.named_children if plist is not None else []) if p.type != "comment"]
        if len(user) != len(args):
            raise lo.fail(node, f"call of lambda '{lam.var}'", f"takes {len(user)} arguments, {len(args)} given")
        for p, (a, _), want in zip(user, args, key, strict=True):
            params.append(self.param(sub, p, a, want))
        trailing = next((c for c in decl.named_children if c.type == "trailing_return_type"), None) if decl else None
        if trailing is not None:
            sub.return_type = sub.type_descriptor(trailing.named_children[0])
        else:
            sub.return_type = t.VOID
            sub.deduce_return = True
        body = lam.node.child_by_field_name("body")
        block = sub.block(body, new_scope=True)  # type: ignore[arg-type]
        ret = sub.return_type
        fn = ir.DeviceFunction(lo.span(lam.node), name, tuple(params), ret, block)
        lam.instances[key] = (name, ret, tuple(params))
        self.functions.extend(sub.lambdas.functions)
        self.functions.append(fn)
        for inst in sub.instantiations:
            if inst not in lo.instantiations:
                lo.instantiations.append(inst)
        return name, ret, tuple(params)

    def param(self, sub: FunctionLowerer, p: CstNode, arg: ir.Expr, want: t.Type) -> ir.Param:
        """One parameter of the lambda; `auto` takes the argument's (decayed) type."""
        from cuport.parse.lower_body import Binding

        if p.type != "parameter_declaration":
            raise sub.fail(p, f"lambda parameter '{sub.text(p)}'", "not supported")
        type_node = p.child_by_field_name("type")
        d = p.child_by_field_name("declarator")
        if type_node is None or d is None:
            raise sub.fail(p, "lambda parameter", "unnamed or without a type")
        const = has_qualifier(p, "const")
        if type_node.type == "placeholder_type_specifier":
            is_ref = d.type == "reference_declarator"
            inner = d.named_children[0] if is_ref and d.named_children else d
            if inner.type != "identifier" or (is_ref and any(c.type == "&&" for c in d.children)):
                raise sub.fail(p, f"lambda parameter '{sub.text(p)}'", "not supported")
            name, ty = sub.text(inner), want
        else:
            name, ty, _, _, is_ref = sub.ref_declarator(d, sub.base_type(type_node), const)
            if isinstance(ty, t.Array):
                ty, is_ref = t.Pointer(ty.elem, const=const), False
        by_ref = is_ref and not (const and not isinstance(ty, t.Pointer))
        if by_ref:
            ty = t.Pointer(ty)
        sub.declare(name, Binding(ty, "param", ref=by_ref))
        return ir.Param(sub.span(p), name, ty, by_ref)
