"""`--optimize`: ask the model for a faster version of a verified port; keep it only if it verifies
and benchmarks clearly faster than the port it would replace.

    optimize_kernel(session, job, current, BenchOptions()) -> Optimization

The candidate goes through the same repair loop as any LLM port (static checks, differential
verification on fresh seeds), then `bench_kernel` times the original, the current port and the
candidate alternated in one run, checking every timed run's outputs again (a candidate that is
right in verification but skips work when timed is caught there). "Faster" is deliberately strict
(`is_faster`): both ports measured on the same device, the median ratio above `MIN_SPEEDUP`, and
the spreads apart (the candidate's p90 below the current port's p10), so noise never replaces a
port. Anything else keeps the current port and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from cuport.translate.llm_loop import KernelJob, LLMPort, LLMSession, port_kernel
from cuport.verify.bench import SUSPECT_RATIO, BenchOptions, BenchResult, Side, bench_kernel
from cuport.verify.protocol import Artifact

MIN_SPEEDUP = 1.1  # median of the current port over the candidate's
_TABLE_MARKERS = ("# Tables for cuport's runner", "# cuport tables")


@dataclass
class Optimization:
    kernel: str
    target: str
    status: str  # "kept" | "rejected"
    reason: str = ""
    llm: LLMPort | None = None
    ratio: float | None = None  # current port's median / candidate's median (> 1: candidate faster)
    current_median_s: float | None = None
    candidate_median_s: float | None = None
    device: str = ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "status": self.status, "reason": self.reason, "speedup": self.ratio, "min_speedup": MIN_SPEEDUP,
            "current_median_s": self.current_median_s, "candidate_median_s": self.candidate_median_s,
            "device": self.device,
        }
        if self.llm is not None:
            out["llm"] = self.llm.to_json()
        return out


def current_source(target: str, artifact_text: str) -> str:
    """What the model sees of the current port: its code, without the tables cuport writes."""
    lines = [ln for ln in artifact_text.splitlines() if not ln.startswith("// cuport-manifest:")]
    if target == "triton":
        for i, ln in enumerate(lines):
            if ln.startswith(_TABLE_MARKERS):
                lines = lines[:i]
                break
    return "\n".join(lines).strip() + "\n"


def is_faster(current: BenchResult, candidate: BenchResult, min_speedup: float = MIN_SPEEDUP) -> str:
    """'' when `candidate` is clearly faster than `current`; else why it is not."""
    for r, who in ((current, "the current port"), (candidate, "the candidate")):
        if r.status != "ok" or r.port is None:
            return f"{who} did not benchmark: {r.status}: {r.reason}"
    assert current.port is not None and candidate.port is not None
    if current.device != candidate.device:
        return f"not comparable: timed on different devices ({current.device} vs {candidate.device})"
    if candidate.suspect:
        return (f"suspect: {candidate.ratio:.1f}x faster than the original (over {SUSPECT_RATIO:g}x); "
                "more likely skipping work than winning: needs a human")
    if candidate.port.median_s <= 0:
        return "the candidate's timer reported no time"
    ratio = current.port.median_s / candidate.port.median_s
    if ratio <= min_speedup:
        return f"not faster: median {ratio:.2f}x the current port's speed (needs > {min_speedup:g}x)"
    if candidate.port.p90_s >= current.port.p10_s:
        return (f"not clearly faster: median {ratio:.2f}x but the spreads overlap (candidate p90 "
                f"{candidate.port.p90_s:.3g} s, current p10 {current.port.p10_s:.3g} s)")
    return ""


def optimize_kernel(session: LLMSession, job: KernelJob, current: Side, opts: BenchOptions,
                    min_speedup: float = MIN_SPEEDUP) -> Optimization:
    """Ask (job.current holds the current port's code), verify, benchmark, decide."""
    out = Optimization(job.kspec.name, job.target, "rejected")
    if not job.current:
        out.reason = "no current port to optimise"
        return out
    llm = port_kernel(session, job)
    out.llm = llm
    if llm.status != "ported":
        out.reason = f"no faster candidate verified: {llm.reason}"
        return out
    cand_art = Artifact(job.workdir / llm.relpath, job.target, job.original_artifact.defines,
                        job.original_artifact.includes)
    original = Side("cuda", job.original, job.original_artifact)
    candidate = Side(f"{job.target} (llm)", job.port_runner, cand_art, how="llm")
    cur, cand = bench_kernel(original, [current, candidate], job.kspec, opts)
    out.device = cand.device
    if cur.port is not None:
        out.current_median_s = cur.port.median_s
    if cand.port is not None:
        out.candidate_median_s = cand.port.median_s
    if out.current_median_s and out.candidate_median_s:
        out.ratio = out.current_median_s / out.candidate_median_s
    why = is_faster(cur, cand, min_speedup)
    if why:
        out.reason = why
        return out
    out.status = "kept"
    out.reason = f"{out.ratio:.2f}x faster than the current port (medians), verified and checked on every timed run"
    return out
