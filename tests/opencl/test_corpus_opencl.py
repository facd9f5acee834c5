"""Every corpus kernel, ported to OpenCL and run on PoCL, matches the original run on the CPU
CUDA runtime (cuport.verify.differential.verify_kernel: fresh inputs, guard zones, decoys).

The whole corpus is `slow` (each PoCL launch is an isolated process); a few kernels covering the
core patterns run in the default suite. Exceptions are listed with their reason and are strict:
a kernel that starts to pass must be taken off the list.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

from cuport.parse.reader import read_source
from cuport.targets.base import PortRequest, PortResult
from cuport.targets.opencl import TARGET
from cuport.verify.differential import verify_kernel
from cuport.verify.protocol import Artifact
from cuport.verify.spec import load_spec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from corpus_cases import CASES, KernelCase, case_id  # noqa: E402

cpu_cuda = pytest.importorskip("cuport.verify.cpu_cuda")

SEED = 4242
FAST = {"saxpy.cu::saxpy", "shared_tree_sum.cu::block_sum_shared", "grid_stride.cu::scale_shift_gridstride",
        "atomics.cu::atomic_sum_float", "constant_memory.cu::poly_eval", "dynamic_shared.cu::reverse_block_dyn"}

# kernel key -> why it is not ported (refused with a diagnostic, never emitted wrong)
NOT_PORTED: dict[str, str] = {}
# ported but PoCL misbehaves (none at the moment)
FAILS_ON_POCL: dict[str, str] = {}


@cache
def _original() -> object:
    return cpu_cuda.CpuCudaRunner()


@cache
def _ported(source: Path, kernels: tuple[str, ...], out: Path) -> PortResult:
    spec = load_spec(source.with_name(source.stem + ".cuport.toml"))
    defines: dict[str, str] = {}
    for k in kernels:
        defines.update(spec.kernels[k].defines)
    src = read_source(source)
    result = TARGET.port_file(src.value, PortRequest(source, kernels, tuple(defines.items())))  # type: ignore[union-attr]
    for f in result.files:
        (out / f.relpath).write_text(f.content, "utf-8")
    return result


def _params() -> list[object]:
    out = []
    for case in CASES:
        marks = [] if case.key in FAST else [pytest.mark.slow]
        out.append(pytest.param(case, marks=marks, id=case_id(case)))
    return out


@pytest.mark.parametrize("case", _params())
def test_corpus_kernel_on_pocl(case: KernelCase, tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.getbasetemp() / "opencl-corpus" / case.entry.source.stem
    out.mkdir(parents=True, exist_ok=True)
    result = _ported(case.entry.source, tuple(case.entry.kernels), out)
    port = next(k for k in result.kernels if k.kernel == case.kernel)
    if case.key in NOT_PORTED:
        assert port.status == "not_ported", f"{case.key} now ports: take it off NOT_PORTED"
        assert port.diagnostics, "a refusal must carry a diagnostic"
        return
    assert port.status == "ported", port.reason
    if case.key in FAILS_ON_POCL:
        pytest.xfail(FAILS_ON_POCL[case.key])
    kspec = load_spec(case.entry.spec).kernels[case.kernel]
    original = Artifact(case.entry.source, "cuda", tuple(kspec.defines.items()))
    ported = Artifact(out / (result.artifact or ""), "opencl")
    r = verify_kernel(_original(), TARGET.runner(), original, ported, kspec, kspec.trial_count, SEED)  # type: ignore[arg-type]
    assert r.status == "pass", r.reason
