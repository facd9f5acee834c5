"""Run the C preprocessor over a CUDA file so macros are expanded before parsing for the IR.

The system's `g++ -E -x c++` does the work, with `__CUDACC__` defined and cuport's stub CUDA headers
(`stub_include/`) on the path. Host system headers are left out on purpose (`-nostdinc`): they would
add tens of thousands of lines around each kernel. A header that cannot be found is never fatal:
it is replaced by an empty stub and reported (CP004 for "user.h", CP006 for <system.h>), and the
run is retried. Line markers are kept; `line_map` turns them back into the user's file:line.
Results are cached by content: the file, the flags and every header the output came from.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cuport.diagnostics import Diagnostic, Severity, diag
from cuport.result import Failed, Ok
from cuport.source import SourceText, Span

STUB_INCLUDE = Path(str(resources.files("cuport.parse").joinpath("stub_include")))
CUDA_DEFINES: tuple[str, ...] = (
    "__CUDACC__", "__NVCC__", "__CUDACC_VER_MAJOR__=12", "__CUDACC_VER_MINOR__=4", "__CUDACC_VER_BUILD__=0",
    "__const__=const",  # GCC's alternate keyword (nvcc accepts it); the grammar knows only `const`
    # GCC's typeof: the grammar knows only decltype (the lowering accepts decltype only where the
    # two agree: a name or a value that is no lvalue)
    "__typeof__=decltype", "__typeof=decltype",
)
_STUB_DEPTH = 8
MAX_MISSING = 64  # retries with stubs before giving up: a real tree misses a handful of headers
TIMEOUT_S = 60
_CACHE_VERSION = "1"
STUB_MARK = "<cuport-stub>"  # what line markers show instead of the temporary stub folder

_MISSING = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): fatal error: (?P<name>.+?): No such file or directory",
                      re.M)
_MARKER = re.compile(rb'^# (\d+) "((?:[^"\\]|\\.)*)"', re.M)


@dataclass(frozen=True)
class Flags:
    includes: tuple[str, ...] = ()
    defines: tuple[str, ...] = ()  # "NAME" or "NAME=VALUE"
    undefines: tuple[str, ...] = ()


def preprocess(
    path: str | os.PathLike[str],
    *,
    includes: Iterable[str | os.PathLike[str]] = (),
    defines: Iterable[str] = (),
    compile_commands: Path | None = None,
    cuda_arch: int | None = None,
    cache_dir: Path | None = None,
) -> Ok[SourceText] | Failed:
    """Preprocessed text of `path` (line markers kept), with a diagnostic per stubbed header.

    `cuda_arch` (e.g. 800) defines `__CUDA_ARCH__` for the device view of the code; without it the
    text is what nvcc's host pass sees. `defines` take "NAME" or "NAME=VALUE".
    """
    src = Path(path)
    where = Span(str(src), 0, 0)
    diags: list[Diagnostic] = []
    flags = Flags(tuple(os.fspath(i) for i in includes), tuple(defines))
    if compile_commands is not None:
        found = flags_from_compile_commands(compile_commands, src)
        if isinstance(found, str):
            diags.append(diag("CP007", Span(str(compile_commands), 0, 0), reason=found))
        else:
            flags = Flags(flags.includes + found.includes, flags.defines + found.defines, found.undefines)
    compiler = shutil.which("g++") or shutil.which("cpp")
    if compiler is None:
        return Failed("no C preprocessor found (g++ or cpp)", where, (diag("CP005", where, reason="no g++ or cpp"),))
    try:
        data = src.read_bytes()
    except (OSError, ValueError) as exc:
        return Failed(f"cannot read {src}: {exc}", where)
    args = _arguments(compiler, flags, cuda_arch)
    # The stub headers are part of the key: a header added there must replace the empty stand-in
    # that cached text was made with (its dependency digests only cover headers that existed).
    key = hashlib.sha256(json.dumps([_CACHE_VERSION, args, str(src.resolve()), _stubs_digest()]).encode()
                         + b"\0" + data).hexdigest()
    cache = _cache_dir(cache_dir)
    hit = _cache_load(cache, key)
    if hit is not None:
        return Ok(SourceText.from_text(str(src), hit[0]), tuple(diags) + hit[1])
    result = _run(compiler, args, src, flags)
    if isinstance(result, Failed):
        return result
    text, stub_diags, missing = result
    _cache_store(cache, key, text, stub_diags, missing, flags, src)
    return Ok(SourceText.from_text(str(src), text), tuple(diags) + stub_diags)


def _arguments(compiler: str, flags: Flags, cuda_arch: int | None) -> list[str]:
    args = ["-E", "-x", "c++", "-std=c++17", "-nostdinc", "-nostdinc++"]
    if os.path.basename(compiler) == "cpp":
        args = ["-x", "c++", "-std=c++17", "-nostdinc", "-nostdinc++"]
    args += [f"-D{d}" for d in CUDA_DEFINES]
    if cuda_arch is not None:
        args.append(f"-D__CUDA_ARCH__={int(cuda_arch)}")
    args += [f"-D{d}" for d in flags.defines]
    args += [f"-U{u}" for u in flags.undefines]
    args += [f"-I{i}" for i in flags.includes]
    args += [f"-I{STUB_INCLUDE}"]
    return args


def _run(compiler: str, args: list[str], src: Path, flags: Flags) -> tuple[str, tuple[Diagnostic, ...], list[str]] | Failed:
    where = Span(str(src), 0, 0)
    diags: list[Diagnostic] = []
    missing: list[str] = []
    env = {**os.environ, "LC_ALL": "C"}  # English messages: missing headers are recognised by text
    with tempfile.TemporaryDirectory(prefix="cuport-stubs-") as stubs:
        # Headers are looked up below a deep folder so that "../x.h" still lands inside the stub tree.
        deep = os.path.join(stubs, *["d"] * _STUB_DEPTH)
        os.makedirs(deep)
        # Stub what the file itself includes and nobody provides up front: each missing header found
        # by a failed run costs a whole preprocessor run (real files miss five or more).
        planned = _prestub(src, flags, Path(stubs), Path(deep))
        for _ in range(MAX_MISSING + 1):
            cmd = [compiler, *args, "-idirafter", deep, str(src)]
            try:
                proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, env=env)
            except subprocess.TimeoutExpired:
                return _failed(where, f"timed out after {TIMEOUT_S} s")
            except OSError as exc:
                return _failed(where, f"cannot run {compiler}: {exc}")
            stderr = proc.stderr.decode("utf-8", errors="replace")
            m = _MISSING.search(stderr)
            if m is None:
                if proc.returncode != 0:
                    first = next((ln for ln in stderr.splitlines() if "error" in ln), stderr.strip()[:200])
                    return _failed(where, first or f"exit status {proc.returncode}")
                text = proc.stdout.decode("utf-8", errors="surrogateescape")
                # Only stubs the preprocessor entered are reported (not those under a false #if).
                used = [(name, at, angle) for name, (stub, at, angle) in planned.items() if f'"{stub}"' in text]
                text = text.replace(deep, STUB_MARK).replace(stubs, STUB_MARK)
                early = [diag("CP006" if angle else "CP004", at, name=name) for name, at, angle in used]
                return text, tuple(early + diags), [name for name, _, _ in used] + missing
            name = m.group("name")
            stub = _stub_path(Path(stubs), Path(deep), name)
            if stub is None or stub.exists():
                return _failed(where, f"cannot stand in for missing header {name!r}")
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(f"/* {STUB_MARK}: {name} was not found */\n")
            missing.append(name)
            at = Span(m.group("file"), int(m.group("line")), int(m.group("col")))
            system = _included_with_angles(at, name)
            diags.append(diag("CP006" if system else "CP004", at, name=name))
    return _failed(where, f"more than {MAX_MISSING} missing headers")


_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)


def _prestub(src: Path, flags: Flags, root: Path, deep: Path) -> dict[str, tuple[Path, Span, bool]]:
    """Empty stubs for the file's own includes that no include folder holds: name -> (stub, where, <>)."""
    try:
        data = src.read_bytes()
    except OSError:
        return {}
    planned: dict[str, tuple[Path, Span, bool]] = {}
    for m in _INCLUDE.finditer(data):
        angle = m.group(1) == b"<"
        name = m.group(2).decode("utf-8", errors="replace").strip()
        folders = [*flags.includes, str(STUB_INCLUDE)] + ([] if angle else [str(src.parent)])
        if name in planned or any(os.path.isfile(os.path.join(d, name)) for d in folders):
            continue
        stub = _stub_path(root, deep, name)
        if stub is None or stub.exists():
            continue
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(f"/* {STUB_MARK}: {name} was not found */\n")
        line_start = data.rfind(b"\n", 0, m.start(1)) + 1
        at = Span(str(src), data.count(b"\n", 0, m.start(1)) + 1, m.start(1) - line_start + 1)
        planned[name] = (stub, at, angle)
    return planned


def _failed(where: Span, reason: str) -> Failed:
    return Failed(f"preprocessor failed: {reason}", where, (diag("CP005", where, reason=reason),))


def _stub_path(root: Path, deep: Path, name: str) -> Path | None:
    # The name comes from the user's #include; the stub must stay inside the temporary folder.
    if not name or os.path.isabs(name):
        return None
    stub = Path(os.path.normpath(deep / name))
    return stub if stub.is_relative_to(root) and stub != root else None


def _included_with_angles(at: Span, name: str) -> bool:
    try:
        with open(at.file, "rb") as f:
            lines = f.read().splitlines()
        line = lines[at.line - 1].decode("utf-8", errors="replace")
    except (OSError, IndexError, ValueError):
        return False
    return f"<{name}>" in line


# --- mapping output lines back to the user's files ------------------------------------------
def line_map(source: SourceText) -> tuple[tuple[str, int], ...]:
    """For each line of preprocessed text (index = line - 1): the file and line it came from."""
    out: list[tuple[str, int]] = []
    file, line = source.path, 1
    for raw in source.data.split(b"\n"):
        m = _MARKER.match(raw)
        if m is not None:
            file = m.group(2).decode("utf-8", errors="replace").replace('\\"', '"').replace("\\\\", "\\")
            line = int(m.group(1))
            out.append((file, 0))  # the marker line itself belongs to no source line
            continue
        out.append((file, line))
        line += 1
    return tuple(out)


def original_span(span: Span, lines: Sequence[tuple[str, int]]) -> Span:
    """A span in preprocessed text, pointed back at the user's file and line (col is kept)."""
    if not 1 <= span.line <= len(lines):
        return span
    file, line = lines[span.line - 1]
    return Span(file, line, span.col, span.start, span.end)


def user_diagnostics(
    diagnostics: Sequence[Diagnostic], preprocessed: SourceText, rename: dict[str, str] | None = None
) -> tuple[Diagnostic, ...]:
    """Diagnostics found in preprocessed text, pointed back at the user's files and lines. `rename`
    maps a working copy's path (a target that preprocesses a temporary copy) to the user's."""
    lines = line_map(preprocessed)
    rename = rename or {}
    out: list[Diagnostic] = []
    for d in diagnostics:
        span = d.span
        if span is not None and span.file == preprocessed.path:
            span = original_span(span, lines)
            span = dataclasses.replace(span, file=rename.get(span.file, span.file))
        out.append(d if span is d.span else dataclasses.replace(d, span=span))
    return tuple(out)


# --- compile_commands.json ------------------------------------------------------------------
def flags_from_compile_commands(database: Path, source: Path) -> Flags | str:
    """-I/-D/-U of `source`'s entry; a string saying why when there is none."""
    try:
        entries = json.loads(Path(database).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        return f"cannot read {database}: {exc}"
    if not isinstance(entries, list):
        return f"{database}: expected a JSON array of entries"
    target = _real(source)
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            continue
        directory = Path(str(entry.get("directory", Path(database).parent)))
        if _real(directory / entry["file"]) != target:
            continue
        if isinstance(entry.get("arguments"), list):
            argv = [str(a) for a in entry["arguments"]]
        else:
            try:
                argv = shlex.split(str(entry.get("command", "")))
            except ValueError as exc:
                return f"cannot split the command of {source}: {exc}"
        return _parse_argv(argv, directory)
    return f"no entry for {source}"


def _real(p: Path) -> str:
    try:
        return str(p.resolve())
    except (OSError, RuntimeError):
        return str(p.absolute())


_OPTIONS = {"-I": "I", "-isystem": "I", "-iquote": "I", "--include-path": "I", "-D": "D",
            "--define-macro": "D", "-U": "U", "--undefine-macro": "U"}


def _parse_argv(argv: list[str], directory: Path) -> Flags:
    inc: list[str] = []
    dfn: list[str] = []
    und: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        kind, value = None, None
        if arg in _OPTIONS and i + 1 < len(argv):
            kind, value = _OPTIONS[arg], argv[i + 1]
            i += 1
        else:
            for opt, k in _OPTIONS.items():
                if arg.startswith(opt + "=") and opt.startswith("--"):
                    kind, value = k, arg[len(opt) + 1 :]
                    break
                if arg.startswith(opt) and len(arg) > len(opt) and not opt.startswith("--") and opt in ("-I", "-D", "-U"):
                    kind, value = k, arg[len(opt) :]
                    break
        i += 1
        if kind == "I" and value is not None:
            inc.append(str(directory / value) if not os.path.isabs(value) else value)
        elif kind == "D" and value is not None:
            dfn.append(value)
        elif kind == "U" and value is not None:
            und.append(value)
    return Flags(tuple(inc), tuple(dfn), tuple(und))


# --- cache ------------------------------------------------------------------------------------
def _cache_dir(given: Path | None) -> Path | None:
    if given is not None:
        return given
    env = os.environ.get("CUPORT_CACHE_DIR")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cuport"
    return base / "preprocess"


def _dependencies(text: str, src: Path) -> dict[str, str]:
    deps: dict[str, str] = {}
    for m in _MARKER.finditer(text.encode("utf-8", errors="surrogateescape")):
        name = m.group(2).decode("utf-8", errors="replace")
        if name.startswith("<") or name.startswith(STUB_MARK) or name in deps:
            continue
        digest = _digest(Path(name))
        if digest is not None:
            deps[name] = digest
    return deps


@functools.cache
def _stubs_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(STUB_INCLUDE.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(STUB_INCLUDE)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _digest(p: Path) -> str | None:
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except (OSError, ValueError):
        return None


def _cache_store(cache: Path | None, key: str, text: str, diags: tuple[Diagnostic, ...], missing: list[str],
                 flags: Flags, src: Path) -> None:
    if cache is None:
        return
    record = {
        "text": text,
        "diagnostics": [[d.code, d.severity.value, d.message, *(
            [d.span.file, d.span.line, d.span.col] if d.span else [])] for d in diags],
        "deps": _dependencies(text, src),
        # A header that was missing and later appears changes the output: remember where it could come from.
        "missing": [[str(d / name) for d in (src.parent, *map(Path, flags.includes))] for name in missing],
    }
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(record), encoding="utf-8", errors="surrogateescape")
        os.replace(tmp, cache / f"{key}.json")
    except OSError:
        pass  # a cache that cannot be written only costs time


def _cache_load(cache: Path | None, key: str) -> tuple[str, tuple[Diagnostic, ...]] | None:
    if cache is None:
        return None
    try:
        record = json.loads((cache / f"{key}.json").read_text("utf-8", errors="surrogateescape"))
        if any(_digest(Path(name)) != digest for name, digest in record["deps"].items()):
            return None
        if any(os.path.exists(p) for candidates in record["missing"] for p in candidates):
            return None
        diags = tuple(
            Diagnostic(row[0], Severity(row[1]), row[2], Span(row[3], row[4], row[5]) if len(row) == 6 else None)
            for row in record["diagnostics"]
        )
        return record["text"], diags
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
