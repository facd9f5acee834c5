"""The math table (`math_ops.toml`) and the type words its rows use, shared by lowering and the
verifier so both read a row the same way."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from cuport.ir import types as t

WORD_TYPES: dict[str, t.Type] = {
    "bool": t.BOOL, "void": t.VOID, "i8": t.I8, "i16": t.I16, "i32": t.I32, "i64": t.I64, "u8": t.U8,
    "u16": t.U16, "u32": t.U32, "u64": t.U64, "f16": t.F16, "bf16": t.BF16, "f32": t.F32, "f64": t.F64,
    "f16x2": t.VECTOR_TYPES["__half2"], "bf16x2": t.VECTOR_TYPES["__nv_bfloat162"],
    "f32x2": t.VECTOR_TYPES["float2"], "tex": t.HANDLE_TYPES["cudaTextureObject_t"],
}  # fmt: skip
# "targ" (a result word): the call's one explicit template argument (`tex2D<float>(...)`).
# "H" / "H2": a 16-bit float scalar / 2-lane vector, bf16 when any argument is bf16-based (the
# bfloat16 overloads of __hadd2, __hmax, ...), else f16.
HALF_WORDS: dict[str, tuple[t.Type, t.Type]] = {
    "H": (t.F16, t.BF16),
    "H2": (t.VECTOR_TYPES["__half2"], t.VECTOR_TYPES["__nv_bfloat162"]),
}


@cache
def math_table() -> dict[str, dict]:
    return tomllib.loads(resources.files("cuport.ir").joinpath("math_ops.toml").read_text("utf-8"))


def is_bf16_based(ty: t.Type) -> bool:
    return (ty.elem if isinstance(ty, t.Vector) else ty) == t.BF16


def resolved_words(bf16: bool) -> dict[str, t.Type]:
    """The fixed type words with "H"/"H2" bound to the f16 or the bf16 flavour."""
    out = dict(WORD_TYPES)
    out.update({k: v[1] if bf16 else v[0] for k, v in HALF_WORDS.items()})
    return out
