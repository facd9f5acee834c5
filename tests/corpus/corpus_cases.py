"""The corpus as test cases: one (entry, spec table name) per kernel, keyed "file.cu::kernel"."""

from __future__ import annotations

from dataclasses import dataclass

from cuport.corpus import CorpusEntry, list_entries


@dataclass(frozen=True)
class KernelCase:
    entry: CorpusEntry
    kernel: str  # spec table name, template arguments included

    @property
    def key(self) -> str:
        return f"{self.entry.source.name}::{self.kernel}"


ENTRIES = list_entries()
CASES = [KernelCase(e, k) for e in ENTRIES for k in e.kernels]


def case_id(case: KernelCase) -> str:
    return case.key
