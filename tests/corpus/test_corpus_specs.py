"""Every corpus spec loads, matches its kernel's parameters, exercises awkward sizes, and every
kernel has a numpy reference (and every reference a kernel)."""

from __future__ import annotations

import re
from functools import cache

import pytest
from corpus_cases import CASES, ENTRIES, KernelCase, case_id
from references import REFERENCES

from cuport.corpus import corpus_root
from cuport.parse.cst import parse_cst
from cuport.parse.inventory import FileInventory, inventory
from cuport.parse.reader import read_source
from cuport.verify import expr
from cuport.verify.protocol import ParamType
from cuport.verify.spec import LaunchSpec, check_signature, load_spec

# Enough of the C type names to build a ParamType from a parameter's declaration text; only the
# pointer/scalar kind and constness matter to check_signature, the dtype is for its messages.
_DTYPES = {
    "float": "float32", "double": "float64", "int": "int32", "unsigned int": "uint32",
    "long long": "int64", "unsigned long long": "uint64", "unsigned char": "uint8",
    "__half": "float16", "__half2": "float16x2", "float4": "float32x4", "T": "template",
}


@cache
def _spec(path: str) -> LaunchSpec:
    return load_spec(path)


@cache
def _inventory(path: str) -> FileInventory:
    source = read_source(path)
    assert source.ok, f"{path}: {source}"
    return inventory(source.value, parse_cst(source.value))


def _param_type(decl: str) -> ParamType:
    pointer = "*" in decl
    head = decl.split("*", 1)[0]
    const = bool(re.search(r"\bconst\b", head))
    base = re.sub(r"\b(const|__restrict__|volatile)\b", " ", head)
    base = " ".join(base.split())
    return ParamType("pointer" if pointer else "scalar", _DTYPES.get(base, base), const and pointer)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.category}/{e.source.name}")
def test_every_kernel_file_has_a_spec_and_a_note(entry):
    assert entry.spec.is_file(), f"{entry.source} has no {entry.spec.name}"
    assert entry.kernels, f"{entry.spec} names no kernel"
    assert "Exercises:" in entry.note, f"{entry.source}: the leading comment must say what it exercises"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_spec_matches_kernel(case: KernelCase):
    kspec = _spec(str(case.entry.spec)).kernels[case.kernel]
    inv = _inventory(str(case.entry.source))
    kernels = [f for f in inv.functions if "global" in f.qualifiers and f.name == kspec.base_name and f.is_definition]
    assert len(kernels) == 1, f"{case.key}: expected one __global__ definition of {kspec.base_name}"
    kernel = kernels[0]
    if "<" in kspec.name:
        assert kernel.template_params, f"{case.key}: template arguments given for a non-template kernel"
    signature = [_param_type(p.type) for p in kernel.params]
    problems = check_signature(kspec, signature)
    assert not problems, "\n".join(d.message for d in problems)
    constants = {g.name for g in inv.globals if g.kind == "constant"}
    assert set(kspec.constants) <= constants, f"{case.key}: spec fills unknown __constant__ symbols"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_spec_sizes_are_adversarial_and_geometry_valid(case: KernelCase):
    kspec = _spec(str(case.entry.spec)).kernels[case.kernel]
    assert kspec.trial_count >= 3, f"{case.key}: at least three trials (1, a prime, a larger size)"
    assert any(1 in values for values in kspec.sizes.values()), f"{case.key}: some size must be 1"
    threads_per_block = 1
    for trial in range(kspec.trial_count):
        sizes = kspec.sizes_for(trial)
        launch = kspec.launch(sizes)  # raises on a bad expression or an empty grid
        threads_per_block = launch.block[0] * launch.block[1] * launch.block[2]
        for a in kspec.args:
            if a.kind == "buffer":
                assert expr.evaluate_int(a.length, sizes) >= 1, f"{case.key}: empty buffer for {sizes}"
    largest = kspec.sizes_for(kspec.trial_count - 1)
    assert any(v % threads_per_block for v in largest.values()) or threads_per_block == 1, (
        f"{case.key}: the largest trial {largest} should not be a multiple of the block"
    )


def test_every_kernel_has_a_reference_and_no_reference_is_stale():
    keys = {c.key for c in CASES}
    assert sorted(keys - set(REFERENCES)) == []
    assert sorted(set(REFERENCES) - keys) == []


def test_readme_lists_every_kernel():
    readme = (corpus_root() / "README.md").read_text("utf-8")
    missing = [c.key for c in CASES if f"`{c.kernel}`" not in readme]
    assert missing == []


def test_corpus_breadth():
    """The corpus promises breadth: enough kernels and categories for ports and hazards to bite."""
    distinct = {(c.entry.source, c.kernel.split("<", 1)[0]) for c in CASES}
    assert len(distinct) >= 45
    assert len({e.category for e in ENTRIES}) >= 14
