"""The differential harness: run the original and a port on the same fresh inputs and compare.

Runner-agnostic through `cuport.verify.protocol`. Inputs depend only on (seed, trial, argument),
never on the runner, so both sides see the same bytes; each side runs in its own process (the
runner's guarantee) and never sees the other's outputs. Around every run: guard zones, poisoned
outputs, input hashes (guards.py). Every case must be able to fail: an all-zero answer, a copy of
an input and another seed's answer are offered to the comparison and must be rejected, else the
result says the case is too weak (CV002).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cuport.diagnostics import Diagnostic, diag
from cuport.ir.layout import StructLayout, struct_name
from cuport.verify import expr, guards
from cuport.verify.compare import Comparison, Mismatch, compare, rejects
from cuport.verify.inputs import GeneratorError, element_bytes, generate, generate_struct, scalar
from cuport.verify.protocol import (
    ArgValue,
    Artifact,
    Buffer,
    ParamType,
    Prepared,
    Runner,
    RunOutcome,
    RunRequest,
)
from cuport.verify.spec import ArgSpec, KernelSpec, SpecError, check_signature
from cuport.verify.struct_args import (
    ParamLayouts,
    has_struct_buffers,
    kernel_struct_layouts,
    layout_disagreement,
)

Status = str  # "pass" | "fail" | "error" | "unverified"


@dataclass
class CaseRun:
    """One launch: `inputs` are the payloads before the run, `outputs` after it (typed views;
    None for scalars). `problems` are what the harness saw besides the values: out-of-bounds
    writes, unwritten outputs, changed inputs, a failed run."""

    sizes: dict[str, int]
    inputs: list[np.ndarray | int | float]
    outputs: list[np.ndarray | None]
    outcome: RunOutcome
    problems: list[str] = field(default_factory=list)
    output_flags: list[bool] = field(default_factory=list)  # which arguments are compared

    @property
    def ok(self) -> bool:
        return self.outcome.status == "ok" and not self.problems


@dataclass
class VerifyResult:
    """One kernel against one target; fields follow the `cuport.verify/1` schema."""

    kernel: str
    target: str
    status: Status
    trials: int = 0
    sizes: list[dict[str, int]] = field(default_factory=list)
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    mismatches: int = 0
    first_mismatch: dict[str, object] | None = None
    reason: str = ""
    device: str = ""
    file: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    weak: bool = False
    how: str = ""  # for target ports: "rule" or "llm"
    rules: list[str] = field(default_factory=list)  # the rules that made the port


def _rng(seed: int, trial: int, stream: int, index: int) -> np.random.Generator:
    # one independent stream per argument, so adding a constant never shifts the others
    return np.random.default_rng(np.random.SeedSequence([seed & 0xFFFFFFFF, trial, stream, index]))


def _scalar_value(a: ArgSpec, p: ParamType, sizes: dict[str, int], rng: np.random.Generator) -> int | float:
    if a.kind == "random":
        assert a.init is not None
        return scalar(a.init, p.dtype, rng, sizes)
    value = expr.evaluate(a.expr if a.expr is not None else 0, sizes)
    is_float = np.dtype(p.dtype.split("x")[0]).kind == "f" if p.dtype != "bool" else False
    return float(value) if is_float else int(value)


def _make_buffer(a: ArgSpec, dtype: str, sizes: dict[str, int], rng: np.random.Generator,
                 layout: StructLayout | None = None) -> tuple[int, np.ndarray | None]:
    count = expr.evaluate_int(a.length if a.length is not None else 0, sizes)
    if count < 0:
        raise expr.ExprError(f"len {a.length!r} is negative ({count}) for sizes {sizes}")
    if a.init is None:
        return count, None
    if layout is not None:
        return count, generate_struct(a.init, layout, count, rng, sizes)
    if not isinstance(a.init, str):
        raise GeneratorError(f"a table of generators by field needs a pointer to a struct, not {dtype}")
    return count, generate(a.init, dtype, count, rng, sizes)


def _struct_layout(layouts: ParamLayouts | None, i: int, p: ParamType) -> StructLayout | None:
    """The layout of parameter i when it points to a struct (ValueError when it is unknown)."""
    name = struct_name(p.dtype)
    if name is None:
        return None
    found = (layouts or {}).get(i, "its fields were not looked up")
    if isinstance(found, str):
        raise ValueError(f"argument {i + 1} points to struct {name}, whose layout is unknown: {found}")
    return found


def run_case(
    runner: Runner, prepared: Prepared, kspec: KernelSpec, trial: int, seed: int, *, timeout_s: float = 60,
    layouts: ParamLayouts | None = None,
) -> CaseRun:
    """One launch of `kspec` on `runner` with the inputs of (seed, trial), checked by the guards.
    `layouts`: those of the struct buffers (struct_args.kernel_struct_layouts)."""
    sizes = kspec.sizes_for(trial)
    empty = CaseRun(sizes, [], [], RunOutcome("error"))
    signature = runner.signature(prepared, kspec.name)
    mismatch = check_signature(kspec, signature)
    if mismatch:
        empty.outcome = RunOutcome("error", message=mismatch[0].message, diagnostics=tuple(mismatch))
        empty.problems.append(mismatch[0].message)
        return empty
    canary_rng = np.random.default_rng()  # fresh canaries every run: a port cannot learn them
    args: list[ArgValue] = []
    guarded: list[guards.GuardedBuffer | None] = []
    inputs: list[np.ndarray | int | float] = []
    flags: list[bool] = []
    try:
        launch = kspec.launch(sizes)
        for i, (a, p) in enumerate(zip(kspec.args, signature, strict=True)):
            rng = _rng(seed, trial, 0, i)
            if a.kind == "buffer":
                layout = _struct_layout(layouts, i, p)
                count, payload = _make_buffer(a, p.dtype, sizes, rng, layout)
                nbytes = count * (layout.size if layout is not None else element_bytes(p.dtype))
                g = guards.allocate(payload, p.dtype, nbytes, canary_rng, layout)
                guarded.append(g)
                args.append(g.buffer)
                inputs.append(guards.initial_view(g))
                flags.append(a.is_output(p))
            else:
                value = _scalar_value(a, p, sizes, rng)
                guarded.append(None)
                args.append(value)
                inputs.append(value)
                flags.append(False)
        constants: dict[str, Buffer] = {}
        for j, (cname, c) in enumerate(sorted(kspec.constants.items())):
            ctype = _constant_dtype(runner, prepared, cname)
            count, payload = _make_buffer(c, ctype, sizes, _rng(seed, trial, 1, j))
            g = guards.allocate(payload, ctype, count * element_bytes(ctype), canary_rng)
            constants[cname] = g.buffer
            known = getattr(prepared, "symbol_sizes", None)
            if isinstance(known, dict) and cname in known and known[cname] != g.buffer.nbytes:
                raise ValueError(
                    f"constant {cname}: the spec gives {g.buffer.nbytes} bytes ({count} x {ctype}), "
                    f"the symbol holds {known[cname]}"
                )
    except (expr.ExprError, GeneratorError, SpecError, ValueError) as exc:
        msg = exc.diagnostic.message if isinstance(exc, SpecError) else str(exc)
        empty.outcome = RunOutcome("error", message=f"building the inputs failed: {msg}")
        empty.problems.append(empty.outcome.message)
        return empty

    request = RunRequest(launch=launch, args=args, constants=constants, timeout_s=timeout_s, seed=seed * 1000 + trial)
    outcome = runner.run(prepared, request)
    run = CaseRun(sizes, inputs, [None] * len(args), outcome, output_flags=flags)
    if outcome.status != "ok":
        run.problems.append(f"run {outcome.status}: {outcome.message}".rstrip(": "))
        return run
    if len(outcome.buffers) != len(args):
        run.problems.append(f"the runner returned {len(outcome.buffers)} buffer(s) for {len(args)} argument(s)")
        return run
    for i, (g, after) in enumerate(zip(guarded, outcome.buffers, strict=True)):
        if g is None:
            continue
        what = f"argument {i + 1}"
        if after is None:
            run.problems.append(f"{what}: the runner returned no buffer")
            continue
        bad = guards.check_guards(g, after, what)
        run.problems.extend(bad)
        if bad and after.shape != (g.total_bytes,):
            continue
        run.outputs[i] = guards.payload_view(g, after)
        a, p = kspec.args[i], signature[i]
        if flags[i]:
            n = guards.unwritten(g, after)
            if n:
                run.problems.append(f"{what}: {n} element(s) of the output were never written")
        elif not a.scratch and guards.changed(g, after):
            kind = "const input" if p.const else "input (not marked out)"
            run.problems.append(f"{what}: the kernel changed this {kind}")
    return run


def _constant_dtype(runner: Runner, prepared: Prepared, name: str) -> str:
    # runners that know their symbols' types say so; otherwise assume float32 (the common case)
    lookup = getattr(runner, "symbol_dtype", None)
    if callable(lookup):
        found = lookup(prepared, name)
        if isinstance(found, str):
            return found
    return "float32"


def _prepare(runner: Runner, artifact: Artifact, kspec: KernelSpec) -> Prepared | RunOutcome:
    return runner.prepare(artifact, [kspec.name], tuple(sorted(kspec.constants)))


def compare_case(kspec: KernelSpec, signature: list[ParamType], expected: CaseRun, actual: CaseRun) -> list[tuple[int, Comparison]]:
    """Per compared argument, the comparison of the port's output with the original's."""
    out = []
    for i, flag in enumerate(expected.output_flags):
        if not flag:
            continue
        e, a = expected.outputs[i], actual.outputs[i]
        if e is None or a is None:
            out.append((i, Comparison(False, reason=f"argument {i + 1}: no output to compare")))
            continue
        out.append((i, compare(e, a, kspec.tolerance.rtol, kspec.tolerance.atol)))
    return out


def verify_kernel(
    original_runner: Runner,
    port_runner: Runner,
    original_artifact: Artifact,
    port_artifact: Artifact,
    kspec: KernelSpec,
    trials: int,
    seed: int,
    *,
    target: str | None = None,
    timeout_s: float = 60,
) -> VerifyResult:
    """Run both sides `trials` times on fresh seeded inputs and compare every output."""
    result = VerifyResult(
        kernel=kspec.name,
        target=target or port_artifact.target,
        status="error",
        device=port_runner.device if port_runner.device == original_runner.device else f"{original_runner.device}; {port_runner.device}",
        file=str(original_artifact.path),
    )

    orig = _prepare(original_runner, original_artifact, kspec)
    if isinstance(orig, RunOutcome):
        result.reason = f"the original does not build: {orig.message}"
        result.diagnostics.extend(orig.diagnostics)
        return result
    sig = original_runner.signature(orig, kspec.name)
    mismatch = check_signature(kspec, sig)
    if mismatch:
        result.reason = mismatch[0].message
        result.diagnostics.extend(mismatch)
        return result
    port = _prepare(port_runner, port_artifact, kspec)
    if isinstance(port, RunOutcome):
        result.status = "fail"
        result.reason = f"the port does not build: {port.message}"
        result.diagnostics.extend(port.diagnostics)
        return result
    port_sig = port_runner.signature(port, kspec.name)
    if [(p.kind, p.dtype) for p in port_sig] != [(p.kind, p.dtype) for p in sig]:
        result.status = "fail"
        result.reason = f"the port's parameters {_sig_text(port_sig)} differ from the original's {_sig_text(sig)}"
        return result
    layouts = kernel_struct_layouts(original_artifact, kspec.name, sig) if has_struct_buffers(sig) else {}
    for side, runner, prepared in (("original", original_runner, orig), ("port", port_runner, port)):
        disagreement = layout_disagreement(runner, prepared, kspec.name, layouts)
        if disagreement:
            result.status = "error" if side == "original" else "fail"
            result.reason = f"struct layout ({side}): {disagreement}"
            return result

    rejected: dict[str, bool] = {}  # decoy name -> rejected in some trial
    biggest = (-1, -1)  # (data size, trial) of the largest trial, for the other-seed decoy
    expected_runs: dict[int, CaseRun] = {}
    for trial in range(trials):
        expected = run_case(original_runner, orig, kspec, trial, seed, timeout_s=timeout_s, layouts=layouts)
        result.sizes.append(expected.sizes)
        result.trials = trial + 1
        if not expected.ok:
            result.status = "error"
            result.reason = f"trial {trial} {expected.sizes}: the original failed: {'; '.join(expected.problems)}"
            result.diagnostics.extend(expected.outcome.diagnostics)
            return result
        actual = run_case(port_runner, port, kspec, trial, seed, timeout_s=timeout_s, layouts=layouts)
        if not actual.ok:
            result.status = "fail"
            result.reason = f"trial {trial} {actual.sizes}: {'; '.join(actual.problems)}"
            result.diagnostics.extend(actual.outcome.diagnostics)
            result.diagnostics.append(diag("CV001", None, reason=result.reason))
            return result
        for i, cmp in compare_case(kspec, sig, expected, actual):
            result.max_abs_err = max(result.max_abs_err, cmp.max_abs_err)
            result.max_rel_err = max(result.max_rel_err, cmp.max_rel_err)
            if not cmp.ok:
                result.status = "fail"
                result.mismatches = cmp.mismatches
                if cmp.first_mismatch is not None:
                    result.first_mismatch = {"arg": i, **_mismatch_json(cmp.first_mismatch)}
                result.reason = f"trial {trial} {actual.sizes}, argument {i + 1}: {cmp.reason}"
                result.diagnostics.append(diag("CV001", None, reason=result.reason))
                return result
        _offer_decoys(kspec, expected, rejected)
        size = sum(o.size for o, f in zip(expected.outputs, expected.output_flags, strict=True) if f and o is not None)
        biggest = max(biggest, (size, trial))
        expected_runs[trial] = expected

    if biggest[1] >= 0:
        trial = biggest[1]
        other = run_case(original_runner, orig, kspec, trial, seed + 7919, timeout_s=timeout_s, layouts=layouts)
        if other.ok:
            base = expected_runs[trial]
            rejected["another seed's answer"] = any(
                flag and e is not None and o is not None and rejects(e, o, kspec.tolerance.rtol, kspec.tolerance.atol)
                for flag, e, o in zip(base.output_flags, base.outputs, other.outputs, strict=True)
            )
    result.status = "pass"
    _judge_weakness(result, rejected)
    return result


def _offer_decoys(kspec: KernelSpec, run: CaseRun, rejected: dict[str, bool]) -> None:
    """Record, per decoy answer, whether this trial's comparison would reject it."""
    r, a = kspec.tolerance.rtol, kspec.tolerance.atol
    for i, flag in enumerate(run.output_flags):
        e = run.outputs[i]
        if not flag or e is None or e.size == 0:
            continue
        key = f"all zeros (argument {i + 1})"
        rejected[key] = rejected.get(key, False) or rejects(e, np.zeros_like(e), r, a)
        for j, inp in enumerate(run.inputs):
            if kspec.args[j].kind == "buffer" and kspec.args[j].init is None:
                continue  # poison, not an input
            if isinstance(inp, np.ndarray) and inp.dtype == e.dtype:
                # a trial where the shapes differ rejects the copy too: a port that copies
                # cannot pass it (a reduction over n = 1 legitimately equals its input)
                key = f"a copy of argument {j + 1} (argument {i + 1})"
                rejected[key] = rejected.get(key, False) or rejects(e, inp, r, a)


def _judge_weakness(result: VerifyResult, rejected: dict[str, bool]) -> None:
    # A zero answer or another seed's answer passing means the case does not test the kernel:
    # the pass proves nothing, so it is "unverified". A copy of an input passing can be right
    # (copy kernels, or in-place outputs the kernel leaves alone): a warning only.
    weak = [k for k, v in rejected.items() if not v]
    if not weak:
        return
    result.weak = True
    reason = "the comparison would accept " + ", ".join(weak)
    result.diagnostics.append(diag("CV002", None, reason=reason))
    if any(not k.startswith("a copy of") for k in weak):
        result.status = "unverified"
        result.reason = diag("CV002", None, reason=reason).message
    elif not result.reason:
        result.reason = diag("CV002", None, reason=reason).message


def _mismatch_json(m: Mismatch) -> dict[str, object]:
    return m.to_json()


def _sig_text(sig: list[ParamType]) -> str:
    return "(" + ", ".join(f"{'const ' if p.const else ''}{p.dtype}{'*' if p.kind == 'pointer' else ''}" for p in sig) + ")"
