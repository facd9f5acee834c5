"""The Runner for target "opencl": OpenCL C ports run on PoCL (a CPU OpenCL device) via pyopencl.

PoCL does no bounds checks, and an out-of-bounds write corrupts the host process, so every build
and every launch happens in a child process (targets/opencl/pocl_child.py) with a
timeout; the whole allocations (guard zones included) go through a scratch folder and come back
for the harness to check. Each buffer is a sub-buffer at the payload's offset inside one OpenCL
buffer holding the whole allocation, so writes just past the payload land in the guard zones.
`RunRequest.repeat` launches run in one child, the whole allocations copied back in before each
(untimed). PoCL's kernel binaries are cached under the cuport cache dir (`POCL_CACHE_DIR`).

The `.cl` file's manifest (targets/opencl/port.py) gives the kernels' OpenCL names, parameters and
the arguments the port added: `__constant__` symbols (filled from RunRequest.constants) and the
dynamic `__local` buffer (sized by Launch.shared_bytes) and the warp-exchange one (8 bytes per work-item).
For parameters that point to structs it also gives the layout the port was printed with; PoCL's own
sizeof and field offsets are probed when the port is built (a kernel appended to a copy of the
program), so a struct that OpenCL C lays out otherwise (a float3 field is 16 bytes there) is a build
failure with the reason, never a comparison of shifted bytes.
"""

from __future__ import annotations

import json
import math
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cuport.diagnostics import diag
from cuport.ir.layout import StructLayout
from cuport.targets.opencl.port import read_manifest
from cuport.verify.build_cache import default_cache_root
from cuport.verify.cpu_cuda import run_process, scratch_dir
from cuport.verify.protocol import Artifact, Buffer, ParamType, RunOutcome, RunRequest
from cuport.verify.sandbox import candidate_env

# the child runs by path: importing the cuport package would cost more than the kernel
_CHILD = Path(__file__).resolve().parents[1] / "targets" / "opencl" / "pocl_child.py"


@dataclass
class PreparedOpenCL:
    artifact: Artifact
    source: str
    manifest: dict[str, dict]
    symbol_sizes: dict[str, int] = field(default_factory=dict)
    build_s: float = 0.0


def _env() -> dict[str, str]:
    env = candidate_env()
    cache = default_cache_root() / "pocl"
    cache.mkdir(parents=True, exist_ok=True)
    env["POCL_CACHE_DIR"] = str(cache)
    env.setdefault("POCL_KERNEL_CACHE", "1")
    return env


@dataclass
class OpenCLRunner:
    target: str = "opencl"
    timeout_build_s: float = 120.0

    @property
    def device(self) -> str:
        return "CPU: PoCL (pyopencl), OpenCL C 1.2"

    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> PreparedOpenCL | RunOutcome:
        path = Path(artifact.path)
        try:
            source = path.read_text("utf-8")
        except OSError as exc:
            return RunOutcome("compile_error", message=f"cannot read {path}: {exc}")
        manifest = read_manifest(source)
        if manifest is None:
            return RunOutcome("compile_error", message=f"{path}: no cuport manifest (not a port made by cuport)")
        known: dict[str, dict] = manifest["kernels"]  # type: ignore[assignment]
        missing = [k for k in kernels if k not in known]
        if missing:
            return RunOutcome("compile_error", message=f"{path}: kernel {missing[0]!r} was not ported",
                              diagnostics=(diag("CO001", None, reason=f"kernel {missing[0]!r} is not in the port"),))
        sizes: dict[str, int] = {}
        for k in known.values():
            for s in k["symbols"]:
                sizes[s["name"]] = int(s["count"]) * np.dtype(s["dtype"].split("x")[0]).itemsize * _lanes(s["dtype"])
        layouts = _layouts(known[k] for k in kernels)
        probe, expected = _layout_probe(layouts)
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="cuport-ocl-", dir=scratch_dir()) as tmp:
            req = Path(tmp) / "request.pkl"
            req.write_bytes(pickle.dumps({"mode": "build", "source": source, "probe": probe, "probe_count": len(expected),
                                         "probe_bytes": max((lay.size for lay in layouts.values()), default=1)}))
            out = run_process([sys.executable, str(_CHILD), str(req)], _env(),
                              Path(tmp) / "report.txt", self.timeout_build_s, what=f"build {path.name}")
            probed = json.loads((Path(tmp) / "probe.json").read_text()) if probe and out.status == "ok" else []
        if out.status != "ok":
            log = getattr(out, "stderr", b"").decode("utf-8", "replace")[-1500:]
            reason = (log or out.message).strip()
            return RunOutcome("compile_error", message=reason,
                              diagnostics=(diag("CO006", None, kernel=", ".join(kernels), reason=reason[-300:]),))
        wrong = next((f"{what}: PoCL has {got}, the port's layout says {want}"
                      for (what, want), got in zip(expected, probed, strict=True) if got != want), None)
        if wrong:
            reason = f"OpenCL C lays out a struct otherwise than CUDA: {wrong}"
            return RunOutcome("compile_error", message=reason,
                              diagnostics=(diag("CO006", None, kernel=", ".join(kernels), reason=reason),))
        return PreparedOpenCL(artifact, source, known, sizes, time.perf_counter() - start)

    def signature(self, prepared: PreparedOpenCL, kernel: str) -> list[ParamType]:
        return [ParamType(p["kind"], p["dtype"], bool(p["const"])) for p in prepared.manifest[kernel]["params"]]

    def struct_layout(self, prepared: PreparedOpenCL, kernel: str, index: int) -> StructLayout | None:
        """The layout the port gives the struct parameter `index` points to (None: not a struct)."""
        params = prepared.manifest[kernel]["params"]
        found = params[index].get("layout") if index < len(params) else None
        return StructLayout.from_json(found) if isinstance(found, dict) else None

    def symbol_dtype(self, prepared: PreparedOpenCL, name: str) -> str | None:
        for k in prepared.manifest.values():
            for s in k["symbols"]:
                if s["name"] == name:
                    return str(s["dtype"])
        return None

    def run(self, prepared: PreparedOpenCL, request: RunRequest) -> RunOutcome:
        launch = request.launch
        entry = prepared.manifest.get(launch.kernel)
        if entry is None:
            return RunOutcome("error", message=f"kernel {launch.kernel!r} was not prepared")
        params = entry["params"]
        if len(request.args) != len(params):
            return RunOutcome("error", message=f"{launch.kernel} takes {len(params)} arguments, got {len(request.args)}")
        args: list[tuple] = []
        buffers: dict[int, np.ndarray] = {}
        for i, (value, p) in enumerate(zip(request.args, params, strict=True)):
            if isinstance(value, Buffer):
                buffers[i] = value.data
                args.append(("buf", i, value.offset, value.nbytes))
            elif p["kind"] == "pointer":
                return RunOutcome("error", message=f"argument {i} of {launch.kernel} is a pointer but got {value!r}")
            else:
                args.append(("scalar", p["dtype"], value))
        for j, s in enumerate(entry["symbols"]):
            buf = request.constants.get(s["name"])
            if buf is None:
                return RunOutcome("error", message=f"symbol {s['name']!r} has no value in the request")
            buffers[1000 + j] = buf.data
            args.append(("buf", 1000 + j, buf.offset, buf.nbytes))
        if entry["dynamic_shared"]:
            args.append(("local", max(int(launch.shared_bytes), 1)))
        if entry.get("warp_scratch"):
            args.append(("local", 8 * math.prod(launch.block)))
        job = {"mode": "run", "source": prepared.source, "kernel": entry["name"], "args": args,
               "global": [g * b for g, b in zip(launch.grid, launch.block, strict=True)], "local": list(launch.block), "repeat": max(int(request.repeat), 1)}
        with tempfile.TemporaryDirectory(prefix="cuport-ocl-", dir=scratch_dir()) as tmp:
            req, data = Path(tmp) / "request.pkl", Path(tmp) / "data.npz"
            req.write_bytes(pickle.dumps(job))
            np.savez(data, **{str(k): v for k, v in buffers.items()})
            out = run_process([sys.executable, str(_CHILD), str(req), str(data)], _env(),
                              Path(tmp) / "report.txt", request.timeout_s, what=launch.kernel)
            if out.status != "ok":
                err = getattr(out, "stderr", b"").decode("utf-8", "replace").strip()
                if err:
                    out.message = f"{out.message}: {err[-800:]}"
                out.buffers = [None] * len(request.args)
                return out
            result = np.load(Path(tmp) / "out.npz")
            out.buffers = [result[str(i)].copy() if isinstance(v, Buffer) else None for i, v in enumerate(request.args)]
            report = json.loads((Path(tmp) / "timing.json").read_text())
            out.elapsed_s = float(report["elapsed_s"])
            out.samples_s = [float(t) for t in report.get("samples_s", [])]
        return out


def _layouts(entries: object) -> dict[str, StructLayout]:
    out: dict[str, StructLayout] = {}
    for entry in entries:  # type: ignore[attr-defined]
        for p in entry["params"]:
            if isinstance(p.get("layout"), dict):
                layout = StructLayout.from_json(p["layout"])
                out[layout.name] = layout
    return out


def _layout_probe(layouts: dict[str, StructLayout]) -> tuple[str, list[tuple[str, int]]]:
    """An OpenCL kernel that writes sizeof and every leaf's offset of each struct, and what each
    value must be. The offsets are taken on a real buffer (OpenCL C 1.2 has no offsetof)."""
    if not layouts:
        return "", []
    params, lines, expected = [], [], []
    for k, layout in enumerate(layouts.values()):
        params.append(f"__global {layout.name}* s{k}")
        checks = [(f"sizeof({layout.name})", f"sizeof({layout.name})", layout.size)]
        checks += [(f"offset of {layout.name}.{leaf.name}",
                    f"(ulong)((__global char*)&s{k}->{leaf.name} - (__global char*)s{k})", leaf.offset)
                   for leaf in layout.leaves]
        for what, text, want in checks:
            lines.append(f"    out[{len(expected)}] = {text};")
            expected.append((what, want))
    head = f"__kernel void cuport_layout_probe({', '.join(params)}, __global ulong* out)\n{{"
    return "\n".join([head, *lines, "}"]) + "\n", expected


def _lanes(dtype: str) -> int:
    return int(dtype.split("x")[1]) if "x" in dtype else 1
