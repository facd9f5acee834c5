"""Share of kernels that lower to IR on a CUDA tree (HeCBench's src/ layout), and why the rest fail.

    .venv/bin/python benchmarks/ir_lowering_rate.py HECBENCH/src [--limit N] [--top K]
        [--only NAME] [--cache DIR] [--show N] [--dump FILE]

For every `*-cuda/` benchmark: each .cu/.cuh file whose raw text parses with no ERROR node is
preprocessed (cuport.parse.preprocess: stub CUDA headers, -I the benchmark folder), parsed again,
and every `__global__` function is lowered. Prints the rates, the top failure reasons (by diagnostic
code and message shape), and time per kernel.

Two methods (`--method`):
- `build` (default): what a user with the benchmark's build system gets. Files are preprocessed with
  the `-DNAME[=VALUE]` flags of the benchmark's Makefile (unconditional CFLAGS/NVCC flag lines) and
  its include folders (Makefile `-I` folders, and every folder of the benchmark holding a header,
  as CMake builds add them; since 2026-11: 926 -> 942 kernels lowered from that alone);
  translation units come before the files they include (a kernel is measured once per benchmark, as
  the first file defining it sees it); a templated kernel takes the explicit template arguments of a
  launch site in the same benchmark (`k<int, 256><<<...>>>`; a launch inside a templated host
  function `run<T>` takes T from the file's first call `run<int32_t>(...)`), parameters still
  unbound the guesses.
- `plain`: no defines, files in name order; templated kernels use their defaults, else `float` for
  type parameters (`int` for one whose variables index arrays) and 256 for value parameters.
Both lower a benchmark's files as one project (separate compilation, nvcc -rdc: a `__device__`
function a file only declares is lowered from the one other file defining it, and must lower too;
since 2026-11). Both count a kernel once per benchmark (before 2026-11 a kernel was counted once per file that saw
it, e.g. a header's kernels again in each includer: 1459 kernels then, about 1220 now).
Templated kernels are counted apart. The rate is printed over all clean files and, as the issue words it,
over the benchmarks whose every file parses cleanly (a kernel in a header whose includer has
ERROR nodes is measured alone, without the includer's macros: the first number includes those).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import re
import statistics
import sys
import time
from pathlib import Path

from cuport.diagnostics import Diagnostic
from cuport.parse.cst import iter_problems, parse_cst
from cuport.parse.inventory import inventory
from cuport.parse.lower import ProjectScope, lower_function
from cuport.parse.lower_scope import scan_file
from cuport.parse.lower_structs import template_param_name
from cuport.parse.lower_traits import split_template_args
from cuport.parse.lower_types import TypeNames, parse_type_text
from cuport.parse.preprocess import preprocess, user_diagnostics
from cuport.result import Ok
from cuport.source import SourceText

EXCLUDED = {"particles", "bitonic-sort", "graphExecution", "threadfence", "scan", "fhd", "tpacf", "srad",
            "hwt1d", "mandelbrot", "filter"}  # kept aside for evaluation (DESIGN.md)


_FLAG_LINE = re.compile(r"^\s*(?:CFLAGS|CXXFLAGS|NVCCFLAGS|NVCC_FLAGS|NVFLAGS|CUDAFLAGS|CPPFLAGS)\s*[:+?]?=(.*)$")
_DEFINE = re.compile(r"(?:^|\s)-D\s*([A-Za-z_]\w*)(?:=(\S*))?")
_INCLUDE = re.compile(r'^\s*#\s*include\s*"(?:[^"]*/)?([^"/]+)"', re.M)
_INT = re.compile(r"^[-+]?(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*$")


def makefile_defines(bench: Path) -> list[str]:
    """`-DNAME[=VALUE]` of the Makefile's flag lines outside `ifeq`/`ifdef` blocks (debug or optional
    builds), continuation lines joined; values that use make variables are left out."""
    try:
        text = (bench / "Makefile").read_text(errors="replace")
    except OSError:
        return []
    out: list[str] = []
    depth = 0
    for line in text.replace("\\\n", " ").splitlines():
        word = line.strip().split(" ", 1)[0]
        if word in ("ifeq", "ifneq", "ifdef", "ifndef"):
            depth += 1
        elif word == "endif":
            depth = max(depth - 1, 0)
        m = _FLAG_LINE.match(line)
        if m is None or depth:
            continue
        for d in _DEFINE.finditer(m.group(1)):
            value = d.group(2)
            if value is not None and "$" in value:
                continue
            out.append(d.group(1) if value is None else f"{d.group(1)}={value}")
    return out


_VAR_LINE = re.compile(r"^\s*([A-Za-z_]\w*)\s*[:?]?=\s*(\S*)\s*$")
_INCLUDE_FLAG = re.compile(r"(?:^|\s)-I\s*(\S+)")
_HEADER_SUFFIXES = {".h", ".hpp", ".cuh", ".hh", ".inc"}


def include_dirs(bench: Path) -> list[Path]:
    """Where the build finds the benchmark's headers: the folder itself, the Makefile's `-I` folders
    (simple `$(VAR)` values substituted; outside folders included) and, for CMake builds and
    `-I` flags hidden in variables, every folder of the benchmark that holds a header."""
    bench = bench.resolve()
    out = [bench]
    try:
        text = (bench / "Makefile").read_text(errors="replace").replace("\\\n", " ")
    except OSError:
        text = ""
    variables = {m.group(1): m.group(2) for m in map(_VAR_LINE.match, text.splitlines()) if m}
    for m in _INCLUDE_FLAG.finditer(text):
        value = re.sub(r"\$[({](\w+)[)}]", lambda v: variables.get(v.group(1), "$"), m.group(1))
        if "$" not in value and (bench / value).is_dir() and (bench / value).resolve() not in out:
            out.append((bench / value).resolve())
    for d in sorted({p.parent for p in bench.rglob("*") if p.suffix in _HEADER_SUFFIXES}):
        if d not in out:
            out.append(d)
    return out


def indexes_with(fn, name: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether a variable the kernel declares with type `name` is used inside `[...]` (an index
    type such as `IdxT`, `index_t`: `float` would not lower, `int` is what launch sites pass)."""
    text = fn.node.text.decode("utf-8", errors="replace") if fn.node.text else ""
    variables = set(re.findall(rf"\b{re.escape(name)}\s*(?:const\s+)?(?:__restrict__\s+)?&?\s*([A-Za-z_]\w*)", text))
    return any(re.search(rf"\[[^\]]*\b{re.escape(v)}\b", text) for v in variables)


def guess_args(fn) -> dict[str, str | int]:  # type: ignore[no-untyped-def]
    """Unbound template parameters: `int` for an index type, else `float`; 256 for values."""
    out: dict[str, str | int] = {}
    for p in fn.template_params.named_children if fn.template_params is not None else []:
        name = template_param_name(p)
        if name is None or p.child_by_field_name("default_type") or p.child_by_field_name("default_value"):
            continue
        if p.type.endswith("type_parameter_declaration"):
            out[name] = "int" if indexes_with(fn, name) else "float"
        else:
            out[name] = 256
    return out


def split_args(text: str) -> list[str]:
    """`<float, foo<int, 2>, 256>` -> ["float", "foo<int, 2>", "256"]."""
    return split_template_args(text.strip()[1:-1])


def caller_args(source: SourceText, tree, caller: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The template arguments of the first call `caller<...>(` in the file, by parameter name, for
    a launch site inside a templated host function (one level: what the program instantiates)."""
    scope = scan_file(source, tree)
    fn = next((d for d in scope.functions.get(caller, []) if d.template_params is not None), None)
    if fn is None:
        return {}
    names = [template_param_name(p) for p in fn.template_params.named_children]
    text = source.data.decode("utf-8", errors="replace")
    for m in re.finditer(rf"\b{re.escape(caller)}\s*(<[^;{{}}()]*>)\s*\(", text):
        args = split_args(m.group(1))
        if len(args) == len(names) and not any(a in names for a in args):
            return {n: a for n, a in zip(names, args, strict=True) if n is not None}
    return {}


def launch_args(fn, sites: list[list[str]], types: TypeNames) -> dict[str, str | int]:  # type: ignore[no-untyped-def]
    """Template arguments from the launch site binding the most parameters; the rest guessed.

    An argument is kept when it is an integer literal (value parameters) or a plain type spelling
    (type parameters); names of the caller's own template parameters are left to the guesses."""
    params = [p for p in (fn.template_params.named_children if fn.template_params is not None else [])
              if template_param_name(p) is not None]
    best: dict[str, str | int] = {}
    for site in sites:
        bound: dict[str, str | int] = {}
        for p, text in zip(params, site, strict=False):
            name = template_param_name(p)
            assert name is not None
            text = text.strip()
            if p.type.endswith("type_parameter_declaration"):
                if parse_type_text(text, types) is not None:  # not the caller's own parameter
                    bound[name] = text
            elif _INT.match(text):
                bound[name] = int(text.rstrip("uUlL"), 0)
            elif text in ("true", "false"):
                bound[name] = int(text == "true")
        if len(bound) > len(best):
            best = bound
    return {**guess_args(fn), **best}


def relative(d: Diagnostic, tree: Path) -> Diagnostic:
    """The diagnostic with paths under the tree written relative to it (the output names no folder
    of the machine it ran on)."""
    roots = sorted({f"{tree}/", f"{tree.resolve()}/"}, key=len, reverse=True)

    def rel(text: str) -> str:
        for root in roots:
            text = text.replace(root, "")
        return text

    span = dataclasses.replace(d.span, file=rel(d.span.file)) if d.span is not None else None
    return dataclasses.replace(d, message=rel(d.message), span=span)


def shape(message: str) -> str:
    """A failure reason with names and numbers blurred, so equal causes group together."""
    return re.sub(r"'[^']*'", "'…'", re.sub(r"\d+", "N", message))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tree", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="only the first N benchmarks")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--show", type=int, default=0, help="print N example failures per top reason")
    ap.add_argument("--only", action="append", default=[], help="only benchmarks whose name contains this")
    ap.add_argument("--method", choices=("build", "plain"), default="build",
                    help="build: Makefile -D flags and launch sites' template arguments; plain: neither")
    ap.add_argument("--cache", type=Path, default=None, help="preprocessing cache folder (fast re-runs)")
    ap.add_argument("--dump", type=Path, default=None, help="write every failure (location: message) to this file")
    args = ap.parse_args()
    benches = sorted(d for d in args.tree.glob("*-cuda") if d.is_dir() and d.name[:-5] not in EXCLUDED)
    if args.only:
        benches = [b for b in benches if any(o in b.name for o in args.only)]
    if args.limit:
        benches = benches[: args.limit]
    counts = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    per_kernel: list[float] = []
    names: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    clean_bench = collections.Counter()  # kernels / lowered in benchmarks whose every file parses cleanly
    for bench in benches:
        seen: set[str] = set()
        bench_counts = collections.Counter()
        bench_clean = True
        defines = makefile_defines(bench) if args.method == "build" else []
        includes = include_dirs(bench) if args.method == "build" else [bench]
        files = []
        sites: dict[str, list[list[str]]] = collections.defaultdict(list)
        paths = sorted([*bench.rglob("*.cu"), *bench.rglob("*.cuh")])
        if args.method == "build":
            # Translation units first: a kernel in an included file is measured as its includer
            # (which the build compiles, with its typedefs and macros) sees it.
            included = {m for p in paths for m in _INCLUDE.findall(p.read_text(errors="replace"))}
            paths.sort(key=lambda p: p.name in included)
        for path in paths:
            try:
                raw = SourceText.from_text(str(path), path.read_bytes().decode("utf-8", errors="replace"))
            except OSError:
                continue
            if next(iter_problems(parse_cst(raw)), None) is not None:
                counts["files with ERROR (skipped)"] += 1
                bench_clean = False
                continue
            counts["files parsed clean"] += 1
            pre = preprocess(path, includes=includes, defines=defines, cache_dir=args.cache)
            if not isinstance(pre, Ok):
                counts["files failing preprocessing"] += 1
                continue
            source = pre.value
            tree = parse_cst(source)
            files.append((source, tree))
            if args.method == "build":
                for site in inventory(source, tree).launches:
                    if site.template_args and site.callee:
                        targs = split_args(site.template_args)
                        if site.caller:  # `template <class T> void run() { k<T><<<...>>>(); }`, called `run<int>()`
                            outer = caller_args(source, tree, site.caller)
                            targs = [outer.get(a.strip(), a) for a in targs]
                        sites[site.callee.split("::")[-1]].append(targs)
        project = ProjectScope.of(files)  # nvcc -rdc: a function one file declares, another defines
        for source, tree in files:
            scope = scan_file(source, tree)
            for name, defs in scope.functions.items():
                fn = next((d for d in defs if d.is_kernel), None)
                if fn is None or name in seen:
                    continue
                seen.add(name)
                templated = fn.template_params is not None
                key = "template kernels" if templated else "kernels"
                counts[key] += 1
                bench_counts["kernels"] += 1
                targs = None
                if templated:
                    targs = launch_args(fn, sites.get(name, []), scope.types) if args.method == "build" else guess_args(fn)
                t0 = time.perf_counter()
                result = lower_function(source, tree, name, template_args=targs, module_globals=scope,
                                        project=project)
                per_kernel.append(time.perf_counter() - t0)
                if isinstance(result, Ok):
                    counts[key + " lowered"] += 1
                    bench_counts["lowered"] += 1
                    continue
                d = user_diagnostics(result.diagnostics[:1], source)[0] if result.diagnostics else None
                d = relative(d, args.tree) if d is not None else None
                reason = f"{d.code} {shape(d.message)}" if d else shape(result.reason)
                reasons[reason] += 1
                if d is not None and d.code in ("CL005", "CL008", "CL002"):
                    names[f"{d.code} {d.message}"] += 1
                if d is not None:
                    failures.append(f"{d.span}: {d.code} {d.message}")
                if len(examples[reason]) < args.show and d is not None:
                    examples[reason].append(f"{d.span}: {d.message}")
        if bench_clean:
            clean_bench.update(bench_counts)
            clean_bench["benchmarks"] += 1
    if args.dump is not None:
        args.dump.write_text("".join(f + "\n" for f in failures), "utf-8")
    total = counts["kernels"] + counts["template kernels"]
    lowered = counts["kernels lowered"] + counts["template kernels lowered"]
    print(f"method: {args.method}")
    print(f"benchmarks: {len(benches)}   files parsed clean: {counts['files parsed clean']}   "
          f"skipped (ERROR nodes): {counts['files with ERROR (skipped)']}   "
          f"preprocessing failed: {counts['files failing preprocessing']}")
    for key in ("kernels", "template kernels"):
        n, ok = counts[key], counts[key + " lowered"]
        print(f"{key:17s}: {ok}/{n} lowered ({100 * ok / max(n, 1):.1f}%)")
    print(f"all kernels      : {lowered}/{total} lowered ({100 * lowered / max(total, 1):.1f}%)")
    n, ok = clean_bench["kernels"], clean_bench["lowered"]
    print(f"in benchmarks whose every file parses cleanly ({clean_bench['benchmarks']} benchmarks): "
          f"{ok}/{n} lowered ({100 * ok / max(n, 1):.1f}%)")
    if per_kernel:
        print(f"time per kernel  : median {1e3 * statistics.median(per_kernel):.2f} ms "
              f"(lower_function incl. globals; CPU, {len(per_kernel)} kernels)")
    print(f"\ntop failure reasons ({sum(reasons.values())} failures):")
    for reason, n in reasons.most_common(args.top):
        print(f"{n:5d}  {reason}")
        for ex in examples[reason]:
            print(f"         {ex}")
    print("\nmost frequent unknown names:")
    for name, n in names.most_common(args.top):
        print(f"{n:5d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
