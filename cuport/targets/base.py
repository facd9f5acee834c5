"""What every target emitter returns, and the registry that `cuport port` and `cuport verify --to` use.

A target module `cuport/targets/<name>/__init__.py` exposes `TARGET`, an object with:

    name: str                                   # "hip" | "opencl" | "triton"
    def port_file(self, source: SourceText, request: PortRequest) -> PortResult
    def runner(self, *, warp_size: int = 32) -> Runner   # runs this target's artifact (verify/protocol.py)

`port_file` is a pure function of the source text, the spec and the options (so jobs can be cached
by content hash and run anywhere); it never writes files — `cuport port` writes `PortResult.files`
atomically under the output folder.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from cuport.diagnostics import Diagnostic
from cuport.source import SourceText
from cuport.verify.protocol import Runner

KernelStatus = Literal["ported", "not_ported", "not_candidate"]
TARGET_NAMES = ("hip", "opencl", "triton")


@dataclass(frozen=True)
class KernelPort:
    kernel: str  # as in the spec table / inventory ("reduce<float, 256>" for an instance)
    status: KernelStatus
    how: Literal["rule", "llm"] = "rule"
    rules: tuple[str, ...] = ()  # names of the rules that made it (e.g. "triton.idiom.block_reduce")
    reason: str = ""  # why not ported / not a candidate
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class PortedFile:
    relpath: str  # relative to the target's output folder, e.g. "reduce.cl", "reduce_launch.py"
    content: str


@dataclass(frozen=True)
class PortRequest:
    path: Path  # the source file (for messages and relative output names)
    kernels: tuple[str, ...] = ()  # spec table names to port (templates instantiated); () = all found
    defines: tuple[tuple[str, str], ...] = ()
    includes: tuple[Path, ...] = ()
    warp_size: int = 32
    options: dict[str, object] = field(default_factory=dict)
    # The other files of the project (separate compilation, nvcc -rdc): a __device__ function the
    # file only declares is lowered from the one of them defining it.
    project: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PortResult:
    source: Path
    target: str
    files: tuple[PortedFile, ...]
    kernels: tuple[KernelPort, ...]
    artifact: str | None = None  # relpath of the file a runner executes (None: nothing runnable)
    diagnostics: tuple[Diagnostic, ...] = ()


class Target(Protocol):
    name: str

    def port_file(self, source: SourceText, request: PortRequest) -> PortResult: ...

    def runner(self, *, warp_size: int = 32) -> Runner: ...


def get_target(name: str) -> Target:
    """The target called `name`; ValueError if there is no such target or it is not built yet."""
    if name not in TARGET_NAMES:
        raise ValueError(f"unknown target '{name}' (known: {', '.join(TARGET_NAMES)})")
    try:
        module = importlib.import_module(f"cuport.targets.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"cuport.targets.{name}":
            raise ValueError(f"target '{name}' is not available in this version") from None
        raise
    return module.TARGET  # type: ignore[no-any-return]


def available_targets() -> list[str]:
    out = []
    for name in TARGET_NAMES:
        try:
            get_target(name)
        except ValueError:
            continue
        out.append(name)
    return out
