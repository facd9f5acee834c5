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
from cuport.verify.differential import VerifyResult
from cuport.verify.protocol import Artifact, Runner
from cuport.verify.spec import KernelSpec


def add_llm_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--llm", nargs="?", const="auto", choices=("auto", "always"), default=None,
                   help="ask an LLM where rules stop (auto) or for every kernel (always)")
    p.add_argument("--llm-model", metavar="NAME", help="model name (default: CUPORT_LLM_MODEL or the config file)")
    p.add_argument("--llm-budget", metavar="N|attempts=N,tokens=T,seconds=S", help="limits of the LLM loop")
    p.add_argument("--llm-replay", action="store_true", help="answer only from the LLM cache (CI); send nothing")


def session_from_args(args: argparse.Namespace) -> LLMSession | None:
    """The session for `--llm`, None without it; LLMConfigError (a usage error, exit 2) when unusable."""
    if not getattr(args, "llm", None):
        if getattr(args, "llm_model", None) or getattr(args, "llm_budget", None) or getattr(args, "llm_replay", False):
            raise LLMConfigError("--llm-model, --llm-budget and --llm-replay need --llm")
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
                out.append(v)
            else:
                r.diagnostics.append(diag("CM006", k.span, kernel=k.name, target=target, reason=llm.reason))
                r.llm = llm.to_json()  # type: ignore[attr-defined]
                out.append(r if mode == "auto" or r.status != "pass" else r)
    return out
