"""Fixtures for the CPU runtime tests: one cache folder per session, so each source compiles once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cuport.verify.build_cache import BuildCache
from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.protocol import Artifact, Buffer

HERE = Path(__file__).parent
SUITE = HERE / "kernels" / "suite.cu"
GUARD = 64
CANARY = 0xAB

SUITE_KERNELS = [
    "saxpy", "shuffle", "shuffle_even_lanes", "votes", "warp_reduce_ops", "early_exit_barrier", "barrier_count",
    "reduce<float, 128>", "reduce<int, 64>", "atomics", "dynamic_reverse", "geometry", "warp_info", "use_constant",
    "tile_reduce", "half_math", "divergent_barriers", "shuffle_with_exited_lanes", "spin_forever", "write_through",
    "trap_kernel", "shared_overrun",
]


@pytest.fixture(scope="session")
def build_cache(tmp_path_factory: pytest.TempPathFactory) -> BuildCache:
    return BuildCache(root=tmp_path_factory.mktemp("cuport-cache"))


@pytest.fixture(scope="session")
def runner(build_cache: BuildCache) -> CpuCudaRunner:
    return CpuCudaRunner(workers=2, cache=build_cache)


@pytest.fixture(scope="session")
def suite(runner: CpuCudaRunner) -> PreparedCuda:
    prepared = runner.prepare(Artifact(SUITE, "cuda"), SUITE_KERNELS, symbols=("coef",))
    assert isinstance(prepared, PreparedCuda), prepared
    return prepared


def buffer(values: np.ndarray) -> Buffer:
    """A device allocation holding `values`, with canary guard zones on both sides."""
    raw = np.ascontiguousarray(values)
    data = np.full(raw.nbytes + 2 * GUARD, CANARY, dtype=np.uint8)
    data[GUARD : GUARD + raw.nbytes] = raw.view(np.uint8).reshape(-1)
    return Buffer(data, GUARD, raw.nbytes, str(raw.dtype))


def empty(n: int, dtype: str) -> Buffer:
    return buffer(np.zeros(n, dtype=dtype))


def payload(outcome_buffer: np.ndarray | None, dtype: str) -> np.ndarray:
    assert outcome_buffer is not None
    assert (outcome_buffer[:GUARD] == CANARY).all() and (outcome_buffer[-GUARD:] == CANARY).all(), "guard zone written"
    return outcome_buffer[GUARD:-GUARD].view(dtype)
