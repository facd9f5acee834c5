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

from tree_sitter import Tree

from cuport.diagnostics import Diagnostic, diag
from cuport.ir import nodes as ir
from cuport.parse.lower_body import FunctionLowerer, LowerError, Signature
from cuport.parse.lower_parens import unparenthesise
from cuport.parse.lower_scope import FileScope, FunctionDef, is_device_global, scan_file
from cuport.parse.lower_traits import split_template_args
from cuport.result import Failed, Ok
from cuport.source import SourceText

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

    def __init__(self, source: SourceText, tree: Tree, scope: FileScope | None) -> None:
        self.source = source
        self.scope = scope if scope is not None else scan_file(source, tree)
        self.globals: dict[str, ir.GlobalVar] = {}
        self.global_diags: list[Diagnostic] = []
        self.lambda_functions: list[ir.DeviceFunction] = []
        self._lower_globals()

    def _lower_globals(self) -> None:
        lowerer = FunctionLowerer(self.source, self.scope, {}, {})
        for decl in self.scope.global_decls:
            space = is_device_global(decl)
            if space is None:
                continue
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
    names = [Signature.template_param_name(p) for p in fn.template_params.named_children]
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
) -> Ok[ir.Kernel | ir.DeviceFunction] | Failed:
    """Lower the function `name` (or `name<args...>`) of a parsed file.

    template_args binds template parameters by name ({"T": "float", "BLOCK": 256}); a name like
    "reduce<float, 256>" binds them by position. module_globals: a `scan_file` result to reuse.
    inline: inline calls of device functions whose body is a single `return expr;`.
    """
    ctx = _Context(source, tree, module_globals)
    base, positional = _split_instance(name)
    fn = _pick(ctx.scope, base)
    if fn is None:
        d = diag("CL001", None, what=f"function '{base}'", reason="no __global__ or __device__ definition in this file")
        return Failed(d.message, None, (d,))
    targs = {**_bind_template_args(fn, positional), **(template_args or {})}
    result, _ = ctx.lower(fn, targs, inline)
    if isinstance(result, Failed) and any(d.code == "CL005" for d in result.diagnostics):
        fixed = unparenthesise(source, tree, ctx.scope)  # `(i) + (j)` read as a cast: try as arithmetic
        if fixed is not None:
            ctx = _Context(fixed[0], fixed[1], None)
            fn = _pick(ctx.scope, base)
            if fn is not None:
                result, _ = ctx.lower(fn, targs, inline)
    if isinstance(result, Ok) and ctx.global_diags:
        return Ok(result.value, tuple(ctx.global_diags))
    return result


def lower_module(
    source: SourceText,
    tree: Tree,
    *,
    template_args: dict[str, TemplateArgs] | None = None,
    module_globals: FileScope | None = None,
    inline: bool = False,
) -> LoweredModule:
    """Lower every kernel of a file, and the device functions they call (instantiated as called).

    template_args: per kernel name, its template arguments (by parameter name); a templated kernel
    without them uses its defaults, or is Failed with CL003. Untemplated device functions are lowered too, even when not called.
    """
    ctx = _Context(source, tree, module_globals)
    fixed = unparenthesise(source, tree, ctx.scope)  # `(i) + (j)` read as a cast: lower the arithmetic
    if fixed is not None:
        ctx = _Context(fixed[0], fixed[1], None)
    out = LoweredModule()
    work: list[tuple[FunctionDef, TemplateArgs, str]] = []
    for name, defs in ctx.scope.functions.items():
        for fn in defs:
            if fn.template_params is not None:
                if fn.is_kernel:
                    # Without arguments the template's defaults are used; CL003 names a missing one.
                    work.append((fn, (template_args or {}).get(name, {}), name))
                continue  # device templates are lowered when something calls them
            work.append((fn, {}, fn.ir_name or name))
    done: set[str] = set()
    while work:
        fn, targs, key = work.pop(0)
        result, needed = ctx.lower(fn, targs, inline)
        if isinstance(result, Ok):
            key = ir.instance_name(result.value)
        if key in done:
            continue
        done.add(key)
        out.functions[key] = result
        for lam in ctx.lambda_functions:
            out.functions.setdefault(lam.name, Ok(lam))
        ctx.lambda_functions.clear()
        for callee_def, callee_args in needed:
            work.append((callee_def, callee_args, callee_def.ir_name or callee_def.name))
    out.globals = tuple(ctx.globals.values())
    out.diagnostics = tuple(ctx.global_diags)
    return out


__all__ = ["lower_function", "lower_module", "LoweredModule", "TemplateArgs", "scan_file"]
