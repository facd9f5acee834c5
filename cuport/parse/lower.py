"""CST of one CUDA function -> IR (`cuport.ir`): the entry points of the lowering.

    lower_function(source, tree, name, template_args=...) -> Ok[Kernel | DeviceFunction] | Failed
    lower_module(source, tree, template_args=...)         -> LoweredModule

Lowering works on one function at a time and never raises: a construct with no IR form becomes a
CLxxx diagnostic at its location and that function is `Failed`; an unexpected Python error becomes
CL001 ("internal error") with the function's span. Run it on preprocessed text for real code
(macros are not expanded here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node as CstNode
from tree_sitter import Tree

from cuport.diagnostics import Diagnostic, diag
from cuport.ir import nodes as ir
from cuport.ir.printer import print_expr, print_function
from cuport.parse.lower_body import FunctionLowerer, LowerError
from cuport.parse.lower_parens import unparenthesise
from cuport.parse.lower_project import ProjectScope
from cuport.parse.lower_scope import FileScope, FunctionDef, is_device_global, scan_file
from cuport.parse.lower_structs import template_param_name
from cuport.parse.lower_traits import split_template_args
from cuport.parse.preprocess import line_map, original_span
from cuport.result import Failed, Ok
from cuport.source import SourceText, Span

TemplateArgs = dict[str, str | int]


@dataclass
class LoweredModule:
    """Per function (by instantiated name) Ok or Failed, plus the file's device-visible globals."""

    functions: dict[str, Ok[ir.Function] | Failed] = field(default_factory=dict)
    globals: tuple[ir.GlobalVar, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def module(self, source: SourceText) -> ir.Module:
        """The IR module of everything that lowered."""
        fns = tuple(r.value for r in self.functions.values() if isinstance(r, Ok))
        return ir.Module(source.span(0, len(source.data)), fns, self.globals)


class _Context:
    """Shared by the functions of one file: its scope, the globals, and signatures already resolved."""

    def __init__(self, source: SourceText, tree: Tree, scope: FileScope | None,
                 project: ProjectScope | None = None, *, external: bool = False) -> None:
        self.source = source
        self.scope = scope if scope is not None else scan_file(source, tree)
        self.external = external  # another file of the project than the one being lowered
        if project is not None:
            self.scope.project = project
        self.globals: dict[str, ir.GlobalVar] = {}
        self.global_diags: list[Diagnostic] = []
        self.lambda_functions: list[ir.DeviceFunction] = []
        self._lower_globals()

    def _lower_globals(self) -> None:
        lowerer = FunctionLowerer(self.source, self.scope, {}, {})
        for decl in self.scope.global_decls:
            space = is_device_global(decl)
            if space is None or _declares_function(decl):
                continue  # `__device__ int f(int);`: a function defined elsewhere, no variable
            try:
                for g in lowerer.global_vars(decl, space):
                    self.globals[g.name] = g
                    lowerer.globals[g.name] = g
            except LowerError as e:
                if space != "const":  # host-only constants we cannot read are not an error
                    self.global_diags.append(e.diagnostic)
            except Exception as e:  # noqa: BLE001 - a bug must not stop the file
                self.global_diags.append(
                    diag("CL001", self.source.span(decl.start_byte, decl.end_byte), what="global",
                         reason=f"internal error: {type(e).__name__}: {e}")
                )

    def lower(self, fn: FunctionDef, targs: TemplateArgs, inline: bool) -> tuple[Ok[ir.Function] | Failed, list]:
        span = self.source.span(fn.node.start_byte, fn.node.end_byte)
        lowerer = FunctionLowerer(self.source, self.scope, dict(self.globals), targs, inline=inline)
        try:
            result = lowerer.function(fn)
            for g in lowerer.constexpr.new_globals:  # variable-template instances it used
                self.globals.setdefault(g.name, g)
            self.lambda_functions.extend(lowerer.lambdas.functions)  # its lambdas' calls (lower_lambdas)
            return Ok(result), lowerer.instantiations
        except LowerError as e:
            return Failed(e.diagnostic.message, e.diagnostic.span, (e.diagnostic,)), []
        except RecursionError:
            d = diag("CL001", span, what=f"function '{fn.name}'", reason="nesting too deep")
            return Failed(d.message, span, (d,)), []
        except Exception as e:  # noqa: BLE001 - the contract: never raise, report CL001 with the span
            d = diag("CL001", span, what=f"function '{fn.name}'", reason=f"internal error: {type(e).__name__}: {e}")
            return Failed(d.message, span, (d,)), []


def _declares_function(decl: CstNode) -> bool:
    d = decl.child_by_field_name("declarator")
    while d is not None and d.type in ("pointer_declarator", "reference_declarator"):
        d = d.child_by_field_name("declarator")
    return d is not None and d.type == "function_declarator"


Work = tuple[FunctionDef, TemplateArgs, str, _Context]


class _Module:
    """Lowers a work list of functions and the functions they call; with a project, a callee
    defined in another file is lowered in that file's context (`lower_project`)."""

    def __init__(self, project: ProjectScope | None, inline: bool) -> None:
        self.project = project
        self.inline = inline
        self.contexts: dict[int, _Context] = {}
        self.functions: dict[str, Ok[ir.Function] | Failed] = {}
        self.defined_by: dict[str, tuple[FunctionDef, _Context]] = {}

    def home(self, fn: FunctionDef, caller: _Context) -> _Context:
        unit = self.project.unit_of(fn) if self.project is not None else None
        if unit is None:
            return caller
        if id(unit) not in self.contexts:
            self.contexts[id(unit)] = _Context(unit.source, unit.tree, unit.scope, external=True)
        return self.contexts[id(unit)]

    def drain(self, work: list[Work]) -> None:
        while work:
            fn, targs, key, ctx = work.pop(0)
            result, needed = ctx.lower(fn, targs, self.inline)
            if isinstance(result, Ok):
                key = ir.instance_name(result.value)
            first = self.defined_by.get(key)
            if first is not None:
                # Two files' functions of one name: the same (a header's inline function, both
                # files including it) is one function; different ones are refused, never mixed up.
                if first[1] is not ctx and not _same_function(self.functions.get(key), result):
                    self.functions[key] = _clash(key, first, (fn, ctx))
                continue
            self.defined_by[key] = (fn, ctx)
            if isinstance(result, Failed) and ctx.external:
                result = _external_failure(fn, ctx, result)
            self.functions[key] = result
            for lam in ctx.lambda_functions:  # the device functions of its lambdas (lower_lambdas)
                self.functions.setdefault(lam.name, Ok(lam))
            ctx.lambda_functions.clear()
            for callee_def, callee_args in needed:
                work.append((callee_def, callee_args, callee_def.ir_name or callee_def.name, self.home(callee_def, ctx)))

    def globals(self, own: _Context) -> tuple[tuple[ir.GlobalVar, ...], list[Diagnostic]]:
        """The module's globals: the file's, and those the other files' functions read (one name
        holding two different values is refused)."""
        out = dict(own.globals)
        diags: list[Diagnostic] = []
        for ctx in self.contexts.values():
            read = {n.name for key, (_fn, home) in self.defined_by.items() if home is ctx
                    and isinstance(r := self.functions[key], Ok) for n in ir.walk(r.value)
                    if isinstance(n, ir.Var) and n.kind in ("constant", "global")}
            for name, g in ctx.globals.items():
                if name not in read:
                    continue  # only what the other file's functions read joins the module
                have = out.setdefault(name, g)
                if have is not g and not _same_global(have, g):
                    d = diag("CL011", g.span, name=name, first=_place(have.span, own), second=_place(g.span, ctx))
                    diags.append(d)
                    for key, (_fn, home) in self.defined_by.items():
                        if home is ctx:
                            self.functions[key] = Failed(d.message, d.span, (d,))
        return tuple(out.values()), diags


def _same_function(a: Ok[ir.Function] | Failed | None, b: Ok[ir.Function] | Failed) -> bool:
    return isinstance(a, Ok) and isinstance(b, Ok) and print_function(a.value) == print_function(b.value)


def _same_global(a: ir.GlobalVar, b: ir.GlobalVar) -> bool:
    inits = [None if g.init is None else print_expr(g.init) for g in (a, b)]
    return a.var_type == b.var_type and a.space == b.space and inits[0] == inits[1]


def _place(span: Span | None, ctx: _Context) -> str:
    if span is None:
        return ctx.source.path
    sp = original_span(span, line_map(ctx.source))
    return f"{sp.file}:{sp.line}"


def _clash(key: str, first: tuple[FunctionDef, _Context], second: tuple[FunctionDef, _Context]) -> Failed:
    where = [_place(ctx.source.span(fn.node.start_byte, fn.node.end_byte), ctx) for fn, ctx in (first, second)]
    d = diag("CL011", second[1].source.span(second[0].node.start_byte, second[0].node.end_byte),
             name=key, first=where[0], second=where[1])
    return Failed(d.message, d.span, (d,))


def _external_failure(fn: FunctionDef, ctx: _Context, result: Failed) -> Failed:
    """A definition from another file that did not lower: CL010 names it, at the user's line."""
    first = result.diagnostics[0] if result.diagnostics else None
    at = _place(ctx.source.span(fn.node.start_byte, fn.node.end_byte), ctx)
    span = original_span(first.span, line_map(ctx.source)) if first is not None and first.span is not None else None
    reason = f"[{first.code}] {first.message}" if first is not None else result.reason
    d = diag("CL010", span, name=fn.name, place=at, reason=reason)
    return Failed(d.message, span, (d,))


def _pick(scope: FileScope, name: str) -> FunctionDef | None:
    base = name.split("<", 1)[0].strip()
    defs = scope.functions.get(base)
    if not defs:
        return None
    kernels = [d for d in defs if d.is_kernel]
    return (kernels or defs)[0]


def _split_instance(name: str) -> tuple[str, list[str]]:
    """`reduce<float, 256>` -> ("reduce", ["float", "256"]) (commas inside <> kept)."""
    if "<" not in name:
        return name, []
    base, rest = name.split("<", 1)
    parts = split_template_args(rest.rsplit(">", 1)[0])
    return base.strip(), parts


def _bind_template_args(fn: FunctionDef, positional: list[str]) -> TemplateArgs:
    """Template parameter names of fn bound to positional argument texts (ints parsed)."""
    out: TemplateArgs = {}
    if fn.template_params is None:
        return out
    names = [template_param_name(p) for p in fn.template_params.named_children]
    for name, text in zip(names, positional, strict=False):
        if name is None:
            continue
        try:
            out[name] = int(text.rstrip("uUlL"), 0)
        except ValueError:
            out[name] = text
    return out


def lower_function(
    source: SourceText,
    tree: Tree,
    name: str,
    *,
    template_args: TemplateArgs | None = None,
    module_globals: FileScope | None = None,
    inline: bool = False,
    project: ProjectScope | None = None,
) -> Ok[ir.Kernel | ir.DeviceFunction] | Failed:
    """Lower the function `name` (or `name<args...>`) of a parsed file.

    template_args binds template parameters by name ({"T": "float", "BLOCK": 256}); a name like
    "reduce<float, 256>" binds them by position. module_globals: a `scan_file` result to reuse.
    inline: inline calls of device functions whose body is a single `return expr;`.
    project: the other files of the program; a function this file only declares is looked up
    there, and must lower too (the functions of this file it calls are not lowered here).
    """
    ctx = _Context(source, tree, module_globals, project)
    base, positional = _split_instance(name)
    fn = _pick(ctx.scope, base)
    if fn is None:
        d = diag("CL001", None, what=f"function '{base}'", reason="no __global__ or __device__ definition in this file")
        return Failed(d.message, None, (d,))
    targs = {**_bind_template_args(fn, positional), **(template_args or {})}
    result, needed = ctx.lower(fn, targs, inline)
    if isinstance(result, Failed) and any(d.code == "CL005" for d in result.diagnostics):
        fixed = unparenthesise(source, tree, ctx.scope)  # `(i) + (j)` read as a cast: try as arithmetic
        if fixed is not None:
            ctx = _Context(fixed[0], fixed[1], None, project)
            fn = _pick(ctx.scope, base)
            if fn is not None:
                result, needed = ctx.lower(fn, targs, inline)
    if isinstance(result, Ok) and project is not None:
        result = _check_external(result, needed, ctx, project, inline)
    if isinstance(result, Ok) and ctx.global_diags:
        return Ok(result.value, tuple(ctx.global_diags))
    return result


def _check_external(result: Ok[ir.Function], needed: list, ctx: _Context, project: ProjectScope,
                    inline: bool) -> Ok[ir.Function] | Failed:
    """The function lowered; the definitions it calls from other files must lower too (CL010)."""
    mod = _Module(project, inline)
    mod.drain([(fn, targs, fn.ir_name or fn.name, mod.home(fn, ctx)) for fn, targs in needed
               if project.unit_of(fn) is not None])
    _, clashes = mod.globals(ctx)
    failed = next((r for r in mod.functions.values() if isinstance(r, Failed)), None)
    if clashes:
        return Failed(clashes[0].message, clashes[0].span, (clashes[0],))
    return failed if failed is not None else result


def lower_module(
    source: SourceText,
    tree: Tree,
    *,
    template_args: dict[str, TemplateArgs] | None = None,
    module_globals: FileScope | None = None,
    inline: bool = False,
    project: ProjectScope | None = None,
) -> LoweredModule:
    """Lower every kernel of a file, and the device functions they call (instantiated as called).

    template_args: per kernel name, its template arguments (by parameter name); a templated kernel
    without them uses its defaults, or is Failed with CL003. Untemplated device functions are lowered too, even when not called.
    project: the other files of the program (separate compilation); a called function this file
    only declares is lowered from the one file defining it, with that file's context.
    """
    ctx = _Context(source, tree, module_globals, project)
    fixed = unparenthesise(source, tree, ctx.scope)  # `(i) + (j)` read as a cast: lower the arithmetic
    if fixed is not None:
        ctx = _Context(fixed[0], fixed[1], None, project)
    out = LoweredModule()
    work: list[Work] = []
    for name, defs in ctx.scope.functions.items():
        for fn in defs:
            if fn.template_params is not None:
                if fn.is_kernel:
                    # Without arguments the template's defaults are used; CL003 names a missing one.
                    work.append((fn, (template_args or {}).get(name, {}), name, ctx))
                continue  # device templates are lowered when something calls them
            work.append((fn, {}, fn.ir_name or name, ctx))
    mod = _Module(project, inline)
    mod.drain(work)
    out.globals, clashes = mod.globals(ctx)
    out.functions = mod.functions
    out.diagnostics = (*ctx.global_diags, *clashes)
    return out


__all__ = ["lower_function", "lower_module", "LoweredModule", "ProjectScope", "TemplateArgs", "scan_file"]
