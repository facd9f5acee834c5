"""The repair loop: ask for a kernel, check it statically, verify it, feed back a summary, repeat.

    session = LLMSession(ChatClient(settings))
    port_kernel(session, KernelJob(...)) -> LLMPort

Candidates are untrusted: static checks first (verify/static_checks.py), then the same differential
verification as a rule-made port, through the target's runner (own process, timeout). What goes
back to the model is a summary (compiler log, which argument, how many elements differ, the largest
error, the kind of problem), never input values, sizes or the original's outputs. Each attempt
verifies on fresh seeds, so nothing learnt from feedback carries over. Budgets: attempts per kernel,
tokens and seconds per session; all three stop the loop with the reason recorded.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cuport.translate.llm_client import ChatClient, LLMError
from cuport.translate.llm_prompt import SYSTEM, KernelText, cl_type, identifier, kernel_text, render
from cuport.verify.differential import VerifyResult, verify_kernel
from cuport.verify.protocol import Artifact, ParamType, Runner, RunOutcome
from cuport.verify.spec import KernelSpec
from cuport.verify.static_checks import check_candidate

SUPPORTED = ("opencl", "triton")
_FENCE = re.compile(r"```[ \t]*([\w+-]*)[ \t]*\n(.*?)```", re.S)
_OCL_MANIFEST = "// cuport-manifest: "


class LLMSession:
    """One run's client, clock and token budget, shared by every kernel (thread-safe)."""

    def __init__(self, client: ChatClient) -> None:
        self.client = client
        self.started = time.monotonic()

    @property
    def budget(self):  # noqa: ANN201 - llm_config.Budget
        return self.client.settings.budget

    def exhausted(self) -> str:
        """Why no further request may be sent ('' while the budget lasts)."""
        b, used = self.budget, self.client.usage
        if used.tokens >= b.tokens:
            return f"token budget exhausted ({used.tokens} of {b.tokens} tokens used)"
        elapsed = time.monotonic() - self.started
        if elapsed >= b.seconds:
            return f"time budget exhausted ({elapsed:.0f} s of {b.seconds:g} s)"
        return ""


@dataclass(frozen=True)
class KernelJob:
    source: Path  # the original .cu
    kspec: KernelSpec
    target: str
    original: Runner
    original_artifact: Artifact
    port_runner: Runner
    workdir: Path  # candidates are written here (a private folder)
    rule_summary: str = "the rules did not port this kernel"
    seed: int = 0
    trials: int | None = None
    timeout_s: float = 30.0
    current: str = ""  # a verified port to make faster (--optimize); "" asks for a port


@dataclass
class Attempt:
    number: int
    stage: str  # "answer" | "static" | "build" | "verify" | "accepted"
    problems: list[str] = field(default_factory=list)
    cached: bool = False


@dataclass
class LLMPort:
    """How an LLM port came about; `to_json` goes into verify/port reports."""

    kernel: str
    target: str
    status: str  # "ported" | "failed"
    model: str
    how: str = "llm"
    code: str = ""  # the accepted artifact (manifest or tables included)
    relpath: str = ""
    reason: str = ""
    attempts: list[Attempt] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    cache_hits: int = 0
    verify: VerifyResult | None = None

    def to_json(self) -> dict[str, object]:
        return {"kernel": self.kernel, "target": self.target, "status": self.status, "how": self.how,
                "model": self.model, "attempts": len(self.attempts), "reason": self.reason,
                "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "cost": round(self.cost, 6), "cache_hits": self.cache_hits,
                "history": [asdict(a) for a in self.attempts]}


def extract_code(answer: str, target: str) -> str:
    """The answer's code block (the last one in the target's language, else the last), else all of it."""
    blocks = _FENCE.findall(answer)
    if not blocks:
        return answer.strip() + "\n"
    wanted = ("python", "py") if target == "triton" else ("c", "opencl", "cl", "cpp", "c++")
    fitting = [code for lang, code in blocks if lang.lower() in wanted]
    return (fitting or [code for _, code in blocks])[-1].strip() + "\n"


def port_kernel(session: LLMSession, job: KernelJob) -> LLMPort:
    """Ask, check, verify and repair until a candidate passes or a budget ends."""
    settings = session.client.settings
    out = LLMPort(job.kspec.name, job.target, "failed", settings.model)
    if job.target not in SUPPORTED:
        out.reason = f"LLM ports to {job.target} are not supported yet (supported: {', '.join(SUPPORTED)})"
        return out
    if job.kspec.constants:
        out.reason = "kernels with __constant__ symbols are not offered to the LLM yet"
        return out
    text = kernel_text(job.source, job.kspec.base_name)
    if isinstance(text, str):
        out.reason = text
        return out
    prepared = job.original.prepare(job.original_artifact, [job.kspec.name], ())
    if isinstance(prepared, RunOutcome):
        out.reason = f"the original does not build: {prepared.message[:300]}"
        return out
    signature = job.original.signature(prepared, job.kspec.name)
    messages = [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": first_prompt(job, text, signature)}]
    forbidden = (job.source.name, str(job.source.resolve().parent), job.kspec.spec_path.name if job.kspec.spec_path else "")
    for number in range(1, session.budget.attempts + 1):
        why = session.exhausted()
        if why:
            out.reason = why
            return out
        attempt = Attempt(number, "answer")
        out.attempts.append(attempt)
        try:
            answer = session.client.complete(messages)
        except LLMError as exc:
            attempt.problems.append(str(exc))
            out.reason = f"{exc.code}: {exc}"
            return out
        attempt.cached = answer.cached
        out.cache_hits += answer.cached
        out.prompt_tokens += answer.prompt_tokens
        out.completion_tokens += answer.completion_tokens
        out.cost += (answer.prompt_tokens * settings.price_in + answer.completion_tokens * settings.price_out) / 1e6
        code = extract_code(answer.text, job.target)
        messages = [*messages, {"role": "assistant", "content": answer.text}]
        problems = check_candidate(job.target, code, [n for n in forbidden if n])
        if problems:
            attempt.stage, attempt.problems = "static", problems
            messages.append({"role": "user", "content": render("repair.j2", stage="static checks", problems=problems)})
            continue
        artifact_text, relpath = wrap_candidate(job, code, signature, text)
        path = job.workdir / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(artifact_text, "utf-8")
        port_art = Artifact(path, job.target, job.original_artifact.defines, job.original_artifact.includes)
        n = job.trials or max(job.kspec.trial_count, 2)
        # fresh seeds per attempt: feedback from one attempt cannot fit the next attempt's inputs
        result = verify_kernel(job.original, job.port_runner, job.original_artifact, port_art, job.kspec, n,
                               job.seed + 7919 * (number - 1), target=job.target, timeout_s=job.timeout_s)
        if result.status == "pass":
            final = result if number == 1 else verify_kernel(
                job.original, job.port_runner, job.original_artifact, port_art, job.kspec, n, job.seed,
                target=job.target, timeout_s=job.timeout_s)
            if final.status == "pass":
                attempt.stage = "accepted"
                final.how = "llm"
                out.status, out.code, out.relpath, out.verify, out.reason = "ported", artifact_text, relpath, final, ""
                return out
            result = final
        if result.status == "error":  # the original itself failed: no candidate can help
            attempt.stage, attempt.problems = "verify", [result.reason]
            out.reason = f"cannot verify: {result.reason}"
            return out
        attempt.stage = "build" if "does not build" in result.reason else "verify"
        attempt.problems = feedback(result)
        messages.append({"role": "user", "content": render(
            "repair.j2", stage="it does not compile" if attempt.stage == "build" else "verification failed",
            problems=attempt.problems)})
    last = out.attempts[-1].problems if out.attempts else []
    out.reason = f"no candidate passed in {len(out.attempts)} attempt(s); last: {'; '.join(last)[:300]}"
    return out


def first_prompt(job: KernelJob, text: KernelText, signature: list[ParamType]) -> str:
    prompt = _port_prompt(job, text, signature)
    if not job.current:
        return prompt
    fence = "python" if job.target == "triton" else "c"
    return prompt + "\n" + render("optimize.j2", target=job.target, fence=fence, current=job.current)


def _port_prompt(job: KernelJob, text: KernelText, signature: list[ParamType]) -> str:
    names = list(text.param_names) + [f"arg{i}" for i in range(len(text.param_names), len(signature))]
    if job.target == "opencl":
        params = [f"{cl_type(p)} {n}" for p, n in zip(signature, names, strict=False)]
        return render("opencl.j2", cl_name=identifier(job.kspec.name), params=params,
                      dynamic_shared=job.kspec.shared not in (0, "0"), uses_double=text.uses_double,
                      rule_summary=job.rule_summary, kernel_source=text.source, helpers=True)
    params = [f"{n}: {'tensor of ' if p.kind == 'pointer' else ''}{p.dtype}{' (read-only)' if p.const else ''}"
              for p, n in zip(signature, names, strict=False)]
    return render("triton.j2", launcher=f"launch_{identifier(job.kspec.name)}", param_names=names[: len(signature)],
                  params=params, rule_summary=job.rule_summary, kernel_source=text.source)


def wrap_candidate(job: KernelJob, code: str, signature: list[ParamType], text: KernelText) -> tuple[str, str]:
    """The runnable artifact: the candidate plus the tables cuport writes (never the model)."""
    name = identifier(job.kspec.name)
    stem = job.source.stem
    sig = [{"kind": p.kind, "dtype": p.dtype, "const": p.const, "name": n, "cl_type": cl_type(p)}
           for p, n in zip(signature, list(text.param_names) + [""] * len(signature), strict=False)]
    if job.target == "opencl":
        manifest = {"schema": "cuport.opencl/1", "warp_size": 32, "kernels": {job.kspec.name: {
            "kernel": job.kspec.name, "name": name, "params": sig, "symbols": [],
            "dynamic_shared": job.kspec.shared not in (0, "0")}}}
        body = _OCL_MANIFEST + json.dumps(manifest, sort_keys=True) + "\n// Written by an LLM, verified by cuport.\n"
        return body + code, f"{stem}.{name}.llm.cl"
    tables = (f"\n\n# cuport tables (written by cuport, not by the model)\nKERNELS = {{{job.kspec.name!r}: 'launch_{name}'}}\n"
              f"SIGNATURES = {{{job.kspec.name!r}: {[(p.kind, p.dtype, p.const) for p in signature]!r}}}\n"
              "SYMBOLS = {}\nCONSTANTS: dict = {}\n")
    return code + tables, f"{stem}_{name}_llm.py"


_SIZES = re.compile(r"^trial \d+ \{[^}]*\}(: |, )?")


def feedback(result: VerifyResult) -> list[str]:
    """What the model may learn from a failure: kinds, counts and largest errors, never values or sizes."""
    reason = _SIZES.sub("", result.reason)
    if "does not build" in reason:
        return [reason[-1500:]]
    out = []
    for part in reason.split("; "):
        m = re.match(r"(argument \d+): (.*)", part)
        where, what = (m.group(1), m.group(2)) if m else ("", part)
        if "out-of-bounds" in what:
            out.append(f"{where}: out-of-bounds write (memory next to the buffer changed)")
        elif "never written" in what:
            out.append(f"{where}: some output elements were never written")
        elif "changed this" in what:
            out.append(f"{where}: the kernel modified an input it must only read")
        elif what.startswith("run timeout"):
            out.append("the kernel did not finish within the time limit")
        elif what.startswith(("run crash", "run error", "run deadlock")):
            out.append(f"the kernel {what.split(':')[0][4:]}ed: {_scrub(what.split(':', 1)[-1])[:200]}")
        elif "parameters" in what:
            out.append(_scrub(what))
        elif result.mismatches or "differ" in what or "mismatch" in what:
            out.append(f"{where}: {result.mismatches} element(s) differ from the original; largest error "
                       f"{result.max_abs_err:.3g} absolute, {result.max_rel_err:.3g} relative")
        elif result.status == "unverified":
            out.append("the result cannot be told apart from a trivial answer; compute every output")
        else:
            out.append(f"{where}: the outputs differ from the original" if where else "the outputs differ from the original")
    return out


def _scrub(text: str) -> str:
    # numbers in runner messages can be sizes or values: never echo them
    return re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "N", text).strip()
