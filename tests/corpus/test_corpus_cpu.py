"""Every corpus kernel, run on the CPU CUDA runtime, matches its numpy reference on every trial.

This validates the runtime as much as the corpus: a mismatch is either a kernel/spec/reference bug
or a runtime bug, and the message names the kernel, the sizes and the argument. One compiled
object per file (the runner caches by content hash), one isolated process per launch.
"""

from __future__ import annotations

from functools import cache

import pytest
from corpus_cases import CASES, KernelCase, case_id
from corpus_harness import RecordingRunner, check_against_reference, kspec_of

from cuport.verify.differential import run_case
from cuport.verify.protocol import Artifact, RunOutcome

cpu_cuda = pytest.importorskip("cuport.verify.cpu_cuda", reason="the CPU CUDA runtime (verify/cpu_cuda.py) is not built yet")

SEED = 20240611

# Kernels that are correct CUDA but hit a known runtime gap: strict xfail, so the test turns red
# (XPASS) the moment the runtime is fixed and the entry must be removed.
KNOWN_RUNTIME_GAPS: dict[str, str] = {}


@cache
def runner() -> RecordingRunner:
    return RecordingRunner(cpu_cuda.CpuCudaRunner())


@cache
def prepared_for(source: str, kernels: tuple[str, ...], symbols: tuple[str, ...]):  # noqa: ANN201
    return runner().prepare(Artifact(source, "cuda"), list(kernels), symbols)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corpus_kernel_matches_reference_on_cpu(case: KernelCase, request: pytest.FixtureRequest):
    entry = case.entry
    gap = KNOWN_RUNTIME_GAPS.get(entry.source.name)
    if gap:
        request.applymarker(pytest.mark.xfail(reason=gap, strict=True))
    symbols = tuple(sorted({c for k in entry.kernels for c in kspec_of(KernelCase(entry, k)).constants}))
    prepared = prepared_for(entry.source, tuple(entry.kernels), symbols)
    if isinstance(prepared, RunOutcome):
        pytest.fail(f"{entry.source} did not compile for the CPU runtime: {prepared.status}: {prepared.message}")
    kspec = kspec_of(case)
    problems: list[str] = []
    for trial in range(kspec.trial_count):
        run = run_case(runner(), prepared, kspec, trial, SEED)
        problems += check_against_reference(case, run, runner().constants)
    assert problems == [], "\n".join(problems)
