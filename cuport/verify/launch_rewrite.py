"""Lexical rewriting of CUDA host code so g++ can compile it against the CPU runtime.

Three rewrites, each keeping every line where it was (so compiler messages and `__LINE__` still
point at the user's source):

- `kern<<<grid, block, shared, stream>>>(args)` (kernel names may carry template arguments) becomes
  `::cuport::launch_kernel(::cuport::LaunchConfig(grid, block, shared, stream),
  [&](auto&&... cuport_a) { kern(cuport_a...); }, args)`: the arguments are evaluated once, and the
  kernel call inside the lambda deduces template arguments exactly like the original launch.
- `cudaLaunchKernel((void*)kern, ...)` becomes `::cuport::cuda_launch_kernel(kern, ...)`, keeping
  the kernel's type so the `void**` arguments can be unpacked.
- `extern __shared__ T name[];` becomes a pointer to the per-worker dynamic shared buffer.

Comments, string and character literals are never touched. `rewrite_tree` applies this to a file and
to every local header it includes with `#include "..."`, writing the copies into a mirror folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_CLOSE = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class LaunchSite:
    kernel: str  # the kernel expression as written, e.g. "reduce<float, 256>"
    config: tuple[str, ...]  # grid, block[, shared[, stream]] as written
    line: int  # 1-based


@dataclass
class Rewritten:
    text: str
    launches: list[LaunchSite] = field(default_factory=list)
    extern_shared: list[str] = field(default_factory=list)  # names of extern __shared__ arrays


def blank_comments_and_strings(text: str) -> str:
    """The text with comments and literal contents replaced by spaces (newlines kept), same length."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and i + 1 < n and text[i + 1] == "/":
            j = text.find("\n", i)
            j = n if j == -1 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif c == "/" and i + 1 < n and text[i + 1] == "*":
            j = text.find("*/", i + 2)
            j = n if j == -1 else j + 2
            for k in range(i, j):
                if text[k] != "\n":
                    out[k] = " "
            i = j
        elif c == '"' or (c == "'" and not (i > 0 and (text[i - 1].isalnum() and text[i - 1] not in "uUL"))):
            # a quote after a digit is a C++14 digit separator (1'000), not a character literal
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def _match_forward(code: str, i: int) -> int:
    """Index just past the bracket that closes the one at code[i]."""
    stack = [_CLOSE[code[i]]]
    j = i + 1
    while j < len(code) and stack:
        c = code[j]
        if c in _CLOSE:
            stack.append(_CLOSE[c])
        elif c in ")]}":
            if c != stack[-1]:
                return -1
            stack.pop()
        j += 1
    return j if not stack else -1


def _split_top(code: str, text: str) -> list[str]:
    """Split text at commas outside brackets (`code` is the blanked twin of `text`)."""
    parts, depth, start = [], 0, 0
    for k, c in enumerate(code):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _first_top_comma(code: str) -> int:
    depth = 0
    for k, c in enumerate(code):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            return k
    return -1


def _kernel_start(code: str, end: int) -> int:
    """Start of the kernel expression that ends at `end` (exclusive): name, template args, `::`."""
    j = end
    while j > 0 and code[j - 1].isspace():
        j -= 1
    if j > 0 and code[j - 1] == ">":
        depth = 0
        k = j - 1
        while k >= 0:
            if code[k] == ">":
                depth += 1
            elif code[k] == "<":
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        if k < 0:
            return -1
        j = k
        while j > 0 and code[j - 1].isspace():
            j -= 1
    while True:
        k = j
        while k > 0 and (code[k - 1].isalnum() or code[k - 1] == "_"):
            k -= 1
        if k == j:
            return -1
        j = k
        if j >= 2 and code[j - 2 : j] == "::":
            j -= 2
            continue
        return j


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


_NULL = re.compile(r"\bNULL\b")


def _replace_null(text: str, code: str) -> str:
    return "".join(
        "nullptr" if code[m.start() : m.end()] == "NULL" else m.group(0)
        for m in re.finditer(r"\bNULL\b|[^N]+|N", text)
    )


def _rewrite_launches(text: str, code: str, launches: list[LaunchSite]) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        i = code.find("<<<", pos)
        if i == -1:
            return edits
        pos = i + 3
        kstart = _kernel_start(code, i)
        # the config ends at `>>>` outside brackets
        j, depth = i + 3, 0
        while j < len(code):
            c = code[j]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif depth == 0 and code.startswith(">>>", j):
                break
            j += 1
        if kstart < 0 or j >= len(code):
            continue
        cfg_end = j
        k = j + 3
        while k < len(code) and code[k].isspace():
            k += 1
        if k >= len(code) or code[k] != "(":
            continue
        close = _match_forward(code, k)
        if close < 0:
            continue
        kernel = text[kstart:i].strip()
        config = tuple(_split_top(code[i + 3 : cfg_end], text[i + 3 : cfg_end]))
        args = text[k + 1 : close - 1]
        args_code = code[k + 1 : close - 1]
        # NULL is an integer in g++; through the forwarding lambda it would not convert to a pointer
        args = _replace_null(args, args_code)
        call = (
            f"::cuport::launch_kernel(::cuport::LaunchConfig({text[i + 3 : cfg_end]}), "
            f"[&](auto&&... cuport_a) {{ {kernel}(cuport_a...); }}"
            + (f", {args})" if args_code.strip() else ")")
        )
        missing = text.count("\n", kstart, close) - call.count("\n")
        edits.append((kstart, close, call + "\n" * max(missing, 0)))
        launches.append(LaunchSite(kernel, config, _line_at(text, kstart)))
        pos = close


_LAUNCH_API = re.compile(r"\b(cudaLaunchKernel|cudaLaunchCooperativeKernel)\s*\(")
_VOID_CAST = re.compile(
    r"^\s*(?:\(\s*(?:const\s+)?void\s*\*\s*\)|reinterpret_cast\s*<\s*(?:const\s+)?void\s*\*\s*>)\s*"
)


def _rewrite_launch_api(text: str, code: str) -> list[tuple[int, int, str]]:
    edits = []
    for m in _LAUNCH_API.finditer(code):
        open_paren = m.end() - 1
        close = _match_forward(code, open_paren)
        if close < 0:
            continue
        inner_code = code[open_paren + 1 : close - 1]
        comma = _first_top_comma(inner_code)
        if comma < 0:
            continue
        kern = _VOID_CAST.sub("", text[open_paren + 1 : open_paren + 1 + comma]).strip()
        if kern.startswith("(") and kern.endswith(")"):
            kern = kern[1:-1].strip()
        kern = kern.lstrip("&").strip()
        rest = text[open_paren + 1 + comma : close - 1]
        edits.append((m.start(), close, f"::cuport::cuda_launch_kernel({kern}{rest})"))
    return edits


_EXTERN_SHARED = re.compile(r"\bextern\s+__shared__\s+(?P<type>[^;\[\]{}()]*?(?:\([^)]*\)[^;\[\]{}()]*?)*)\s*\b(?P<name>\w+)\s*\[\s*\]\s*;")
_ALIGN = re.compile(r"__align__\s*\(\s*\w+\s*\)|__attribute__\s*\(\(.*?\)\)")
_NAMESPACE_OPEN = re.compile(r"(?:\bnamespace(?:\s+[\w:]+)?|\bextern\s*\"\s*\")\s*$")


def _at_namespace_scope(code: str, pos: int) -> bool:
    """True when pos lies outside every function/class body (only namespace braces enclose it)."""
    stack: list[bool] = []  # True: a namespace-like brace
    for k in range(pos):
        c = code[k]
        if c == "{":
            stack.append(bool(_NAMESPACE_OPEN.search(code[max(0, k - 120) : k])))
        elif c == "}" and stack:
            stack.pop()
    return all(stack)


def _rewrite_extern_shared(text: str, code: str, filename: str, names: list[str]) -> list[tuple[int, int, str]]:
    edits = []
    for m in _EXTERN_SHARED.finditer(code):
        ctype = " ".join(_ALIGN.sub(" ", text[m.start("type") : m.end("type")]).split())
        name = m.group("name")
        names.append(name)
        if _at_namespace_scope(code, m.start()):
            # a namespace-scope declaration names the buffer of whichever launch is running
            line = _line_at(text, m.start())
            repl = (
                f"\n#define {name} (reinterpret_cast<{ctype}*>(::cuport::dynamic_shared()))\n"
                f'#line {line} "{_escape(filename)}"\n'
            )
        else:
            repl = f"{ctype}* const {name} = reinterpret_cast<{ctype}*>(::cuport::dynamic_shared());"
        edits.append((m.start(), m.end(), repl))
    return edits


def _escape(path: str) -> str:
    return path.replace("\\", "\\\\").replace('"', '\\"')


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, repl in sorted(edits):
        if start < last:
            continue  # overlapping edits: keep the first
        out.append(text[last:start])
        out.append(repl)
        last = end
    out.append(text[last:])
    return "".join(out)


def rewrite_source(text: str, filename: str = "<source>") -> Rewritten:
    """Rewrite launches, cudaLaunchKernel calls and extern __shared__ declarations in one file."""
    code = blank_comments_and_strings(text)
    result = Rewritten(text)
    edits = _rewrite_launches(text, code, result.launches)
    edits += _rewrite_launch_api(text, code)
    edits += _rewrite_extern_shared(text, code, filename, result.extern_shared)
    result.text = _apply(text, edits)
    return result


_QUOTE_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.MULTILINE)


def mirror_path(mirror_root: Path, original: Path) -> Path:
    """Where the rewritten copy of `original` lives: its absolute path under the mirror root."""
    return mirror_root / str(original.resolve()).lstrip("/")


def rewrite_tree(main: Path, include_dirs: tuple[Path, ...] = ()) -> dict[Path, str]:
    """Rewritten text of `main` and of every local file it includes with quotes, by original path.

    Each text starts with a `#line 1` directive naming the original file. Quote includes are
    resolved like the compiler does: the including file's folder first, then the include folders.
    """
    out: dict[Path, str] = {}
    todo = [main.resolve()]
    while todo:
        path = todo.pop()
        if path in out:
            continue
        raw = path.read_bytes().decode("utf-8", errors="surrogateescape")
        rewritten = rewrite_source(raw, str(path))
        out[path] = f'#line 1 "{_escape(str(path))}"\n' + rewritten.text
        code = blank_comments_and_strings(raw)
        for m in _QUOTE_INCLUDE.finditer(raw):
            if "#" not in code[m.start() : m.start(1)]:
                continue  # inside a comment
            name = m.group(1)
            for folder in (path.parent, *include_dirs):
                candidate = (folder / name).resolve()
                if candidate.is_file():
                    todo.append(candidate)
                    break
    return out
