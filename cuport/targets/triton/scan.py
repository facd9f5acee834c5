"""triton.idiom.scan (block): whole-kernel block scans in shared memory as one `tl.cumsum`.

Two textbook shapes, matched on the kernel's canonical IR text (cuport.ir.printer) with names
and the block constants captured, so anything else declines and the general lowering runs:

- Hillis-Steele, inclusive, T threads, one element each, double-buffered:
      buf[src][tid] = i < n ? in[i] : 0;  for (offset = 1; offset < T; offset <<= 1) {
          v = buf[src][tid]; if (tid >= offset) v += buf[src][tid - offset];
          buf[1 - src][tid] = v; src = 1 - src; __syncthreads(); }
  After the ladder lane t holds in[0] + ... + in[t] of its block: an inclusive cumsum. The
  element type must be an integer, so the sums are exact whatever the order.
- Blelloch, exclusive, T threads, 2T elements, up-sweep / clear / down-sweep, the block total
  written to block_sums[blockIdx.x]: an exclusive cumsum (the inclusive scan of the input shifted
  by one) and a tl.sum. Float sums agree with the tree's to the rounding of the order.

One program per CUDA block; the launcher requires the block the template was written for.
"""

from __future__ import annotations

import re

from cuport.ir import nodes as ir
from cuport.ir.printer import print_function
from cuport.ir.types import Pointer, Scalar, ScalarKind
from cuport.targets.triton.lower import KernelLowering, LoweredKernel
from cuport.targets.triton.matmul import _pattern

_HILLIS_STEELE = """\
  __shared__ int {buf}[2][{T}];
  int {tid} = threadIdx.x;
  int {i} = blockIdx.x * {T} + {tid};
  int {src} = 0;
  {buf}[{src}][{tid}] = {i} < {n} ? {inp}[{i}] : 0;
  __syncthreads();
  for (int {offset} = 1; {offset} < {T}; {offset} <<= 1) {
    int {v} = {buf}[{src}][{tid}];
    if ({tid} >= {offset}) {
      {v} += {buf}[{src}][{tid} - {offset}];
    }
    {buf}[1 - {src}][{tid}] = {v};
    {src} = 1 - {src};
    __syncthreads();
  }
  if ({i} < {n}) {
    {out}[{i}] = {buf}[{src}][{tid}];
  }
"""

_BLELLOCH = """\
  __shared__ {ty} {s}[{E}];
  int {tid} = threadIdx.x;
  int {base} = blockIdx.x * {E};
  int {a} = 2 * {tid};
  int {b} = 2 * {tid} + 1;
  {s}[{a}] = {base} + {a} < {n} ? {inp}[{base} + {a}] : {zero};
  {s}[{b}] = {base} + {b} < {n} ? {inp}[{base} + {b}] : {zero};
  int {offset} = 1;
  for (int {d} = {T}; {d} > 0; {d} >>= 1) {
    __syncthreads();
    if ({tid} < {d}) {
      int {left} = {offset} * (2 * {tid} + 1) - 1;
      int {right} = {offset} * (2 * {tid} + 2) - 1;
      {s}[{right}] += {s}[{left}];
    }
    {offset} <<= 1;
  }
  if ({tid} == 0) {
    {sums}[blockIdx.x] = {s}[{last}];
    {s}[{last}] = {zero};
  }
  for (int {d2} = 1; {d2} < {E}; {d2} <<= 1) {
    {offset} >>= 1;
    __syncthreads();
    if ({tid} < {d2}) {
      int {left2} = {offset} * (2 * {tid} + 1) - 1;
      int {right2} = {offset} * (2 * {tid} + 2) - 1;
      {ty} {t} = {s}[{left2}];
      {s}[{left2}] = {s}[{right2}];
      {s}[{right2}] += {t};
    }
  }
  __syncthreads();
  if ({base} + {a} < {n}) {
    {out}[{base} + {a}] = {s}[{a}];
  }
  if ({base} + {b} < {n}) {
    {out}[{base} + {b}] = {s}[{b}];
  }
"""

_HS_PATTERN = _pattern(_HILLIS_STEELE, numeric=("T",))
# zero is `0` or `0.0f` as the printer writes it
_BL_PATTERN = re.compile(_pattern(_BLELLOCH, numeric=("T", "E", "last")).pattern.replace(
    "(?P<zero>[A-Za-z_]\\w*)", "(?P<zero>0|0\\.0f?)"))

_INCLUSIVE = """\
@triton.jit(do_not_specialize={nospec!r})
def {jit}({params}, ELEMS: tl.constexpr):
    # block scan (Hillis-Steele ladder over ELEMS values in double-buffered shared memory) as one
    # tl.cumsum: this program scans the ELEMS elements of its CUDA block, inclusive
    idx = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    vals = tl.load({inp} + idx, mask=idx < {n}, other=0)
    tl.store({out} + idx, tl.cumsum(vals, 0), mask=idx < {n})
"""

_EXCLUSIVE = """\
@triton.jit(do_not_specialize={nospec!r})
def {jit}({params}, ELEMS: tl.constexpr):
    # block scan (Blelloch up-sweep and down-sweep over ELEMS values in shared memory) as one
    # tl.cumsum: this program scans the ELEMS elements of its CUDA block, exclusive (the inclusive
    # scan of the input shifted by one), and writes the block's total to {sums}
    first = tl.program_id(0) * ELEMS
    idx = tl.arange(0, ELEMS)
    vals = tl.load({inp} + first + idx, mask=first + idx < {n}, other=0)
    before = tl.load({inp} + first + idx - 1, mask=(idx > 0) & (first + idx - 1 < {n}), other=0)
    tl.store({out} + first + idx, tl.cumsum(before, 0), mask=first + idx < {n})
    tl.store({sums} + tl.program_id(0), tl.sum(vals, 0))
"""

_LOCALS = ("idx", "vals", "first", "before")
_INTS = {ScalarKind.I32, ScalarKind.U32, ScalarKind.I64, ScalarKind.U64}


def _param(k: ir.Kernel, name: str) -> ir.Param | None:
    return next((p for p in k.params if p.name == name), None)


def _pointers_to(k: ir.Kernel, names: list[str], kinds: set[ScalarKind]) -> bool:
    ps = [_param(k, n) for n in names]
    if any(p is None or not isinstance(p.type, Pointer) for p in ps):
        return False
    pointees = {p.type.pointee for p in ps if p is not None and isinstance(p.type, Pointer)}
    return len(pointees) == 1 and all(isinstance(t, Scalar) and t.kind in kinds for t in pointees)


def _int_param(k: ir.Kernel, name: str) -> bool:
    p = _param(k, name)
    return p is not None and p.type == Scalar(ScalarKind.I32)


def lower(k: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    body = print_function(k).partition("{\n")[2].rsplit("}", 1)[0]
    m = _HS_PATTERN.fullmatch(body)
    if m is not None:
        g = m.groupdict()
        threads = int(g["T"])
        if not (_pointers_to(k, [g["inp"], g["out"]], {ScalarKind.I32}) and _int_param(k, g["n"])):
            return None
        return _lowered(k, globals_, jit_name, _INCLUSIVE, g, threads, threads, "Hillis-Steele")
    m = _BL_PATTERN.fullmatch(body)
    if m is None:
        return None
    g = m.groupdict()
    threads, elems = int(g["T"]), int(g["E"])
    if elems != 2 * threads or int(g["last"]) != elems - 1 or len({g["inp"], g["out"], g["sums"]}) != 3:
        return None
    kinds = {ScalarKind.F32, ScalarKind.F64} if g["zero"] != "0" else _INTS
    if g["ty"] not in ("float", "double", "int", "unsigned int") or not _int_param(k, g["n"]):
        return None
    if not _pointers_to(k, [g["inp"], g["out"], g["sums"]], kinds):
        return None
    return _lowered(k, globals_, jit_name, _EXCLUSIVE, g, threads, elems, "Blelloch")


def _lowered(k: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str, template: str, g: dict[str, str],
             threads: int, elems: int, form: str) -> LoweredKernel | None:
    if elems < 2 or elems & (elems - 1):
        return None  # tl.arange needs a power of two
    naming = KernelLowering(k, globals_, jit_name)  # the general lowering's Python-safe names
    params = [naming.name(p.name) for p in k.params]
    fields = {key: naming.name(v) if _param(k, v) is not None else v for key, v in g.items()}
    scalars = [naming.name(p.name) for p in k.params if not isinstance(p.type, Pointer)]
    local = {}
    for n in _LOCALS:
        v = n
        while v in params:
            v += "_"
        local[n] = v
    head, body = template.split("\n", 2)[:2], template.split("\n", 2)[2]
    body = re.sub(r"\b(" + "|".join(_LOCALS) + r")\b", lambda mt: local[mt.group(1)], body)
    source = ("\n".join(head) + "\n" + body).format(jit=jit_name, nospec=scalars, params=", ".join(params), **fields)
    return LoweredKernel(
        name=jit_name, source=source, scalar_params=tuple(scalars), param_names=tuple(params), uses_scratch=False,
        static_scratch=0, local_bytes=0, min_block=1, helpers=set(), rules=("triton.idiom.scan",),
        launch={"kind": "block_scan", "threads": str(threads), "elems": str(elems), "form": form},
    )
