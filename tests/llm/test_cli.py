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
    llm = res[0]["llm"]
    assert res[0]["how"] == "llm"
    assert (llm["model"], llm["attempts"], llm["prompt_tokens"], llm["completion_tokens"], llm["cache_hits"]) == \
        ("m", 1, 100, 50, 0) and "cost" in llm


def _env(srv: FakeOpenAI, tmp: Path) -> dict[str, str]:
    return {"OPENAI_BASE_URL": srv.base_url, "OPENAI_API_KEY": "sk", "CUPORT_LLM_MODEL": "m",
            "CUPORT_LLM_CACHE": str(tmp / "c")}


@pytest.mark.slow
def test_port_llm_always_writes_the_verified_port_beside_the_rules(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with FakeOpenAI([GOOD]) as srv:
        r = cuport("port", str(DATA / "affine.cu"), "--to", "opencl", "-o", str(out), "--llm", "always",
                   "--format", "json", env=_env(srv, tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(srv.requests) == 1
    k = json.loads(r.stdout)["files"][0]["kernels"][0]
    assert (k["status"], k["how"], k["file"]) == ("ported", "llm", "affine.triple.llm.cl")
    assert (k["llm"]["model"], k["llm"]["attempts"], k["llm"]["cache_hits"]) == ("m", 1, 0)
    assert (out / "opencl" / "affine.cl").is_file()  # the rule output stays
    assert "Written by an LLM, verified by cuport" in (out / "opencl" / "affine.triple.llm.cl").read_text()


def test_port_llm_without_a_spec_skips_with_the_reason(tmp_path: Path) -> None:
    src = tmp_path / "affine.cu"
    src.write_text((DATA / "affine.cu").read_text())
    with FakeOpenAI([GOOD]) as srv:
        r = cuport("port", str(src), "--to", "opencl", "-o", str(tmp_path / "out"), "--llm", "always",
                   "--format", "json", env=_env(srv, tmp_path))
    assert srv.requests == [] and "Traceback" not in r.stderr
    k = json.loads(r.stdout)["files"][0]["kernels"][0]
    assert k["how"] == "rule" and k["llm"]["status"] == "skipped" and "no launch spec" in k["llm"]["reason"]


@pytest.mark.slow
def test_verify_optimize_keeps_the_port_when_the_answer_is_wrong(tmp_path: Path) -> None:
    wrong = "```c\n__kernel void triple(int n, __global const int* x, __global int* y)\n" \
            "{ int i = get_global_id(0); if (i < n) y[i] = 2 * x[i]; }\n```\n"
    with FakeOpenAI([wrong] * 3) as srv:
        r = cuport("verify", str(DATA / "affine.cu"), "--to", "opencl", "--optimize", "--llm-budget", "attempts=1",
                   "--format", "json", env=_env(srv, tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(srv.requests) == 1 and "Make it faster" in srv.requests[0]["body"]["messages"][-1]["content"]
    res = json.loads(r.stdout)["results"][0]
    assert (res["status"], res["how"]) == ("pass", "rule") and "llm" not in res
    assert res["optimize"]["status"] == "rejected" and "no faster candidate verified" in res["optimize"]["reason"]
    assert any(d["code"] == "CM009" for d in res["diagnostics"])
