"""CUDA functions named like OpenCL built-ins (helper_math.h's `dot` and `clamp` on float3, a kernel
called `step`) would redeclare the built-in in OpenCL C: the port renames them and still passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

KERNEL = """
__device__ float dot(float3 a, float3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
__device__ float clamp(float v, float lo, float hi) { return fminf(fmaxf(v, lo), hi); }
__global__ void step(const float3* a, const float3* b, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = clamp(dot(a[i], b[i]), -1.0f, 1.0f);
}
"""

SPEC = """
[step]
grid = "cdiv(n, 64)"
block = 64
sizes = { n = [1, 100] }
args = [{ len = "n", init = "uniform(-1, 1)" }, { len = "n", init = "uniform(-1, 1)" }, { len = "n", out = true }, "n"]
"""


def test_functions_named_like_opencl_builtins_are_renamed(tmp_path: Path) -> None:
    (tmp_path / "k.cu").write_text(KERNEL)
    (tmp_path / "k.cuport.toml").write_text(SPEC)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "cuport", "port", str(tmp_path / "k.cu"), "--to", "opencl", "-o", str(out), "--verify"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    cl = (out / "opencl" / "k.cl").read_text()
    assert "__kernel void step_(" in cl and "float dot_(" in cl and "float clamp_(" in cl, cl
    assert "pass" in text.lower(), text
