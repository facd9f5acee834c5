"""Build the prompts for one kernel from the jinja2 templates in translate/prompts/.

A prompt holds the kernel's CUDA source (and the device functions it calls), what the rules did and
why they stopped, the target's constraints and the parameter list. It never holds launch sizes,
inputs or reference outputs: the model must write a kernel, not an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from cuport.parse.cst import parse_cst
from cuport.parse.inventory import inventory
from cuport.parse.reader import read_source
from cuport.result import Ok
from cuport.verify.protocol import ParamType

_PROMPTS = Path(__file__).with_name("prompts")
SYSTEM = ("You are a careful GPU kernel engineer. Your code is compiled and tested against the original "
          "on fresh random inputs and sizes you are not told; only a kernel that is correct for every size passes.")

_CL_TYPES = {"float32": "float", "float64": "double", "float16": "half", "int8": "char", "uint8": "uchar",
             "int16": "short", "uint16": "ushort", "int32": "int", "uint32": "uint", "int64": "long",
             "uint64": "ulong", "bool": "uchar"}


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(_PROMPTS), undefined=StrictUndefined, keep_trailing_newline=True,
                       autoescape=False)  # noqa: S701 - prompts are plain text, never HTML


def render(template: str, **ctx: object) -> str:
    return _env().get_template(template).render(**ctx).strip() + "\n"


def identifier(kernel: str) -> str:
    """A C identifier for a spec name ("reduce<float, 256>" -> "reduce_float_256")."""
    return re.sub(r"_+", "_", re.sub(r"\W", "_", kernel)).strip("_") or "kernel"


def cl_type(p: ParamType) -> str:
    base, _, lanes = p.dtype.partition("x")
    name = _CL_TYPES.get(base, base) + lanes
    if p.kind == "pointer":
        return f"__global {'const ' if p.const else ''}{name}*"
    return name


@dataclass(frozen=True)
class KernelText:
    source: str  # the kernel's definition and the device functions it names
    param_names: tuple[str, ...]
    uses_double: bool


def kernel_text(path: Path, base_name: str) -> KernelText | str:
    """The CUDA text to show the model, or why it cannot be found."""
    read = read_source(path)
    if not isinstance(read, Ok):
        return f"cannot read {path}: {read.reason}"
    src = read.value
    inv = inventory(src, parse_cst(src))
    raw = src.data
    kernels = [f for f in inv.kernels if f.name == base_name and f.is_definition]
    if not kernels:
        return f"{path.name} defines no kernel {base_name}"
    k = kernels[0]
    body = raw[k.start : k.end].decode("utf-8", "replace")
    parts = []
    for f in inv.device_functions:  # the helpers it calls, once each
        if f.is_definition and re.search(rf"\b{re.escape(f.name)}\s*\(", body):
            parts.append(raw[f.start : f.end].decode("utf-8", "replace"))
    names = tuple(p.name or f"arg{i}" for i, p in enumerate(k.params))
    text = "\n\n".join([*parts, body])
    return KernelText(text, names, "double" in text)
