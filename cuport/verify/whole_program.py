"""Whole-program mode: compile a CUDA program's host and device code against the CPU runtime and
run its `main`, capturing stdout, stderr and the exit code, with a timeout.

cudaMalloc is host memory, copies are memcpy, streams are synchronous and events read a clock, so
a program that checks its own results on the host (as most benchmarks do) checks them here too.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cuport.diagnostics import Diagnostic
from cuport.verify.build_cache import BuildCache, BuildRequest
from cuport.verify.cpu_cuda import mirror_files, run_process, translation_unit
from cuport.verify.sandbox import candidate_env

_CALL_MAIN = """#line 1 "<cuport program main>"
namespace cuport {
template <class... A> inline int call_main(int (*m)(A...), int argc, char** argv) {
  if constexpr (sizeof...(A) == 0) return m();
  else if constexpr (sizeof...(A) == 2) return m(argc, argv);
  else return m(argc, argv, nullptr);
}
}  // namespace cuport
int cuport_call_user_main(int argc, char** argv) { return ::cuport::call_main(&cuport_user_main, argc, argv); }
"""


@dataclass
class ProgramOutcome:
    status: str  # ok | compile_error | timeout | crash | deadlock | error (non-zero exit)
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    message: str = ""
    elapsed_s: float = 0.0
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class BuiltProgram:
    source: Path
    executable: Path
    cached: bool
    build_s: float


@dataclass
class ProgramRunner:
    workers: int | None = None
    warp_size: int = 32
    sanitize: bool = False
    stack_kb: int = 256
    cache: BuildCache = field(default_factory=BuildCache)

    def build(self, source: Path, defines: tuple[tuple[str, str], ...] = (), includes: tuple[Path, ...] = ()
              ) -> BuiltProgram | ProgramOutcome:
        source = Path(source).resolve()
        if not source.is_file():
            return ProgramOutcome("compile_error", message=f"no such file: {source}")
        try:
            files = mirror_files(source, tuple(includes))
        except OSError as e:
            return ProgramOutcome("compile_error", message=f"cannot read the sources: {e}")
        req = BuildRequest(
            tu_text=translation_unit(source, _CALL_MAIN),
            files=files,
            main_object="program_main",
            defines=tuple(defines),
            includes=tuple(Path(p) for p in includes),
            sanitize=self.sanitize,
        )
        built = self.cache.build(req)
        if not built.ok or built.executable is None:
            first = built.diagnostics[0].message if built.diagnostics else built.log[-400:]
            return ProgramOutcome("compile_error", message=first, stderr=built.log, diagnostics=built.diagnostics)
        return BuiltProgram(source, built.executable, built.cached, built.seconds)

    def run(self, source: Path, argv: tuple[str, ...] = (), *, defines: tuple[tuple[str, str], ...] = (),
            includes: tuple[Path, ...] = (), cwd: Path | None = None, timeout_s: float = 60.0,
            stdin: bytes | None = None, block_order_seed: int | None = None) -> ProgramOutcome:
        """Build (cached) and run the program; cwd defaults to the source's folder."""
        built = self.build(source, defines, includes)
        if isinstance(built, ProgramOutcome):
            return built
        with tempfile.TemporaryDirectory(prefix="cuport-prog-") as tmp:
            report = Path(tmp) / "report.txt"
            env = candidate_env()
            env.update(
                CUPORT_WORKERS=str(self.workers or os.cpu_count() or 1),
                CUPORT_WARP_SIZE=str(self.warp_size),
                CUPORT_STACK_KB=str(self.stack_kb),
                CUPORT_REPORT=str(report),
                ASAN_OPTIONS="exitcode=7:detect_leaks=0:detect_stack_use_after_return=0",
                UBSAN_OPTIONS="exitcode=7:print_stacktrace=1",
            )
            env.pop("CUPORT_BLOCK_ORDER_SEED", None)
            if block_order_seed is not None:
                env["CUPORT_BLOCK_ORDER_SEED"] = str(block_order_seed)
            outcome = run_process([str(built.executable), *argv], env, report, timeout_s, what=built.source.name,
                                  cwd=cwd or built.source.parent, stdin=stdin)
        rc = getattr(outcome, "exit_code", None)
        return ProgramOutcome(
            status=outcome.status,  # "error" with exit_code > 0: the program's own failure exit
            exit_code=rc,
            stdout=getattr(outcome, "stdout", b"").decode("utf-8", errors="replace"),
            stderr=getattr(outcome, "stderr", b"").decode("utf-8", errors="replace"),
            message=outcome.message,
            elapsed_s=outcome.elapsed_s,
            diagnostics=outcome.diagnostics,
        )


def run_program(source: Path, argv: tuple[str, ...] = (), **options: object) -> ProgramOutcome:
    """Convenience: `ProgramRunner().run(source, argv, ...)` with runner options split off."""
    runner_keys = {"workers", "warp_size", "sanitize", "stack_kb", "cache"}
    runner = ProgramRunner(**{k: v for k, v in options.items() if k in runner_keys})  # type: ignore[arg-type]
    return runner.run(source, argv, **{k: v for k, v in options.items() if k not in runner_keys})  # type: ignore[arg-type]
