"""Corpus kernels ported to Triton and verified under the interpreter against the CPU-runtime
original (`verify_kernel`). A fast subset runs always; the whole corpus is `slow` (~3 min)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "corpus"))

import triton_harness  # noqa: E402
from corpus_cases import CASES, KernelCase, case_id  # noqa: E402

# Kernels that do not port yet, with the reason (each is a strict xfail: porting one must update this).
NOT_PORTED: dict[str, str] = {}
FAST = {"saxpy.cu::saxpy", "shared_tree_sum.cu::block_sum_shared", "warp_shuffle_sum.cu::warp_sum_shuffle",
        "stencil1d.cu::stencil1d_early_exit", "histogram.cu::histogram_global", "ballot.cu::ballot_count"}


def _check(case: KernelCase, tmp_path: Path) -> None:
    port, result = triton_harness.verify(case.entry.source, case.kernel, tmp_path)
    kp = port.kernels[0]
    assert result is not None, f"{case.key}: {kp.status}: {kp.reason}"
    assert result.status == "pass", f"{case.key}: {result.reason}"


def _params(cases: list[KernelCase]) -> list[object]:
    out = []
    for c in cases:
        marks = [pytest.mark.xfail(reason=NOT_PORTED[c.key], strict=True)] if c.key in NOT_PORTED else []
        out.append(pytest.param(c, marks=marks, id=case_id(c)))
    return out


@pytest.mark.parametrize("case", _params([c for c in CASES if c.key in FAST]))
def test_fast_subset_passes(case: KernelCase, tmp_path: Path) -> None:
    _check(case, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("case", _params([c for c in CASES if c.key not in FAST]))
def test_corpus_kernel_passes(case: KernelCase, tmp_path: Path) -> None:
    _check(case, tmp_path)


def test_known_gaps_are_reported_with_a_reason(tmp_path: Path) -> None:
    from cuport.parse.reader import read_source
    from cuport.targets.base import PortRequest, get_target

    src = tmp_path / "h2.cu"
    src.write_text(
        "#include <cuda_fp16.h>\n"
        "__global__ void k(const __half2* x, __half2* y, int n) {\n"
        "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
        "  if (i < n) { float2 f = __half22float2(__hfma2_relu(x[i], x[i], x[i])); y[i] = __float22half2_rn(f); }\n"
        "}\n"
    )
    port = get_target("triton").port_file(read_source(src).value, PortRequest(src, ("k",)))
    kp = port.kernels[0]
    assert kp.status == "not_ported" and "__hfma2_relu" in kp.reason
    assert kp.diagnostics[0].code == "CT001"
