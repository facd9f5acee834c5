"""Compiling against the CPU runtime, cached by content hash.

An entry's key covers everything that decides the binary: the generated translation unit, the
rewritten user files, the runtime's sources, the compiler's version and the flags. Headers that were
not rewritten (found through -I with angle brackets, system headers) are recorded from g++'s
dependency output and checked by size and modification time, hashed when they are not under /usr.
Entries are built in a temporary folder and renamed into place, so concurrent builds never see a
half-written entry.

Layout under the cache root ($CUPORT_CACHE_DIR, else ~/.cache/cuport):
    cpu-runtime/obj-<hash>/   the runtime objects for one flag set (cuport_rt.o, driver.o, program_main.o)
    cpu-runtime/bin-<hash>/   one build: tu.cpp, mirror/ (rewritten sources), exe, deps.json, extra files
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cuport.diagnostics import Diagnostic, diag
from cuport.source import Span

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
RUNTIME_OBJECTS = ("cuport_rt", "driver", "program_main")

BASE_FLAGS = (
    "-std=c++17",
    "-mfma",  # nvcc contracts a*b+c into FMA by default; so do we
    "-ffp-contract=fast",
    "-fno-math-errno",
    "-fno-strict-aliasing",  # CUDA code type-puns through pointer casts (float4 loads and such)
    "-pthread",
    "-w",
)
OPT_FLAGS = ("-O2",)
SANITIZE_FLAGS = ("-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,bounds", "-fno-sanitize-recover=all")


def default_cache_root() -> Path:
    env = os.environ.get("CUPORT_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "cuport"


@cache
def compiler_version(cxx: str = "g++") -> str:
    try:
        out = subprocess.run([cxx, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    first = out.splitlines()[0] if out else "unknown"
    m = re.search(r"(\d+\.\d+(?:\.\d+)?)\s*$", first)
    return m.group(1) if m else first


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8", errors="surrogateescape") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:32]


@cache
def _runtime_hash() -> str:
    files = sorted(p for p in RUNTIME_DIR.rglob("*") if p.is_file() and p.suffix in (".h", ".cpp"))
    return _sha(*[f"{p.relative_to(RUNTIME_DIR)}\0".encode() + p.read_bytes() for p in files])


@dataclass
class BuildResult:
    ok: bool
    directory: Path | None = None  # the cache entry
    executable: Path | None = None
    cached: bool = False
    seconds: float = 0.0
    log: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class BuildRequest:
    """What to compile: a generated translation unit plus rewritten user files (by mirror path)."""

    tu_text: str
    files: dict[Path, str]  # mirror-relative path -> text
    main_object: str  # "driver" (kernel mode) or "program_main" (whole program)
    defines: tuple[tuple[str, str], ...] = ()
    includes: tuple[Path, ...] = ()  # user include folders (originals; mirrored copies come first)
    sanitize: bool = False
    # after linking, run the executable with these arguments and keep stdout as this file
    post_run: tuple[tuple[str, ...], str] | None = None
    extra_key: str = ""
    timeout_s: float = 300.0


_GXX_DIAG = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?:fatal )?error: (?P<msg>.*)$", re.MULTILINE)


def compile_diagnostics(log: str) -> tuple[Diagnostic, ...]:
    """g++ errors as CR001 diagnostics at the user's file:line:col (the #line directives map them)."""
    out = []
    for m in _GXX_DIAG.finditer(log):
        span = Span(m.group("file"), int(m.group("line")), int(m.group("col")))
        out.append(diag("CR001", span, reason=m.group("msg").strip()))
        if len(out) >= 20:
            break
    if not out and log.strip():
        out.append(diag("CR001", None, reason=log.strip().splitlines()[-1][:400]))
    return tuple(out)


@dataclass
class BuildCache:
    root: Path = field(default_factory=default_cache_root)
    cxx: str = "g++"

    @property
    def base(self) -> Path:
        return self.root / "cpu-runtime"

    def flags(self, sanitize: bool) -> tuple[str, ...]:
        return BASE_FLAGS + (SANITIZE_FLAGS if sanitize else OPT_FLAGS)

    # ---- the runtime's own objects, compiled once per flag set -----------------------------
    def runtime_objects(self, sanitize: bool) -> dict[str, Path] | BuildResult:
        flags = self.flags(sanitize)
        key = _sha(_runtime_hash(), compiler_version(self.cxx), *flags)
        entry = self.base / f"obj-{key}"
        objs = {name: entry / f"{name}.o" for name in RUNTIME_OBJECTS}
        if all(p.is_file() for p in objs.values()):
            return objs
        self.base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="obj-tmp-", dir=self.base))
        try:
            for name in RUNTIME_OBJECTS:
                cmd = [self.cxx, *flags, "-I", str(RUNTIME_DIR), "-c", str(RUNTIME_DIR / f"{name}.cpp"), "-o", str(tmp / f"{name}.o")]
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
                if proc.returncode != 0:
                    return BuildResult(False, log=proc.stderr, diagnostics=compile_diagnostics(proc.stderr))
            self._publish(tmp, entry)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return objs

    # ---- one build ---------------------------------------------------------------------------
    def key(self, req: BuildRequest) -> str:
        parts: list[bytes | str] = [_runtime_hash(), compiler_version(self.cxx), *self.flags(req.sanitize), req.main_object]
        parts += [f"-D{k}={v}" for k, v in req.defines]
        parts += [f"-I{p}" for p in req.includes]
        parts += [req.tu_text, req.extra_key, repr(req.post_run)]
        for path in sorted(req.files):
            parts += [str(path), req.files[path]]
        return _sha(*parts)

    def build(self, req: BuildRequest) -> BuildResult:
        start = time.perf_counter()
        key = self.key(req)
        entry = self.base / f"bin-{key}"
        exe = entry / "exe"
        if exe.is_file() and self._deps_fresh(entry):
            return BuildResult(True, entry, exe, cached=True, seconds=time.perf_counter() - start)
        objs = self.runtime_objects(req.sanitize)
        if isinstance(objs, BuildResult):
            return objs
        self.base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="bin-tmp-", dir=self.base))
        try:
            result = self._compile_into(tmp, req, objs)
            if not result.ok:
                return result
            self._publish(tmp, entry)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return BuildResult(True, entry, exe, cached=False, seconds=time.perf_counter() - start, log=result.log)

    def _compile_into(self, tmp: Path, req: BuildRequest, objs: dict[str, Path]) -> BuildResult:
        mirror = tmp / "mirror"
        for rel, text in req.files.items():
            dst = mirror / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        tu = tmp / "tu.cpp"
        tu.write_text(req.tu_text.replace("@MIRROR@", str(mirror)), encoding="utf-8", errors="surrogateescape")
        inc: list[str] = ["-I", str(RUNTIME_DIR)]
        for d in req.includes:
            inc += ["-I", str(mirror / str(Path(d).resolve()).lstrip("/")), "-I", str(d)]
        defs = [f"-D{k}={v}" if v != "" else f"-D{k}" for k, v in req.defines]
        flags = self.flags(req.sanitize)
        cmd = [self.cxx, *flags, *defs, *inc, "-MD", "-MF", str(tmp / "tu.d"), "-c", str(tu), "-o", str(tmp / "tu.o")]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=req.timeout_s, errors="replace")
        if proc.returncode != 0:
            log = proc.stderr.replace(str(mirror), "")
            return BuildResult(False, log=log, diagnostics=compile_diagnostics(log))
        link = [self.cxx, *flags, str(tmp / "tu.o"), str(objs[req.main_object]), str(objs["cuport_rt"]), "-o", str(tmp / "exe")]
        proc = subprocess.run(link, capture_output=True, text=True, timeout=req.timeout_s, errors="replace")
        if proc.returncode != 0:
            return BuildResult(False, log=proc.stderr, diagnostics=compile_diagnostics(proc.stderr))
        self._write_deps(tmp, mirror)
        if req.post_run is not None:
            argv, name = req.post_run
            run = subprocess.run([str(tmp / "exe"), *argv], capture_output=True, text=True, timeout=60)
            if run.returncode != 0:
                return BuildResult(False, log=run.stderr, diagnostics=(diag("CR001", None, reason=run.stderr.strip()[:400]),))
            (tmp / name).write_text(run.stdout, encoding="utf-8")
        return BuildResult(True, log=proc.stderr)

    # ---- dependencies not covered by the key ---------------------------------------------------
    def _write_deps(self, tmp: Path, mirror: Path) -> None:
        text = (tmp / "tu.d").read_text(encoding="utf-8", errors="replace") if (tmp / "tu.d").exists() else ""
        body = text.split(":", 1)[1] if ":" in text else ""
        paths = [p.replace("\\ ", " ") for p in re.split(r"(?<!\\)\s+", body.replace("\\\n", " ")) if p and p != "\\"]
        deps = {}
        for p in paths:
            path = Path(p)
            if str(path).startswith(str(tmp)) or str(path).startswith(str(RUNTIME_DIR)):
                continue  # rewritten copies and the runtime are in the key already
            try:
                st = path.stat()
            except OSError:
                continue
            record: dict[str, object] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
            if not str(path).startswith("/usr/"):
                record["sha"] = _sha(path.read_bytes())
            deps[str(path)] = record
        (tmp / "deps.json").write_text(json.dumps(deps), encoding="utf-8")

    def _deps_fresh(self, entry: Path) -> bool:
        try:
            deps = json.loads((entry / "deps.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        for p, rec in deps.items():
            try:
                st = os.stat(p)
            except OSError:
                return False
            if st.st_size != rec["size"]:
                return False
            if st.st_mtime_ns != rec["mtime_ns"]:
                if "sha" not in rec or _sha(Path(p).read_bytes()) != rec["sha"]:
                    return False
        return True

    @staticmethod
    def _publish(tmp: Path, entry: Path) -> None:
        try:
            os.rename(tmp, entry)
        except OSError:
            # another process published the same entry first: theirs is as good as ours
            if not entry.exists():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.mkdir()  # so the caller's cleanup of tmp finds something to remove
