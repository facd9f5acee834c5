"""<cuComplex.h> in the CPU runtime (cuport/verify/runtime/cuComplex.h) against the documented
formulas evaluated step by step in numpy (same precision, same order), edge cases of the scaled
absolute value included; and the same kernels lower to IR through the preprocessing stub that
includes that header. g++, like nvcc, may fuse `a * b - c` into one rounding: sums of products are
compared to within an ulp or two, the rest exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cuport.parse.cst import parse_cst
from cuport.parse.lower import lower_function
from cuport.parse.preprocess import preprocess
from cuport.result import Ok
from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.protocol import Artifact, Launch, RunRequest

from .conftest import buffer, empty, payload

SOURCE = Path(__file__).parent / "complex" / "cucomplex_ops.cu"
KERNELS = ["complex_ops", "complex_abs_double"]


@pytest.fixture(scope="module")
def suite(runner: CpuCudaRunner) -> PreparedCuda:
    prepared = runner.prepare(Artifact(SOURCE, "cuda"), KERNELS)
    assert isinstance(prepared, PreparedCuda), prepared
    return prepared


def scaled_div(ar, ai, br, bi, one):  # type: ignore[no-untyped-def]
    scale = one / (np.abs(br) + np.abs(bi))
    are, aim, bre, bim = ar * scale, ai * scale, br * scale, bi * scale
    inv = one / (bre * bre + bim * bim)
    return (are * bre + aim * bim) * inv, (aim * bre - are * bim) * inv


def scaled_abs(re, im, one, big_limit):  # type: ignore[no-untyped-def]
    re, im = np.abs(re), np.abs(im)
    big, small = np.where(re > im, re, im), np.where(re > im, im, re)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = small / big
        r = big * np.sqrt(one + ratio * ratio)
    fallback = (big == 0) | (big > big_limit) | (small > big_limit)
    return np.where(fallback, big + small, r)


def test_float_helpers_match_the_formulas(runner, suite):
    rng = np.random.default_rng(5)
    n = 64
    re = rng.uniform(-1e3, 1e3, n).astype(np.float32)
    im = rng.uniform(-1e-3, 1e-3, n).astype(np.float32)
    re[:4] = [0, 3, np.inf, 1e30]
    im[:4] = [0, 4, 1, 1e30]
    out = runner.run(suite, RunRequest(Launch("complex_ops", (1, 1, 1), (n, 1, 1), 0),
                                       [buffer(re), buffer(im), empty(4 * n, "float32"), n], timeout_s=20))
    assert out.status == "ok", out.message
    got = payload(out.buffers[2], "float32").reshape(n, 4)[: n - 1]
    one = np.float32(1)
    with np.errstate(invalid="ignore", over="ignore"):
        qr, qi = scaled_div(re[:-1], im[:-1], re[1:], im[1:], one)
        absa = scaled_abs(re[:-1], im[:-1], one, np.float32(3.402823466e38))
        pr = re[:-1] * re[1:] - (-im[:-1]) * im[1:]
    np.testing.assert_allclose(got[:, 0], qr, rtol=3e-7, atol=0)
    np.testing.assert_allclose(got[:, 1], qi, rtol=3e-7, atol=1e-12)
    np.testing.assert_allclose(got[:, 2], absa, rtol=2e-7, atol=0)
    np.testing.assert_allclose(got[:, 3], pr - (re[:-1] + re[1:]), rtol=3e-7, atol=1e-3)
    assert got[1, 2] == 5.0 and got[2, 2] == np.inf and got[0, 2] == 0.0


def test_double_abs_and_div(runner, suite):
    re = np.array([3.0, 0.0, 1e300, -2.5], np.float64)
    im = np.array([4.0, 0.0, 1e300, 0.5], np.float64)
    out = runner.run(suite, RunRequest(Launch("complex_abs_double", (1, 1, 1), (4, 1, 1), 0),
                                       [buffer(re), buffer(im), empty(4, "float64"), 4], timeout_s=20))
    assert out.status == "ok", out.message
    got = payload(out.buffers[2], "float64")
    one = np.float64(1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        qr, _ = scaled_div(re, im, re, -im, one)
    want = scaled_abs(re, im, one, np.float64(1.79769313486231570e308)) + qr
    np.testing.assert_allclose(got, want, rtol=1e-15)  # 0/0 is NaN in both


@pytest.mark.parametrize("kernel", KERNELS)
def test_kernels_lower_through_the_stub(kernel, tmp_path):
    pre = preprocess(SOURCE, cache_dir=tmp_path)
    assert isinstance(pre, Ok), pre
    result = lower_function(pre.value, parse_cst(pre.value), kernel)
    assert isinstance(result, Ok), result
