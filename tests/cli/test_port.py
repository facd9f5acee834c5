"""`cuport port` over trees, with a stand-in target so the command is tested apart from the emitters."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cuport import cli
from cuport.commands import port as port_cmd
from cuport.targets.base import KernelPort, PortedFile, PortRequest, PortResult
from cuport.verify.protocol import Runner


class UpperTarget:
    """Ports a file by upper-casing it; a kernel named `bad` cannot be ported."""

    name = "opencl"

    def port_file(self, source, request: PortRequest) -> PortResult:  # type: ignore[no-untyped-def]
        text = source.text
        kernels = [KernelPort("good", "ported", rules=("upper",))]
        if "bad" in text:
            kernels.append(KernelPort("bad", "not_ported", reason="uses something unportable"))
        stem = request.path.stem
        return PortResult(request.path, self.name, (PortedFile(f"{stem}.cl", text.upper()),), tuple(kernels), f"{stem}.cl")

    def runner(self, *, warp_size: int = 32) -> Runner:
        raise NotImplementedError


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(port_cmd, "get_target", lambda name: UpperTarget())
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.cu").write_text("__global__ void good() {}\n")
    (src / "sub" / "b.cu").write_text("__global__ void good() {}\n")
    (src / "notes.txt").write_text("not cuda\n")
    return src


def _digest(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_port_mirrors_the_tree_and_never_touches_inputs(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(tree)
    out = tmp_path / "out"
    assert cli.main(["port", str(tree), "--to", "opencl", "-o", str(out)]) == 0
    assert (out / "opencl" / "a.cl").read_text() == "__GLOBAL__ VOID GOOD() {}\n"
    assert (out / "opencl" / "sub" / "b.cl").is_file()
    assert _digest(tree) == before
    assert "2 ported" in capsys.readouterr().out


def test_a_kernel_that_cannot_be_ported_is_reported_and_fails_the_run(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "c.cu").write_text("__global__ void bad() {}\n")
    assert cli.main(["port", str(tree), "--to", "opencl", "-o", str(tmp_path / "out")]) == 1
    text = capsys.readouterr().out
    assert "partial" in text and "kernel bad: not_ported: uses something unportable" in text
    assert (tmp_path / "out" / "opencl" / "a.cl").is_file()  # the rest of the batch went on


def test_in_place_keeps_a_backup_of_what_it_overwrites(tree: Path) -> None:
    (tree / "a.cl").write_text("hand written\n")
    assert cli.main(["port", str(tree / "a.cu"), "--to", "opencl", "--in-place"]) == 0
    assert (tree / "a.cl").read_text().startswith("__GLOBAL__")
    assert (tree / "a.cl.cuport-bak").read_text() == "hand written\n"


def test_diff_writes_nothing(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert cli.main(["port", str(tree), "--to", "opencl", "-o", str(out), "--diff"]) == 0
    assert not out.exists()
    assert "+__GLOBAL__ VOID GOOD() {}" in capsys.readouterr().out


def test_output_folder_inside_the_input_tree_is_not_ported_again(tree: Path) -> None:
    out = tree / "ported"
    assert cli.main(["port", str(tree), "--to", "opencl", "-o", str(out)]) == 0
    (out / "opencl" / "extra.cu").write_text("__global__ void good() {}\n")
    assert cli.main(["port", str(tree), "--to", "opencl", "-o", str(out)]) == 0
    assert not (out / "opencl" / "ported").exists()


def test_missing_path_is_an_input_error_but_the_rest_is_ported(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli.main(["port", str(tmp_path / "nope"), str(tree), "--to", "opencl", "-o", str(out)]) == 2
    assert (out / "opencl" / "src" / "a.cl").is_file()  # several roots: each keeps its folder name


def test_unknown_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["port", ".", "--to", "cobol"]) == 2
    assert "unknown target 'cobol'" in capsys.readouterr().err


def test_second_run_writes_nothing(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli.main(["port", str(tree), "--to", "opencl", "-o", str(out), "--format", "json"]) == 0
    mtime = (out / "opencl" / "a.cl").stat().st_mtime_ns
    assert cli.main(["port", str(tree), "--to", "opencl", "-o", str(out)]) == 0
    assert (out / "opencl" / "a.cl").stat().st_mtime_ns == mtime


def test_atomic_write_into_a_device_keeps_the_device(tmp_path: Path) -> None:
    import os
    import stat

    from cuport.fsutil import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, "x")
        assert os.read(reader, 10) == b"x"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_verify_to_every_target_on_saxpy(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from cuport.corpus import corpus_root

    saxpy = corpus_root() / "elementwise" / "saxpy.cu"
    rc = cli.main(["verify", str(saxpy), "--to", "hip,opencl,triton", "--trials", "2", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    by_target = {r["target"]: r for r in doc["results"]}
    assert set(by_target) == {"hip", "opencl", "triton"}
    assert all(r["status"] == "pass" and r["trials"] == 2 for r in by_target.values()), by_target
    assert rc == 0


def test_two_folders_with_the_same_file_names_do_not_collide(tree: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.cu").write_text("__global__ void good() { /* other */ }\n")
    out = tmp_path / "out"
    assert cli.main(["port", str(tree), str(other), "--to", "opencl", "-o", str(out)]) == 0
    assert "OTHER" in (out / "opencl" / "other" / "a.cl").read_text()
    assert "OTHER" not in (out / "opencl" / "src" / "a.cl").read_text()


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    import os

    from cuport.fsutil import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "f.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "f.txt").stat().st_mode & 0o777 == 0o644


def test_hip_tree_gets_the_files_that_need_no_change(tmp_path: Path) -> None:
    src = tmp_path / "proj"
    (src / "data").mkdir(parents=True)
    (src / "main.cu").write_text("#include <cuda_runtime.h>\nint main() { float* d; cudaMalloc(&d, 4); return 0; }\n")
    (src / "Makefile").write_text("all:\n\tnvcc main.cu\n")
    (src / "data" / "input.bin").write_bytes(b"\x00\x01\x02")
    out = tmp_path / "out"
    assert cli.main(["port", str(src), "--to", "hip", "-o", str(out), "--no-cache"]) == 0
    assert "hipMalloc" in (out / "hip" / "main.hip").read_text()
    assert (out / "hip" / "Makefile").read_text() == "all:\n\tnvcc main.cu\n"
    assert (out / "hip" / "data" / "input.bin").read_bytes() == b"\x00\x01\x02"
    assert not (out / "hip" / "main.cu").exists()


@pytest.mark.parametrize("target", ["opencl", "triton"])
def test_lowering_errors_point_at_the_users_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    # the targets lower preprocessed text (includes expanded, line markers added): a diagnostic
    # must still name the user's file, line and column, once, with the user's line under it
    src = tmp_path / "k.cu"
    src.write_text("#include <cstdio>\n#include <cmath>\n__global__ void k(float* o) {\n  o[0] = undefined_thing;\n}\n")
    assert cli.main(["port", str(src), "--to", target, "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    assert f"{src}:4:10:" in text, text
    assert text.count(f"{src}:4:10:") == 1, text
    assert "o[0] = undefined_thing;" in text
