"""Layouts of the struct buffers a kernel takes (`Particle* p`), and the runners' word on them.

The harness needs each struct's fields, types and offsets to generate, poison and compare such
buffers. C++ cannot list a struct's fields, so they come from the kernel's IR (the original source,
lowered with the spec's defines and includes); `ir/layout.py` places them by the C rules. That is
our reading of the code, so every runner that can tell confirms it before any trial: the CPU
runtime reports the sizeof g++ gave each pointee, an OpenCL port carries the layout it was printed
with (and PoCL's own offsets were probed when it was built). A disagreement stops verification
with the reason: a struct read at shifted offsets must never pass or fail by accident.
"""

from __future__ import annotations

from pathlib import Path

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.layout import LayoutError, StructLayout, struct_layout, struct_name
from cuport.parse.cst import parse_cst
from cuport.parse.lower import lower_function
from cuport.parse.preprocess import preprocess
from cuport.result import Ok
from cuport.targets.opencl.port import LIBC_MACROS
from cuport.verify.protocol import Artifact, ParamType, Prepared, Runner

# per parameter index: the layout of the struct it points to, or why there is none
ParamLayouts = dict[int, StructLayout | str]


def has_struct_buffers(signature: list[ParamType]) -> bool:
    return any(p.kind == "pointer" and struct_name(p.dtype) is not None for p in signature)


def kernel_struct_layouts(artifact: Artifact, kernel: str, signature: list[ParamType]) -> ParamLayouts:
    """The layout of every struct-pointer parameter of `kernel` (spec name), read from the source."""
    wanted = [i for i, p in enumerate(signature) if p.kind == "pointer" and struct_name(p.dtype) is not None]
    if not wanted:
        return {}
    defines = [*LIBC_MACROS, *(f"{k}={v}" for k, v in artifact.defines)]
    pre = preprocess(Path(artifact.path), includes=artifact.includes, defines=defines, cuda_arch=800)
    if not isinstance(pre, Ok):
        return dict.fromkeys(wanted, f"the source does not preprocess: {pre.reason}")
    lowered = lower_function(pre.value, parse_cst(pre.value), kernel)
    if not isinstance(lowered, Ok) or not isinstance(lowered.value, ir.Kernel):
        why = lowered.diagnostics[0].message if not isinstance(lowered, Ok) and lowered.diagnostics else "it did not lower"
        return dict.fromkeys(wanted, f"the kernel's struct fields are unknown: {why}")
    params = lowered.value.params
    out: ParamLayouts = {}
    for i in wanted:
        ty = params[i].type if i < len(params) else None
        if not isinstance(ty, t.Pointer) or not isinstance(ty.pointee, t.Struct):
            out[i] = f"parameter {i + 1} is not a pointer to a struct in cuport's reading of the kernel"
            continue
        try:
            out[i] = struct_layout(ty.pointee)
        except LayoutError as exc:
            out[i] = str(exc)
    return out


def layout_disagreement(runner: Runner, prepared: Prepared, kernel: str, layouts: ParamLayouts) -> str | None:
    """Why the runner's view of a struct parameter differs from `layouts`, or None when it agrees
    (or cannot tell)."""
    sizes = getattr(prepared, "param_sizes", None)
    stated = getattr(runner, "struct_layout", None)
    for i, layout in layouts.items():
        if isinstance(layout, str):
            continue
        if isinstance(sizes, dict) and kernel in sizes and i < len(sizes[kernel]) and sizes[kernel][i] != layout.size:
            return (f"parameter {i + 1}: {runner.target} has sizeof({layout.name}) = {sizes[kernel][i]}, cuport's "
                    f"layout of its fields gives {layout.size} (an alignment attribute, packing or bitfields?)")
        theirs = stated(prepared, kernel, i) if callable(stated) else None
        if isinstance(theirs, StructLayout) and theirs != layout:
            return (f"parameter {i + 1}: the {runner.target} port lays out struct {layout.name} as {_text(theirs)}, "
                    f"the original as {_text(layout)}")
    return None


def _text(layout: StructLayout) -> str:
    leaves = ", ".join(f"{leaf.name}@{leaf.offset}" for leaf in layout.leaves)
    return f"{{{leaves}}} ({layout.size} bytes)"
