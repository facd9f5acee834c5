"""triton.idiom.rows declines what its model cannot express: each variant below changes one thing
in a block-per-row softmax-like kernel, and the port must then come from the other rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.source import SourceText
from cuport.targets.base import PortRequest
from cuport.targets.triton import TARGET

# a block-per-row sum with a shared tree; the variants replace the marked pieces
KERNEL = """
__global__ void k(const float *x, float *y, int cols) {
    __shared__ float red[128];
    int t = threadIdx.x;
    const float *xr = x + blockIdx.x * cols;
    float acc = INIT;
    for (int c = t; c < cols; c += STRIDE)
        FOLD;
    red[t] = acc;
    __syncthreads();
    for (int s = 64; s > 0; s >>= 1) {
        if (t < s)
            TREE;
        __syncthreads();
    }
    for (int c = t; c < cols; c += STRIDE)
        y[blockIdx.x * cols + c] = OUT;
}
"""
BASE = {"INIT": "0.0f", "STRIDE": "128", "FOLD": "acc += expf(xr[c])", "TREE": "red[t] += red[t + s]",
        "OUT": "expf(xr[c]) / red[0]"}


def _rules(**changes: str) -> tuple[str, ...]:
    text = KERNEL
    for key, value in {**BASE, **changes}.items():
        text = text.replace(key, value)
    result = TARGET.port_file(SourceText.from_text("k.cu", text), PortRequest(Path("k.cu")))
    assert result.files, [p.reason for p in result.kernels]
    return result.kernels[0].rules


def test_the_base_kernel_is_a_row_kernel() -> None:
    assert "triton.idiom.rows" in _rules()


@pytest.mark.parametrize("changes", [
    {"INIT": "1.0f"},  # each CUDA thread adds the start once: not one program's partials
    {"TREE": "red[t] = fmaxf(red[t], red[t + s])"},  # a max over per-thread sums
    {"OUT": "expf(xr[c]) / acc"},  # the thread's own partial
    {"FOLD": "{ acc += xr[c]; y[0] = 1.0f; }"},  # every iteration writes one address
    {"STRIDE": "64"},  # the loops cover 64 threads, the tree 128
    {"FOLD": "acc = acc * xr[c]"},  # not a fold the reductions know
    {"STRIDE": "t + 1"},  # not a column loop
], ids=["sum-from-one", "max-tree-of-sums", "own-partial", "one-address", "stride-not-tree", "product", "odd-stride"])
def test_declines(changes: dict[str, str]) -> None:
    assert "triton.idiom.rows" not in _rules(**changes)


def test_launcher_refuses_a_block_the_tree_was_not_written_for() -> None:
    text = KERNEL
    for key, value in BASE.items():
        text = text.replace(key, value)
    result = TARGET.port_file(SourceText.from_text("k.cu", text), PortRequest(Path("k.cu")))
    launcher = result.files[0].content
    assert "if not (bx == 128):" in launcher
