"""The CPU runtime against CUDA's rules: PTX shuffle lane arithmetic, barriers, atomics, deadlocks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.protocol import Artifact, Launch, ParamType, RunOutcome, RunRequest

from .conftest import SUITE, buffer, empty, payload


def run(runner: CpuCudaRunner, suite: PreparedCuda, kernel: str, grid, block, args, shared=0, timeout=20.0, **kw) -> RunOutcome:
    grid = grid if isinstance(grid, tuple) else (grid, 1, 1)
    block = block if isinstance(block, tuple) else (block, 1, 1)
    return runner.run(suite, RunRequest(Launch(kernel, grid, block, shared), args, timeout_s=timeout, **kw))


def test_signature_is_deduced_from_the_kernel(runner, suite):
    assert runner.signature(suite, "saxpy") == [
        ParamType("scalar", "int32"), ParamType("scalar", "float32"),
        ParamType("pointer", "float32", const=True), ParamType("pointer", "float32"),
    ]
    assert runner.signature(suite, "reduce<int, 64>")[0] == ParamType("pointer", "int32", const=True)
    assert runner.signature(suite, "atomics")[5] == ParamType("pointer", "uint64")
    assert runner.signature(suite, "half_math")[0] == ParamType("pointer", "float16", const=True)


def test_saxpy_with_a_partial_last_block(runner, suite):
    n = 1000
    x = np.arange(n, dtype=np.float32)
    out = run(runner, suite, "saxpy", 4, 256, [n, 2.0, buffer(x), buffer(np.ones(n, np.float32))])
    assert out.status == "ok", out.message
    np.testing.assert_array_equal(payload(out.buffers[3], "float32"), 2 * x + 1)
    assert out.buffers[0] is None and out.buffers[1] is None


def ptx_source(mode: int, lane: int, b: int, width: int) -> int:
    """CUDA's documented shuffle semantics, written independently of the runtime's formula."""
    seg = lane // width * width
    if mode == 0:
        return seg + b % width
    if mode == 1:
        return lane - b if lane - seg >= b else lane
    if mode == 2:
        return lane + b if lane - seg + b < width else lane
    j = lane ^ b
    return j if j < seg + width else lane  # earlier groups are readable, later ones are not


@pytest.mark.parametrize("mode", [0, 1, 2, 3])
@pytest.mark.parametrize("b,width", [(0, 32), (1, 32), (5, 32), (31, 32), (33, 32), (3, 8), (9, 8), (1, 2), (16, 16), (20, 16)])
def test_shuffle_follows_ptx_lane_rules(runner, suite, mode, b, width):
    out = run(runner, suite, "shuffle", 1, 64, [empty(64, "int32"), mode, b, width])
    assert out.status == "ok", out.message
    got = payload(out.buffers[0], "int32")
    want = [(warp * 32 + ptx_source(mode, lane, b, width)) * 10 + 1 for warp in range(2) for lane in range(32)]
    assert got.tolist() == want


def test_shuffle_from_a_lane_outside_the_mask_returns_own_value(runner, suite):
    out = run(runner, suite, "shuffle_even_lanes", 1, 32, [empty(32, "int32"), 3])
    got = payload(out.buffers[0], "int32")
    assert got[::2].tolist() == [t * 10 + 1 for t in range(0, 32, 2)]  # lane 3 is not in the mask
    assert (got[1::2] == -1).all()
    out = run(runner, suite, "shuffle_even_lanes", 1, 32, [empty(32, "int32"), 4])
    assert payload(out.buffers[0], "int32")[::2].tolist() == [41] * 16


def test_partial_warp_full_mask_shuffle(runner, suite):
    # 48 threads: the second warp has 16 lanes; the full mask covers the lanes that exist
    out = run(runner, suite, "shuffle", 1, 48, [empty(48, "int32"), 2, 1, 32])
    got = payload(out.buffers[0], "int32")
    assert got[32:47].tolist() == [(t + 1) * 10 + 1 for t in range(32, 47)]
    assert got[47] == 47 * 10 + 1


def test_votes(runner, suite):
    out = run(runner, suite, "votes", 1, 48, [empty(48, "uint32"), empty(48, "int32"), empty(48, "int32")])
    ballot, anyv, allv = (payload(out.buffers[i], d) for i, d in enumerate(["uint32", "int32", "int32"]))
    w0 = sum(1 << t for t in range(32) if t % 3 == 0)
    w1 = sum(1 << (t - 32) for t in range(32, 48) if t % 3 == 0)
    assert (ballot[:32] == w0).all() and (ballot[32:] == w1).all()
    assert (anyv[:32] == 1).all() and (anyv[32:] == 0).all()
    assert (allv[:32] == 1).all() and (allv[32:] == 0).all()


def test_warp_reductions_and_match(runner, suite):
    out = run(runner, suite, "warp_reduce_ops", 1, 32, [empty(32, "uint32"), empty(32, "uint32"), empty(32, "uint32")])
    s, mx, match = (payload(out.buffers[i], "uint32") for i in range(3))
    assert (s == sum(range(32))).all()
    assert (mx == max(t * 7 % 13 for t in range(32))).all()
    assert match.tolist() == [sum(1 << u for u in range(32) if u % 4 == t % 4) for t in range(32)]


def test_threads_that_exit_release_the_barrier_and_are_reported(runner, suite):
    n = 100
    out = run(runner, suite, "early_exit_barrier", 1, 128, [n, empty(128, "int32")])
    assert out.status == "ok", out.message
    got = payload(out.buffers[1], "int32")
    assert got[:n].tolist() == [((t + 1) % n) * 2 for t in range(n)]
    assert (got[n:] == 0).all()
    assert [d.code for d in out.diagnostics] == ["CR003"]
    assert "28" in out.diagnostics[0].message


def test_syncthreads_count_and_or(runner, suite):
    out = run(runner, suite, "barrier_count", 1, 100, [empty(100, "int32")])
    assert (payload(out.buffers[0], "int32") == 34 * 100 + 10 + 1).all()


@pytest.mark.parametrize("kernel,dtype", [("reduce<float, 128>", "float32"), ("reduce<int, 64>", "int32")])
def test_template_reduction_with_atomics_across_workers(runner, suite, kernel, dtype):
    n = 5000
    block = int(kernel.split(",")[1].strip(" >"))
    x = (np.arange(n) % 7).astype(dtype)
    out = run(runner, suite, kernel, (n + block - 1) // block, block, [buffer(x), empty(1, dtype), n])
    assert payload(out.buffers[1], dtype)[0] == x.sum()


def test_atomics(runner, suite):
    n = 3000
    args = [n, empty(1, "float32"), empty(1, "float64"), empty(1, "int32"), empty(1, "uint32"), empty(1, "uint64")]
    out = run(runner, suite, "atomics", 12, 256, args)
    assert out.status == "ok", out.message
    assert payload(out.buffers[1], "float32")[0] == n
    assert payload(out.buffers[2], "float64")[0] == n / 2
    assert payload(out.buffers[3], "int32")[0] == max((i * 7919) % 10007 for i in range(n))
    assert payload(out.buffers[4], "uint32")[0] == n % 100  # atomicInc wraps at 99
    assert payload(out.buffers[5], "uint64")[0] == n


def test_dynamic_shared_memory(runner, suite):
    x = np.arange(3 * 64, dtype=np.float32)
    out = run(runner, suite, "dynamic_reverse", 3, 64, [buffer(x), empty(192, "float32")], shared=64 * 4)
    assert payload(out.buffers[1], "float32").tolist() == x.reshape(3, 64)[:, ::-1].reshape(-1).tolist()


def test_dynamic_shared_overrun_faults(runner, suite):
    # 64 floats used, 32 declared: the access past the launch's dynamic shared size hits a guard page
    out = run(runner, suite, "dynamic_reverse", 1, 64, [buffer(np.zeros(64, np.float32)), empty(64, "float32")], shared=16)
    assert out.status == "crash"


def test_3d_geometry(runner, suite):
    grid, block = (4, 3, 2), (8, 4, 2)
    total = 4 * 3 * 2 * 8 * 4 * 2
    out = run(runner, suite, "geometry", grid, block, [empty(total, "int32")])
    got = payload(out.buffers[0], "int32")
    want = [((bz * 4 + by) * 4 + bx) * 1000 + (tz * 8 + ty) * 8 + tx
            for bz in range(2) for by in range(3) for bx in range(4)
            for tz in range(2) for ty in range(4) for tx in range(8)]
    assert got.tolist() == want


def test_warp_size_64(runner, suite):
    wide = dataclasses.replace(runner, warp_size=64)
    out = run(wide, suite, "warp_info", 1, 128, [empty(128, "int32"), empty(128, "uint64")])
    assert out.status == "ok", out.message
    assert (payload(out.buffers[0], "int32") == 64).all()
    # CUDA's __ballot_sync returns 32 bits: on a 64-wide warp the upper lanes are lost (a real hazard)
    assert (payload(out.buffers[1], "uint64") == 0x55555555).all()


def test_warp_size_64_with_64_bit_lane_masks(tmp_path, build_cache):
    # HIP's spelling: 64-bit masks, as a HIP port compiled with CUPORT_LANEMASK_64 sees them
    src = tmp_path / "wave.cu"
    src.write_text(
        "__global__ void k(unsigned long long* out) {\n"
        "  out[threadIdx.x] = __ballot_sync(~0ull, threadIdx.x % 2 == 0) + __shfl_xor_sync(~0ull, threadIdx.x, 32);\n}\n"
    )
    wide = CpuCudaRunner(workers=1, warp_size=64, cache=build_cache)
    prepared = wide.prepare(Artifact(src, "cuda", defines=(("CUPORT_LANEMASK_64", "1"),)), ["k"])
    assert isinstance(prepared, PreparedCuda), prepared
    out = run(wide, prepared, "k", 1, 64, [empty(64, "uint64")])
    assert payload(out.buffers[0], "uint64").tolist() == [0x5555555555555555 + (t ^ 32) for t in range(64)]


def test_constant_symbol_is_filled(runner, suite):
    coef = buffer(np.array([1, 2, 3, 4], dtype=np.float32))
    out = run(runner, suite, "use_constant", 1, 8, [empty(8, "float32")], constants={"coef": coef})
    assert payload(out.buffers[0], "float32").tolist() == [2, 4, 6, 8, 2, 4, 6, 8]


def test_cooperative_groups_tile_reduce(runner, suite):
    x = np.arange(64, dtype=np.int32)
    out = run(runner, suite, "tile_reduce", 1, 64, [buffer(x), empty(8, "int32")])
    assert payload(out.buffers[1], "int32").tolist() == x.reshape(8, 8).sum(axis=1).tolist()


def test_half(runner, suite):
    a = np.array([0.5, 1.0, -2.0, 3.25], dtype=np.float16)
    out = run(runner, suite, "half_math", 1, 4, [buffer(a), empty(4, "float16")])
    assert payload(out.buffers[1], "float16").tolist() == ((a + np.float16(1.5)) * a).tolist()


def test_divergent_barriers_are_a_deadlock(runner, suite):
    out = run(runner, suite, "divergent_barriers", 1, 32, [empty(32, "int32")])
    assert out.status == "deadlock"
    assert "suite.cu:" in out.message and "__syncthreads" in out.message
    assert out.buffers == [None]


def test_warp_op_waiting_for_exited_lanes_is_a_deadlock(runner, suite):
    out = run(runner, suite, "shuffle_with_exited_lanes", 1, 32, [empty(32, "int32")])
    assert out.status == "deadlock"
    assert "__shfl_down_sync" in out.message and "exited" in out.message


def test_infinite_loop_times_out(runner, suite):
    out = run(runner, suite, "spin_forever", 1, 1, [empty(1, "int32")], timeout=1.0)
    assert out.status == "timeout"


def test_null_pointer_write_crashes(runner, suite):
    out = run(runner, suite, "write_through", 1, 4, [0])
    assert out.status == "crash" and "SIGSEGV" in out.message


def test_trap_is_a_crash_with_its_location(runner, suite):
    out = run(runner, suite, "trap_kernel", 1, 8, [empty(8, "int32")])
    assert out.status == "crash" and "suite.cu" in out.message


def test_shuffled_block_order_gives_the_same_answer(runner, suite):
    shuffled = dataclasses.replace(runner, shuffle_blocks=True)
    n = 2000
    x = np.arange(n, dtype=np.float32)
    out = run(shuffled, suite, "saxpy", 8, 256, [n, 3.0, buffer(x), empty(n, "float32")], seed=7)
    np.testing.assert_array_equal(payload(out.buffers[3], "float32"), 3 * x)


def test_wrong_argument_count_is_an_error(runner, suite):
    assert run(runner, suite, "saxpy", 1, 1, [1]).status == "error"


def test_compile_error_points_at_the_user_line(runner, tmp_path):
    src = tmp_path / "broken.cu"
    src.write_text("__global__ void k(int* p) {\n  p[0] = undefined_name;\n}\n")
    out = runner.prepare(Artifact(src, "cuda"), ["k"])
    assert isinstance(out, RunOutcome) and out.status == "compile_error"
    span = out.diagnostics[0].span
    assert out.diagnostics[0].code == "CR001" and span is not None
    assert (span.file, span.line) == (str(src), 2)


def test_unknown_kernel_is_a_compile_error(runner):
    out = runner.prepare(Artifact(SUITE, "cuda"), ["no_such_kernel"])
    assert isinstance(out, RunOutcome) and out.status == "compile_error"


def test_prepare_is_cached(runner, suite):
    again = runner.prepare(Artifact(SUITE, "cuda"), list(suite.kernels), symbols=("coef",))
    assert isinstance(again, PreparedCuda) and again.cached and again.executable == suite.executable
