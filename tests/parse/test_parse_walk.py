"""iter_sources: deterministic, streaming, loop-safe discovery of CUDA files."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from cuport.parse.walk import iter_sources
from cuport.result import Skipped


def _names(items: list[Path | Skipped], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in items if isinstance(p, Path)]


def _tree(root: Path, files: list[str]) -> None:
    for rel in files:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("int x;\n")


def test_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    _tree(tmp_path, ["b.cu", "a.cuh", "z/k.cu", "m/readme.txt", "m/x.hpp", "c.CU", "data.bin"])
    got = _names(list(iter_sources([tmp_path])), tmp_path)
    assert got == ["a.cuh", "b.cu", "c.CU", "m/x.hpp", "z/k.cu"]


def test_order_is_stable(tmp_path: Path) -> None:
    _tree(tmp_path, [f"d{i % 7}/f{i}.cu" for i in range(60)])
    assert list(iter_sources([tmp_path])) == list(iter_sources([tmp_path]))


def test_explicit_file_any_extension(tmp_path: Path) -> None:
    _tree(tmp_path, ["kernel.txt"])
    assert list(iter_sources([tmp_path / "kernel.txt"])) == [tmp_path / "kernel.txt"]
    assert list(iter_sources([tmp_path])) == []


def test_custom_extensions_and_excludes(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.cu", "b.cpp", "build/c.cu", "src/gen_d.cu", "src/e.cu"])
    got = _names(list(iter_sources([tmp_path], extensions=(".cu",), exclude_globs=("build", "gen_*"))), tmp_path)
    assert got == ["a.cu", "src/e.cu"]


def test_vcs_folders_are_skipped(tmp_path: Path) -> None:
    _tree(tmp_path, [".git/objects/a.cu", "k.cu"])
    assert _names(list(iter_sources([tmp_path])), tmp_path) == ["k.cu"]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    (item,) = list(iter_sources([tmp_path / "nope"]))
    assert isinstance(item, Skipped) and "no such file" in item.reason


def test_symlink_loop_is_reported_once(tmp_path: Path) -> None:
    _tree(tmp_path, ["a/k.cu"])
    (tmp_path / "a" / "back").symlink_to(tmp_path)
    items = list(iter_sources([tmp_path]))
    assert _names(items, tmp_path) == ["a/k.cu"]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [s.reason for s in skipped] == ["symbolic link loop"]


def test_two_links_to_one_folder_scan_it_once(tmp_path: Path) -> None:
    _tree(tmp_path, ["real/k.cu"])
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    items = list(iter_sources([tmp_path]))
    assert _names(items, tmp_path) == ["alias/k.cu"]
    assert any(isinstance(i, Skipped) and "already scanned" in i.reason for i in items)


def test_dangling_link_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gone.cu").symlink_to(tmp_path / "missing.cu")
    (item,) = list(iter_sources([tmp_path]))
    assert isinstance(item, Skipped) and "dangling" in item.reason


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["ok/a.cu", "closed/b.cu"])
    closed = tmp_path / "closed"
    if os.geteuid() == 0:
        # Root lists mode-000 folders, so the refusal is simulated at scandir().
        real = os.scandir

        def scandir(path: os.PathLike[str] | str) -> object:
            if Path(path) == closed:
                raise PermissionError(13, "Permission denied")
            return real(path)

        monkeypatch.setattr("cuport.parse.walk.os.scandir", scandir)
    closed.chmod(0)
    try:
        items = list(iter_sources([tmp_path]))
    finally:
        closed.chmod(0o755)
    assert _names(items, tmp_path) == ["ok/a.cu"]
    (skip,) = [i for i in items if isinstance(i, Skipped)]
    assert "permission" in skip.reason and skip.location is not None and skip.location.file == str(closed)


def test_ten_thousand_files_stream(tmp_path: Path) -> None:
    for d in range(10):
        sub = tmp_path / f"d{d}"
        sub.mkdir()
        for i in range(1000):
            (sub / f"f{i:04}.cu").touch()
    it = iter_sources([tmp_path])
    first = list(itertools.islice(it, 3))
    assert _names(first, tmp_path) == ["d0/f0000.cu", "d0/f0001.cu", "d0/f0002.cu"]
    assert 3 + sum(1 for _ in it) == 10_000
