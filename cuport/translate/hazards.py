"""Portability hazards, found by meaning over the CST; the catalogue itself is data (hazards.toml).

`find_hazards(source, tree)` runs every detector over one shared `CstIndex` (one query pass) and
returns findings sorted by position, with inline suppressions (`// cuport: ignore[ID]`) applied.
Detectors are plain functions in `DETECTORS`: each reads the index and yields findings.

    python -m cuport.translate.hazards --write-doc   # regenerate docs/hazards.md from the table
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import tree_sitter

from cuport.source import SourceText
from cuport.translate.hazards_index import CstIndex, Node, build_index, is_thread_varying, macro_value
from cuport.translate.suppress import apply_inline_suppressions

SEVERITIES = ("note", "warning", "error")  # ascending


@dataclass(frozen=True)
class HazardKind:
    id: str
    name: str
    severity: str
    effort: str
    targets: tuple[str, ...]
    message: str
    doc: str
    fix: str


@dataclass(frozen=True)
class Hazard:
    """One finding: where, what, and the source line it was found on."""

    id: str
    severity: str
    file: str
    line: int
    col: int
    message: str
    source_line: str
    start: int = 0  # byte offsets of the flagged construct
    end: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "source_line": self.source_line,
        }


@cache
def catalogue() -> dict[str, HazardKind]:
    raw = tomllib.loads(
        resources.files("cuport.translate").joinpath("tables/hazards.toml").read_text("utf-8")
    )
    return {
        hid: HazardKind(
            hid,
            row["name"],
            row["severity"],
            row["effort"],
            tuple(row["targets"]),
            row["message"],
            row["doc"],
            row["fix"],
        )
        for hid, row in raw.items()
    }


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


# --- the detectors ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """What a detector yields: an id, the node to point at, and the message fields."""

    id: str
    node: Node
    fields: dict[str, str]


Detector = Callable[[CstIndex], Iterator[Finding]]

WARP_SYNC_CALLS = frozenset(
    """__shfl_sync __shfl_up_sync __shfl_down_sync __shfl_xor_sync __ballot_sync __any_sync __all_sync
    __uni_sync __match_any_sync __match_all_sync __syncwarp __reduce_add_sync __reduce_min_sync
    __reduce_max_sync __reduce_and_sync __reduce_or_sync __reduce_xor_sync""".split()
)
VOTE_CALLS = frozenset({"__ballot_sync", "__ballot", "__activemask", "__match_any_sync"})
BIT_COUNT_32 = frozenset({"__popc", "__ffs", "__clz", "__brev", "__fns"})
SHUFFLES = frozenset({"__shfl_sync", "__shfl_up_sync", "__shfl_down_sync", "__shfl_xor_sync",
                      "__shfl", "__shfl_up", "__shfl_down", "__shfl_xor"})
TEXTURE_FETCHES = frozenset(
    """tex1Dfetch tex1D tex2D tex3D tex1DLayered tex2DLayered texCubemap texCubemapLayered tex2Dgather
    tex1DLod tex2DLod tex3DLod tex1DGrad tex2DGrad tex3DGrad surf1Dread surf2Dread surf3Dread
    surf1Dwrite surf2Dwrite surf3Dwrite surf1DLayeredread surf2DLayeredread cudaCreateTextureObject
    cudaCreateSurfaceObject""".split()
)
FLOAT_ATOMICS = frozenset({"atomicAdd", "atomicAdd_block", "atomicAdd_system", "unsafeAtomicAdd", "atomicSub"})
FAST_MATH = re.compile(
    r"^__(?:(?:fdividef|expf|exp10f|logf|log2f|log10f|sinf|cosf|tanf|sincosf|powf|saturatef)"
    r"|[fd](?:add|sub|mul|div|rcp|sqrt|fma|maf)_r[nzud]|fmaf_ieee_r[nzud]|frsqrt_rn"
    r"|(?:float|double|int|uint|ll|ull|half)2(?:float|double|int|uint|ll|ull|half)_r[nzud])$"
)
_WARP_NAME = re.compile(r"warp|^ws$|^wsize$|^lanes$", re.IGNORECASE)
_FULL_MASKS = frozenset({"0xffffffff", "~0", "-1", "4294967295"})
_SIXTY_FOUR_BIT = re.compile(r"[0-9a-fA-FxX][uU]?[lL][lL]|long\s+long|u?int64_t|size_t|0[xX][fF]{16}")
_INT_SUFFIX = re.compile(r"[uUlL]+$")
_CAST = re.compile(r"^\((?:unsigned(?:\s+int)?|uint32_t|unsigned\s+long\s+long|uint64_t|int)\)")
_THIRTY_TWO_BIT = re.compile(r"^(?:const\s+)?(?:unsigned|unsigned\s+int|int|uint32_t|uint|unsigned\s+const|int32_t)$")
_REDUCTION_STEP = re.compile(rb"\[\s*\w+\s*\+\s*(?:32|16)\s*\]")


def _literal(text: str) -> str:
    text = text.replace(" ", "").lower()
    for _ in range(3):
        text = _CAST.sub("", text)
        if text.startswith("static_cast<") and text.endswith(")"):
            text = text[text.find("(") + 1 : -1]
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
    return _INT_SUFFIX.sub("", text) if not text.startswith("0x") else text.rstrip("ul")


def _args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [c for c in args.children if c.is_named and c.type != "comment"] if args is not None else []


def _callee(index: CstIndex, call: Node) -> str:
    fn = call.child_by_field_name("function")
    if fn is None:
        return ""
    if fn.type == "template_function":
        fn = fn.child_by_field_name("name") or fn
    return index.text(fn)


def _int_value(index: CstIndex, text: str) -> str:
    return _literal(index.resolve(text.strip()))


def warp_size_constants(index: CstIndex) -> Iterator[Finding]:
    for node in index.get("macro"):
        name_node, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if name_node is None or value is None:
            continue
        name = index.text(name_node)
        if _WARP_NAME.search(name) and _literal(macro_value(index.text(value))) == "32":
            yield Finding("CPH001", name_node, {"name": name})
    for node in index.get("decl"):
        if not any(c.type == "type_qualifier" and index.text(c) in ("const", "constexpr") for c in node.children):
            continue
        for declarator in node.children_by_field_name("declarator"):
            if declarator.type != "init_declarator":
                continue
            target, value = declarator.child_by_field_name("declarator"), declarator.child_by_field_name("value")
            if target is None or value is None or target.type != "identifier":
                continue
            name = index.text(target)
            if _WARP_NAME.search(name) and _literal(index.text(value)) == "32":
                yield Finding("CPH001", target, {"name": name})


def _is_full_mask(index: CstIndex, node: Node) -> str:
    text = index.text(node)
    resolved = index.resolve(_literal_name(text))
    if _SIXTY_FOUR_BIT.search(resolved):
        return ""  # ~0ull, (uint64_t)-1, 0xffffffffffffffff: already wide enough
    return text if _literal(resolved) in _FULL_MASKS else ""


def _literal_name(text: str) -> str:
    return text.strip().strip("()").strip()


def calls(index: CstIndex) -> Iterator[Finding]:
    """Every hazard recognised at a call site, in one pass over the call nodes."""
    for call in index.get("call"):
        name = _callee(index, call)
        if not name:
            continue
        if name in WARP_SYNC_CALLS:
            args = _args(call)
            if args:
                mask = _is_full_mask(index, args[0])
                if mask:
                    yield Finding("CPH002", args[0], {"mask": mask, "call": name})
        if name in SHUFFLES:
            yield from _shuffle_width(index, call, name)
        if name in VOTE_CALLS:
            how = _vote_storage(index, call)
            if how:
                yield Finding("CPH004", call, {"call": name, "how": how})
        if name in TEXTURE_FETCHES:
            yield Finding("CPH011", call, {"name": name})
        if name in FLOAT_ATOMICS and _is_float_atomic(index, call):
            yield Finding("CPH015", call, {"call": name})
        if name.endswith("this_grid") or name.startswith("cudaLaunchCooperativeKernel"):
            yield Finding("CPH012", call, {"what": name.split("::")[-1]})
        elif name.endswith(".sync") or name.endswith("->sync"):
            obj = name.rsplit(".", 1)[0].rsplit("->", 1)[0]
            fn = index.function_at(call.start_byte)
            if "grid_group" in index.var_type(fn, obj) or "this_grid" in index.values.get(obj, ""):
                yield Finding("CPH012", call, {"what": f"{obj}.sync()"})
        if "tiled_partition" in name or "thread_block_tile" in name:
            if re.search(r"<\s*32\s*>", index.text(call)):
                yield Finding("CPH013", call, {"what": "a tile of 32 threads assumes the warp width"})
        if any(c.type == "kernel_call_syntax" for c in call.children):
            fn = index.function_at(call.start_byte)
            if fn is not None and fn.is_device_only:
                yield Finding("CPH014", call, {"name": name})


def _shuffle_width(index: CstIndex, call: Node, name: str) -> Iterator[Finding]:
    args = _args(call)
    width_at = 3 if name.endswith("_sync") else 2
    if len(args) > width_at and _int_value(index, index.text(args[width_at])) == "32":
        yield Finding("CPH005", args[width_at], {"why": "explicit width 32"})
        return
    if ("down" in name or "xor" in name) and len(args) > width_at - 1:
        offset = args[width_at - 1]
        if offset.type == "number_literal" and _literal(index.text(offset)) == "16":
            yield Finding("CPH005", offset, {"why": "first offset 16 reduces 32 lanes"})
        elif offset.type == "identifier" and _loop_starts_at_16(index, call, index.text(offset)):
            yield Finding("CPH005", offset, {"why": f"loop over '{index.text(offset)}' starts at 16"})


def _loop_starts_at_16(index: CstIndex, call: Node, var: str) -> bool:
    node, depth = call.parent, 0
    while node is not None and depth < 8 and node.type != "for_statement":
        node, depth = node.parent, depth + 1
    if node is None or node.type != "for_statement":
        return False
    init = node.child_by_field_name("initializer")
    if init is None:
        return False
    match = re.match(rf"^(?:[\w\s]*\s)?{re.escape(var)}\s*=\s*(.+?);?$", index.text(init).strip())
    if match is None:
        return False
    start = match.group(1).strip()
    if _literal(index.resolve(start)) == "16":
        return True
    half = re.match(r"^\(?\s*(\w+)\s*\)?\s*(?:/\s*2|>>\s*1)$", start)
    return half is not None and _literal(index.resolve(half.group(1))) == "32"


def _vote_storage(index: CstIndex, call: Node) -> str:
    parent = call.parent
    while parent is not None and parent.type in ("parenthesized_expression", "cast_expression"):
        parent = parent.parent
    if parent is None:
        return ""
    if parent.type == "init_declarator":
        decl = parent.parent
        type_node = decl.child_by_field_name("type") if decl is not None else None
        if type_node is not None and _THIRTY_TWO_BIT.match(index.text(type_node).strip()):
            return f"stored in 32-bit '{index.text(type_node)}'"
    elif parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            fn = index.function_at(call.start_byte)
            declared = index.var_type(fn, index.text(left))
            if declared and _THIRTY_TWO_BIT.match(declared.strip()):
                return f"stored in 32-bit '{declared}'"
    elif parent.type == "argument_list" and parent.parent is not None:
        outer = _callee(index, parent.parent)
        if outer in BIT_COUNT_32:
            return f"counted with 32-bit {outer}"
    return ""


_FLOAT_TYPES = re.compile(r"\b(?:float|double|half|__half|__nv_bfloat16|float2|float4|double2)\b")
_FLOAT_LITERAL = re.compile(r"^[-+]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?[fF]?$|^[-+]?\d+[fF]$")


def _is_float_atomic(index: CstIndex, call: Node) -> bool:
    args = _args(call)
    if len(args) < 2:
        return False
    if _FLOAT_LITERAL.match(index.text(args[1]).strip()):
        return True
    fn = index.function_at(call.start_byte)
    for arg in args[:2]:
        base = _base_identifier(arg)
        if base is not None and _FLOAT_TYPES.search(index.var_type(fn, index.text(base))):
            return True
    return False


def _base_identifier(node: Node) -> Node | None:
    # &a[i], a + i, *p, (float*)p ... -> the variable the address is taken from
    depth = 0
    while node is not None and depth < 8:
        if node.type == "identifier":
            return node
        if node.type in ("pointer_expression", "parenthesized_expression"):
            node = node.child_by_field_name("argument") or next((c for c in node.children if c.is_named), None)
        elif node.type == "subscript_expression":
            node = node.child_by_field_name("argument")
        elif node.type == "binary_expression":
            node = node.child_by_field_name("left")
        else:
            return None
        depth += 1
    return None


_LANE_MATH = {"&": ("31", "0x1f"), "%": ("32",), "/": ("32",), ">>": ("5",)}


def lane_math(index: CstIndex) -> Iterator[Finding]:
    for node in index.get("bin"):
        op = node.child_by_field_name("operator")
        right = node.child_by_field_name("right")
        if op is None or right is None or right.type != "number_literal":
            continue
        wanted = _LANE_MATH.get(op.type)
        if wanted is None or _literal(index.text(right)) not in wanted:
            continue
        left = node.child_by_field_name("left")
        fn = index.function_at(node.start_byte)
        if left is not None and is_thread_varying(index.text(left), fn):
            yield Finding("CPH003", node, {"expr": " ".join(index.text(node).split())})


def asm_blocks(index: CstIndex) -> Iterator[Finding]:
    for node in index.get("asm"):
        what = "asm statement"
        for child in node.children:
            if child.type in ("string_literal", "concatenated_string"):
                words = index.text(child).strip('"').split()
                if words:
                    what = f"'{words[0].rstrip(';')}'"
                break
        yield Finding("CPH008", node, {"what": what})


def identifiers(index: CstIndex) -> Iterator[Finding]:
    """Hazards recognised by one name: __CUDA_ARCH__ tests, fast-math intrinsics."""
    for node in index.get("id"):
        first = index.data[node.start_byte : node.start_byte + 2]
        if first != b"__":
            continue
        name = index.text(node)
        if name == "__CUDA_ARCH__":
            yield Finding("CPH009", node, {})
        elif FAST_MATH.match(name):
            yield Finding("CPH016", node, {"name": name})


def textures(index: CstIndex) -> Iterator[Finding]:
    for node in index.get("tid"):
        if node.parent is None or node.parent.type != "template_type":
            continue
        if index.text(node) not in ("texture", "surface"):
            continue
        decl = node.parent.parent
        name = "texture"
        if decl is not None and decl.type == "declaration":
            for declarator in decl.children_by_field_name("declarator"):
                name = index.text(declarator).split("=")[0].strip()
                break
        yield Finding("CPH010", node, {"name": name})


def cooperative_groups_include(index: CstIndex) -> Iterator[Finding]:
    for node in index.get("include"):
        if b"cooperative_groups" in index.data[node.start_byte : node.end_byte]:
            yield Finding("CPH013", node, {"what": "the code uses cooperative groups"})


def shared_arrays(index: CstIndex) -> Iterator[Finding]:
    warp_names = {
        index.text(f.node) for f in warp_size_constants(index)
    }
    for decl in index.get("decl"):
        if not any(c.type == "type_qualifier" and index.text(c) == "__shared__" for c in decl.children):
            continue
        for declarator in decl.children_by_field_name("declarator"):
            while declarator.type == "array_declarator":
                size = declarator.child_by_field_name("size")
                inner = declarator.child_by_field_name("declarator")
                if size is not None and inner is not None:
                    why = _sized_by_warp(index, decl, index.text(inner), index.text(size), warp_names)
                    if why:
                        yield Finding("CPH006", declarator, {"name": index.text(inner), "why": why})
                        break
                if inner is None:
                    break
                declarator = inner


_PER_WARP_SIZE = re.compile(r"/\s*32\b|>>\s*5\b")


def _sized_by_warp(index: CstIndex, decl: Node, name: str, size: str, warp_names: set[str]) -> str:
    if _PER_WARP_SIZE.search(size):
        return f"[{size}] slots per 32-wide warp"
    words = set(re.findall(r"[A-Za-z_]\w*", size))
    if words & warp_names:
        return f"[{size}] uses a 32-wide warp constant"
    if _literal(index.resolve(size.strip())) != "32":
        return ""
    fn = index.function_at(decl.start_byte)
    if fn is None:
        return ""
    body = index.data[fn.start : fn.end].decode("utf-8", errors="replace")
    for match in re.finditer(rf"\b{re.escape(name)}\s*\[([^\]\[]*)\]", body):
        subscript = match.group(1)
        if re.search(r"warp|wid\b|>>\s*5\b|/\s*32\b", subscript, re.IGNORECASE):
            return f"[{size}] indexed by warp id '{subscript.strip()}'"
        if re.search(r"lane|&\s*31\b|%\s*32\b", subscript, re.IGNORECASE):
            return f"[{size}] indexed by lane '{subscript.strip()}'"
    return ""


def warp_lockstep(index: CstIndex) -> Iterator[Finding]:
    seen: set[int] = set()
    for kind in ("param", "decl"):
        for node in index.get(kind):
            if not any(c.type == "type_qualifier" and index.text(c) == "volatile" for c in node.children):
                continue
            fn = index.function_at(node.start_byte)
            if fn is None or not fn.is_device or fn.start in seen:
                continue
            body = index.data[fn.start : fn.end]
            if b"__syncwarp" in body or not _REDUCTION_STEP.search(body):
                continue
            seen.add(fn.start)
            yield Finding("CPH007", node, {"why": "volatile shared memory in a warp-synchronous reduction"})
    for node in index.get("if"):
        cond = node.child_by_field_name("condition")
        body = node.child_by_field_name("consequence")
        if cond is None or body is None:
            continue
        text = index.text(cond)
        if not re.search(r"<\s*32\b", text):
            continue
        fn = index.function_at(node.start_byte)
        if fn is None or fn.start in seen or not is_thread_varying(text, fn):
            continue
        inside = index.data[body.start_byte : body.end_byte]
        if b"__sync" in inside or b"__shfl" in inside:
            continue
        if len(_REDUCTION_STEP.findall(inside)) >= 2:
            seen.add(fn.start)
            yield Finding("CPH007", cond, {"why": "reduction steps under 'tid < 32' without __syncwarp"})


_SYNC_CALL_TEXT = re.compile(r"\b(__\w+_sync|__syncwarp)\s*\(\s*([^,()]+?)\s*[,)]")


def macro_bodies(index: CstIndex) -> Iterator[Finding]:
    """Masks inside macro bodies (raw text in the CST): `#define SHFL(v) __shfl_sync(0xffffffff, v, 0)`."""
    for node in index.get("fmacro") + index.get("macro"):
        value = node.child_by_field_name("value")
        if value is None or b"_sync" not in index.data[value.start_byte : value.end_byte]:
            continue
        for match in _SYNC_CALL_TEXT.finditer(macro_value(index.text(value))):
            call, mask = match.group(1), match.group(2)
            if call in WARP_SYNC_CALLS and not _SIXTY_FOUR_BIT.search(index.resolve(mask)) \
                    and _literal(index.resolve(mask)) in _FULL_MASKS:
                yield Finding("CPH002", value, {"mask": mask, "call": call})
                break


DETECTORS: tuple[Detector, ...] = (
    macro_bodies,
    warp_size_constants,
    calls,
    lane_math,
    asm_blocks,
    identifiers,
    textures,
    cooperative_groups_include,
    shared_arrays,
    warp_lockstep,
)


def find_hazards_in_index(source: SourceText, index: CstIndex) -> list[Hazard]:
    kinds = catalogue()
    out: list[Hazard] = []
    seen: set[tuple[str, int]] = set()
    for detector in DETECTORS:
        for f in detector(index):
            key = (f.id, f.node.start_byte)
            if key in seen:
                continue
            seen.add(key)
            kind = kinds[f.id]
            line, col = source.line_col(f.node.start_byte)
            try:
                message = kind.message.format(**f.fields)
            except (KeyError, IndexError):
                message = kind.message
            out.append(
                Hazard(f.id, kind.severity, source.path, line, col, message, source.line_text(line),
                       f.node.start_byte, f.node.end_byte)
            )
    out.sort(key=lambda h: (h.line, h.col, h.id))
    return apply_inline_suppressions(out, source)


def find_hazards(source: SourceText, tree: tree_sitter.Tree, extra_macros: dict[str, str] | None = None) -> list[Hazard]:
    return find_hazards_in_index(source, build_index(source.data, tree, extra_macros))


# --- docs/hazards.md, generated from the table -----------------------------------------------

def hazards_markdown() -> str:
    lines = [
        "# Portability hazards",
        "",
        "<!-- Generated from cuport/translate/tables/hazards.toml by",
        "     `python -m cuport.translate.hazards --write-doc`. Do not edit by hand. -->",
        "",
        "`cuport scan` finds these by meaning over the syntax tree. Silence one finding with",
        "`// cuport: ignore[ID]` on the same line or the line above (`ignore[ID1,ID2]`, or a bare",
        "`// cuport: ignore` for every hazard there), or a whole set with `--baseline FILE`.",
        "",
        "| ID | Name | Severity | Effort | Targets |",
        "|----|------|----------|--------|---------|",
    ]
    kinds = catalogue()
    for k in kinds.values():
        lines.append(f"| [{k.id}](#{k.id.lower()}) | {k.name} | {k.severity} | {k.effort} | {', '.join(k.targets)} |")
    for k in kinds.values():
        lines += ["", f"## {k.id}", "", f"**{k.name}** — {k.severity}, effort {k.effort}; affects {', '.join(k.targets)}.",
                  "", k.doc, "", f"Fix: {k.fix}"]
    return "\n".join(lines) + "\n"


def _main(argv: list[str]) -> int:
    if argv[:1] == ["--write-doc"]:
        target = Path(argv[1]) if len(argv) > 1 else Path("docs/hazards.md")
        target.write_text(hazards_markdown(), encoding="utf-8")
        return 0
    sys.stdout.write(hazards_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
