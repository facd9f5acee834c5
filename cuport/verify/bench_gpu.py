"""GPU runners for benchmarks: the original CUDA kernel built by nvcc into a timing harness
(bench_gpu_harness.cuh: CUDA events, an L2 flush and the inputs restored before every launch), and
the Triton port compiled for real (`TritonRunner(gpu=True)`, timed the same way in its child).

The harness speaks the CPU runtime driver's request/report protocol, so `CudaGpuRunner` reuses the
CPU runner's request writing, data file layout, process handling and read-back; only the build
differs. Builds are cached by content hash (source, local headers, harness, nvcc version, flags).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cuport.diagnostics import diag
from cuport.verify.build_cache import default_cache_root
from cuport.verify.cpu_cuda import _SAFE_NAME, CpuCudaRunner, PreparedCuda, kernel_table_source
from cuport.verify.protocol import Artifact, ParamType, RunOutcome
from cuport.verify.triton_runner import TritonRunner

HARNESS = Path(__file__).resolve().with_name("bench_gpu_harness.cuh")
PARAMS = HARNESS.parent / "runtime" / "cuport_params.h"  # included by the harness and the CPU runtime


@cache
def gpu_name() -> str | None:
    """The first NVIDIA GPU `nvidia-smi -L` lists, or None where there is none (or no driver)."""
    if shutil.which("nvidia-smi") is None:
        return None
    try:
        out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    first = next((ln for ln in out.stdout.splitlines() if ln.startswith("GPU ")), None)
    if out.returncode != 0 or first is None:
        return None
    return first.split(":", 1)[1].split("(UUID", 1)[0].strip()


@cache
def nvcc_version(nvcc: str = "nvcc") -> str:
    try:
        out = subprocess.run([nvcc, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except OSError:
        return "missing"
    last = [ln for ln in out.splitlines() if "release" in ln]
    return last[-1].split("release", 1)[1].split(",", 1)[0].strip() if last else "unknown"


def harness_unit(main: Path, kernels: list[str], symbols: tuple[str, ...]) -> str:
    """Harness first (it defines `main`), then the user's file with its own `main` renamed, then the
    kernel table (the CPU runtime's table, names in the harness's namespace)."""
    table = kernel_table_source(kernels, symbols)
    table = table.replace('#include "cuport_registry.h"\n', "").replace("cuport::", "cuport_gpu::")
    return (f'#include "{HARNESS}"\n#define main cuport_user_main\n#include "{main.resolve()}"\n#undef main\n' + table)


@dataclass
class CudaGpuRunner(CpuCudaRunner):
    """Original CUDA kernels on the lent NVIDIA GPU. `arch`: nvcc's -arch (native: the GPU here)."""

    nvcc: str = "nvcc"
    arch: str = "native"
    target: str = "cuda"

    @property
    def device(self) -> str:  # type: ignore[override]
        return f"GPU: {gpu_name() or 'NVIDIA (none found)'} (nvcc {nvcc_version(self.nvcc)}, CUDA events, L2 flush)"

    def flags(self, artifact: Artifact) -> list[str]:
        out = ["-O3", "-std=c++17", f"-arch={self.arch}", "-lineinfo"]
        out += [f"-D{k}={v}" if v else f"-D{k}" for k, v in artifact.defines]
        out += [f"-I{p}" for p in artifact.includes]
        return out + [f"-I{Path(artifact.path).resolve().parent}"]

    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> PreparedCuda | RunOutcome:
        bad = [k for k in (*kernels, *symbols) if not _SAFE_NAME.match(k)]
        path = Path(artifact.path)
        if bad or not path.is_file():
            reason = f"not a kernel or symbol name: {bad[0]!r}" if bad else f"no such file: {path}"
            return RunOutcome("compile_error", message=reason, diagnostics=(diag("CR001", None, reason=reason),))
        unit = harness_unit(path, kernels, symbols)
        flags = self.flags(artifact)
        key = hashlib.sha256("\0".join([unit, path.read_text("utf-8", "replace"), HARNESS.read_text("utf-8"), PARAMS.read_text("utf-8"),
                                        nvcc_version(self.nvcc), *flags]).encode()).hexdigest()[:24]
        folder = default_cache_root() / "nvcc-bench" / key
        exe, sig_file = folder / "harness", folder / "signature.json"
        cached = exe.is_file() and sig_file.is_file()
        if not cached:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=folder) as tmp:
                src, built = Path(tmp) / "unit.cu", Path(tmp) / "harness"
                src.write_text(unit, "utf-8")
                try:
                    proc = subprocess.run([self.nvcc, *flags, "-o", str(built), str(src)], capture_output=True,
                                          text=True, timeout=600, check=False)
                except (OSError, subprocess.SubprocessError) as exc:
                    return RunOutcome("compile_error", message=f"nvcc: {exc}",
                                      diagnostics=(diag("CR001", None, reason=f"nvcc: {exc}"),))
                if proc.returncode != 0:
                    log = (proc.stderr or proc.stdout)[-1500:]
                    return RunOutcome("compile_error", message=log,
                                      diagnostics=(diag("CR001", None, reason=log.strip().splitlines()[-1] if log.strip() else "nvcc failed"),))
                sig = subprocess.run([str(built), "--signature"], capture_output=True, text=True, timeout=60, check=False)
                if sig.returncode != 0:
                    return RunOutcome("error", message=f"the harness cannot describe its kernels: {sig.stderr[-400:]}")
                Path(tmp, "signature.json").write_text(sig.stdout, "utf-8")
                built.replace(exe)
                Path(tmp, "signature.json").replace(sig_file)
        sig = json.loads(sig_file.read_text("utf-8"))
        signatures = {k["name"]: [ParamType(p["kind"], p["dtype"], bool(p["const"])) for p in k["params"]]
                      for k in sig["kernels"]}
        return PreparedCuda(
            artifact=artifact, executable=exe, kernels=tuple(kernels), symbols=tuple(symbols),
            signatures=signatures,
            param_sizes={k["name"]: [int(p["size"]) for p in k["params"]] for k in sig["kernels"]},
            symbol_sizes={s["name"]: int(s["size"]) for s in sig["symbols"]}, cached=cached,
        )


def gpu_runners() -> tuple[CudaGpuRunner, TritonRunner] | None:
    """The original's and the Triton port's GPU runners, when a GPU is here; None otherwise."""
    if gpu_name() is None:
        return None
    return CudaGpuRunner(), TritonRunner(gpu=True)
