"""Which corpus kernels go through which idiomatic rule (a rule that stops matching, or starts
matching something new, must update this table), and that every rule declines elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cuport.parse.reader import read_source
from cuport.targets.base import PortRequest
from cuport.targets.triton import TARGET

sys.path.insert(0, str(Path(__file__).parents[1] / "corpus"))
from corpus_cases import CASES  # noqa: E402

IDIOMS = {
    "activations.cu::gelu_tanh": "triton.idiom.elementwise",
    "activations.cu::stable_sigmoid": "triton.idiom.elementwise",
    "saxpy.cu::saxpy": "triton.idiom.elementwise",
    "vector_math.cu::vec_add": "triton.idiom.elementwise",
    "vector_math.cu::axpby_int": "triton.idiom.elementwise",
    "vector_math.cu::leaky_relu_clamp": "triton.idiom.elementwise",
    "grid_stride.cu::scale_shift_gridstride": "triton.idiom.elementwise",
    "grid_stride.cu::copy_negate_i64": "triton.idiom.elementwise",
    # elementwise-shaped kernels of other corpus groups (independent per element, atomics included)
    "atomics.cu::atomic_max_int": "triton.idiom.elementwise",
    "constant_memory.cu::conv1d_const": "triton.idiom.elementwise",
    "constant_memory.cu::poly_eval": "triton.idiom.elementwise",
    "double_int64.cu::mix_hash_i64": "triton.idiom.elementwise",
    "gemv_double.cu::gemv_double": "triton.idiom.elementwise",
    "half_ops.cu::haxpy": "triton.idiom.elementwise",
    "half_ops.cu::half2_mul_add": "triton.idiom.elementwise",
    "float4_ops.cu::scale_float4": "triton.idiom.elementwise",
    "histogram.cu::histogram_global": "triton.idiom.elementwise",
    "spmv.cu::spmv_coo_atomic": "triton.idiom.elementwise",
    "spmv.cu::spmv_ell": "triton.idiom.elementwise",
    "matmul.cu::matmul_tiled": "triton.idiom.matmul",
    "matmul.cu::matmul_naive": "triton.idiom.matmul",
    "batched_matmul.cu::batched_matmul": "triton.idiom.matmul",
    "warp_scan.cu::warp_inclusive_scan": "triton.idiom.scan",
    "block_scan.cu::scan_hillis_steele": "triton.idiom.scan",
    "block_scan.cu::scan_blelloch": "triton.idiom.scan",
    "shared_tree_sum.cu::block_sum_shared": "triton.idiom.block_reduce",
    "atomics.cu::atomic_sum_float": "triton.idiom.block_reduce",
    "double_int64.cu::dot_double": "triton.idiom.block_reduce",
    "softmax.cu::softmax_rows_block": "triton.idiom.rows",
    "softmax.cu::softmax_rows_warp": "triton.idiom.rows",
    "row_norms.cu::log_softmax_rows_warp": "triton.idiom.rows",
    "row_norms.cu::rmsnorm_rows_block": "triton.idiom.rows",
    "shuffle_width.cu::group_max_width16": "triton.idiom.warp_reduce",
    "shuffle_width.cu::group_sum_width8": "triton.idiom.warp_reduce",
    "spmv.cu::spmv_csr_vector": "triton.idiom.warp_reduce",
    "warp_shuffle_sum.cu::warp_sum_shuffle": "triton.idiom.warp_reduce",
    "cg_tiles.cu::cg_tile_reduce": "triton.idiom.warp_reduce",
}


def _rules() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for path in sorted({c.entry.source for c in CASES}):
        result = TARGET.port_file(read_source(path).value, PortRequest(path))
        for k in result.kernels:
            out[f"{path.name}::{k.kernel}"] = k.rules
    return out


@pytest.fixture(scope="module")
def rules() -> dict[str, tuple[str, ...]]:
    return _rules()


@pytest.mark.parametrize("key", sorted(IDIOMS))
def test_kernel_goes_through_its_idiom(key: str, rules: dict[str, tuple[str, ...]]) -> None:
    assert IDIOMS[key] in rules[key], rules[key]


def test_idioms_match_nothing_else(rules: dict[str, tuple[str, ...]]) -> None:
    extra = {k: r for k, r in rules.items() if any(x.startswith("triton.idiom.") for x in r) and k not in IDIOMS}
    assert not extra
