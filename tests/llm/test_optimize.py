"""`--optimize` and Triton candidates: a faster answer is kept only if it verifies and times clearly
faster; slower, wrong and gamed answers are rejected with the reason; a Triton answer runs through
the Triton runner (interpreter on the CPU).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.targets.base import get_target
from cuport.translate.llm_client import ChatClient
from cuport.translate.llm_config import Budget
from cuport.translate.llm_loop import KernelJob, LLMSession, port_kernel, wrap_candidate
from cuport.translate.llm_optimize import Optimization, current_source, is_faster, optimize_kernel
from cuport.translate.llm_prompt import kernel_text
from cuport.verify.bench import BenchOptions, BenchResult, Side, Spread
from cuport.verify.ported import port_for_verification
from cuport.verify.protocol import Artifact

from .conftest import SOURCE
from .fake_server import FakeOpenAI
from .test_loop import GOOD, kernel, settings

OPTS = BenchOptions(reps=5, warmup=1)
# Correct but slow: volatile stores cannot be optimised away, so every thread does 20000 of them.
SLOW = kernel("    if (i < n) { volatile __global int* v = y;\n"
              "        for (int k = 0; k < 20000; ++k) v[i] = 3 * x[i]; }")
GOOD_TRITON = """```python
import triton
import triton.language as tl


@triton.jit
def triple_kernel(n, x, y, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = i < n
    tl.store(y + i, 3 * tl.load(x + i, mask=m), mask=m)


def launch_triple(n, x, y, *, grid, block, shared):
    if n > 0:
        triple_kernel[(triton.cdiv(n, 128),)](n, x, y, BLOCK=128)
```
"""


def _job(tmp: Path, original, runner, kspec, art, target: str, current: str) -> KernelJob:  # noqa: ANN001
    return KernelJob(SOURCE, kspec, target, original, art, runner, tmp / "work", rule_summary="verified rule port",
                     timeout_s=10.0, current=current)


def _rule_side(tmp: Path, kspec, art, target: str) -> tuple[Side, str]:  # noqa: ANN001
    ported = port_for_verification(SOURCE, target, [kspec], art, 32, tmp / "rule")
    assert not isinstance(ported, str) and ported.artifact
    path = tmp / "rule" / ported.artifact
    side = Side(target, get_target(target).runner(), Artifact(path, target), how="rule")
    return side, current_source(target, path.read_text("utf-8"))


def _optimize(tmp: Path, answers: list[str], current: Side, current_text: str, original, runner, kspec, art,  # noqa: ANN001
              target: str = "opencl") -> tuple[Optimization, FakeOpenAI]:
    with FakeOpenAI(answers) as srv:
        s = settings(srv.base_url, tmp, budget=Budget(attempts=1))
        job = _job(tmp, original, runner, kspec, art, target, current_text)
        return optimize_kernel(LLMSession(ChatClient(s)), job, current, OPTS), srv


def _spread(median: float, p10: float, p90: float) -> Spread:
    return Spread(5, median, p10, p90)


def _bench(median: float, p10: float, p90: float, device: str = "CPU: x", ratio: float = 1.0) -> BenchResult:
    return BenchResult("k", "opencl", "ok", port=_spread(median, p10, p90), device=device, ratio=ratio,
                       suspect=ratio > 10)


def test_is_faster_needs_margin_separate_spreads_and_one_device() -> None:
    cur = _bench(2.0, 1.9, 2.1)
    assert is_faster(cur, _bench(1.0, 0.9, 1.1)) == ""
    assert "not faster" in is_faster(cur, _bench(1.9, 1.8, 2.0))  # 1.05x: within the margin
    assert "spreads overlap" in is_faster(cur, _bench(1.5, 1.0, 1.95))
    assert "different devices" in is_faster(cur, _bench(1.0, 0.9, 1.1, device="GPU: y"))
    assert "suspect" in is_faster(cur, _bench(0.1, 0.09, 0.11, ratio=40.0))
    assert "did not benchmark" in is_faster(cur, BenchResult("k", "opencl", "wrong", reason="argument 3 differs"))


def test_current_source_drops_cuports_tables() -> None:
    cl = '// cuport-manifest: {"kernels": {}}\n__kernel void k() {}\n'
    assert current_source("opencl", cl) == "__kernel void k() {}\n"
    py = "def launch(): pass\n\n# Tables for cuport's runner (read without importing this file).\nKERNELS = {}\n"
    assert current_source("triton", py) == "def launch(): pass\n"


@pytest.mark.slow
def test_slower_answer_is_rejected(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    side, text = _rule_side(tmp_path, kspec, art, "opencl")
    opt, srv = _optimize(tmp_path, [SLOW], side, text, original, opencl_runner, kspec, art)
    assert opt.status == "rejected" and "not faster" in opt.reason, opt.reason
    assert opt.llm is not None and opt.llm.status == "ported"  # it verified: only the timing rejects it
    assert opt.ratio is not None and opt.ratio < 1
    prompt = srv.requests[0]["body"]["messages"][-1]["content"]
    assert "Make it faster" in prompt and "__kernel void triple" in prompt and "cuport-manifest" not in prompt


@pytest.mark.slow
def test_faster_answer_is_kept(tmp_path: Path, original, opencl_runner, kspec, art) -> None:  # noqa: ANN001
    # the current port is the slow one: the model's plain kernel beats it by a wide margin
    text = kernel_text(SOURCE, "triple")
    assert not isinstance(text, str)
    sig = original.signature(original.prepare(art, ["triple"], ()), "triple")
    job = _job(tmp_path, original, opencl_runner, kspec, art, "opencl", "")
    slow_text, rel = wrap_candidate(job, SLOW.split("```c\n")[1].split("```")[0], sig, text)
    slow = tmp_path / "slow" / rel
    slow.parent.mkdir()
    slow.write_text(slow_text, "utf-8")
    side = Side("opencl", opencl_runner, Artifact(slow, "opencl"), how="rule")
    opt, _ = _optimize(tmp_path, [GOOD], side, current_source("opencl", slow_text), original, opencl_runner, kspec, art)
    assert opt.status == "kept", opt.reason
    assert opt.ratio is not None and opt.ratio > 1.1
    assert opt.to_json()["llm"]["how"] == "llm"  # type: ignore[index]


GAMED = {
    # verification runs every listed size: work skipped for the size it guesses is timed is caught
    "returns early for a guessed size": (kernel("    if (n >= 256) return;\n    if (i < n) y[i] = 3 * x[i];"),
                                         "opencl", "verify"),
    "wrong but fast": (kernel("    if (i < n) y[i] = x[i] + x[i];"), "opencl", "verify"),
    # a sleep (to slow whatever is timed beside it, or pace the clock) never gets to run
    "sleeps to game timing": ("```python\nimport time\nimport triton\n\ndef launch_triple(n, x, y, *, grid, block, shared):\n"
                              "    time.sleep(0.01)\n```\n", "triton", "static"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GAMED))
def test_gamed_optimisation_is_rejected(name: str, tmp_path: Path, original, kspec, art) -> None:  # noqa: ANN001
    answer, target, stage = GAMED[name]
    side, text = _rule_side(tmp_path, kspec, art, target)
    opt, _ = _optimize(tmp_path, [answer], side, text, original, side.runner, kspec, art, target)
    assert opt.status == "rejected" and "no faster candidate verified" in opt.reason, opt.reason
    assert opt.llm is not None and opt.llm.attempts[0].stage == stage, opt.llm.attempts


@pytest.mark.slow
def test_triton_answer_runs_through_the_triton_runner(tmp_path: Path, original, kspec, art) -> None:  # noqa: ANN001
    runner = get_target("triton").runner()
    with FakeOpenAI([GOOD_TRITON]) as srv:
        s = settings(srv.base_url, tmp_path, budget=Budget(attempts=1))
        job = KernelJob(SOURCE, kspec, "triton", original, art, runner, tmp_path / "work", timeout_s=60.0)
        out = port_kernel(LLMSession(ChatClient(s)), job)
    assert out.status == "ported", (out.reason, out.attempts)
    assert out.verify is not None and out.verify.status == "pass" and "Triton" in out.verify.device
    assert out.relpath.endswith("_llm.py") and "KERNELS = {'triple': 'launch_triple'}" in out.code
