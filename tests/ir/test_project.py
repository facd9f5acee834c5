"""Separate compilation (nvcc -rdc): a kernel calls a `__device__` function its file only declares;
another file of the project defines it. Lowered from that file (its macros, typedefs and static
helpers), ported and verified; two definitions, one that does not lower and two files' different
functions of one name are refused with both places named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cuport.ir.printer import print_module
from cuport.ir.verify import verify_module
from cuport.parse.cst import parse_cst
from cuport.parse.lower import LoweredModule, ProjectScope, lower_function, lower_module
from cuport.parse.lower_project import program_files
from cuport.parse.preprocess import preprocess
from cuport.result import Failed, Ok
from cuport.source import SourceText

PROJECT = Path(__file__).parent / "project"

# scale.cu's static `square` is named with its file's stem (another file may have its own);
# FACTOR and `real` come from scale.cu's own preprocessing.
EXPECT_IR = """\
__device__ float twice(float v) {
  return v + v;
}

__global__ void apply(const float* in, float* out, int n) {
  int i = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n) {
    out[i] = scale_add(in[i], i % 3) + twice(1.0f);
  }
}

__device__ float scale_add(float x, int k) {
  return 2.5f * square_scale(x) + (float)k;
}

__device__ float square_scale(float v) {
  return v * v;
}"""


def _unit(path: Path) -> tuple[SourceText, object]:
    pre = preprocess(path, includes=[path.parent])
    assert isinstance(pre, Ok)
    return pre.value, parse_cst(pre.value)


def _lower(folder: Path, main: str, others: list[str]) -> tuple[SourceText, LoweredModule]:
    source, tree = _unit(folder / main)
    project = ProjectScope.of([_unit(folder / o) for o in others])  # type: ignore[misc]
    return source, lower_module(source, tree, project=project)  # type: ignore[arg-type]


def test_callee_lowered_from_the_defining_file() -> None:
    source, lowered = _lower(PROJECT, "apply.cu", ["apply.cu", "scale.cu"])
    assert all(isinstance(r, Ok) for r in lowered.functions.values()), lowered.functions
    module = lowered.module(source)
    assert print_module(module, show_implicit=True).strip() == EXPECT_IR
    assert verify_module(module) == []
    callee = next(f for f in module.functions if f.name == "scale_add")
    assert callee.span.file.endswith("scale.cu")  # spans in the defining file


def test_without_the_project_the_call_is_unknown() -> None:
    source, tree = _unit(PROJECT / "apply.cu")
    result = lower_function(source, tree, "apply")
    assert isinstance(result, Failed) and result.diagnostics[0].code == "CL008"
    assert not result.diagnostics[1:]  # the declaration is no global variable (was CL001)
    with_project = lower_function(source, tree, "apply", project=ProjectScope.of([_unit(PROJECT / "scale.cu")]))
    assert isinstance(with_project, Ok) and not with_project.diagnostics


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


CALLER = '__device__ int f(int);\n__global__ void k(int* o) { o[threadIdx.x] = f(threadIdx.x); }\n'


def test_two_definitions_are_refused_naming_both(tmp_path: Path) -> None:
    _write(tmp_path, {"k.cu": CALLER, "one.cu": "__device__ int f(int x) { return x; }\n",
                      "two.cu": "\n\n__device__ int f(int x) { return -x; }\n"})
    _, lowered = _lower(tmp_path, "k.cu", ["one.cu", "two.cu"])
    result = lowered.functions["k"]
    assert isinstance(result, Failed)
    d = result.diagnostics[0]
    assert d.code == "CL009" and "one.cu:1" in d.message and "two.cu:3" in d.message


def test_a_static_function_elsewhere_is_not_linked(tmp_path: Path) -> None:
    _write(tmp_path, {"k.cu": CALLER, "one.cu": "static __device__ int f(int x) { return x; }\n"})
    _, lowered = _lower(tmp_path, "k.cu", ["one.cu"])
    result = lowered.functions["k"]
    assert isinstance(result, Failed) and result.diagnostics[0].code == "CL008"


def test_a_definition_that_does_not_lower_names_its_place(tmp_path: Path) -> None:
    _write(tmp_path, {"k.cu": CALLER, "one.cu": "\n__device__ int f(int x) { return x + nowhere; }\n"})
    _, lowered = _lower(tmp_path, "k.cu", ["one.cu"])
    failed = lowered.functions["f"]
    assert isinstance(failed, Failed)
    d = failed.diagnostics[0]
    assert d.code == "CL010" and "one.cu:2" in d.message and "nowhere" in d.message
    assert d.span is not None and d.span.file.endswith("one.cu") and d.span.line == 2
    source, tree = _unit(tmp_path / "k.cu")
    alone = lower_function(source, tree, "k", project=ProjectScope.of([_unit(tmp_path / "one.cu")]))
    assert isinstance(alone, Failed) and alone.diagnostics[0].code == "CL010"


def test_two_files_different_functions_of_one_name_are_refused(tmp_path: Path) -> None:
    # g is an inline helper of each file: the same text twice is one function, different ones clash.
    same = "__device__ inline int g(int x) { return x * 2; }\n"
    _write(tmp_path, {"k.cu": same + CALLER.replace("= f(", "= g(threadIdx.x) + f("),
                      "one.cu": same + "__device__ int f(int x) { return g(x); }\n",
                      "two.cu": "__device__ inline int g(int x) { return x * 3; }\n"
                                "__device__ int f(int x) { return g(x); }\n"})
    _, lowered = _lower(tmp_path, "k.cu", ["one.cu"])
    assert all(isinstance(r, Ok) for r in lowered.functions.values())
    _, lowered = _lower(tmp_path, "k.cu", ["two.cu"])
    clash = lowered.functions["g"]
    assert isinstance(clash, Failed) and clash.diagnostics[0].code == "CL011"
    assert "k.cu:1" in clash.diagnostics[0].message and "two.cu:1" in clash.diagnostics[0].message


def test_a_global_of_one_name_in_two_files_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, {"k.cu": "__device__ int t[2] = {1, 2};\n" + CALLER.replace("threadIdx.x)", "threadIdx.x) + t[0]"),
                      "one.cu": "static __device__ int t[2] = {3, 4};\n__device__ int f(int x) { return x * t[1]; }\n"})
    _, lowered = _lower(tmp_path, "k.cu", ["one.cu"])
    assert isinstance(lowered.functions["f"], Failed)
    assert any(d.code == "CL011" and "k.cu:1" in d.message and "one.cu:1" in d.message for d in lowered.diagnostics)
    # a const folds to its value: each file's N is its own, nothing to refuse
    _write(tmp_path, {"k.cu": "const int N = 2;\n" + CALLER.replace("threadIdx.x)", "threadIdx.x) + N"),
                      "one.cu": "const int N = 3;\n__device__ int f(int x) { return x * N; }\n"})
    source, lowered = _lower(tmp_path, "k.cu", ["one.cu"])
    assert all(isinstance(r, Ok) for r in lowered.functions.values()) and not lowered.diagnostics
    assert "return x * 3;" in print_module(lowered.module(source))


def test_static_helpers_of_one_name_in_two_files_are_told_apart(tmp_path: Path) -> None:
    _write(tmp_path, {"k.cu": "static __device__ int h(int x) { return x + 1; }\n" + CALLER.replace("= f(", "= h(1) + f("),
                      "one.cu": "static __device__ int h(int x) { return x - 1; }\n__device__ int f(int x) { return h(x); }\n"})
    source, lowered = _lower(tmp_path, "k.cu", ["one.cu"])
    text = print_module(lowered.module(source))
    assert "return x + 1;" in text and "int h_one(int x) {\n  return x - 1;" in text and "return h_one(x);" in text


def test_program_files_are_the_defining_ones() -> None:
    files = tuple(sorted(PROJECT.glob("*.cu")))
    assert program_files(PROJECT / "apply.cu", files, includes=[], defines=[]) == (PROJECT / "scale.cu",)
    assert program_files(PROJECT / "apply.cu", (PROJECT / "apply.cu",), includes=[], defines=[]) == ()


def test_ported_to_opencl_and_triton_and_verified_with_both_files() -> None:
    # The CPU runtime builds the original with scale.cu (one translation unit); the ports carry
    # scale_add and scale.cu's square.
    proc = subprocess.run([sys.executable, "-m", "cuport", "verify", "--to", "opencl,triton", str(PROJECT)],
                          capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert "PASS       apply  [opencl]" in out and "PASS       apply  [triton]" in out, out
    assert proc.returncode == 0, out


def test_port_command_takes_the_files_given_together(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "cuport", "port", str(PROJECT / "apply.cu"), str(PROJECT / "scale.cu"),
                           "--to", "opencl", "-o", str(tmp_path), "--no-cache"],
                          capture_output=True, text=True, timeout=300, check=False)
    cl = next(tmp_path.rglob("apply.cl"), None)
    assert cl is not None, proc.stdout + proc.stderr
    text = cl.read_text()
    assert "float scale_add(float x, int k)" in text and "square_scale(x)" in text and "return v * v;" in text
    alone = subprocess.run([sys.executable, "-m", "cuport", "port", str(PROJECT / "apply.cu"), "--to", "opencl",
                            "-o", str(tmp_path / "alone"), "--no-cache"],
                           capture_output=True, text=True, timeout=300, check=False)
    assert "unknown function 'scale_add'" in alone.stdout + alone.stderr
    assert next((tmp_path / "alone").rglob("apply.cl"), None) is None
