"""Port a corpus file to Triton and verify one kernel under the interpreter against the CPU
runtime original (shared by the tests and the corpus benchmark)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from cuport.parse.reader import read_source
from cuport.targets.base import PortRequest, PortResult
from cuport.targets.triton import TARGET
from cuport.verify.cpu_cuda import CpuCudaRunner
from cuport.verify.differential import VerifyResult, verify_kernel
from cuport.verify.protocol import Artifact
from cuport.verify.spec import KernelSpec, load_spec, spec_path_for
from cuport.verify.triton_runner import TritonRunner

# the interpreter costs ~1 ms per program: tests cap every size so grids stay small
MAX_SIZE = 3000


@cache
def original_runner() -> CpuCudaRunner:
    return CpuCudaRunner()


@cache
def triton_runner() -> TritonRunner:
    return TritonRunner()


def port(source: Path, kernels: tuple[str, ...], defines: tuple[tuple[str, str], ...], out_dir: Path) -> tuple[PortResult, Path | None]:
    text = read_source(source)
    assert text.ok, text
    result = TARGET.port_file(text.value, PortRequest(source, kernels=kernels, defines=defines))
    if result.artifact is None:
        return result, None
    out_dir.mkdir(parents=True, exist_ok=True)
    for f in result.files:
        (out_dir / f.relpath).write_text(f.content, "utf-8")
    return result, out_dir / result.artifact


def small(kspec: KernelSpec, cap: int = MAX_SIZE) -> KernelSpec:
    sizes = {k: tuple(min(v, cap) for v in vals) for k, vals in kspec.sizes.items()}
    return replace(kspec, sizes=sizes)


def verify(source: Path, kernel: str, out_dir: Path, *, cap: int = MAX_SIZE, trials: int | None = None) -> tuple[PortResult, VerifyResult | None]:
    spec = load_spec(spec_path_for(source))
    kspec = small(spec.kernels[kernel], cap)
    defines = tuple(kspec.defines.items())
    result, artifact = port(source, (kernel,), defines, out_dir)
    if artifact is None:
        return result, None
    original = Artifact(source, "cuda", defines, kspec.includes)
    ported = Artifact(artifact, "triton")
    n = trials or max(2, kspec.trial_count)
    return result, verify_kernel(original_runner(), triton_runner(), original, ported, kspec, n, seed=1)
