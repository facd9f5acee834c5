"""Diagnostics from one table (`diagnostics.toml`): a stable code, a severity and a message.

Printed as `file:line:col: severity[CODE]: message`, then the source line and a caret.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from cuport.source import SourceText, Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class DiagnosticKind:
    code: str
    severity: Severity
    message: str
    doc: str


@cache
def table() -> dict[str, DiagnosticKind]:
    raw = tomllib.loads(resources.files("cuport").joinpath("diagnostics.toml").read_text("utf-8"))
    return {
        code: DiagnosticKind(code, Severity(row["severity"]), row["message"], row.get("doc", ""))
        for code, row in raw.items()
    }


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "severity": self.severity.value, "message": self.message}
        if self.span is not None:
            out.update(file=self.span.file, line=self.span.line, col=self.span.col)
        return out


def diag(code: str, span: Span | None = None, **fields: object) -> Diagnostic:
    """Make a diagnostic from the table; unknown codes are a programming error."""
    kind = table()[code]
    try:
        message = kind.message.format(**fields)
    except (KeyError, IndexError):
        message = kind.message
    return Diagnostic(code, kind.severity, message, span)


def render(d: Diagnostic, source: SourceText | None = None) -> str:
    """`file:line:col: severity[CODE]: message`, plus the source line and a caret when known."""
    where = f"{d.span}: " if d.span is not None and d.span.line > 0 else ""
    head = f"{where}{d.severity.value}[{d.code}]: {d.message}"
    if source is None or d.span is None or d.span.line <= 0 or d.span.file != source.path:
        return head  # no text, or a span in another file (a header the diagnostic was found in)
    line = source.line_text(d.span.line)
    if not line:
        return head
    caret = " " * (max(d.span.col, 1) - 1) + "^"
    return f"{head}\n    {line.expandtabs(1)}\n    {caret}"
