"""Run on PoCL against the original: half2 values held in float2 (OpenCL C without cl_khr_fp16):
splats, lane-wise comparisons, lanes, `__half2*` pointer arithmetic restated in halves; SIMD
video min/max as OpenCL vector min/max."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.parse.reader import read_source
from cuport.targets.base import PortRequest
from cuport.targets.opencl import TARGET
from cuport.verify.differential import verify_kernel
from cuport.verify.protocol import Artifact
from cuport.verify.spec import load_spec

cpu_cuda = pytest.importorskip("cuport.verify.cpu_cuda")

HALF2 = Path(__file__).parent / "kernels" / "half2_pairs.cu"
SIMD = Path(__file__).parents[1] / "triton" / "kernels" / "simd_minmax.cu"


def _verify(kernel_file: Path, name: str, tmp_path: Path) -> str:
    src = read_source(kernel_file)
    assert src.ok, src
    result = TARGET.port_file(src.value, PortRequest(kernel_file, (name,)))
    assert result.artifact is not None, [k.reason for k in result.kernels]
    for f in result.files:
        (tmp_path / f.relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f.relpath).write_text(f.content, "utf-8")
    kspec = load_spec(kernel_file.with_suffix(".cuport.toml")).kernels[name]
    original = Artifact(kernel_file, "cuda")
    ported = Artifact(tmp_path / result.artifact, "opencl")
    r = verify_kernel(cpu_cuda.CpuCudaRunner(), TARGET.runner(), original, ported, kspec, 2, 7)  # type: ignore[arg-type]
    assert r.status == "pass", r.reason
    return (tmp_path / result.artifact).read_text("utf-8")


def test_half2_pairs_match_the_original(tmp_path: Path) -> None:
    program = _verify(HALF2, "half2_pairs", tmp_path)
    assert "i * 2" in program  # `__half2*` arithmetic counts halves once the pointer is `half*`


def test_simd_min_max_match_the_original(tmp_path: Path) -> None:
    assert "as_char4" in _verify(SIMD, "simd_minmax", tmp_path)
