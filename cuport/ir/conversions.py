"""C++ conversion rules on IR types: integer promotion and the usual arithmetic conversions.

The lowering calls these to make every implicit conversion an explicit `Cast(implicit=True)`,
so targets never have to re-derive C semantics (a Triton or OpenCL emitter sees the exact type
each operation computes in).
"""

from __future__ import annotations

from cuport.ir.types import F32, I32, I64, U32, U64, Scalar, ScalarKind

# Conversion rank of integer kinds (C++ [conv.rank]); unsigned shares its signed partner's rank.
_RANK = {
    ScalarKind.BOOL: 0, ScalarKind.I8: 1, ScalarKind.U8: 1, ScalarKind.I16: 2, ScalarKind.U16: 2,
    ScalarKind.I32: 3, ScalarKind.U32: 3, ScalarKind.I64: 4, ScalarKind.U64: 4,
}  # fmt: skip
_FLOAT_RANK = {ScalarKind.F16: 1, ScalarKind.BF16: 1, ScalarKind.F32: 2, ScalarKind.F64: 3}
_TO_UNSIGNED = {ScalarKind.I32: U32, ScalarKind.I64: U64}


def promote(t: Scalar) -> Scalar:
    """Integer promotion: every integer type narrower than int becomes int; others are kept."""
    if t.kind.is_integer and _RANK[t.kind] < _RANK[ScalarKind.I32]:
        return I32
    return t


def common_type(a: Scalar, b: Scalar) -> Scalar:
    """The usual arithmetic conversions of a binary operator's operands.

    Half types: CUDA's __half operators compute in __half when both sides are __half, and a mix with
    float goes through the float conversion operator, so the wider float type wins as for float/double.
    """
    if a.kind.is_float or b.kind.is_float:
        if not b.kind.is_float:
            return a
        if not a.kind.is_float:
            return b
        if a.kind != b.kind and _FLOAT_RANK[a.kind] == _FLOAT_RANK[b.kind]:
            return F32  # __half with __nv_bfloat16: both convert to float
        return a if _FLOAT_RANK[a.kind] >= _FLOAT_RANK[b.kind] else b
    a, b = promote(a), promote(b)
    if a == b:
        return a
    if a.kind.is_signed == b.kind.is_signed:
        return a if _RANK[a.kind] >= _RANK[b.kind] else b
    signed, unsigned = (a, b) if a.kind.is_signed else (b, a)
    if _RANK[unsigned.kind] >= _RANK[signed.kind]:
        return unsigned
    if signed.kind.bits > unsigned.kind.bits:
        return signed  # the signed type holds every value of the unsigned one (i64 vs u32)
    return _TO_UNSIGNED[signed.kind]


def int_literal_type(value: int, suffix: str, decimal: bool) -> Scalar:
    """Type of an integer literal (C++ [lex.icon]) on LP64: `long` is 64-bit like `long long`."""
    suffix = suffix.lower()
    unsigned = "u" in suffix
    is_long = "l" in suffix
    candidates: list[Scalar]
    if unsigned:
        candidates = [U64] if is_long else [U32, U64]
    elif decimal:
        candidates = [I64] if is_long else [I32, I64]
    else:  # hex and octal literals may become unsigned before growing
        candidates = [I64, U64] if is_long else [I32, U32, I64, U64]
    for t in candidates:
        if fits(value, t):
            return t
    return U64


def fits(value: int, t: Scalar) -> bool:
    bits = t.kind.bits
    if t.kind.is_signed:
        return -(1 << (bits - 1)) <= value < (1 << (bits - 1))
    return 0 <= value < (1 << bits)


def wrap(value: int, t: Scalar) -> int:
    """The value an integer computation leaves in type t (two's complement wrap-around)."""
    if t.kind == ScalarKind.BOOL:
        return int(value != 0)
    bits = t.kind.bits
    value &= (1 << bits) - 1
    if t.kind.is_signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value

