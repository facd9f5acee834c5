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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from tree_sitter import Tree

from cuport.diagnostics import diag
from cuport.parse.cst import parse_cst
from cuport.parse.lower_body import LowerError
from cuport.parse.lower_scope import FileScope, FunctionDef, function_name, scan_file, tokens
from cuport.parse.lower_types import has_qualifier
from cuport.parse.preprocess import line_map, original_span, preprocess
from cuport.result import Ok
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


Loader = Callable[[Path], "tuple[SourceText, Tree] | None"]


@dataclass
class ProjectScope:
    units: list[Unit] = field(default_factory=list)
    _home: dict[FunctionDef, Unit] = field(default_factory=dict)
    # Files not read yet (`of_paths`): preprocessed when a name they mention is looked up, so a
    # large tree costs nothing until a file calls a function it does not define.
    _pending: list[Path] = field(default_factory=list)
    _loader: Loader | None = None

    @classmethod
    def of(cls, sources: list[tuple[SourceText, Tree]]) -> ProjectScope:
        out = cls()
        for source, tree in sources:
            out._add(source, tree)
        return out

    @classmethod
    def of_paths(cls, paths: list[Path], load: Loader) -> ProjectScope:
        """Files read lazily with `load` (preprocess and parse; None for one that cannot be)."""
        return cls(_pending=list(paths), _loader=load)

    def _add(self, source: SourceText, tree: Tree) -> None:
        unit = Unit(source, tree, _file_local_names(source, scan_file(source, tree)), line_map(source))
        unit.scope.project = self  # its own definitions may call into a third file
        self.units.append(unit)

    def _load_mentioning(self, name: str) -> None:
        word = re.compile(rb"\b" + re.escape(name.encode()) + rb"\b")
        for path in list(self._pending):
            try:
                raw = path.read_bytes()
            except OSError:
                raw = b""
            if not word.search(raw):
                continue  # a definition in a header this file includes is found as that header
            self._pending.remove(path)
            loaded = self._loader(path) if self._loader is not None else None
            if loaded is not None:
                self._add(*loaded)

    def definitions(self, name: str, caller: SourceText) -> list[tuple[Unit, FunctionDef]]:
        """Definitions of a non-template, non-static `__device__` function `name` in the other files
        (external linkage: what the device linker would find), one per place in the user's files (a
        header defining it, included by two files, is one definition)."""
        self._load_mentioning(name)
        found: dict[str, tuple[Unit, FunctionDef]] = {}
        for unit in self.units:
            if Path(unit.source.path).resolve() == Path(caller.path).resolve():
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


def project_of_files(paths: tuple[Path, ...], *, exclude: Path, includes: tuple[Path, ...] | list[Path],
                     defines: list[str], cuda_arch: int = 800) -> ProjectScope | None:
    """The project of a port: the other files given with `exclude` (the file being ported), each
    preprocessed as the port preprocesses its own (its folder first on the include path)."""
    others = [p for p in paths if p.resolve() != exclude.resolve()]
    if not others:
        return None

    def load(path: Path) -> tuple[SourceText, Tree] | None:
        pre = preprocess(path, includes=[path.parent, *includes], defines=defines, cuda_arch=cuda_arch)
        return (pre.value, parse_cst(pre.value)) if isinstance(pre, Ok) else None

    return ProjectScope.of_paths(others, load)


def program_files(source: Path, paths: tuple[Path, ...], *, includes: tuple[Path, ...] | list[Path],
                  defines: list[str]) -> tuple[Path, ...]:
    """The files among `paths` a build of `source` links with: those defining the `__device__`
    functions it declares and does not define (then theirs, and so on), each when exactly one
    file does. What the CPU runtime compiles with the original (verify/cpu_cuda.py)."""
    project = project_of_files(paths, exclude=source, includes=includes, defines=defines)
    pre = preprocess(source, includes=[source.parent, *includes], defines=defines, cuda_arch=800)
    if project is None or not isinstance(pre, Ok):
        return ()
    out: list[Path] = []
    todo = [(pre.value, parse_cst(pre.value))]
    while todo:
        text, tree = todo.pop()
        for name in sorted(_declared_only(text, tree)):
            defs = project.definitions(name, text)
            path = Path(defs[0][0].source.path) if len(defs) == 1 else None
            if path is not None and path not in out and path.resolve() != source.resolve():
                out.append(path)
                todo.append((defs[0][0].source, defs[0][0].tree))
    return tuple(out)


def _declared_only(source: SourceText, tree: Tree) -> set[str]:
    """`__device__` functions a file declares (`__device__ int f(int);`) and does not define."""
    scope = scan_file(source, tree)
    names = {function_name(d.child_by_field_name("declarator")) for d in scope.global_decls
             if has_qualifier(d, "__device__")}
    return {n for n in names if n is not None and n not in scope.functions}


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


__all__ = ["ProjectScope", "Unit", "program_files", "project_of_files"]
