"""read_source: every odd file becomes text with a diagnostic or a Skipped with a reason."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from cuport.diagnostics import render
from cuport.parse.reader import DEFAULT_MAX_BYTES, read_source, skipped_diagnostic
from cuport.result import Ok, Skipped


def test_utf8_text(tmp_path: Path) -> None:
    f = tmp_path / "k.cu"
    f.write_text("// é\n__global__ void k() {}\n", encoding="utf-8")
    r = read_source(f)
    assert isinstance(r, Ok) and r.diagnostics == ()
    assert r.value.text.startswith("// é")
    assert r.value.line_text(2) == "__global__ void k() {}"


def test_bom_is_stripped(tmp_path: Path) -> None:
    f = tmp_path / "k.cu"
    f.write_bytes(b"\xef\xbb\xbfint x;\n")
    r = read_source(f)
    assert isinstance(r, Ok)
    assert r.value.data == b"int x;\n"


def test_empty_file_is_text(tmp_path: Path) -> None:
    f = tmp_path / "empty.cu"
    f.write_bytes(b"")
    r = read_source(f)
    assert isinstance(r, Ok) and r.value.data == b""


def test_latin1_fallback_points_at_first_bad_byte(tmp_path: Path) -> None:
    f = tmp_path / "old.cu"
    f.write_bytes(b"int a;\n// caf\xe9 au lait\n")
    r = read_source(f)
    assert isinstance(r, Ok)
    assert r.value.encoding == "latin-1"
    assert "café" in r.value.text
    (d,) = r.diagnostics
    assert d.code == "CP001"
    assert (d.span.line, d.span.col) == (2, 7)
    assert render(d, r.value).splitlines()[-1].strip() == "^"


def test_binary_with_nul_is_skipped(tmp_path: Path) -> None:
    f = tmp_path / "obj.cu"
    f.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    r = read_source(f)
    assert isinstance(r, Skipped) and "binary" in r.reason


def test_many_control_bytes_is_binary(tmp_path: Path) -> None:
    f = tmp_path / "noise.cu"
    f.write_bytes(bytes([1, 2, 3, 65]) * 500)
    r = read_source(f)
    assert isinstance(r, Skipped) and "control bytes" in r.reason


def test_a_few_control_bytes_are_text(tmp_path: Path) -> None:
    f = tmp_path / "ff.cu"
    f.write_bytes(b"int a;\f\n" * 50 + b"\x1b[0m int b;\n")
    assert isinstance(read_source(f), Ok)


def test_truncated_code_is_read(tmp_path: Path) -> None:
    f = tmp_path / "cut.cu"
    f.write_bytes(b"__global__ void k(float *a) { a[threadIdx.x")
    assert isinstance(read_source(f), Ok)


def test_truncated_utf8_sequence_falls_back(tmp_path: Path) -> None:
    f = tmp_path / "cut.cu"
    f.write_bytes("int é;".encode()[:-2])  # ends inside the two-byte é
    r = read_source(f)
    assert isinstance(r, Ok) and r.diagnostics[0].code == "CP001"


def test_huge_file_is_skipped_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.cu"
    with open(f, "wb") as out:  # sparse: 50 MB on paper, nothing on disk
        out.truncate(50 * 1024 * 1024)
    r = read_source(f)
    assert isinstance(r, Skipped) and "too large" in r.reason
    assert read_source(f, max_bytes=10).reason.startswith("too large")
    assert DEFAULT_MAX_BYTES == 8 * 1024 * 1024


def test_missing_file(tmp_path: Path) -> None:
    r = read_source(tmp_path / "gone.cu")
    assert isinstance(r, Skipped) and "does not exist" in r.reason
    assert skipped_diagnostic(r).code == "CP002"


def test_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "link.cu"
    link.symlink_to(tmp_path / "nowhere.cu")
    r = read_source(link)
    assert isinstance(r, Skipped) and r.reason == "dangling symbolic link"


def test_self_symlink(tmp_path: Path) -> None:
    link = tmp_path / "loop.cu"
    link.symlink_to(link)
    r = read_source(link)
    assert isinstance(r, Skipped) and "stat" in r.reason


def test_directory(tmp_path: Path) -> None:
    r = read_source(tmp_path)
    assert isinstance(r, Skipped) and "directory" in r.reason


def test_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.cu"
    os.mkfifo(fifo)
    r = read_source(fifo)
    assert isinstance(r, Skipped) and "FIFO" in r.reason


def test_socket(tmp_path: Path) -> None:
    path = tmp_path / "s.cu"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        r = read_source(path)
    assert isinstance(r, Skipped) and "socket" in r.reason


def test_character_device() -> None:
    # Some sandboxes replace /dev/null with a regular file; use whichever device is real here.
    devices = [d for d in ("/dev/null", "/dev/zero", "/dev/urandom") if os.path.exists(d)
               and stat.S_ISCHR(os.stat(d).st_mode)]
    if not devices:
        pytest.skip("no character device available in this environment")
    r = read_source(devices[0])
    assert isinstance(r, Skipped) and "character device" in r.reason


def test_nul_in_path() -> None:
    r = read_source("bad\0name.cu")
    assert isinstance(r, Skipped)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "secret.cu"
    f.write_text("int x;")
    f.chmod(0)
    if os.geteuid() == 0:
        # Root reads mode-000 files, so the kernel's refusal is simulated at open().
        def refuse(*args: object, **kwargs: object) -> int:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr("cuport.parse.reader.os.open", refuse)
    try:
        r = read_source(f)
    finally:
        f.chmod(0o644)
    assert isinstance(r, Skipped) and "permission" in r.reason


def test_file_behind_untraversable_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root traverses folders without the x bit; test_unreadable_file covers the branch")
    folder = tmp_path / "closed"
    folder.mkdir()
    (folder / "k.cu").write_text("int x;")
    folder.chmod(0o600)
    try:
        r = read_source(folder / "k.cu")
    finally:
        folder.chmod(0o755)
    assert isinstance(r, Skipped) and "permission" in r.reason
