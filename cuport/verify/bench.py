"""Timing the original and its ports on the same inputs, alternated in one run.

    prepare every side (timed: compile time is reported apart from run time)
    -> warm-up rounds, then timed rounds; a round runs the original and every port once, each
       through `run_case` on the inputs of one (seed, trial), so every side sees the same bytes;
       one run is one process that launches the kernel `warm_launches + launches` times
       (`RunRequest.repeat`), every launch on the same inputs, and keeps the last `launches`
       per-launch kernel times (`RunOutcome.samples_s`): process start-up, compilation, page
       faults of the first touch and copies are not in the samples
    -> every port run (warm-up included) is compared with the same round's original run and
       checked by the guards (the last launch's outputs): a port that is fast but wrong is
       rejected ("wrong", no ratio)
    -> median with p10/p90 per side over every timed launch of every timed round;
       ratio = original median / port median (> 1: port faster)

Rounds alternate direction (original first on even rounds, last on odd ones: A B B A) so a slow
drift of the machine over the run does not favour whichever side always runs first.

Times come from inside each runner's process (`RunOutcome.samples_s`; a runner that reports
none gives its `elapsed_s` for the whole run, one sample). What that clock covers is recorded next
to every number (`CLOCKS`); a result never compares sides measured on different kinds of device
(CPU vs GPU).
"""

from __future__ import annotations

import math
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from cuport.diagnostics import Diagnostic, diag
from cuport.verify.differential import CaseRun, compare_case, run_case
from cuport.verify.protocol import Artifact, ParamType, Prepared, Runner, RunOutcome, RunRequest
from cuport.verify.spec import KernelSpec, check_signature
from cuport.verify.struct_args import has_struct_buffers, kernel_struct_layouts

BenchStatus = Literal["ok", "wrong", "fail", "error", "unported"]
STATUSES: tuple[BenchStatus, ...] = ("ok", "wrong", "fail", "error", "unported")

# A port more than this many times faster than its original is more likely skipping work than
# winning (the lesson of every LLM kernel system fooled by its own checker): flagged for a human.
SUSPECT_RATIO = 10.0

# What `elapsed_s` covers, per runner target: the numbers are only as good as these clocks.
CLOCKS: dict[str, str] = {
    "cuda": "each kernel launch, timed inside the CPU runtime's driver process (inputs restored between launches, untimed)",
    "hip": "each kernel launch, timed inside the CPU runtime's driver process (inputs restored between launches, untimed)",
    "opencl": "enqueue and wait of each kernel launch, timed inside the PoCL child process (inputs copied back in between, untimed)",
    "triton": "each launch call under the interpreter, timed inside the forked child (inputs restored between launches, untimed)",
    "cuda-gpu": "CUDA events around each launch after an L2 flush, in the nvcc-built harness (inputs restored between launches, untimed)",
    "triton-gpu": "CUDA events around each launch after an L2 flush, in the forked child (inputs restored between launches, untimed)",
}

NOTE = (
    "CPU timings are not performance numbers: the original runs on cuport's CPU runtime for CUDA "
    "(user-level fibers), OpenCL on PoCL and Triton under its interpreter (TRITON_INTERPRET=1, "
    "orders of magnitude slower than compiled Triton). Ratios show what a port costs relative to "
    "the original on this machine only; GPU numbers need the GPU runners."
)


@dataclass(frozen=True)
class BenchOptions:
    reps: int = 15  # timed rounds
    warmup: int = 2  # untimed rounds first
    launches: int = 5  # timed launches per side per round, in one process
    warm_launches: int = 1  # untimed launches at the start of every process (first touch, caches)
    seed: int = 0
    trial: int | None = None  # whose sizes are timed; None: the largest listed sizes
    timeout_s: float = 60.0


@dataclass(frozen=True)
class Side:
    """One contender: the original, a generated port or a hand-written one. A side with no
    runner or artifact has nothing to run (`reason` says why: the target did not port it)."""

    target: str  # the label in the report
    runner: Runner | None
    artifact: Artifact | None
    reason: str = ""
    how: str = ""  # "rule" | "llm" for generated ports


@dataclass(frozen=True)
class Spread:
    runs: int
    median_s: float
    p10_s: float
    p90_s: float
    samples_s: tuple[float, ...] = ()

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        a = np.asarray(samples, dtype=np.float64)
        p10, p50, p90 = np.percentile(a, [10, 50, 90])
        return cls(len(a), float(p50), float(p10), float(p90), tuple(float(x) for x in a))


@dataclass
class BenchResult:
    """One kernel against one target; fields follow the `cuport.bench/1` schema."""

    kernel: str
    target: str
    status: BenchStatus
    file: str = ""
    sizes: dict[str, int] = field(default_factory=dict)
    port: Spread | None = None
    original: Spread | None = None
    ratio: float | None = None  # original median / port median; None unless both ran, agreed, comparably
    suspect: bool = False
    comparable: bool = True  # both sides on the same kind of device
    compile_s: float | None = None  # the port's prepare (wall time)
    compile_cached: bool | None = None  # the runner reused a cached build (None: it does not say)
    original_compile_s: float | None = None
    original_compile_cached: bool | None = None
    device: str = ""
    original_device: str = ""
    clock: str = ""
    original_clock: str = ""
    how: str = ""
    reason: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def interpreter(self) -> bool:
        return "interpreter" in self.device.lower()


def device_kind(device: str) -> str:
    """"CPU" or "GPU" (the prefix every runner's device string starts with)."""
    return device.split(":", 1)[0].strip().upper()


def clock_of(runner: Runner) -> str:
    key = f"{runner.target}-gpu" if device_kind(runner.device) == "GPU" else runner.target
    return CLOCKS.get(key, "as reported by the runner (RunOutcome.samples_s, else elapsed_s)")


@dataclass
class Repeating:
    """A runner whose every run launches `repeat` times in one process (RunRequest.repeat); the
    harness's checks see the last launch's buffers, exactly as they would a single launch's."""

    inner: Runner
    repeat: int

    @property
    def target(self) -> str:
        return self.inner.target

    @property
    def device(self) -> str:
        return self.inner.device

    def prepare(self, artifact: Artifact, kernels: list[str], symbols: tuple[str, ...] = ()) -> Prepared | RunOutcome:
        return self.inner.prepare(artifact, kernels, symbols)

    def signature(self, prepared: Prepared, kernel: str) -> list[ParamType]:
        return self.inner.signature(prepared, kernel)

    def symbol_dtype(self, prepared: Prepared, name: str) -> str | None:
        # run_case asks the runner for a __constant__ symbol's type when it knows it
        ask = getattr(self.inner, "symbol_dtype", None)
        return ask(prepared, name) if callable(ask) else None

    def run(self, prepared: Prepared, request: RunRequest) -> RunOutcome:
        return self.inner.run(prepared, replace(request, repeat=self.repeat))


def launch_samples(outcome: RunOutcome, warm: int) -> list[float]:
    """The timed launches of one run: its per-launch samples after the first `warm`; a runner that
    reports no samples gives its one `elapsed_s`."""
    if outcome.samples_s:
        return list(outcome.samples_s[warm:]) or [outcome.samples_s[-1]]
    return [outcome.elapsed_s]


def largest_trial(kspec: KernelSpec) -> int:
    """The trial whose sizes make the most work (product of the sizes; ties: the later one)."""
    best, best_work = 0, -1
    for t in range(kspec.trial_count):
        work = math.prod(max(v, 1) for v in kspec.sizes_for(t).values())
        if work >= best_work:
            best, best_work = t, work
    return best


def machine() -> dict[str, object]:
    """The host the CPU timings come from (named in every report)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    try:  # other jobs on a shared machine preempt the timed ones: the load says how much
        load: list[float] | None = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {"cpu": cpu, "cores": os.cpu_count() or 1, "os": platform.platform(), "python": platform.python_version(),
            "load_average": load}


# --- the method -----------------------------------------------------------------------------------


@dataclass
class _Live:
    side: Side
    runner: Runner
    prepared: Prepared
    result: BenchResult
    samples: list[float] = field(default_factory=list)


def _prepare(side: Side, kspec: KernelSpec) -> tuple[Prepared | RunOutcome, float, bool | None]:
    assert side.runner is not None and side.artifact is not None
    start = time.perf_counter()
    prepared = side.runner.prepare(side.artifact, [kspec.name], tuple(sorted(kspec.constants)))
    seconds = time.perf_counter() - start
    cached = getattr(prepared, "cached", None)
    return prepared, seconds, cached if isinstance(cached, bool) else None


def _same_params(a: list[ParamType], b: list[ParamType]) -> bool:
    return [(p.kind, p.dtype) for p in a] == [(p.kind, p.dtype) for p in b]


def bench_kernel(original: Side, ports: Sequence[Side], kspec: KernelSpec, opts: BenchOptions) -> list[BenchResult]:
    """Time `original` and every port of one kernel, alternated, each port checked on every run."""
    assert original.runner is not None and original.artifact is not None
    trial = opts.trial if opts.trial is not None else largest_trial(kspec)
    sizes = kspec.sizes_for(trial)
    results = [
        BenchResult(
            kspec.name, p.target, "error", file=str(original.artifact.path), sizes=sizes,
            device=p.runner.device if p.runner else "", original_device=original.runner.device,
            clock=clock_of(p.runner) if p.runner else "", original_clock=clock_of(original.runner), how=p.how,
        )
        for p in ports
    ]
    pending: list[tuple[Side, BenchResult]] = []
    for p, r in zip(ports, results, strict=True):
        if p.runner is None or p.artifact is None:
            r.status, r.reason = "unported", p.reason or f"not ported to {p.target}"
            r.diagnostics.append(diag("CV003", kspec.span, reason=r.reason))
        else:
            pending.append((p, r))
    if not pending:
        return results

    orig_prep, orig_s, orig_cached = _prepare(original, kspec)
    for _, r in pending:
        r.original_compile_s, r.original_compile_cached = orig_s, orig_cached
    if isinstance(orig_prep, RunOutcome):
        return _all_error(results, pending, f"the original does not build: {orig_prep.message}", orig_prep.diagnostics)
    sig = original.runner.signature(orig_prep, kspec.name)
    layouts = kernel_struct_layouts(original.artifact, kspec.name, sig) if has_struct_buffers(sig) else {}
    mismatch = check_signature(kspec, sig)
    if mismatch:
        return _all_error(results, pending, mismatch[0].message, tuple(mismatch))

    live: list[_Live] = []
    for p, r in pending:
        assert p.runner is not None
        prepared, seconds, cached = _prepare(p, kspec)
        r.compile_s, r.compile_cached = seconds, cached
        if isinstance(prepared, RunOutcome):
            r.status, r.reason = "fail", f"the port does not build: {prepared.message}"
            r.diagnostics.extend(prepared.diagnostics)
            continue
        if not _same_params(p.runner.signature(prepared, kspec.name), sig):
            r.status, r.reason = "fail", "the port's parameters differ from the original's"
            continue
        r.comparable = device_kind(r.device) == device_kind(r.original_device)
        live.append(_Live(p, p.runner, prepared, r))

    repeat = max(opts.warm_launches, 0) + max(opts.launches, 1)
    orig_runner = Repeating(original.runner, repeat)
    for e in live:
        e.runner = Repeating(e.runner, repeat)
    original_samples: list[float] = []
    for rnd in range(opts.warmup + opts.reps):
        if not live:
            break
        timed = rnd >= opts.warmup
        what = f"timed run {rnd - opts.warmup + 1}" if timed else f"warm-up run {rnd + 1}"
        order: list[_Live | None] = [None, *live] if rnd % 2 == 0 else [*reversed(live), None]
        runs: dict[int, CaseRun] = {}
        expected: CaseRun | None = None
        for entry in order:
            if entry is None:
                expected = run_case(orig_runner, orig_prep, kspec, trial, opts.seed, timeout_s=opts.timeout_s,
                                    layouts=layouts)
            else:
                runs[id(entry)] = run_case(entry.runner, entry.prepared, kspec, trial, opts.seed,
                                           timeout_s=opts.timeout_s, layouts=layouts)
        assert expected is not None
        if not expected.ok:
            reason = f"{what} {sizes}: the original failed: {'; '.join(expected.problems)}"
            for e in live:
                e.result.status, e.result.reason = "error", reason
                e.result.diagnostics.extend(expected.outcome.diagnostics)
            return results
        if timed:
            original_samples += launch_samples(expected.outcome, opts.warm_launches)
        for e in list(live):
            rejection = _judge_run(kspec, sig, expected, runs[id(e)], what)
            if rejection is not None:
                e.result.status, e.result.reason = rejection
                code = "CB001" if e.result.status == "wrong" else "CV001"
                e.result.diagnostics.append(diag(code, kspec.span, reason=e.result.reason))
                live.remove(e)
            elif timed:
                e.samples += launch_samples(runs[id(e)].outcome, opts.warm_launches)

    for e in live:
        _conclude(e, original_samples, kspec)
    return results


def _judge_run(kspec: KernelSpec, sig: list[ParamType], expected: CaseRun, actual: CaseRun, what: str
               ) -> tuple[BenchStatus, str] | None:
    """None when the port's run agrees with the original's; else (status, reason)."""
    if actual.outcome.status != "ok":
        return "fail", f"{what} {actual.sizes}: {'; '.join(actual.problems)}"
    if actual.problems:  # out-of-bounds writes, unwritten outputs, changed inputs
        return "wrong", f"{what} {actual.sizes}: {'; '.join(actual.problems)}"
    for i, cmp in compare_case(kspec, sig, expected, actual):
        if not cmp.ok:
            return "wrong", f"{what} {actual.sizes}, argument {i + 1}: {cmp.reason}"
    return None


def _conclude(e: _Live, original_samples: list[float], kspec: KernelSpec) -> None:
    r = e.result
    r.status = "ok"
    r.port = Spread.of(e.samples)
    r.original = Spread.of(original_samples)
    if not r.comparable:
        r.reason = (f"not compared: the original ran on {device_kind(r.original_device)}, "
                    f"the port on {device_kind(r.device)}")
        r.diagnostics.append(diag("CB003", kspec.span, reason=r.reason))
        return
    if r.port.median_s > 0 and r.original.median_s > 0:
        r.ratio = r.original.median_s / r.port.median_s
        r.suspect = r.ratio > SUSPECT_RATIO
    if r.suspect:
        r.reason = f"suspect: {r.ratio:.1f}x faster than the original; check the port does all the work"
        r.diagnostics.append(diag("CB002", kspec.span, ratio=f"{r.ratio:.1f}", limit=f"{SUSPECT_RATIO:g}"))


def _all_error(results: list[BenchResult], pending: list[tuple[Side, BenchResult]], reason: str,
               diagnostics: tuple[Diagnostic, ...]) -> list[BenchResult]:
    for _, r in pending:
        r.status, r.reason = "error", reason
        r.diagnostics.extend(diagnostics)
    return results


def geometric_mean(ratios: Sequence[float]) -> float | None:
    vals = [x for x in ratios if x > 0 and math.isfinite(x)]
    return math.exp(sum(math.log(x) for x in vals) / len(vals)) if vals else None
