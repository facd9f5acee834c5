"""Speed of the CPU runtime for CUDA: launch overhead, barrier and shuffle cost, compile time.

    .venv/bin/python benchmarks/cpu_runtime.py [--repeat 7] [--workers N]

Measures (medians of --repeat runs, timed inside the driver around the launch itself):
- a 1M-thread launch of a kernel without barriers (4096 blocks of 256 threads);
- the cost of one __syncthreads per thread (a kernel with 64 barriers minus one with none);
- the cost of one __shfl_down_sync per thread (64 shuffles minus none);
- compile time to a ready kernel: cold (empty cache, runtime objects included; and with the
  runtime objects already built) and cached.
Each launch also reports its CPU time (all workers together): on a shared machine the wall time
counts the wait for a core too, the CPU time does not.
Targets: 1M threads < 30 ms, barrier < 20 ns/thread, cached kernel ready < 0.1 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from cuport.verify.build_cache import BuildCache, compiler_version
from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.protocol import Artifact, Buffer, Launch, RunRequest

SOURCE = r"""
__global__ void touch(int* out) {
  out[blockIdx.x * blockDim.x + threadIdx.x] = threadIdx.x;
}
template <int K>
__global__ void barriers(int* out) {
  __shared__ int s[256];
  int v = threadIdx.x;
  for (int k = 0; k < K; ++k) {
    s[threadIdx.x] = v;
    __syncthreads();
    v += s[(threadIdx.x + 1) % blockDim.x];
  }
  out[blockIdx.x * blockDim.x + threadIdx.x] = v;
}
template <int K>
__global__ void shuffles(int* out) {
  int v = threadIdx.x;
  for (int k = 0; k < K; ++k) v += __shfl_down_sync(0xffffffff, v, 1);
  out[blockIdx.x * blockDim.x + threadIdx.x] = v;
}
"""
KERNELS = ["touch", "barriers<0>", "barriers<64>", "shuffles<0>", "shuffles<64>"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def out_buffer(n: int) -> Buffer:
    return Buffer(np.zeros(n * 4, dtype=np.uint8), 0, n * 4, "int32")


def launch_time(runner: CpuCudaRunner, prepared: PreparedCuda, kernel: str, blocks: int, threads: int,
                repeat: int) -> tuple[float, float]:
    """Median wall time of the launch and median CPU time (all workers together)."""
    times, cpus = [], []
    for _ in range(repeat):
        out = runner.run(prepared, RunRequest(Launch(kernel, (blocks, 1, 1), (threads, 1, 1)), [out_buffer(blocks * threads)]))
        if out.status != "ok":
            raise SystemExit(f"{kernel}: {out.status}: {out.message}")
        times.append(out.elapsed_s)
        cpus.append(getattr(out, "cpu_s", None) or out.elapsed_s)
    return statistics.median(times), statistics.median(cpus)


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; g++ {compiler_version()}; workers {args.workers}")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.cu"
        src.write_text(SOURCE)
        cache = BuildCache(root=Path(tmp) / "cache")
        runner = CpuCudaRunner(workers=args.workers, cache=cache)
        t = time.perf_counter()
        prepared = runner.prepare(Artifact(src, "cuda"), KERNELS)
        cold_all = time.perf_counter() - t
        assert isinstance(prepared, PreparedCuda), prepared
        colds, warms = [], []
        for i in range(3):
            # a new source each time: the runtime objects are cached, the kernel is not
            src.write_text(SOURCE + f"\n// variant {i}\n")
            t = time.perf_counter()
            runner.prepare(Artifact(src, "cuda"), KERNELS)
            colds.append(time.perf_counter() - t)
        for _ in range(args.repeat):
            t = time.perf_counter()
            again = runner.prepare(Artifact(src, "cuda"), KERNELS)
            warms.append(time.perf_counter() - t)
            assert isinstance(again, PreparedCuda) and again.cached
        print(f"compile, empty cache (runtime objects too): {cold_all:.2f} s")
        print(f"compile, new kernel source (median of {len(colds)}): {statistics.median(colds):.2f} s")
        print(f"cached kernel ready (median of {len(warms)}): {statistics.median(warms) * 1e3:.2f} ms")

        blocks, threads = 4096, 256
        n = blocks * threads
        w = args.workers
        t_touch, c_touch = launch_time(runner, prepared, "touch", blocks, threads, args.repeat)
        print(f"1M-thread launch without barriers ({blocks}x{threads}): {t_touch * 1e3:.1f} ms wall "
              f"({t_touch / n * 1e9:.1f} ns/thread); CPU {c_touch * 1e3:.1f} ms, {c_touch / w * 1e3:.1f} ms per worker")
        b_blocks = 512
        m = b_blocks * threads
        t0, c0 = launch_time(runner, prepared, "barriers<0>", b_blocks, threads, args.repeat)
        t64, c64 = launch_time(runner, prepared, "barriers<64>", b_blocks, threads, args.repeat)
        per_barrier, cpu_barrier = (t64 - t0) / (64 * m), (c64 - c0) / (64 * m)
        print(f"__syncthreads: {per_barrier * 1e9:.1f} ns wall per thread per barrier (x{w} workers in parallel); "
              f"CPU {cpu_barrier * 1e9:.1f} ns, {cpu_barrier / w * 1e9:.1f} ns per worker")
        s0, cs0 = launch_time(runner, prepared, "shuffles<0>", b_blocks, threads, args.repeat)
        s64, cs64 = launch_time(runner, prepared, "shuffles<64>", b_blocks, threads, args.repeat)
        per_shfl, cpu_shfl = (s64 - s0) / (64 * m), (cs64 - cs0) / (64 * m)
        print(f"__shfl_down_sync: {per_shfl * 1e9:.1f} ns wall per thread per shuffle; "
              f"CPU {cpu_shfl * 1e9:.1f} ns, {cpu_shfl / w * 1e9:.1f} ns per worker")
        print(f"load average at the end: {load_average()} on {os.cpu_count()} cores (wall times include waiting for "
              "a core; 'per worker' is CPU time / workers, the wall time an idle machine would show)")
        print("(CPU timings; medians of the launch time measured inside the driver process)")


if __name__ == "__main__":
    main()
