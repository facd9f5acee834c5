"""User structs and classes: their fields, class templates instantiated by name, constant sizes.

A struct or class the file defines becomes a `t.Struct` with its fields when every field type
resolves (else it stays opaque, known by name only). A class template (`template <typename T>
struct V { T x; }`) is instantiated when a type spelling names it (`V<float>`): its parameters are
bound, its fields resolved, and the instance gets a C identifier (`V_float`) so every target can
print it. Member functions are lowered as device functions taking the object by pointer (see
`lower_methods.py`); this module only knows the types.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tree_sitter import Node as CstNode

from cuport.ir import types as t
from cuport.parse.lower_traits import split_template_args
from cuport.parse.lower_types import TypeError_, TypeNames, base_type, parse_type_text

_OPS: dict[str, Callable[[int, int], int]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: int(a / b), "%": lambda a, b: a - int(a / b) * b,
    "<<": lambda a, b: a << b, ">>": lambda a, b: a >> b, "&": lambda a, b: a & b, "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b, "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b), ">": lambda a, b: int(a > b), "<=": lambda a, b: int(a <= b),
    ">=": lambda a, b: int(a >= b), "&&": lambda a, b: int(bool(a and b)), "||": lambda a, b: int(bool(a or b)),
}  # fmt: skip
_CLASS_KINDS = ("struct_specifier", "class_specifier")


def int_text(text: str) -> int | None:
    text = text.strip().rstrip("uUlL")
    try:
        return int(text, 0)
    except ValueError:
        return None


def const_size(node: CstNode, ints: dict[str, int]) -> int | None:
    """An integer constant expression of literals and known names (`N + 1`, `4 * 6`), or None.
    Division truncates toward zero as in C++; anything else (calls, casts) is not folded here."""
    kind = node.type
    text = node.text.decode() if node.text else ""
    if kind == "number_literal":
        return int_text(text)
    if kind in ("true", "false"):
        return int(kind == "true")
    if kind in ("identifier", "type_identifier", "type_descriptor", "qualified_identifier"):
        return ints.get(text.strip())
    if kind == "parenthesized_expression" and len(node.named_children) == 1:
        return const_size(node.named_children[0], ints)
    if kind == "unary_expression":
        arg = node.child_by_field_name("argument")
        op = node.child_by_field_name("operator")
        v = const_size(arg, ints) if arg is not None else None
        if v is None or op is None:
            return None
        return {"-": -v, "+": v, "~": ~v, "!": int(not v)}.get(op.type)
    if kind == "conditional_expression":
        cond, yes, no = (node.child_by_field_name(f) for f in ("condition", "consequence", "alternative"))
        c = const_size(cond, ints) if cond is not None else None
        taken = (yes if c else no) if c is not None else None
        return const_size(taken, ints) if taken is not None else None
    if kind == "binary_expression":
        left, right, op = (node.child_by_field_name(f) for f in ("left", "right", "operator"))
        if left is None or right is None or op is None or op.type not in _OPS:
            return None
        a, b = const_size(left, ints), const_size(right, ints)
        if a is None or b is None or (op.type in ("/", "%") and b == 0):
            return None
        return _OPS[op.type](a, b)
    return None


def struct_fields(node: CstNode, names: TypeNames, ints: dict[str, int]) -> tuple[tuple[str, t.Type], ...] | None:
    """The data members of a struct/class body in order, or None when one does not resolve (or the
    body holds a union, whose members share storage: no IR form)."""
    body = node.child_by_field_name("body")
    if body is None:
        return None
    fields: list[tuple[str, t.Type]] = []
    for f in body.named_children:
        if f.type != "field_declaration":
            continue
        if any(c.type == "storage_class_specifier" and c.text == b"static" for c in f.children):
            continue  # a static member is no part of the object
        ft = f.child_by_field_name("type")
        if ft is None or ft.type == "union_specifier":
            return None
        try:
            fbase = base_type(ft, names)
        except TypeError_:
            return None
        for d in f.children_by_field_name("declarator"):
            fty = array_declarator_type(d, fbase, ints)
            if fty is None:
                return None
            name, fty = fty
            fields.append((name, fty))
    return tuple(fields)


def array_declarator_type(d: CstNode | None, ty: t.Type, ints: dict[str, int]) -> tuple[str, t.Type] | None:
    """Apply pointer and constant-size array declarators: (declared name, type), or None."""
    dims: list[int] = []
    while d is not None and d.type in ("pointer_declarator", "array_declarator"):
        if d.type == "pointer_declarator":
            ty = t.Pointer(ty)
        else:
            size = d.child_by_field_name("size")
            n = const_size(size, ints) if size is not None else None
            if n is None or n < 0:
                return None
            dims.append(n)
        d = d.child_by_field_name("declarator")
    for n in reversed(dims):  # `T a[2][3]`: the first size is the outer one
        ty = t.Array(ty, n)
    if d is None or d.type not in ("field_identifier", "identifier", "type_identifier") or not d.text:
        return None
    return d.text.decode(), ty


@dataclass(frozen=True)
class ClassDef:
    """A struct or class with a body: `params` is its template parameter list (None: not a template)."""

    name: str
    node: CstNode
    params: CstNode | None


@dataclass
class ClassTable:
    """The file's classes; instances of class templates by their IR name -> (class, bound arguments)."""

    classes: dict[str, ClassDef] = field(default_factory=dict)
    instances: dict[str, tuple[ClassDef, dict[str, str | int]]] = field(default_factory=dict)
    ints: dict[str, int] = field(default_factory=dict)  # the file's integer constants (enumerators)
    namespaces: set[str] = field(default_factory=set)  # names of the file's namespaces
    _busy: set[str] = field(default_factory=set)

    def instantiate(self, name: str, names: TypeNames) -> t.Type | None:
        """The type `Name<args>` (or a plain class name) denotes, or None when it is not a class."""
        m = re.fullmatch(r"(?:typename\s+)?(?:struct\s+|class\s+)?(\w+)\s*(?:<(.*)>)?", name.strip(), re.S)
        if m is None or m.group(1) not in self.classes:
            return None
        cls = self.classes[m.group(1)]
        if cls.params is None:
            return None if m.group(2) is not None else self._struct(cls, {}, cls.name, names)
        texts = split_template_args(m.group(2)) if m.group(2) is not None else []
        bound = self.bind(cls, texts, names)
        if bound is None:
            return None
        ir_name = mangle(cls.name, list(bound.values()))
        return self._struct(cls, bound, ir_name, names)

    def bind(self, cls: ClassDef, texts: list[str], names: TypeNames) -> dict[str, str | int] | None:
        """Template parameters of cls bound to argument texts (defaults for the rest), or None."""
        assert cls.params is not None
        bound: dict[str, str | int] = {}
        local = names
        params = [p for p in cls.params.named_children if p.type != "comment"]
        for i, p in enumerate(params):
            pname = template_param_name(p)
            if pname is None:
                return None
            is_type = p.type.endswith("type_parameter_declaration")
            text = texts[i] if i < len(texts) else None
            if text is None:
                default = p.child_by_field_name("default_type" if is_type else "default_value")
                if default is None or not default.text:
                    return None
                text = default.text.decode()
            if is_type:
                ty = parse_type_text(text, local)
                if ty is None:
                    return None
                bound[pname] = t.type_name(ty)
                local = local.child({pname: ty})
            else:
                value = int_text(text)
                if value is None:
                    value = {**self.ints, **names.values}.get(text.strip())
                if value is None:
                    return None
                bound[pname] = value
                local = local.child({}, {pname: value})
        return bound

    def scope_names(self, cls: ClassDef, bound: dict[str, str | int], names: TypeNames) -> TypeNames:
        """The names visible inside the class body of one instance: its parameters, its member
        types (`using T = ...`, `typedef`) and static integer constants, in declaration order."""
        types: dict[str, t.Type] = {}
        values: dict[str, int] = {}
        for k, v in bound.items():
            if isinstance(v, int):
                values[k] = v
            else:
                ty = parse_type_text(v, names)
                if ty is not None:
                    types[k] = ty
        inner = names.child(types, values)
        body = cls.node.child_by_field_name("body")
        for member in body.named_children if body is not None else ():
            found = _member_name(member, inner, {**self.ints, **inner.values})
            if found is not None:
                name, what = found
                inner = inner.child({name: what}) if not isinstance(what, int) else inner.child({}, {name: what})
        return inner

    def member(self, ty: t.Struct, name: str, names: TypeNames) -> t.Type | tuple[int, t.Type] | None:
        """`S::name` of a class instance: a member type, or a static integer constant (its value
        and declared type)."""
        inst = self.instances.get(ty.name)
        if inst is None:
            return None
        inner = self.scope_names(inst[0], inst[1], names)
        if name in inner.values and name not in inst[1]:
            return inner.values[name], _static_type(inst[0], name, inner)
        found = inner.names.get(name)
        return found if found is not None and name not in inst[1] and name != inst[0].name else None

    def _struct(self, cls: ClassDef, bound: dict[str, str | int], ir_name: str, names: TypeNames) -> t.Struct:
        known = self.instances.get(ir_name)
        if ir_name in self._busy:
            return t.Struct(ir_name)  # a pointer to the class inside itself (`Node* next`)
        self._busy.add(ir_name)
        try:
            inner = self.scope_names(cls, bound, names)
            inner = inner.child({cls.name: t.Struct(ir_name)})
            fields = struct_fields(cls.node, inner, {**self.ints, **inner.values})
            if fields is not None and not copies_memberwise(cls, [n for n, _ in fields]):
                fields = None  # copies run user code the IR's plain copies would skip: keep it opaque
        finally:
            self._busy.discard(ir_name)
        if known is None:
            self.instances[ir_name] = (cls, bound)
        return t.Struct(ir_name, fields or ())


def _member_name(node: CstNode, names: TypeNames, ints: dict[str, int]) -> tuple[str, t.Type | int] | None:
    """A member type alias or static integer constant of a class body: (name, type or value)."""
    if node.type == "alias_declaration":
        name, desc = node.child_by_field_name("name"), node.child_by_field_name("type")
        ty = parse_type_text(desc.text.decode(), names) if desc is not None and desc.text else None
        return (name.text.decode(), ty) if name is not None and name.text and ty is not None else None
    if node.type == "type_definition":
        tnode = node.child_by_field_name("type")
        d = node.child_by_field_name("declarator")
        try:
            base = base_type(tnode, names) if tnode is not None else None
        except TypeError_:
            return None
        named = array_declarator_type(d, base, ints) if base is not None else None
        return named  # type: ignore[return-value]
    is_static = any(c.type == "storage_class_specifier" and c.text == b"static" for c in node.children)
    if node.type != "field_declaration" or not is_static:
        return None
    d, default, tnode = (node.child_by_field_name(f) for f in ("declarator", "default_value", "type"))
    if d is None or default is None or tnode is None or d.type != "field_identifier" or not d.text:
        return None
    try:
        ty = base_type(tnode, names)
    except TypeError_:
        return None
    value = const_size(default, ints) if isinstance(ty, t.Scalar) and ty.kind.is_integer else None
    return (d.text.decode(), value) if value is not None else None


def _static_type(cls: ClassDef, name: str, names: TypeNames) -> t.Type:
    body = cls.node.child_by_field_name("body")
    for f in body.named_children if body is not None else ():
        d, tnode = f.child_by_field_name("declarator"), f.child_by_field_name("type")
        if f.type == "field_declaration" and d is not None and d.text == name.encode() and tnode is not None:
            try:
                return base_type(tnode, names)
            except TypeError_:
                break
    return t.I32


_MEMBER_COPY = re.compile(r"(?:this\s*->\s*)?(\w+)\s*=\s*(\w+)\s*\.\s*(\w+)\s*;")


def copies_memberwise(cls: ClassDef, fields: list[str]) -> bool:
    """Whether the class's user copy constructor and copy assignment (if any) copy each field and
    nothing else (`x = src.x; ... return *this;`), so a plain struct copy means the same."""
    body = cls.node.child_by_field_name("body")
    for f in body.named_children if body is not None else ():
        if f.type != "function_definition":
            continue
        decl = f.child_by_field_name("declarator")
        while decl is not None and decl.type != "function_declarator":
            decl = decl.child_by_field_name("declarator") or (decl.named_children[0] if decl.named_children else None)
        inner = decl.child_by_field_name("declarator") if decl is not None else None
        params = decl.child_by_field_name("parameters") if decl is not None else None
        name = inner.text.decode() if inner is not None and inner.text else ""
        ptexts = [c.text.decode() for c in params.named_children if c.text] if params is not None else []
        is_copy = len(ptexts) == 1 and re.search(rf"\b{cls.name}\b[^&]*&(?!&)", ptexts[0]) is not None
        if not is_copy or "".join(name.split()) not in (cls.name, "operator="):
            continue
        fbody = f.child_by_field_name("body")
        if fbody is None:
            continue  # `= default`
        copied: set[str] = set()
        for st in fbody.named_children:
            text = " ".join(st.text.decode().split()) if st.text else ""
            m = _MEMBER_COPY.fullmatch(text)
            if m is not None and m.group(1) == m.group(3) and m.group(1) in fields:
                copied.add(m.group(1))
            elif text.replace(" ", "") != "return*this;" and st.type != "comment":
                return False
        if copied != set(fields):
            return False
    return True


def template_param_name(p: CstNode) -> str | None:
    """The name a template parameter declares (`typename T`, `int N = 4`), None when unnamed."""
    if p.type in ("type_parameter_declaration", "variadic_type_parameter_declaration"):
        ident = next((c for c in p.named_children if c.type == "type_identifier"), None)
        return ident.text.decode() if ident is not None and ident.text else None
    if p.type == "optional_type_parameter_declaration":
        n = p.child_by_field_name("name")
        return n.text.decode() if n is not None and n.text else None
    if p.type in ("parameter_declaration", "optional_parameter_declaration"):
        d = p.child_by_field_name("declarator")
        return d.text.decode() if d is not None and d.text else None
    return None


def mangle(name: str, args: list[str | int]) -> str:
    """A C identifier for a class template instance: `V<float, 4>` -> `V_float_4`."""
    if not args:
        return name
    text = "_".join(str(a) for a in args)
    text = text.replace("*", "p").replace("-", "m")
    return re.sub(r"\W+", "_", f"{name}_{text}").strip("_")


def is_class_with_body(node: CstNode) -> bool:
    return node.type in _CLASS_KINDS and node.child_by_field_name("body") is not None
