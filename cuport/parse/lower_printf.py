"""`printf` whose format or a `%s` argument is a `?:` of string literals.

    printf("%s%d", neg ? "-" : "", v);   ->   if (neg) printf("-%d", v); else printf("%d", v);

The IR has no string values: a literal `%s` argument is spliced into the format, so a choice
between literals becomes a choice between two printf calls. The condition is evaluated once,
before the other arguments (C++ leaves the order of arguments unspecified, so this is one order
the original may take). Side effects (`++`, assignments) in the arguments are refused: each
branch lowers the other arguments again, and their order relative to the condition would matter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node as CstNode

from cuport.ir import nodes as ir
from cuport.parse.lower_parens import walk_cst

if TYPE_CHECKING:
    from cuport.parse.lower_body import FunctionLowerer

_STRINGS = ("string_literal", "concatenated_string")
_EFFECTS = ("update_expression", "assignment_expression")


def unparen(node: CstNode) -> CstNode:
    while node.type == "parenthesized_expression" and len(node.named_children) == 1:
        node = node.named_children[0]
    return node


def is_string_choice(node: CstNode) -> bool:
    """`c ? "a" : "b"` (parenthesised or nested) whose every outcome is a string literal."""
    node = unparen(node)
    if node.type in _STRINGS:
        return True
    if node.type != "conditional_expression":
        return False
    a, b = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
    return a is not None and b is not None and is_string_choice(a) and is_string_choice(b)


def printf_items(node: CstNode) -> list[CstNode]:
    alist = node.child_by_field_name("arguments")
    return [c for c in alist.named_children if c.type != "comment"] if alist is not None else []


def printf_statement(lw: FunctionLowerer, node: CstNode) -> list[ir.Stmt] | None:
    """A printf call statement with a `?:` of strings as an if over printf calls; None: none such."""
    items = printf_items(node)
    if not any(unparen(c).type == "conditional_expression" and is_string_choice(c) for c in items):
        return None
    if any(n.type in _EFFECTS for c in items for n in walk_cst(c)):
        raise lw.fail(node, "printf with a ?: of strings", "an argument has side effects")
    return _choose(lw, node, {})


def _choose(lw: FunctionLowerer, node: CstNode, chosen: dict[int, CstNode]) -> list[ir.Stmt]:
    sp = lw.span(node)
    for i, item in enumerate(printf_items(node)):
        c = unparen(chosen.get(i, item))
        if c.type != "conditional_expression":
            continue
        cond_node = c.child_by_field_name("condition")
        a, b = c.child_by_field_name("consequence"), c.child_by_field_name("alternative")
        if cond_node is None or a is None or b is None:
            raise lw.fail(c, "printf with a ?: of strings", "unexpected shape")
        cond = lw.to_bool(lw.expr(cond_node), cond_node)
        then = ir.Block(lw.span(a), tuple(_choose(lw, node, {**chosen, i: a})))
        orelse = ir.Block(lw.span(b), tuple(_choose(lw, node, {**chosen, i: b})))
        return [ir.If(sp, cond, then, orelse)]
    return [ir.ExprStmt(sp, lw.printf(node, chosen))]
