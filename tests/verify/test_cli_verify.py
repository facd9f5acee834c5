"""`cuport verify` as a batch reporter: bad input gives a clear verdict, never a traceback, and
one bad kernel or file never stops the rest. Runs on the numpy fake runner (no compiler needed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from verify_fake_runner import FakeKernel, FakeRunner, ptr, val

from cuport.cli import main
from cuport.commands import verify as verify_cmd
from cuport.verify.protocol import Launch

SOURCE = """\
__global__ void scale(const float *x, float *y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = 2.0f * x[i];
}
__global__ void broken(const float *x, float *y, int n) { }
"""
SPEC = """\
[scale]
grid = "cdiv(n, 32)"
block = 32
sizes = { n = [1, 33, 1000] }
args = [{ len = "n", init = "uniform(-1, 1)" }, { len = "n", out = true }, "n"]

[broken]
grid = "cdiv(n, 32)"
block = 32
sizes = { n = [5] }
args = [{ len = "n", init = "uniform(-1, 1)" }, { len = "n", out = true }, "n"]
"""

SIG = [ptr("float32", True), ptr("float32"), val("int32")]


def _scale(launch: Launch, x: np.ndarray, y: np.ndarray, n: int) -> None:
    y[:n] = 2 * x[:n]


def _crash(launch: Launch, x: np.ndarray, y: np.ndarray, n: int) -> None:
    raise RuntimeError("segmentation fault")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "k.cu").write_text(SOURCE)
    (tmp_path / "k.cuport.toml").write_text(SPEC)
    (tmp_path / "port.cu").write_text(SOURCE)
    (tmp_path / "bad.cu").write_text(SOURCE)
    programs = {
        "k": {"scale": FakeKernel(SIG, _scale), "broken": FakeKernel(SIG, _crash)},
        "port": {"scale": FakeKernel(SIG, lambda launch, x, y, n: _scale(launch, x, y, n) if n < 500 else None)},
    }
    monkeypatch.setattr(verify_cmd, "_cpu_cuda_runner", lambda **_: FakeRunner(programs))
    return tmp_path


def test_self_check_batch_goes_on_past_a_crashing_kernel(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(project / "k.cu"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "cuport.verify/1"
    by_kernel = {r["kernel"]: r for r in report["results"]}
    assert by_kernel["scale"]["status"] == "pass" and by_kernel["scale"]["target"] == "cuda-cpu (self-check)"
    assert by_kernel["scale"]["trials"] == 3 and by_kernel["scale"]["sizes"][2] == {"n": 1000}
    assert by_kernel["broken"]["status"] == "error" and "crash" in by_kernel["broken"]["reason"]
    for key in ("max_abs_err", "max_rel_err", "mismatches", "first_mismatch", "device"):
        assert key in by_kernel["scale"]


def test_kernel_filter_and_text_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(project / "k.cu"), "--kernel", "scale"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PASS") and "broken" not in out and "1 pass" in out


def test_port_that_skips_large_sizes_fails(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(project / "k.cu"), "--kernel", "scale", "--port", str(project / "port.cu"), "--format", "json"])
    assert code == 1
    r = json.loads(capsys.readouterr().out)["results"][0]
    assert r["status"] == "fail" and r["target"] == "cuda" and "never written" in r["reason"]


def test_unknown_kernel_is_an_input_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(project / "k.cu"), "--kernel", "nope"]) == 2
    assert "CS003" in capsys.readouterr().out


def test_spec_naming_a_kernel_not_in_the_source(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "k.cuport.toml").write_text(SPEC.replace("[broken]", "[missing_one]"))
    assert main(["verify", str(project / "k.cu")]) == 2
    out = capsys.readouterr().out
    assert "CS004" in out and "missing_one" in out and "k.cuport.toml:7:1" in out
    assert "PASS" in out  # the other kernel still ran


def test_spec_that_does_not_match_the_signature(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "k.cuport.toml").write_text(SPEC.replace('{ len = "n", out = true }, "n"]', '{ len = "n", out = true }]', 1))
    assert main(["verify", str(project / "k.cu"), "--kernel", "scale", "--format", "json"]) == 2
    r = json.loads(capsys.readouterr().out)["results"][0]
    assert r["status"] == "error" and r["diagnostics"][0]["code"] == "CS002"
    assert "3 parameter(s), the spec gives 2" in r["reason"]


def test_bad_spec_and_missing_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "bad.cuport.toml").write_text("[scale]\ngrid = 1\n")
    assert main(["verify", str(project / "bad.cu"), str(project / "nope.cu"), str(project / "k.cu"), "--kernel", "scale"]) == 2
    out = capsys.readouterr().out
    assert "bad.cuport.toml:1:1: error[CS001]" in out and "needs 'block'" in out
    assert "nope.cu: no such file" in out
    assert "PASS" in out


def test_directory_takes_every_source_with_a_spec(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "port.cu").unlink()
    (project / "bad.cu").unlink()
    (project / "no_spec.cu").write_text(SOURCE)
    out_file = project / "out.json"
    assert main(["verify", str(project), "--kernel", "scale", "--format", "json", "-o", str(out_file)]) == 0
    report = json.loads(out_file.read_text())
    assert [r["kernel"] for r in report["results"]] == ["scale"] and report["errors"] == []


def test_usage_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(project / "k.cu"), "--to", "cobol"]) == 2
    assert "unknown target 'cobol'" in capsys.readouterr().err
    assert main(["verify", str(project / "k.cu"), "--port", str(project / "missing.cu")]) == 2
    assert main(["verify", str(project / "k.cu"), "--trials", "0"]) == 2
