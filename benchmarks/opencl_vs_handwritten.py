"""Speed of cuport's OpenCL ports against hand-written OpenCL, both on PoCL (CPU), in one run.

    .venv/bin/python benchmarks/opencl_vs_handwritten.py [--reps 15]

Ports benchmarks/opencl_handwritten/kernels.cu with the OpenCL target, builds the port and the
hand-written kernels.cl in one context, checks both give the same outputs, then times each kernel
alternately (port, hand-written, ...) after a warm-up and reports medians, spread and the ratio
handwritten_time / port_time (>= 0.8 is the target). Compile time is reported separately.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pyopencl as cl

from cuport.parse.reader import read_source
from cuport.targets.base import PortRequest
from cuport.targets.opencl import TARGET

HERE = Path(__file__).resolve().parent / "opencl_handwritten"
N = 1 << 22
MAT = 384
GRID2D = 2048


def _cases(rng: np.random.Generator) -> list[tuple[str, list[object], tuple[int, ...], tuple[int, ...], list[int]]]:
    """(kernel, host args, global, local, indices of outputs) — outputs reset before each run."""
    x, y = rng.standard_normal(N, dtype=np.float32), rng.standard_normal(N, dtype=np.float32)
    a, b = rng.standard_normal(MAT * MAT, dtype=np.float32), rng.standard_normal(MAT * MAT, dtype=np.float32)
    img = rng.standard_normal(GRID2D * GRID2D, dtype=np.float32)
    data = rng.integers(0, 1 << 20, N, dtype=np.int32)
    return [
        ("bench_saxpy", [np.int32(N), np.float32(1.5), x, y], (N,), (256,), [3]),
        ("bench_reduce", [x, np.zeros(N // 256, np.float32), np.int32(N)], (N,), (256,), [1]),
        ("bench_matmul", [a, b, np.zeros(MAT * MAT, np.float32), np.int32(MAT)], (MAT, MAT), (16, 16), [2]),
        ("bench_stencil", [img, np.zeros_like(img), np.int32(GRID2D), np.int32(GRID2D)], (GRID2D, GRID2D), (32, 8), [1]),
        ("bench_histogram", [data, np.zeros(256, np.int32), np.int32(N)], (256 * 64,), (256,), [1]),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=15)
    args = ap.parse_args()
    src = HERE / "kernels.cu"
    result = TARGET.port_file(read_source(src).value, PortRequest(src))  # type: ignore[union-attr]
    port_text = next(f.content for f in result.files if f.relpath == result.artifact)
    platform_ = next(p for p in cl.get_platforms() if "Portable" in p.name)
    ctx = cl.Context(platform_.get_devices())
    queue = cl.CommandQueue(ctx)
    t0 = time.perf_counter()
    port = cl.Program(ctx, port_text).build()
    t1 = time.perf_counter()
    hand = cl.Program(ctx, (HERE / "kernels.cl").read_text()).build()
    t2 = time.perf_counter()
    device = platform_.get_devices()[0]
    print(f"device: CPU, {device.name} via {platform_.name} {platform_.version}; {platform.processor() or platform.machine()}, "
          f"{device.max_compute_units} compute units (CPU timings)")
    print(f"build: port {t1 - t0:.2f} s, hand-written {t2 - t1:.2f} s (PoCL cache may make these small)")
    print(f"{'kernel':18} {'port ms':>10} {'hand ms':>10} {'spread port/hand':>18} {'hand/port':>10}")
    mf = cl.mem_flags
    ratios = []
    for name, host, gsize, lsize, outs in _cases(np.random.default_rng(1)):
        bufs = [cl.Buffer(ctx, mf.READ_WRITE | mf.COPY_HOST_PTR, hostbuf=h) if isinstance(h, np.ndarray) else h for h in host]
        kernels = {"port": getattr(port, name), "hand": getattr(hand, name)}
        results = {}
        for which, k in kernels.items():
            for i in outs:
                cl.enqueue_copy(queue, bufs[i], host[i]).wait()  # type: ignore[arg-type]
            k(queue, gsize, lsize, *bufs).wait()
            results[which] = [np.empty_like(host[i]) for i in outs]  # type: ignore[arg-type]
            for i, r in zip(outs, results[which], strict=True):
                cl.enqueue_copy(queue, r, bufs[i]).wait()
        same = all(np.allclose(p, h, rtol=1e-4, atol=1e-3) for p, h in zip(results["port"], results["hand"], strict=True))
        times: dict[str, list[float]] = {"port": [], "hand": []}
        for _ in range(args.reps):
            for which, k in kernels.items():  # alternate, so drift hits both sides alike
                start = time.perf_counter()
                k(queue, gsize, lsize, *bufs).wait()
                times[which].append(time.perf_counter() - start)
        mp, mh = statistics.median(times["port"]), statistics.median(times["hand"])
        sp = (max(times["port"]) - min(times["port"])) * 1e3
        sh = (max(times["hand"]) - min(times["hand"])) * 1e3
        ratios.append(mh / mp)
        flag = "" if same else "  (outputs differ!)"
        print(f"{name:18} {mp * 1e3:10.2f} {mh * 1e3:10.2f} {sp:8.2f}/{sh:<9.2f} {mh / mp:10.2f}{flag}")
    print(f"geometric mean hand/port: {statistics.geometric_mean(ratios):.2f} (target >= 0.8)")


if __name__ == "__main__":
    main()
