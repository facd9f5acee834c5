"""Read one source file into a `SourceText`, or say why it was skipped. Never raises.

Real trees hold Latin-1 files, binaries with source-like names, FIFOs, dangling links and files
that vanish between listing and reading; each becomes `Skipped(reason)` or a decoded text with a
diagnostic, so one odd file never stops a batch.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cuport.diagnostics import Diagnostic, diag
from cuport.result import Ok, Skipped
from cuport.source import SourceText, Span

DEFAULT_MAX_BYTES = 8 * 1024 * 1024

# Binary sniffing looks at the head only: enough to tell text from objects, images and archives.
SNIFF_BYTES = 8 * 1024
# Text may hold a few stray control bytes (form feeds, escape codes in comments); binaries hold many.
MAX_CONTROL_RATIO = 0.10
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")


def read_source(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Ok[SourceText] | Skipped:
    """Decode `path` as UTF-8 (BOM stripped), else Latin-1 with CP001; skip what is not source text."""
    name = os.fspath(path)
    try:
        return _read(name, max_bytes)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        return Skipped(f"cannot read: {_os_reason(exc)}", _file_span(name))


def skipped_diagnostic(skipped: Skipped) -> Diagnostic:
    """The CP002 note for a skipped file, for callers that report skips as diagnostics."""
    return diag("CP002", skipped.location, reason=skipped.reason)


def _read(name: str, max_bytes: int) -> Ok[SourceText] | Skipped:
    where = _file_span(name)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        if os.path.lexists(name):
            return Skipped("dangling symbolic link", where)
        return Skipped("file does not exist (vanished?)", where)
    except PermissionError:
        return Skipped("permission denied", where)
    except OSError as exc:
        # ELOOP for a link pointing at itself, ENAMETOOLONG, ...
        return Skipped(f"cannot stat: {_os_reason(exc)}", where)
    if not stat.S_ISREG(st.st_mode):
        return Skipped(f"not a regular file ({_kind(st.st_mode)})", where)
    if st.st_size > max_bytes:
        return Skipped(f"too large ({st.st_size} bytes > {max_bytes})", where)
    # O_NONBLOCK: if the path was swapped for a FIFO since stat, open must not block forever.
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return Skipped("file vanished before it could be read", where)
    except PermissionError:
        return Skipped("permission denied", where)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return Skipped(f"not a regular file ({_kind(st.st_mode)})", where)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # grew after stat
        return Skipped(f"too large (more than {max_bytes} bytes)", where)
    why = _binary_reason(data[:SNIFF_BYTES])
    if why:
        return Skipped(why, where)
    return decode_source(name, data)


def decode_source(name: str, data: bytes) -> Ok[SourceText]:
    """UTF-8 with the BOM stripped, else Latin-1 (which decodes any byte) plus CP001 at the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return Ok(SourceText.from_text(name, data.decode("utf-8")))
    except UnicodeDecodeError as exc:
        bad = exc.start
    text = data.decode("latin-1")
    source = SourceText.from_text(name, text, encoding="latin-1")
    start = len(text[:bad].encode("utf-8"))
    end = start + len(text[bad : bad + 1].encode("utf-8"))
    return Ok(source, (diag("CP001", source.span(start, end)),))


def _binary_reason(head: bytes) -> str:
    if not head:
        return ""
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS) + head.count(0x7F)
    if controls / len(head) > MAX_CONTROL_RATIO:
        return f"binary file ({controls} control bytes in the first {len(head)})"
    return ""


def _kind(mode: int) -> str:
    for test, word in (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return word
    return "special file"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def _file_span(name: str) -> Span:
    # line 0: the whole file, not a position in it (render() then prints no caret).
    return Span(str(Path(name)) if name else "<unnamed>", 0, 0)
