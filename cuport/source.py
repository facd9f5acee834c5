"""Source locations shared by every stage: a span points at bytes of one file.

Every IR node, diagnostic and hazard carries a `Span`, so any message can show the user's
`file:line:col`, the source line and a caret.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A range of bytes in one file; `line` and `col` are 1-based (col counts characters)."""

    file: str
    line: int
    col: int
    start: int = 0  # byte offset, inclusive
    end: int = 0  # byte offset, exclusive

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


UNKNOWN_SPAN = Span("<unknown>", 0, 0)


@dataclass(frozen=True)
class SourceText:
    """Decoded text of a file plus what is needed to turn byte offsets into lines and columns."""

    path: str
    data: bytes  # the exact bytes that were parsed (UTF-8 encoded text)
    encoding: str = "utf-8"
    _line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @staticmethod
    def from_text(path: str, text: str, encoding: str = "utf-8") -> SourceText:
        data = text.encode("utf-8", errors="surrogateescape")
        starts = [0]
        pos = data.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        return SourceText(path, data, encoding, tuple(starts))

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a byte offset."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        i = max(i, 0)
        start = self._line_starts[i] if self._line_starts else 0
        col = len(self.data[start:offset].decode("utf-8", errors="replace")) + 1
        return i + 1, col

    def span(self, start: int, end: int) -> Span:
        line, col = self.line_col(start)
        return Span(self.path, line, col, start, end)

    def line_text(self, line: int) -> str:
        if not self._line_starts or line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.data)
        return self.data[start:end].decode("utf-8", errors="replace").rstrip("\r\n")
