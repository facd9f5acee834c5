"""`cuport bench` end to end: hand-written ports, generated ports, exit codes, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench_sides import Sources

from cuport.cli import main


def _json(sources: Sources, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    out = tmp_path / "bench.json"
    rc = main(["bench", str(sources.original), "--reps", "3", "--warmup", "1", "--format", "json", "-o", str(out), *extra])
    return rc, json.loads(out.read_text())


def test_a_slower_hand_written_port(sources: Sources, tmp_path: Path) -> None:
    rc, doc = _json(sources, tmp_path, "--port", str(sources.slow), "--launches", "2")
    assert rc == 0
    [r] = doc["results"]
    assert (r["kernel"], r["target"], r["status"], r["runs"]) == ("axpy", "cuda", "ok", 3 * 2)
    assert (doc["settings"]["launches"], doc["settings"]["warm_launches"]) == (2, 1)
    assert r["ratio"] < 1 and r["median_s"] > r["original"]["median_s"]
    assert r["device"].startswith("CPU: cuport CUDA runtime") and doc["schema"] == "cuport.bench/1"


def test_a_wrong_hand_written_port_exits_1(sources: Sources, tmp_path: Path) -> None:
    rc, doc = _json(sources, tmp_path, "--port", str(sources.wrong))
    assert rc == 1
    assert doc["results"][0]["status"] == "wrong" and doc["results"][0]["ratio"] is None


def test_generated_opencl_port(sources: Sources, tmp_path: Path) -> None:
    rc, doc = _json(sources, tmp_path, "--to", "opencl")
    [r] = doc["results"]
    assert r["target"] == "opencl" and r["status"] == "ok", r["reason"]
    assert rc == 0 and r["ratio"] > 0 and "PoCL" in r["device"] and r["interpreter"] is False


@pytest.mark.slow
def test_generated_triton_port_is_labelled_interpreter(sources: Sources, tmp_path: Path) -> None:
    rc, doc = _json(sources, tmp_path, "--to", "triton")
    [r] = doc["results"]
    assert rc == 0 and r["status"] == "ok", r["reason"]
    assert r["interpreter"] is True and "interpreter" in r["device"]


def test_text_report(sources: Sources, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", str(sources.original), "--port", str(sources.original), "--reps", "2", "--warmup", "0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK        axpy  [cuda]") and "note: CPU timings are not performance numbers" in out


@pytest.mark.parametrize("argv", [
    ["--reps", "0"],
    ["--warmup", "-1"],
    ["--launches", "0"],
    ["--warm-launches", "-1"],
    ["--port", "nonexistent.cu"],
    ["--to", "opencl", "--port", "PORT"],
    ["--to", "fortran"],
])
def test_usage_errors_exit_2(sources: Sources, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(sources.slow) if a == "PORT" else a for a in argv]
    assert main(["bench", str(sources.original), *argv]) == 2
    assert "error[CU001]" in capsys.readouterr().err


def test_a_source_without_a_spec_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lonely = tmp_path / "lonely.cu"
    lonely.write_text("__global__ void k(float *x) { x[0] = 1; }\n")
    assert main(["bench", str(lonely), "--to", "opencl"]) == 2
    assert "CS003" in capsys.readouterr().out
