"""Casts that are not casts: `(i) + (j) * n` parses as the cast `(i)(+(j))` because a parser cannot
know whether `i` names a type; `(a[i]) - 1` likewise parses as a cast to an array type `a[i]`.
Macro bodies produce this shape a lot (`#define IDX(i, j) ((i) + (j) * N)`).

`unparenthesise` blanks the parentheses of every cast whose "type" is a plain name that names no
type of the file (no typedef, struct, enum, template parameter, scalar or vector name), so the text
parses again as the arithmetic it is. The bytes keep their offsets (each parenthesis becomes a
space), so every span of the new text is a span of the old one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node as CstNode
from tree_sitter import Tree

from cuport.parse.cst import parse_cst
from cuport.parse.lower_scope import FileScope
from cuport.source import SourceText

_TYPE_DECLARERS = {
    "type_definition", "alias_declaration", "struct_specifier", "class_specifier", "union_specifier",
    "enum_specifier", "type_parameter_declaration", "optional_type_parameter_declaration",
    "variadic_type_parameter_declaration", "template_template_parameter_declaration",
}  # fmt: skip


def walk_cst(node: CstNode) -> Iterator[CstNode]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _declared_type_names(tree: Tree) -> set[str]:
    """Every name the file declares as a type anywhere (including inside functions and templates)."""
    out: set[str] = set()
    for n in walk_cst(tree.root_node):
        if n.type in _TYPE_DECLARERS:
            for c in walk_cst(n):
                if c.type == "type_identifier" and c.text and (c.parent is None or c.parent.type != "type_descriptor"):
                    out.add(c.text.decode())
    return out


def _misparsed(cast: CstNode, is_type: set[str], scope: FileScope) -> bool:
    desc = cast.child_by_field_name("type")
    if desc is None or desc.type != "type_descriptor":
        return False
    declarator = desc.child_by_field_name("declarator")
    if declarator is not None and declarator.type != "abstract_array_declarator":
        return False  # `(a[i]) - 1` parses as a cast to the array type `a[i]`; pointers are casts
    if any(c.type not in ("type_identifier",) for c in desc.named_children if c != declarator):
        return False  # qualifiers, primitive types, templates: a real cast
    base = desc.child_by_field_name("type")
    name = base.text.decode().strip() if base is not None and base.text else ""
    return bool(name) and name.isidentifier() and name not in is_type and scope.types.lookup(name) is None


def unparenthesise(source: SourceText, tree: Tree, scope: FileScope) -> tuple[SourceText, Tree] | None:
    """The source with misparsed casts' parentheses blanked, parsed again; None when there are none."""
    is_type = _declared_type_names(tree)
    data = bytearray(source.data)
    changed = False
    for n in walk_cst(tree.root_node):
        if n.type != "cast_expression" or not _misparsed(n, is_type, scope):
            continue
        for c in n.children:
            if not c.is_named and c.type in ("(", ")"):
                data[c.start_byte] = ord(" ")
                changed = True
    if not changed:
        return None
    fixed = dataclasses.replace(source, data=bytes(data))  # same lines: only parentheses changed
    return fixed, parse_cst(fixed)
