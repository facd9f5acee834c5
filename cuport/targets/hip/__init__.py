"""The HIP target: whole-file source-to-source CUDA -> HIP (see port.py), verified on the CPU
runtime through a `hip*` alias layer (cuport/verify/hip_runner.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cuport.source import SourceText
from cuport.targets.base import KernelPort, PortedFile, PortRequest, PortResult
from cuport.targets.hip.port import HipPort, port_source
from cuport.verify.protocol import Runner

# `.cu` -> `.hip` by default (what HIP projects use); options["extension"] overrides it, and
# options["keep_extension"] keeps the source's own name (in-place ports of a tree).
DEFAULT_EXTENSION = ".hip"
HEADER_SUFFIXES = (".h", ".hpp", ".cuh", ".hh", ".inl")


def output_name(path: Path, options: dict[str, object]) -> str:
    if options.get("keep_extension") or path.suffix in HEADER_SUFFIXES:
        return path.name
    ext = str(options.get("extension", DEFAULT_EXTENSION))
    return path.with_suffix(ext if ext.startswith(".") else f".{ext}").name


@dataclass(frozen=True)
class HipTarget:
    name: str = "hip"

    def port_file(self, source: SourceText, request: PortRequest) -> PortResult:
        port: HipPort = port_source(source, warp_rewrites=bool(request.options.get("warp_rewrites", True)))
        rel = output_name(request.path, request.options)
        kernels = tuple(KernelPort(k, "ported", rules=("hip.rename",)) for k in request.kernels)
        return PortResult(
            source=request.path,
            target=self.name,
            files=(PortedFile(rel, port.text),),
            kernels=kernels,
            artifact=rel,
            diagnostics=tuple(port.diagnostics),
        )

    def runner(self, *, warp_size: int = 32) -> Runner:
        from cuport.verify.hip_runner import HipCpuRunner

        return HipCpuRunner(warp_size=warp_size)


TARGET = HipTarget()
