"""The OpenCL target: CUDA kernels -> OpenCL C with pyopencl and C host launchers, run on PoCL.

    TARGET.port_file(source, request) -> PortResult   (targets/base.py)
    TARGET.runner() -> OpenCLRunner                   (verify/opencl_runner.py)
"""

from __future__ import annotations

from cuport.source import SourceText
from cuport.targets.base import PortRequest, PortResult
from cuport.targets.opencl.port import port_file as _port_file
from cuport.verify.protocol import Runner


class OpenCLTarget:
    name = "opencl"

    def port_file(self, source: SourceText, request: PortRequest) -> PortResult:
        return _port_file(source, request)

    def runner(self, *, warp_size: int = 32) -> Runner:
        from cuport.verify.opencl_runner import OpenCLRunner

        return OpenCLRunner()


TARGET = OpenCLTarget()
