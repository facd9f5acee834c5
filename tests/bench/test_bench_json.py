"""`cuport.bench/1`: the fields every consumer relies on, strict JSON, labels and the text form."""

from __future__ import annotations

import json

import pytest

from cuport.report.bench_json import SCHEMA, to_json, to_text
from cuport.verify.bench import NOTE, BenchOptions, BenchResult, Spread

RESULT_FIELDS = {"kernel", "target", "status", "median_s", "p10_s", "p90_s", "runs", "device", "ratio", "suspect",
                 "compile_s", "original", "clock", "interpreter", "comparable", "sizes", "reason"}
MACHINE = {"cpu": "test CPU", "cores": 2, "os": "Linux", "python": "3.11"}


def _ok(target: str, ratio: float, device: str = "CPU: PoCL (pyopencl), OpenCL C 1.2") -> BenchResult:
    return BenchResult("saxpy", target, "ok", sizes={"n": 7}, port=Spread.of([0.1, 0.2, 0.3]),
                       original=Spread.of([0.1 * ratio, 0.2 * ratio, 0.3 * ratio]), ratio=ratio, suspect=ratio > 10,
                       compile_s=0.5, device=device, original_device="CPU: cuport CUDA runtime")


def _doc(results: list[BenchResult]) -> dict:
    text = json.dumps(to_json(results, [], BenchOptions(reps=3, warmup=1), MACHINE, "2025-01-01T00:00:00+00:00"),
                      allow_nan=False)  # strict JSON: no NaN or Infinity anywhere
    return json.loads(text)


def test_top_level_names_the_schema_machine_date_settings_and_the_note() -> None:
    doc = _doc([_ok("opencl", 2.0)])
    assert doc["schema"] == SCHEMA == "cuport.bench/1"
    assert doc["machine"] == MACHINE and doc["date"].startswith("2025-01-01")
    assert doc["settings"]["reps"] == 3 and doc["settings"]["warmup"] == 1 and doc["settings"]["suspect_ratio"] == 10
    assert doc["note"] == NOTE and "not performance numbers" in NOTE and "interpreter" in NOTE


def test_each_result_has_the_contract_fields() -> None:
    [r] = _doc([_ok("opencl", 2.0)])["results"]
    assert RESULT_FIELDS <= set(r)
    assert r["median_s"] == pytest.approx(0.2) and r["p10_s"] < r["median_s"] < r["p90_s"] and r["runs"] == 3
    assert r["ratio"] == 2.0 and r["suspect"] is False and r["compile_s"] == 0.5
    assert r["original"]["median_s"] == pytest.approx(0.4) and r["original"]["device"] == "CPU: cuport CUDA runtime"


def test_the_interpreter_is_labelled() -> None:
    doc = _doc([_ok("triton", 0.01, device="CPU: Triton interpreter (TRITON_INTERPRET=1)"), _ok("opencl", 1.0)])
    assert [r["interpreter"] for r in doc["results"]] == [True, False]


def test_wrong_results_carry_no_numbers() -> None:
    [r] = _doc([BenchResult("saxpy", "hip", "wrong", reason="timed run 1: 1 of 7 element(s) differ")])["results"]
    assert (r["status"], r["ratio"], r["median_s"], r["runs"]) == ("wrong", None, None, 0)


def test_summary_gives_geometric_means_per_target_over_standing_ratios() -> None:
    results = [_ok("opencl", 2.0), _ok("opencl", 8.0), BenchResult("k", "opencl", "wrong"), _ok("hip", 20.0)]
    summary = _doc(results)["summary"]
    assert summary["ok"] == 3 and summary["wrong"] == 1
    assert summary["by_target"]["opencl"]["geomean_ratio"] == pytest.approx(4.0)
    assert summary["by_target"]["opencl"]["kernels_timed"] == 2 and summary["by_target"]["opencl"]["kernels"] == 3
    assert summary["by_target"]["hip"]["suspect"] == 1


def test_text_names_devices_machine_suspects_and_the_note() -> None:
    text = to_text([_ok("hip", 20.0), BenchResult("k", "opencl", "wrong", reason="timed run 2: differs")], [], MACHINE)
    assert "SUSPECT" in text and "ratio 20x" in text
    assert "WRONG" in text and "timed run 2: differs" in text
    assert "CPU: cuport CUDA runtime" in text and "test CPU, 2 cores" in text
    assert "not performance numbers" in text
