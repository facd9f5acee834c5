"""The CPU runtime's CUB shim (cuport/verify/runtime/cub/) against numpy, and the same kernels
ported to OpenCL through the IR lowering of CUB (cuport/parse/lower_cub*.py), verified against
the CPU run of the original."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from cuport.parse.reader import read_source
from cuport.targets.base import PortRequest
from cuport.targets.opencl import TARGET
from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.differential import verify_kernel
from cuport.verify.protocol import Artifact, Launch, RunOutcome, RunRequest
from cuport.verify.spec import load_spec

from .conftest import buffer, empty, payload

SOURCE = Path(__file__).parent / "cub" / "cub_collectives.cu"
KERNELS = ["block_sum_max", "tile_scan", "block_inclusive", "warp_sum_scan"]


@pytest.fixture(scope="module")
def cub_suite(runner: CpuCudaRunner) -> PreparedCuda:
    prepared = runner.prepare(Artifact(SOURCE, "cuda"), KERNELS)
    assert isinstance(prepared, PreparedCuda), prepared
    return prepared


def run(runner: CpuCudaRunner, suite: PreparedCuda, kernel: str, grid: int, block: tuple[int, int, int], args: list) -> RunOutcome:
    out = runner.run(suite, RunRequest(Launch(kernel, (grid, 1, 1), block, 0), args, timeout_s=20))
    assert out.status == "ok", out.message
    return out


def test_block_reduce_2d_sum_and_max(runner, cub_suite):
    blocks = 3
    x = np.random.default_rng(1).uniform(-1, 1, blocks * 64).astype(np.float32)
    out = run(runner, cub_suite, "block_sum_max", blocks, (16, 4, 1), [buffer(x), empty(blocks, "float32"), empty(blocks, "float32")])
    tiles = x.reshape(blocks, 64)
    np.testing.assert_allclose(payload(out.buffers[1], "float32"), tiles.sum(axis=1, dtype=np.float64), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(payload(out.buffers[2], "float32"), tiles.max(axis=1))


@pytest.mark.parametrize("n", [1, 130, 300])
def test_load_scan_store_of_tiles(runner, cub_suite, n):
    """Blocked load (tail padded with 0), exclusive sum with the tile total, striped store."""
    x = np.random.default_rng(n).integers(-50, 50, n).astype(np.int32)
    tiles = -(-n // 128)
    out = run(runner, cub_suite, "tile_scan", tiles, (32, 1, 1), [buffer(x), empty(n, "int32"), empty(tiles, "int32"), n])
    padded = np.zeros(tiles * 128, np.int64)
    padded[:n] = x
    want = np.zeros(tiles * 128, np.int64)
    totals = []
    for t in range(tiles):
        tile = padded[t * 128:(t + 1) * 128]
        scan = np.concatenate([[0], np.cumsum(tile)[:-1]])  # exclusive: thread 0's first item gets 0
        # thread r's item i sits at r*4 + i in the scan; the striped store writes it at i*32 + r
        blocked = scan.reshape(32, 4)
        want[t * 128:(t + 1) * 128] = blocked.T.reshape(-1)
        totals.append(tile.sum())
    np.testing.assert_array_equal(payload(out.buffers[1], "int32"), want[:n])
    np.testing.assert_array_equal(payload(out.buffers[2], "int32"), totals)


def test_block_inclusive_sum(runner, cub_suite):
    x = np.random.default_rng(7).uniform(-1, 1, 2 * 64).astype(np.float32)
    out = run(runner, cub_suite, "block_inclusive", 2, (64, 1, 1), [buffer(x), empty(128, "float32")])
    want = np.cumsum(x.reshape(2, 64).astype(np.float64), axis=1).reshape(-1)
    np.testing.assert_allclose(payload(out.buffers[1], "float32"), want, rtol=1e-5, atol=1e-5)


def test_warp_reduce_and_warp_scan(runner, cub_suite):
    x = np.random.default_rng(3).integers(-100, 100, 2 * 64).astype(np.int32)
    out = run(runner, cub_suite, "warp_sum_scan", 2, (64, 1, 1),
              [buffer(x), empty(4, "int32"), empty(128, "int32"), empty(128, "int32")])
    np.testing.assert_array_equal(payload(out.buffers[1], "int32"), x.reshape(4, 32).sum(axis=1))
    groups = x.reshape(8, 16)
    exclusive = np.cumsum(groups, axis=1) - groups  # lane 0 of each 16-lane group gets 0
    np.testing.assert_array_equal(payload(out.buffers[2], "int32"), exclusive.reshape(-1))
    np.testing.assert_array_equal(payload(out.buffers[3], "int32"), np.repeat(groups.sum(axis=1), 16))


@cache
def _opencl_port(out: Path) -> Path:
    result = TARGET.port_file(read_source(SOURCE).value, PortRequest(SOURCE, tuple(KERNELS), ()))  # type: ignore[union-attr]
    for k in result.kernels:
        assert k.status == "ported", f"{k.kernel}: {k.reason}"
    for f in result.files:
        (out / f.relpath).write_text(f.content, "utf-8")
    return out / (result.artifact or "")


# Each verification launches PoCL a few times (seconds each): two kernels cover the block scan, the
# loads/stores, the union of storages and the warp collectives in the default suite.
FAST = {"tile_scan", "warp_sum_scan"}


@pytest.mark.parametrize("kernel", [k if k in FAST else pytest.param(k, marks=pytest.mark.slow) for k in KERNELS])
def test_opencl_port_matches_the_original(kernel, runner, tmp_path_factory):
    ported = _opencl_port(tmp_path_factory.getbasetemp())
    kspec = load_spec(SOURCE.with_name(SOURCE.stem + ".cuport.toml")).kernels[kernel]
    r = verify_kernel(runner, TARGET.runner(), Artifact(SOURCE, "cuda"), Artifact(ported, "opencl"), kspec, kspec.trial_count, 4242)
    assert r.status == "pass", r.reason
