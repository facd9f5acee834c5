"""cuport's HIP target against hipify-perl on a CUDA tree (HeCBench's `*-cuda` folders).

    .venv/bin/python benchmarks/hip_vs_hipify.py TREE --hipify PATH [--sample 30] [--repeat 3]
        [--speed-every 1] [--examine-files 40] [--compat on|off|both] [--json OUT]

TREE is a folder of benchmarks (every `*-cuda` subfolder is taken, with `*-hip` beside it as the
human port) or one CUDA folder. hipify-perl is never copied anywhere: it runs from PATH.

Measured, for both tools on the same files:
- duplicate includes the tool added (a header included more often than in the original);
- CUDA references left in the output, by name (comments and strings stripped; names the
  benchmark folder defines itself, such as `CUDA_CHECK`, are not counted);
- hazards: cuport's detector on the original; `hipify-perl -examine` (its warnings mode) on the
  files that hold hazards; a site counts as "warned" if hipify prints any warning for its line;
- hipcc compile rate on a sample of `main.cu` files, the whole benchmark folder ported by each
  tool first, with cuport's compatibility header for both tools, neither, or both ways;
- identical to the human `-hip` file after whitespace normalisation, and diff sizes otherwise;
- speed: cuport's CLI (`cuport port`, one process over the tree) and hipify-perl
  `-quiet-warnings` one process per file (as its docs use it) and one process over all files,
  alternated within each repeat; CPU seconds (user+sys of the child, from getrusage) are the
  headline because the machine is shared, wall seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import difflib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cuport.parse.cst import parse_cst
from cuport.parse.reader import read_source
from cuport.parse.walk import iter_sources
from cuport.result import Ok
from cuport.targets.hip import tables
from cuport.targets.hip.hipcc import compile_check, hipcc_path
from cuport.targets.hip.port import port_source
from cuport.translate.api_refs import api_table
from cuport.translate.hazards import find_hazards

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hip_throughput import machine  # noqa: E402

CUPORT = Path(sys.executable).with_name("cuport")
# comments and string/char literals: a name inside them is not a reference
_NOISE = re.compile(rb'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.DOTALL)
_CUDA_NAME = re.compile(
    rb"\b(?:cuda[A-Z_]\w*|cu[A-Z]\w*|CU(?:DA|BLAS|FFT|RAND|SPARSE|SOLVER|B)_\w+|cublas\w*|cufft\w*|curand\w*"
    rb"|cusparse\w*|cusolver\w*|nvrtc\w*|nvtx\w*|__nv_\w+|cub(?=::)|thrust::cuda\w*)"
)
_DEFINED = re.compile(rb"#\s*define\s+(\w+)|\b(\w+)\s*\([^;{}()]*\)\s*(?:const\s*)?\{|\b(?:struct|class|using|typedef[^;]*?)\s+(\w+)")
_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*[<"]([^>"]+)[>"]', re.MULTILINE)
_HIPIFY_WARNING = re.compile(r"^\s*(.+?):(\d+): warning:|warning: (.+?):#(\d+) :", re.MULTILINE)


@dataclass
class Tool:
    name: str
    outputs: dict[Path, bytes] = field(default_factory=dict)


def _strip(data: bytes) -> bytes:
    return _NOISE.sub(b" ", data)


def known_cuda_names(hipify: str) -> frozenset[bytes]:
    """CUDA names either tool knows: cuport's tables and every quoted CUDA-looking name in
    hipify-perl (its renames and its unsupported lists). A name counts as left unconverted only if
    it is in this union, so a user's `cudaStat` variable counts for neither tool."""
    names = {n.encode() for n in api_table()} | {r.cuda.encode() for r in tables.all_rows()}
    text = Path(hipify).read_bytes()
    names |= {m for m in re.findall(rb'"(\w+)"', text) if _CUDA_NAME.fullmatch(m)}
    names.add(b"cub")
    return frozenset(names)


def cuda_names(data: bytes, defined: set[bytes], known: frozenset[bytes]) -> Counter[str]:
    return Counter(m.decode() for m in _CUDA_NAME.findall(_strip(data)) if m not in defined and m in known)


_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|include)\b[ \t]*[<\"]?([^>\"\n]*)", re.MULTILINE)


def includes_by_branch(data: bytes) -> Counter[tuple[bytes, tuple[int, ...]]]:
    """(header, preprocessor branch) of every include: `#ifdef CUDA <cuda.h> #else <hip.h>`
    includes each header once per branch, which is no duplicate."""
    out: Counter[tuple[bytes, tuple[int, ...]]] = Counter()
    stack: list[int] = []
    fresh = 0
    for m in _DIRECTIVE.finditer(_strip_comments(data)):
        word = m.group(1)
        if word == b"include":
            out[(m.group(2).strip(), tuple(stack))] += 1
            continue
        fresh += 1
        if word.startswith(b"if"):
            stack.append(fresh)
        elif word == b"endif":
            if stack:
                stack.pop()
        elif stack:
            stack[-1] = fresh
    return out


def added_duplicate_includes(original: bytes, port: bytes) -> int:
    """Include lines naming a header more often in one branch than the original did."""
    before, after = includes_by_branch(original), includes_by_branch(port)
    return sum(max(0, n - max(1, before.get(h, 0))) for h, n in after.items() if n > 1)


def _strip_comments(data: bytes) -> bytes:
    return re.sub(rb"//[^\n]*|/\*.*?\*/", b" ", data, flags=re.DOTALL)


def normalise(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def benchmark_dirs(tree: Path) -> list[Path]:
    dirs = sorted(p for p in tree.glob("*-cuda") if p.is_dir())
    return dirs or [tree]


def source_files(dirs: list[Path]) -> list[Path]:
    return [p for p in iter_sources(dirs) if isinstance(p, Path)]


def defined_names(folder: Path, cache: dict[Path, set[bytes]]) -> set[bytes]:
    if folder not in cache:
        names: set[bytes] = set()
        for f in source_files([folder]):
            for groups in _DEFINED.findall(_strip(f.read_bytes())):
                names.update(g for g in groups if g)
        cache[folder] = names
    return cache[folder]


def bench_of(path: Path, dirs: list[Path]) -> Path:
    for d in dirs:
        if path.is_relative_to(d):
            return d
    return path.parent


# --- porting ------------------------------------------------------------------------------------

def port_cuport(files: list[Path]) -> Tool:
    tool = Tool("cuport")
    for f in files:
        r = read_source(f)
        if isinstance(r, Ok):
            tool.outputs[f] = port_source(r.value).text.encode("utf-8", "surrogateescape")
    return tool


def _hipify_one(hipify: str, f: Path, out: Path) -> bytes | None:
    if out.exists():
        return out.read_bytes()
    subprocess.run(["perl", hipify, "-quiet-warnings", f"-o={out}", str(f)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return out.read_bytes() if out.exists() else None


def port_hipify(hipify: str, files: list[Path], tmp: Path, jobs: int) -> Tool:
    tool = Tool("hipify-perl")
    with cf.ThreadPoolExecutor(jobs) as pool:
        futures = {pool.submit(_hipify_one, hipify, f, tmp / (str(f).strip("/").replace("/", "__"))): f for f in files}
        for fut in cf.as_completed(futures):
            data = fut.result()
            if data is not None:
                tool.outputs[futures[fut]] = data
    return tool


# --- measures -----------------------------------------------------------------------------------

def references_and_includes(tools: list[Tool], dirs: list[Path], known: frozenset[bytes]) -> dict[str, object]:
    cache: dict[Path, set[bytes]] = {}
    out: dict[str, object] = {}
    for tool in tools:
        left: Counter[str] = Counter()
        files_left = dup = dup_files = 0
        for f, data in tool.outputs.items():
            original = f.read_bytes()
            names = cuda_names(data, defined_names(bench_of(f, dirs), cache), known)
            left.update(names)
            files_left += bool(names)
            d = added_duplicate_includes(original, data)
            dup += d
            dup_files += bool(d)
        out[tool.name] = {"files": len(tool.outputs), "refs_left": sum(left.values()), "distinct_names_left": len(left),
                          "files_with_refs_left": files_left, "top_names_left": left.most_common(25),
                          "duplicate_includes_added": dup, "files_with_duplicate_includes": dup_files}
    return out


def hazards_vs_hipify(hipify: str, files: list[Path], limit: int) -> dict[str, object]:
    sites: dict[Path, list[tuple[str, int]]] = {}
    for f in files:
        r = read_source(f)
        if not isinstance(r, Ok):
            continue
        found = [(h.id, h.line) for h in find_hazards(r.value, parse_cst(r.value))]
        if found:
            sites[f] = found
    by_id: Counter[str] = Counter(i for s in sites.values() for i, _ in s)
    chosen = sorted(sites, key=lambda p: str(p))
    step = max(1, len(chosen) // max(1, limit))
    chosen = chosen[::step][:limit]
    start = time.perf_counter()
    proc = subprocess.run(["perl", hipify, "-examine", *map(str, chosen)], capture_output=True, text=True,
                          errors="replace", check=False)
    warned: set[tuple[str, int]] = set()
    for m in _HIPIFY_WARNING.finditer(proc.stderr):
        name, line = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        warned.add((os.path.abspath(name.strip()), int(line)))
    examined: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for f in chosen:
        for hid, line in sites[f]:
            examined[hid] += 1
            hit[hid] += (str(f.absolute()), line) in warned
    return {"files_with_hazards": len(sites), "sites_by_id": dict(sorted(by_id.items())),
            "examined_files": len(chosen), "examine_seconds": round(time.perf_counter() - start, 1),
            "hipify_warnings_in_examined_files": len(warned),
            "examined_sites_by_id": dict(sorted(examined.items())),
            "examined_sites_with_a_hipify_warning_on_the_line": dict(sorted(hit.items()))}


def human_port(f: Path, dirs: list[Path]) -> Path | None:
    bench = bench_of(f, dirs)
    human_dir = bench.with_name(bench.name[: -len("-cuda")] + "-hip") if bench.name.endswith("-cuda") else None
    if human_dir is None or not human_dir.is_dir():
        return None
    rel = f.relative_to(bench)
    for cand in (rel, rel.with_suffix(".hip"), rel.with_suffix(".cpp")):
        if (human_dir / cand).is_file():
            return human_dir / cand
    return None


def against_human(tools: list[Tool], dirs: list[Path]) -> dict[str, object]:
    out: dict[str, object] = {}
    pairs = {f: h for f in tools[0].outputs if (h := human_port(f, dirs)) is not None}
    human = {f: normalise(h.read_bytes()) for f, h in pairs.items()}
    unchanged_by_human = sum(human[f] == normalise(f.read_bytes()) for f in pairs)
    for tool in tools:
        same, sizes = 0, []
        for f in pairs:
            mine = normalise(tool.outputs.get(f, b""))
            if mine == human[f]:
                same += 1
                continue
            diff = difflib.unified_diff(human[f], mine, lineterm="", n=0)
            sizes.append(sum(1 for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---")))
        out[tool.name] = {"pairs": len(pairs), "identical": same, "identical_share": round(same / max(1, len(pairs)), 3),
                          "diff_lines_median": statistics.median(sizes) if sizes else 0,
                          "diff_lines_p90": sorted(sizes)[int(0.9 * len(sizes))] if sizes else 0}
    out["human_left_file_unchanged"] = unchanged_by_human
    return out


# libraries Debian's HIP 5.2 does not ship (hipCUB, rocThrust, hipBLAS...): a benchmark that uses one
# cannot compile whichever tool ported it, so the sample leaves it out, for both tools alike
_NOT_IN_DEBIAN_HIP = re.compile(rb"cub|thrust|cublas|cufft|curand|cusparse|cusolver|cudnn|nccl|nvml|cuda_fp8|mma\.h|cutlass|nvrtc")


def compilable(d: Path) -> bool:
    """The folder's includes resolve inside it or in the toolchain (no `../` includes, no library
    that HIP 5.2 on Debian lacks); the CUDA side of the check is not a filter."""
    if not (d / "main.cu").is_file() or not d.with_name(d.name[:-5] + "-hip").is_dir():
        return False
    for f in source_files([d]):
        for inc in _INCLUDE.findall(_strip_comments(f.read_bytes())):
            if inc.startswith(b"..") or _NOT_IN_DEBIAN_HIP.search(inc):
                return False
    return True


def compile_sample(tools: list[Tool], dirs: list[Path], n: int, compat_modes: list[bool], tmp: Path) -> dict[str, object]:
    mains = [d for d in dirs if compilable(d)]
    step = max(1, len(mains) // max(1, n))
    sample = mains[::step][:n]
    jobs = []
    for tool in tools:
        for d in sample:
            dest = tmp / tool.name / d.name
            for f, data in tool.outputs.items():
                if f.is_relative_to(d):
                    target = dest / f.relative_to(d)  # names kept so the folder's includes resolve
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            for compat in compat_modes:
                jobs.append((tool.name, d.name, compat, dest / "main.cu"))
    results: dict[tuple[str, str, bool], tuple[bool, str]] = {}
    with cf.ThreadPoolExecutor(2) as pool:
        futures = {pool.submit(compile_check, p, includes=(p.parent,), compat=c): (t, b, c) for t, b, c, p in jobs}
        for fut in cf.as_completed(futures):
            check = fut.result()
            results[futures[fut]] = (check.ok, check.first_error)
    out: dict[str, object] = {"eligible_folders": len(mains), "sample": [d.name for d in sample]}
    for tool in tools:
        for compat in compat_modes:
            rows = {b: results[(tool.name, b, compat)] for b in (d.name for d in sample)}
            key = f"{tool.name} ({'with' if compat else 'without'} compat header)"
            out[key] = {"compiled": sum(ok for ok, _ in rows.values()), "of": len(rows),
                        "failures": {b: err[:160] for b, (ok, err) in rows.items() if not ok}}
    return out


# --- speed --------------------------------------------------------------------------------------

def _child_seconds(cmd: list[str], **kw: object) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kw)  # type: ignore[call-overload]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def speed(hipify: str, dirs: list[Path], files: list[Path], repeat: int, tmp: Path) -> dict[str, object]:
    # `cuport port` mirrors each given folder under OUT/hip/; one folder of links to exactly the
    # files hipify-perl gets, with distinct names, gives both tools the same list
    farm = tmp / "farm"
    farm.mkdir()
    for f in files:
        rel = f.relative_to(bench_of(f, dirs).parent) if dirs else f
        (farm / str(rel).replace("/", "__")).symlink_to(f.resolve())
    runs: dict[str, list[tuple[float, float]]] = {"cuport port (1 process)": [], "hipify-perl (1 process per file)": [],
                                                  "hipify-perl (1 process, all files)": []}
    for r in range(repeat):
        out = tmp / f"cuport{r}"
        runs["cuport port (1 process)"].append(_child_seconds([str(CUPORT), "port", str(farm), "--to", "hip", "-o", str(out)]))
        shutil.rmtree(out, ignore_errors=True)
        cpu = wall = 0.0
        for i, f in enumerate(files):
            c, w = _child_seconds(["perl", hipify, "-quiet-warnings", f"-o={tmp / f'p{i}'}", str(f)])
            cpu, wall = cpu + c, wall + w
        runs["hipify-perl (1 process per file)"].append((cpu, wall))
        with open(tmp / "all.out", "wb") as sink:
            runs["hipify-perl (1 process, all files)"].append(_many(hipify, files, sink))
        print(f"repeat {r + 1}: " + ", ".join(f"{k} {v[-1][0]:.1f} s CPU" for k, v in runs.items()), flush=True)
    return {k: {"cpu_s_median": round(statistics.median(c for c, _ in v), 2),
                "cpu_s_all": [round(c, 2) for c, _ in v],
                "wall_s_median": round(statistics.median(w for _, w in v), 2)} for k, v in runs.items()}


def _many(hipify: str, files: list[Path], sink: object) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["perl", hipify, "-quiet-warnings", *map(str, files)], stdout=sink, stderr=subprocess.DEVNULL, check=False)  # type: ignore[arg-type]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", type=Path)
    parser.add_argument("--hipify", required=True, help="path to hipify-perl (run in place, never copied)")
    parser.add_argument("--sample", type=int, default=30, help="main.cu files compiled with hipcc per tool")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--examine-files", type=int, default=40, help="files with hazards given to hipify-perl -examine")
    parser.add_argument("--compat", choices=("on", "off", "both"), default="both")
    parser.add_argument("--only", default="refs,hazards,human,compile,speed", help="sections to run")
    parser.add_argument("--speed-every", type=int, default=1, help="speed over every N-th file only (1: all)")
    parser.add_argument("--limit", type=int, default=0, help="first N benchmark folders only (0: all)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--hipify-cache", type=Path, help="keep hipify-perl's outputs here between runs")
    args = parser.parse_args(argv)
    sections = set(args.only.split(","))

    dirs = benchmark_dirs(args.tree)
    if args.limit:
        dirs = dirs[: args.limit]
    files = source_files(dirs)
    report: dict[str, object] = {"machine": machine(), "load_average_start": os.getloadavg(),
                                 "benchmark_folders": len(dirs), "files": len(files)}
    print(f"machine: {report['machine']}; load {os.getloadavg()[0]:.1f}; {len(dirs)} folders, {len(files)} files", flush=True)
    with tempfile.TemporaryDirectory(prefix="cuport-vs-hipify-") as tmp_name:
        tmp = Path(tmp_name)
        tools: list[Tool] = []
        if sections & {"refs", "human", "compile"}:
            cache = args.hipify_cache or tmp / "hipify"
            cache.mkdir(parents=True, exist_ok=True)
            tools = [port_cuport(files), port_hipify(args.hipify, files, cache, jobs=2)]
        if "refs" in sections:
            report["references_and_includes"] = references_and_includes(tools, dirs, known_cuda_names(args.hipify))
            print(json.dumps(report["references_and_includes"], indent=1), flush=True)
        if "human" in sections:
            report["against_human_port"] = against_human(tools, dirs)
            print(json.dumps(report["against_human_port"], indent=1), flush=True)
        if "hazards" in sections:
            report["hazards"] = hazards_vs_hipify(args.hipify, files, args.examine_files)
            print(json.dumps(report["hazards"], indent=1), flush=True)
        if "compile" in sections and hipcc_path():
            modes = {"on": [True], "off": [False], "both": [True, False]}[args.compat]
            report["hipcc"] = compile_sample(tools, dirs, args.sample, modes, tmp / "compile")
            print(json.dumps(report["hipcc"], indent=1), flush=True)
        if "speed" in sections:
            chosen = files[:: args.speed_every]
            speed_dirs = sorted({bench_of(f, dirs) for f in chosen})
            report["speed_files"] = {"files": len(chosen), "lines": sum(f.read_bytes().count(b"\n") for f in chosen),
                                     "folders": len(speed_dirs)}
            print(f"speed over {report['speed_files']}", flush=True)
            report["speed"] = speed(args.hipify, speed_dirs, chosen, args.repeat, tmp)
            print(json.dumps(report["speed"], indent=1), flush=True)
    report["load_average_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
