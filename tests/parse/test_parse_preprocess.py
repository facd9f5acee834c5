"""preprocess: macros expanded with -I/-D, CUDA headers from stubs, missing headers never fatal,
line markers mapped back, compile_commands.json read, results cached by content."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cuport.parse import preprocess as pp
from cuport.parse.cst import parse_cst
from cuport.parse.inventory import inventory
from cuport.parse.preprocess import line_map, original_span, preprocess
from cuport.result import Failed, Ok

pytestmark = pytest.mark.skipif(shutil.which("g++") is None and shutil.which("cpp") is None,
                                reason="needs g++ or cpp")

KERNEL = """#include <cuda_runtime.h>
#include "common.h"

KERNEL void scale(float *p) { p[threadIdx.x] *= FACTOR; }
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "common.h").write_text("#define KERNEL __global__\n#define FACTOR (2 * N)\n")
    (tmp_path / "k.cu").write_text(KERNEL)
    return tmp_path


def _ok(r: Ok | Failed) -> Ok:
    assert isinstance(r, Ok), r
    return r


def test_macros_expand_and_kernels_appear(project: Path) -> None:
    r = _ok(preprocess(project / "k.cu", includes=[project / "inc"], defines=["N=3"], cache_dir=project / "c"))
    assert r.diagnostics == ()  # cuda_runtime.h comes from the stubs
    assert "__global__ void scale(float *p) { p[threadIdx.x] *= (2 * 3); }" in r.value.text
    inv = inventory(r.value, parse_cst(r.value))
    (k,) = inv.kernels
    assert inv.problems == ()
    back = original_span(k.span, line_map(r.value))
    assert (Path(back.file).name, back.line) == ("k.cu", 4)


def test_missing_headers_are_stubbed_and_reported(tmp_path: Path) -> None:
    f = tmp_path / "k.cu"
    f.write_text('#include <vector>\n#include "gone.h"\n#include "../../up/and/away.h"\n'
                 "__global__ void k(int *p) {}\n")
    r = _ok(preprocess(f, cache_dir=tmp_path / "c"))
    assert [(d.code, d.span.line, d.span.col) for d in r.diagnostics] == [("CP006", 1, 10), ("CP004", 2, 10),
                                                                          ("CP004", 3, 10)]
    assert "gone.h" in r.diagnostics[1].message
    assert "__global__ void k(int *p) {}" in r.value.text
    assert pp.STUB_MARK in r.value.text and "cuport-stubs-" not in r.value.text


def test_cuda_arch_selects_the_device_view(tmp_path: Path) -> None:
    f = tmp_path / "k.cu"
    f.write_text("#ifdef __CUDA_ARCH__\n__device__ int device_side;\n#else\nint host_side;\n#endif\n"
                 "#ifdef __CUDACC__\nint cudacc;\n#endif\n")
    host = _ok(preprocess(f, cache_dir=tmp_path / "c")).value.text
    device = _ok(preprocess(f, cuda_arch=800, cache_dir=tmp_path / "c")).value.text
    assert "host_side" in host and "device_side" not in host and "cudacc" in host
    assert "device_side" in device and "host_side" not in device


def test_error_directive_fails_with_cp005(tmp_path: Path) -> None:
    f = tmp_path / "k.cu"
    f.write_text('#error "needs CUDA 99"\n')
    r = preprocess(f, cache_dir=tmp_path / "c")
    assert isinstance(r, Failed) and "needs CUDA 99" in r.reason
    assert r.diagnostics[0].code == "CP005"


def test_unreadable_source_fails(tmp_path: Path) -> None:
    r = preprocess(tmp_path / "nope.cu", cache_dir=tmp_path / "c")
    assert isinstance(r, Failed) and "cannot read" in r.reason


@pytest.mark.parametrize("form", ["command", "arguments"])
def test_compile_commands(project: Path, form: str) -> None:
    argv = ["nvcc", "-Iinc", "-D", "N=5", "-DUNUSED", "-c", "k.cu", "-o", "k.o"]
    entry = {"directory": str(project), "file": "k.cu"}
    entry[form] = " ".join(argv) if form == "command" else argv  # type: ignore[assignment]
    db = project / "compile_commands.json"
    db.write_text(json.dumps([{"directory": str(project), "file": "other.cu", "command": "nvcc -DN=1"}, entry]))
    r = _ok(preprocess(project / "k.cu", compile_commands=db, cache_dir=project / "c"))
    assert "(2 * 5)" in r.value.text and r.diagnostics == ()


def test_compile_commands_problems_are_warnings(project: Path) -> None:
    db = project / "compile_commands.json"
    db.write_text("{not json")
    r = _ok(preprocess(project / "k.cu", includes=[project / "inc"], defines=["N=1"], compile_commands=db,
                       cache_dir=project / "c"))
    assert [d.code for d in r.diagnostics] == ["CP007"]
    db.write_text("[]")
    r = _ok(preprocess(project / "k.cu", includes=[project / "inc"], defines=["N=1"], compile_commands=db,
                       cache_dir=project / "c"))
    assert "no entry" in r.diagnostics[0].message


def test_flags_parsing() -> None:
    flags = pp._parse_argv(["nvcc", "-I", "a", "-Ib", "-isystem", "/s", "--include-path=c", "-DX=1", "-UY",
                            "--define-macro", "Z", "-O3"], Path("/w"))
    assert flags.includes == ("/w/a", "/w/b", "/s", "/w/c")
    assert flags.defines == ("X=1", "Z") and flags.undefines == ("Y",)


def test_cache_hits_and_invalidates_on_header_change(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = dict(includes=[project / "inc"], defines=["N=3"], cache_dir=project / "c")
    first = _ok(preprocess(project / "k.cu", **args))
    calls: list[object] = []
    real_run = subprocess.run

    def counting_run(*a: object, **k: object) -> object:
        calls.append(a)
        return real_run(*a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr(pp.subprocess, "run", counting_run)
    again = _ok(preprocess(project / "k.cu", **args))
    assert calls == [] and again.value.data == first.value.data
    (project / "inc" / "common.h").write_text("#define KERNEL __global__\n#define FACTOR (7 * N)\n")
    changed = _ok(preprocess(project / "k.cu", **args))
    assert len(calls) == 1 and "(7 * 3)" in changed.value.text


def test_cache_invalidates_when_a_missing_header_appears(tmp_path: Path) -> None:
    f = tmp_path / "k.cu"
    f.write_text('#include "later.h"\nint v = LATER;\n')
    r = _ok(preprocess(f, cache_dir=tmp_path / "c"))
    assert [d.code for d in r.diagnostics] == ["CP004"] and "int v = LATER;" in r.value.text
    (tmp_path / "later.h").write_text("#define LATER 42\n")
    r = _ok(preprocess(f, cache_dir=tmp_path / "c"))
    assert r.diagnostics == () and "int v = 42;" in r.value.text


def test_headers_under_a_false_if_are_not_reported(tmp_path: Path) -> None:
    f = tmp_path / "k.cu"
    f.write_text('#if 0\n#include "never.h"\n#endif\n#include "inc.h"\nint v;\n')
    (tmp_path / "inc.h").write_text('#include <nested/missing.h>\n')  # found only by a failed run
    r = _ok(preprocess(f, cache_dir=tmp_path / "c"))
    assert [(d.code, Path(d.span.file).name, d.span.line) for d in r.diagnostics] == [("CP006", "inc.h", 1)]


def test_gcc_alternate_const_keyword_becomes_const(tmp_path: Path) -> None:
    # nvcc accepts GCC's `__const__`; the grammar knows `const` only (adamw-style constant tables)
    f = tmp_path / "k.cu"
    f.write_text("static __device__ __const__ unsigned char mask_ = 15;\n__global__ void k(unsigned char *o) { o[0] = mask_; }\n")
    r = _ok(preprocess(f, cache_dir=tmp_path / "c"))
    assert "__device__ const unsigned char mask_ = 15;" in r.value.text
