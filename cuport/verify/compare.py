"""Comparing an output of the port with the original's: structure first, then values.

Shape, dtype and element count must be equal before any value is looked at. Integers and bools
must be equal exactly. Floats pass where |actual - expected| <= atol + rtol * |expected|
(numpy's allclose rule) with per-dtype defaults the spec may override; NaN and Inf positions
(and Inf signs) must be identical, because a port that turns a NaN into 0 is not the same
program.

Buffers of user structs (numpy structured dtypes of the struct's fields) are compared field by
field, each by its own type's rule; padding is no field, so it is never compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# rtol, atol per dtype. float32 is looser than its epsilon because ports legitimately reorder
# reductions and contract FMAs differently; float16 accumulates in float32 on most targets.
DEFAULT_TOLERANCE: dict[str, tuple[float, float]] = {
    "float16": (1e-2, 1e-3),
    "bfloat16": (2e-2, 1e-2),
    "float32": (1e-4, 1e-5),
    "float64": (1e-9, 1e-12),
}


@dataclass(frozen=True)
class Mismatch:
    index: tuple[int, ...]
    expected: float | int
    actual: float | int
    field: str | None = None  # the struct field, for buffers of structs

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"index": list(self.index), "expected": _json_num(self.expected),
                                  "actual": _json_num(self.actual)}
        if self.field is not None:
            out["field"] = self.field
        return out


def _json_num(v: float | int) -> float | int | str:
    if isinstance(v, float) and not np.isfinite(v):
        return str(v)  # JSON has no NaN/Inf
    return v


@dataclass(frozen=True)
class Comparison:
    ok: bool
    count: int = 0  # elements compared
    mismatches: int = 0
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    first_mismatch: Mismatch | None = None
    reason: str = ""  # for structural failures, and a one-line summary otherwise


def tolerance_for(dtype: str, rtol: float | None = None, atol: float | None = None) -> tuple[float, float]:
    base = dtype.split("x", 1)[0] if "x" in dtype and not dtype.startswith("x") else dtype
    d_rtol, d_atol = DEFAULT_TOLERANCE.get(base, (0.0, 0.0))
    return (d_rtol if rtol is None else rtol, d_atol if atol is None else atol)


def compare(expected: np.ndarray, actual: np.ndarray, rtol: float | None = None, atol: float | None = None) -> Comparison:
    if expected.dtype != actual.dtype:
        return Comparison(False, reason=f"dtype differs: expected {expected.dtype}, got {actual.dtype}")
    if expected.shape != actual.shape:
        return Comparison(False, reason=f"shape differs: expected {expected.shape}, got {actual.shape}")
    if expected.dtype.names:
        return _compare_fields(expected, actual, rtol, atol)
    n = int(expected.size)
    if n == 0:
        return Comparison(True, 0)
    if expected.dtype.kind != "f":
        bad = expected != actual
        count = int(np.count_nonzero(bad))
        if not count:
            return Comparison(True, n)
        e64, a64 = expected.astype(np.float64), actual.astype(np.float64)
        abs_err = float(np.max(np.abs(e64 - a64)))
        rel = np.abs(e64 - a64) / np.maximum(np.abs(e64), 1e-300)
        return _mismatch(expected, actual, bad, n, count, abs_err, float(np.max(rel)))

    r, a = tolerance_for(str(expected.dtype), rtol, atol)
    e64, a64 = expected.astype(np.float64), actual.astype(np.float64)
    e_nan, a_nan = np.isnan(e64), np.isnan(a64)
    e_inf, a_inf = np.isinf(e64), np.isinf(a64)
    finite = ~(e_nan | a_nan | e_inf | a_inf)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.where(finite, np.abs(e64 - a64), 0.0)
    bad = (e_nan != a_nan) | (e_inf != a_inf) | (e_inf & a_inf & (np.sign(e64) != np.sign(a64)))
    bad |= finite & (diff > a + r * np.abs(e64))
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(finite & (diff > 0), diff / np.abs(e64), 0.0)
    abs_err = float(diff.max())
    rel_err = float(rel.max())
    count = int(np.count_nonzero(bad))
    if not count:
        return Comparison(True, n, 0, abs_err, rel_err)
    return _mismatch(expected, actual, bad, n, count, abs_err, rel_err)


def _compare_fields(expected: np.ndarray, actual: np.ndarray, rtol: float | None, atol: float | None) -> Comparison:
    """Each field by its own rule; the first mismatch is the one of the lowest struct index."""
    parts = [(name, compare(expected[name], actual[name], rtol, atol)) for name in expected.dtype.names or ()]
    count = sum(c.count for _, c in parts)
    abs_err = max((c.max_abs_err for _, c in parts), default=0.0)
    rel_err = max((c.max_rel_err for _, c in parts), default=0.0)
    bad = [(name, c) for name, c in parts if not c.ok]
    if not bad:
        return Comparison(True, count, 0, abs_err, rel_err)
    name, first = min(bad, key=lambda nc: nc[1].first_mismatch.index if nc[1].first_mismatch else ())
    mismatches = sum(c.mismatches for _, c in bad)
    fm = first.first_mismatch
    if fm is None:
        return Comparison(False, count, mismatches, abs_err, rel_err, None, f"field '{name}': {first.reason}")
    fm = Mismatch(fm.index, fm.expected, fm.actual, name)
    fields = ", ".join(f"'{n}'" for n, _ in bad)
    reason = (f"{mismatches} value(s) differ in field(s) {fields} of {expected.shape[0]} struct(s); first at "
              f"[{fm.index[0]}].{name}{list(fm.index[1:]) if len(fm.index) > 1 else ''}: "
              f"expected {fm.expected!r}, got {fm.actual!r}")
    return Comparison(False, count, mismatches, abs_err, rel_err, fm, reason)


def _mismatch(
    expected: np.ndarray, actual: np.ndarray, bad: np.ndarray, n: int, count: int, abs_err: float, rel_err: float
) -> Comparison:
    flat = int(np.flatnonzero(bad.reshape(-1))[0])
    index = tuple(int(i) for i in np.unravel_index(flat, expected.shape))
    ev, av = expected[index].item(), actual[index].item()
    first = Mismatch(index, ev, av)
    reason = f"{count} of {n} element(s) differ; first at {list(index)}: expected {ev!r}, got {av!r}"
    return Comparison(False, n, count, abs_err, rel_err, first, reason)


def rejects(expected: np.ndarray, decoy: np.ndarray, rtol: float | None, atol: float | None) -> bool:
    """Would the comparison reject `decoy` as an answer? (Used to tell weak test cases.)"""
    if decoy.shape != expected.shape or decoy.dtype != expected.dtype:
        return True
    return not compare(expected, decoy, rtol, atol).ok
