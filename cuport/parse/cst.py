"""tree-sitter-cuda concrete syntax trees: one parser per thread, plus small node helpers.

The CST keeps macros, comments and byte ranges, which the HIP emitter edits in place. In this
grammar `__global__`, `__device__` and `__host__` are anonymous tokens, so CUDA qualifiers are
recognised by token text (`node.type` of an anonymous node is its text).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import tree_sitter
import tree_sitter_cuda

from cuport.source import SourceText, Span

Node = tree_sitter.Node
Tree = tree_sitter.Tree

FUNCTION_QUALIFIERS = {"__global__": "global", "__device__": "device", "__host__": "host"}
VARIABLE_QUALIFIERS = {"__constant__": "constant", "__device__": "device", "__managed__": "managed", "__shared__": "shared"}

_local = threading.local()
_LANGUAGE = tree_sitter.Language(tree_sitter_cuda.language())


def _parser() -> tree_sitter.Parser:
    # Parsers hold mutable state and are not thread-safe; creating one per parse costs ~10 us but
    # reusing it avoids churn in batch scans.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = tree_sitter.Parser(_LANGUAGE)
        _local.parser = parser
    return parser


def parse_cst(source: SourceText) -> Tree:
    """Parse the whole file; tree-sitter never fails, it marks what it cannot read as ERROR/MISSING."""
    return _parser().parse(source.data)


def parse_bytes(data: bytes) -> Tree:
    return _parser().parse(data)


def node_text(source: SourceText | bytes, node: Node) -> str:
    data = source if isinstance(source, bytes) else source.data
    return data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def node_span(source: SourceText, node: Node) -> Span:
    return source.span(node.start_byte, node.end_byte)


def iter_nodes(node: Node) -> Iterator[Node]:
    """Every node under `node` (itself included) in document order, without recursion.

    CUDA files can nest thousands of levels (long `a + b + ...` chains), so Python recursion is out.
    """
    cursor = node.walk()
    depth = 0
    while True:
        yield cursor.node  # type: ignore[misc]
        if cursor.goto_first_child():
            depth += 1
            continue
        while depth > 0 and not cursor.goto_next_sibling():
            cursor.goto_parent()
            depth -= 1
        if depth == 0:
            return


def iter_problems(tree: Tree | Node) -> Iterator[Node]:
    """ERROR nodes (not those directly inside another) and MISSING tokens, in document order."""
    root = tree.root_node if isinstance(tree, tree_sitter.Tree) else tree
    if not root.has_error:
        return
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            yield node
            continue
        if node.is_error:
            yield node
            # An ERROR region often swallows whole, well-formed definitions (after an `#if` that
            # splits a signature); problems inside those are reported too, nested ERRORs are not.
            stack.extend(reversed([c for c in node.children if c.has_error and not c.is_error]))
            continue
        stack.extend(reversed([c for c in node.children if c.has_error]))


def cuda_qualifiers(node: Node) -> frozenset[str]:
    """CUDA function qualifiers among the direct tokens of a declaration or definition."""
    return frozenset(FUNCTION_QUALIFIERS[c.type] for c in node.children if c.type in FUNCTION_QUALIFIERS)


def is_file_scope(node: Node) -> bool:
    """True when `node` is not inside a function, class body, parameter list or statement."""
    parent = node.parent
    while parent is not None:
        if parent.type in _SCOPE_BREAKERS:
            return False
        parent = parent.parent
    return True


_SCOPE_BREAKERS = frozenset(
    {"compound_statement", "function_definition", "field_declaration_list", "parameter_list", "lambda_expression"}
)
