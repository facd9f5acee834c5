"""Find the CUDA sources under the paths a user gives; never raises, reports what it skips.

Order is deterministic (names sorted within each folder, depth first) so scan reports and caches
are stable. The walk streams: only one folder's listing is held per level, so trees with tens of
thousands of files cost little memory. Symbolic links to folders are followed once: a folder
reached again (a link loop, or two links to one place) is reported, not walked twice.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from cuport.result import Skipped
from cuport.source import Span

DEFAULT_EXTENSIONS: tuple[str, ...] = (
    ".cu", ".cuh", ".cuda", ".h", ".hh", ".hpp", ".hxx", ".inl", ".c", ".cc", ".cpp", ".cxx",
)
# Version-control metadata never holds sources to port, and .git can be huge.
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn"})


def iter_sources(
    paths: Iterable[str | os.PathLike[str]],
    *,
    extensions: Iterable[str] = DEFAULT_EXTENSIONS,
    exclude_globs: Iterable[str] = (),
) -> Iterator[Path | Skipped]:
    """Files to scan, in order. A file named explicitly is yielded whatever its extension."""
    exts = frozenset(e.lower() for e in extensions)
    globs = tuple(exclude_globs)
    visited: set[tuple[int, int]] = set()
    for given in paths:
        root = Path(given)
        try:
            st = os.stat(root)
        except FileNotFoundError:
            reason = "dangling symbolic link" if os.path.lexists(root) else "no such file or directory"
            yield Skipped(reason, _where(root))
            continue
        except (OSError, ValueError) as exc:
            yield Skipped(f"cannot access: {_reason(exc)}", _where(root))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(root, exts, globs, visited)
        elif (st.st_dev, st.st_ino) not in visited:
            visited.add((st.st_dev, st.st_ino))
            yield root


def _walk(
    root: Path, exts: frozenset[str], globs: tuple[str, ...], visited: set[tuple[int, int]]
) -> Iterator[Path | Skipped]:
    # A stack of (folder, sorted entries, next index): depth first without recursion.
    stack: list[tuple[Path, list[os.DirEntry[str]], int]] = []
    ancestors: list[tuple[int, int]] = []

    def enter(folder: Path) -> Skipped | None:
        try:
            st = os.stat(folder)
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                return Skipped("symbolic link loop", _where(folder))
            if key in visited:
                return Skipped("folder already scanned through another path", _where(folder))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except PermissionError:
            return Skipped("unreadable folder (permission denied)", _where(folder))
        except (OSError, ValueError) as exc:
            return Skipped(f"unreadable folder ({_reason(exc)})", _where(folder))
        visited.add(key)
        ancestors.append(key)
        stack.append((folder, entries, 0))
        return None

    skipped = enter(root)
    if skipped is not None:
        yield skipped
        return
    while stack:
        folder, entries, i = stack[-1]
        if i >= len(entries):
            stack.pop()
            ancestors.pop()
            continue
        stack[-1] = (folder, entries, i + 1)
        entry = entries[i]
        path = folder / entry.name
        if _excluded(path, root, globs):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_link = entry.is_symlink()
        except OSError as exc:
            yield Skipped(f"cannot access: {_reason(exc)}", _where(path))
            continue
        if is_dir:
            if entry.name in ALWAYS_SKIPPED_DIRS:
                continue
            skipped = enter(path)
            if skipped is not None:
                yield skipped
            continue
        if os.path.splitext(entry.name)[1].lower() not in exts:
            continue
        if is_link and not os.path.exists(path):
            yield Skipped("dangling symbolic link", _where(path))
            continue
        yield path


def _excluded(path: Path, root: Path, globs: tuple[str, ...]) -> bool:
    if not globs:
        return False
    rel = path.relative_to(root).as_posix()
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(path.name, g) for g in globs)


def _where(path: Path) -> Span:
    return Span(str(path), 0, 0)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
