"""Compile check of HIP ports with the HIP toolchain (no GPU needed: `--genco` emits a code object).

Always `HIP_PLATFORM=amd` and `--offload-arch=gfx90a`; ports target modern HIP, so the toolchain
here (Debian's HIP 5.2) gets `compat/cuport_hip_compat.h` force-included for the newer APIs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

COMPAT_HEADER = Path(__file__).resolve().parent / "compat" / "cuport_hip_compat.h"
DEFAULT_ARCH = "gfx90a"


@dataclass(frozen=True)
class CompileCheck:
    ok: bool
    seconds: float
    log: str  # compiler output (errors first)

    @property
    def first_error(self) -> str:
        for line in self.log.splitlines():
            if "error:" in line:
                return line.strip()
        return self.log.strip().splitlines()[-1] if self.log.strip() else ""


def hipcc_path() -> str | None:
    return shutil.which("hipcc")


def compile_check(path: Path, *, includes: tuple[Path, ...] = (), defines: tuple[tuple[str, str], ...] = (),
                  arch: str = DEFAULT_ARCH, timeout_s: float = 300.0, compat: bool = True) -> CompileCheck:
    """Compile one HIP source file to a code object; never raises for a bad port."""
    hipcc = hipcc_path()
    if hipcc is None:
        return CompileCheck(False, 0.0, "hipcc not found (apt-get install hipcc libamdhip64-dev)")
    env = dict(os.environ, HIP_PLATFORM="amd")
    with tempfile.TemporaryDirectory(prefix="cuport-hipcc-") as tmp:
        cmd = [hipcc, "--genco", f"--offload-arch={arch}", "-x", "hip", "-std=c++17", "-w"]
        if compat:
            cmd += ["-include", str(COMPAT_HEADER)]
        cmd += [f"-I{p}" for p in includes] + [f"-D{k}={v}" if v != "" else f"-D{k}" for k, v in defines]
        cmd += [str(path), "-o", str(Path(tmp) / "out.co")]
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", env=env, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return CompileCheck(False, time.perf_counter() - start, f"hipcc timed out after {timeout_s:g} s")
        return CompileCheck(proc.returncode == 0, time.perf_counter() - start, proc.stderr + proc.stdout)
