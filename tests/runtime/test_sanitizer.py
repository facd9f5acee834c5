"""The sanitizer build (-fsanitize=address,bounds): faults in kernels whose threads run on pooled
fiber stacks are reported with the kernel's file:line, and a clean kernel stays clean (the ASan
fiber-switch annotations give no false reports). One sanitizer build of the runtime per session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cuport.verify.build_cache import BuildCache
from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.protocol import Artifact, Launch, RunRequest
from cuport.verify.whole_program import ProgramRunner

from .conftest import buffer, empty, payload

HERE = Path(__file__).parent
KERNELS = HERE / "kernels" / "sanitize.cu"
PROGRAM = HERE / "programs" / "heap_overflow.cu"

pytestmark = pytest.mark.slow  # the sanitizer build of the runtime takes ~20 s on 2 cores


def marked_line(path: Path, marker: str) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if marker in text)


@pytest.fixture(scope="module")
def asan(build_cache: BuildCache) -> CpuCudaRunner:
    return CpuCudaRunner(workers=2, sanitize=True, cache=build_cache)


@pytest.fixture(scope="module")
def prepared(asan: CpuCudaRunner) -> PreparedCuda:
    p = asan.prepare(Artifact(KERNELS, "cuda"), ["clean", "shared_past_end", "local_past_end"])
    assert isinstance(p, PreparedCuda), p
    return p


def test_clean_kernel_with_barriers_and_shuffles_passes_under_asan(asan, prepared):
    blocks, threads = 4, 64
    data = np.arange(blocks * threads, dtype=np.int32)
    out = asan.run(prepared, RunRequest(Launch("clean", (blocks, 1, 1), (threads, 1, 1)),
                                        [buffer(data), empty(blocks * threads, "int32")]))
    assert out.status == "ok", out.message
    # reference: local[k] = in + k; s = local[t % 8]; v = s[(t+1) % 64]; v += shfl_down(v, 1); + local[7]
    x = data.reshape(blocks, threads)
    t = np.arange(threads)
    s = x + (t % 8)
    v = s[:, (t + 1) % threads]
    src = np.where((t % 32) + 1 < 32, t + 1, t)
    want = v + v[:, src] + x + 7
    assert (payload(out.buffers[1], "int32").reshape(blocks, threads) == want).all()


def test_shared_array_overrun_reports_the_kernel_line(asan, prepared):
    out = asan.run(prepared, RunRequest(Launch("shared_past_end", (2, 1, 1), (64, 1, 1)), [empty(64, "int32")]))
    assert out.status == "crash"
    assert "out of bounds" in out.message
    assert f"sanitize.cu:{marked_line(KERNELS, 'FAULT_SHARED')}:" in out.message


def test_local_array_overrun_on_a_fiber_stack_reports_the_kernel_line(asan, prepared):
    idx = (np.arange(64) % 4).astype(np.int32)
    idx[40] = 6  # thread 40 runs on a pooled fiber stack by then (it passed a barrier)
    out = asan.run(prepared, RunRequest(Launch("local_past_end", (1, 1, 1), (64, 1, 1)), [buffer(idx), empty(64, "int32")]))
    assert out.status == "crash"
    assert "index 6 out of bounds" in out.message
    assert f"sanitize.cu:{marked_line(KERNELS, 'FAULT_LOCAL')}:" in out.message


def test_heap_overflow_in_a_program_is_reported_at_the_kernel_line(build_cache):
    out = ProgramRunner(workers=2, sanitize=True, cache=build_cache).run(PROGRAM, timeout_s=60)
    assert out.status == "crash", out.stderr[-2000:]
    assert "heap-buffer-overflow" in out.message
    assert out.message.endswith(f"heap_overflow.cu:{marked_line(PROGRAM, 'OVERFLOW_HERE')}")
    assert "finished" not in out.stdout


def test_same_program_without_the_sanitizer_runs_to_its_end(build_cache):
    # the overflow lands in the allocation's rounding to 256 bytes: only the sanitizer build,
    # which allocates the exact size, sees it
    out = ProgramRunner(workers=2, cache=build_cache).run(PROGRAM, timeout_s=60)
    assert out.status == "ok" and out.stdout.strip() == "finished"
