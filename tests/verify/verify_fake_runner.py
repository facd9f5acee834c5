"""A runner of numpy functions behind the Runner protocol, for testing the harness without g++.

An artifact's path names a kernel table in `KERNELS` (its stem); each kernel is a Python function
`fn(launch, *args)` receiving numpy views of the payloads (whole allocations for `raw` kernels, so
tests can plant out-of-bounds writes) and the scalars.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cuport.verify.inputs import typed_view
from cuport.verify.protocol import Artifact, Buffer, Launch, ParamType, RunOutcome, RunRequest

KernelFn = Callable[..., None]


@dataclass(frozen=True)
class FakeKernel:
    signature: list[ParamType]
    fn: KernelFn
    raw: bool = False  # fn gets (data, offset) per buffer instead of typed payload views


@dataclass
class FakePrepared:
    artifact: Artifact
    kernels: dict[str, FakeKernel]


class FakeRunner:
    target = "fake"
    device = "CPU: fake numpy runner"

    def __init__(self, programs: dict[str, dict[str, FakeKernel]]) -> None:
        self.programs = programs
        self.runs = 0

    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> FakePrepared | RunOutcome:
        program = self.programs.get(artifact.path.stem)
        if program is None or any(k.split("<")[0] not in program for k in kernels):
            return RunOutcome("compile_error", message=f"{artifact.path}: no such kernel")
        return FakePrepared(artifact, program)

    def signature(self, prepared: FakePrepared, kernel: str) -> list[ParamType]:
        return prepared.kernels[kernel.split("<")[0]].signature

    def run(self, prepared: FakePrepared, request: RunRequest) -> RunOutcome:
        self.runs += 1
        k = prepared.kernels[request.launch.kernel.split("<")[0]]
        # the harness's buffers stay untouched, like a real runner in another process
        copies = [a.data.copy() if isinstance(a, Buffer) else None for a in request.args]
        call: list[object] = []
        for a, c in zip(request.args, copies, strict=True):
            if isinstance(a, Buffer):
                assert c is not None
                call.append((c, a.offset) if k.raw else typed_view(c[a.offset : a.offset + a.nbytes], a.dtype))
            else:
                call.append(a)
        try:
            k.fn(request.launch, *call)
        except Exception as exc:  # a crashing kernel is an outcome, not an error of the harness
            return RunOutcome("crash", message=f"{type(exc).__name__}: {exc}")
        return RunOutcome("ok", buffers=list(copies))


def ptr(dtype: str, const: bool = False) -> ParamType:
    return ParamType("pointer", dtype, const)


def val(dtype: str) -> ParamType:
    return ParamType("scalar", dtype)


def total_threads(launch: Launch) -> int:
    g, b = launch.grid, launch.block
    return g[0] * g[1] * g[2] * b[0] * b[1] * b[2]
