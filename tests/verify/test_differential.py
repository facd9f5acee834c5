"""The harness against a numpy fake runner: every planted fault must be caught with a clear reason."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from verify_fake_runner import FakeKernel, FakePrepared, FakeRunner, ptr, total_threads, val

from cuport.verify.differential import run_case, verify_kernel
from cuport.verify.protocol import Artifact, Launch
from cuport.verify.spec import parse_spec

SPEC = """\
[saxpy]
grid = "cdiv(n, 64)"
block = 64
sizes = { n = [1, 67, 1001] }
args = ["n", { value = "uniform(-2, 2)" }, { len = "n", init = "uniform(-1, 1)" }, { len = "n", out = true }]

[copy]
grid = 1
block = 1
sizes = { n = [5, 17] }
args = [{ len = "n", init = "uniform(-1, 1)" }, { len = "n", out = true }, "n"]

[zero]
grid = 1
block = 1
sizes = { n = [5, 17] }
args = [{ len = "n", init = "uniform(-1, 1)" }, { len = "n", out = true }, "n"]
"""

SAXPY_SIG = [val("int32"), val("float32"), ptr("float32", const=True), ptr("float32")]
COPY_SIG = [ptr("float32", const=True), ptr("float32"), val("int32")]


def saxpy(launch: Launch, n: int, a: float, x: np.ndarray, y: np.ndarray) -> None:
    y[:n] = np.float32(a) * x[:n] + np.float32(1)


def copy(launch: Launch, x: np.ndarray, y: np.ndarray, n: int) -> None:
    y[:n] = x[:n]


def zero(launch: Launch, x: np.ndarray, y: np.ndarray, n: int) -> None:
    y[:n] = 0


def _program(fn=saxpy, raw: bool = False, sig=SAXPY_SIG) -> dict[str, FakeKernel]:  # noqa: ANN001
    return {
        "saxpy": FakeKernel(sig, fn, raw),
        "copy": FakeKernel(COPY_SIG, copy),
        "zero": FakeKernel(COPY_SIG, zero),
    }


def _verify(port: dict[str, FakeKernel], kernel: str = "saxpy", tmp: Path = Path("/tmp")):  # noqa: ANN202
    spec = parse_spec(SPEC, tmp / "k.cuport.toml")
    runner = FakeRunner({"orig": _program(), "port": port})
    return verify_kernel(
        runner, runner, Artifact(Path("orig.cu"), "cuda"), Artifact(Path("port.cu"), "cuda"), spec.kernels[kernel], 3, 42
    )


def test_a_correct_port_passes() -> None:
    r = _verify(_program())
    assert r.status == "pass", r.reason
    assert r.trials == 3 and [s["n"] for s in r.sizes] == [1, 67, 1001]
    assert not r.weak


def _wrong_op(launch: Launch, n: int, a: float, x: np.ndarray, y: np.ndarray) -> None:
    y[:n] = np.float32(a) * x[:n] - np.float32(1)


def _skip_tail(launch: Launch, n: int, a: float, x: np.ndarray, y: np.ndarray) -> None:
    m = n // 64 * 64
    y[:m] = np.float32(a) * x[:m] + np.float32(1)


def _oob(launch: Launch, n: int, a: float, x: tuple, y: tuple) -> None:
    data, off = y
    body = data[off : off + (n + 1) * 4].view(np.float32)
    xs = x[0][x[1] : x[1] + n * 4].view(np.float32)
    body[:n] = np.float32(a) * xs + np.float32(1)
    body[n] = 0  # one past the end


def _writes_input(launch: Launch, n: int, a: float, x: np.ndarray, y: np.ndarray) -> None:
    saxpy(launch, n, a, x, y)
    x[0] = 3


def _crashes(launch: Launch, n: int, a: float, x: np.ndarray, y: np.ndarray) -> None:
    raise MemoryError("segmentation fault")


def _tiny_error(launch: Launch, n: int, a: float, x: np.ndarray, y: np.ndarray) -> None:
    saxpy(launch, n, a, x, y)
    y[:n] *= np.float32(1 + 1e-6)


@pytest.mark.parametrize(
    ("fn", "raw", "expected"),
    [
        (_wrong_op, False, "element(s) differ"),
        (_skip_tail, False, "never written"),
        (_oob, True, "out-of-bounds write"),
        (_writes_input, False, "changed this const input"),
        (_crashes, False, "run crash"),
    ],
)
def test_planted_faults_fail(fn, raw: bool, expected: str) -> None:  # noqa: ANN001
    r = _verify(_program(fn, raw))
    assert r.status == "fail"
    assert expected in r.reason
    assert any(d.code == "CV001" for d in r.diagnostics)


def test_first_mismatch_is_reported() -> None:
    r = _verify(_program(_wrong_op))
    assert r.first_mismatch is not None and r.first_mismatch["index"] == [0]
    assert r.first_mismatch["arg"] == 3 and r.mismatches == 1  # trial 0 has n = 1


def test_rounding_noise_is_tolerated() -> None:
    r = _verify(_program(_tiny_error))
    assert r.status == "pass" and 0 < r.max_rel_err < 1e-5


def test_port_that_does_not_build_fails() -> None:
    r = _verify({})
    assert r.status == "fail" and "does not build" in r.reason


def test_port_with_other_parameters_fails() -> None:
    r = _verify(_program(sig=[val("int32"), val("float64"), ptr("float32", True), ptr("float32")]))
    assert r.status == "fail" and "parameters" in r.reason


def test_a_broken_original_is_an_error_not_a_port_failure() -> None:
    spec = parse_spec(SPEC, Path("/tmp/k.cuport.toml"))
    runner = FakeRunner({"orig": _program(_crashes), "port": _program()})
    r = verify_kernel(runner, runner, Artifact(Path("orig.cu"), "cuda"), Artifact(Path("port.cu"), "cuda"), spec.kernels["saxpy"], 2, 1)
    assert r.status == "error" and "the original failed" in r.reason


def test_spec_that_does_not_match_is_cs002() -> None:
    spec = parse_spec(SPEC, Path("/tmp/k.cuport.toml"))
    runner = FakeRunner({"orig": {"saxpy": FakeKernel(SAXPY_SIG[:3], saxpy)}})
    r = verify_kernel(runner, runner, Artifact(Path("orig.cu"), "cuda"), Artifact(Path("orig.cu"), "cuda"), spec.kernels["saxpy"], 2, 1)
    assert r.status == "error" and r.diagnostics[0].code == "CS002"


def test_a_case_that_cannot_fail_is_unverified() -> None:
    r = _verify(_program(), kernel="zero")
    assert r.status == "unverified" and r.weak
    assert any(d.code == "CV002" for d in r.diagnostics) and "all zeros" in r.reason


def test_a_copy_kernel_passes_with_a_warning() -> None:
    r = _verify(_program(), kernel="copy")
    assert r.status == "pass" and r.weak
    assert "a copy of argument 1" in r.reason


def test_run_case_gives_typed_inputs_and_outputs() -> None:
    spec = parse_spec(SPEC, Path("/tmp/k.cuport.toml"))
    runner = FakeRunner({"orig": _program()})
    prepared = runner.prepare(Artifact(Path("orig.cu"), "cuda"), ["saxpy"])
    assert isinstance(prepared, FakePrepared)
    case = run_case(runner, prepared, spec.kernels["saxpy"], 1, seed=5)
    assert case.ok and case.sizes == {"n": 67}
    n, a, x, y0 = case.inputs
    assert n == 67 and isinstance(a, float) and isinstance(x, np.ndarray) and x.dtype == np.float32
    assert isinstance(y0, np.ndarray) and np.isnan(y0).all()  # poisoned before the run
    out = case.outputs[3]
    assert out is not None and np.allclose(out, np.float32(a) * x + 1)
    assert case.outputs[0] is None
    again = run_case(runner, prepared, spec.kernels["saxpy"], 1, seed=5)
    assert np.array_equal(again.inputs[2], x)  # same seed, same inputs
    other = run_case(runner, prepared, spec.kernels["saxpy"], 1, seed=6)
    assert not np.array_equal(other.inputs[2], x)
    assert total_threads(Launch("saxpy", (2, 1, 1), (64, 1, 1))) == 128
