"""The built-in corpus: CUDA kernels written for cuport, each `.cu` with its launch spec beside it.

Layout: `corpus/<category>/<name>.cu` + `<name>.cuport.toml` (one table per kernel). The note of an
entry is the comment at the top of its `.cu` file: what it computes and what it exercises.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

SPEC_SUFFIX = ".cuport.toml"


@dataclass(frozen=True)
class CorpusEntry:
    name: str  # file stem, e.g. "saxpy"
    category: str  # folder, e.g. "elementwise"
    source: Path
    spec: Path
    kernels: list[str]  # spec table names, template arguments included: "block_reduce<float, 128>"
    note: str


def corpus_root() -> Path:
    return Path(__file__).resolve().parent


def spec_path(source: Path) -> Path:
    return source.with_name(source.stem + SPEC_SUFFIX)


def read_note(source: Path) -> str:
    """The leading `//` comment block of a kernel file, joined into one paragraph."""
    lines: list[str] = []
    for line in source.read_text("utf-8").splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        lines.append(stripped.lstrip("/").strip())
    return " ".join(part for part in lines if part)


def spec_kernels(spec: Path) -> list[str]:
    """Kernel table names in file order (tomllib keeps insertion order)."""
    with spec.open("rb") as fh:
        return list(tomllib.load(fh))


def list_entries(root: Path | None = None) -> list[CorpusEntry]:
    """Every kernel file of the corpus, sorted by category then name.

    A `.cu` without a spec is a corpus bug (tests/corpus checks it); it is listed with no kernels so
    that `cuport corpus list` still shows it rather than hiding it.
    """
    base = root if root is not None else corpus_root()
    entries: list[CorpusEntry] = []
    for source in sorted(base.glob("*/*.cu")):
        spec = spec_path(source)
        kernels = spec_kernels(spec) if spec.is_file() else []
        entries.append(
            CorpusEntry(
                name=source.stem,
                category=source.parent.name,
                source=source,
                spec=spec,
                kernels=kernels,
                note=read_note(source),
            )
        )
    return entries
