"""Golden tests: each `cases/NAME.cu` holds CUDA in and, in its trailing comment block, the OpenCL
C the target must print (`/* EXPECT-OPENCL ... */`) or the diagnostic codes it must refuse with
(`/* EXPECT-NOT-PORTED CO002 */`). A `// kernels: a, b<float, 2>` line picks template instances.

Also checked for every case: porting twice gives the same text, and the emitted program builds on
PoCL (OpenCL's own parser re-reads what we print). Regenerate after an intended change with
CUPORT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cuport.source import SourceText
from cuport.targets.base import PortRequest, PortResult
from cuport.targets.opencl import TARGET
from cuport.targets.opencl.port import MANIFEST
from cuport.verify.protocol import Artifact, RunOutcome

CASES = sorted((Path(__file__).parent / "cases").glob("*.cu"))
_BLOCK = re.compile(r"\n/\* EXPECT-(OPENCL|NOT-PORTED)(.*?)\*/\n?\Z", re.S)


def _split(path: Path) -> tuple[str, str | None, str]:
    text = path.read_text("utf-8")
    m = _BLOCK.search(text)
    if m is None:
        return text, None, ""
    return text[: m.start()] + "\n", m[1], m[2]


def _port(path: Path, cuda: str) -> PortResult:
    kernels = re.search(r"^// kernels: (.+)$", cuda, re.M)
    names = tuple(k.strip() for k in re.split(r",(?![^<]*>)", kernels[1])) if kernels else ()
    return TARGET.port_file(SourceText.from_text(str(path), cuda), PortRequest(path, names))


def _program(result: PortResult) -> str:
    files = {f.relpath: f.content for f in result.files}
    if result.artifact is None:
        return ""
    return "\n".join(line for line in files[result.artifact].splitlines() if not line.startswith(MANIFEST)) + "\n"


def _refusals(result: PortResult) -> str:
    return " ".join(sorted({d.code for k in result.kernels if k.status != "ported" for d in k.diagnostics}))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden(case: Path, tmp_path: Path) -> None:
    cuda, kind, expected = _split(case)
    result = _port(case, cuda)
    refused = _refusals(result)
    actual_kind, actual = ("NOT-PORTED", f" {refused} ") if refused else ("OPENCL", "\n" + _program(result))
    if os.environ.get("CUPORT_UPDATE_GOLDEN"):
        case.write_text(cuda.rstrip("\n") + f"\n\n/* EXPECT-{actual_kind}{actual}*/\n", "utf-8")
        return
    assert kind is not None, f"{case.name}: no EXPECT block (run with CUPORT_UPDATE_GOLDEN=1)"
    assert (actual_kind, actual.strip()) == (kind, expected.strip())
    # stability: a second port of the same text is the same program
    assert _program(_port(case, cuda)) == _program(result)
    if actual_kind == "OPENCL":
        cl = tmp_path / "port.cl"
        cl.write_text({f.relpath: f.content for f in result.files}[result.artifact or ""], "utf-8")
        names = [k.kernel for k in result.kernels if k.status == "ported"]
        prepared = TARGET.runner().prepare(Artifact(cl, "opencl"), names)
        assert not isinstance(prepared, RunOutcome), prepared.message
