"""Comparisons that parse as templates: `iter < n >> 3`, `(d < lo || d >= hi)` and `a < b > (c)`
parse as `iter<n>`, `d<lo || d> = hi` and `a<b>(c)`, because a parser cannot know that `iter`, `d`
and `a` are variables, not templates.

`reread_comparisons` turns the `<` of every such "template" whose name is a variable of the function
(a parameter or a local) into `>`, which never opens a template and has the same precedence and
associativity, and parses the text again. The bytes keep their offsets, so spans stay valid; the
lowering reads the operator at a swapped offset as `<` again.
"""

from __future__ import annotations

import dataclasses

from tree_sitter import Node as CstNode

from cuport.parse.cst import parse_cst
from cuport.parse.lower_parens import walk_cst
from cuport.source import SourceText

_DECLARERS = ("parameter_declaration", "optional_parameter_declaration", "declaration")
_WRAPPERS = ("init_declarator", "pointer_declarator", "array_declarator", "reference_declarator",
             "parenthesized_declarator")


def _declared_names(fn: CstNode) -> set[str]:
    out: set[str] = set()
    for n in walk_cst(fn):
        if n.type not in _DECLARERS:
            continue
        for d in n.children_by_field_name("declarator"):
            while d is not None and d.type in _WRAPPERS:
                d = d.child_by_field_name("declarator") or (d.named_children[0] if d.named_children else None)
            if d is not None and d.type == "identifier" and d.text:
                out.add(d.text.decode())
    return out


def misread_comparisons(fn: CstNode) -> list[int]:
    """Offsets of the `<` of each template use in fn whose name is one of fn's variables."""
    names = _declared_names(fn)
    out: list[int] = []
    for n in walk_cst(fn):
        if n.type != "template_function":
            continue
        name, args = n.child_by_field_name("name"), n.child_by_field_name("arguments")
        if name is None or args is None or name.type != "identifier" or not name.text or name.text.decode() not in names:
            continue
        first = args.children[0] if args.children else None
        if first is not None and first.type == "<":
            out.append(first.start_byte)
    return out


def reread_comparisons(source: SourceText, fn: CstNode) -> tuple[CstNode, frozenset[int]] | None:
    """fn parsed again with its misread comparisons fixed, and the swapped offsets; None if none."""
    offsets = misread_comparisons(fn)
    if not offsets:
        return None
    data = bytearray(source.data)
    for o in offsets:
        data[o] = ord(">")
    tree = parse_cst(dataclasses.replace(source, data=bytes(data)))
    node = tree.root_node.descendant_for_byte_range(fn.start_byte, fn.end_byte)
    while node is not None and not (node.type == fn.type and node.start_byte == fn.start_byte and node.end_byte == fn.end_byte):
        node = node.parent
    return None if node is None else (node, frozenset(offsets))


__all__ = ["misread_comparisons", "reread_comparisons"]
