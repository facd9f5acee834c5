"""`cuport scan` end to end: exit codes, the JSON schema fields, SARIF structure, baselines, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cuport.cli import main
from cuport.translate.hazards import catalogue

CASES = Path(__file__).parent / "cases"
MASK = "__global__ void k(float *o, float v) {\n  v += __shfl_down_sync(0xffffffff, v, 1);\n  o[0] = v;\n}\n"
CLEAN = "__global__ void k(float *o) { o[threadIdx.x] = 1.0f; }\n"
NOTE_ONLY = "__global__ void k(float *o) { atomicAdd(o, 1.0f); }\n"


def scan(*argv: str) -> int:
    return main(["scan", *argv])


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_exit_0_when_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert scan(str(write(tmp_path, "a.cu", CLEAN))) == 0
    assert "0 hazard(s)" in capsys.readouterr().out


def test_exit_1_on_error_and_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "a.cu", MASK)
    assert scan(str(f)) == 1
    out = capsys.readouterr().out
    assert f"{f}:2:25: error[CPH002]: 32-bit full warp mask 0xffffffff passed to __shfl_down_sync" in out
    assert "\n      v += __shfl_down_sync(0xffffffff, v, 1);\n" + " " * 28 + "^" in out


def test_severity_threshold(tmp_path: Path) -> None:
    f = str(write(tmp_path, "a.cu", NOTE_ONLY))
    assert scan(f) == 0  # default threshold: error
    assert scan(f, "--severity", "note") == 1
    assert scan(f, "--severity", "warning") == 0


def test_missing_path_still_scans_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "a.cu", MASK)
    assert scan(str(tmp_path / "nope.cu"), str(f), "--format", "json") == 2
    captured = capsys.readouterr()
    assert "nope.cu: no such file or directory" in captured.err
    assert json.loads(captured.out)["summary"]["hazards_by_id"] == {"CPH002": 1}


def test_json_schema_fields(tmp_path: Path) -> None:
    out = tmp_path / "scan.json"
    f = write(tmp_path, "a.cu", MASK + "int main() { float *d; cudaMalloc(&d, 4); k<<<1, 32>>>(d, 1.f); }\n")
    assert scan(str(f), "--format", "json", "-o", str(out)) == 1
    doc = json.loads(out.read_text())
    assert doc["schema"] == "cuport.scan/1"
    assert set(doc) >= {"files", "kernels", "launches", "api_refs", "hazards", "errors", "summary"}
    assert doc["files"][0].keys() >= {"path", "lines", "encoding", "status", "parse_errors"}
    assert doc["files"][0]["status"] == "ok" and doc["files"][0]["lines"] == 5
    kernel = doc["kernels"][0]
    assert kernel["name"] == "k" and kernel["line"] == 1
    assert [p["name"] for p in kernel["params"]] == ["o", "v"]
    assert "warp_ops" in kernel["features"] and kernel["hazards"] == ["CPH002"]
    assert doc["launches"][0]["kernel"] == "k" and doc["launches"][0]["line"] == 5
    refs = {r["name"]: r for r in doc["api_refs"]}
    assert refs["cudaMalloc"]["hip"] == "hipMalloc" and refs["cudaMalloc"]["conversion"] is True
    assert refs["__shfl_down_sync"]["conversion"] is False  # identity mapping
    hazard = doc["hazards"][0]
    assert hazard.keys() >= {"id", "severity", "file", "line", "col", "message", "fingerprint", "effort"}
    assert doc["summary"]["api_conversions"] == 1


def test_sarif_structure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.cu", MASK)
    out = tmp_path / "scan.sarif"
    assert scan("a.cu", "--format", "sarif", "-o", str(out)) == 1
    doc = json.loads(out.read_text())
    assert doc["version"] == "2.1.0" and "sarif-2.1.0" in doc["$schema"]
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(catalogue())
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    (result,) = run["results"]
    assert result["ruleId"] == "CPH002" and result["level"] == "error"
    assert rules[result["ruleIndex"]]["id"] == "CPH002"
    assert result["message"]["text"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "a.cu"
    assert loc["region"] == {"startLine": 2, "startColumn": 25, "snippet": {"text": MASK.splitlines()[1]}}
    assert result["partialFingerprints"]["cuportFingerprint/v1"]
    _check_sarif_subset(doc)


def _check_sarif_subset(doc: dict) -> None:
    """The essential SARIF 2.1.0 shape, written out by hand (no schema package needed)."""
    assert isinstance(doc["runs"], list) and doc["runs"]
    for run in doc["runs"]:
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str)
        for rule in driver.get("rules", []):
            assert isinstance(rule["id"], str)
            assert rule.get("defaultConfiguration", {}).get("level", "warning") in ("none", "note", "warning", "error")
        for result in run["results"]:
            assert isinstance(result["message"]["text"], str)
            assert result["level"] in ("none", "note", "warning", "error")
            for loc in result["locations"]:
                region = loc["physicalLocation"]["region"]
                assert region["startLine"] >= 1 and region["startColumn"] >= 1
                assert not loc["physicalLocation"]["artifactLocation"]["uri"].startswith("/")


def test_baseline_roundtrip_survives_line_shifts(tmp_path: Path) -> None:
    f = write(tmp_path, "a.cu", MASK)
    baseline = tmp_path / "baseline.json"
    assert scan(str(f), "--write-baseline", str(baseline)) == 1
    assert json.loads(baseline.read_text())["schema"] == "cuport.baseline/1"
    assert scan(str(f), "--baseline", str(baseline)) == 0
    f.write_text("// a new comment\n\n" + MASK, encoding="utf-8")  # same finding, two lines lower
    assert scan(str(f), "--baseline", str(baseline)) == 0
    f.write_text(MASK.replace("v, 1)", "v, 1) + __shfl_xor_sync(0xffffffff, v, 2)"), encoding="utf-8")
    assert scan(str(f), "--baseline", str(baseline)) == 1  # a new finding is not in the baseline


def test_bad_baseline_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "a.cu", CLEAN)
    bad = write(tmp_path, "b.json", "{not json")
    assert scan(str(f), "--baseline", str(bad)) == 2
    assert "error[CU001]" in capsys.readouterr().err


def test_bad_define_is_a_usage_error(tmp_path: Path) -> None:
    assert scan(str(write(tmp_path, "a.cu", CLEAN)), "-D", "1X=2") == 2


def test_define_resolves_a_mask_macro(tmp_path: Path) -> None:
    f = write(tmp_path, "a.cu", MASK.replace("0xffffffff", "ALL_LANES"))
    assert scan(str(f)) == 0
    assert scan(str(f), "-D", "ALL_LANES=0xffffffffu") == 1


def test_header_macros_resolve_masks(tmp_path: Path) -> None:
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "masks.h").write_text("#define ALL_LANES 0xffffffff  // every lane\n", encoding="utf-8")
    f = write(tmp_path, "a.cu", '#include "masks.h"\n' + MASK.replace("0xffffffff", "ALL_LANES"))
    assert scan(str(f)) == 0  # header not found: nothing to resolve
    assert scan(str(f), "-I", str(inc)) == 1


def test_directory_of_bad_files_never_raises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "bad"
    d.mkdir()
    (d / "binary.cu").write_bytes(b"\x00\x01\x02" * 100)
    (d / "latin1.cu").write_bytes("// caf\xe9\n__global__ void k() {}\n".encode("latin-1"))
    (d / "broken.cu").write_text("__global__ void k( {{{ <<<< ))) 0xffffffff __shfl_sync(\n", encoding="utf-8")
    (d / "empty.cu").write_text("", encoding="utf-8")
    (d / "deep.cu").write_text("int x = " + "(" * 3000 + "1" + ")" * 3000 + ";\n", encoding="utf-8")
    (d / "long.cu").write_text("int a = " + " + ".join(["1"] * 20000) + ";\n", encoding="utf-8")
    os.symlink(d / "missing.cu", d / "dangling.cu")
    os.symlink(d, d / "loop")
    os.mkfifo(d / "fifo.cu")
    code = scan(str(d), "--format", "json")
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    statuses = {Path(f["path"]).name: f["status"] for f in doc["files"]}
    assert statuses["binary.cu"] == "skipped" and statuses["latin1.cu"] == "ok"
    assert statuses["broken.cu"] == "ok" and statuses["empty.cu"] == "ok"
    assert all(s in ("ok", "skipped") for s in statuses.values()), statuses
    latin = next(f for f in doc["files"] if f["path"].endswith("latin1.cu"))
    assert latin["encoding"] == "latin-1"
    assert any(e["code"] == "CP001" for e in doc["errors"])
    assert code in (0, 1)
    assert "internal error" not in captured.err


def test_process_pool_matches_serial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(20):
        write(tmp_path, f"f{i:02}.cu", MASK if i % 2 else CLEAN)
    scan(str(tmp_path), "--format", "json", "--jobs", "1")
    serial = json.loads(capsys.readouterr().out)
    scan(str(tmp_path), "--format", "json", "--jobs", "2")
    pooled = json.loads(capsys.readouterr().out)
    assert serial == pooled
    assert serial["summary"]["hazards"] == 10
