"""The Triton target: CUDA kernels -> Triton Python (one program per CUDA block), verified under the
Triton interpreter on the CPU or compiled for real on a GPU (cuport/verify/triton_runner.py).

    analyses:   uniformity.py (block-uniform vs thread-varying values)
    lowering:   lower.py (general: lanes as vectors, masks for divergence), idioms.py (pattern rules)
    output:     prelude.py (helpers), launcher.py (torch launchers), port.py (the module)
"""

from __future__ import annotations

from cuport.source import SourceText
from cuport.targets.base import PortRequest, PortResult
from cuport.verify.protocol import Runner


class TritonTarget:
    name = "triton"

    def port_file(self, source: SourceText, request: PortRequest) -> PortResult:
        from cuport.targets.triton.port import port_file

        return port_file(source, request)

    def runner(self, *, warp_size: int = 32) -> Runner:
        from cuport.verify.triton_runner import TritonRunner

        if warp_size != 32:
            raise ValueError("Triton ports run NVIDIA's 32-wide warps; --warp-size 64 does not apply")
        return TritonRunner()


TARGET = TritonTarget()
