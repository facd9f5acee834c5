"""`cuport port` at scale: the content-hash cache, resuming, config, --verify, and bad input."""

from __future__ import annotations

import errno
import io
import json
from pathlib import Path

import pytest

from cuport import cli
from cuport.commands import port as port_cmd
from cuport.executor import Progress
from cuport.targets.base import KernelPort, PortedFile, PortRequest, PortResult


class CountingTarget:
    """Upper-cases a file into NAME.cl and counts its calls (the emitter work a cache must save)."""

    name = "opencl"
    calls: list[str] = []

    def port_file(self, source, request: PortRequest) -> PortResult:  # type: ignore[no-untyped-def]
        CountingTarget.calls.append(request.path.name)
        stem = request.path.stem
        return PortResult(request.path, self.name, (PortedFile(f"{stem}.cl", source.text.upper()),),
                          (KernelPort("k", "ported"),), f"{stem}.cl")


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    CountingTarget.calls = []
    monkeypatch.setattr(port_cmd, "get_target", lambda name: CountingTarget())
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    for name in ("a.cu", "b.cu", "sub/c.cu"):
        (src / name).write_text(f"__global__ void k() {{}} // {name}\n")
    return src


def _port(tree: Path, out: Path, *extra: str) -> int:
    return cli.main(["port", str(tree), "--to", "opencl", "-o", str(out), *extra])


def test_a_rerun_of_an_unchanged_tree_does_no_porting_work(tree: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _port(tree, out) == 0
    assert sorted(CountingTarget.calls) == ["a.cu", "b.cu", "c.cu"]
    CountingTarget.calls = []
    (out / "opencl" / "b.cl").unlink()  # a lost output file comes back from the cache
    assert _port(tree, out) == 0
    assert CountingTarget.calls == []
    assert (out / "opencl" / "b.cl").read_text().startswith("__GLOBAL__")
    assert "(3 from the cache)" in capsys.readouterr().out


def test_what_changed_is_ported_again(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _port(tree, out)
    CountingTarget.calls = []
    (tree / "a.cu").write_text("__global__ void k2() {}\n")
    (tree / "b.cuport.toml").write_text("")  # a new spec decides the port too (this one is invalid)
    capsys.readouterr()
    _port(tree, out, "--format", "json")
    assert CountingTarget.calls == ["a.cu"]
    files = {Path(f["source"]).name: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert not files["a.cu"]["cached"] and files["c.cu"]["cached"]
    assert files["b.cu"]["status"] == "failed" and not files["b.cu"]["cached"]


def test_an_included_header_is_part_of_the_key(tree: Path, tmp_path: Path) -> None:
    (tree / "h.cuh").write_text("#define N 1\n")
    (tree / "a.cu").write_text('#include "h.cuh"\n__global__ void k() {}\n')
    out = tmp_path / "out"
    _port(tree, out)
    CountingTarget.calls = []
    (tree / "h.cuh").write_text("#define N 2\n")
    _port(tree, out)
    assert sorted(CountingTarget.calls) == ["a.cu", "h.cuh"]


def test_no_cache_ports_everything(tree: Path, tmp_path: Path) -> None:
    _port(tree, tmp_path / "out")
    CountingTarget.calls = []
    _port(tree, tmp_path / "out", "--no-cache")
    assert len(CountingTarget.calls) == 3


def test_ctrl_c_mid_run_keeps_finished_ports_and_a_rerun_resumes(tree: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    real = CountingTarget.port_file

    def interrupted(self, source, request):  # type: ignore[no-untyped-def]
        if len(CountingTarget.calls) == 2:
            raise KeyboardInterrupt
        return real(self, source, request)

    monkeypatch.setattr(CountingTarget, "port_file", interrupted)
    out = tmp_path / "out"
    assert _port(tree, out) == 130
    assert "re-run the same command to resume" in capsys.readouterr().err
    written = sorted(p.name for p in (out / "opencl").rglob("*") if p.is_file())
    assert len(written) == 2 and not any(n.endswith(".tmp") for n in written)  # nothing half-written
    monkeypatch.setattr(CountingTarget, "port_file", real)
    CountingTarget.calls = []
    assert _port(tree, out) == 0
    assert len(CountingTarget.calls) == 1  # only the file the interrupt stopped
    assert len([p for p in (out / "opencl").rglob("*.cl")]) == 3


def test_a_full_disk_is_a_clear_message_loses_nothing_and_a_rerun_resumes(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _port(tree, out)
    before = (out / "opencl" / "a.cl").read_text()
    (tree / "a.cu").write_text("__global__ void changed() {}\n")
    real = port_cmd.write_atomic

    def full(path: Path, content: str | bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(port_cmd, "write_atomic", full)
    assert _port(tree, out) == 1
    captured = capsys.readouterr()
    assert "cannot write" in captured.out and "No space left on device" in captured.out
    assert "fix the cause and re-run" in captured.err
    assert (out / "opencl" / "a.cl").read_text() == before  # the old port is intact
    monkeypatch.setattr(port_cmd, "write_atomic", real)
    CountingTarget.calls = []
    assert _port(tree, out) == 0
    assert CountingTarget.calls == []  # the port was cached before the write failed
    assert "CHANGED" in (out / "opencl" / "a.cl").read_text()


def test_unreadable_and_vanished_files_are_reported_and_the_rest_is_ported(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "a.cu":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    real_jobs = port_cmd._jobs

    def jobs_then_vanish(args, st):  # type: ignore[no-untyped-def]
        found = real_jobs(args, st)
        (tree / "b.cu").unlink()  # listed, then gone before its job runs
        return found

    monkeypatch.setattr(port_cmd, "_jobs", jobs_then_vanish)
    out = tmp_path / "out"
    assert _port(tree, out, "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    by_name = {Path(f["source"]).name: f for f in doc["files"]}
    assert by_name["a.cu"]["status"] == "skipped" and "Permission denied" in by_name["a.cu"]["reason"]
    assert by_name["b.cu"]["status"] == "skipped" and "vanished" in by_name["b.cu"]["reason"]
    assert by_name["c.cu"]["status"] == "ported"


def test_non_utf8_file_is_skipped_with_the_reason(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "latin.cu").write_bytes(b"// caf\xe9\n__global__ void k() {}\n")
    _port(tree, tmp_path / "out", "--format", "json")
    doc = json.loads(capsys.readouterr().out)
    latin = next(f for f in doc["files"] if f["source"].endswith("latin.cu"))
    assert latin["status"] in ("ported", "skipped") and (latin["status"] == "ported" or latin["reason"])


def test_config_supplies_targets_output_and_globs(tree: Path, tmp_path: Path) -> None:
    (tree / "cuport.toml").write_text('targets = ["opencl"]\noutput = "../cfgout"\nexclude = ["sub/"]\n')
    assert cli.main(["port", str(tree)]) == 0
    assert sorted(CountingTarget.calls) == ["a.cu", "b.cu"]
    assert (tmp_path / "cfgout" / "opencl" / "a.cl").is_file()
    # a flag overrides the file
    assert cli.main(["port", str(tree), "-o", str(tmp_path / "flag")]) == 0
    assert (tmp_path / "flag" / "opencl" / "b.cl").is_file()


def test_config_with_an_unknown_target_names_the_file(tree: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.undo()  # the real target table
    (tree / "cuport.toml").write_text('targets = ["metal"]\n')
    assert cli.main(["port", str(tree), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "cuport.toml: targets:" in err and "metal" in err


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, loud = io.StringIO(), Tty()
    for stream in (quiet, loud):
        bar = Progress(2, "port", stream=stream)
        bar.step("a.cu")
        bar.step("b.cu")
        bar.close()
    assert quiet.getvalue() == ""
    assert "port 2/2" in loud.getvalue() and "#" * 30 in loud.getvalue()


def test_parallel_jobs_give_the_same_outcomes(tmp_path: Path) -> None:
    from cuport.corpus import corpus_root

    src = corpus_root() / "elementwise"
    docs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        cli.main(["port", str(src), "--to", "hip", "-o", str(out), "--jobs", jobs, "--no-cache", "--format", "json"])
        docs.append({p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()})
    assert docs[0] == docs[1] and docs[0]
