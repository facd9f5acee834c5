"""C++ type traits under bound template arguments: `std::is_same_v<T, unsigned>` as a constant,
`typename std::make_unsigned<T>::type` as a type.

Traits are answered from IR types, which merge some distinct C++ types (`long` and `long long`
are both 64-bit integers, `char` and `signed char` both I8, `long double` is double here). Where
that merge could change an answer, the spellings decide (x86-64 Linux, what the CPU runtime
compiles for: `int64_t` is `long`, `size_t` is `unsigned long`); a spelling the table does not
know makes the trait unanswerable (None) rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cuport.ir import types as t

Resolve = Callable[[str], t.Type | None]  # a type spelling -> its IR type (None: unknown)
Spell = Callable[[str], str]  # a type spelling -> the spelling it stands for (template parameters)

_VALUE_TRAIT = re.compile(r"(?:::)?(?:std::)?(is_\w+?)(_v)?<(.*)>(::value)?", re.S)
_TYPE_TRAIT = re.compile(r"(?:typename\s+)?(?:::)?(?:std::)?(make_unsigned|make_signed|remove_const|remove_cv"
                         r"|remove_volatile|remove_reference|type_identity)(_t)?<(.*)>(::type)?", re.S)

# The C++ type each spelling of an ambiguous IR type denotes.
_IDENTITY = {
    "long": "long", "long int": "long", "signed long": "long", "int64_t": "long", "std::int64_t": "long",
    "ssize_t": "long", "ptrdiff_t": "long", "std::ptrdiff_t": "long", "intptr_t": "long",
    "std::intptr_t": "long", "clock_t": "long", "long long": "long long", "long long int": "long long",
    "unsigned long": "unsigned long", "uint64_t": "unsigned long", "std::uint64_t": "unsigned long",
    "size_t": "unsigned long", "std::size_t": "unsigned long", "uintptr_t": "unsigned long",
    "std::uintptr_t": "unsigned long", "ulong": "unsigned long", "unsigned long long": "unsigned long long",
    "char": "char", "signed char": "signed char", "int8_t": "signed char", "std::int8_t": "signed char",
    "double": "double", "long double": "long double",
}  # fmt: skip
_AMBIGUOUS = (t.I64, t.U64, t.I8, t.F64)
_UNSIGNED = {t.I8: t.U8, t.I16: t.U16, t.I32: t.U32, t.I64: t.U64}
_SIGNED = {u: s for s, u in _UNSIGNED.items()}


def split_template_args(text: str) -> list[str]:
    """`float, N<2>, 3` -> ["float", "N<2>", "3"] (commas inside <> and () kept)."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += ch in "<("
        depth -= ch in ">)"
        cur += ch
    return [*parts, cur.strip()] if cur.strip() else parts


def _norm(text: str) -> str:
    return " ".join(text.replace("typename ", "").split())


def _same(a: str, b: str, resolve: Resolve, spell: Spell) -> bool | None:
    ta, tb = resolve(a), resolve(b)
    if ta is None or tb is None:
        return None
    if ta != tb:
        return False  # distinct IR types are distinct C++ types
    if ta not in _AMBIGUOUS:
        return True
    ia, ib = _IDENTITY.get(_norm(spell(a))), _IDENTITY.get(_norm(spell(b)))
    if ia is None or ib is None:
        return None
    return ia == ib


def _unary(name: str, ty: t.Type) -> bool | None:
    scalar = ty if isinstance(ty, t.Scalar) else None
    # half and bfloat16 are classes in C++: not arithmetic, so every numeric trait is false
    numeric = scalar is not None and scalar.kind not in (t.ScalarKind.F16, t.ScalarKind.BF16)
    integral = numeric and scalar is not None and scalar.kind.is_integer
    if name == "is_integral":
        return integral
    if name == "is_floating_point":
        return numeric and not integral
    if name == "is_arithmetic":
        return numeric
    if name == "is_pointer":
        return isinstance(ty, t.Pointer)
    if name == "is_void":
        return isinstance(ty, t.Void)
    if name in ("is_signed", "is_unsigned"):
        if not numeric or scalar is None:
            return False
        if scalar == t.I8:
            return None  # plain char's signedness is the platform's
        signed = not scalar.kind.is_integer or scalar in _UNSIGNED
        return signed if name == "is_signed" else not signed
    return None


def trait_value(text: str, resolve: Resolve, spell: Spell) -> bool | None:
    """The value of `std::is_X<args>::value` / `std::is_X_v<args>`; None when `text` is no trait
    this knows, or its answer cannot be told from the IR types (the caller refuses)."""
    m = _VALUE_TRAIT.fullmatch(_norm(text))
    if m is None or (m.group(2) is None) == (m.group(4) is None):
        return None  # `is_same<A, B>` alone is a type, `is_same_v<A, B>::value` no name
    args = split_template_args(m.group(3))
    if m.group(1) == "is_same":
        return _same(args[0], args[1], resolve, spell) if len(args) == 2 else None
    if len(args) != 1 or (ty := resolve(args[0])) is None:
        return None
    return _unary(m.group(1), ty)


def is_trait_value(text: str) -> bool:
    return _VALUE_TRAIT.fullmatch(_norm(text)) is not None


def trait_type(text: str, resolve: Resolve) -> t.Type | None:
    """The type `std::make_unsigned<T>::type` (and friends, `_t` forms too) denotes, or None."""
    m = _TYPE_TRAIT.fullmatch(_norm(text))
    if m is None or (m.group(2) is None) == (m.group(4) is None):
        return None
    args = split_template_args(m.group(3))
    ty = resolve(args[0]) if len(args) == 1 else None
    if ty is None:
        return None
    if m.group(1) == "make_unsigned":
        # plain char is neither signed nor unsigned char, but both map it to unsigned char
        return ty if ty in _SIGNED else _UNSIGNED.get(ty)  # type: ignore[arg-type]
    if m.group(1) == "make_signed":
        return ty if ty in _UNSIGNED else _SIGNED.get(ty)  # type: ignore[arg-type]
    return ty  # cv and reference qualifiers have no IR form on a value type


__all__ = ["is_trait_value", "split_template_args", "trait_type", "trait_value"]
