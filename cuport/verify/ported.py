"""Port a source to a target, then verify each ported kernel against the original.

Used by `cuport verify --to T` and `cuport port --verify`. The port is written to a private
temporary folder (never beside the user's files) and run by the target's own runner; a kernel the
target could not port is `unverified` with the target's reason, never silently skipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cuport.diagnostics import diag
from cuport.parse.reader import read_source
from cuport.result import Ok
from cuport.targets.base import PortRequest, PortResult, get_target
from cuport.verify.differential import VerifyResult, verify_kernel
from cuport.verify.protocol import Artifact, Runner
from cuport.verify.spec import KernelSpec


def port_for_verification(
    source: Path, target: str, kernels: list[KernelSpec], art: Artifact, warp_size: int, workdir: Path
) -> PortResult | str:
    """Port `source` for `kernels`; write its files under `workdir`. A string is the reason it failed."""
    read = read_source(source)
    if not isinstance(read, Ok):
        return f"cannot read {source}: {read.reason}"
    request = PortRequest(source, tuple(k.name for k in kernels), art.defines, art.includes, warp_size,
                          project=art.sources)
    try:
        result = get_target(target).port_file(read.value, request)
    except Exception as exc:  # an emitter bug must not stop the batch
        return f"the {target} emitter failed: {type(exc).__name__}: {exc}"
    for f in result.files:
        dest = workdir / f.relpath
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(f.content, "utf-8")
    return result


def verify_target(
    original: Runner,
    art: Artifact,
    kernels: list[KernelSpec],
    target: str,
    *,
    trials: int | None,
    seed: int,
    timeout_s: float,
    warp_size: int = 32,
    keep_dir: Path | None = None,
) -> list[VerifyResult]:
    """Every kernel of one source against its `target` port."""
    with tempfile.TemporaryDirectory(prefix=f"cuport-{target}-") as tmp:
        workdir = keep_dir or Path(tmp)
        ported = port_for_verification(art.path, target, kernels, art, warp_size, workdir)
        if isinstance(ported, str):
            return [_unverified(k, art.path, target, ported) for k in kernels]
        by_name = {kp.kernel: kp for kp in ported.kernels}
        runner = get_target(target).runner(warp_size=warp_size)
        port_art = Artifact(workdir / ported.artifact, target, art.defines, art.includes) if ported.artifact else None
        label = target if warp_size == 32 else f"{target} (warp {warp_size})"
        results = []
        for k in kernels:
            kp = by_name.get(k.name) or by_name.get(k.base_name)
            if kp is None:
                results.append(_unverified(k, art.path, label, f"the {target} port does not mention this kernel"))
            elif kp.status != "ported" or port_art is None:
                reason = kp.reason or f"not ported to {target}"
                results.append(_unverified(k, art.path, label, f"{kp.status.replace('_', ' ')}: {reason}"))
            else:
                n = trials or max(k.trial_count, 2)
                r = verify_kernel(original, runner, art, port_art, k, n, seed, target=label, timeout_s=timeout_s)
                r.how = kp.how
                r.rules = list(kp.rules)
                results.append(r)
        return results


def _unverified(k: KernelSpec, source: Path, target: str, reason: str) -> VerifyResult:
    d = diag("CV003", k.span, reason=reason)
    return VerifyResult(k.name, target, "unverified", reason=reason, file=str(source), diagnostics=[d])
