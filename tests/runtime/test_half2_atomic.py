"""atomicAdd on __half2 in the CPU runtime: each lane receives every addition, and each caller gets
back the pair as it was before its own addition."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cuport.verify.protocol import Artifact, Launch, RunRequest

from .conftest import buffer, payload

KERNELS = Path(__file__).parent / "kernels" / "half2_atomic.cu"


def test_half2_atomic_add_sums_each_lane(runner):
    prepared = runner.prepare(Artifact(KERNELS, "cuda"), ["pair_sums"])
    n = 1000
    x = np.random.default_rng(3).integers(-3, 4, n).astype(np.float32)
    slots = np.zeros(8, np.float16)
    req = RunRequest(Launch("pair_sums", (8, 1, 1), (128, 1, 1), 0),
                     [buffer(slots), buffer(x), buffer(np.zeros(n, np.float32)), n])  # fmt: skip
    outcome = runner.run(prepared, req)
    assert outcome.status == "ok", outcome.message
    got = payload(outcome.buffers[0], "float16").reshape(4, 2).astype(np.float64)
    want = np.array([[x[k::4].sum(), 2 * x[k::4].sum()] for k in range(4)])
    assert np.array_equal(got, want)
    # every value a thread saw is a partial sum of its slot: low + high = 3 * (some prefix of adds)
    seen = payload(outcome.buffers[2], "float32")
    assert np.all(seen % 3 == 0) and np.all(np.abs(seen) <= 3 * np.abs(x).reshape(-1, 4).sum(axis=0).max())
