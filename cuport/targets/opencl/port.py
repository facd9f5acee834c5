"""CUDA file -> OpenCL C (+ launchers): preprocess, lower each requested kernel, legalise, print.

The `.cl` file starts with a manifest comment (`// cuport-manifest: {json}`) that names, per spec
kernel, its OpenCL name, parameters and the extra arguments the port added (`__constant__` symbols,
the dynamic `__local` buffer, the warp-exchange `__local` buffer of 8 bytes per work-item), so a
runner needs nothing but the file.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from cuport.diagnostics import Diagnostic, diag
from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.layout import LayoutError, struct_layout
from cuport.ir.structs import module_structs
from cuport.parse.cst import parse_cst
from cuport.parse.inventory import inventory
from cuport.parse.lower import _bind_template_args, _split_instance, lower_module
from cuport.parse.lower_project import ProjectScope, project_of_files
from cuport.parse.lower_scope import scan_file
from cuport.parse.preprocess import preprocess, user_diagnostics
from cuport.result import Ok
from cuport.source import SourceText
from cuport.targets.base import KernelPort, PortedFile, PortRequest, PortResult
from cuport.targets.cstyle import UnprintableError
from cuport.targets.opencl.helpers import emit_helpers
from cuport.targets.opencl.legalize import Legaliser, NotPortable
from cuport.targets.opencl.printer import OpenCLPrinter, math_spelling

MANIFEST = "// cuport-manifest: "
SCHEMA = "cuport.opencl/1"

# C library macros the stub headers of the preprocessor leave out; OpenCL C spells them the same.
LIBC_MACROS = (
    "INFINITY=(1.0f/0.0f)", "NAN=(0.0f/0.0f)", "HUGE_VALF=(1.0f/0.0f)", "HUGE_VAL=(1.0/0.0)",
    "INT_MAX=2147483647", "INT_MIN=(-2147483647-1)", "UINT_MAX=4294967295u", "FLT_MAX=3.402823466e+38f",
    "FLT_MIN=1.175494351e-38f", "DBL_MAX=1.7976931348623158e+308", "FLT_EPSILON=1.192092896e-07f",
    "LLONG_MAX=9223372036854775807ll", "CHAR_BIT=8",
)  # fmt: skip

_DTYPES = {
    t.ScalarKind.BOOL: "bool", t.ScalarKind.I8: "int8", t.ScalarKind.U8: "uint8", t.ScalarKind.I16: "int16",
    t.ScalarKind.U16: "uint16", t.ScalarKind.I32: "int32", t.ScalarKind.U32: "uint32", t.ScalarKind.I64: "int64",
    t.ScalarKind.U64: "uint64", t.ScalarKind.F16: "float16", t.ScalarKind.BF16: "bfloat16",
    t.ScalarKind.F32: "float32", t.ScalarKind.F64: "float64",
}  # fmt: skip


def dtype_of(ty: t.Type) -> str:
    if isinstance(ty, t.Scalar):
        return _DTYPES[ty.kind]
    if isinstance(ty, t.Vector):
        return f"{_DTYPES[ty.elem.kind]}x{ty.count}"
    if isinstance(ty, t.Array):
        return dtype_of(ty.elem)
    if isinstance(ty, t.Struct):
        return f"struct:{ty.name}"  # as the CPU CUDA runtime names it
    return "struct"


@dataclass
class _Ported:
    spec_name: str
    text_functions: list[tuple[str, str]]  # (name, text) device functions, callees first
    kernel_text: str
    helpers: set[str]
    extensions: set[str]
    manifest: dict[str, object]
    uses_double: bool
    diagnostics: list[Diagnostic]


def _template_env() -> Environment:
    return Environment(loader=PackageLoader("cuport.targets.opencl", "templates"), undefined=StrictUndefined,
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def port_file(source: SourceText, request: PortRequest) -> PortResult:
    path = Path(request.path)
    defines = [*LIBC_MACROS, *(f"{k}={v}" for k, v in request.defines)]
    pre = preprocess(path, includes=request.includes, defines=defines, cuda_arch=800)
    if not isinstance(pre, Ok):
        d = pre.diagnostics[0] if pre.diagnostics else diag("CO001", pre.location, reason=pre.reason)
        return PortResult(path, "opencl", (), (), None, (d,))
    text = pre.value
    tree = parse_cst(text)
    scope = scan_file(text, tree)
    names = list(request.kernels) or [k.name for k in inventory(text, tree).kernels if _is_kernel(k)]
    kernels: list[KernelPort] = []
    ported: list[_Ported] = []
    globals_: dict[str, ir.GlobalVar] = {}
    project = project_of_files(request.project, exclude=path, includes=request.includes, defines=defines)
    for name in names:
        result = _port_kernel(text, tree, scope, name, request.warp_size, globals_, project)
        if isinstance(result, _Ported):
            ported.append(result)
            kernels.append(KernelPort(name, "ported", rules=("opencl.legalise", "opencl.print"),
                                      diagnostics=tuple(result.diagnostics)))
        else:
            kernels.append(KernelPort(name, "not_ported", reason=result.message, diagnostics=(result,)))
    kernels = [dataclasses.replace(k, diagnostics=user_diagnostics(k.diagnostics, text)) for k in kernels]
    stem = path.stem
    files: list[PortedFile] = []
    artifact = None
    if ported:
        files.append(PortedFile(f"{stem}.cl", render_program(ported, globals_, request.warp_size)))
        env = _template_env()
        ctx = {"stem": stem, "kernels": [p.manifest for p in ported], "source": path.name}
        files.append(PortedFile(f"{stem}_launch.py", env.get_template("launcher.py.j2").render(**ctx)))
        files.append(PortedFile(f"{stem}_host.h", env.get_template("host.h.j2").render(**ctx)))
        artifact = f"{stem}.cl"
    status = "\n".join(f"{k.kernel}: {k.status}{' - ' + k.reason if k.reason else ''}" for k in kernels) + "\n"
    files.append(PortedFile(f"{stem}.opencl-status.txt", status))
    return PortResult(path, "opencl", tuple(files), tuple(kernels), artifact, tuple(pre.diagnostics))


def _is_kernel(k: object) -> bool:
    return not getattr(k, "template_params", None)


def _port_kernel(text: SourceText, tree: object, scope: object, name: str, warp_size: int,
                 globals_out: dict[str, ir.GlobalVar], project: ProjectScope | None = None) -> _Ported | Diagnostic:
    base, positional = _split_instance(name)
    defs = [d for d in scope.functions.get(base, []) if d.is_kernel]  # type: ignore[attr-defined]
    if not defs:
        return diag("CO001", None, reason=f"no kernel named '{base}' in this file")
    targs = _bind_template_args(defs[0], positional)
    lowered = lower_module(text, tree, template_args={base: targs}, module_globals=scope,  # type: ignore[arg-type]
                           project=project)
    functions = {key: r.value for key, r in lowered.functions.items() if isinstance(r, Ok)}
    kernel = next((f for f in functions.values() if isinstance(f, ir.Kernel) and f.name == base), None)
    if kernel is None:
        failed = lowered.functions.get(base) or lowered.functions.get(name)
        if failed is not None and not isinstance(failed, Ok) and failed.diagnostics:
            d = failed.diagnostics[0]
            return diag("CO001", d.span, reason=f"the kernel did not lower: [{d.code}] {d.message}")
        return diag("CO001", None, reason=f"the kernel '{name}' did not lower")
    try:
        failed = {key: r.diagnostics[0] for key, r in lowered.functions.items() if not isinstance(r, Ok) and r.diagnostics}
        plan = Legaliser(functions, lowered.globals, failed).kernel(kernel)
        notes = _check_math(plan.kernel, plan.functions, plan.helpers)
        printer = OpenCLPrinter()
        structs = module_structs([plan.kernel, *plan.functions])
        pointer_field = next(((st.name, f) for st in structs for f, ft in st.fields if isinstance(ft, t.Pointer)), None)
        if pointer_field is not None:
            return diag("CO001", kernel.span, reason=f"struct {pointer_field[0]} has a pointer field "
                        f"('{pointer_field[1]}'): OpenCL C 1.2 cannot say which memory it points to")
        # Struct definitions travel with the functions, keyed apart, so each is printed once per file.
        fn_texts = [(f"struct {st.name}", printer.struct_definition(st)) for st in structs]
        fn_texts += [(f.name, printer.function(f)) for f in plan.functions]
        kernel_text = printer.function(plan.kernel)
    except NotPortable as exc:
        return exc.diagnostic
    except UnprintableError as exc:
        return diag("CO001", exc.node.span, reason=str(exc))
    for g in lowered.globals:
        if g.space == "const":
            globals_out.setdefault(g.name, g)
    n_orig = len(kernel.params)
    # dtype is CUDA's (a bool stays "bool": one byte, as the uchar the port takes);
    # cl_type is the OpenCL parameter's, for host code
    params = [{"kind": "pointer" if isinstance(p.type, t.Pointer | t.Array) else "scalar",
               "dtype": dtype_of(p.type.pointee if isinstance(p.type, t.Pointer) else p.type),
               "const": bool(isinstance(p.type, t.Pointer) and p.type.const),
               "name": q.name, "cl_type": "cl_" + printer.decl(q.type, "").strip(), **_struct_layout_entry(p.type)}
              for p, q in zip(kernel.params, plan.kernel.params[:n_orig], strict=True)]
    symbols = [{"name": g.name, "dtype": dtype_of(g.var_type),
                "count": g.var_type.size if isinstance(g.var_type, t.Array) and g.var_type.size else 1,
                "space": g.space} for g in plan.symbols]
    manifest = {"kernel": name, "name": plan.kernel.name, "params": params, "symbols": symbols,
                "dynamic_shared": plan.dynamic_shared, "warp_scratch": plan.warp_scratch}
    all_nodes = [n for f in (plan.kernel, *plan.functions) for n in ir.walk(f)]
    uses_double = any(isinstance(getattr(n, "type", None), t.Scalar) and n.type == t.F64 for n in all_nodes)  # type: ignore[attr-defined]
    return _Ported(name, fn_texts, kernel_text, plan.helpers, plan.extensions, manifest, uses_double,
                   [*plan.diagnostics, *notes])


def _struct_layout_entry(ty: t.Type) -> dict[str, object]:
    """For a pointer to a struct: the layout the port was printed with, which verification checks
    against the original's and PoCL's (a struct it cannot lay out gets none, and is not verified)."""
    if not isinstance(ty, t.Pointer) or not isinstance(ty.pointee, t.Struct):
        return {}
    try:
        return {"layout": struct_layout(ty.pointee).to_json()}
    except LayoutError:
        return {}


def _check_math(kernel: ir.Kernel, functions: list[ir.DeviceFunction], helpers: set[str]) -> list[Diagnostic]:
    notes = []
    for fn in (kernel, *functions):
        for n in ir.walk(fn):
            if not isinstance(n, ir.MathCall):
                continue
            found = math_spelling(n)
            if found is None:
                raise NotPortable(diag("CO001", n.span, reason=f"math function '{n.name}' has no OpenCL mapping"))
            text, fast = found
            if fast:
                notes.append(diag("CO003", n.span, name=n.name, mapped=text))
            if text.startswith("cuport_"):
                ty = OpenCLPrinter().type(n.args[0].type)
                helpers.add(text.replace("{t}", ty) if "{t}" in text else text.split("(")[0])
    return notes


def render_program(ported: list[_Ported], globals_: dict[str, ir.GlobalVar], warp_size: int) -> str:
    printer = OpenCLPrinter()
    manifest = {"schema": SCHEMA, "warp_size": warp_size, "kernels": {p.spec_name: p.manifest for p in ported}}
    lines = [MANIFEST + json.dumps(manifest, sort_keys=True), "// Generated by cuport from CUDA; do not edit by hand.",
             f"#define CUPORT_WARP_SIZE {warp_size}"]
    if any(p.uses_double for p in ported):
        lines.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable")
    for ext in sorted({e for p in ported for e in p.extensions}):
        lines.append(f"#pragma OPENCL EXTENSION {ext} : enable")
    lines.append("")
    for g in globals_.values():
        init = "" if g.init is None else f" = {printer.expr(g.init, 2)}"
        lines.append(f"__constant {printer.decl(g.var_type, g.name)}{init};")
    helpers = set().union(*(p.helpers for p in ported))
    if helpers:
        lines.append(emit_helpers(helpers))
    seen: set[str] = set()
    for p in ported:
        for fname, ftext in p.text_functions:
            if fname not in seen:
                seen.add(fname)
                lines += [ftext, ""]
    for p in ported:
        lines += [p.kernel_text, ""]
    return "\n".join(lines).rstrip() + "\n"


def read_manifest(cl_text: str) -> dict[str, object] | None:
    first = cl_text.split("\n", 1)[0]
    if not first.startswith(MANIFEST):
        return None
    try:
        data = json.loads(first[len(MANIFEST):])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) and data.get("schema") == SCHEMA else None
