"""Rounding-mode conversion intrinsics under the Triton interpreter, against the CPU runtime."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import triton_harness  # noqa: E402

KERNEL = Path(__file__).parent / "kernels" / "rounding_modes.cu"


def test_float_to_integer_intrinsics_round_as_spelled(tmp_path: Path) -> None:
    port, result = triton_harness.verify(KERNEL, "rounding_modes", tmp_path)
    assert result is not None, port.kernels[0].reason
    assert result.status == "pass", result.reason
    assert any("tl.floor(" in p.read_text() for p in tmp_path.rglob("*.py"))
