"""CUDA API references, counted by source name, from identifiers in the CST.

The mapping rows are data (`tables/api_*.toml`: CUDA name, category, HIP name, OpenCL hint,
support); names that no row lists but that look like CUDA (`cudaFoo`, `cublasBar`, `cub::...`)
are counted by prefix (`tables/api_prefixes.toml`) as unknown, so nothing is silently dropped.
Comments and string literals are never counted: they are not identifier nodes. Macro bodies are
raw text in the CST, so they are tokenised here with strings and comments skipped.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cuport.source import SourceText
from cuport.translate.hazards_index import CstIndex, Node

SUPPORT_LEVELS = ("full", "partial", "none")


@dataclass(frozen=True)
class ApiEntry:
    cuda: str
    category: str
    hip: str | None
    opencl: str | None
    support: str

    @property
    def is_identity(self) -> bool:
        return self.hip == self.cuda


@dataclass(frozen=True)
class ApiRef:
    """One reference to a CUDA API name in a source file."""

    name: str
    category: str
    file: str
    line: int
    col: int
    hip: str | None
    support: str  # full | partial | none | unknown
    known: bool

    @property
    def is_conversion(self) -> bool:
        """True when porting to HIP renames it; identity mappings are not conversions."""
        return self.known and self.hip is not None and self.hip != self.name

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "category": self.category,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "hip": self.hip,
            "support": self.support,
            "known": self.known,
            "conversion": self.is_conversion,
        }


@cache
def api_table() -> dict[str, ApiEntry]:
    """Every row of every `api_*.toml`, by CUDA name."""
    out: dict[str, ApiEntry] = {}
    tables = resources.files("cuport.translate").joinpath("tables")
    for item in sorted(tables.iterdir(), key=lambda p: p.name):
        if not (item.name.startswith("api_") and item.name.endswith(".toml")) or item.name == "api_prefixes.toml":
            continue
        raw = tomllib.loads(item.read_text("utf-8"))
        default = raw.get("category", item.name[4:-5])
        for row in raw.get("api", []):
            support = row.get("support", "full" if row.get("hip") else "none")
            if support not in SUPPORT_LEVELS:
                raise ValueError(f"{item.name}: {row['cuda']}: support must be one of {SUPPORT_LEVELS}")
            out[row["cuda"]] = ApiEntry(row["cuda"], row.get("category", default), row.get("hip"),
                                        row.get("opencl"), support)
    return out


@cache
def _prefixes() -> tuple[re.Pattern[str], tuple[str, ...]]:
    raw = tomllib.loads(resources.files("cuport.translate").joinpath("tables/api_prefixes.toml").read_text("utf-8"))
    rows = raw.get("prefix", [])
    pattern = "|".join(f"(?P<p{i}>{row['pattern']})" for i, row in enumerate(rows))
    return re.compile(f"^(?:{pattern})"), tuple(row["category"] for row in rows)


def classify(name: str) -> tuple[ApiEntry | None, str | None]:
    """The table row for a name, or else the category its prefix suggests (None: not an API)."""
    entry = api_table().get(name)
    if entry is not None:
        return entry, entry.category
    if "::" in name:
        # cub::BlockReduce::TempStorage -> the longest listed prefix, cub::BlockReduce
        parts = name.split("::")
        for n in range(len(parts) - 1, 1, -1):
            entry = api_table().get("::".join(parts[:n]))
            if entry is not None:
                return entry, entry.category
    pattern, categories = _prefixes()
    match = pattern.match(name)
    if match is None or match.lastgroup is None:
        return None, None
    return None, categories[int(match.lastgroup[1:])]


@cache
def _api_starts() -> frozenset[int]:
    """First bytes an API name can start with; other identifiers are skipped before any lookup."""
    return frozenset({ord(name[0]) for name in api_table()} | set(b"cCnN"))


_TEMPLATE_ARGS = re.compile(r"<[^<>]*>")
_MACRO_TOKENS = re.compile(
    r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/|([A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*)',
    re.DOTALL,
)


def normalise_qualified(text: str, aliases: dict[str, str]) -> str:
    text = re.sub(r"\s+", "", text)
    for _ in range(4):
        stripped = _TEMPLATE_ARGS.sub("", text)
        if stripped == text:
            break
        text = stripped
    text = text.lstrip(":")
    head, sep, rest = text.partition("::")
    if sep and head in aliases:
        text = f"{aliases[head]}::{rest}"
    return text


def find_api_refs(source: SourceText, index: CstIndex) -> list[ApiRef]:
    refs: list[ApiRef] = []
    covered: list[tuple[int, int]] = []

    def add(name: str, offset: int, entry: ApiEntry | None, category: str) -> None:
        line, col = source.line_col(offset)
        if entry is not None:
            refs.append(ApiRef(name, category, source.path, line, col, entry.hip, entry.support, True))
        else:
            refs.append(ApiRef(name, category, source.path, line, col, None, "unknown", False))

    for node in index.get("qid"):
        if node.parent is not None and node.parent.type in ("qualified_identifier",):
            continue
        name = normalise_qualified(index.text(node), index.aliases)
        entry, category = classify(name)
        if category is None:
            continue
        if entry is not None:
            # count by the listed name (cub::BlockReduce), not by a member spelt after it
            name = entry.cuda if name.startswith(entry.cuda) else name
        add(name, node.start_byte, entry, category)
        covered.append((node.start_byte, node.end_byte))
    covered.sort()
    starts = [c[0] for c in covered]

    def inside_counted(node: Node) -> bool:
        i = bisect.bisect_right(starts, node.start_byte) - 1
        return i >= 0 and covered[i][0] <= node.start_byte < covered[i][1]

    data = index.data
    api_starts = _api_starts()
    for kind in ("id", "tid"):
        for node in index.get(kind):
            if data[node.start_byte] not in api_starts:
                continue
            name = data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")
            entry, category = classify(name)
            if category is None or (entry is None and name in index.defined_names):
                continue
            if covered and inside_counted(node):
                continue
            add(name, node.start_byte, entry, category)

    for kind in ("macro", "fmacro"):
        for node in index.get(kind):
            value = node.child_by_field_name("value")
            if value is None:
                continue
            body = data[value.start_byte : value.end_byte].decode("utf-8", errors="replace")
            base = value.start_byte
            for match in _MACRO_TOKENS.finditer(body):
                word = match.group(1)
                if word is None:
                    continue
                name = normalise_qualified(word, index.aliases) if "::" in word else word
                entry, category = classify(name)
                if category is None or (entry is None and name in index.defined_names):
                    continue
                add(name, base + len(body[: match.start(1)].encode("utf-8")), entry, category)

    refs.sort(key=lambda r: (r.line, r.col))
    return refs
