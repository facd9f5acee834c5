"""Static checks of untrusted candidate code (an LLM's answer) before it is ever run.

    check_candidate(target, code, original_names=(...)) -> list[str]   # problems; [] = may run

Verification catches wrong answers; these checks catch answers that could cheat the verifier or
reach outside the sandbox: foreign imports and includes, file/network/process access, dynamic
code, reflection, state kept between launches (a cache across calls), inline assembly, and any
mention of the original's files. A candidate with a problem is rejected without running.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

# --- Triton: an allow-list over the AST --------------------------------------------------------
TRITON_IMPORTS = frozenset({"triton", "triton.language", "triton.language.extra", "torch", "math"})
FORBIDDEN_CALLS = frozenset({
    "open", "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "getattr", "setattr",
    "delattr", "breakpoint", "input", "memoryview", "help", "exit", "quit", "dir", "type", "super",
})
# torch entry points that touch files, the network or other processes
FORBIDDEN_TORCH = frozenset({"load", "save", "from_file", "hub", "utils", "package", "jit", "ops", "library",
                             "multiprocessing", "distributed", "classes", "_C", "cuda.memory"})
# module-level names the Triton convention allows to be mutable
TRITON_TABLES = frozenset({"KERNELS", "SIGNATURES", "SYMBOLS", "CONSTANTS"})

# --- C-like targets ----------------------------------------------------------------------------
ALLOWED_INCLUDES: dict[str, frozenset[str]] = {
    "opencl": frozenset(),
    "hip": frozenset({"hip/hip_runtime.h", "hip/hip_fp16.h", "hip/hip_cooperative_groups.h"}),
    "cuda": frozenset({"cuda_runtime.h", "cuda_fp16.h", "cooperative_groups.h", "cuda.h"}),
}
_C_FORBIDDEN = re.compile(
    r"\b(asm|__asm__|__asm|fopen|fread|fwrite|fclose|fprintf|fscanf|open|read|write|close|unlink|remove|"
    r"system|popen|exec[lv]p?e?|fork|vfork|syscall|getenv|setenv|mmap|dlopen|dlsym|socket|connect|"
    r"cudaMemcpy\w*|hipMemcpy\w*|cudaMalloc\w*|hipMalloc\w*|clock|clock64|__nanosleep|"
    r"atexit|signal|longjmp|setjmp)\s*\("
)
_STATIC_LOCAL = re.compile(r"\bstatic\b(?![^;{]*\bconst\b)[^;{(]*;")
_FILE_SCOPE_STATE = re.compile(r"^\s*(__global|global|__device__|__managed__|static|extern)\b(?![^;{]*\bconst\b)")


def check_candidate(target: str, code: str, original_names: Iterable[str] = ()) -> list[str]:
    """Why `code` must not run (empty: it may go to the verifier)."""
    problems = _mentions_original(code, original_names)
    if "cuport-manifest" in code:
        problems.append("the candidate writes its own cuport manifest (cuport writes it)")
    if target == "triton":
        problems += _check_triton(code)
    elif target in ALLOWED_INCLUDES:
        problems += _check_c_like(target, code)
    else:
        problems.append(f"no static checks for target {target!r}: refusing to run its candidates")
    return problems


def _mentions_original(code: str, names: Iterable[str]) -> list[str]:
    out = []
    for n in names:
        if n and len(n) > 3 and n in code:
            out.append(f"the candidate refers to the original's file {n!r}")
    return out


def _check_triton(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return [f"not valid Python: line {exc.lineno}: {exc.msg}"]
    problems: list[str] = []

    def at(node: ast.AST, what: str) -> None:
        problems.append(f"line {getattr(node, 'lineno', '?')}: {what}")

    for node in tree.body:  # module-level state other than the tables is a cache across launches
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = node.value
            if any(n not in TRITON_TABLES for n in names) and not _is_constant_expr(value):
                at(node, f"module-level state {', '.join(names) or '?'} (only constants and the cuport tables)")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            mods = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            if isinstance(node, ast.ImportFrom) and node.level:
                mods = ["." * node.level + (node.module or "")]
            for m in mods:
                if m not in TRITON_IMPORTS:
                    at(node, f"imports {m} (allowed: {', '.join(sorted(TRITON_IMPORTS))})")
        elif isinstance(node, ast.Global | ast.Nonlocal):
            at(node, f"'{'global' if isinstance(node, ast.Global) else 'nonlocal'}' keeps state between launches")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_CALLS:
            at(node, f"uses {node.id}")
        elif isinstance(node, ast.Name) and node.id.startswith("__") and node.id != "__name__":
            at(node, f"uses {node.id}")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("__") or node.attr in ("f_globals", "f_locals", "gi_frame", "tb_frame"):
                at(node, f"reaches into .{node.attr}")
            base = _dotted(node.value)
            if base == "torch" and node.attr in FORBIDDEN_TORCH:
                at(node, f"uses torch.{node.attr}")
            if base in ("os", "sys", "subprocess", "socket", "pathlib", "shutil", "io", "builtins"):
                at(node, f"uses {base}.{node.attr}")
        elif isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call) and _dotted(d.func).endswith("lru_cache") or _dotted(d).endswith("cache")
            for d in node.decorator_list
        ):
            at(node, "memoises results between launches")
        elif isinstance(node, ast.arguments):
            for default in node.defaults + [d for d in node.kw_defaults if d is not None]:
                if isinstance(default, ast.List | ast.Dict | ast.Set | ast.Call):
                    at(default, "a mutable default argument keeps state between launches")
    return problems


def _is_constant_expr(node: ast.AST | None) -> bool:
    if node is None:
        return True
    return all(isinstance(n, ast.Constant | ast.UnaryOp | ast.BinOp | ast.operator | ast.unaryop | ast.Tuple
                          | ast.Name | ast.Load | ast.Attribute | ast.Call | ast.keyword)
               for n in ast.walk(node)) and not any(
        isinstance(n, ast.Call) and _dotted(n.func) not in ("tl.constexpr", "triton.language.constexpr")
        for n in ast.walk(node))


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def strip_c_comments(code: str) -> str:
    """Comments and string literals blanked (same length), so patterns see only code."""
    def blank(m: re.Match[str]) -> str:
        text = m.group(0)
        if text.startswith(("'", '"')):
            return text[0] + " " * (len(text) - 2) + text[-1]
        return re.sub(r"[^\n]", " ", text)

    return re.sub(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', blank, code, flags=re.S)


def _check_c_like(target: str, code: str) -> list[str]:
    problems: list[str] = []
    allowed = ALLOWED_INCLUDES[target]
    for m in re.finditer(r'^\s*#\s*include\s*[<"]([^>"]*)[>"]', code, re.M):
        if m.group(1) not in allowed:
            line = code.count("\n", 0, m.start()) + 1
            problems.append(f"line {line}: #include {m.group(1)} (allowed: {', '.join(sorted(allowed)) or 'none'})")
    plain = strip_c_comments(code)
    for m in re.finditer(r"^\s*#\s*(pragma|line|embed|import)\b[^\n]*", plain, re.M):
        if not re.match(r"^\s*#\s*pragma\s+(unroll|OPENCL\s+EXTENSION\s+cl_khr_fp(16|64)\s*:\s*enable)", m.group(0)):
            problems.append(f"line {plain.count(chr(10), 0, m.start()) + 1}: {m.group(0).strip()}")
    for m in _C_FORBIDDEN.finditer(plain):
        problems.append(f"line {plain.count(chr(10), 0, m.start()) + 1}: calls {m.group(1)}")
    depth = 0
    for lineno, line in enumerate(plain.splitlines(), 1):
        if depth == 0 and _FILE_SCOPE_STATE.match(line) and "(" not in line.split("=")[0]:
            problems.append(f"line {lineno}: file-scope mutable variable (state kept between launches)")
        elif depth > 0 and _STATIC_LOCAL.search(line):
            problems.append(f"line {lineno}: static local variable (state kept between launches)")
        depth += line.count("{") - line.count("}")
    return problems
