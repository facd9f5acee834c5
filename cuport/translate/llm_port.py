"""The LLM step of `cuport port --llm [auto|always] [--optimize]`, after the rules have run.

    llm_port_file(session, request, kernels) -> LLMFileStep

`kernels` are the port command's per-kernel records (dicts: kernel, status, how, ...); they are
updated in place. An accepted LLM port or a kept optimisation is a file written beside the rule
output (`PortedFile`), and the record says how it was made (`how="llm"`, model, attempts, tokens,
cost, cache hits). Nothing is accepted unverified: a kernel without a launch spec is skipped with
the reason, because its answers could not be checked.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cuport.targets.base import PortedFile, get_target
from cuport.translate.llm_loop import KernelJob, LLMSession, port_kernel
from cuport.translate.llm_optimize import current_source, optimize_kernel
from cuport.verify.bench import BenchOptions, Side
from cuport.verify.ported import port_for_verification
from cuport.verify.protocol import Artifact
from cuport.verify.spec import KernelSpec, SpecError, load_spec, spec_path_for


@dataclass(frozen=True)
class LLMPortRequest:
    source: Path
    target: str
    mode: str | None  # None (rules only), "auto" or "always"
    optimize: bool
    includes: tuple[Path, ...] = ()
    defines: tuple[tuple[str, str], ...] = ()
    warp_size: int = 32
    seed: int = 0
    timeout_s: float = 60.0
    bench: BenchOptions = BenchOptions(reps=9, warmup=2)


@dataclass
class LLMFileStep:
    files: list[PortedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def llm_port_file(session: LLMSession, req: LLMPortRequest, kernels: list[dict[str, object]]) -> LLMFileStep:
    step = LLMFileStep()
    wanted = [k for k in kernels if _wants_port(req.mode, k) or (req.optimize and k["status"] == "ported")]
    if not wanted:
        return step
    specs = _specs(req.source)
    if isinstance(specs, str):
        for k in wanted:
            k["llm"] = {"status": "skipped", "reason": specs}
        step.notes.append(f"LLM skipped for {req.source}: {specs}")
        return step
    from cuport.verify.cpu_cuda import CpuCudaRunner  # heavy: only when an LLM step runs

    original = CpuCudaRunner()
    runner = get_target(req.target).runner(warp_size=req.warp_size)
    with tempfile.TemporaryDirectory(prefix=f"cuport-llm-port-{req.target}-") as tmp:
        work = Path(tmp)
        for k in wanted:
            kspec = specs.get(str(k["kernel"]))
            if kspec is None:
                k["llm"] = {"status": "skipped", "reason": f"no table for {k['kernel']} in {spec_path_for(req.source).name}"}
                continue
            art = Artifact(req.source, "cuda", tuple(sorted({**dict(req.defines), **kspec.defines}.items())),
                           tuple(kspec.includes) + tuple(p.resolve() for p in req.includes))
            job = KernelJob(req.source, kspec, req.target, original, art, runner, work / "llm",
                            rule_summary=_rule_summary(k), seed=req.seed, timeout_s=req.timeout_s)
            current: Side | None = None
            if _wants_port(req.mode, k):
                llm = port_kernel(session, job)
                k["llm"] = llm.to_json()
                if llm.status == "ported":
                    k.update(status="ported", how="llm", file=llm.relpath, reason="")
                    step.files.append(PortedFile(llm.relpath, llm.code))
                    current = Side(req.target, runner, Artifact(work / "llm" / llm.relpath, req.target, art.defines,
                                                                art.includes), how="llm")
                else:
                    step.notes.append(f"kernel {k['kernel']}: LLM: {llm.reason}")
            if req.optimize and k["status"] == "ported":
                current = current or _rule_side(req, kspec, art, runner, work / f"rule-{len(step.files)}-{k['kernel']}")
                _optimize(session, req, job, current, k, step, work)
    return step


def _wants_port(mode: str | None, k: dict[str, object]) -> bool:
    return mode == "always" or (mode == "auto" and k["status"] != "ported")


def _rule_summary(k: dict[str, object]) -> str:
    if k["status"] == "ported":
        return "the rules ported this kernel"
    return f"{str(k['status']).replace('_', ' ')}: {k.get('reason') or 'no reason given'}"


def _specs(source: Path) -> dict[str, KernelSpec] | str:
    path = spec_path_for(source)
    if not path.is_file():
        return f"no launch spec ({path.name}): LLM answers cannot be verified without one"
    try:
        spec = load_spec(path)
    except SpecError as exc:
        return str(exc)
    out: dict[str, KernelSpec] = {}
    for k in spec.kernels.values():
        out.setdefault(k.name, k)
        out.setdefault(k.base_name, k)
    return out


def _rule_side(req: LLMPortRequest, kspec: KernelSpec, art: Artifact, runner, workdir: Path) -> Side | None:  # noqa: ANN001
    ported = port_for_verification(req.source, req.target, [kspec], art, req.warp_size, workdir)
    if isinstance(ported, str) or not ported.artifact:
        return None
    return Side(req.target, runner, Artifact(workdir / ported.artifact, req.target, art.defines, art.includes), how="rule")


def _optimize(session: LLMSession, req: LLMPortRequest, job: KernelJob, current: Side | None,
              k: dict[str, object], step: LLMFileStep, work: Path) -> None:
    if current is None or current.artifact is None:
        k["optimize"] = {"status": "rejected", "reason": "the current port could not be rebuilt to time it"}
        return
    text = current_source(req.target, current.artifact.path.read_text("utf-8"))
    job = KernelJob(job.source, job.kspec, job.target, job.original, job.original_artifact, job.port_runner,
                    work / "optimize", rule_summary="a verified port exists (below)", seed=job.seed,
                    timeout_s=job.timeout_s, current=text)
    opt = optimize_kernel(session, job, current, BenchOptions(req.bench.reps, req.bench.warmup, req.seed,
                                                               timeout_s=req.timeout_s))
    k["optimize"] = opt.to_json()
    if opt.status == "kept" and opt.llm is not None:
        relpath = opt.llm.relpath.replace("_llm.py", "_llm_fast.py").replace(".llm.cl", ".llm-fast.cl")
        step.files.append(PortedFile(relpath, opt.llm.code))
        k.update(how="llm", file=relpath)
    step.notes.append(f"kernel {k['kernel']}: optimize: {opt.status}: {opt.reason}")
