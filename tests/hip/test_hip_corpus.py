"""Every corpus kernel, ported to HIP, against the original on the CPU runtime.

At warp size 32 every port must pass its differential test. At warp size 64 (the port runs on
64-wide wavefronts, the original on 32) a port passes or carries a warp-width hazard that
explains why it does not. Ports are written once per session into a temporary folder; builds are
cached by content hash, so a second run costs only the launches.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cuport.corpus import CorpusEntry, list_entries
from cuport.source import SourceText
from cuport.targets.hip import warp
from cuport.targets.hip.port import HipPort, port_source
from cuport.verify.differential import verify_kernel
from cuport.verify.protocol import Artifact
from cuport.verify.spec import load_spec

cpu_cuda = pytest.importorskip("cuport.verify.cpu_cuda")
from cuport.verify.hip_runner import HipCpuRunner  # noqa: E402

SEED = 6
TRIALS = 2
# Originals that do not build on the CPU runtime (none today; see tests/corpus).
ORIGINAL_GAPS: set[str] = set()
WARP_HAZARDS = warp.OTHER_WIDTH_HAZARDS | {"CPH002", "CPH003"}

ENTRIES = list_entries()
CASES = [(e, k) for e in ENTRIES for k in e.kernels if e.source.name not in ORIGINAL_GAPS]


def _id(case: tuple[CorpusEntry, str]) -> str:
    return f"{case[0].source.name}::{case[1]}"


@cache
def _port(source: Path, out_dir: str) -> tuple[Path, HipPort]:
    port = port_source(SourceText.from_text(str(source), source.read_text(encoding="utf-8")))
    dst = Path(out_dir) / source.parent.name / (source.stem + ".hip")
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(port.text, encoding="utf-8")
    return dst, port


@cache
def _runners(warp_size: int) -> tuple[object, HipCpuRunner]:
    return cpu_cuda.CpuCudaRunner(), HipCpuRunner(warp_size=warp_size)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("hip-ports"))


def _verify(case: tuple[CorpusEntry, str], out_dir: str, warp_size: int):  # noqa: ANN202
    entry, kernel = case
    dst, port = _port(entry.source, out_dir)
    kspec = load_spec(entry.spec).kernels[kernel]
    original, hip = _runners(warp_size)
    includes = (entry.source.parent,)
    result = verify_kernel(original, hip, Artifact(entry.source, "cuda", includes=includes),
                           Artifact(dst, "hip", includes=includes), kspec, TRIALS, SEED, target="hip")
    return result, port


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_corpus_port_passes_at_warp_32(case: tuple[CorpusEntry, str], out_dir: str):
    result, _ = _verify(case, out_dir, 32)
    assert result.status in ("pass", "unverified"), result.reason


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=_id)
def test_corpus_port_at_warp_64_passes_or_has_a_hazard(case: tuple[CorpusEntry, str], out_dir: str):
    result, port = _verify(case, out_dir, 64)
    if result.status in ("pass", "unverified"):
        return
    explained = sorted(set(port.hazards_left) & WARP_HAZARDS)
    assert explained, f"fails at warp 64 with no warp-width hazard to explain it: {result.reason}"


def test_every_corpus_file_ports_without_overlapping_edits(out_dir: str):
    for entry in ENTRIES:
        _, port = _port(entry.source, out_dir)
        assert "hip/hip_runtime.h" in port.text, entry.source
