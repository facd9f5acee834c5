"""Constructs real CUDA uses that the CPU runtime once lacked; each compiles and computes CUDA's answer."""

from __future__ import annotations

import numpy as np

from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.protocol import Artifact, Launch, RunRequest

from .conftest import HERE, empty, payload


def test_cg_sync_half2_compare_simd_and_user_atomic_min(runner: CpuCudaRunner) -> None:
    prepared = runner.prepare(Artifact(HERE / "kernels" / "real_code_gaps.cu", "cuda"), ["k"])
    assert isinstance(prepared, PreparedCuda), prepared
    sig = runner.signature(prepared, "k")
    assert [p.dtype for p in sig] == ["float32", "uint32", "int32", "int32"]  # the enum reads as int
    n = 5
    out = runner.run(prepared, RunRequest(Launch("k", (1, 1, 1), (32, 1, 1)), [empty(n, "float32"), empty(n, "uint32"), 1, n]))
    assert out.status == "ok", out.message
    # __hgt2((1, 2), (1.5, 1.5)) = (0, 1); high half 1.0, plus the enum value 1
    assert np.array_equal(payload(out.buffers[0], "float32"), np.full(n, 2.0, np.float32))
    # per signed byte max of 0x01FF7F80 and 0x02000081: 02, 00 (0 > -1), 7F, 81 (-127 > -128)
    assert np.array_equal(payload(out.buffers[1], "uint32"), np.full(n, 0x02007F81, np.uint32))
