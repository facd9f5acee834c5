"""What a file offers the functions in it: functions, globals, constants, typedefs and structs.

`scan_file` walks the top level of a CST once (through namespaces, `extern "C"`, templates and
`#if` blocks) and records what lowering needs to resolve names used inside a function.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode
from tree_sitter import Tree

from cuport.diagnostics import Diagnostic
from cuport.ir import types as t
from cuport.parse.lower_cub import cub_alias
from cuport.parse.lower_structs import (
    ClassDef,
    ClassTable,
    array_declarator_type,
    is_class_with_body,
    struct_fields,
)
from cuport.parse.lower_types import TypeError_, TypeNames, base_type, has_qualifier
from cuport.source import SourceText

if TYPE_CHECKING:
    from cuport.parse.lower_project import ProjectScope

_CONTAINERS = {
    "translation_unit", "declaration_list", "linkage_specification", "preproc_if", "preproc_ifdef",
    "preproc_else", "preproc_elif", "preproc_elifdef", "namespace_definition",
}  # fmt: skip


@dataclass(frozen=True)
class FunctionDef:
    """A function definition found in the file (not yet lowered)."""

    name: str
    node: CstNode  # function_definition
    template_params: CstNode | None  # template_parameter_list when templated
    is_kernel: bool
    is_device: bool
    force_inline: bool
    ir_name: str = ""  # the IR's name when it differs from `name` (overloads after the first)
    specialized: tuple[str, ...] | None = None  # `template<> f<double>(...)`: the argument texts (() unnamed)
    owner: str = ""  # a member function: the class it belongs to (its `template_params` are the class's)


@dataclass
class FileScope:
    functions: dict[str, list[FunctionDef]] = field(default_factory=dict)
    global_decls: list[CstNode] = field(default_factory=list)  # file-scope declarations device code may read
    enum_values: dict[str, int] = field(default_factory=dict)
    types: TypeNames = field(default_factory=TypeNames)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    classes: ClassTable = field(default_factory=ClassTable)
    # Variable templates (`template <class T> __constant__ T mask[N];`): name -> (declaration,
    # template parameters); instantiated where used (lower_constexpr).
    var_templates: dict[str, tuple[CstNode, CstNode]] = field(default_factory=dict)
    # Host-only `constexpr` functions: evaluated where a constant is needed (lower_constexpr).
    constexpr_fns: dict[str, list[tuple[CstNode, CstNode | None]]] = field(default_factory=dict)
    # The other files of the project (separate compilation): where functions this file only
    # declares are defined (lower_project.ProjectScope; None: this file alone).
    project: ProjectScope | None = None

    def __post_init__(self) -> None:
        # One table of classes, shared by every copy of the type names (and its integer constants
        # are the file's enumerators, as they are found).
        self.classes.ints = self.enum_values
        if self.types.classes is None:
            self.types.classes = self.classes


def _top_level(node: CstNode, namespaces: set[str]) -> Iterator[CstNode]:
    for c in node.named_children:
        if c.type == "namespace_definition":
            name = c.child_by_field_name("name")
            if name is not None and name.text:
                namespaces.update(name.text.decode().split("::"))  # `namespace a::b {`
        if c.type in _CONTAINERS:
            yield from _top_level(c.child_by_field_name("body") or c if c.type == "namespace_definition" else c,
                                  namespaces)
        else:
            yield c


def function_name(decl: CstNode | None) -> str | None:
    """Name declared by a function declarator (through pointer/reference declarators)."""
    while decl is not None and decl.type != "function_declarator":
        decl = decl.child_by_field_name("declarator") or next(
            (c for c in decl.named_children if "declarator" in c.type), None
        )
    if decl is None:
        return None
    inner = decl.child_by_field_name("declarator")
    if inner is not None and inner.type == "operator_name" and inner.text:
        return "".join(inner.text.decode().split())  # `operator +` -> `operator+`
    if inner is not None and inner.type == "template_function":
        inner = inner.child_by_field_name("name")  # an explicit specialization `f<double>`
    if inner is None or inner.type not in ("identifier", "field_identifier", "qualified_identifier"):
        return None
    return inner.text.decode() if inner.text else None


# IR names of user operator functions (C++ spells them with symbols targets cannot use).
OPERATOR_WORDS = {
    "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "&": "and", "|": "or", "^": "xor",
    "<<": "shl", ">>": "shr", "==": "eq", "!=": "ne", "<": "lt", ">": "gt", "<=": "le", ">=": "ge",
    "+=": "add_assign", "-=": "sub_assign", "*=": "mul_assign", "/=": "div_assign", "!": "not", "~": "bnot",
    "=": "assign", "()": "call", "[]": "index",
}  # fmt: skip


def tokens(node: CstNode) -> set[str]:
    """Anonymous tokens and qualifier words directly under a node (__global__, __device__, ...)."""
    out = set()
    for c in node.children:
        if not c.is_named or c.type in ("type_qualifier", "storage_class_specifier", "ms_call_modifier"):
            if c.text:
                out.add(c.text.decode())
    return out


def _function(node: CstNode, template: CstNode | None) -> FunctionDef | None:
    words = tokens(node)
    name = function_name(node.child_by_field_name("declarator"))
    if name is None:
        return None
    kernel = "__global__" in words
    device = "__device__" in words
    if not (kernel or device):
        return None
    return FunctionDef(name, node, template, kernel, device and not kernel, "__forceinline__" in words)


def scan_file(source: SourceText, tree: Tree) -> FileScope:
    scope = FileScope()
    for node in _top_level(tree.root_node, scope.classes.namespaces):
        _scan(node, scope, None)
    return scope


def _scan_specialization(node: CstNode, scope: FileScope) -> None:
    """`template<> T f<double>(double)`: an ordinary overload of f that explicit `f<double>` calls
    also select (the primary template usually has no body)."""
    before = len(scope.functions.get(function_name(node.child_by_field_name("declarator")) or "", []))
    _scan(node, scope, None)
    name = function_name(node.child_by_field_name("declarator"))
    defs = scope.functions.get(name or "", [])
    if len(defs) == before + 1:
        defs[-1] = dataclasses.replace(defs[-1], specialized=())  # `template<> T f(...)`: arguments deduced
        decl = node.child_by_field_name("declarator")
        while decl is not None and decl.type != "function_declarator":
            decl = decl.child_by_field_name("declarator")
        inner = decl.child_by_field_name("declarator") if decl is not None else None
        targs = inner.child_by_field_name("arguments") if inner is not None else None
        if targs is not None:
            texts = tuple(" ".join(a.text.decode().split()) for a in targs.named_children if a.text)
            defs[-1] = dataclasses.replace(defs[-1], specialized=texts)


def scan_type_alias(node: CstNode, scope: FileScope) -> None:
    """Record a typedef, `using` alias or enum/struct definition (also used for function-local ones)."""
    _scan(node, scope, None)


def _scan(node: CstNode, scope: FileScope, template: CstNode | None) -> None:
    kind = node.type
    if kind == "template_declaration":
        params = node.child_by_field_name("parameters")
        for c in node.named_children:
            if c.type == "function_definition" and params is not None and not params.named_children:
                _scan_specialization(c, scope)
            elif c.type in ("function_definition", "declaration"):
                _scan(c, scope, params)
            elif is_class_with_body(c) and params is not None and params.named_children:
                _scan_class(c, scope, params)
    elif kind == "function_definition":
        fn = _function(node, template)
        if fn is None and "constexpr" in tokens(node):
            name = function_name(node.child_by_field_name("declarator"))
            if name is not None:
                scope.constexpr_fns.setdefault(name, []).append((node, template))
        if fn is not None:
            defs = scope.functions.setdefault(fn.name, [])
            overloads = sum(1 for d in defs if d.is_device)
            base = fn.name
            if base.startswith("operator") and base[len("operator"):] in OPERATOR_WORDS:
                base = f"operator_{OPERATOR_WORDS[base[len('operator'):]]}"
            if fn.is_device and overloads:
                # Overloads share a C++ name; the IR module names each function uniquely.
                base = f"{base}_ovl{overloads}"
            if base != fn.name:
                fn = dataclasses.replace(fn, ir_name=base)
            defs.append(fn)
    elif kind == "declaration":
        type_node = node.child_by_field_name("type")
        if type_node is not None:
            _scan_type(type_node, scope)
        if template is None:
            scope.global_decls.append(node)
        elif template.named_children:
            decl = node.child_by_field_name("declarator")
            while decl is not None and decl.type in ("init_declarator", "array_declarator"):
                decl = decl.child_by_field_name("declarator")
            if decl is not None and decl.type == "identifier" and decl.text:
                scope.var_templates[decl.text.decode()] = (node, template)
    elif kind in ("type_definition", "alias_declaration") and (alias := cub_alias(
        node, lambda n: base_type(n, scope.types), lambda n: _known_int(n, scope)
    )) is not None:
        scope.types.cub[alias[0]] = alias[1]
    elif kind == "type_definition":
        type_node = node.child_by_field_name("type")
        if type_node is None:
            return
        _scan_type(type_node, scope)
        try:
            if is_class_with_body(type_node) and type_node.child_by_field_name("name") is None:
                alias = next((d for d in node.children_by_field_name("declarator") if d.type == "type_identifier"), None)
                base = _struct_type(type_node, scope, alias.text.decode() if alias is not None and alias.text else "")
            else:
                base = base_type(type_node, scope.types)
        except TypeError_:
            return
        for d in node.children_by_field_name("declarator"):
            named = array_declarator_type(d, base, {**scope.enum_values, **scope.types.values})
            if named is not None:  # `typedef T name;`, `typedef T* P;`, `typedef T row[N];`
                scope.types.names[named[0]] = named[1]
    elif kind == "alias_declaration":
        name = node.child_by_field_name("name")
        desc = node.child_by_field_name("type")
        inner = desc.child_by_field_name("type") if desc is not None else None
        if name is not None and name.text and inner is not None:
            try:
                ty = base_type(inner, scope.types)
            except TypeError_:
                return
            if desc is not None and desc.child_by_field_name("declarator") is not None:
                return  # `using P = float*` and friends: rare enough to leave unresolved
            scope.types.names[name.text.decode()] = ty
    elif kind in ("struct_specifier", "class_specifier", "enum_specifier"):
        _scan_type(node, scope)
    elif kind == "friend_declaration":
        for c in node.named_children:
            _scan(c, scope, template)  # a friend function defined in a class is a free function


def _scan_type(node: CstNode, scope: FileScope) -> None:
    if node.type == "enum_specifier":
        enum_name = node.child_by_field_name("name")
        if enum_name is not None and enum_name.text:
            scope.types.names[enum_name.text.decode()] = t.I32
        # `enum class E { k }`: k is only reachable as E::k; a plain enum's as both k and E::k
        scoped = any(not c.is_named and c.type in ("class", "struct") for c in node.children)
        prefix = f"{enum_name.text.decode()}::" if enum_name is not None and enum_name.text else None
        body = node.child_by_field_name("body")
        if body is None:
            return
        value = -1
        for e in body.named_children:
            if e.type != "enumerator":
                continue
            v = e.child_by_field_name("value")
            if v is not None:
                parsed = _int_text(v.text.decode() if v.text else "")
                if parsed is None:
                    parsed = scope.enum_values.get(v.text.decode() if v.text else "")
                if parsed is None:
                    continue  # not a plain literal: leave the enumerator unknown
                value = parsed
            else:
                value += 1
            n = e.child_by_field_name("name")
            if n is not None and n.text:
                if not scoped:
                    scope.enum_values[n.text.decode()] = value
                if prefix is not None:
                    scope.enum_values[prefix + n.text.decode()] = value
    elif is_class_with_body(node):
        name = node.child_by_field_name("name")
        if name is not None and name.text and name.type == "type_identifier":
            _scan_class(node, scope, None)


def _scan_class(node: CstNode, scope: FileScope, params: CstNode | None) -> None:
    """Record a struct/class (or class template) and its device member functions."""
    name_node = node.child_by_field_name("name")
    if name_node is None or not name_node.text or name_node.type != "type_identifier":
        return  # `struct V<float> {...}` (a specialization) and friends: left unknown
    name = name_node.text.decode()
    scope.classes.classes[name] = ClassDef(name, node, params)
    if params is None:
        ty = scope.classes.instantiate(name, scope.types)
        if ty is not None:
            scope.types.names[name] = ty
    body = node.child_by_field_name("body")
    for member in body.named_children if body is not None else ():
        if member.type == "function_definition":
            _scan_method(member, scope, name, params)
        elif member.type == "friend_declaration":
            for c in member.named_children:
                _scan(c, scope, None)


def _scan_method(node: CstNode, scope: FileScope, cls: str, params: CstNode | None) -> None:
    words = tokens(node)
    fname = function_name(node.child_by_field_name("declarator"))
    if fname is None or "__device__" not in words or node.child_by_field_name("body") is None:
        return  # host-only members, `= default` and `= delete` have nothing to lower
    key = f"{cls}::{fname}"
    defs = scope.functions.setdefault(key, [])
    word = "ctor" if fname == cls else fname
    if fname.startswith("operator"):
        word = f"operator_{OPERATOR_WORDS.get(fname[len('operator'):], 'op')}"
    ir_name = f"{cls}_{word}" + (f"_ovl{len(defs)}" if defs else "")
    defs.append(FunctionDef(fname, node, params, False, True, "__forceinline__" in words, ir_name, None, cls))


def _struct_type(node: CstNode, scope: FileScope, name: str) -> t.Struct:
    """A typedef'd anonymous struct with its fields when every field type resolves, else opaque."""
    fields = struct_fields(node, scope.types, {**scope.enum_values, **scope.types.values})
    return t.Struct(name, fields or ())


def _known_int(node: CstNode, scope: FileScope) -> int:
    text = node.text.decode() if node.text else ""
    value = _int_text(text)
    if value is None:
        value = scope.enum_values.get(text)
    if value is None:
        raise ValueError(text)
    return value


def _int_text(text: str) -> int | None:
    text = text.strip().rstrip("uUlL")
    try:
        return int(text, 0)
    except ValueError:
        return None


def is_device_global(decl: CstNode) -> str | None:
    """The space of a file-scope declaration device code can read, or None for host-only ones."""
    for word, space in (("__constant__", "constant"), ("__device__", "device"), ("__managed__", "device")):
        if has_qualifier(decl, word):
            return space
    if has_qualifier(decl, "const") or has_qualifier(decl, "constexpr"):
        return "const"
    return None
