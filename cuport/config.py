"""Project settings: `cuport.toml` (top-level keys) or `[tool.cuport]` of pyproject.toml.

Searched upward from a starting folder (the first path given on the command line); in each folder
`cuport.toml` wins over pyproject.toml, and a pyproject.toml without `[tool.cuport]` is passed over,
the same discovery as the LLM settings (`cuport/translate/llm_config.py`, which reads the `llm`
table of the same file). Command-line flags override every value here; list flags (-I, -D) add to
the configured lists. Paths in the file are relative to the folder holding it.

    targets = ["hip", "triton"]          include = ["src/**/*.cu"]     exclude = ["**/third_party/**"]
    includes = ["include"]               defines = ["N=256", "USE_FAST"]
    baseline = ".cuport-baseline.json"   severity = "warning"          suppress = ["H012"]
    output = "ported"                    jobs = 4                      executor = "local"

A bad file or value is a ConfigError whose message reads `FILE:LINE:COL: what is wrong`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

# key -> (kind, what it holds); kinds: str, int, str-list. Tables owned by other modules are allowed.
_KEYS: dict[str, str] = {
    "targets": "str-list", "include": "str-list", "exclude": "str-list", "includes": "str-list",
    "defines": "str-list", "suppress": "str-list", "baseline": "str", "severity": "str", "output": "str",
    "jobs": "int", "executor": "str",
}
_TABLES = frozenset({"llm"})  # read by cuport/translate/llm_config.py
SEVERITIES = ("note", "warning", "error")
EXECUTORS = ("local", "ray")


class ConfigError(Exception):
    """A config file that cannot be read or holds a bad value; the message carries FILE:LINE:COL."""


@dataclass(frozen=True)
class ProjectConfig:
    file: Path | None = None
    targets: tuple[str, ...] = ()
    include: tuple[str, ...] = ()  # globs; empty: every source
    exclude: tuple[str, ...] = ()
    includes: tuple[Path, ...] = ()
    defines: tuple[str, ...] = ()
    suppress: frozenset[str] = field(default_factory=frozenset)
    baseline: Path | None = None
    severity: str | None = None
    output: Path | None = None
    jobs: int | None = None
    executor: str | None = None

    @property
    def root(self) -> Path | None:
        return self.file.parent if self.file is not None else None

    def selects(self, path: Path, given_root: Path) -> bool:
        """Whether the include/exclude globs keep `path` (matched relative to the config folder,
        else to the root it was found under; a pattern without `/` matches the file name anywhere)."""
        if not self.include and not self.exclude:
            return True
        rel = _relative(path, self.root) or _relative(path, given_root) or PurePosixPath(path.name)
        if self.include and not any(glob_match(g, rel) for g in self.include):
            return False
        return not any(glob_match(g, rel) for g in self.exclude)


def _relative(path: Path, base: Path | None) -> PurePosixPath | None:
    if base is None:
        return None
    try:
        return PurePosixPath(path.resolve().relative_to(base.resolve()).as_posix())
    except (ValueError, OSError):
        return None


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(pattern: str, rel: PurePosixPath) -> bool:
    """gitignore-like: `**` crosses folders, `*` does not; `dir/` matches everything under dir."""
    pattern = pattern.strip().lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    target = str(rel) if "/" in pattern else rel.name
    return _glob_regex(pattern).match(target) is not None


def find_config(start: Path) -> tuple[Path, Mapping[str, object], str] | None:
    """(file, its cuport table, its text) of the nearest config at or above `start`."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for d in (folder, *folder.parents):
        for name, keys in (("cuport.toml", ()), ("pyproject.toml", ("tool", "cuport"))):
            path = d / name
            if not path.is_file():
                continue
            text, data = _parse(path)
            table: object = data
            for k in keys:
                table = table.get(k) if isinstance(table, dict) else None
            if isinstance(table, dict) and (name == "cuport.toml" or table):
                return path, table, text
    return None


def _parse(path: Path) -> tuple[str, dict[str, object]]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}:1:1: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        last = text.split("\n")
        where = f"{m.group(1)}:{m.group(2)}" if m else f"{len(last)}:{len(last[-1]) + 1}"  # "at end of document"
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(f"{path}:{where}: not valid TOML: {reason}") from None


def _locate(text: str, key: str, pyproject: bool) -> str:
    """LINE:COL of `key = ...` inside the cuport table (tomllib keeps no positions)."""
    header = re.compile(r"^\s*\[\s*tool\s*\.\s*cuport\s*\]" if pyproject else r"^\s*\[")
    in_table = not pyproject
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("["):
            matched = header.match(line) is not None
            in_table = matched if pyproject else False
            continue
        m = re.match(rf"^(\s*){re.escape(key)}\s*=", line)
        if in_table and m:
            return f"{n}:{len(m.group(1)) + 1}"
    return "1:1"


def load_config(start: Path) -> ProjectConfig:
    """The settings that apply to `start` (a file or folder); an empty config when there is none."""
    found = find_config(start)
    if found is None:
        return ProjectConfig()
    path, table, text = found
    pyproject = path.name == "pyproject.toml"
    prefix = "tool.cuport." if pyproject else ""

    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"{path}:{_locate(text, key, pyproject)}: {prefix}{key}: {why}")

    values: dict[str, object] = {}
    for key, value in table.items():
        if key in _TABLES:
            continue
        kind = _KEYS.get(key)
        if kind is None:
            known = ", ".join(sorted(_KEYS))
            raise bad(key, f"unknown setting (known: {known})")
        if kind == "str" and not isinstance(value, str):
            raise bad(key, f"expected a string, got {value!r}")
        if kind == "int" and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise bad(key, f"expected a positive integer, got {value!r}")
        if kind == "str-list":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(key, f"expected a list of strings, got {value!r}")
        values[key] = value
    base = path.parent

    def as_path(raw: object) -> Path:
        p = Path(str(raw)).expanduser()
        return p if p.is_absolute() else base / p

    severity = values.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise bad("severity", f"{severity!r} is not one of {', '.join(SEVERITIES)}")
    executor = values.get("executor")
    if executor is not None and executor not in EXECUTORS:
        raise bad("executor", f"{executor!r} is not one of {', '.join(EXECUTORS)}")
    for d in values.get("defines", []):  # type: ignore[attr-defined]
        if not str(d).partition("=")[0].isidentifier():
            raise bad("defines", f"{d!r} is not NAME or NAME=VALUE")
    targets = tuple(str(t) for t in values.get("targets", []))  # type: ignore[attr-defined]
    return ProjectConfig(
        file=path,
        targets=targets,
        include=tuple(values.get("include", ())),  # type: ignore[arg-type]
        exclude=tuple(values.get("exclude", ())),  # type: ignore[arg-type]
        includes=tuple(as_path(i) for i in values.get("includes", ())),  # type: ignore[attr-defined]
        defines=tuple(values.get("defines", ())),  # type: ignore[arg-type]
        suppress=frozenset(str(s) for s in values.get("suppress", ())),  # type: ignore[attr-defined]
        baseline=as_path(values["baseline"]) if "baseline" in values else None,
        severity=severity,  # type: ignore[arg-type]
        output=as_path(values["output"]) if "output" in values else None,
        jobs=values.get("jobs"),  # type: ignore[arg-type]
        executor=executor,  # type: ignore[arg-type]
    )


def config_for_paths(paths: list[str]) -> ProjectConfig:
    """The config of the first path given (searched upward from it), as the command line sees it."""
    return load_config(Path(paths[0])) if paths else ProjectConfig()


def located_target_error(cfg: ProjectConfig, target: str, why: str) -> str:
    """A bad target named in the config, with its location (the names are checked by the caller)."""
    if cfg.file is None:
        return why
    text = cfg.file.read_text("utf-8", errors="replace")
    return f"{cfg.file}:{_locate(text, 'targets', cfg.file.name == 'pyproject.toml')}: {why}"
