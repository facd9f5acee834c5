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


def _pattern(template: str = _TEMPLATE, numeric: tuple[str, ...] = ("T",)) -> re.Pattern[str]:
    seen: set[str] = set()
    out = []
    for piece in re.split(r"(\{\w+\})", template):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            if name in seen:
                out.append(f"(?P={name})")
            else:
                seen.add(name)
                out.append(f"(?P<{name}>\\d+)" if name in numeric else f"(?P<{name}>[A-Za-z_]\\w*)")
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


_LOCALS = ("rows", "cols", "acc", "k0", "ks", "a", "b", "batch")


def _param(k: ir.Kernel, name: str) -> ir.Param | None:
    return next((p for p in k.params if p.name == name), None)


def _operands_ok(k: ir.Kernel, g: dict[str, str]) -> bool:
    """A, B, C distinct float pointers and M, N, K distinct int parameters; no name Triton reserves."""
    if len({g[x] for x in ("A", "B", "C", "M", "N", "K")}) != 6:
        return False
    f32, i32 = Scalar(ScalarKind.F32), Scalar(ScalarKind.I32)
    for name in ("A", "B", "C"):
        p = _param(k, g[name])
        if p is None or not isinstance(p.type, Pointer) or p.type.pointee != f32:
            return False
    for name in ("M", "N", "K"):
        p = _param(k, g[name])
        if p is None or p.type != i32:
            return False
    return not any(p.name in ("tl", "triton", "TILE", "row_limit", "col_limit") for p in k.params)


def _render(template: str, names: list[str], **fields: object) -> str:
    """The kernel template with its own locals renamed where a parameter has the name."""
    local = {}
    for n in _LOCALS:
        v = n
        while v in names:
            v += "_"
        local[n] = v
    head, body = template.split("\n", 2)[:2], template.split("\n", 2)[2]
    body = re.sub(r"\b(" + "|".join(_LOCALS) + r")\b", lambda mt: local[mt.group(1)], body)
    return ("\n".join(head) + "\n" + body).format(**fields)


def lower(k: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    text = print_function(k)
    head, _, rest = text.partition("{\n")
    body = rest.rsplit("}", 1)[0]
    m = _PATTERN.fullmatch(body)
    if m is None:
        return None
    g = m.groupdict()
    if not _operands_ok(k, g):
        return None
    tile = int(g["T"])
    if tile < 16 or tile & (tile - 1):
        return None  # tl.dot needs tiles of at least 16
    params = [p.name for p in k.params]
    scalars = [p.name for p in k.params if not isinstance(p.type, Pointer)]
    source = _render(_KERNEL, params, jit=jit_name, nospec=scalars, params=", ".join(params), **g)
    return LoweredKernel(
        name=jit_name, source=source, scalar_params=tuple(scalars), param_names=tuple(params), uses_scratch=False,
        static_scratch=0, local_bytes=0, min_block=1, helpers=set(), rules=("triton.idiom.matmul",),
        launch={"kind": "tiles", "tile": str(tile)},
    )


# --- the per-thread dot product: one CUDA thread per element of C, a loop over K each ---------

_NAIVE = """\
  int {col} = blockIdx.x * blockDim.x + threadIdx.x;
  int {row} = blockIdx.y * blockDim.y + threadIdx.y;
  if ({row} < {M} && {col} < {N}) {
    float {acc} = 0.0f;
    for (int {k} = 0; {k} < {K}; {k} += 1) {
      {acc} += {A}[{row} * {K} + {k}] * {B}[{k} * {N} + {col}];
    }
    {C}[{row} * {N} + {col}] = {acc};
  }
"""

# the batched form: blockIdx.z picks the matrices, offset by whole matrices (size_t arithmetic)
_BATCHED = """\
  int {z} = blockIdx.z;
  int {col} = blockIdx.x * blockDim.x + threadIdx.x;
  int {row} = blockIdx.y * blockDim.y + threadIdx.y;
  if ({row} >= {M} || {col} >= {N}) {
    return;
  }
  const float* {Ab} = {A} + (unsigned long long){z} * {M} * {K};
  const float* {Bb} = {B} + (unsigned long long){z} * {K} * {N};
  float {acc} = 0.0f;
  for (int {k} = 0; {k} < {K}; {k} += 1) {
    {acc} += {Ab}[{row} * {K} + {k}] * {Bb}[{k} * {N} + {col}];
  }
  {C}[(unsigned long long){z} * {M} * {N} + {row} * {N} + {col}] = {acc};
"""

_NAIVE_PATTERN = _pattern(_NAIVE)
_BATCHED_PATTERN = _pattern(_BATCHED)

# the output tile of one program: the CUDA threads of a program need not be a CUDA block, since
# every element of C is independent; 32 x 32 feeds tl.dot and keeps the interpreter's grid small
DOT_TILE = 32

_DOT_KERNEL = '''\
@triton.jit(do_not_specialize={nospec!r})
def {jit}({params}, row_limit, col_limit, TILE: tl.constexpr):
    # matrix multiply (one CUDA thread per element of {C}, each one dot product over {K}): this
    # program computes one TILE x TILE tile of {C}, one tl.dot per step of TILE along {K} (fp32,
    # no TF32); row_limit x col_limit are the elements that the CUDA threads which exist compute
{batch_offsets}    rows = tl.program_id(1) * TILE + tl.arange(0, TILE)
    cols = tl.program_id(0) * TILE + tl.arange(0, TILE)
    acc = tl.zeros([TILE, TILE], tl.float32)
    for k0 in range(0, {K}, TILE):
        ks = k0 + tl.arange(0, TILE)
        a = tl.load({A} + rows[:, None] * {K} + ks[None, :], mask=(rows[:, None] < row_limit) & (ks[None, :] < {K}), other=0.0)
        b = tl.load({B} + ks[:, None] * {N} + cols[None, :], mask=(ks[:, None] < {K}) & (cols[None, :] < col_limit), other=0.0)
        acc = tl.dot(a, b, acc, input_precision="ieee")
    tl.store({C} + rows[:, None] * {N} + cols[None, :], acc, mask=(rows[:, None] < row_limit) & (cols[None, :] < col_limit))
'''

_BATCH_OFFSETS = """\
    batch = tl.program_id(2).to(tl.int64)  # blockIdx.z: the matrices of this batch
    {A} += batch * {M} * {K}
    {B} += batch * {K} * {N}
    {C} += batch * {M} * {N}
"""


def lower_dot_product(k: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    text = print_function(k)
    body = text.partition("{\n")[2].rsplit("}", 1)[0]
    batched = False
    m = _NAIVE_PATTERN.fullmatch(body)
    if m is None:
        m = _BATCHED_PATTERN.fullmatch(body)
        batched = True
    if m is None:
        return None
    g = m.groupdict()
    if not _operands_ok(k, g):
        return None
    params = [p.name for p in k.params]
    scalars = [p.name for p in k.params if not isinstance(p.type, Pointer)]
    template = _DOT_KERNEL.replace("{batch_offsets}", _BATCH_OFFSETS if batched else "")
    source = _render(template, params, jit=jit_name, nospec=[*scalars, "row_limit", "col_limit"],
                     params=", ".join(params), **g)
    return LoweredKernel(
        name=jit_name, source=source, scalar_params=tuple(scalars), param_names=tuple(params), uses_scratch=False,
        static_scratch=0, local_bytes=0, min_block=1, helpers=set(), rules=("triton.idiom.matmul",),
        launch={"kind": "dot_tiles", "tile": str(DOT_TILE), "M": g["M"], "N": g["N"], "batched": "1" if batched else ""},
    )
