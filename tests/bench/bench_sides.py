"""Shared pieces of the benchmark tests: a small CUDA kernel, its ports (fair, slow, wrong) and
stand-in runners that wrap the real CPU runtime to plant one fault each (wrong only under timing,
a lying clock, another device)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cuport.verify.cpu_cuda import CpuCudaRunner
from cuport.verify.protocol import Artifact, Buffer, Prepared, RunOutcome, RunRequest
from cuport.verify.spec import KernelSpec, parse_spec

ORIGINAL = """\
__global__ void axpy(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}
"""

# the same result after a loop the compiler must keep: several thousand times the work per thread
SLOW = """\
__global__ void axpy(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    volatile float spin = 0.0f;
    for (int k = 0; k < 500; ++k) spin = spin + 1.0f;
    if (i < n) y[i] = a * x[i] + y[i];
}
"""

WRONG = """\
__global__ void axpy(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i] + 0.5f;
}
"""

SPEC = """\
[axpy]
grid = "cdiv(n, 128)"
block = 128
sizes = { n = [3, 2049] }
args = ["n", { value = "uniform(-2, 2)" }, { len = "n", init = "uniform(-1, 1)" },
        { len = "n", init = "uniform(-1, 1)", out = true }]
"""


@dataclass
class Sources:
    original: Path
    slow: Path
    wrong: Path
    spec_path: Path

    @property
    def kspec(self) -> KernelSpec:
        return parse_spec(self.spec_path.read_text(), self.spec_path).kernels["axpy"]


def write_sources(folder: Path) -> Sources:
    files = {"axpy.cu": ORIGINAL, "axpy_slow.cu": SLOW, "axpy_wrong.cu": WRONG, "axpy.cuport.toml": SPEC}
    for name, text in files.items():
        (folder / name).write_text(text)
    return Sources(folder / "axpy.cu", folder / "axpy_slow.cu", folder / "axpy_wrong.cu", folder / "axpy.cuport.toml")


def cuda(path: Path) -> Artifact:
    return Artifact(path, "cuda")


@dataclass
class Wrapped:
    """The CPU runtime with one planted behaviour; `log` records every run in order."""

    inner: CpuCudaRunner = field(default_factory=lambda: CpuCudaRunner(workers=1))
    target: str = "cuda"
    device_name: str = ""
    corrupt_after: int | None = None  # from this many runs on, the last output comes back changed
    clock_scale: float = 1.0  # what the runner claims the run took, relative to the real time
    name: str = ""
    log: list[str] = field(default_factory=list)
    repeats: list[int] = field(default_factory=list)  # RunRequest.repeat of every run
    runs: int = 0

    @property
    def device(self) -> str:
        return self.device_name or self.inner.device

    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> Prepared | RunOutcome:
        return self.inner.prepare(artifact, kernels, symbols)

    def signature(self, prepared: Prepared, kernel: str):  # noqa: ANN201 - the inner runner's type
        return self.inner.signature(prepared, kernel)  # type: ignore[arg-type]

    def run(self, prepared: Prepared, request: RunRequest) -> RunOutcome:
        self.runs += 1
        self.log.append(self.name)
        out = self.inner.run(prepared, request)  # type: ignore[arg-type]
        out.elapsed_s *= self.clock_scale
        out.samples_s = [t * self.clock_scale for t in out.samples_s]
        self.repeats.append(request.repeat)
        if self.corrupt_after is not None and self.runs > self.corrupt_after and out.status == "ok":
            i = max(j for j, a in enumerate(request.args) if isinstance(a, Buffer))
            buf, arg = out.buffers[i], request.args[i]
            assert buf is not None and isinstance(arg, Buffer)
            buf[arg.offset : arg.offset + 4] ^= 0x40  # one float changed: a plausible, wrong answer
        return out
