"""Golden cases: each `cases/NAME.cu` holds CUDA input and, in its trailing `/* TRITON ... */`
comment, the Triton kernel function the port must contain. One runner over the folder.
`CUPORT_UPDATE_GOLDEN=1` rewrites the expected text (review the diff before committing)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from cuport.source import SourceText
from cuport.targets.base import PortRequest
from cuport.targets.triton import TARGET

CASES = sorted((Path(__file__).parent / "cases").glob("*.cu"))
MARK = "/* TRITON\n"


def _port(path: Path, cuda: str) -> str:
    result = TARGET.port_file(SourceText.from_text(str(path), cuda), PortRequest(path))
    assert result.files, [k.reason for k in result.kernels]
    return result.files[0].content


def _kernels_only(module: str) -> str:
    """The @triton.jit kernel functions of a port (the launcher and helpers are boilerplate)."""
    blocks = module.split("\n\n\n")
    return "\n\n".join(b.strip("\n") for b in blocks if "_kernel(" in b and b.lstrip().startswith("@triton.jit")) + "\n"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(path: Path) -> None:
    text = path.read_text("utf-8")
    cuda, _, expected = text.partition(MARK)
    expected = expected.rsplit("*/", 1)[0]
    got = _kernels_only(_port(path, cuda))
    if os.environ.get("CUPORT_UPDATE_GOLDEN"):
        path.write_text(cuda + MARK + got + "*/\n", "utf-8")
        return
    assert got == expected


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_port_reparses_and_is_stable(path: Path) -> None:
    cuda = path.read_text("utf-8").partition(MARK)[0]
    first = _port(path, cuda)
    ast.parse(first)
    assert _port(path, cuda) == first
