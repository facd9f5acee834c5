"""The Runner for target "triton": a Triton port run under `TRITON_INTERPRET=1` on the CPU, or
compiled for real when a GPU is present (`TritonRunner(gpu=True)`).

prepare reads the port's literal tables (KERNELS, SIGNATURES, SYMBOLS) with `ast`, never by
importing it, and checks its imports (torch and triton only). run hands the launch to a worker
process that imported torch and triton once (seconds) and forks one child per run: the child
imports the port, wraps the whole allocations (guard zones included) as tensors whose payload
views the kernel sees, launches, and writes the allocations back. The interpreter does no bounds
checks, so a write past a payload lands in the guard zone where the harness finds it. The parent
enforces the timeout and kills the worker's process group when it expires.

Timing covers the launch only (and, on a GPU, the kernel between CUDA events after an L2 flush):
`RunRequest.repeat` launches run in the one child, every allocation restored before each, untimed.

Under the interpreter `libdevice` functions cannot run; the child replaces them with numpy
equivalents (`_SHIM`) before importing the port.
"""

from __future__ import annotations

import ast
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cuport.diagnostics import diag
from cuport.verify.protocol import Artifact, ParamType, RunOutcome, RunRequest
from cuport.verify.sandbox import candidate_env, limit_resources

_ALLOWED_IMPORTS = {"torch", "triton", "triton.language", "triton.language.extra", "math"}


@dataclass
class PreparedTriton:
    artifact: Artifact
    kernels: dict[str, str]
    signatures: dict[str, list[ParamType]]
    symbols: dict[str, str]


def read_tables(text: str) -> dict[str, object] | str:
    """The port's literal tables, or why they cannot be read (also rejects foreign imports)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return f"the port is not valid Python: line {exc.lineno}: {exc.msg}"
    tables: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            bad = [n for n in names if n not in _ALLOWED_IMPORTS]
            if bad:
                return f"the port imports {', '.join(bad)} (only torch and triton are allowed)"
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("KERNELS", "SIGNATURES", "SYMBOLS"):
                try:
                    tables[name] = ast.literal_eval(node.value)
                except ValueError:
                    return f"the port's {name} table is not a literal"
    missing = [n for n in ("KERNELS", "SIGNATURES") if n not in tables]
    if missing:
        return f"the port has no {' or '.join(missing)} table"
    return tables


@dataclass
class TritonRunner:
    gpu: bool = False
    timeout_default: float = 60.0
    target: str = "triton"
    _worker: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def device(self) -> str:
        if self.gpu:
            return "GPU: Triton compiled (CUDA)"
        return "CPU: Triton interpreter (TRITON_INTERPRET=1)"

    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> PreparedTriton | RunOutcome:
        try:
            text = Path(artifact.path).read_text("utf-8")
        except OSError as exc:
            return RunOutcome("compile_error", message=f"cannot read the port: {exc}")
        tables = read_tables(text)
        if isinstance(tables, str):
            return RunOutcome("compile_error", message=tables, diagnostics=(diag("CT003", None, reason=tables),))
        known = tables["KERNELS"]
        assert isinstance(known, dict)
        absent = [k for k in kernels if k not in known]
        if absent:
            reason = f"the port has no kernel {', '.join(absent)} (it has {', '.join(known) or 'none'})"
            return RunOutcome("compile_error", message=reason, diagnostics=(diag("CT003", None, reason=reason),))
        sigs_raw = tables["SIGNATURES"]
        assert isinstance(sigs_raw, dict)
        sigs = {k: [ParamType(kind, dtype, bool(const)) for kind, dtype, const in v] for k, v in sigs_raw.items()}
        syms = tables.get("SYMBOLS", {})
        return PreparedTriton(artifact, dict(known), sigs, dict(syms) if isinstance(syms, dict) else {})

    def signature(self, prepared: PreparedTriton, kernel: str) -> list[ParamType]:  # type: ignore[override]
        return prepared.signatures[kernel]

    def symbol_dtype(self, prepared: PreparedTriton, name: str) -> str | None:
        return prepared.symbols.get(name)

    # --- running -----------------------------------------------------------------------------------

    def run(self, prepared: PreparedTriton, request: RunRequest) -> RunOutcome:  # type: ignore[override]
        with tempfile.TemporaryDirectory(prefix="cuport-triton-run-", dir=_scratch_dir()) as tmp:
            job = self._write_job(Path(tmp), prepared, request)
            start = time.monotonic()
            status, message = self._dispatch(job, request.timeout_s)
            elapsed = time.monotonic() - start
            if status != "ok":
                return RunOutcome(status, message=message, elapsed_s=elapsed)  # type: ignore[arg-type]
            buffers: list[np.ndarray | None] = []
            for i, a in enumerate(request.args):
                if isinstance(a, int | float):
                    buffers.append(None)
                else:
                    buffers.append(np.fromfile(Path(tmp) / f"arg{i}.bin", dtype=np.uint8))
            samples_file = Path(tmp) / "samples.json"
            samples = [float(t) for t in json.loads(samples_file.read_text("utf-8"))] if samples_file.exists() else []
            # the kernel's own time when the worker measured it; the whole forked run otherwise
            return RunOutcome("ok", buffers=buffers, message=message, elapsed_s=samples[-1] if samples else elapsed,
                              samples_s=samples)

    def _write_job(self, tmp: Path, prepared: PreparedTriton, request: RunRequest) -> Path:
        args: list[dict[str, object]] = []
        for i, a in enumerate(request.args):
            if isinstance(a, bool | int | float):
                args.append({"kind": "scalar", "value": a})
            else:
                a.data.tofile(tmp / f"arg{i}.bin")
                args.append({"kind": "buffer", "file": f"arg{i}.bin", "offset": a.offset, "nbytes": a.nbytes, "dtype": a.dtype})
        consts = {}
        for name, b in request.constants.items():
            b.payload().tofile(tmp / f"const_{name}.bin")
            consts[name] = {"file": f"const_{name}.bin", "dtype": b.dtype}
        job = {
            "module": str(Path(prepared.artifact.path).resolve()),
            "launcher": prepared.kernels[request.launch.kernel],
            "grid": list(request.launch.grid),
            "block": list(request.launch.block),
            "shared": request.launch.shared_bytes,
            "args": args,
            "constants": consts,
            "gpu": self.gpu,
            "repeat": max(int(request.repeat), 1),
        }
        path = tmp / "job.json"
        path.write_text(json.dumps(job), "utf-8")
        return path

    def _start_worker(self) -> subprocess.Popen[bytes]:
        env = candidate_env()
        if self.gpu:
            env.pop("TRITON_INTERPRET", None)
        else:
            env["TRITON_INTERPRET"] = "1"
        return subprocess.Popen(
            [sys.executable, "-m", "cuport.verify.triton_runner", "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
            preexec_fn=limit_resources,
        )

    def _dispatch(self, job: Path, timeout_s: float) -> tuple[str, str]:
        if self._worker is None or self._worker.poll() is not None:
            self._worker = self._start_worker()
        w = self._worker
        assert w.stdin is not None and w.stdout is not None
        try:
            w.stdin.write((str(job) + "\n").encode())
            w.stdin.flush()
        except BrokenPipeError:
            self._worker = None
            return "error", "the Triton worker died before the run"
        deadline = time.monotonic() + timeout_s + 30  # the first run also pays for importing torch
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([w.stdout], [], [], max(left, 0))
            if not ready:
                self.close()
                return "timeout", f"the Triton run did not finish in {timeout_s:.0f} s"
            chunk = os.read(w.stdout.fileno(), 65536)
            if not chunk:
                self.close()
                return "crash", "the Triton worker exited"
            line += chunk
        reply = json.loads(line.decode())
        return reply["status"], reply.get("message", "")

    def close(self) -> None:
        if self._worker is not None:
            try:
                os.killpg(self._worker.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._worker.wait()
            self._worker = None

    def __del__(self) -> None:
        self.close()


def _scratch_dir() -> str | None:
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


# --- the worker side (runs in its own process) ---------------------------------------------------------


def _install_shim() -> None:
    """numpy versions of the libdevice functions ports call, for the interpreter."""
    import math

    import triton.language as tl
    from triton.language.extra import libdevice
    from triton.runtime.interpreter import TensorHandle

    vec = np.vectorize
    same: dict[str, object] = {
        "tanh": np.tanh, "cbrt": np.cbrt, "expm1": np.expm1, "log10": np.log10, "log1p": np.log1p,
        "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan, "sinh": np.sinh,
        "cosh": np.cosh, "asinh": np.arcsinh, "acosh": np.arccosh, "atanh": np.arctanh,
        "round": lambda x: np.where(x >= 0, np.floor(x + 0.5), np.ceil(x - 0.5)), "trunc": np.trunc,
        "rint": np.rint, "nearbyint": np.rint, "exp10": lambda x: np.power(x.dtype.type(10), x),
        "erfc": vec(math.erfc), "lgamma": vec(math.lgamma), "tgamma": vec(math.gamma),
        "pow": np.power, "atan2": np.arctan2, "fmod": np.fmod, "hypot": np.hypot, "copysign": np.copysign,
    }  # fmt: skip
    boolean = {"isnan": np.isnan, "isinf": np.isinf, "isfinited": np.isfinite}

    def popc(x: np.ndarray) -> np.ndarray:
        u = x.view(np.uint64 if x.dtype.itemsize == 8 else np.uint32)
        return np.array([bin(int(v)).count("1") for v in u.ravel()], dtype=np.int32).reshape(x.shape)

    def clz(x: np.ndarray) -> np.ndarray:
        bits = x.dtype.itemsize * 8
        u = x.view(np.uint64 if bits == 64 else np.uint32)
        return np.array([bits - int(v).bit_length() for v in u.ravel()], dtype=np.int32).reshape(x.shape)

    def ffs(x: np.ndarray) -> np.ndarray:
        u = x.view(np.uint64 if x.dtype.itemsize == 8 else np.uint32)
        return np.array([(int(v) & -int(v)).bit_length() for v in u.ravel()], dtype=np.int32).reshape(x.shape)

    def data_of(v: object, like: np.ndarray | None) -> np.ndarray:
        if isinstance(v, tl.tensor):
            return np.asarray(v.handle.data)
        if isinstance(v, tl.constexpr):
            v = v.value
        return np.asarray(v, dtype=like.dtype if like is not None else None)

    def wrap(fn: object, kind: str):  # noqa: ANN202 - a shim of any libdevice signature
        def shim(*args: object, **_: object) -> object:
            first = next(a for a in args if isinstance(a, tl.tensor))
            like = np.asarray(first.handle.data)
            data = [data_of(a, like) for a in args]
            out = fn(*data)  # type: ignore[operator]
            if kind == "same":
                out_np, dtype = np.asarray(out).astype(like.dtype), first.dtype
            elif kind == "bool":
                out_np, dtype = np.asarray(out, dtype=np.bool_), tl.int1
            else:
                out_np, dtype = np.asarray(out, dtype=np.int32), tl.int32
            shape = first.shape
            ty = tl.block_type(dtype, shape) if shape else dtype
            return tl.tensor(TensorHandle(out_np, dtype), ty)

        return shim

    for name, fn in same.items():
        setattr(libdevice, name, wrap(fn, "same"))
    for name, fn in boolean.items():
        setattr(libdevice, name, wrap(fn, "bool"))
    for name, fn in (("popc", popc), ("clz", clz), ("ffs", ffs)):
        setattr(libdevice, name, wrap(fn, "int"))


def _torch_view(arr: np.ndarray, offset: int, nbytes: int, dtype: str, device: str):  # noqa: ANN202
    import torch

    raw = torch.from_numpy(arr[offset : offset + nbytes])
    # a buffer of user structs ("struct:Particle") is its bytes: the port loads each field from
    # its byte offset (the struct's layout), as strided loads through a cast pointer
    tdt = torch.uint8 if dtype.startswith("struct:") else getattr(torch, dtype.split("x")[0])
    view = raw.view(tdt)
    return view.to(device) if device != "cpu" else view


def _restorer(arrays: list[np.ndarray | None], views: list[object], constants: dict[str, object], device: str
              ) -> Callable[[], None]:
    """Puts every allocation (guard zones included) and constant back as the job gave it, so each
    repeated launch sees the same inputs. On the CPU the tensors view the arrays, on a GPU they are
    device copies of them."""
    saved = [None if a is None else a.copy() for a in arrays]
    if device == "cpu":
        saved_consts = {k: v.clone() for k, v in constants.items()}  # type: ignore[attr-defined]

        def put_back() -> None:
            for a, s in zip(arrays, saved, strict=True):
                if a is not None and s is not None:
                    a[:] = s
            for k, v in saved_consts.items():
                constants[k].copy_(v)  # type: ignore[attr-defined]

        return put_back
    dev_saved = [None if v is None else v.clone() for v in views]  # type: ignore[attr-defined]
    dev_consts = {k: v.clone() for k, v in constants.items()}  # type: ignore[attr-defined]

    def put_back_gpu() -> None:
        for v, s in zip(views, dev_saved, strict=True):
            if v is not None:
                v.copy_(s)  # type: ignore[attr-defined]
        for k, v in dev_consts.items():
            constants[k].copy_(v)  # type: ignore[attr-defined]

    return put_back_gpu


# bigger than any current GPU's L2 (H100: 50 MB, H200: 60 MB), so zeroing it evicts the inputs
_L2_FLUSH_BYTES = 256 << 20


def _gpu_timer() -> Callable[[Callable[[], object]], float]:
    """Times one launch with CUDA events after flushing L2, as `triton.testing.do_bench` does, but
    one launch at a time so the inputs can be restored between launches outside the timed span.
    The flush is queued before the start event: while the GPU clears the buffer, Python's launch
    overhead passes, so the events bracket the kernel's GPU time (the same method as the CUDA
    original's nvcc harness in bench_gpu.py)."""
    import torch

    flush = torch.empty(_L2_FLUSH_BYTES, dtype=torch.int8, device="cuda")

    def timed(launch: Callable[[], object]) -> float:
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        torch.cuda.synchronize()
        flush.zero_()
        start.record()
        launch()
        end.record()
        torch.cuda.synchronize()
        return start.elapsed_time(end) / 1e3

    return timed


def _run_job(job_path: Path) -> tuple[str, str]:
    import importlib.util

    job = json.loads(job_path.read_text("utf-8"))
    tmp = job_path.parent
    device = "cuda" if job["gpu"] else "cpu"
    spec = importlib.util.spec_from_file_location("cuport_triton_port", job["module"])
    if spec is None or spec.loader is None:
        return "compile_error", "cannot load the port"
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - any failure of untrusted code is a result
        return "compile_error", f"importing the port failed: {type(exc).__name__}: {exc}"
    arrays: list[np.ndarray | None] = []
    call: list[object] = []
    views = []
    for a in job["args"]:
        if a["kind"] == "scalar":
            arrays.append(None)
            call.append(a["value"])
            views.append(None)
        else:
            arr = np.fromfile(tmp / a["file"], dtype=np.uint8)
            arrays.append(arr)
            v = _torch_view(arr, a["offset"], a["nbytes"], a["dtype"], device)
            views.append(v)
            call.append(v)
    for name, c in job["constants"].items():
        arr = np.fromfile(tmp / c["file"], dtype=np.uint8)
        module.CONSTANTS[name] = _torch_view(arr, 0, arr.size, c["dtype"], device)
    launcher = getattr(module, job["launcher"])
    restore = _restorer(arrays, views, module.CONSTANTS if job["constants"] else {}, device)
    timer = _gpu_timer() if device != "cpu" else None
    samples: list[float] = []
    try:
        for r in range(max(int(job.get("repeat", 1)), 1)):
            if r:
                restore()
            if timer is None:
                start = time.perf_counter()
                launcher(*call, grid=tuple(job["grid"]), block=tuple(job["block"]), shared=job["shared"])
                samples.append(time.perf_counter() - start)
            else:
                samples.append(timer(lambda: launcher(*call, grid=tuple(job["grid"]), block=tuple(job["block"]),
                                                      shared=job["shared"])))
    except Exception as exc:  # noqa: BLE001
        text = f"{type(exc).__name__}: {exc}"
        return "error", text[-2000:]
    (tmp / "samples.json").write_text(json.dumps(samples), "utf-8")
    for i, (a, arr) in enumerate(zip(job["args"], arrays, strict=True)):
        if arr is None:
            continue
        if device != "cpu":
            import torch

            host = views[i].cpu().view(torch.uint8).numpy()
            arr[a["offset"] : a["offset"] + a["nbytes"]] = host
        arr.tofile(tmp / a["file"])
    return "ok", ""


def _serve() -> None:
    import torch  # noqa: F401 - imported once, inherited by every forked run
    import triton  # noqa: F401

    if os.environ.get("TRITON_INTERPRET") == "1":
        _install_shim()
    for line in sys.stdin:
        job = Path(line.strip())
        result_file = job.parent / "result.json"
        pid = os.fork()
        if pid == 0:
            try:
                status, message = _run_job(job)
            except BaseException as exc:  # noqa: BLE001
                status, message = "error", f"{type(exc).__name__}: {exc}"
            result_file.write_text(json.dumps({"status": status, "message": message}), "utf-8")
            os._exit(0)
        _, code = os.waitpid(pid, 0)
        if result_file.exists():
            reply = result_file.read_text("utf-8")
        else:
            sig = os.WTERMSIG(code) if os.WIFSIGNALED(code) else None
            reply = json.dumps({"status": "crash", "message": f"the run died ({'signal ' + str(sig) if sig else code})"})
        sys.stdout.write(reply + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        _serve()
