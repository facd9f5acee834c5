"""Property tests: read + parse + inventory never raise, on any bytes and on damaged CUDA, and
whatever they report points inside the file."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuport.parse.cst import parse_cst
from cuport.parse.inventory import FileInventory, inventory
from cuport.parse.reader import decode_source, read_source
from cuport.result import Ok

KERNEL = b"""#include <cuda_runtime.h>
#define BLOCK 256
__constant__ float coef[4];
namespace ns {
template <typename T, int N = 4>
static __global__ void __launch_bounds__(BLOCK) scale(const T *__restrict__ in, T *out, int n) {
  __shared__ T tile[BLOCK];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) { tile[threadIdx.x] = in[i] * coef[i % N]; }
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) out[i] += __shfl_down_sync(0xffffffff, tile[threadIdx.x], s);
}
}
__host__ __device__ inline float sq(float x) { return x * x; }
void launch(float *a, float *b, int n) {
  ns::scale<float><<<(n + BLOCK - 1) / BLOCK, BLOCK, 0>>>(a, b, n);
  cudaLaunchKernel((void *)ns::scale<float>, 1, BLOCK, nullptr, 0, 0);
}
"""
TOKENS = re.findall(rb"\w+|<<<|>>>|::|\S|\s+", KERNEL)
NOISE = [b"{", b"}", b"(", b")", b";", b"__global__", b"__device__", b"<<<", b">>>", b"#if X\n", b"#endif\n",
         b"template <", b'"', b"/*", b"\\\n", b"\xff", b"\x00", b"'", b"#define", b"extern \"C\" {"]


def check(inv: FileInventory, size: int) -> None:
    for f in inv.functions:
        assert 0 <= f.start <= f.span.start <= f.span.end <= f.end <= size
        if f.body_start is not None:
            assert f.body_end is not None and f.start <= f.body_start < f.body_end <= f.end
        assert f.span.line >= 1 and f.span.col >= 1
    for item in (*inv.globals, *inv.includes, *inv.launches, *inv.problems):
        assert 0 <= item.span.start <= item.span.end <= size
    assert len(inv.diagnostics) == len(inv.problems)


def run(data: bytes) -> FileInventory:
    r = decode_source("fuzz.cu", data)
    inv = inventory(r.value, parse_cst(r.value))
    check(inv, len(r.value.data))
    return inv


def test_the_seed_kernel_is_clean() -> None:
    inv = run(KERNEL)
    assert inv.problems == ()
    assert [k.qualified_name for k in inv.kernels] == ["ns::scale"]
    assert [f.name for f in inv.device_functions] == ["sq"]
    assert [(s.callee, s.via) for s in inv.launches] == [("ns::scale", "<<<>>>"), ("ns::scale", "cudaLaunchKernel")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes(data: bytes) -> None:
    run(data)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("{}()<>[];,*&#:\"'/\\\n _aZ0") + ["__global__", "__device__", "<<<"]),
                max_size=200))
def test_cuda_like_punctuation(pieces: list[str]) -> None:
    run("".join(pieces).encode())


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    tokens = list(TOKENS)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        i = draw(st.integers(0, len(tokens) - 1))
        if op == "delete" and len(tokens) > 1:
            del tokens[i]
        elif op == "duplicate":
            tokens.insert(i, tokens[i])
        elif op == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens.insert(i, draw(st.sampled_from(NOISE)))
    return b"".join(tokens)


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_mutated_kernel(data: bytes) -> None:
    run(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=512))
def test_through_the_file_system(tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "x.cu"
    f.write_bytes(data)
    r = read_source(f)
    if isinstance(r, Ok):
        check(inventory(r.value, parse_cst(r.value)), len(r.value.data))
