"""Vector values and lane-wise math under the Triton interpreter, against the CPU runtime
original: half2 arithmetic, comparisons and lane shuffles (exact: every lane is one correctly
rounded half operation), bit casts, SIMD video min/max, whole float4 values; and atomicCAS (Triton's has no lane mask)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import triton_harness  # noqa: E402

from cuport.parse.reader import read_source  # noqa: E402
from cuport.targets.base import PortRequest  # noqa: E402
from cuport.targets.triton import TARGET  # noqa: E402

KERNELS = Path(__file__).parent / "kernels"
CASES = [("half2_lanes.cu", "half2_lanes"), ("half2_lanes.cu", "bit_casts"), ("simd_minmax.cu", "simd_minmax"),
         ("float4_values.cu", "float4_values"), ("atomic_cas.cu", "atomic_cas")]


@pytest.mark.parametrize(("file", "kernel"), CASES, ids=[k for _, k in CASES])
def test_vector_values_and_math_match_the_original(file: str, kernel: str, tmp_path: Path) -> None:
    port, result = triton_harness.verify(KERNELS / file, kernel, tmp_path)
    assert result is not None, port.kernels[0].reason
    assert result.status == "pass", result.reason


def test_reading_a_vectors_bits_as_another_type_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "pun.cu"
    src.write_text(
        "#include <cuda_fp16.h>\n"
        "__global__ void pun(const __half *h, float *out, int n) {\n"
        "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
        "  if (i < n) { float4 v = reinterpret_cast<const float4 *>(h)[i]; out[i] = v.x; }\n"
        "}\n"
    )
    kp = TARGET.port_file(read_source(src).value, PortRequest(src, ("pun",))).kernels[0]
    assert kp.status == "not_ported"
    assert "cannot be read as another type" in kp.reason and kp.diagnostics[0].span is not None
