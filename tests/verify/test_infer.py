"""`cuport spec`: proposals for simple kernels load as specs and match the kernel signature."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.cli import main
from cuport.parse.cst import parse_cst
from cuport.parse.inventory import inventory
from cuport.source import SourceText
from cuport.verify import infer
from cuport.verify.protocol import ParamType
from cuport.verify.spec import check_signature, parse_spec

KERNELS = """\
__global__ void scale(const float* __restrict__ x, float* y, float a, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i];
}
__global__ void accumulate(const double* x, double* y, int count) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) y[i] += x[i];
}
__global__ void total(const int* x, unsigned long long* sum, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) atomicAdd(sum, (unsigned long long)x[i]);
}
__global__ void add2d(const float* a, float* b, int width, int height) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r < height && c < width) b[r * width + c] = a[r * width + c] + 1.0f;
}
template <typename T, int B>
__global__ void tcopy(const T* x, T* y, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) y[i] = x[i];
}
#define BLOCK 128
__global__ void partial_max(const int* x, int* partial, int* best, int n) {
    __shared__ int s[BLOCK];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    s[threadIdx.x] = i < n ? x[i] : 0;
    __syncthreads();
    if (threadIdx.x == 0) { partial[blockIdx.x] = s[0]; atomicMax(best, s[0]); }
}
__global__ void vec4(const float4* x, float4* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = x[i];
}
"""


@pytest.fixture(scope="module")
def proposals() -> dict[str, infer.Proposal]:
    src = SourceText.from_text("k.cu", KERNELS)
    return {p.kernel: p for p in infer.propose(src, inventory(src, parse_cst(src)))}


def _spec(proposals: dict[str, infer.Proposal], tmp_path: Path):  # noqa: ANN202
    return parse_spec(infer.render(list(proposals.values()), "k.cu"), tmp_path / "k.cuport.toml")


def test_every_proposal_is_a_valid_spec(proposals: dict[str, infer.Proposal], tmp_path: Path) -> None:
    spec = _spec(proposals, tmp_path)
    assert set(spec.kernels) == {"scale", "accumulate", "total", "add2d", "tcopy<float, 256>", "vec4", "partial_max"}


def test_one_d_kernel(proposals: dict[str, infer.Proposal], tmp_path: Path) -> None:
    k = _spec(proposals, tmp_path).kernels["scale"]
    assert k.grid[0] == "cdiv(n, 256)" and k.sizes["n"] == (1, 257, 10007)
    a = k.args
    assert a[0].kind == "buffer" and a[0].init == "uniform(-1, 1)"
    assert a[1].kind == "buffer" and a[1].init is None and a[1].out  # written only: poisoned
    assert a[2].kind == "random" and a[3].kind == "size"
    sig = [ParamType("pointer", "float32", True), ParamType("pointer", "float32"), ParamType("scalar", "float32"), ParamType("scalar", "int32")]
    assert check_signature(k, sig) == []


def test_read_modify_write_and_atomics(proposals: dict[str, infer.Proposal], tmp_path: Path) -> None:
    spec = _spec(proposals, tmp_path)
    acc = spec.kernels["accumulate"].args[1]
    assert acc.init == "uniform(-1, 1)" and acc.out
    tot = spec.kernels["total"].args[1]
    assert tot.length == 1 and tot.init == "zeros" and tot.out


def test_two_d_kernel(proposals: dict[str, infer.Proposal], tmp_path: Path) -> None:
    k = _spec(proposals, tmp_path).kernels["add2d"]
    assert k.block == (16, 16, 1) and k.grid[:2] == ("cdiv(width, 16)", "cdiv(height, 16)")
    assert k.args[0].length == "height * width"


def test_templates_and_grid_stride_are_marked_guessed(proposals: dict[str, infer.Proposal]) -> None:
    p = proposals["tcopy<float, 256>"]
    assert any("template arguments" in g for g in p.guessed)
    assert any("grid-stride" in line for line in p.lines)
    assert not proposals["scale"].guessed


def test_vector_types() -> None:
    src = SourceText.from_text("v.cu", KERNELS)
    decl = next(k for k in inventory(src, parse_cst(src)).kernels if k.name == "vec4")
    assert infer.param_guess(decl.params[0]).dtype == "float32x4"
    assert infer.param_guess(decl.params[0]).const


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "k.cu"
    f.write_text(KERNELS)
    assert main(["spec", str(f), "--kernel", "scale"]) == 0
    out = capsys.readouterr().out
    assert "[scale]" in out and "[add2d]" not in out
    assert main(["spec", str(f), "--kernel", "nope"]) == 2
    assert "CS004" in capsys.readouterr().err
    assert main(["spec", str(tmp_path / "missing.cu")]) == 2


def test_block_constant_per_block_outputs_and_maxima(proposals: dict[str, infer.Proposal], tmp_path: Path) -> None:
    k = _spec(proposals, tmp_path).kernels["partial_max"]
    assert k.block[0] == 128 and k.grid[0] == "cdiv(n, 128)"
    assert k.args[0].init == "randint(-1000000, 1000000)"
    assert k.args[1].length == "cdiv(n, 128)" and k.args[1].init is None
    assert k.args[2].length == 1 and k.args[2].init == "fill(-2000000)"
