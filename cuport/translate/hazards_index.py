"""The facts about one file's CST that the hazard detectors and the API counter share.

One tree-sitter query collects every node kind they need in a single pass inside the C library,
which is what keeps `cuport scan` fast (a Python walk over every node costs ~10x more). The rest
of this module turns those nodes into small lookups: enclosing function, macro and constant
values, variable types per function.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_cuda

Node = tree_sitter.Node

_LANGUAGE = tree_sitter.Language(tree_sitter_cuda.language())

_QUERY_TEXT = """
(preproc_def) @macro
(preproc_function_def) @fmacro
(preproc_include) @include
(declaration) @decl
(parameter_declaration) @param
(call_expression) @call
(gnu_asm_expression) @asm
(function_definition) @fn
(binary_expression) @bin
(identifier) @id
(type_identifier) @tid
(qualified_identifier) @qid
(namespace_alias_definition) @alias
(for_statement) @for
(if_statement) @if
"""
_QUERY = tree_sitter.Query(_LANGUAGE, _QUERY_TEXT)

_WORD = re.compile(rb"[A-Za-z_]\w*")


@dataclass
class Function:
    """A function definition: its name, CUDA qualifiers and byte range."""

    name: str
    start: int
    end: int
    qualifiers: frozenset[str]
    node: Node
    var_types: dict[str, str] = field(default_factory=dict)  # name -> declared type text (pointee for pointers)
    pointers: set[str] = field(default_factory=set)
    thread_varying: set[str] = field(default_factory=set)

    @property
    def is_device(self) -> bool:
        return "__global__" in self.qualifiers or "__device__" in self.qualifiers

    @property
    def is_device_only(self) -> bool:
        return self.is_device and "__host__" not in self.qualifiers


@dataclass
class CstIndex:
    """Nodes of interest, by kind, in document order, plus derived lookups."""

    data: bytes
    nodes: dict[str, list[Node]]
    functions: list[Function]
    macros: dict[str, str]  # object-like macro -> its value text, stripped
    values: dict[str, str]  # variables with a single initializer -> the initializer text
    global_types: dict[str, str]
    aliases: dict[str, str]  # namespace alias -> namespace
    defined_names: set[str]  # macros and functions defined in this file
    _starts: list[int] = field(default_factory=list)

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def get(self, kind: str) -> list[Node]:
        return self.nodes.get(kind, [])

    def function_at(self, offset: int) -> Function | None:
        """The innermost function definition containing the byte offset."""
        i = bisect.bisect_right(self._starts, offset) - 1
        while i >= 0:
            fn = self.functions[i]
            if fn.start <= offset < fn.end:
                return fn
            i -= 1
        return None

    def var_type(self, fn: Function | None, name: str) -> str:
        if fn is not None and name in fn.var_types:
            return fn.var_types[name]
        return self.global_types.get(name, "")

    def resolve(self, text: str, depth: int = 4) -> str:
        """Follow a name through macros and single-initializer variables to the text it stands for."""
        while depth > 0 and (text in self.macros or text in self.values):
            text = _strip_parens((self.macros.get(text) or self.values.get(text, text)).strip())
            depth -= 1
        return text


def build_index(data: bytes, tree: tree_sitter.Tree, extra_macros: dict[str, str] | None = None) -> CstIndex:
    """Index one file. `extra_macros` (-D, or macros of included headers) apply unless the file redefines them."""
    nodes: dict[str, list[Node]] = tree_sitter.QueryCursor(_QUERY).captures(tree.root_node)
    index = CstIndex(data, nodes, [], {}, {}, {}, {}, set())
    _collect_functions(index)
    _collect_macros(index)
    for name, value in (extra_macros or {}).items():
        index.macros.setdefault(name, _strip_parens(value.strip()))
    _collect_aliases(index)
    _collect_variables(index)
    return index


def _collect_functions(index: CstIndex) -> None:
    fns = []
    for node in index.get("fn"):
        declarator = node.child_by_field_name("declarator")
        name = _declarator_name(index, declarator) if declarator is not None else ""
        quals = frozenset(c.type for c in node.children if c.type in ("__global__", "__device__", "__host__"))
        fns.append(Function(name, node.start_byte, node.end_byte, quals, node))
    fns.sort(key=lambda f: f.start)
    index.functions = fns
    index._starts = [f.start for f in fns]
    index.defined_names.update(f.name for f in fns if f.name)


def _collect_macros(index: CstIndex) -> None:
    for node in index.get("macro"):
        name_node = node.child_by_field_name("name")
        value_node = node.child_by_field_name("value")
        if name_node is None:
            continue
        name = index.text(name_node)
        index.defined_names.add(name)
        if value_node is not None and name not in index.macros:
            index.macros[name] = macro_value(index.text(value_node))
    for node in index.get("fmacro"):
        name_node = node.child_by_field_name("name")
        if name_node is not None:
            index.defined_names.add(index.text(name_node))


def _collect_aliases(index: CstIndex) -> None:
    for node in index.get("alias"):
        names = [c for c in node.children if c.type in ("namespace_identifier", "nested_namespace_specifier")]
        if len(names) >= 2:
            index.aliases[index.text(names[0])] = index.text(names[-1]).replace(" ", "")


def _collect_variables(index: CstIndex) -> None:
    # parameters first: locals are often computed from a thread-index parameter
    for kind in ("param", "decl"):
        for node in index.get(kind):
            type_node = node.child_by_field_name("type")
            if type_node is None:
                continue
            base = index.text(type_node)
            fn = index.function_at(node.start_byte)
            for declarator in node.children_by_field_name("declarator"):
                if declarator.type == "function_declarator":  # a prototype: a name this file defines
                    index.defined_names.add(_declarator_name(index, declarator))
                    continue
                value = None
                if declarator.type == "init_declarator":
                    value = declarator.child_by_field_name("value")
                    declarator = declarator.child_by_field_name("declarator") or declarator
                name = _declarator_name(index, declarator)
                if not name:
                    continue
                index.defined_names.add(name)  # a variable called cudaStat is not an API
                is_pointer = declarator.type in ("pointer_declarator", "array_declarator")
                if fn is None:
                    index.global_types[name] = base
                else:
                    fn.var_types[name] = base
                    if is_pointer:
                        fn.pointers.add(name)
                if value is not None and value.type != "initializer_list":
                    text = index.text(value)
                    index.values.setdefault(name, text)
                    if fn is not None and _mentions_thread(text, fn):
                        fn.thread_varying.add(name)
            if kind == "param" and fn is not None:
                for declarator in node.children_by_field_name("declarator"):
                    name = _declarator_name(index, declarator)
                    if name and _THREADISH_PARAM.match(name) and fn.is_device:
                        fn.thread_varying.add(name)


# Parameters of device functions that conventionally carry a thread or lane index.
_THREADISH_PARAM = re.compile(r"^(tid|lane|lane_?id|laneId|thread_?id|threadId|tx|lid|local_?id|t)$")


def _mentions_thread(text: str, fn: Function) -> bool:
    if "threadIdx" in text:
        return True
    if not fn.thread_varying:
        return False
    return any(w.decode() in fn.thread_varying for w in _WORD.findall(text.encode()))


def is_thread_varying(text: str, fn: Function | None) -> bool:
    if "threadIdx" in text or "laneid" in text.lower():
        return True
    return fn is not None and _mentions_thread(text, fn)


def _declarator_name(index: CstIndex, node: Node | None) -> str:
    # pointer/array/reference/function declarators wrap the name; follow them down
    depth = 0
    while node is not None and depth < 16:
        if node.type in ("identifier", "field_identifier", "type_identifier", "operator_name", "destructor_name"):
            return index.text(node)
        if node.type in ("qualified_identifier", "template_function"):
            return index.text(node).replace(" ", "")
        inner = node.child_by_field_name("declarator")
        if inner is None:
            inner = next((c for c in node.children if c.is_named), None)
        node = inner
        depth += 1
    return ""


_COMMENT = re.compile(r"//.*|/\*.*?\*/", re.DOTALL)


def macro_value(text: str) -> str:
    """A macro body without comments or line continuations, outer parentheses stripped."""
    return _strip_parens(_COMMENT.sub(" ", text).replace("\\\n", " ").strip())


def _strip_parens(text: str) -> str:
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
