"""Mutation suite: planted faults in corpus kernels, given as `--port`, must all be caught.

Each file in mutants/ is a hand-written CUDA port of one corpus kernel with one fault (its first
line names the corpus file, the kernel and the fault). Verified against the original on the CPU
runtime, every one must fail; the original verified against itself must pass (the control), so a
catch is never an artefact of a broken setup. The mutation score is printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cuport.verify.differential import VerifyResult, verify_kernel
from cuport.verify.protocol import Artifact, Runner
from cuport.verify.spec import KernelSpec, load_spec

MUTANTS_DIR = Path(__file__).parent / "mutants"
CORPUS = Path(__file__).resolve().parents[2] / "cuport" / "corpus"
HEADER = re.compile(r"^// mutant: corpus=(\S+) kernel=(\S+) fault=(.+)$")
SEED = 20261121


def _mutants() -> list[tuple[Path, str, str, str]]:
    out = []
    for path in sorted(MUTANTS_DIR.glob("*.cu")):
        m = HEADER.match(path.read_text().splitlines()[0])
        assert m, f"{path.name}: first line must be `// mutant: corpus=... kernel=... fault=...`"
        out.append((path, m.group(1), m.group(2), m.group(3)))
    return out


MUTANTS = _mutants()


@pytest.fixture(scope="module")
def runner() -> Runner:
    cpu_cuda = pytest.importorskip("cuport.verify.cpu_cuda", reason="the CPU runtime for CUDA has not landed")
    return cpu_cuda.CpuCudaRunner()


def _kspec(corpus: str, kernel: str) -> tuple[Path, KernelSpec]:
    source = CORPUS / f"{corpus}.cu"
    spec = load_spec(CORPUS / f"{corpus}.cuport.toml")
    return source, spec.kernels[kernel]


def _verify(runner: Runner, source: Path, port: Path, k: KernelSpec) -> VerifyResult:
    defines = tuple(sorted(k.defines.items()))
    orig = Artifact(source, "cuda", defines, k.includes)
    art = Artifact(port, "cuda", defines, k.includes)
    return verify_kernel(runner, runner, orig, art, k, max(k.trial_count, 2), SEED, target="cuda")


def test_at_least_twelve_kernels_are_mutated() -> None:
    assert len({(c, k) for _, c, k, _ in MUTANTS}) >= 12


@pytest.mark.parametrize(("corpus", "kernel"), sorted({(c, k) for _, c, k, _ in MUTANTS}))
def test_control_the_original_passes_against_itself(runner: Runner, corpus: str, kernel: str) -> None:
    source, k = _kspec(corpus, kernel)
    r = _verify(runner, source, source, k)
    assert r.status == "pass", r.reason


def test_mutation_score(runner: Runner, capsys: pytest.CaptureFixture[str]) -> None:
    caught, missed = [], []
    for path, corpus, kernel, fault in MUTANTS:
        source, k = _kspec(corpus, kernel)
        r = _verify(runner, source, path, k)
        (caught if r.status == "fail" else missed).append((path.name, fault, r.status, r.reason))
    with capsys.disabled():
        print(f"\nmutation score: {len(caught)}/{len(MUTANTS)} mutants caught")
        for name, fault, _, reason in caught:
            print(f"  caught  {name:32} {fault}: {reason[:100]}")
        for name, fault, status, reason in missed:
            print(f"  MISSED  {name:32} {fault}: {status} {reason[:100]}")
    assert not missed, f"mutants not caught: {missed}"
