"""The CPU runtime's rounding-mode conversions (`__ll2float_rd`, `__double2float_rz`, ...), the
reference every port is compared against, checked against exact rational arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from cuport.verify.protocol import Artifact, Launch, RunRequest

from .conftest import buffer, empty, payload

KERNELS = Path(__file__).parent / "kernels" / "rounding.cu"


def rounded(value: Fraction, dtype: type) -> list[float]:
    """[rn, rz, ru, rd] of an exact value in a binary float type, from its two neighbours."""
    with np.errstate(over="ignore"):
        near = dtype(float(value))  # float(Fraction) and the numpy cast both round to nearest
    if math.isinf(near):  # beyond the largest finite value: nearest and away-from-zero overflow
        biggest = np.finfo(dtype).max
        return [near, np.copysign(biggest, near), near if near > 0 else -biggest, near if near < 0 else biggest]
    if Fraction(float(near)) == value:
        return [near] * 4
    below = near if Fraction(float(near)) < value else np.nextafter(near, dtype(-np.inf))
    above = near if Fraction(float(near)) > value else np.nextafter(near, dtype(np.inf))
    toward_zero = below if value > 0 else above
    return [near, toward_zero, above, below]


@pytest.fixture(scope="module")
def prepared(runner):
    return runner.prepare(Artifact(KERNELS, "cuda"), ["ll_to_float", "double_to_float", "double_to_ll"])


def launch(runner, prepared, kernel: str, x: np.ndarray, out_dtype: str) -> np.ndarray:
    n = len(x)
    outcome = runner.run(prepared, RunRequest(Launch(kernel, (1, 1, 1), (64, 1, 1), 0), [buffer(x), empty(4 * n, out_dtype), n]))
    assert outcome.status == "ok", outcome.message
    return payload(outcome.buffers[1], out_dtype).reshape(n, 4)


def test_integer_to_float_in_every_mode(runner, prepared):
    x = np.array([0, 1, -1, 2**24 + 1, -(2**24 + 1), 2**24 + 3, 2**62 + 1, -(2**63), 2**63 - 1, 123456789], np.int64)
    got = launch(runner, prepared, "ll_to_float", x, "float32")
    for v, row in zip(x, got, strict=True):
        assert list(row) == rounded(Fraction(int(v)), np.float32), int(v)


def test_double_to_float_in_every_mode(runner, prepared):
    x = np.array([0.1, -0.1, 1.0 / 3, -2.0 / 3, 1e-40, 3.5e38, -3.5e38, 1.5, 2.0**-149 / 3], np.float64)
    got = launch(runner, prepared, "double_to_float", x, "float32")
    for v, row in zip(x, got, strict=True):
        want = rounded(Fraction(float(v)), np.float32)
        assert [float(a) for a in row] == [float(b) for b in want], float(v)


def test_double_to_integer_in_every_mode(runner, prepared):
    x = np.array([2.5, -2.5, 3.5, -0.5, 7.0, -7.9, 1e15 + 0.5], np.float64)
    got = launch(runner, prepared, "double_to_ll", x, "int64")
    for v, row in zip(x, got, strict=True):
        f = float(v)
        assert list(row) == [round(f), math.trunc(f), math.ceil(f), math.floor(f)], f
