"""The Runner for target "cuda": original CUDA kernels run on the CPU runtime (runtime/).

prepare: the user's file (and its local headers) is rewritten lexically, wrapped in a translation
unit that includes the runtime and ends with a registration table for the requested kernels and
symbols, compiled by g++ and cached (build_cache.py). The driver binary then describes each
kernel's parameters (deduced by C++ from the function pointer), which `signature` reports.

run: the buffers (whole allocations, guard zones included) are laid out in one data file that the
driver memory-maps, so the kernel writes straight into them; the driver runs in its own process
group with a timeout. Exit codes and the report file tell ok / deadlock / crash / timeout apart.
`RunRequest.repeat` launches run in that one process, the data file restored before each.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cuport.diagnostics import Diagnostic, diag
from cuport.verify.build_cache import BuildCache, BuildRequest, compiler_version
from cuport.verify.launch_rewrite import mirror_path, rewrite_tree
from cuport.verify.protocol import Artifact, Buffer, ParamType, RunOutcome, RunRequest
from cuport.verify.sandbox import candidate_env, limit_resources

# driver exit codes (runtime/driver.cpp, runtime/cuport_rt.cpp)
EXIT_DEADLOCK = 3
EXIT_BAD_REQUEST = 4
EXIT_TRAP = 5
EXIT_LAUNCH_REJECTED = 6
EXIT_ASAN = 7

_SAFE_NAME = re.compile(r"^[A-Za-z_][\w:]*(\s*<[\w\s:,<>*&().+\-]*>)?$")
_PAGE = 4096


@dataclass
class PreparedCuda:
    artifact: Artifact
    executable: Path
    kernels: tuple[str, ...]
    symbols: tuple[str, ...]
    signatures: dict[str, list[ParamType]]
    param_sizes: dict[str, list[int]]
    symbol_sizes: dict[str, int]
    sanitize: bool = False
    cached: bool = False
    build_s: float = 0.0
    diagnostics: tuple[Diagnostic, ...] = ()


def scratch_dir() -> str | None:
    """Where the data file goes: memory-backed /dev/shm when usable, since the kernel writes into
    a shared mapping of it (page faults on a disk-backed file cost more than the kernel)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def _signal_name(num: int) -> str:
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def kernel_table_source(kernels: list[str], symbols: tuple[str, ...]) -> str:
    """The registration table that ends the generated translation unit."""
    lines = ['#line 1 "<cuport kernel table>"', '#include "cuport_registry.h"']
    lines.append("const cuport::KernelEntry* cuport_kernel_table(int* n) {")
    lines.append("  static const cuport::KernelEntry table[] = {")
    for k in kernels:
        lines.append(f'    cuport::kernel_entry("{k}", &{k}),')
    lines.append("    {nullptr, 0, nullptr, nullptr, nullptr},")
    lines.append(f"  }};\n  *n = {len(kernels)};\n  return table;\n}}")
    lines.append("const cuport::SymbolEntry* cuport_symbol_table(int* n) {")
    lines.append("  static const cuport::SymbolEntry table[] = {")
    for s in symbols:
        lines.append(f'    cuport::symbol_entry("{s}", {s}),')
    lines.append("    {nullptr, nullptr, 0},")
    lines.append(f"  }};\n  *n = {len(symbols)};\n  return table;\n}}")
    return "\n".join(lines) + "\n"


def translation_unit(main: Path, tail: str, others: tuple[Path, ...] = ()) -> str:
    """Runtime first, then the user's (rewritten) file with `main` renamed, then `tail`.

    others: the program's other files (separate compilation, nvcc -rdc: device functions the file
    only declares), compiled into the same unit after it; two files' static functions of one name
    are then a compile error (CR001), never a silent mix-up."""
    files = "".join(f'#include "{mirror_path(Path("@MIRROR@"), p)}"\n' for p in (main, *others))
    return '#include "cuport_rt.h"\n#define main cuport_user_main\n' + files + "#undef main\n" + tail


def mirror_files(main: Path, includes: tuple[Path, ...], others: tuple[Path, ...] = ()) -> dict[Path, str]:
    out: dict[Path, str] = {}
    for path in (main, *others):
        out.update({mirror_path(Path("/"), p).relative_to("/"): text for p, text in rewrite_tree(path, includes).items()})
    return out


@dataclass
class CpuCudaRunner:
    """Runs original CUDA kernels on the CPU. Options: worker threads, block order, warp size,
    sanitizer build (AddressSanitizer + bounds checks, a separate cache entry)."""

    workers: int | None = None  # None: one per CPU
    warp_size: int = 32
    shuffle_blocks: bool = False  # run blocks in an order drawn from the request's seed
    sanitize: bool = False
    stack_kb: int = 256
    cache: BuildCache = field(default_factory=BuildCache)
    target: str = "cuda"

    @property
    def device(self) -> str:
        workers = self.workers or os.cpu_count() or 1
        extra = ", ASan" if self.sanitize else ""
        return f"CPU: cuport CUDA runtime (g++ {compiler_version()}), {workers} workers, warp {self.warp_size}{extra}"

    # ---- prepare -----------------------------------------------------------------------------
    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> PreparedCuda | RunOutcome:
        bad = [k for k in (*kernels, *symbols) if not _SAFE_NAME.match(k)]
        if bad:
            return RunOutcome("compile_error", message=f"not a kernel or symbol name: {bad[0]!r}",
                              diagnostics=(diag("CR001", None, reason=f"not a kernel or symbol name: {bad[0]!r}"),))
        path = Path(artifact.path)
        if not path.is_file():
            return RunOutcome("compile_error", message=f"no such file: {path}",
                              diagnostics=(diag("CR001", None, reason=f"no such file: {path}"),))
        includes = tuple(Path(p) for p in artifact.includes)
        others = tuple(Path(p) for p in artifact.sources)
        files = mirror_files(path, includes, others)
        req = BuildRequest(
            tu_text=translation_unit(path, kernel_table_source(kernels, symbols), others),
            files=files,
            main_object="driver",
            defines=tuple(artifact.defines),
            includes=includes,
            sanitize=self.sanitize,
            post_run=(("--signature",), "signature.json"),
        )
        built = self.cache.build(req)
        if not built.ok or built.directory is None or built.executable is None:
            first = built.diagnostics[0].message if built.diagnostics else built.log[-400:]
            return RunOutcome("compile_error", message=first, diagnostics=built.diagnostics)
        sig = json.loads((built.directory / "signature.json").read_text(encoding="utf-8"))
        signatures, sizes = {}, {}
        for k in sig["kernels"]:
            signatures[k["name"]] = [ParamType(p["kind"], p["dtype"], bool(p["const"])) for p in k["params"]]
            sizes[k["name"]] = [int(p["size"]) for p in k["params"]]
        return PreparedCuda(
            artifact=artifact,
            executable=built.executable,
            kernels=tuple(kernels),
            symbols=tuple(symbols),
            signatures=signatures,
            param_sizes=sizes,
            symbol_sizes={s["name"]: int(s["size"]) for s in sig["symbols"]},
            sanitize=self.sanitize,
            cached=built.cached,
            build_s=built.seconds,
        )

    def signature(self, prepared: PreparedCuda, kernel: str) -> list[ParamType]:
        return list(prepared.signatures[kernel])

    # ---- run ---------------------------------------------------------------------------------
    def run(self, prepared: PreparedCuda, request: RunRequest) -> RunOutcome:
        launch = request.launch
        if launch.kernel not in prepared.signatures:
            return RunOutcome("error", message=f"kernel {launch.kernel!r} was not prepared")
        params = prepared.signatures[launch.kernel]
        if len(request.args) != len(params):
            return RunOutcome("error", message=f"{launch.kernel} takes {len(params)} arguments, got {len(request.args)}",
                              diagnostics=(diag("CR002", None, reason="wrong number of arguments"),))
        with tempfile.TemporaryDirectory(prefix="cuport-run-", dir=scratch_dir()) as tmp:
            tmpdir = Path(tmp)
            data_path, req_path, report_path = tmpdir / "data.bin", tmpdir / "request.txt", tmpdir / "report.txt"
            layout, lines, data_size = self._request(prepared, request, params)
            if isinstance(layout, RunOutcome):
                return layout
            self._write_data(data_path, data_size, request, layout)
            req_path.write_text("".join(lines), encoding="utf-8")
            outcome = self._execute(prepared, request, req_path, data_path, report_path)
            if outcome.status == "ok":
                outcome.buffers = self._read_back(data_path, request, layout)
            else:
                outcome.buffers = [None] * len(request.args)
            return outcome

    def _request(self, prepared: PreparedCuda, request: RunRequest, params: list[ParamType]
                 ) -> tuple[dict[object, int] | RunOutcome, list[str], int]:
        launch = request.launch
        layout: dict[object, int] = {}  # ("arg", i) or ("sym", name) -> offset in the data file
        offset = 0

        def place(key: object, nbytes: int) -> int:
            nonlocal offset
            layout[key] = offset
            offset += (nbytes + _PAGE - 1) // _PAGE * _PAGE or _PAGE
            return layout[key]

        lines = [
            f"kernel {prepared.kernels.index(launch.kernel)}\n",
            "grid {} {} {}\n".format(*launch.grid),
            "block {} {} {}\n".format(*launch.block),
            f"shared {launch.shared_bytes}\n",
        ]
        if request.repeat > 1:
            lines.append(f"repeat {int(request.repeat)}\n")
        for i, (value, param) in enumerate(zip(request.args, params, strict=True)):
            if isinstance(value, Buffer):
                at = place(("arg", i), value.data.nbytes)
                lines.append(f"arg ptr {at} {value.data.nbytes} {value.offset}\n")
            elif param.kind == "pointer":
                if value not in (0, None):
                    return RunOutcome("error", message=f"argument {i} of {launch.kernel} is a pointer but got {value!r}"), [], 0
                lines.append("arg null\n")
            elif isinstance(value, bytes | bytearray | np.ndarray) and not np.isscalar(value):
                lines.append(f"arg bytes {bytes(np.asarray(value).tobytes() if isinstance(value, np.ndarray) else value).hex()}\n")
            elif isinstance(value, bool | np.bool_):
                lines.append(f"arg int {int(value)}\n")
            elif isinstance(value, int | np.integer):
                lines.append(f"arg int {int(value)}\n")
            elif isinstance(value, float | np.floating):
                lines.append(f"arg float {float(value).hex()}\n")
            else:
                return RunOutcome("error", message=f"argument {i} of {launch.kernel}: unsupported value {value!r}"), [], 0
        for name, buf in request.constants.items():
            if name not in prepared.symbols:
                return RunOutcome("error", message=f"symbol {name!r} was not prepared"), [], 0
            at = place(("sym", name), buf.nbytes)
            lines.append(f"symbol {prepared.symbols.index(name)} {at + buf.offset} {buf.nbytes}\n")
        return layout, lines, offset

    @staticmethod
    def _write_data(path: Path, size: int, request: RunRequest, layout: dict[object, int]) -> None:
        data = np.zeros(max(size, 1), dtype=np.uint8)
        for i, value in enumerate(request.args):
            if isinstance(value, Buffer):
                at = layout[("arg", i)]
                data[at : at + value.data.nbytes] = value.data.view(np.uint8).reshape(-1)
        for name, buf in request.constants.items():
            at = layout[("sym", name)]
            data[at : at + buf.data.nbytes] = buf.data.view(np.uint8).reshape(-1)
        data.tofile(path)

    @staticmethod
    def _read_back(path: Path, request: RunRequest, layout: dict[object, int]) -> list[np.ndarray | None]:
        data = np.fromfile(path, dtype=np.uint8)
        out: list[np.ndarray | None] = []
        for i, value in enumerate(request.args):
            if isinstance(value, Buffer):
                at = layout[("arg", i)]
                out.append(data[at : at + value.data.nbytes].copy())
            else:
                out.append(None)
        return out

    def _env(self, request: RunRequest, report: Path) -> dict[str, str]:
        env = candidate_env()
        env["CUPORT_WORKERS"] = str(self.workers or os.cpu_count() or 1)
        env["CUPORT_WARP_SIZE"] = str(self.warp_size)
        env["CUPORT_STACK_KB"] = str(self.stack_kb)
        env["CUPORT_REPORT"] = str(report)
        env.pop("CUPORT_BLOCK_ORDER_SEED", None)
        if self.shuffle_blocks:
            env["CUPORT_BLOCK_ORDER_SEED"] = str(request.seed)
        env["ASAN_OPTIONS"] = f"exitcode={EXIT_ASAN}:detect_leaks=0:detect_stack_use_after_return=0"
        env["UBSAN_OPTIONS"] = f"exitcode={EXIT_ASAN}:print_stacktrace=1"
        return env

    def _execute(self, prepared: PreparedCuda, request: RunRequest, req_path: Path, data_path: Path, report_path: Path) -> RunOutcome:
        cmd = [str(prepared.executable), "--run", str(req_path), str(data_path)]
        return run_process(cmd, self._env(request, report_path), report_path, request.timeout_s, what=request.launch.kernel)


def parse_report(path: Path) -> list[tuple[str, str]]:
    """The driver's report lines: (kind, text) with kind in elapsed, cpu, sample (one per repeated
    launch), diag, deadlock, error, trap."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        kind, _, text = line.partition("\t")
        out.append((kind, text.replace("\\n", "\n").replace("\\\\", "\\")))
    return out


def report_diagnostics(report: list[tuple[str, str]]) -> tuple[Diagnostic, ...]:
    out = []
    for kind, text in report:
        if kind == "diag" and text.startswith("CR003"):
            m = re.search(r"count=(\d+)", text)
            out.append(diag("CR003", None, count=m.group(1) if m else "?"))
    return tuple(out)


def run_process(cmd: list[str], env: dict[str, str], report_path: Path, timeout_s: float, what: str,
                cwd: Path | None = None, stdin: bytes | None = None) -> RunOutcome:
    """Run one driver process in its own process group; map its ending to a RunOutcome.

    The outcome's message holds the reason; `stdout`/`stderr` of the process are attached as
    attributes `stdout` and `stderr` (bytes) for callers that want them."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, start_new_session=True,
                            preexec_fn=limit_resources)
    try:
        out, err = proc.communicate(input=stdin, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        outcome = RunOutcome("timeout", message=f"{what}: no result after {timeout_s:g} s (killed)",
                             diagnostics=(diag("CR002", None, reason=f"timed out after {timeout_s:g} s"),))
        outcome.elapsed_s = time.perf_counter() - start
        _attach(outcome, out, err, proc.returncode)
        return outcome
    wall = time.perf_counter() - start
    report = parse_report(report_path)
    diags = report_diagnostics(report)
    elapsed = next((float(t) for k, t in report if k == "elapsed"), wall)
    cpu = next((float(t) for k, t in report if k == "cpu"), None)
    samples = [float(t) for k, t in report if k == "sample"]
    stderr_text = err.decode("utf-8", errors="replace")
    rc = proc.returncode
    fatal = next(((k, t) for k, t in report if k in ("deadlock", "error", "trap")), None)
    if rc == 0:
        outcome = RunOutcome("ok", diagnostics=diags, elapsed_s=elapsed)
    elif rc == EXIT_DEADLOCK and fatal:
        status = "deadlock" if fatal[0] == "deadlock" else "error"
        outcome = RunOutcome(status, message=fatal[1], diagnostics=diags + (diag("CR002", None, reason=fatal[1].splitlines()[0]),))
    elif rc == EXIT_TRAP and fatal:
        outcome = RunOutcome("crash", message=fatal[1], diagnostics=diags + (diag("CR002", None, reason=fatal[1].splitlines()[0]),))
    elif rc == EXIT_ASAN:
        summary = _sanitizer_summary(stderr_text)
        outcome = RunOutcome("crash", message=f"sanitizer: {summary}",
                             diagnostics=diags + (diag("CR002", None, reason=f"sanitizer: {summary}"),))
    elif rc < 0:
        name = _signal_name(-rc)
        outcome = RunOutcome("crash", message=f"{what}: killed by {name}",
                             diagnostics=diags + (diag("CR002", None, reason=f"crashed ({name})"),))
    else:
        reason = (fatal[1] if fatal else stderr_text.strip()[-800:]) or f"exit code {rc}"
        outcome = RunOutcome("error", message=reason, diagnostics=diags + (diag("CR002", None, reason=reason.splitlines()[0]),))
    outcome.elapsed_s = elapsed if rc == 0 else wall
    outcome.samples_s = samples if rc == 0 else []
    # CPU seconds of the launch, all workers together (None when the driver did not report them)
    outcome.cpu_s = cpu if rc == 0 else None  # type: ignore[attr-defined]
    _attach(outcome, out, err, rc)
    return outcome


def _attach(outcome: RunOutcome, out: bytes, err: bytes, rc: int | None) -> None:
    outcome.stdout = out  # type: ignore[attr-defined]
    outcome.stderr = err  # type: ignore[attr-defined]
    outcome.exit_code = rc  # type: ignore[attr-defined]


_UBSAN_LINE = re.compile(r"^(?P<loc>.+?:\d+(?::\d+)?): runtime error: (?P<what>.*)$")
_FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in .*? (?P<loc>/\S+?:\d+)(?::\d+)?$")


def _user_frame(stderr: str) -> str | None:
    """The first stack frame of a sanitizer report that is in the user's code: not the runtime's
    own files and not the compiler's headers."""
    runtime = str(Path(__file__).resolve().parent / "runtime")
    for line in stderr.splitlines():
        m = _FRAME.match(line)
        if m and not m.group("loc").startswith((runtime, "/usr/")):
            return m.group("loc")
    return None


def _sanitizer_summary(stderr: str) -> str:
    """One line: what the sanitizer found and where in the user's source (file:line[:col])."""
    for line in stderr.splitlines():
        m = _UBSAN_LINE.match(line.strip())
        if m:
            return f"{m.group('what').strip()} at {m.group('loc')}"
    for line in stderr.splitlines():
        if "ERROR: AddressSanitizer" in line:
            what = line.split("ERROR: ", 1)[-1].strip()
            what = re.sub(r" on address 0x[0-9a-f]+.*$", "", what)
            where = _user_frame(stderr)
            return f"{what} at {where}" if where else what
    for line in stderr.splitlines():
        if line.startswith("SUMMARY:"):
            return line[len("SUMMARY:"):].strip()
    return stderr.strip().splitlines()[-1] if stderr.strip() else "error"
