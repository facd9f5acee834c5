"""`cuport report` under trouble: unreadable files, a full disk, the config, and a cached re-run."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from cuport.cli import main
from cuport.commands import port as port_cmd
from cuport.commands import report as report_cmd

KERNEL = "__global__ void k{n}(float* x) {{ x[threadIdx.x] += {n}.0f; }}\n"


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(port_cmd, "default_cache_root", lambda: tmp_path / "cache")
    src = tmp_path / "src"
    src.mkdir()
    for n in range(3):
        (src / f"f{n}.cu").write_text(KERNEL.format(n=n))
    return src


def test_a_rerun_takes_every_port_from_the_cache(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "rep"
    assert main(["report", str(tree), "-o", str(out), "--to", "opencl"]) == 0
    first = json.loads((out / "report.json").read_text())
    calls: list[str] = []
    real = port_cmd._port_compute
    monkeypatch.setattr(port_cmd, "_port_compute", lambda job: calls.append(job.source.name) or real(job))
    assert main(["report", str(tree), "-o", str(out), "--to", "opencl"]) == 0
    assert calls == []
    second = json.loads((out / "report.json").read_text())
    assert first["summary"] == second["summary"]
    assert sorted(p.name for p in (out / "ports" / "opencl").glob("*.cl")) == ["f0.cl", "f1.cl", "f2.cl"]


def test_unreadable_file_is_listed_and_the_rest_reported(tree: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "f1.cu":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    out = tmp_path / "rep"
    assert main(["report", str(tree), "-o", str(out), "--to", "opencl"]) == 0
    doc = json.loads((out / "report.json").read_text())
    text = json.dumps(doc)
    assert "Permission denied" in text
    assert (out / "ports" / "opencl" / "f0.cl").is_file() and not (out / "ports" / "opencl" / "f1.cl").exists()


def test_full_disk_writing_the_report_is_a_clear_error_and_keeps_the_old_report(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rep"
    assert main(["report", str(tree), "-o", str(out), "--to", "opencl"]) == 0
    old = (out / "report.json").read_text()
    (tree / "f3.cu").write_text(KERNEL.format(n=3))

    def full(path: Path, content: str | bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report_cmd, "write_atomic", full)
    assert main(["report", str(tree), "-o", str(out), "--to", "opencl"]) == 2
    err = capsys.readouterr().err
    assert "error[CU001]" in err and "No space left on device" in err and "report.json" in err
    assert (out / "report.json").read_text() == old
    assert not list(out.glob(".staging-*")) and not list(out.rglob("*.tmp"))


def test_config_supplies_output_targets_and_suppressions(tree: Path, tmp_path: Path) -> None:
    (tree / "w.cu").write_text("__global__ void w(float* x) { x[0] = __shfl_down_sync(0xffffffff, x[0], 1); }\n")
    out = tmp_path / "rep"
    assert main(["report", str(tree), "-o", str(out), "--to", "opencl"]) == 0
    doc = json.loads((out / "report.json").read_text())
    found = {h["id"] for k in doc["kernels"] for h in k["hazards"]}
    assert found and doc["summary"]["hazards"] > 0, "the warp shuffle should raise a hazard"
    (tree / "cuport.toml").write_text(f'targets = ["opencl"]\noutput = "../cfgrep"\nsuppress = {sorted(found)!r}\n'
                                      .replace("'", '"'))
    assert main(["report", str(tree)]) == 0
    doc = json.loads((tmp_path / "cfgrep" / "report.json").read_text())
    assert doc["summary"]["hazards"] == 0
    assert {p.name for p in (tmp_path / "cfgrep" / "ports").iterdir()} == {"opencl"}
