"""The OpenCL helper functions (helpers.cl), instantiated by name and emitted only when used."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_UNSIGNED = {"float": "uint", "double": "ulong", "int": "uint", "uint": "uint", "long": "ulong", "ulong": "ulong"}
_CMPXCHG = {4: "atomic_cmpxchg", 8: "atom_cmpxchg"}
_WIDTH = {"float": 4, "int": 4, "uint": 4, "double": 8, "long": 8, "ulong": 8}

# lane arithmetic of the four shuffles (PTX shfl.sync with a segment of `width` lanes)
_SHFL = {
    "idx": ("base + (lane_arg & (width - 1))", "1"),
    "up": ("lane - lane_arg", "(lane - base) >= lane_arg"),
    "down": ("lane + lane_arg", "(lane - base) + lane_arg < width"),
    "xor": ("lane ^ lane_arg", "(lane ^ lane_arg) >= base && (lane ^ lane_arg) < base + width"),
}
_VOTE = {"ballot": "ballot", "any": "(uint)(ballot != 0)", "all": "(uint)(ballot == ((n >= 32 ? 0u : (1u << n)) - 1u))",
         "activemask": "(n >= 32 ? 0xffffffffu : (1u << n) - 1u)"}
_REDUCE = {"add": "acc + b", "min": "min(acc, b)", "max": "max(acc, b)", "and": "acc & b", "or": "acc | b", "xor": "acc ^ b"}
_SYNC = {"count": "acc", "and": "acc == (int)n", "or": "acc != 0"}
_UPDATE = {
    "add": "old + val", "sub": "old - val", "exch": "val", "min": "(val < old ? val : old)", "max": "(val > old ? val : old)",
    "inc": "(old >= val ? 0 : old + 1)", "dec": "((old == 0 || old > val) ? val : old - 1)",
}  # fmt: skip


@cache
def _sections() -> dict[str, tuple[str, tuple[str, ...]]]:
    text = resources.files("cuport.targets.opencl").joinpath("helpers.cl").read_text("utf-8")
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for chunk in re.split(r"^//@ ", text, flags=re.M)[1:]:
        head, _, body = chunk.partition("\n")
        family, _, needs = head.partition(" needs: ")
        out[family.strip()] = (body.strip() + "\n", tuple(n.strip() for n in needs.split(",") if n.strip()))
    return out


class UnknownHelper(KeyError):
    pass


def _fill(family: str, **values: str) -> tuple[str, tuple[str, ...]]:
    body, needs = _sections()[family]
    for key, value in values.items():
        body = body.replace("{" + key + "}", value)
    return body, needs


def helper_source(name: str) -> tuple[str, tuple[str, ...]]:
    """(source, families it needs first) of the helper `name`; UnknownHelper if there is none."""
    if m := re.fullmatch(r"cuport_shfl_(idx|up|down|xor)_(\w+)", name):
        src, ok = _SHFL[m[1]]
        return _fill("shfl", KIND=m[1], T=m[2], SRC=src, OK=ok)
    if m := re.fullmatch(r"cuport_vote_(ballot|any|all|activemask)", name):
        return _fill("vote", KIND=m[1], COMBINE=_VOTE[m[1]])
    if m := re.fullmatch(r"cuport_reduce_(add|min|max|and|or|xor)_(\w+)", name):
        return _fill("reduce", OP=m[1], T=m[2], COMBINE=_REDUCE[m[1]])
    if m := re.fullmatch(r"cuport_syncthreads_(count|and|or)", name):
        return _fill("syncthreads", KIND=m[1], COMBINE=_SYNC[m[1]])
    if m := re.fullmatch(r"cuport_atomic_cas_(\w+)_(global|local)", name):
        ty, sp = m[1], m[2]
        return _fill("atomic_cas", T=ty, SP=sp, U=_UNSIGNED[ty], CMPXCHG=_CMPXCHG[_WIDTH[ty]])
    if m := re.fullmatch(r"cuport_atomic_(\w+?)_(float|double|int|uint|long|ulong)_(global|local)", name):
        op, ty, sp = m[1], m[2], m[3]
        if op not in _UPDATE:
            raise UnknownHelper(name)
        return _fill("atomic", OP=op, T=ty, SP=sp, U=_UNSIGNED[ty], CMPXCHG=_CMPXCHG[_WIDTH[ty]], UPDATE=_UPDATE[op])
    if m := re.fullmatch(r"cuport_half_round(2|4|8|16)?", name):
        return _fill("half_round", N=m[1] or "", W=m[1] or "1")
    if m := re.fullmatch(r"cuport_(ffs|brev)_(\w+)", name):
        return _fill(m[1], T=m[2])
    raise UnknownHelper(name)


def emit_helpers(names: set[str]) -> str:
    """The source of the named helpers and what they need, dependencies first, in a stable order."""
    parts: list[str] = []
    seen: set[str] = set()
    for name in sorted(names):
        body, needs = helper_source(name)
        for family in needs:
            if family not in seen:
                seen.add(family)
                parts.append(_sections()[family][0])
        parts.append(body)
    # dependencies first: move the shared families to the front, keep the rest in name order
    shared = [_sections()[f][0] for f in sorted(seen)]
    rest = [p for p in parts if p not in shared]
    return "\n".join(shared + rest)
