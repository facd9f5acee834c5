"""The Python launcher of one ported kernel: the CUDA kernel's signature, torch tensors for
pointers, and the CUDA launch geometry (`grid`, `block`, `shared` bytes) turned into a Triton grid
of one program per CUDA block."""

from __future__ import annotations

from cuport.ir import nodes as ir
from cuport.ir.types import Pointer, ScalarKind
from cuport.targets.triton.lower import LoweredKernel
from cuport.targets.triton.types import scalar_of

FILE_HELPERS = '''
def _dim3(d):
    """CUDA dim3 from an int or a 1- to 3-tuple."""
    d = (d,) if isinstance(d, int) else tuple(d)
    return d + (1,) * (3 - len(d))


def _device(*args):
    for a in args:
        if isinstance(a, torch.Tensor):
            return a.device
    return torch.device("cpu")


def _scratch(programs, stride, device):
    """One slice of `stride` bytes per program: shared memory and per-thread arrays."""
    stride = (stride + 15) // 16 * 16
    return torch.empty(max(programs * stride, 16), dtype=torch.uint8, device=device), stride


# __constant__ and __device__ symbols: fill before launching (cudaMemcpyToSymbol)
CONSTANTS: dict = {}


def _symbol(name):
    if name not in CONSTANTS:
        raise ValueError(f"__constant__ symbol {name!r} is not set: put a tensor in CONSTANTS[{name!r}]")
    return CONSTANTS[name]
'''


def launcher(kernel: ir.Kernel, lowered: LoweredKernel, py_name: str, symbols: list[str]) -> str:
    params = list(lowered.param_names)
    pointer_names = [n for n, p in zip(params, kernel.params, strict=True) if isinstance(p.type, Pointer)]
    call_args = []
    for name, p in zip(params, kernel.params, strict=True):
        if not isinstance(p.type, Pointer) and scalar_of(p.type).kind == ScalarKind.F64:
            call_args.append(f"torch.tensor([{name}], dtype=torch.float64, device=device)")
        else:
            call_args.append(name)
    call_args += [f"_symbol({s!r})" for s in symbols]
    lines = [f"def {py_name}({', '.join(params)}, *, grid, block, shared=0):"]
    if lowered.launch is not None:
        return "\n".join(lines + _idiom_launch(kernel, lowered, call_args)) + "\n"
    lines.append(f'    """Launch like `{kernel.name}<<<grid, block, shared>>>(...)`: one Triton program per CUDA block."""')
    lines.append("    (gx, gy, gz), (bx, by, bz) = _dim3(grid), _dim3(block)")
    lines.append(f"    block_size = max(triton.next_power_of_2(bx * by * bz), {lowered.min_block})")
    needs_device = lowered.uses_scratch or any("device=device" in a for a in call_args)
    if needs_device:
        lines.append(f"    device = _device({', '.join(pointer_names)})")
    extra = ""
    if lowered.uses_scratch:
        per = f"{lowered.static_scratch} + shared"
        if lowered.local_bytes:
            per += f" + {lowered.local_bytes} * block_size"
        lines.append(f"    scratch, stride = _scratch(gx * gy * gz, {per}, device)")
        call_args += ["scratch", "stride"]
        if lowered.local_bytes:
            extra = f", LOCAL_BYTES={lowered.local_bytes}"
    lines.append(f"    {lowered.name}[(gx, gy, gz)](")
    lines.append(f"        {', '.join(call_args)},")
    lines.append(f"        BLOCK_X=bx, BLOCK_Y=by, BLOCK_Z=bz, BLOCK=block_size{extra},")
    lines.append("    )")
    return "\n".join(lines) + "\n"



def _idiom_launch(kernel: ir.Kernel, lowered: LoweredKernel, call_args: list[str]) -> list[str]:
    """Launcher body of a whole-kernel idiom whose programs are not CUDA blocks."""
    info = lowered.launch or {}
    lines = []
    needs_device = any("device=device" in a for a in call_args)
    if info["kind"] == "elementwise":
        n, elems = info["bound"], info["elems"]
        if info["form"] == "stride":
            lines.append(f'    """Launch like `{kernel.name}<<<grid, block>>>(...)`; the grid-stride loop covers {n} whatever the grid."""')
            limit = f"    limit = {n}"
        else:
            lines.append(f'    """Launch like `{kernel.name}<<<grid, block>>>(...)`: the CUDA threads with index < {n} run."""')
            limit = f"    limit = min({n}, gx * bx)  # CUDA threads that exist and pass the guard"
        lines.append("    (gx, gy, gz), (bx, by, bz) = _dim3(grid), _dim3(block)")
        lines.append("    if (gy, gz, by, bz) != (1, 1, 1, 1):")
        lines.append('        raise ValueError("this port is for 1-D launches (blockIdx.x * blockDim.x + threadIdx.x)")')
        lines.append(limit)
        lines.append("    if limit <= 0:")
        lines.append("        return")
        if needs_device:
            lines.append(f"    device = _device({', '.join(a for a in lowered.param_names)})")
        lines.append(f"    {lowered.name}[(triton.cdiv(limit, {elems}),)](")
        lines.append(f"        {', '.join(call_args)}, limit,")
        lines.append(f"        ELEMS={elems},")
        lines.append("    )")
        return lines
    if info["kind"] == "tiles":
        tile = info["tile"]
        lines.append(f'    """Launch like `{kernel.name}<<<grid, block>>>(...)`: one program per {tile}x{tile} output tile (CUDA block)."""')
        lines.append("    (gx, gy, gz), (bx, by, bz) = _dim3(grid), _dim3(block)")
        lines.append(f"    if (bx, by, bz) != ({tile}, {tile}, 1):")
        lines.append(f'        raise ValueError("this port is for {tile}x{tile} blocks, as the CUDA tiles are")')
        lines.append(f"    {lowered.name}[(gx, gy, gz)](")
        lines.append(f"        {', '.join(call_args)},")
        lines.append(f"        TILE={tile},")
        lines.append("    )")
        return lines
    if info["kind"] == "dot_tiles":
        tile, m, n = info["tile"], info["M"], info["N"]
        lines.append(f'    """Launch like `{kernel.name}<<<grid, block>>>(...)`: one program per {tile}x{tile} tile of the output."""')
        lines.append("    (gx, gy, gz), (bx, by, bz) = _dim3(grid), _dim3(block)")
        lines.append("    if bz != 1:")
        lines.append('        raise ValueError("this port is for 2-D blocks (threadIdx.x, threadIdx.y)")')
        lines.append(f"    row_limit = min({m}, gy * by)  # CUDA threads that exist and pass the guard")
        lines.append(f"    col_limit = min({n}, gx * bx)")
        lines.append("    if row_limit <= 0 or col_limit <= 0:")
        lines.append("        return")
        # without a batch, every blockIdx.z computes the same matrix: one is enough
        batches = "gz" if info.get("batched") else "1"
        lines.append(f"    {lowered.name}[(triton.cdiv(col_limit, {tile}), triton.cdiv(row_limit, {tile}), {batches})](")
        lines.append(f"        {', '.join(call_args)}, row_limit, col_limit,")
        lines.append(f"        TILE={tile},")
        lines.append("    )")
        return lines
    if info["kind"] == "block_scan":
        threads, elems = info["threads"], info["elems"]
        lines.append(f'    """Launch like `{kernel.name}<<<grid, {threads}>>>(...)`: one program scans the {elems} elements of one CUDA block."""')
        lines.append("    (gx, gy, gz), (bx, by, bz) = _dim3(grid), _dim3(block)")
        lines.append(f"    if (bx, by, bz) != ({threads}, 1, 1):")
        lines.append(f'        raise ValueError("this port is for blocks of {threads} threads, as the CUDA scan ({info["form"]}) is")')
        # blocks of other rows of the grid redo blockIdx.x's work with the same result: one row is enough
        lines.append(f"    {lowered.name}[(gx,)](")
        lines.append(f"        {', '.join(call_args)},")
        lines.append(f"        ELEMS={elems},")
        lines.append("    )")
        return lines
    if info["kind"] == "rows":
        return _rows_launch(kernel, lowered, call_args, info)
    raise ValueError(f"unknown launch kind {info['kind']!r}")


def _rows_launch(kernel: ir.Kernel, lowered: LoweredKernel, call_args: list[str], info: dict[str, str]) -> list[str]:
    """triton.idiom.rows: one program per row group (a CUDA block, or one warp of one)."""
    warp = info["group"] == "warp"
    who = "one warp of a CUDA block" if warp else "one CUDA block"
    lines = [f'    """Launch like `{kernel.name}<<<grid, block>>>(...)`: one program per row group ({who}), the row in tiles."""',
             "    (gx, gy, gz), (bx, by, bz) = _dim3(grid), _dim3(block)"]
    for check in info["checks"].split(";") if info["checks"] else []:
        lines.append(f"    if not ({check}):")
        lines.append(f'        raise ValueError("this port assumes blocks with {check}, as the CUDA kernel\'s reductions do")')
    if any("device=device" in a for a in call_args):
        lines.append(f"    device = _device({', '.join(lowered.param_names)})")
    tile_max = info["tile_max"]
    if info["tile_from"]:
        lines.append(f"    tile = min(max(triton.next_power_of_2(max({info['tile_from']}, 1)), 16), {tile_max})  # columns per step")
    else:
        lines.append(f"    tile = {tile_max}  # columns per step")
    programs = "gx * warps" if warp else "gx"
    if warp:
        lines.append("    warps = bx * by * bz // 32")
    lines.append(f"    {lowered.name}[({programs}, gy, gz)](")
    lines.append(f"        {', '.join(call_args)},")
    lines.append(f"        BLOCK_X=bx, BLOCK_Y=by, BLOCK_Z=bz, TILE=tile{', WARPS=warps' if warp else ''},")
    lines.append("    )")
    return lines
