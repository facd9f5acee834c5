"""The `--llm` flags shared by `cuport port` and `cuport verify`, and the step that applies them.

Without `--llm` nothing here creates a client, so no request can be sent.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from cuport.diagnostics import diag
from cuport.targets.base import get_target
from cuport.translate.llm_client import ChatClient
from cuport.translate.llm_config import LLMConfigError, load_settings, scrub_secrets
from cuport.translate.llm_loop import KernelJob, LLMSession, port_kernel
from cuport.translate.llm_optimize import current_source, optimize_kernel
from cuport.verify.bench import BenchOptions, Side
from cuport.verify.differential import VerifyResult
from cuport.verify.ported import port_for_verification
from cuport.verify.protocol import Artifact, Runner
from cuport.verify.spec import KernelSpec


def add_llm_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--llm", nargs="?", const="auto", choices=("auto", "always"), default=None,
                   help="ask an LLM where rules stop (auto) or for every kernel (always)")
    p.add_argument("--llm-model", metavar="NAME", help="model name (default: CUPORT_LLM_MODEL or the config file)")
    p.add_argument("--llm-budget", metavar="N|attempts=N,tokens=T,seconds=S", help="limits of the LLM loop")
    p.add_argument("--llm-replay", action="store_true", help="answer only from the LLM cache (CI); send nothing")
    p.add_argument("--optimize", action="store_true",
                   help="ask the LLM for a faster version of each verified port; kept only if it verifies and "
                        "benchmarks clearly faster")


def session_from_args(args: argparse.Namespace) -> LLMSession | None:
    """The session for `--llm` or `--optimize`, None without both; LLMConfigError (a usage error,
    exit 2) when unusable."""
    if not getattr(args, "llm", None) and not getattr(args, "optimize", False):
        if getattr(args, "llm_model", None) or getattr(args, "llm_budget", None) or getattr(args, "llm_replay", False):
            raise LLMConfigError("--llm-model, --llm-budget and --llm-replay need --llm or --optimize")
        return None
    settings = load_settings(model=args.llm_model, budget=args.llm_budget, replay=args.llm_replay)
    # the runners hand os.environ to candidates: the key must not be there once the client holds it
    scrub_secrets()
    return LLMSession(ChatClient(settings))


def apply_llm(session: LLMSession, mode: str, results: list[VerifyResult], source: Path, art: Artifact,
              kernels: list[KernelSpec], target: str, original: Runner, *, seed: int, trials: int | None,
              timeout_s: float) -> list[VerifyResult]:
    """Replace each rule result that did not pass (every one under `always`) by a verified LLM port."""
    by_name = {k.name: k for k in kernels}
    runner = get_target(target).runner()
    out = []
    with tempfile.TemporaryDirectory(prefix=f"cuport-llm-{target}-") as tmp:
        for r in results:
            k = by_name.get(r.kernel)
            if k is None or (mode == "auto" and r.status == "pass"):
                out.append(r)
                continue
            rule = f"{r.status}: {r.reason}" if r.reason else f"rules made a port ({r.status})"
            job = KernelJob(source, k, target, original, art, runner, Path(tmp), rule_summary=rule, seed=seed,
                            trials=trials, timeout_s=timeout_s)
            llm = port_kernel(session, job)
            if llm.status == "ported" and llm.verify is not None:
                v = llm.verify
                v.diagnostics.append(diag("CM007", k.span, kernel=k.name, target=target, model=llm.model,
                                          attempts=len(llm.attempts)))
                v.llm = llm.to_json()  # type: ignore[attr-defined]
                v.llm_artifact = (llm.relpath, llm.code)  # type: ignore[attr-defined]  # for --optimize
                out.append(v)
            else:
                r.diagnostics.append(diag("CM006", k.span, kernel=k.name, target=target, reason=llm.reason))
                r.llm = llm.to_json()  # type: ignore[attr-defined]
                out.append(r if mode == "auto" or r.status != "pass" else r)
    return out


def apply_optimize(session: LLMSession, results: list[VerifyResult], source: Path, art: Artifact,
                   kernels: list[KernelSpec], target: str, original: Runner, *, seed: int, timeout_s: float,
                   warp_size: int = 32, bench: BenchOptions | None = None) -> list[VerifyResult]:
    """Ask for a faster version of every passing port; a kept one replaces the result (how="llm")."""
    by_name = {k.name: k for k in kernels}
    runner = get_target(target).runner(warp_size=warp_size)
    opts = bench or BenchOptions(reps=9, warmup=2, seed=seed, timeout_s=timeout_s)
    out = []
    with tempfile.TemporaryDirectory(prefix=f"cuport-optimize-{target}-") as tmp:
        for i, r in enumerate(results):
            k = by_name.get(r.kernel)
            if k is None or r.status != "pass":
                out.append(r)
                continue
            work = Path(tmp) / str(i)
            current = _current_side(r, source, art, k, target, runner, warp_size, work / "current")
            if isinstance(current, str):
                r.optimize = {"status": "rejected", "reason": current}  # type: ignore[attr-defined]
                out.append(r)
                continue
            assert current.artifact is not None
            job = KernelJob(source, k, target, original, art, runner, work / "candidate",
                            rule_summary="a verified port exists (below)", seed=seed, timeout_s=timeout_s,
                            current=current_source(target, current.artifact.path.read_text("utf-8")))
            opt = optimize_kernel(session, job, current, opts)
            if opt.status == "kept" and opt.llm is not None and opt.llm.verify is not None:
                v = opt.llm.verify
                v.llm, v.optimize = opt.llm.to_json(), opt.to_json()  # type: ignore[attr-defined]
                v.diagnostics.append(diag("CM008", k.span, kernel=k.name, target=target, model=opt.llm.model,
                                          speedup=f"{opt.ratio:.2f}"))
                out.append(v)
            else:
                r.optimize = opt.to_json()  # type: ignore[attr-defined]
                r.diagnostics.append(diag("CM009", k.span, kernel=k.name, target=target, reason=opt.reason))
                out.append(r)
    return out


def _current_side(r: VerifyResult, source: Path, art: Artifact, k: KernelSpec, target: str, runner: Runner,
                  warp_size: int, workdir: Path) -> Side | str:
    """The passing port as a benchmark side: the LLM's file, or the rules' port rebuilt."""
    made = getattr(r, "llm_artifact", None)
    if made is not None:
        path = workdir / made[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(made[1], "utf-8")
        return Side(target, runner, Artifact(path, target, art.defines, art.includes), how="llm")
    ported = port_for_verification(source, target, [k], art, warp_size, workdir)
    if isinstance(ported, str) or not ported.artifact:
        return ported if isinstance(ported, str) else f"the {target} port has nothing to run"
    return Side(target, runner, Artifact(workdir / ported.artifact, target, art.defines, art.includes), how="rule")
