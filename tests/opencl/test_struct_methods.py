"""A kernel using a class with a constructor, methods and a member operator, through `cuport port`:
OpenCL ports it (struct definitions printed, methods as functions) and passes verification; Triton
refuses it with a reason that names the struct."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

KERNEL = """
class Counter {
 public:
  unsigned int state;
  int step = 3;
  __device__ Counter(unsigned int seed) { state = seed; }
  __device__ int next() {
    state = state * 1103515245u + step;
    return (int)(state >> 16);
  }
  __device__ int operator()() { return next() & 255; }
};

typedef struct {
  float x;
  float y;
} Pair;

__global__ void draw(int* out, const float* ys, float* sums) {
  Counter c(threadIdx.x);
  int first = c.next();
  out[threadIdx.x] = first + c();
  Pair p = {ys[threadIdx.x], 1.0f};
  sums[threadIdx.x] = p.x + p.y;
}
"""

SPEC = """
[draw]
grid = 1
block = 64
args = [{ len = 64, out = true }, { len = 64, init = "uniform(-1, 1)" }, { len = 64, out = true }]
"""


@pytest.fixture
def ported(tmp_path: Path) -> tuple[str, Path]:
    (tmp_path / "draw.cu").write_text(KERNEL)
    (tmp_path / "draw.cuport.toml").write_text(SPEC)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "cuport", "port", str(tmp_path / "draw.cu"), "--to", "opencl,triton", "-o", str(out),
         "--verify"], capture_output=True, text=True, timeout=300, check=False,
    )
    return proc.stdout + proc.stderr, out


def test_struct_methods_port_to_opencl_and_pass(ported: tuple[str, Path]) -> None:
    text, out = ported
    assert any(line.startswith("PASS") and "[opencl]" in line for line in text.splitlines()), text
    cl = next(out.rglob("draw.cl")).read_text()
    assert "typedef struct Counter {" in cl and "Counter_next" in cl


def test_struct_methods_refused_by_triton_with_reason(ported: tuple[str, Path]) -> None:
    text, _ = ported
    assert "values of type struct Counter are not supported by the Triton lowering" in text, text
