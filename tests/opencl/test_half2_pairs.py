"""half2 values held in float2 (OpenCL C without cl_khr_fp16): splats, lane-wise comparisons,
lanes, and `__half2*` pointer arithmetic restated in halves, run on PoCL against the original."""

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

KERNEL = Path(__file__).parent / "kernels" / "half2_pairs.cu"


def test_half2_pairs_match_the_original(tmp_path: Path) -> None:
    src = read_source(KERNEL)
    assert src.ok, src
    result = TARGET.port_file(src.value, PortRequest(KERNEL, ("half2_pairs",)))
    assert result.artifact is not None, [k.reason for k in result.kernels]
    for f in result.files:
        (tmp_path / f.relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f.relpath).write_text(f.content, "utf-8")
    program = (tmp_path / result.artifact).read_text("utf-8")
    assert "i * 2" in program  # `__half2*` arithmetic counts halves once the pointer is `half*`
    kspec = load_spec(KERNEL.with_name("half2_pairs.cuport.toml")).kernels["half2_pairs"]
    original = Artifact(KERNEL, "cuda")
    ported = Artifact(tmp_path / result.artifact, "opencl")
    r = verify_kernel(cpu_cuda.CpuCudaRunner(), TARGET.runner(), original, ported, kspec, 2, 7)  # type: ignore[arg-type]
    assert r.status == "pass", r.reason
