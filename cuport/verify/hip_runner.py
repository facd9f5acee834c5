"""The Runner for target "hip": HIP ports run on the CPU runtime for CUDA through a `hip*` alias layer.

The port is compiled exactly like an original (cpu_cuda.py) with one more include folder in front:
generated `hip/*.h` headers that include the runtime's CUDA headers and define every HIP name as
its CUDA counterpart (cuport/targets/hip/aliases.py). `CUPORT_LANEMASK_64` gives votes and ballots
HIP's 64-bit result type. The warp size is the runner's (32 or 64), so a port can be run as on a
64-wide wavefront against the original at 32.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cuport.targets.hip.aliases import alias_include_dir
from cuport.verify.build_cache import compiler_version
from cuport.verify.cpu_cuda import CpuCudaRunner, PreparedCuda
from cuport.verify.protocol import Artifact, RunOutcome

HIP_DEFINES = (("CUPORT_LANEMASK_64", "1"),)


@dataclass
class HipCpuRunner(CpuCudaRunner):
    target: str = "hip"

    @property
    def device(self) -> str:
        workers = self.workers or os.cpu_count() or 1
        return (f"CPU: cuport CUDA runtime with the hip* alias layer (g++ {compiler_version()}), "
                f"{workers} workers, warp {self.warp_size}")

    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> PreparedCuda | RunOutcome:
        aliases = alias_include_dir(self.cache.root)
        as_cuda = Artifact(
            path=artifact.path,
            target="cuda",
            defines=tuple(artifact.defines) + tuple(d for d in HIP_DEFINES if d[0] not in dict(artifact.defines)),
            includes=(aliases, *artifact.includes),
        )
        prepared = super().prepare(as_cuda, kernels, symbols)
        if isinstance(prepared, PreparedCuda):
            prepared.artifact = artifact
        return prepared
