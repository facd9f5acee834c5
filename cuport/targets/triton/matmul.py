"""triton.idiom.matmul: the shared-memory tiled matrix multiply as `tl.dot`.

Recognised shape (names free, T a power of two >= 16, float operands, row-major):

    __shared__ float As[T][T], Bs[T][T];
    int tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * T + ty, col = blockIdx.x * T + tx;
    float acc = 0;
    for (int k0 = 0; k0 < K; k0 += T) {
        As[ty][tx] = row < M && k0 + tx < K ? A[row * K + k0 + tx] : 0;
        Bs[ty][tx] = k0 + ty < K && col < N ? B[(k0 + ty) * N + col] : 0;
        __syncthreads();
        for (int k = 0; k < T; k += 1) acc += As[ty][k] * Bs[k][tx];
        __syncthreads();
    }
    if (row < M && col < N) C[row * N + col] = acc;

The kernel is matched on its canonical IR text (cuport.ir.printer), so any other statement,
operand order or index expression declines and the general lowering runs. One program computes
the T x T tile of C that the CUDA block computes; `tl.dot` with input_precision="ieee" keeps
full fp32 products (no TF32), so results agree with the CUDA loop to rounding of the sum order.
"""

from __future__ import annotations

import re

from cuport.ir import nodes as ir
from cuport.ir.printer import print_function
from cuport.ir.types import Pointer, Scalar, ScalarKind
from cuport.targets.triton.lower import LoweredKernel

# The tiled kernel's body as the IR printer writes it; {name} is captured once, later uses must agree.
_TEMPLATE = """\
  __shared__ float {As}[{T}][{T}];
  __shared__ float {Bs}[{T}][{T}];
  int {tx} = threadIdx.x;
  int {ty} = threadIdx.y;
  int {row} = blockIdx.y * {T} + {ty};
  int {col} = blockIdx.x * {T} + {tx};
  float {acc} = 0.0f;
  for (int {k0} = 0; {k0} < {K}; {k0} += {T}) {
    {As}[{ty}][{tx}] = {row} < {M} && {k0} + {tx} < {K} ? {A}[{row} * {K} + {k0} + {tx}] : 0.0f;
    {Bs}[{ty}][{tx}] = {k0} + {ty} < {K} && {col} < {N} ? {B}[({k0} + {ty}) * {N} + {col}] : 0.0f;
    __syncthreads();
    for (int {k} = 0; {k} < {T}; {k} += 1) {
      {acc} += {As}[{ty}][{k}] * {Bs}[{k}][{tx}];
    }
    __syncthreads();
  }
  if ({row} < {M} && {col} < {N}) {
    {C}[{row} * {N} + {col}] = {acc};
  }
"""


def _pattern() -> re.Pattern[str]:
    seen: set[str] = set()
    out = []
    for piece in re.split(r"(\{\w+\})", _TEMPLATE):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            if name in seen:
                out.append(f"(?P={name})")
            else:
                seen.add(name)
                out.append(f"(?P<{name}>\\d+)" if name == "T" else f"(?P<{name}>[A-Za-z_]\\w*)")
        else:
            out.append(re.escape(piece))
    return re.compile("".join(out))


_PATTERN = _pattern()

_KERNEL = '''\
@triton.jit(do_not_specialize={nospec!r})
def {jit}({params}, TILE: tl.constexpr):
    # tiled matrix multiply: this program computes the TILE x TILE tile of {C} that the CUDA
    # block computes, one tl.dot per step of TILE along {K} (fp32, no TF32)
    rows = tl.program_id(1) * TILE + tl.arange(0, TILE)
    cols = tl.program_id(0) * TILE + tl.arange(0, TILE)
    acc = tl.zeros([TILE, TILE], tl.float32)
    for k0 in range(0, {K}, TILE):
        ks = k0 + tl.arange(0, TILE)
        a = tl.load({A} + rows[:, None] * {K} + ks[None, :], mask=(rows[:, None] < {M}) & (ks[None, :] < {K}), other=0.0)
        b = tl.load({B} + ks[:, None] * {N} + cols[None, :], mask=(ks[:, None] < {K}) & (cols[None, :] < {N}), other=0.0)
        acc = tl.dot(a, b, acc, input_precision="ieee")
    tl.store({C} + rows[:, None] * {N} + cols[None, :], acc, mask=(rows[:, None] < {M}) & (cols[None, :] < {N}))
'''


_LOCALS = ("rows", "cols", "acc", "k0", "ks", "a", "b")


def _param(k: ir.Kernel, name: str) -> ir.Param | None:
    return next((p for p in k.params if p.name == name), None)


def lower(k: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    text = print_function(k)
    head, _, rest = text.partition("{\n")
    body = rest.rsplit("}", 1)[0]
    m = _PATTERN.fullmatch(body)
    if m is None:
        return None
    g = m.groupdict()
    tile = int(g["T"])
    if tile < 16 or tile & (tile - 1) or len(set(g[x] for x in ("A", "B", "C", "M", "N", "K"))) != 6:
        return None  # tl.dot needs tiles of at least 16
    f32, i32 = Scalar(ScalarKind.F32), Scalar(ScalarKind.I32)
    for name, want in (("A", f32), ("B", f32), ("C", f32)):
        p = _param(k, g[name])
        if p is None or not isinstance(p.type, Pointer) or p.type.pointee != want:
            return None
    for name in ("M", "N", "K"):
        p = _param(k, g[name])
        if p is None or p.type != i32:
            return None
    params = [p.name for p in k.params]
    if any(n in ("tl", "triton", "TILE") for n in params):
        return None
    local = {}
    for n in _LOCALS:  # the template's own names, renamed where a parameter has the name
        v = n
        while v in params:
            v += "_"
        local[n] = v
    scalars = [p.name for p in k.params if not isinstance(p.type, Pointer)]
    source = re.sub(r"\b(rows|cols|acc|k0|ks|a|b)\b", lambda mt: local[mt.group(1)], _KERNEL.split("\n", 2)[2])
    source = "\n".join(_KERNEL.split("\n", 2)[:2]) + "\n" + source
    source = source.format(nospec=scalars, jit=jit_name, params=", ".join(params), **g)
    return LoweredKernel(
        name=jit_name, source=source, scalar_params=tuple(scalars), param_names=tuple(params), uses_scratch=False,
        static_scratch=0, local_bytes=0, min_block=1, helpers=set(), rules=("triton.idiom.matmul",),
        launch={"kind": "tiles", "tile": str(tile)},
    )
