"""The numpy references themselves, through the real harness with a stand-in runner.

The stand-in "runs" a kernel by writing the reference's answer into the output buffers, so the
harness's own checks apply to the references: every compared output is fully written with the right
dtype and byte size, inputs stay unchanged, and the reference covers exactly the spec's outputs.
This needs no compiler; test_corpus_cpu.py then holds the kernels to these references.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest
from corpus_cases import CASES, KernelCase, case_id
from corpus_harness import check_against_reference, kspec_of, source_signature
from references import REFERENCES

from cuport.verify.differential import run_case
from cuport.verify.inputs import typed_view
from cuport.verify.protocol import Artifact, Buffer, ParamType, RunOutcome, RunRequest


@dataclass
class ReferencePrepared:
    artifact: Artifact
    case: KernelCase


@dataclass
class ReferenceRunner:
    target: str = "reference"
    device: str = "numpy reference (stand-in runner)"
    sizes: dict[str, int] = field(default_factory=dict)
    constants: dict[str, np.ndarray] = field(default_factory=dict)  # of the last run

    def signature(self, prepared: ReferencePrepared, kernel: str) -> list[ParamType]:
        return source_signature(prepared.case)

    def run(self, prepared: ReferencePrepared, request: RunRequest) -> RunOutcome:
        inputs = [typed_view(a.payload().copy(), a.dtype) if isinstance(a, Buffer) else a for a in request.args]
        self.constants = {name: typed_view(b.payload().copy(), b.dtype) for name, b in request.constants.items()}
        expected = REFERENCES[prepared.case.key](dict(self.sizes), inputs, **self.constants)
        buffers: list[np.ndarray | None] = []
        for i, a in enumerate(request.args):
            if not isinstance(a, Buffer):
                buffers.append(None)
                continue
            data = a.data.copy()
            if i in expected:
                raw = np.ascontiguousarray(expected[i]).view(np.uint8).reshape(-1)
                if raw.size != a.nbytes:
                    return RunOutcome("error", message=f"reference argument {i}: {raw.size} bytes for a {a.nbytes}-byte buffer")
                data[a.offset : a.offset + a.nbytes] = raw
            buffers.append(data)
        return RunOutcome("ok", buffers)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_reference_fills_the_spec_outputs(case: KernelCase):
    kspec = kspec_of(case)
    runner = ReferenceRunner()
    prepared = ReferencePrepared(Artifact(case.entry.source, "cuda"), case)
    problems: list[str] = []
    for trial in range(kspec.trial_count):
        runner.sizes = kspec.sizes_for(trial)
        run = run_case(runner, prepared, kspec, trial, seed=7)
        problems += check_against_reference(case, run, runner.constants)
    assert problems == []
