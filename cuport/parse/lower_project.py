"""Separate compilation (nvcc -rdc): the other translation units of a project, where a `__device__`
function that a file only declares (`__device__ int f(int);` in a header) is defined.

A `ProjectScope` holds the other files, each preprocessed and parsed on its own (its typedefs,
macros and spans are its own). The lowering asks it for a definition only when a called name has
none in the file; the definition found is lowered later with its own file's context
(`lower.lower_module`). Two definitions, or one that does not lower, are refused with both places
named: never a silent pick.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from tree_sitter import Tree

from cuport.diagnostics import diag
from cuport.parse.lower_body import LowerError
from cuport.parse.lower_scope import FileScope, FunctionDef, scan_file, tokens
from cuport.parse.preprocess import line_map, original_span
from cuport.source import SourceText

if TYPE_CHECKING:
    from tree_sitter import Node as CstNode

    from cuport.ir import nodes as ir
    from cuport.parse.lower_body import FunctionLowerer


@dataclass
class Unit:
    """One other file of the project, preprocessed, parsed and scanned."""

    source: SourceText
    tree: Tree
    scope: FileScope
    lines: tuple[tuple[str, int], ...] = ()

    def place(self, fn: FunctionDef) -> str:
        """`file:line` of a definition in the user's file (not the preprocessed text)."""
        sp = original_span(self.source.span(fn.node.start_byte, fn.node.end_byte), self.lines)
        return f"{sp.file}:{sp.line}"


@dataclass
class ProjectScope:
    units: list[Unit] = field(default_factory=list)
    _home: dict[FunctionDef, Unit] = field(default_factory=dict)

    @classmethod
    def of(cls, sources: list[tuple[SourceText, Tree]]) -> ProjectScope:
        out = cls()
        for source, tree in sources:
            unit = Unit(source, tree, _file_local_names(source, scan_file(source, tree)), line_map(source))
            unit.scope.project = out  # its own definitions may call into a third file
            out.units.append(unit)
        return out

    def definitions(self, name: str, caller: SourceText) -> list[tuple[Unit, FunctionDef]]:
        """Definitions of a non-template, non-static `__device__` function `name` in the other files
        (external linkage: what the device linker would find), one per place in the user's files (a
        header defining it, included by two files, is one definition)."""
        found: dict[str, tuple[Unit, FunctionDef]] = {}
        for unit in self.units:
            if unit.source.path == caller.path:
                continue
            for fn in unit.scope.functions.get(name, ()):
                if fn.is_device and fn.template_params is None and not fn.owner and "static" not in tokens(fn.node):
                    found.setdefault(unit.place(fn), (unit, fn))
        return list(found.values())

    def unit_of(self, fn: FunctionDef) -> Unit | None:
        """The file a definition handed out by `call` (or called from one) belongs to."""
        return self._home.get(fn)

    def adopt(self, fn: FunctionDef, unit: Unit) -> None:
        self._home.setdefault(fn, unit)

    def call(self, lowerer: FunctionLowerer, node: CstNode, fn_node: CstNode, name: str) -> ir.Expr | None:
        """The call `name(args)` of a function the caller's file does not define, to the project's
        one definition of it; None when the project has none."""
        defs = self.definitions(name, lowerer.source)
        if not defs:
            return None
        if len(defs) > 1:
            places = ", ".join(unit.place(fn) for unit, fn in defs)
            raise LowerError(diag("CL009", lowerer.span(fn_node), name=name, places=places))
        unit, fn = defs[0]
        self.adopt(fn, unit)
        return lowerer.call_candidate(node, fn, [], lowerer.args(node), home=(unit.source, unit.scope))


def _file_local_names(source: SourceText, scope: FileScope) -> FileScope:
    """Static functions have internal linkage: two files may each have their own `sq`. Their IR
    names get the file's stem (`sq_sine`), so the helpers of two files can share one module."""
    stem = re.sub(r"\W", "_", PurePath(source.path).stem)
    for name, defs in scope.functions.items():
        scope.functions[name] = [
            dataclasses.replace(fn, ir_name=f"{fn.ir_name or fn.name}_{stem}")
            if fn.is_device and not fn.owner and "static" in tokens(fn.node) else fn
            for fn in defs
        ]
    return scope


__all__ = ["ProjectScope", "Unit"]
