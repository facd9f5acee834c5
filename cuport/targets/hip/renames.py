"""Rename rules: CUDA identifiers, namespaces, macro bodies and includes to their HIP names.

Each rule reads the CST (through the shared `CstIndex`) and yields byte-range edits plus
diagnostics; none of them touches comments or string literals, because those are not identifier
nodes. Macro bodies are raw text to the parser, so they are tokenised here (strings and comments
skipped) and every rename inside one is reported (CH002): a token-pasting macro may be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_cuda

from cuport.diagnostics import Diagnostic, diag
from cuport.source import SourceText
from cuport.targets.hip import tables
from cuport.targets.hip.edits import Edit
from cuport.translate.hazards_index import CstIndex, Node

_LANGUAGE = tree_sitter.Language(tree_sitter_cuda.language())
_EXTRA_QUERY = tree_sitter.Query(_LANGUAGE, "(namespace_identifier) @ns (ERROR) @err")
_MACRO_TOKENS = re.compile(
    r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/|(?P<word>[A-Za-z_]\w*)(?P<scope>\s*::)?',
    re.DOTALL,
)
HIP_RUNTIME = "hip/hip_runtime.h"
# a header name that looks like CUDA's: reported when the table has no row for it
_CUDA_HEADER = re.compile(r"^(?:cuda|cu[A-Z_a-z]|cub/|nv|thrust/system/cuda|cooperative_groups|curand|cublas|cufft|cusparse|cusolver)")


@dataclass
class Renamed:
    edits: list[Edit] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    hip_headers: set[str] = field(default_factory=set)  # HIP headers the output includes
    renamed: int = 0  # identifiers renamed (not counting includes)
    unmapped: dict[str, int] = field(default_factory=dict)  # CUDA-looking names left alone


def _report_unmapped(out: Renamed, source: SourceText, name: str, category: str, offset: int, seen: set[str]) -> None:
    out.unmapped[name] = out.unmapped.get(name, 0) + 1
    if name not in seen:  # once per name per file: the count is in `unmapped`
        seen.add(name)
        out.diagnostics.append(diag("CH001", source.span(offset, offset + len(name)), name=name, category=category))


def declared_names(index: CstIndex) -> set[str]:
    """Names the file declares itself (`cudaStat`, `cublasHandle`...) that rename rules leave alone.

    A name with its own table row (`cudaMemcpy`) stays renameable unless the file defines it as a
    macro or a function body: error-tolerant parsing reads `CUERR cudaMalloc(&p, n);` (a statement
    macro without `;` before it) as a declaration of `cudaMalloc`, and one such misparse must not
    leave every call of the file unconverted.
    """
    strong = set(index.macros) | {f.name for f in index.functions if f.name}
    for node in index.get("fmacro"):
        name_node = node.child_by_field_name("name")
        if name_node is not None:
            strong.add(index.text(name_node))
    rows = tables.identifiers()
    weak = (set(index.defined_names) | set(index.global_types)) - strong
    for fn in index.functions:
        weak.update(fn.var_types)
    return strong | {n for n in weak if n not in rows}


def rename_identifiers(source: SourceText, index: CstIndex, out: Renamed) -> None:
    data = index.data
    starts = tables.start_bytes()
    defined = declared_names(index)
    partial_seen: set[str] = set()
    unmapped_seen: set[str] = set()
    for kind in ("id", "tid"):
        for node in index.get(kind):
            if data[node.start_byte] not in starts:
                continue
            name = data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")
            if name in defined:
                continue  # the file defines it: a user's own helper, not the CUDA API
            row, category = tables.lookup(name)
            if category is None:
                continue
            if row is None or row.hip is None:
                _report_unmapped(out, source, name, category, node.start_byte, unmapped_seen)
                continue
            if row.hip == name or "::" in row.hip:
                continue
            out.edits.append(Edit(node.start_byte, node.end_byte, row.hip))
            out.renamed += 1
            if row.support == "partial" and name not in partial_seen:
                partial_seen.add(name)
                out.diagnostics.append(diag("CH003", source.span(node.start_byte, node.end_byte), name=name, hip=row.hip))


def rename_namespaces(source: SourceText, index: CstIndex, extra: dict[str, list[Node]], out: Renamed) -> None:
    spaces = tables.namespaces()
    unmapped_seen: set[str] = set()
    for node in extra.get("ns", []):
        name = index.text(node)
        row = spaces.get(name)
        if row is None or name in index.aliases:
            continue
        if row.hip is None:
            _report_unmapped(out, source, f"{name}::", "namespace", node.start_byte, unmapped_seen)
            continue
        out.edits.append(Edit(node.start_byte, node.end_byte, row.hip))
        out.renamed += 1
    # `namespace alias = cub;` names the namespace as a plain identifier-like node
    for node in index.get("alias"):
        names = [c for c in node.children if c.type in ("namespace_identifier", "nested_namespace_specifier")]
        for target in names[1:]:
            row = spaces.get(index.text(target))
            if row is not None and row.hip is not None and target not in extra.get("ns", []):
                out.edits.append(Edit(target.start_byte, target.end_byte, row.hip))


def rename_in_macros(source: SourceText, index: CstIndex, out: Renamed) -> None:
    data = index.data
    spaces = tables.namespaces()
    defined = declared_names(index)
    for kind in ("macro", "fmacro"):
        for node in index.get(kind):
            value = node.child_by_field_name("value")
            name_node = node.child_by_field_name("name")
            if value is None or name_node is None:
                continue
            macro = index.text(name_node)
            params = set()
            if kind == "fmacro":
                plist = node.child_by_field_name("parameters")
                params = {index.text(c) for c in plist.children if c.type == "identifier"} if plist else set()
            body = data[value.start_byte : value.end_byte].decode("utf-8", errors="replace")
            base = value.start_byte
            for m in _MACRO_TOKENS.finditer(body):
                word = m.group("word")
                if word is None or word in params or word in defined:
                    continue
                if m.group("scope"):
                    row = spaces.get(word)
                    if row is None or row.hip is None:
                        continue
                    hip = row.hip
                else:
                    found, category = tables.lookup(word)
                    if category is None:
                        continue
                    if found is None or found.hip is None:
                        offset = base + len(body[: m.start("word")].encode("utf-8"))
                        _report_unmapped(out, source, word, category, offset, set(out.unmapped))
                        continue
                    if found.hip == word or "::" in found.hip:
                        continue
                    hip = found.hip
                start = base + len(body[: m.start("word")].encode("utf-8"))
                end = start + len(word.encode("utf-8"))
                out.edits.append(Edit(start, end, hip))
                out.renamed += 1
                out.diagnostics.append(diag("CH002", source.span(start, end), name=word, hip=hip, macro=macro))


def _include_name(index: CstIndex, node: Node) -> tuple[Node, str] | None:
    path = node.child_by_field_name("path")
    if path is None or path.type not in ("string_literal", "system_lib_string"):
        return None
    text = index.text(path)
    return path, text[1:-1].strip()


def _line_end(data: bytes, end: int) -> int:
    """The include node's end, extended over its newline so a removal leaves no blank line."""
    if end > 0 and data[end - 1 : end] == b"\n":
        return end
    return end + 1 if data[end : end + 1] == b"\n" else end


def rename_includes(source: SourceText, index: CstIndex, out: Renamed) -> None:
    heads = tables.headers()
    data = index.data
    blocks: dict[int, set[str]] = {}  # parent node id -> HIP headers included in that block
    plan: list[tuple[Node, Node, str, str, str | None]] = []  # include, path, cuda name, hip name, parent
    for node in index.get("include"):
        found = _include_name(index, node)
        if found is None:
            continue
        path, name = found
        parent = node.parent.id if node.parent is not None else 0
        row = heads.get(name)
        if row is None:
            blocks.setdefault(parent, set()).add(name)
            out.hip_headers.add(name)
            if _CUDA_HEADER.match(name):
                out.diagnostics.append(diag("CH006", source.span(path.start_byte, path.end_byte), name=index.text(path)))
            continue
        if row.hip is None:
            out.diagnostics.append(diag("CH006", source.span(path.start_byte, path.end_byte), name=index.text(path)))
            continue
        plan.append((node, path, name, row.hip, None))
    for node, path, _name, hip, _ in plan:
        parent = node.parent.id if node.parent is not None else 0
        seen = blocks.setdefault(parent, set())
        if hip in seen:
            out.edits.append(Edit(node.start_byte, _line_end(data, node.end_byte), ""))
            quoted = index.text(path)[0] + hip + index.text(path)[-1]
            out.diagnostics.append(diag("CH007", source.span(node.start_byte, node.end_byte), name=quoted))
            continue
        seen.add(hip)
        out.hip_headers.add(hip)
        text = index.text(path)
        out.edits.append(Edit(path.start_byte, path.end_byte, text[0] + hip + text[-1]))


def extra_nodes(tree: tree_sitter.Tree) -> dict[str, list[Node]]:
    return tree_sitter.QueryCursor(_EXTRA_QUERY).captures(tree.root_node)


def report_parse_errors(source: SourceText, extra: dict[str, list[Node]], out: Renamed) -> None:
    for node in extra.get("err", [])[:5]:
        what = " ".join(source.data[node.start_byte : min(node.end_byte, node.start_byte + 40)].decode("utf-8", "replace").split())
        out.diagnostics.append(diag("CH008", source.span(node.start_byte, node.end_byte), what=what))
