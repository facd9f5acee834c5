"""Member functions, constructors and `this`: desugared into plain device functions.

- A member function `S::f(args)` is the device function `S_f(S* this_, args)`; inside it a field
  name `x` is `this_->x` and `this` is `this_`. `obj.f(a)` calls `S_f(&obj, a)`, `p->f(a)` calls
  `S_f(p, a)`; a member operator (`a += b`, `a + b`, `rng()`) is the same call.
- A constructor `S(args)` is the device function `S S_ctor(args)` that declares `S this_;`, runs the
  member initialisers, default member initialisers and the body, and returns `this_`; `S x(a)`,
  `S(a)` and `S x;` (a user default constructor) call it.
- A class template's members are instantiated with the class's arguments (`S_f<float>`), like
  function templates.
A member returning a reference returns a copy: the IR never writes through a call's result (a call
is not an lvalue), so only reads see it, and they see the same value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.parse.lower_scope import FunctionDef
from cuport.parse.lower_structs import ClassDef

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

THIS = "this_"


class Methods:
    """The member-function side of one FunctionLowerer."""

    def __init__(self, lowerer: FunctionLowerer) -> None:
        self.lo = lowerer
        self.owner: t.Struct | None = None  # set while lowering a member function
        self.in_ctor = False

    # --- inside a member function ----------------------------------------------------------------

    def enter(self, fn: FunctionDef, bound: tuple[tuple[str, str | int], ...]) -> None:
        """Bind the class of a member function (after its template parameters are bound)."""
        if not fn.owner:
            return
        cls = self.lo.scope.classes.classes.get(fn.owner)
        if cls is None:
            raise self.lo.fail(fn.node, f"member '{fn.name}'", f"class {fn.owner} unknown")
        args = [v for _, v in bound]
        ty = self.lo.types.lookup(fn.owner if cls.params is None else f"{fn.owner}<{', '.join(map(str, args))}>")
        if not isinstance(ty, t.Struct) or not ty.fields:
            raise self.lo.fail(fn.node, f"member '{fn.name}' of {fn.owner}", "the class's fields are unknown")
        if self.lo.text(fn.node).count(THIS):
            raise self.lo.fail(fn.node, f"member '{fn.name}'", f"it uses the name {THIS}")
        self.owner = ty
        self.in_ctor = fn.name == fn.owner
        self.lo.types = self.lo.types.child({fn.owner: ty})  # the injected class name

    def this_param(self, fn: FunctionDef) -> ir.Param | None:
        if self.owner is None or self.in_ctor:
            return None
        return ir.Param(self.lo.span(fn.node), THIS, t.Pointer(self.owner))

    def field(self, name: str, node: CstNode) -> ir.Expr | None:
        """A field name used inside a member function, as `this_->name` (None: not a field)."""
        if self.owner is None:
            return None
        ftype = dict(self.owner.fields).get(name)
        if ftype is None:
            return None
        return ir.Member(self.lo.span(node), ftype, self.this_var(node), name, not self.in_ctor)

    def this_var(self, node: CstNode) -> ir.Var:
        sp = self.lo.span(node)
        assert self.owner is not None
        if self.in_ctor:
            return ir.Var(sp, self.owner, THIS, "local")
        return ir.Var(sp, t.Pointer(self.owner), THIS, "param")

    def this(self, node: CstNode) -> ir.Expr:
        if self.owner is None:
            raise self.lo.fail(node, "'this'", "outside a member function")
        var = self.this_var(node)
        if self.in_ctor:
            return ir.AddrOf(var.span, t.Pointer(self.owner, t.AddrSpace.LOCAL), var)
        return var

    def ctor_body(self, fn: FunctionDef, body: ir.Block) -> ir.Block:
        """`S this_; <member initialisers>; <body>; return this_;`"""
        assert self.owner is not None
        sp = self.lo.span(fn.node)
        if any(isinstance(n, ir.Return) for n in ir.walk(body)):
            raise self.lo.fail(fn.node, f"constructor of {fn.owner}", "it returns early")
        init: dict[str, ir.Stmt] = {}
        for fi in (c for c in fn.node.named_children if c.type == "field_initializer_list"):
            for item in fi.named_children:
                name_node = next((c for c in item.named_children if c.type == "field_identifier"), None)
                value = next((c for c in item.named_children if c.type in ("argument_list", "initializer_list")), None)
                if name_node is None or value is None:
                    raise self.lo.fail(item, "member initialiser", "not supported")
                name = self.lo.text(name_node)
                target = self.field(name, name_node)
                if target is None:
                    raise self.lo.fail(item, f"initialiser of '{name}'", "not a field (base classes are not supported)")
                init[name] = self.assign_init(item, target, value)
        for name, stmt in self.default_members(set(init)):
            init[name] = stmt
        # C++ initialises the fields in the order the class declares them, whatever the list's order.
        ordered = [init[name] for name, _ in self.owner.fields if name in init]
        decl = ir.VarDecl(sp, THIS, self.owner)
        return ir.Block(body.span, (decl, *ordered, *body.stmts, ir.Return(sp, ir.Var(sp, self.owner, THIS, "local"))))

    def assign_init(self, node: CstNode, target: ir.Expr, value: CstNode) -> ir.Stmt:
        items = [c for c in value.named_children if c.type != "comment"]
        if not items and t.is_arith(target.type):
            return ir.Assign(self.lo.span(node), target, "", self.lo.convert(ir.IntLit(self.lo.span(node), t.I32, 0), target.type, node))
        if value.type == "argument_list" and len(items) == 1:
            return ir.Assign(self.lo.span(node), target, "", self.lo.convert(self.lo.expr(items[0]), target.type, items[0]))
        return ir.Assign(self.lo.span(node), target, "", self.lo.initializer(value, target.type))

    def default_members(self, given: set[str]) -> list[tuple[str, ir.Stmt]]:
        """Default member initialisers (`int n = 4;` in the class) of the fields not initialised."""
        assert self.owner is not None
        cls = self._class_of(self.owner)
        body = cls.node.child_by_field_name("body") if cls is not None else None
        out: list[tuple[str, ir.Stmt]] = []
        for f in body.named_children if body is not None else ():
            default = f.child_by_field_name("default_value") if f.type == "field_declaration" else None
            decl = f.child_by_field_name("declarator") if f.type == "field_declaration" else None
            if default is None or decl is None or self.lo.text(decl) in given:
                continue
            target = self.field(self.lo.text(decl), decl)
            if target is None:
                continue  # a static member: a constant, not part of the object
            out.append((self.lo.text(decl), self.assign_init(f, target, default)
                        if default.type in ("argument_list", "initializer_list")
                        else ir.Assign(self.lo.span(f), target, "", self.lo.convert(self.lo.expr(default), target.type, default))))
        return out

    # --- calls from outside ---------------------------------------------------------------------

    def _class_of(self, ty: t.Struct) -> ClassDef | None:
        inst = self.lo.scope.classes.instances.get(ty.name)
        return inst[0] if inst is not None else None

    def _member_key(self, ty: t.Struct, name: str) -> tuple[str, list[str | int]] | None:
        inst = self.lo.scope.classes.instances.get(ty.name)
        if inst is None:
            return None
        key = f"{inst[0].name}::{name}"
        if key not in self.lo.scope.functions:
            return None
        return key, list(inst[1].values())

    def has_member(self, ty: t.Type, name: str) -> bool:
        return isinstance(ty, t.Struct) and self._member_key(ty, name) is not None

    def call(self, node: CstNode, obj: ir.Expr, obj_node: CstNode, name: str, arrow: bool,
             args: list[tuple[ir.Expr, CstNode]]) -> ir.Expr:
        """`obj.name(args)` / `obj->name(args)`."""
        ty = obj.type.pointee if arrow and isinstance(obj.type, t.Pointer) else obj.type
        if not isinstance(ty, t.Struct):
            raise self.lo.fail(node, f"member call '.{name}()'", f"on {t.type_name(ty)}")
        found = self._member_key(ty, name)
        if found is None:
            raise self.lo.fail(node, f"member function '{name}' of {ty.name}", "no __device__ definition in this file")
        this_ptr = obj if arrow else self.lo.address_of(obj, ty, obj_node)
        return self.lo.device_call(node, found[0], found[1], [(this_ptr, obj_node), *args])

    def own_call(self, node: CstNode, name: str) -> ir.Expr | None:
        """`f(args)` inside a member function naming another member: `S_f(this_, args)`."""
        if self.owner is None or self.in_ctor or name == self._ctor_name(self.owner) or not self.has_member(self.owner, name):
            return None
        return self.call(node, self.this_var(node), node, name, True, self.lo.args(node))

    def construct(self, node: CstNode, ty: t.Struct, args: list[tuple[ir.Expr, CstNode]]) -> ir.Expr | None:
        """`S(args)`: the constructor's value; None when S has no user constructor."""
        found = self._member_key(ty, self._ctor_name(ty))
        if found is None:
            return None
        return self.lo.device_call(node, found[0], found[1], args)

    def _ctor_name(self, ty: t.Struct) -> str:
        cls = self._class_of(ty)
        return cls.name if cls is not None else ty.name

    def has_ctor(self, ty: t.Type) -> bool:
        return isinstance(ty, t.Struct) and self.has_member(ty, self._ctor_name(ty))


__all__ = ["Methods", "THIS"]
