"""half2 arithmetic, comparisons, lane shuffles and bit casts under the Triton interpreter,
against the CPU runtime original (exact: every lane is one correctly rounded half operation)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import triton_harness  # noqa: E402

KERNEL = Path(__file__).parent / "kernels" / "half2_lanes.cu"


@pytest.mark.parametrize("kernel", ["half2_lanes", "bit_casts"])
def test_vector_math_and_bit_casts_match_the_original(kernel: str, tmp_path: Path) -> None:
    port, result = triton_harness.verify(KERNEL, kernel, tmp_path)
    assert result is not None, port.kernels[0].reason
    assert result.status == "pass", result.reason
