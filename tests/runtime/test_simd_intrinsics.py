"""The CPU runtime's SIMD video intrinsics (`__vaddss2`, `__vcmpgtu4`, `__viaddmax_s16x2`, ...), the
reference every port of them is compared against, checked lane by lane against numpy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from cuport.verify.protocol import Artifact, Launch, RunRequest

from .conftest import buffer, empty, payload

KERNELS = Path(__file__).parent / "kernels" / "simd.cu"
N = 512
Lanes = np.ndarray


def lanes(words: np.ndarray, bits: int, signed: bool) -> Lanes:
    """(n, 32 / bits) int64 lanes of uint32 words, lowest lane first."""
    shifts = np.arange(0, 32, bits, dtype=np.uint64)
    u = (words.astype(np.uint64)[:, None] >> shifts) & np.uint64((1 << bits) - 1)
    v = u.astype(np.int64)
    return np.where(v >= 1 << (bits - 1), v - (1 << bits), v) if signed else v


def pack(values: Lanes, bits: int) -> np.ndarray:
    masked = (values.astype(np.int64) & ((1 << bits) - 1)).astype(np.uint64)
    return (masked << np.arange(0, 32, bits, dtype=np.uint64)).sum(axis=1).astype(np.uint32)


def sat(v: Lanes, bits: int, signed: bool) -> Lanes:
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return np.clip(v, lo, hi)


def wrap(v: Lanes, bits: int, signed: bool) -> Lanes:
    u = v & ((1 << bits) - 1)
    return np.where(u >= 1 << (bits - 1), u - (1 << bits), u) if signed else u


Op = Callable[[Lanes, Lanes, Lanes, int], Lanes]  # lanes x, y, z and the lane width in bits


def _avg_away(x: Lanes, y: Lanes) -> Lanes:
    s = x + y
    return np.where(s >= 0, (s + 1) // 2, -((-s + 1) // 2))  # halves rounded away from zero


# (stem, signed lanes, per-lane result); the stem takes the suffix 2 (16-bit lanes) and 4 (8-bit)
PAIR_OPS: list[tuple[str, bool, Op]] = [
    ("vabs", True, lambda x, y, z, b: np.abs(x)),
    ("vabsss", True, lambda x, y, z, b: sat(np.abs(x), b, True)),
    ("vneg", True, lambda x, y, z, b: -x),
    ("vnegss", True, lambda x, y, z, b: sat(-x, b, True)),
    ("vabsdiffs", True, lambda x, y, z, b: np.abs(x - y)),
    ("vabsdiffu", False, lambda x, y, z, b: np.abs(x - y)),
    ("vadd", False, lambda x, y, z, b: x + y),
    ("vaddss", True, lambda x, y, z, b: sat(x + y, b, True)),
    ("vaddus", False, lambda x, y, z, b: sat(x + y, b, False)),
    ("vavgs", True, lambda x, y, z, b: _avg_away(x, y)),
    ("vavgu", False, lambda x, y, z, b: (x + y + 1) // 2),
    ("vhaddu", False, lambda x, y, z, b: (x + y) // 2),
    ("vmaxs", True, lambda x, y, z, b: np.maximum(x, y)),
    ("vmaxu", False, lambda x, y, z, b: np.maximum(x, y)),
    ("vmins", True, lambda x, y, z, b: np.minimum(x, y)),
    ("vminu", False, lambda x, y, z, b: np.minimum(x, y)),
    ("vsub", False, lambda x, y, z, b: x - y),
    ("vsubss", True, lambda x, y, z, b: sat(x - y, b, True)),
    ("vsubus", False, lambda x, y, z, b: sat(x - y, b, False)),
]
SAD_OPS = [("vsads", True), ("vsadu", False)]
COMPARISONS = [("eq", False, np.equal), ("ne", False, np.not_equal), ("ges", True, np.greater_equal),
               ("geu", False, np.greater_equal), ("gts", True, np.greater), ("gtu", False, np.greater),
               ("les", True, np.less_equal), ("leu", False, np.less_equal), ("lts", True, np.less),
               ("ltu", False, np.less)]  # fmt: skip
# the sm_90 forms on 16-bit lanes: (name, signed, per-lane result)
HALF_OPS: list[tuple[str, bool, Op]] = []
for _kind, _pick in (("max", np.maximum), ("min", np.minimum)):
    HALF_OPS += [
        (f"viadd{_kind}_s16x2", True, lambda x, y, z, b, f=_pick: f(wrap(x + y, 16, True), z)),
        (
            f"viadd{_kind}_s16x2_relu",
            True,
            lambda x, y, z, b, f=_pick: np.maximum(f(wrap(x + y, 16, True), z), 0),
        ),
        (f"viadd{_kind}_u16x2", False, lambda x, y, z, b, f=_pick: f(wrap(x + y, 16, False), z)),
    ]
for _kind, _pick in (("max", np.maximum), ("min", np.minimum)):
    HALF_OPS += [
        (f"vi{_kind}3_s16x2", True, lambda x, y, z, b, f=_pick: f(f(x, y), z)),
        (f"vi{_kind}3_s16x2_relu", True, lambda x, y, z, b, f=_pick: np.maximum(f(f(x, y), z), 0)),
        (f"vi{_kind}3_u16x2", False, lambda x, y, z, b, f=_pick: f(f(x, y), z)),
    ]
HALF_OPS += [
    ("vimax_s16x2_relu", True, lambda x, y, z, b: np.maximum(np.maximum(x, y), 0)),
    ("vimin_s16x2_relu", True, lambda x, y, z, b: np.maximum(np.minimum(x, y), 0)),
]


def word_references(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(intrinsic, expected words) in the column order of simd.cu's `simd_words`."""
    out: list[tuple[str, np.ndarray]] = []

    def lanewise(name: str, bits: int, signed: bool, op: Op) -> None:
        x, y, z = (lanes(v, bits, signed) for v in (a, b, c))
        out.append((name, pack(op(x, y, z, bits), bits)))

    for stem, signed, op in PAIR_OPS:
        for suffix, bits in (("2", 16), ("4", 8)):
            lanewise(f"__{stem}{suffix}", bits, signed, op)
    for stem, signed in SAD_OPS:
        for suffix, bits in (("2", 16), ("4", 8)):
            diff = np.abs(lanes(a, bits, signed) - lanes(b, bits, signed))
            out.append((f"__{stem}{suffix}", diff.sum(axis=1).astype(np.uint32)))
    for stem, signed, cmp in COMPARISONS:
        for suffix, bits in (("2", 16), ("4", 8)):  # __vcmp*: an all-ones lane where it holds
            lanewise(
                f"__vcmp{stem}{suffix}", bits, signed, lambda x, y, z, b, f=cmp: np.where(f(x, y), -1, 0)
            )
        for suffix, bits in (("2", 16), ("4", 8)):  # __vset*: a lane holding 1
            lanewise(
                f"__vset{stem}{suffix}", bits, signed, lambda x, y, z, b, f=cmp: f(x, y).astype(np.int64)
            )
    for name, signed, op in HALF_OPS:
        lanewise(f"__{name}", 16, signed, op)
    return out


def words(rng: np.random.Generator) -> np.ndarray:
    """Random words with the lane edge values (0, 1, the signed and unsigned extremes) mixed in."""
    edges = np.array([0x00000000, 0xFFFFFFFF, 0x80008000, 0x7FFF7FFF, 0x80808080, 0x7F7F7F7F, 0x00010001,
                      0x01010101, 0xFFFF0000, 0x8001FF7F], np.uint32)  # fmt: skip
    r = rng.integers(0, 2**32, N, dtype=np.uint64).astype(np.uint32)
    r[: 3 * len(edges)] = np.tile(edges, 3)[rng.permutation(3 * len(edges))]
    return r


@pytest.fixture(scope="module")
def prepared(runner):
    return runner.prepare(Artifact(KERNELS, "cuda"), ["simd_words", "simd_ints"])


def run(runner, prepared, kernel: str, inputs: list[np.ndarray], width: int, dtype: str) -> np.ndarray:
    req = RunRequest(Launch(kernel, (N // 128, 1, 1), (128, 1, 1), 0),
                     [*(buffer(v) for v in inputs), empty(width * N, dtype), N])  # fmt: skip
    outcome = runner.run(prepared, req)
    assert outcome.status == "ok", outcome.message
    return payload(outcome.buffers[3], dtype).reshape(N, width)


def test_word_intrinsics_match_numpy_lane_by_lane(runner, prepared):
    rng = np.random.default_rng(7)
    a, b, c = words(rng), words(rng), words(rng)
    b[:40] = a[:40]  # equal lanes, for the comparisons
    refs = word_references(a, b, c)
    got = run(runner, prepared, "simd_words", [a, b, c], len(refs), "uint32")
    wrong = [name for k, (name, want) in enumerate(refs) if not np.array_equal(got[:, k], want)]
    assert wrong == []


def test_documented_examples():
    """The CUDA math API's own example, through the reference: __vcmpges2(0x1234aba5, 0x1234aba6)."""
    refs = dict(word_references(np.array([0x1234ABA5], np.uint32), np.array([0x1234ABA6], np.uint32),
                                np.zeros(1, np.uint32)))  # fmt: skip
    assert refs["__vcmpges2"][0] == 0xFFFF0000 and refs["__vsetges2"][0] == 0x00010000


def test_int_forms_and_predicates(runner, prepared):
    rng = np.random.default_rng(11)
    edge = np.array([0, 1, -1, 2**31 - 1, -(2**31), 5, -5], np.int64)
    a, b, c = (
        np.concatenate([edge, rng.integers(-(2**31), 2**31, N - len(edge))]).astype(np.int32)
        for _ in range(3)
    )
    b[:20] = a[:20]
    got = run(runner, prepared, "simd_ints", [a, b, c], 16, "int32").astype(np.int64)
    x, y, z = a.astype(np.int64), b.astype(np.int64), c.astype(np.int64)
    ux, uy, uz = x & 0xFFFFFFFF, y & 0xFFFFFFFF, z & 0xFFFFFFFF
    s, us = wrap(x + y, 32, True), wrap(ux + uy, 32, False)
    hx, hy = lanes(a.view(np.uint32), 16, True), lanes(b.view(np.uint32), 16, True)
    gx, gy = lanes(a.view(np.uint32), 16, False), lanes(b.view(np.uint32), 16, False)
    want = [
        np.maximum(s, z),
        np.maximum(np.maximum(s, z), 0),
        np.maximum(us, uz),
        np.minimum(s, z),
        np.maximum(np.minimum(s, z), 0),
        np.minimum(us, uz),
        np.maximum(np.maximum(np.maximum(x, y), z), 0),
        np.minimum(np.minimum(ux, uy), uz),
        np.maximum(np.minimum(x, y), 0),
        np.maximum(x, y) * 2 + (x >= y),
        np.minimum(ux, uy) + (ux <= uy),
        pack(np.maximum(hx, hy), 16),
        2 * (hx[:, 1] >= hy[:, 1]) + (hx[:, 0] >= hy[:, 0]),
        pack(np.minimum(gx, gy), 16),
        2 * (gx[:, 1] <= gy[:, 1]) + (gx[:, 0] <= gy[:, 0]),
        np.maximum(np.maximum(x, y), z),
    ]
    for k, w in enumerate(want):
        assert np.array_equal(got[:, k], wrap(np.asarray(w, np.int64), 32, True)), k
