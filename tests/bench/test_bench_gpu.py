"""The GPU path of `cuport bench`: the nvcc timing harness (built and described here wherever nvcc
is; run only on a GPU) and the Triton port compiled for the GPU."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from bench_sides import Sources, cuda

from cuport.cli import main
from cuport.verify.bench import BenchOptions, Repeating, Side, bench_kernel
from cuport.verify.bench_gpu import CudaGpuRunner, gpu_name
from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.differential import run_case
from cuport.verify.ported import port_for_verification
from cuport.verify.protocol import Artifact, RunOutcome
from cuport.verify.triton_runner import TritonRunner

needs_nvcc = pytest.mark.skipif(shutil.which("nvcc") is None, reason="nvcc is not installed")


@needs_nvcc
def test_the_harness_builds_and_describes_the_kernels_as_the_cpu_runtime_does(tmp_path: Path) -> None:
    src = tmp_path / "k.cu"
    src.write_text(
        "__constant__ float scale[4];\nstruct Pair { int a; float b; };\n"
        "template <class T, int B> __global__ void red(const T* x, T* y, Pair p, float2 v, int n) { y[0] = x[0] * scale[0]; }\n"
        "__global__ void axpy(int n, float a, const float* x, float* y) { int i = threadIdx.x; if (i < n) y[i] += a * x[i]; }\n"
        "int main() { return 1; }\n")
    kernels, symbols = ["axpy", "red<float, 256>"], ("scale",)
    gpu = CudaGpuRunner(arch="sm_80").prepare(Artifact(src, "cuda"), kernels, symbols)  # no GPU needed to build
    cpu = CpuCudaRunner(workers=1).prepare(Artifact(src, "cuda"), kernels, symbols)
    assert isinstance(gpu, PreparedCuda), getattr(gpu, "message", "")
    assert isinstance(cpu, PreparedCuda), getattr(cpu, "message", "")
    assert gpu.signatures == cpu.signatures and gpu.symbol_sizes == cpu.symbol_sizes == {"scale": 16}


@needs_nvcc
def test_nvcc_errors_are_compile_errors(tmp_path: Path) -> None:
    src = tmp_path / "bad.cu"
    src.write_text("__global__ void k(float* x) { this is not CUDA }\n")
    out = CudaGpuRunner(arch="sm_80").prepare(Artifact(src, "cuda"), ["k"])
    assert isinstance(out, RunOutcome) and out.status == "compile_error" and out.diagnostics


@pytest.mark.skipif(gpu_name() is not None, reason="a GPU is here")
def test_device_gpu_without_a_gpu_is_a_usage_error(sources: Sources, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", str(sources.original), "--device", "gpu", "--port", str(sources.original)]) == 2
    assert "nvidia-smi -L lists no GPU" in capsys.readouterr().err


@pytest.mark.gpu
def test_gpu_original_repeats_with_events_and_agrees_with_the_cpu_runtime(sources: Sources) -> None:
    kspec = sources.kspec
    gpu_runner, cpu_runner = CudaGpuRunner(), CpuCudaRunner(workers=1)
    gpu = gpu_runner.prepare(cuda(sources.original), [kspec.name])
    cpu = cpu_runner.prepare(cuda(sources.original), [kspec.name])
    assert isinstance(gpu, PreparedCuda) and isinstance(cpu, PreparedCuda)
    on_gpu = run_case(Repeating(gpu_runner, 4), gpu, kspec, 1, seed=5)
    on_cpu = run_case(cpu_runner, cpu, kspec, 1, seed=5)
    assert on_gpu.ok, on_gpu.problems
    assert len(on_gpu.outcome.samples_s) == 4 and all(t > 0 for t in on_gpu.outcome.samples_s)
    # inputs restored before every launch: y updated once, as on the CPU (fma may differ in the last bit)
    np.testing.assert_allclose(on_gpu.outputs[3], on_cpu.outputs[3], rtol=1e-6)


@pytest.mark.gpu
def test_gpu_bench_of_the_triton_port(sources: Sources, tmp_path: Path) -> None:
    ported = port_for_verification(sources.original, "triton", [sources.kspec], cuda(sources.original), 32, tmp_path)
    assert not isinstance(ported, str) and ported.artifact is not None
    triton = TritonRunner(gpu=True)
    try:
        [r] = bench_kernel(Side("cuda (original)", CudaGpuRunner(), cuda(sources.original)),
                           [Side("triton", triton, Artifact(tmp_path / ported.artifact, "triton"))],
                           sources.kspec, BenchOptions(reps=3, warmup=1, launches=5))
    finally:
        triton.close()
    assert r.status == "ok", r.reason
    assert r.device.startswith("GPU") and r.original_device.startswith("GPU") and r.comparable
    assert r.ratio is not None and "CUDA events" in r.clock and "CUDA events" in r.original_clock
