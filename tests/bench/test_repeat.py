"""`RunRequest.repeat` in every CPU runner: that many launches in one process, one kernel time per
launch in `RunOutcome.samples_s`, every launch on the same inputs (the axpy of bench_sides updates
`y` in place, so a runner that forgot to restore its buffers returns y + k*a*x after k launches)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from bench_sides import Sources, Wrapped, cuda

from cuport.verify.bench import BenchOptions, Repeating, Side, bench_kernel, launch_samples
from cuport.verify.cpu_cuda import CpuCudaRunner
from cuport.verify.differential import CaseRun, run_case
from cuport.verify.opencl_runner import OpenCLRunner
from cuport.verify.ported import port_for_verification
from cuport.verify.protocol import Artifact, Runner, RunOutcome
from cuport.verify.triton_runner import TritonRunner

TRIAL = 1  # n = 2049


def _port(sources: Sources, target: str, folder: Path) -> Artifact:
    art = cuda(sources.original)
    ported = port_for_verification(sources.original, target, [sources.kspec], art, 32, folder)
    assert not isinstance(ported, str), ported
    assert ported.artifact is not None and [k.status for k in ported.kernels] == ["ported"]
    return Artifact(folder / ported.artifact, target)


def _runs(runner: Runner, artifact: Artifact, kspec, repeats: tuple[int, ...]) -> list[tuple[CaseRun, float]]:  # noqa: ANN001
    prepared = runner.prepare(artifact, [kspec.name], ())
    assert not isinstance(prepared, RunOutcome), prepared.message
    out = []
    for k in repeats:
        start = time.perf_counter()
        run = run_case(Repeating(runner, k), prepared, kspec, TRIAL, seed=3)
        out.append((run, time.perf_counter() - start))
    return out


def _check_repeats(runs: list[tuple[CaseRun, float]], repeats: tuple[int, ...]) -> None:
    (once, _), *rest = runs
    assert once.ok, once.problems
    assert len(once.outcome.samples_s) == 1
    for (run, wall), k in zip(rest, repeats[1:], strict=True):
        assert run.ok, run.problems  # guards intact, inputs unchanged, outputs written
        samples = run.outcome.samples_s
        assert len(samples) == k and all(t > 0 for t in samples)
        # per-launch kernel times: together less than the whole run, process start-up included
        assert sum(samples) < wall
        assert run.outcome.elapsed_s == samples[-1]
        # the same inputs every launch: the in-place update happened once, not k times
        np.testing.assert_array_equal(run.outputs[3], once.outputs[3])


def test_cpu_runtime_repeats_in_one_process(sources: Sources) -> None:
    repeats = (1, 4)
    _check_repeats(_runs(CpuCudaRunner(workers=1), cuda(sources.original), sources.kspec, repeats), repeats)


def test_pocl_repeats_in_one_process(sources: Sources, tmp_path: Path) -> None:
    repeats = (1, 3)
    _check_repeats(_runs(OpenCLRunner(), _port(sources, "opencl", tmp_path), sources.kspec, repeats), repeats)


@pytest.mark.slow
def test_triton_interpreter_repeats_in_one_child(sources: Sources, tmp_path: Path) -> None:
    runner = TritonRunner()
    try:
        repeats = (1, 3)
        _check_repeats(_runs(runner, _port(sources, "triton", tmp_path), sources.kspec, repeats), repeats)
    finally:
        runner.close()


def test_bench_asks_for_warm_and_timed_launches_and_keeps_the_timed_ones(sources: Sources) -> None:
    orig, port = Wrapped(name="O"), Wrapped(name="P")
    opts = BenchOptions(reps=2, warmup=1, launches=3, warm_launches=2)
    [r] = bench_kernel(Side("o", orig, cuda(sources.original)), [Side("p", port, cuda(sources.original))],
                       sources.kspec, opts)
    assert r.status == "ok", r.reason
    assert orig.repeats == port.repeats == [5, 5, 5]  # warm-up round + 2 timed rounds, 2 + 3 launches each
    assert r.port is not None and r.original is not None
    assert r.port.runs == r.original.runs == 2 * 3


def test_launch_samples_drop_the_warm_launches_and_fall_back_to_elapsed() -> None:
    assert launch_samples(RunOutcome("ok", elapsed_s=9.0, samples_s=[5.0, 1.0, 2.0]), 1) == [1.0, 2.0]
    assert launch_samples(RunOutcome("ok", elapsed_s=9.0), 1) == [9.0]  # a runner without repetitions
    assert launch_samples(RunOutcome("ok", elapsed_s=9.0, samples_s=[4.0]), 1) == [4.0]  # fewer than asked
