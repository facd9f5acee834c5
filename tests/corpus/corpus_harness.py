"""Glue between the corpus, the differential harness and the numpy references.

`RecordingRunner` wraps any runner and keeps the `__constant__` values of the last request, so a
reference can be given the same constants the kernel saw (CaseRun carries only the arguments).
`check_against_reference` compares a CaseRun's outputs with the reference, argument by argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from corpus_cases import KernelCase
from references import REFERENCES

from cuport.parse.cst import parse_cst
from cuport.parse.inventory import FileInventory, inventory
from cuport.parse.reader import read_source
from cuport.verify.compare import compare, tolerance_for
from cuport.verify.differential import CaseRun
from cuport.verify.inputs import typed_view
from cuport.verify.protocol import ParamType, Prepared, RunOutcome, RunRequest
from cuport.verify.spec import KernelSpec, LaunchSpec, load_spec

# C type spellings used in the corpus -> the protocol's dtype names
C_DTYPES = {
    "float": "float32", "double": "float64", "int": "int32", "unsigned int": "uint32",
    "long long": "int64", "unsigned long long": "uint64", "unsigned char": "uint8",
    "__half": "float16", "__half2": "float16x2", "float4": "float32x4",
}


@cache
def spec_of(path: str) -> LaunchSpec:
    return load_spec(path)


def kspec_of(case: KernelCase) -> KernelSpec:
    return spec_of(str(case.entry.spec)).kernels[case.kernel]


@cache
def inventory_of(path: str) -> FileInventory:
    source = read_source(path)
    assert source.ok, f"{path}: {source}"
    return inventory(source.value, parse_cst(source.value))


def param_type(decl: str, template_types: dict[str, str]) -> ParamType:
    """ParamType of a parameter declaration such as `const float *__restrict__`."""
    pointer = "*" in decl
    head = decl.split("*", 1)[0]
    const = bool(re.search(r"\bconst\b", head)) and pointer
    base = " ".join(re.sub(r"\b(const|__restrict__|volatile)\b", " ", head).split())
    base = template_types.get(base, base)
    return ParamType("pointer" if pointer else "scalar", C_DTYPES.get(base, base), const)


def source_signature(case: KernelCase) -> list[ParamType]:
    """The kernel's parameters read from its source (the corpus's own view, not a runner's)."""
    kspec = kspec_of(case)
    inv = inventory_of(str(case.entry.source))
    kernels = [f for f in inv.functions if "global" in f.qualifiers and f.name == kspec.base_name and f.is_definition]
    assert len(kernels) == 1, f"{case.key}: expected one __global__ definition of {kspec.base_name}"
    kernel = kernels[0]
    args = [a.strip() for a in kspec.name[len(kspec.base_name) :].strip().strip("<>").split(",")] if "<" in kspec.name else []
    template_types = {p.name: a for p, a in zip(kernel.template_params, args, strict=False) if p.kind == "type"}
    return [param_type(p.type, template_types) for p in kernel.params]


@dataclass
class RecordingRunner:
    """Delegates to `inner`; remembers the typed __constant__ values of the last run."""

    inner: Any
    constants: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def target(self) -> str:
        return self.inner.target

    @property
    def device(self) -> str:
        return self.inner.device

    def prepare(self, artifact, kernels, symbols=()):  # noqa: ANN001 - the Runner protocol
        return self.inner.prepare(artifact, kernels, symbols)

    def signature(self, prepared: Prepared, kernel: str) -> list[ParamType]:
        return self.inner.signature(prepared, kernel)

    def symbol_dtype(self, prepared: Prepared, name: str) -> str | None:
        lookup = getattr(self.inner, "symbol_dtype", None)
        return lookup(prepared, name) if callable(lookup) else None

    def run(self, prepared: Prepared, request: RunRequest) -> RunOutcome:
        self.constants = {name: typed_view(buf.payload().copy(), buf.dtype) for name, buf in request.constants.items()}
        return self.inner.run(prepared, request)


def check_against_reference(case: KernelCase, run: CaseRun, constants: dict[str, np.ndarray]) -> list[str]:
    """Problems of one run: harness problems, then every output against the numpy reference."""
    kspec = kspec_of(case)
    problems = [f"{case.key} {run.sizes}: {p}" for p in run.problems]
    if problems:
        return problems
    expected = REFERENCES[case.key](dict(run.sizes), list(run.inputs), **constants)
    compared = {i for i, flag in enumerate(run.output_flags) if flag}
    if set(expected) != compared:
        return [f"{case.key}: reference gives arguments {sorted(expected)}, the spec compares {sorted(compared)}"]
    for i in sorted(compared):
        actual = run.outputs[i]
        assert actual is not None
        want = np.asarray(expected[i])
        rtol, atol = tolerance_for(str(actual.dtype), kspec.tolerance.rtol, kspec.tolerance.atol)
        result = compare(want.reshape(actual.shape) if want.size == actual.size else want, actual, rtol, atol)
        if not result.ok:
            problems.append(f"{case.key} {run.sizes} argument {i}: {result.reason}")
    return problems
