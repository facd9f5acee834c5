"""The rename tables the HIP rewriter uses, loaded once from data.

Identifiers come from the shared API tables (`translate/tables/api_*.toml`, via api_refs) plus
`translate/tables/hip_names.toml` for names those lack; headers and namespaces from
`translate/tables/hip_headers.toml`. Nothing here knows a CUDA name: the rows are the data.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cuport.translate.api_refs import ApiEntry, api_table, classify


@dataclass(frozen=True)
class Rename:
    cuda: str
    hip: str | None  # None: no HIP counterpart
    support: str  # full | partial | none
    category: str


def _load(name: str) -> dict[str, object]:
    path = resources.files("cuport.translate").joinpath("tables", name)
    return tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}


def _rows(raw: dict[str, object], key: str, category: str) -> dict[str, Rename]:
    out = {}
    rows = raw.get(key, [])
    assert isinstance(rows, list)
    for row in rows:
        support = row.get("support", "full" if row.get("hip") else "none")
        out[row["cuda"]] = Rename(row["cuda"], row.get("hip"), support, row.get("category", category))
    return out


@cache
def headers() -> dict[str, Rename]:
    return _rows(_load("hip_headers.toml"), "header", "header")


@cache
def namespaces() -> dict[str, Rename]:
    return _rows(_load("hip_headers.toml"), "namespace", "namespace")


@cache
def extra_names() -> dict[str, Rename]:
    raw = _load("hip_names.toml")
    return _rows(raw, "api", str(raw.get("category", "runtime")))


def _from_api(entry: ApiEntry) -> Rename:
    return Rename(entry.cuda, entry.hip, entry.support, entry.category)


@cache
def identifiers() -> dict[str, Rename]:
    """Every plain (unqualified) name with a row, by CUDA name; hip_names.toml rows win."""
    out = {name: _from_api(e) for name, e in api_table().items() if "::" not in name}
    out.update(extra_names())
    return out


def all_rows() -> list[Rename]:
    """Every identifier row, qualified names (cub::BlockReduce, thrust::sort) included."""
    out = {name: _from_api(e) for name, e in api_table().items()}
    out.update(extra_names())
    return list(out.values())


def lookup(name: str) -> tuple[Rename | None, str | None]:
    """The row for an identifier, else the API category its prefix suggests (None: not CUDA)."""
    row = identifiers().get(name)
    if row is not None:
        return row, row.category
    entry, category = classify(name)
    if entry is not None:
        return _from_api(entry), category
    return None, category


@cache
def start_bytes() -> frozenset[int]:
    """First bytes a renamed or reported name can start with (a cheap pre-filter)."""
    return frozenset({ord(n[0]) for n in identifiers()} | set(b"cCnN"))
