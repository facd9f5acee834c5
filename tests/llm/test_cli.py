"""`--llm` on the command line: no flag, no request; no endpoint, exit 2; `--llm always` drives the loop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA
from .fake_server import FakeOpenAI
from .test_loop import GOOD


def cuport(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CUPORT_LLM"))}
    return subprocess.run([sys.executable, "-m", "cuport", *args], capture_output=True, text=True,
                          env={**base, **env}, timeout=300)


def test_without_llm_no_request_is_sent(tmp_path: Path) -> None:
    with FakeOpenAI([GOOD] * 4) as srv:
        env = {"OPENAI_BASE_URL": srv.base_url, "OPENAI_API_KEY": "sk", "CUPORT_LLM_MODEL": "m",
               "CUPORT_LLM_CACHE": str(tmp_path / "c")}
        port = cuport("port", str(DATA / "affine.cu"), "--to", "opencl", "-o", str(tmp_path / "out"), env=env)
        verify = cuport("verify", str(DATA / "affine.cu"), "--to", "opencl", env=env)
    assert port.returncode == 0 and verify.returncode == 0, port.stderr + verify.stderr
    assert srv.requests == []


def test_llm_without_endpoint_is_a_usage_error(tmp_path: Path) -> None:
    r = cuport("verify", str(DATA / "affine.cu"), "--to", "opencl", "--llm", env={"CUPORT_LLM_MODEL": "m", "HOME": str(tmp_path)})
    assert r.returncode == 2 and "OPENAI_BASE_URL" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_llm_always_asks_and_verifies(tmp_path: Path) -> None:
    with FakeOpenAI([GOOD]) as srv:
        env = {"OPENAI_BASE_URL": srv.base_url, "OPENAI_API_KEY": "sk", "CUPORT_LLM_CACHE": str(tmp_path / "c")}
        r = cuport("verify", str(DATA / "affine.cu"), "--to", "opencl", "--llm", "always", "--llm-model", "m",
                   "--format", "json", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(srv.requests) == 1
    res = json.loads(r.stdout)["results"]
    assert [x["status"] for x in res] == ["pass"]
