"""Propose a launch spec for simple kernels (`cuport spec FILE`).

Works on the inventory (parameter names and types) and the kernel's body text: integer parameters
named like sizes (n, len, rows, cols, width, height...) become sizes; `i < n` guards confirm them;
const pointers become inputs, other pointers outputs (with an init when the kernel also reads
them, zeros when it updates them atomically); pointers to user structs become struct buffers with a
generator per field (their fields read from the kernel's IR), read and written unless the kernel
only stores whole structs into them; a 2-D index (threadIdx.y / blockIdx.y) with two
sizes gives a 2-D launch. Everything guessed carries a `# guessed` comment: the proposal is a
starting point that the user checks, not a verified fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.layout import LayoutError, StructLayout, struct_layout
from cuport.parse.cst import parse_cst
from cuport.parse.inventory import FileInventory, FunctionDecl, Param
from cuport.parse.lower import lower_function
from cuport.result import Ok
from cuport.source import SourceText

# C type -> protocol dtype, after qualifiers are stripped.
SCALAR_TYPES: dict[str, str] = {
    "float": "float32", "double": "float64", "half": "float16", "__half": "float16",
    "int": "int32", "signed": "int32", "signed int": "int32", "unsigned": "uint32", "unsigned int": "uint32",
    "long": "int64", "long int": "int64", "long long": "int64", "long long int": "int64",
    "unsigned long": "uint64", "unsigned long long": "uint64", "unsigned long long int": "uint64",
    "size_t": "uint64", "int64_t": "int64", "uint64_t": "uint64", "int32_t": "int32", "uint32_t": "uint32",
    "short": "int16", "unsigned short": "uint16", "char": "int8", "signed char": "int8",
    "unsigned char": "uint8", "uint8_t": "uint8", "int8_t": "int8", "bool": "bool",
}
_VECTOR = re.compile(r"^(float|double|int|uint|short|ushort|char|uchar|long|ulong|longlong|ulonglong)([1-4])$")
_VECTOR_BASE = {"float": "float32", "double": "float64", "int": "int32", "uint": "uint32", "short": "int16",
                "ushort": "uint16", "char": "int8", "uchar": "uint8", "long": "int64", "ulong": "uint64",
                "longlong": "int64", "ulonglong": "uint64"}

SIZE_NAME = re.compile(
    r"^(n|N|m|M|k|K|len|length|size|count|num\w*|n_?\w+|\w*_?(?:size|len|count|elems?|elements)"
    r"|rows?|cols?|columns|width|height|depth|w|h|d|nx|ny|nz|dim\w*)$"
)
_Y_NAMES = ("rows", "row", "height", "h", "ny", "M", "m")
_X_NAMES = ("cols", "col", "columns", "width", "w", "nx", "N", "n")
_ONE_D_SIZES = [1, 257, 10007]
_TWO_D_SIZES = {"y": [1, 17, 67], "x": [1, 33, 131]}


@dataclass
class ParamGuess:
    name: str
    pointer: bool
    const: bool
    dtype: str | None
    struct: StructLayout | None = None  # for pointers to user structs whose fields are known


@dataclass
class Proposal:
    kernel: str
    lines: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)  # what was guessed, for a note


def param_guess(p: Param, template_types: dict[str, str] | None = None) -> ParamGuess:
    t = p.type
    for tname, actual in (template_types or {}).items():
        t = re.sub(r"\b" + re.escape(tname) + r"\b", actual, t)
    t = re.sub(r"\b(__restrict__|__restrict|restrict|volatile|struct|__device__)\b", " ", t)
    pointer = "*" in t or "[" in t
    star = t.find("*")
    const = bool(re.search(r"\bconst\b", t[: star if star >= 0 else len(t)])) and pointer
    base = re.sub(r"\bconst\b|\[[^\]]*\]|[*&]", " ", t)
    base = " ".join(base.split())
    dtype = SCALAR_TYPES.get(base)
    m = _VECTOR.match(base)
    if dtype is None and m:
        dtype = f"{_VECTOR_BASE[m.group(1)]}x{m.group(2)}" if m.group(2) != "1" else _VECTOR_BASE[m.group(1)]
    if base in ("half2", "__half2"):
        dtype = "float16x2"
    return ParamGuess(p.name, pointer, const, dtype)


def _body(source: SourceText, k: FunctionDecl) -> str:
    if k.body_start is None or k.body_end is None:
        return ""
    return source.data[k.body_start : k.body_end].decode("utf-8", "replace")


def propose(source: SourceText, inv: FileInventory, kernel: str | None = None) -> list[Proposal]:
    """One proposal per kernel defined in the file (or just `kernel`)."""
    defines = {m.group(1): int(m.group(2)) for m in _DEFINE.finditer(source.text)}
    out = []
    for k in inv.kernels:
        if not k.is_definition or (kernel and kernel not in (k.name, k.qualified_name)):
            continue
        out.append(_propose_one(k, _body(source, k), defines, _struct_params(source, k)))
    return out


def _struct_params(source: SourceText, k: FunctionDecl) -> dict[str, StructLayout]:
    """Parameter name -> layout, for the parameters that point to structs (when the kernel lowers)."""
    if not any(p.type.strip().endswith("*") and param_guess(p).dtype is None for p in k.params):
        return {}
    lowered = lower_function(source, parse_cst(source), k.name)
    if not isinstance(lowered, Ok) or not isinstance(lowered.value, ir.Kernel):
        return {}
    out = {}
    for p in lowered.value.params:
        if isinstance(p.type, t.Pointer) and isinstance(p.type.pointee, t.Struct):
            try:
                out[p.name] = struct_layout(p.type.pointee)
            except LayoutError:
                continue
    return out


_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)\s+\(?(\d+)\)?\s*$", re.M)
# `blockIdx.x * BLOCK`: the kernel assumes a block size (shared arrays are sized by it)
_BLOCK_CONSTANT = re.compile(r"blockIdx\.x\s*\*\s*([A-Za-z_]\w*)|([A-Za-z_]\w*)\s*\*\s*blockIdx\.x")


def _template_name(k: FunctionDecl, guessed: list[str]) -> str:
    if not k.template_params:
        return k.name
    args = []
    for tp in k.template_params:
        if tp.kind == "type":
            args.append("float")
        else:
            args.append("256")
    guessed.append(f"template arguments <{', '.join(args)}>")
    return f"{k.name}<{', '.join(args)}>"


def _block_size(body: str, defines: dict[str, int]) -> int:
    for m in _BLOCK_CONSTANT.finditer(body):
        name = m.group(1) or m.group(2)
        if name in defines and 0 < defines[name] <= 1024:
            return defines[name]
    return 256


def _propose_one(k: FunctionDecl, body: str, defines: dict[str, int], structs: dict[str, StructLayout]) -> Proposal:
    guessed: list[str] = []
    name = _template_name(k, guessed)
    types = {tp.name: "float" for tp in k.template_params if tp.kind == "type"}
    params = [param_guess(p, types) for p in k.params]
    for p in params:
        p.struct = structs.get(p.name) if p.pointer and p.dtype is None else None
    ints = {p.name for p in params if not p.pointer and p.dtype and p.dtype[0] in "iu"}
    guarded = {m.group(1) for m in re.finditer(r"<=?\s*([A-Za-z_]\w*)\b", body)} & ints
    sizes = [p.name for p in params if p.name in ints and (SIZE_NAME.match(p.name) or p.name in guarded)]
    two_d = bool(re.search(r"threadIdx\.y|blockIdx\.y", body))
    y_size = next((s for s in sizes if s in _Y_NAMES), None)
    x_size = next((s for s in sizes if s in _X_NAMES and s != y_size), None)
    grid_stride = bool(re.search(r"gridDim\.x\s*\*\s*blockDim\.x|blockDim\.x\s*\*\s*gridDim\.x", body))

    lines = [f'["{name}"]' if "<" in name else f"[{name}]"]
    input_extent = ""
    grid_count = ""  # how many blocks a 1-D launch has: the length of per-block outputs
    size_values: dict[str, list[int]] = {}
    if two_d and y_size and x_size:
        lines.append(f'grid = ["cdiv({x_size}, 16)", "cdiv({y_size}, 16)"]')
        lines.append("block = [16, 16]")
        size_values = {y_size: _TWO_D_SIZES["y"], x_size: _TWO_D_SIZES["x"]}
        for s in sizes:
            size_values.setdefault(s, [1, 5, 9])
        extent = f"{y_size} * {x_size}"
        others = [s for s in sizes if s not in (y_size, x_size)]
        if others:
            # inputs may be indexed by the other sizes too (A[M*K] in a matmul): over-allocate,
            # which is safe, rather than risk reading past the end
            input_extent = " * ".join([y_size, x_size, *others])
            guessed.append(f"input lengths {input_extent}")
    elif sizes:
        main = next((s for s in sizes if s in guarded), sizes[0])
        block = _block_size(body, defines)
        grid = f"min(cdiv({main}, {block}), 64)" if grid_stride else f"cdiv({main}, {block})"
        lines.append(f'grid = "{grid}"' + ("  # guessed: a grid-stride loop covers the rest" if grid_stride else ""))
        lines.append(f"block = {block}")
        grid_count = grid
        size_values = {s: (_ONE_D_SIZES if s == main else [1, 5, 9]) for s in sizes}
        extent = " * ".join(sizes) if len(sizes) > 1 else main
        if len(sizes) > 1:
            guessed.append(f"buffer lengths {extent}")
        if two_d:
            guessed.append("a 1-D launch for a kernel that uses threadIdx.y/blockIdx.y")
    else:
        lines.append("grid = 1  # guessed: no size parameter found")
        lines.append("block = 256  # guessed")
        extent = "256"
        guessed.append("launch geometry")
    if re.search(r"\bextern\s+__shared__", body):
        lines.append("shared = 1024  # guessed: bytes of dynamic shared memory")
        guessed.append("dynamic shared memory size")
    if size_values:
        lines.append("sizes = { " + ", ".join(f"{s} = {v}" for s, v in size_values.items()) + " }")

    input_extent = input_extent or extent
    per_block = grid_count if not two_d else ""
    lines.append("args = [")
    for p in params:
        code, comment = _arg_line(p, body, sizes, extent, input_extent, per_block, guessed)
        lines.append(f"  {code},".ljust(43) + f" # {p.name}{comment}")
    lines.append("]")
    return Proposal(name, lines, guessed)


def _init_for(dtype: str | None) -> str:
    if dtype and dtype[0] in "iu":
        # a wide range, so that maxima, hashes and counts differ from seed to seed
        return "randint(0, 1000000)" if dtype[0] == "u" else "randint(-1000000, 1000000)"
    if dtype == "bool":
        return "randint(0, 2)"
    return "uniform(-1, 1)"


def _arg_line(
    p: ParamGuess, body: str, sizes: list[str], extent: str, input_extent: str, per_block: str, guessed: list[str]
) -> tuple[str, str]:
    """The TOML of one argument and the tail of its comment."""
    note = ""
    if p.struct is not None:
        return _struct_arg_line(p, p.struct, body, extent, input_extent)
    if p.dtype is None:
        guessed.append(f"the type of {p.name}")
        note = ": unknown type, guessed"
    if not p.pointer:
        if p.name in sizes:
            return f'"{p.name}"', note
        if p.dtype and p.dtype[0] in "iu":
            guessed.append(f"the value of {p.name}")
            return "{ value = 1 }", note + ": guessed"
        return '{ value = "uniform(-2, 2)" }', note
    if p.const:
        return f'{{ len = "{input_extent}", init = "{_init_for(p.dtype)}" }}', note + " (input)"
    n = re.escape(p.name)
    # a single accumulator: atomicAdd(total, v) or atomicAdd(&total[0], v)
    scalar_target = re.search(r"atomic\w*\s*\(\s*(?:" + n + r"\s*[,)]|&\s*" + n + r"\s*\[\s*0\s*\])", body)
    atomic = re.search(r"atomic\w*\s*\(\s*&?\s*" + n + r"\b", body)
    reads = re.search(r"(?<![\w.])" + n + r"\s*\[[^\]]*\](?!\s*=(?!=))", body)
    compound = re.search(n + r"\s*\[[^\]]*\]\s*[-+*/|&^]=", body)
    start = "zeros"
    if re.search(r"atomicMax\s*\(\s*&?\s*" + n + r"\b", body):
        start = "fill(-2000000)"  # below every input, so the maximum is an input
    elif re.search(r"atomicMin\s*\(\s*&?\s*" + n + r"\b", body):
        start = "fill(2000000)"
    if scalar_target:
        return f'{{ len = 1, init = "{start}", out = true }}', note + " (one accumulator, updated atomically)"
    if atomic:
        return f'{{ len = "{extent}", init = "{start}", out = true }}', note + " (updated atomically)"
    if per_block and re.search(n + r"\s*\[\s*blockIdx\.x\s*\]\s*=(?!=)", body):
        return f'{{ len = "{per_block}", out = true }}', note + " (one value per block)"
    if reads or compound:
        return f'{{ len = "{extent}", init = "{_init_for(p.dtype)}", out = true }}', note + " (read and written)"
    return f'{{ len = "{extent}", out = true }}', note + " (output)"


# struct fields of 8 and 16 bits (flags, small codes) take their whole range rather than clipped extremes
_SMALL_INTS = {"int8": "randint(-128, 128)", "uint8": "randint(0, 256)", "int16": "randint(-32768, 32768)",
               "uint16": "randint(0, 65536)"}


def _field_inits(layout: StructLayout) -> str:
    """`{ pos = "uniform(-1, 1)", tag = "randint(...)" }`: one key per top-level field whose leaves
    share a generator, else one per leaf."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for leaf in layout.leaves:
        top = re.split(r"[.\[]", leaf.name, maxsplit=1)[0]
        groups.setdefault(top, []).append((leaf.name, _SMALL_INTS.get(leaf.dtype) or _init_for(leaf.dtype)))
    items = []
    for top, leaves in groups.items():
        if len({g for _, g in leaves}) == 1:
            items.append((top, leaves[0][1]))
        else:
            items.extend(leaves)
    return "{ " + ", ".join(f'{_toml_key(k)} = "{g}"' for k, g in items) + " }"


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name + '"'


def _struct_arg_line(p: ParamGuess, layout: StructLayout, body: str, extent: str, input_extent: str) -> tuple[str, str]:
    """A buffer of structs: fields generated by type; an output is poisoned only when the kernel
    stores whole structs into it (`p[i] = q`), since fields it never writes would stay poison."""
    inits = _field_inits(layout)
    what = f" (struct {layout.name}, {layout.size} bytes"
    if p.const:
        return f'{{ len = "{input_extent}", init = {inits} }}', what + ", input)"
    n = re.escape(p.name)
    whole = re.search(r"(?<![\w.])" + n + r"\s*\[[^\]]*\]\s*=(?!=)", body)
    member = re.search(r"(?<![\w.])" + n + r"\s*\[[^\]]*\]\s*\.", body) or re.search(r"(?<![\w.])" + n + r"\s*->", body)
    if whole and not member:
        return f'{{ len = "{extent}", out = true }}', what + ", output)"
    return f'{{ len = "{extent}", init = {inits}, out = true }}', what + ", read and written)"


def render(proposals: list[Proposal], path: str) -> str:
    head = [
        f"# Launch spec proposed by `cuport spec` for {path}.",
        "# Check every line marked `guessed` before relying on it; see DESIGN.md, verify/.",
    ]
    out = head
    for p in proposals:
        out.append("")
        if p.guessed:
            out.append("# guessed: " + "; ".join(dict.fromkeys(p.guessed)))
        out.extend(p.lines)
    return "\n".join(out) + "\n"
