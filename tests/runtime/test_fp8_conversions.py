"""The CPU runtime's __nv_cvt_float_to_fp8 against a reference built from the fp8 code tables: every
one of the 256 codes decoded exactly, the nearest finite code chosen (ties to the even code), and
the saturation rules of cuda_fp8.h applied to what lies beyond the largest finite value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cuport.verify.protocol import Artifact, Launch, RunRequest

from .conftest import buffer, empty, payload

KERNELS = Path(__file__).parent / "kernels" / "fp8.cu"
FORMATS = {"e4m3": (3, 7), "e5m2": (2, 15)}  # mantissa bits, exponent bias


def decode(code: int, fmt: str) -> float:
    mbits, bias = FORMATS[fmt]
    sign = -1.0 if code & 0x80 else 1.0
    exp, frac = (code >> mbits) & ((1 << (7 - mbits)) - 1), code & ((1 << mbits) - 1)
    if fmt == "e4m3" and exp == 15 and frac == 7:
        return float("nan")  # E4M3 spends only S.1111.111 on NaN and has no infinity
    if fmt == "e5m2" and exp == 31:
        return sign * float("inf") if frac == 0 else float("nan")
    if exp == 0:
        return sign * frac * 2.0 ** (1 - bias - mbits)
    return sign * (1 + frac / (1 << mbits)) * 2.0 ** (exp - bias)


def reference(x: float, fmt: str, satfinite: bool) -> int:
    finite = [(c, decode(c, fmt)) for c in range(256) if np.isfinite(decode(c, fmt))]
    biggest = max(v for _, v in finite)
    sign = 0x80 if np.signbit(x) else 0
    if np.isnan(x):
        raise ValueError("NaN is checked separately")
    # beyond the midpoint between the largest finite value and the next step up: overflow
    step = biggest - max(v for _, v in finite if v < biggest)
    if abs(x) > biggest + step / 2 or (abs(x) == biggest + step / 2 and fmt == "e5m2"):
        if satfinite:
            return sign | next(c for c, v in finite if v == biggest)
        return sign | (0x7F if fmt == "e4m3" else 0x7C)
    same_sign = [(c, v) for c, v in finite if (c & 0x80) == sign]
    best = min(abs(v - x) for _, v in same_sign)
    ties = [c for c, v in same_sign if abs(v - x) == best]
    return min(ties, key=lambda c: (c & 1, c))  # ties to the even mantissa


def test_reference_self_check():
    assert decode(0x7E, "e4m3") == 448.0 and decode(0x7B, "e5m2") == 57344.0
    assert reference(464.0, "e4m3", False) == 0x7E and reference(465.0, "e4m3", False) == 0x7F
    assert reference(61440.0, "e5m2", False) == 0x7C and reference(2.0**-10, "e4m3", True) == 0x00


@pytest.fixture(scope="module")
def converted(runner):
    rng = np.random.default_rng(5)
    special = [0.0, -0.0, 448.0, 464.0, 464.01, 480.0, -500.0, 57344.0, 61439.0, 61440.0, 1e30, -1e30,
               np.inf, -np.inf, 2.0**-9, 2.0**-10, 1.5 * 2.0**-9, 2.0**-17, 2.0**-16, 3 * 2.0**-17, 1.0625,
               1.1875, -1.0625, 0.013671875, 240.0, 248.0, 3.14159]  # fmt: skip
    x = np.concatenate([special, rng.normal(0, 40, 300), rng.uniform(-1e-2, 1e-2, 100),
                        2.0 ** rng.uniform(-20, 17, 200) * rng.choice([-1, 1], 200)]).astype(np.float32)  # fmt: skip
    prepared = runner.prepare(Artifact(KERNELS, "cuda"), ["to_fp8"])
    outcome = runner.run(prepared, RunRequest(Launch("to_fp8", (5, 1, 1), (128, 1, 1), 0),
                                              [buffer(x), empty(4 * len(x), "uint8"), len(x)]))  # fmt: skip
    assert outcome.status == "ok", outcome.message
    return x, payload(outcome.buffers[1], "uint8").reshape(len(x), 4)


@pytest.mark.parametrize(("column", "fmt", "satfinite"),
                         [(0, "e4m3", True), (1, "e4m3", False), (2, "e5m2", True), (3, "e5m2", False)])  # fmt: skip
def test_float_to_fp8_rounds_to_nearest_even_and_saturates(converted, column, fmt, satfinite):
    x, got = converted
    wrong = [(float(v), int(g), reference(float(v), fmt, satfinite)) for v, g in zip(x, got[:, column], strict=True)
             if int(g) != reference(float(v), fmt, satfinite)]  # fmt: skip
    assert wrong == []
