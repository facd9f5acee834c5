"""Whole-program mode: a CUDA program's own main, run against the CPU runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.verify.build_cache import BuildCache
from cuport.verify.whole_program import ProgramRunner

PROGRAMS = Path(__file__).parent / "programs"


@pytest.fixture(scope="module")
def programs(build_cache: BuildCache) -> ProgramRunner:
    return ProgramRunner(workers=2, cache=build_cache)


def test_program_runs_and_checks_itself(programs: ProgramRunner) -> None:
    out = programs.run(PROGRAMS / "vector_add.cu", ("1000",))
    assert out.status == "ok", out.message + out.stderr
    assert out.exit_code == 0
    assert out.stdout.startswith("PASS on cuport CPU runtime (warp 32)")
    assert out.stderr.strip() == "done"


def test_program_exit_code_is_reported(programs: ProgramRunner) -> None:
    out = programs.run(PROGRAMS / "vector_add.cu", ("-5",))  # a negative size: the program's own failure
    assert out.exit_code != 0 and out.status in ("error", "crash")


def test_program_timeout(programs: ProgramRunner, tmp_path: Path) -> None:
    src = tmp_path / "spin.cu"
    src.write_text("__global__ void k(volatile int* f) { while (!*f) {} }\n"
                   "int main() { int* f; cudaMallocManaged(&f, 4); *f = 0; k<<<1, 1>>>(f); return 0; }\n")
    out = programs.run(src, timeout_s=1.0)
    assert out.status == "timeout"


def test_program_compile_error_names_the_line(programs: ProgramRunner, tmp_path: Path) -> None:
    src = tmp_path / "bad.cu"
    src.write_text("int main() {\n  return nope;\n}\n")
    out = programs.run(src)
    assert out.status == "compile_error"
    assert out.diagnostics and out.diagnostics[0].span is not None and out.diagnostics[0].span.line == 2
