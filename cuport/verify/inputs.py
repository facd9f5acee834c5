"""Seeded input generators of launch specs, typed by the kernel parameter's dtype.

    uniform(a, b)   normal(mu, sigma)   randint(a, b)  (b excluded)
    zeros   ones   iota   fill(v)

dtypes are the runner protocol's names: numpy names, "<base>x<lanes>" for CUDA vector types
("float32x4" = 4 lanes per element) and "float16". A buffer of `len` elements of a vector type
holds len * lanes values; its typed view has shape (len, lanes).

Buffers of user structs ("struct:Particle") take one generator for every field, or one per field
(`{ pos = "uniform(-1, 1)", tag = "randint(0, 9)" }`; a key names a field or a nested struct or
array, covering all it holds). Each field gets values of its own type; padding gets random bytes,
which no kernel may depend on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cuport.ir.layout import Leaf, StructLayout
from cuport.verify import expr

FieldInits = tuple[tuple[str, str], ...]  # (field or field path, generator) of a struct buffer


class GeneratorError(ValueError):
    pass


@dataclass(frozen=True)
class Generator:
    name: str
    params: tuple[str, ...] = ()  # numbers or size expressions, e.g. randint(0, ncols)

    def size_names(self) -> set[str]:
        return set().union(*(expr.names(p) for p in self.params)) if self.params else set()

    def resolve(self, sizes: Mapping[str, int]) -> tuple[float, ...]:
        try:
            values = tuple(float(expr.evaluate(p, sizes)) for p in self.params)
        except expr.ExprError as exc:
            raise GeneratorError(f"generator {self.name}: {exc}") from None
        if self.name in ("uniform", "randint") and not values[0] < values[1]:
            raise GeneratorError(f"generator {self.name}{values}: needs a < b (sizes {dict(sizes)})")
        if self.name == "normal" and values[1] < 0:
            raise GeneratorError(f"generator {self.name}{values}: sigma must be >= 0")
        return values


_ARITY = {"uniform": 2, "normal": 2, "randint": 2, "zeros": 0, "ones": 0, "iota": 0, "fill": 1}
_CALL = re.compile(r"^\s*([a-z_]+)\s*(?:\((.*)\))?\s*$")


def parse_generator(text: str) -> Generator:
    m = _CALL.match(text)
    if m is None or m.group(1) not in _ARITY:
        raise GeneratorError(f"unknown generator {text!r} (known: uniform(a, b), normal(mu, sigma), randint(a, b), zeros, ones, iota, fill(v))")
    name, inner = m.group(1), m.group(2)
    params: list[str] = []
    if inner is not None and inner.strip():
        for p in inner.split(","):
            try:
                expr.parse(p.strip())
            except expr.ExprError as exc:
                raise GeneratorError(f"generator {text!r}: {exc}") from None
            params.append(p.strip())
    if len(params) != _ARITY[name]:
        raise GeneratorError(f"generator {text!r}: {name} takes {_ARITY[name]} argument(s)")
    gen = Generator(name, tuple(params))
    if not gen.size_names():
        gen.resolve({})  # literal arguments are checked at once
    return gen


def split_dtype(dtype: str) -> tuple[np.dtype, int]:
    """"float32x4" -> (float32, 4); "float16" -> (float16, 1)."""
    m = re.fullmatch(r"([a-z]+\d*)x(\d+)", dtype)
    base, lanes = (m.group(1), int(m.group(2))) if m else (dtype, 1)
    try:
        return np.dtype(base), lanes
    except TypeError:
        raise GeneratorError(f"unsupported element type {dtype!r}") from None


def element_bytes(dtype: str) -> int:
    base, lanes = split_dtype(dtype)
    return base.itemsize * lanes


def typed_view(raw: np.ndarray, dtype: str) -> np.ndarray:
    """A typed view of payload bytes: shape (n,) or (n, lanes) for vector types."""
    base, lanes = split_dtype(dtype)
    view = raw.view(base)
    return view.reshape(-1, lanes) if lanes > 1 else view


def generate(
    text: str, dtype: str, count: int, rng: np.random.Generator, sizes: Mapping[str, int] | None = None
) -> np.ndarray:
    """`count` elements of `dtype` from a generator; vector types give count * lanes values."""
    gen = parse_generator(text)
    params = gen.resolve(sizes or {})
    base, lanes = split_dtype(dtype)
    n = count * lanes
    if gen.name == "zeros":
        values: np.ndarray = np.zeros(n)
    elif gen.name == "ones":
        values = np.ones(n)
    elif gen.name == "fill":
        values = np.full(n, params[0])
    elif gen.name == "iota":
        values = np.arange(n, dtype=np.float64)
    elif gen.name == "randint" or (gen.name == "uniform" and base.kind in "iub"):
        # integers from uniform(a, b) take the same half-open range as randint
        lo, hi = int(np.ceil(params[0])), int(np.ceil(params[1]))
        return _cast(rng.integers(lo, max(hi, lo + 1), size=n, dtype=np.int64), base)
    elif gen.name == "uniform":
        values = rng.uniform(params[0], params[1], size=n)
    else:
        values = rng.normal(params[0], params[1], size=n)
        if base.kind in "iub":
            values = np.rint(values)
    return _cast(values, base)


def _cast(values: np.ndarray, base: np.dtype) -> np.ndarray:
    if base.kind == "b":
        return (values != 0).astype(base)
    if base.kind in "iu":
        info = np.iinfo(base)
        return np.clip(values, info.min, info.max).astype(base)
    return values.astype(base)


def scalar(text: str, dtype: str, rng: np.random.Generator, sizes: Mapping[str, int] | None = None) -> int | float:
    """One random scalar of the parameter's type (vector-typed scalars are not supported)."""
    base, lanes = split_dtype(dtype)
    if lanes != 1:
        raise GeneratorError(f"random scalars of vector type {dtype} are not supported")
    v = generate(text, dtype, 1, rng, sizes)[0]
    return float(v) if base.kind == "f" else int(v)


def _covers(key: str, leaf: str) -> bool:
    return leaf == key or leaf.startswith((key + ".", key + "["))


def leaf_generators(init: str | FieldInits, layout: StructLayout) -> dict[str, str]:
    """The generator of each leaf of the struct: the most specific key naming it. Every leaf must
    be covered and every key must name something (a typo must not leave a field at zero)."""
    names = [leaf.name for leaf in layout.leaves]
    if isinstance(init, str):
        return dict.fromkeys(names, init)
    unknown = [k for k, _ in init if not any(_covers(k, n) for n in names)]
    if unknown:
        raise GeneratorError(f"struct {layout.name} has no field {unknown[0]!r} (fields: {', '.join(names)})")
    out: dict[str, str] = {}
    for n in names:
        keys = [(k, g) for k, g in init if _covers(k, n)]
        if keys:
            out[n] = max(keys, key=lambda kg: len(kg[0]))[1]
    missing = [n for n in names if n not in out]
    if missing:
        raise GeneratorError(f"struct {layout.name}: no generator for field(s) {', '.join(missing)} "
                             "(give one per field, or one generator for all)")
    return out


def generate_struct(init: str | FieldInits, layout: StructLayout, count: int, rng: np.random.Generator,
                    sizes: Mapping[str, int] | None = None) -> np.ndarray:
    """`count` structs: each field from its generator, padding random bytes."""
    gens = leaf_generators(init, layout)
    raw = rng.integers(0, 256, size=count * layout.size, dtype=np.uint8)
    view = raw.view(layout.numpy)
    for leaf in layout.leaves:
        view[leaf.name] = _leaf_values(gens[leaf.name], leaf, count, rng, sizes)
    return view


def _leaf_values(text: str, leaf: Leaf, count: int, rng: np.random.Generator,
                 sizes: Mapping[str, int] | None) -> np.ndarray:
    per = int(np.prod(leaf.shape, dtype=np.int64))
    return generate(text, leaf.dtype, count * per, rng, sizes).reshape((count, *leaf.shape))
