"""Typed stage results: every stage returns Ok, Failed or Skipped; one bad item never stops a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from cuport.diagnostics import Diagnostic
from cuport.source import Span

T = TypeVar("T")


@dataclass(frozen=True)
class Ok(Generic[T]):
    value: T
    diagnostics: tuple[Diagnostic, ...] = ()

    ok = True


@dataclass(frozen=True)
class Failed:
    reason: str
    location: Span | None = None
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    ok = False


@dataclass(frozen=True)
class Skipped:
    reason: str
    location: Span | None = None

    ok = False


Result = Ok[T] | Failed | Skipped
