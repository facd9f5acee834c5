"""`cuport port --verify`: every ported kernel with a launch spec is verified, verdicts printed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cuport import cli
from cuport.corpus import corpus_root


def test_port_verify_reports_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("saxpy.cu", "saxpy.cuport.toml"):
        shutil.copy(corpus_root() / "elementwise" / name, src / name)
    (src / "nospec.cu").write_text("__global__ void k(float* x) { x[0] = 1; }\n")
    rc = cli.main(["port", str(src), "--to", "hip", "-o", str(tmp_path / "out"), "--verify", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert [(v["kernel"], v["target"], v["status"]) for v in doc["verify"]] == [("saxpy", "hip", "pass")]
    assert rc == 0
    rc = cli.main(["port", str(src), "--to", "hip", "-o", str(tmp_path / "out"), "--verify"])
    out = capsys.readouterr().out
    assert "PASS" in out and "verify: 1 pass" in out and rc == 0
