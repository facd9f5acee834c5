"""The one protocol every runner speaks, so targets plug into verification and benchmarking.

    artifact (source of the original or a port) + kernel names --prepare--> Prepared (compiled, cached)
    Prepared + RunRequest (launch geometry, argument buffers with guard zones) --run--> RunOutcome

Runners execute untrusted code (a port may come from an LLM): they run it in a separate process with
a timeout and hand back the whole allocations, guard zones included, so the harness can check them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from cuport.diagnostics import Diagnostic

ParamKind = Literal["pointer", "scalar"]

# dtype names are numpy's ("float32", "int64", ...). CUDA vector types are "<base>x<lanes>",
# e.g. float4 -> "float32x4", int2 -> "int32x2"; half -> "float16"; bool -> "bool".


@dataclass(frozen=True)
class ParamType:
    kind: ParamKind
    dtype: str
    const: bool = False  # for pointers: the pointee is const


@dataclass(frozen=True)
class Launch:
    kernel: str  # as named in the spec table: "saxpy" or "reduce<float, 256>"
    grid: tuple[int, int, int]
    block: tuple[int, int, int]
    shared_bytes: int = 0


@dataclass
class Buffer:
    """One device allocation: `data` is the whole allocation as bytes, guard zones included.

    The kernel sees the payload `data[offset:offset + nbytes]`; everything else is guard zone
    that the harness filled with a canary and checks after the run.
    """

    data: np.ndarray  # 1-D uint8
    offset: int
    nbytes: int
    dtype: str

    def payload(self) -> np.ndarray:
        return self.data[self.offset : self.offset + self.nbytes]


ArgValue = Buffer | int | float


@dataclass
class RunRequest:
    launch: Launch
    args: list[ArgValue]  # one per kernel parameter, in order
    constants: dict[str, Buffer] = field(default_factory=dict)  # __constant__ symbols, filled before launch
    timeout_s: float = 60.0
    seed: int = 0  # for runner-side randomness (block order shuffling)
    # Launches in one process, each on the same inputs (every allocation and constant restored
    # before it, untimed): benchmarks time the kernel, not process start-up. The outcome's buffers
    # are the last launch's.
    repeat: int = 1


RunStatus = Literal["ok", "compile_error", "timeout", "crash", "deadlock", "error"]


@dataclass
class RunOutcome:
    status: RunStatus
    # after the run: the whole allocation (guards included) per argument, None for scalars
    buffers: list[np.ndarray | None] = field(default_factory=list)
    message: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    elapsed_s: float = 0.0  # wall time of the kernel launch itself, when the runner can tell
    samples_s: list[float] = field(default_factory=list)  # per-launch kernel times, one per repeat


@dataclass(frozen=True)
class Artifact:
    """Source to run: the original .cu, or a port (.cu/.hip/.cl/.py)."""

    path: Path
    target: str  # "cuda" | "hip" | "opencl" | "triton"
    defines: tuple[tuple[str, str], ...] = ()
    includes: tuple[Path, ...] = ()
    # The program's other files (separate compilation): where functions `path` only declares are
    # defined. The CPU runtime compiles them with it; ports look definitions up there.
    sources: tuple[Path, ...] = ()


class Prepared(Protocol):
    """A compiled artifact, ready to run (opaque to the harness)."""

    artifact: Artifact


class Runner(Protocol):
    target: str  # which artifacts it runs
    device: str  # named in every report, e.g. "CPU: cuport CUDA runtime (g++ 12), 2 workers"

    def prepare(
        self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()
    ) -> Prepared | RunOutcome:
        """Compile (cached by content hash) for these kernels (spec table names, template arguments
        included) and `__constant__`/`__device__` symbols the harness will fill.
        Returns a RunOutcome with status compile_error on failure."""
        ...

    def signature(self, prepared: Prepared, kernel: str) -> list[ParamType]:
        """The kernel's parameters as the compiled artifact sees them."""
        ...

    def run(self, prepared: Prepared, request: RunRequest) -> RunOutcome:
        """One launch in an isolated process, with the request's timeout."""
        ...
