"""The child process of the PoCL runner (verify/opencl_runner.py): builds or runs one OpenCL launch.

Run by path with only numpy and pyopencl imported, so each isolated launch starts fast. A crash here
(an out-of-bounds write corrupting the heap) ends this process only.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

_BUILD_OPTIONS = ("-cl-std=CL1.2",)


def _context():  # noqa: ANN202 - pyopencl types
    import pyopencl as cl

    for platform in cl.get_platforms():
        if "Portable Computing Language" in platform.name:
            return cl.Context(platform.get_devices())
    return cl.create_some_context(interactive=False)


def _child(request_path: Path, data_path: Path | None) -> int:
    import pyopencl as cl

    job = pickle.loads(request_path.read_bytes())
    ctx = _context()
    try:
        program = cl.Program(ctx, job["source"]).build(options=list(_BUILD_OPTIONS))
    except cl.RuntimeError as exc:
        print(f"OpenCL build failed: {exc}", file=sys.stderr)
        return 2
    if job["mode"] == "build":
        if job.get("probe"):
            _probe_layouts(ctx, job["source"] + "\n" + job["probe"], int(job["probe_count"]), int(job["probe_bytes"]),
                           request_path.with_name("probe.json"))
        return 0
    assert data_path is not None
    queue = cl.CommandQueue(ctx)
    data = dict(np.load(data_path))
    mf = cl.mem_flags
    whole: dict[str, cl.Buffer] = {}
    kernel_args: list[object] = []
    for a in job["args"]:
        if a[0] == "buf":
            _, key, offset, nbytes = a
            host = data[str(key)]
            whole[str(key)] = cl.Buffer(ctx, mf.READ_WRITE | mf.COPY_HOST_PTR, hostbuf=host) if host.nbytes else None
            if not host.nbytes:
                kernel_args.append(None)
            else:
                kernel_args.append(whole[str(key)].get_sub_region(offset, max(nbytes, 1)))
        elif a[0] == "scalar":
            dtype = a[1].split("x")[0]
            kernel_args.append(np.array(a[2], dtype=np.bool_ if dtype == "bool" else dtype)[()])
        else:
            kernel_args.append(cl.LocalMemory(a[1]))
    kernel = getattr(program, job["kernel"])
    kernel.set_args(*kernel_args)
    samples: list[float] = []
    for r in range(max(int(job.get("repeat", 1)), 1)):
        if r:  # the same inputs for every launch: the whole allocations written back, untimed
            for key, buf in whole.items():
                if buf is not None:
                    cl.enqueue_copy(queue, buf, data[key]).wait()
        start = time.perf_counter()
        cl.enqueue_nd_range_kernel(queue, kernel, tuple(job["global"]), tuple(job["local"])).wait()
        samples.append(time.perf_counter() - start)
    out = {}
    for key, buf in whole.items():
        host = np.empty_like(data[key])
        if buf is not None:
            cl.enqueue_copy(queue, host, buf).wait()
        out[key] = host
    np.savez(data_path.with_name("out.npz"), **out)
    data_path.with_name("timing.json").write_text(json.dumps({"elapsed_s": samples[-1], "samples_s": samples}))
    return 0


def _probe_layouts(ctx: object, source: str, count: int, nbytes: int, out_path: Path) -> None:
    """Run the struct-layout probe (one work-item): its first arguments are buffers of one struct
    each, the last receives sizeof and the offsets."""
    import pyopencl as cl

    kernel = cl.Program(ctx, source).build(options=list(_BUILD_OPTIONS)).cuport_layout_probe
    queue = cl.CommandQueue(ctx)
    mf = cl.mem_flags
    structs = [cl.Buffer(ctx, mf.READ_WRITE, max(nbytes, 1)) for _ in range(kernel.num_args - 1)]
    out = np.zeros(count, dtype=np.uint64)
    out_buf = cl.Buffer(ctx, mf.WRITE_ONLY, out.nbytes)
    kernel.set_args(*structs, out_buf)
    cl.enqueue_nd_range_kernel(queue, kernel, (1,), (1,)).wait()
    cl.enqueue_copy(queue, out, out_buf).wait()
    out_path.write_text(json.dumps([int(v) for v in out]))


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None))
