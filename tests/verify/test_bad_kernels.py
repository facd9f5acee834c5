"""Bad kernels on the real CPU runtime: each gets a clear verdict, nothing hangs, no traceback,
and the good kernel in the same batch still passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cuport.cli import main

pytest.importorskip("cuport.verify.cpu_cuda", reason="the CPU runtime for CUDA has not landed")

GOOD = """\
__global__ void good(const float *x, float *y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = 3.0f * x[i] + 1.0f;
}
"""
BAD = {
    "spins": "__global__ void spins(const float *x, float *y, int n) {\n"
    "    volatile int k = 1; while (k) { }\n}\n",
    "oob": "__global__ void oob(const float *x, float *y, int n) {\n"
    "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n    if (i < n) y[i + 16] = x[i];\n}\n",
    "crashes": "__global__ void crashes(const float *x, float *y, int n) {\n"
    "    float *p = (float *)0; p[threadIdx.x] = x[0]; y[0] = 1.0f;\n}\n",
}
SPEC_TABLE = """
[{name}]
grid = "cdiv(n, 64)"
block = 64
sizes = {{ n = [1, 100] }}
args = [{{ len = "n", init = "uniform(-1, 1)" }}, {{ len = "n", out = true }}, "n"]
"""


def _write(tmp_path: Path, stem: str, source: str, names: list[str]) -> Path:
    f = tmp_path / f"{stem}.cu"
    f.write_text(source)
    (tmp_path / f"{stem}.cuport.toml").write_text("".join(SPEC_TABLE.format(name=n) for n in names))
    return f


def _results(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    return {r["kernel"]: r for r in json.loads(capsys.readouterr().out)["results"]}


def test_bad_kernels_in_one_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path, "mixed", GOOD + "".join(BAD.values()), ["good", *BAD])
    assert main(["verify", str(f), "--format", "json", "--timeout", "3", "--trials", "2"]) == 1
    r = _results(capsys)
    assert r["good"]["status"] == "pass"
    assert r["spins"]["status"] == "error" and "timeout" in str(r["spins"]["reason"])
    assert r["oob"]["status"] == "error" and "out-of-bounds" in str(r["oob"]["reason"])
    assert r["crashes"]["status"] == "error" and "crash" in str(r["crashes"]["reason"])


def test_a_file_that_does_not_compile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path, "broken", GOOD.replace("3.0f * x[i]", "3.0f * undefined_name"), ["good"])
    ok = _write(tmp_path, "fine", GOOD, ["good"])
    assert main(["verify", str(f), str(ok), "--format", "json"]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    by_file = {Path(str(r["file"])).name: r for r in results}
    assert by_file["broken.cu"]["status"] == "error" and "does not build" in str(by_file["broken.cu"]["reason"])
    assert by_file["fine.cu"]["status"] == "pass"


def test_a_port_that_writes_out_of_bounds_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path, "orig", GOOD, ["good"])
    port = tmp_path / "port.cu"
    port.write_text(GOOD.replace("y[i] =", "y[i + 1] ="))
    assert main(["verify", str(f), "--port", str(port), "--format", "json"]) == 1
    r = _results(capsys)["good"]
    assert r["status"] == "fail" and "out-of-bounds write" in str(r["reason"])


def test_self_check_finds_block_order_dependence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # every block writes its index to the same place: the last block to run wins
    src = "__global__ void last_writer(const float *x, int *who, int n) {\n    if (threadIdx.x == 0) who[0] = blockIdx.x;\n}\n"
    f = tmp_path / "order.cu"
    f.write_text(src)
    (tmp_path / "order.cuport.toml").write_text(
        '[last_writer]\ngrid = 64\nblock = 32\nsizes = { n = [64] }\n'
        'args = [{ len = "n", init = "uniform(-1, 1)" }, { len = 1, out = true }, "n"]\n'
    )
    assert main(["verify", str(f), "--format", "json", "--trials", "3"]) == 1
    r = _results(capsys)["last_writer"]
    assert r["status"] == "fail" and r["target"] == "cuda-cpu (self-check)"
    assert any(d["code"] == "CV004" for d in r["diagnostics"])  # type: ignore[union-attr]


def test_constant_of_the_wrong_size_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = "__constant__ float coef[4];\n__global__ void usec(const float *x, float *y, int n) {\n" \
          "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n    if (i < n) y[i] = coef[i % 4] * x[i];\n}\n"
    f = tmp_path / "c.cu"
    f.write_text(src)
    table = '[usec]\ngrid = 1\nblock = 32\nsizes = { n = [20] }\nargs = [{ len = "n", init = "uniform(-1, 1)" }, ' \
            '{ len = "n", out = true }, "n"]\nconstants = { coef = { len = LEN, init = "uniform(1, 2)" } }\n'
    (tmp_path / "c.cuport.toml").write_text(table.replace("LEN", "4"))
    assert main(["verify", str(f), "--format", "json"]) == 0
    capsys.readouterr()
    (tmp_path / "c.cuport.toml").write_text(table.replace("LEN", "5"))
    assert main(["verify", str(f), "--format", "json"]) == 1
    r = _results(capsys)["usec"]
    assert r["status"] == "error" and "the symbol holds 16" in str(r["reason"])


def test_warp_size_64_self_check_finds_32_bit_masks(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = Path(__file__).resolve().parents[2] / "cuport" / "corpus" / "warp" / "ballot.cu"
    assert main(["verify", str(corpus), "--warp-size", "64", "--trials", "1", "--format", "json"]) == 1
    r = _results(capsys)["ballot_count"]
    assert r["status"] == "fail" and r["target"] == "cuda-cpu (self-check, warp 64)"
    assert "64-wide warp" in str(r["reason"])
