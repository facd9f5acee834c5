"""The repair loop end to end: a loopback server scripts the model, the OpenCL runner runs candidates.

Every cheat must be rejected, by the static checks (before running) or by verification, with the
reason recorded in the attempt history.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cuport.translate.llm_client import ChatClient
from cuport.translate.llm_config import Budget, LLMSettings
from cuport.translate.llm_loop import KernelJob, LLMSession, extract_code, port_kernel

from .conftest import SOURCE
from .fake_server import FakeOpenAI

GOOD = """Here it is:
```c
__kernel void triple(int n, __global const int* x, __global int* y)
{
    int i = get_group_id(0) * get_local_size(0) + get_local_id(0);
    if (i < n) y[i] = 3 * x[i];
}
```
"""


def kernel(body: str, params: str = "int n, __global const int* x, __global int* y", pre: str = "") -> str:
    return f"```c\n{pre}__kernel void triple({params})\n{{\n    int i = get_global_id(0);\n{body}\n}}\n```\n"


CHEATS = {
    # rejected by verification
    "hard-coded outputs": (kernel("    if (i < n) y[i] = 3;"), "verify", "differ"),
    "specialised to a guessed size": (kernel("    if (i < 256) y[i] = 3 * x[i];"), "verify", "out-of-bounds"),
    "skips work when inputs are zero": (kernel("    if (i < n && x[i] != 0) y[i] = 3 * x[i];"), "verify", "never written"),
    "out-of-bounds write": (kernel("    y[i] = 3 * x[i];"), "verify", "out-of-bounds"),
    "writes to its input": (kernel("    if (i < n) { y[i] = 3 * x[i]; ((__global int*)x)[i] = 0; }"), "verify", "modified an input"),
    "never terminates": (kernel("    volatile __global const int* p = x;\n    while (p[0] != 12345) { }\n    if (i < n) y[i] = 3 * x[i];"),
                         "verify", "did not finish"),
    # rejected before running
    "reads the reference's file": (kernel("    if (i < n) y[i] = 3 * x[i];", pre='#include "affine.cu"\n'), "static", "include"),
    "calls the system": (kernel('    if (i < n) y[i] = 3 * x[i];\n    system("cat /etc/passwd");'), "static", "system"),
    "keeps state across launches": (kernel("    if (i < n) { if (calls++ == 0) y[i] = 3 * x[i]; }",
                                           pre="__global int calls = 0;\n"), "static", "between launches"),
    "forges the manifest": (GOOD.replace("```c\n", "```c\n// cuport-manifest: {}\n"), "static", "manifest"),
    "inline assembly": (kernel('    asm("nop");\n    if (i < n) y[i] = 3 * x[i];'), "static", "asm"),
}


def settings(url: str, tmp: Path, **kw: object) -> LLMSettings:
    base = {"base_url": url, "model": "fake-model", "api_key": "sk", "cache_dir": tmp / "cache",
            "backoff_s": 0.01, "budget": Budget(attempts=3)}
    return LLMSettings(**{**base, **kw})  # type: ignore[arg-type]


def job(tmp: Path, original, runner, kspec, art, target: str = "opencl") -> KernelJob:  # noqa: ANN001
    return KernelJob(SOURCE, kspec, target, original, art, runner, tmp / "work",
                     rule_summary="test: rules declined", timeout_s=5.0)


def test_good_answer_accepted(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    with FakeOpenAI([GOOD]) as srv:
        out = port_kernel(LLMSession(ChatClient(settings(srv.base_url, tmp_path))), job(tmp_path, original, opencl_runner, kspec, art))
    assert out.status == "ported", out.reason
    assert out.verify is not None and out.verify.status == "pass" and out.verify.how == "llm"
    j = out.to_json()
    assert (j["how"], j["model"], j["attempts"], j["prompt_tokens"], j["completion_tokens"], j["cache_hits"]) == \
        ("llm", "fake-model", 1, 100, 50, 0)
    assert "cuport-manifest" in out.code and out.relpath.endswith(".llm.cl")
    prompt = json.dumps(srv.requests[0]["body"]["messages"])
    assert "y[i] = 3 * x[i]" in prompt and "__global const int* x" in prompt and "test: rules declined" in prompt
    for secret in ("67", "301", "randint"):  # the spec's sizes and generators never reach the model
        assert secret not in prompt


def test_wrong_answer_repaired_after_feedback(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    wrong = kernel("    if (i < n) y[i] = 2 * x[i];")
    with FakeOpenAI([wrong, GOOD]) as srv:
        out = port_kernel(LLMSession(ChatClient(settings(srv.base_url, tmp_path))), job(tmp_path, original, opencl_runner, kspec, art))
    assert out.status == "ported" and len(out.attempts) == 2
    assert out.attempts[0].stage == "verify" and out.attempts[1].stage == "accepted"
    feedback = srv.requests[1]["body"]["messages"][-1]["content"]
    assert "differ from the original" in feedback and "largest error" in feedback
    for secret in ("67", "301", "trial", "{"):  # summaries only: no sizes, no trial details
        assert secret not in feedback


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_cheat_rejected(name: str, tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    answer, stage, reason = CHEATS[name]
    with FakeOpenAI([answer]) as srv:
        s = settings(srv.base_url, tmp_path, budget=Budget(attempts=1))
        out = port_kernel(LLMSession(ChatClient(s)), job(tmp_path, original, opencl_runner, kspec, art))
    assert out.status == "failed"
    assert out.attempts[0].stage == stage, out.attempts[0]
    assert any(reason in p for p in out.attempts[0].problems), out.attempts[0].problems


def test_triton_candidate_importing_os_is_rejected(tmp_path: Path, original, kspec, art) -> None:  # noqa: ANN001
    answer = "```python\nimport os\nimport triton\n\ndef launch_triple(n, x, y, *, grid, block, shared):\n    os.system('id')\n```"
    with FakeOpenAI([answer]) as srv:
        s = settings(srv.base_url, tmp_path, budget=Budget(attempts=1))
        out = port_kernel(LLMSession(ChatClient(s)), job(tmp_path, original, None, kspec, art, target="triton"))
    assert out.status == "failed" and out.attempts[0].stage == "static"
    assert any("imports os" in p for p in out.attempts[0].problems)


def test_attempt_budget(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    wrong = CHEATS["hard-coded outputs"][0]
    with FakeOpenAI([wrong, wrong, GOOD]) as srv:
        s = settings(srv.base_url, tmp_path, budget=Budget(attempts=2))
        out = port_kernel(LLMSession(ChatClient(s)), job(tmp_path, original, opencl_runner, kspec, art))
    assert out.status == "failed" and len(srv.requests) == 2 and "2 attempt(s)" in out.reason


def test_token_budget(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    inline = CHEATS["inline assembly"][0]  # rejected statically: no run needed
    with FakeOpenAI([inline, GOOD]) as srv:
        s = settings(srv.base_url, tmp_path, budget=Budget(attempts=5, tokens=120))
        out = port_kernel(LLMSession(ChatClient(s)), job(tmp_path, original, opencl_runner, kspec, art))
    assert out.status == "failed" and len(srv.requests) == 1 and "token budget" in out.reason


def test_time_budget(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    with FakeOpenAI([GOOD]) as srv:
        s = settings(srv.base_url, tmp_path, budget=Budget(seconds=1e-9))
        out = port_kernel(LLMSession(ChatClient(s)), job(tmp_path, original, opencl_runner, kspec, art))
    assert out.status == "failed" and not srv.requests and "time budget" in out.reason


def test_server_error_ends_the_loop_with_a_reason(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    with FakeOpenAI([{"status": 401, "body": "bad key"}]) as srv:
        out = port_kernel(LLMSession(ChatClient(settings(srv.base_url, tmp_path))), job(tmp_path, original, opencl_runner, kspec, art))
    assert out.status == "failed" and "CM002" in out.reason and "401" in out.reason


def test_replay_reproduces_a_recorded_session(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    wrong = CHEATS["hard-coded outputs"][0]
    with FakeOpenAI([wrong, GOOD]) as srv:
        first = port_kernel(LLMSession(ChatClient(settings(srv.base_url, tmp_path))), job(tmp_path, original, opencl_runner, kspec, art))
    replay = settings("http://127.0.0.1:9/v1", tmp_path, replay=True)  # nothing listens there
    again = port_kernel(LLMSession(ChatClient(replay)), job(tmp_path, original, opencl_runner, kspec, art))
    assert first.status == again.status == "ported" and first.code == again.code
    assert [a.stage for a in again.attempts] == [a.stage for a in first.attempts]
    assert again.cache_hits == 2 and all(a.cached for a in again.attempts)


def test_extract_code_prefers_the_targets_language() -> None:
    answer = "```cuda\nold\n```\ntext\n```c\nnew\n```\n"
    assert extract_code(answer, "opencl") == "new\n"
    assert extract_code("plain", "opencl") == "plain\n"
