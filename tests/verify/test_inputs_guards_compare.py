from __future__ import annotations

import numpy as np
import pytest

from cuport.verify import guards
from cuport.verify.compare import compare, rejects
from cuport.verify.inputs import GeneratorError, generate, parse_generator, scalar, split_dtype, typed_view


def _rng(seed: int = 1) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_generators_are_seeded_and_typed() -> None:
    a = generate("uniform(-2, 2)", "float32", 1000, _rng())
    assert a.dtype == np.float32 and a.shape == (1000,) and -2 <= a.min() and a.max() < 2
    assert np.array_equal(a, generate("uniform(-2, 2)", "float32", 1000, _rng()))
    assert not np.array_equal(a, generate("uniform(-2, 2)", "float32", 1000, _rng(2)))
    r = generate("randint(0, 3)", "int64", 1000, _rng())
    assert r.dtype == np.int64 and set(np.unique(r)) == {0, 1, 2}  # b excluded
    assert np.array_equal(generate("iota", "int32", 4, _rng()), [0, 1, 2, 3])
    assert np.array_equal(generate("fill(2.5)", "float64", 2, _rng()), [2.5, 2.5])
    assert generate("ones", "float16", 3, _rng()).dtype == np.float16
    n = generate("normal(10, 0.001)", "float32", 100, _rng())
    assert abs(float(n.mean()) - 10) < 0.01


def test_generator_arguments_may_use_sizes() -> None:
    idx = generate("randint(0, ncols)", "int32", 500, _rng(), {"ncols": 7})
    assert idx.min() >= 0 and idx.max() == 6
    with pytest.raises(GeneratorError, match="needs a < b"):
        generate("randint(0, ncols)", "int32", 5, _rng(), {"ncols": 0})


def test_vector_types_have_lanes() -> None:
    v = generate("iota", "float32x4", 3, _rng())
    assert v.shape == (12,) and v.dtype == np.float32
    assert split_dtype("int32x2") == (np.dtype("int32"), 2)
    assert typed_view(v.view(np.uint8), "float32x4").shape == (3, 4)


@pytest.mark.parametrize("text", ["gauss(0, 1)", "uniform(1)", "uniform(2, 1)", "fill(1 2)", "zeros(3)"])
def test_bad_generators(text: str) -> None:
    with pytest.raises(GeneratorError):
        parse_generator(text)


def test_random_scalar_takes_the_parameter_type() -> None:
    assert isinstance(scalar("uniform(-2, 2)", "float32", _rng()), float)
    assert isinstance(scalar("randint(0, 9)", "int32", _rng()), int)


def test_guards_catch_writes_outside_the_payload() -> None:
    g = guards.allocate(np.arange(8, dtype=np.float32), "float32", 32, _rng())
    after = g.buffer.data.copy()
    assert guards.check_guards(g, after, "x") == []
    after[g.buffer.offset + 32] ^= 0xFF  # one byte past the end
    assert "1 byte(s) past the end" in guards.check_guards(g, after, "x")[0]
    after = g.buffer.data.copy()
    after[g.buffer.offset - 4] ^= 0xFF
    assert "4 byte(s) before the start" in guards.check_guards(g, after, "x")[0]
    assert "returned" in guards.check_guards(g, after[:-1], "x")[0]


def test_canaries_differ_per_run() -> None:
    a = guards.allocate(None, "float32", 8, np.random.default_rng())
    b = guards.allocate(None, "float32", 8, np.random.default_rng())
    assert not np.array_equal(a.front, b.front) and not np.array_equal(a.back, b.back)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "uint64", "float32x4"])
def test_poisoned_outputs_must_be_written(dtype: str) -> None:
    g = guards.allocate(None, dtype, 64, _rng())
    after = g.buffer.data.copy()
    view = typed_view(after[g.buffer.offset : g.buffer.offset + 64], dtype).reshape(-1)
    elems = view.size
    lanes = split_dtype(dtype)[1]
    assert guards.unwritten(g, after) == elems
    if split_dtype(dtype)[0].kind == "f":
        assert np.isnan(view).all()
    view[: lanes * 2] = 0  # write the first two elements
    assert guards.unwritten(g, after) == elems - lanes * 2


def test_input_hash_sees_changes() -> None:
    g = guards.allocate(np.ones(4, np.int32), "int32", 16, _rng())
    after = g.buffer.data.copy()
    assert not guards.changed(g, after)
    after[g.buffer.offset] = 7
    assert guards.changed(g, after)


def test_compare_structure_first() -> None:
    a = np.zeros(4, np.float32)
    assert "dtype differs" in compare(a, a.astype(np.float64)).reason
    assert "shape differs" in compare(a, np.zeros(5, np.float32)).reason


def test_compare_floats_with_tolerance_and_special_values() -> None:
    e = np.array([1.0, 2.0, np.nan, np.inf, -np.inf], np.float32)
    assert compare(e, e.copy()).ok
    near = e.copy()
    near[0] += 1e-6
    assert compare(e, near).ok
    far = e.copy()
    far[1] = 2.1
    c = compare(e, far)
    assert not c.ok and c.mismatches == 1 and c.first_mismatch is not None
    assert c.first_mismatch.index == (1,) and abs(c.max_abs_err - 0.1) < 1e-6
    assert compare(e, far, rtol=0.1).ok  # the spec can loosen
    nan_moved = e.copy()
    nan_moved[2] = 0
    assert not compare(e, nan_moved).ok
    inf_sign = e.copy()
    inf_sign[3] = -np.inf
    assert not compare(e, inf_sign).ok


def test_compare_ints_exact_and_multidim_index() -> None:
    e = np.arange(12, dtype=np.int32).reshape(3, 4)
    a = e.copy()
    a[2, 1] += 1
    c = compare(e, a)
    assert not c.ok and c.first_mismatch is not None and c.first_mismatch.index == (2, 1)
    assert c.first_mismatch.expected == 9 and c.first_mismatch.actual == 10


def test_rejects() -> None:
    e = np.linspace(1, 2, 10, dtype=np.float32)
    assert rejects(e, np.zeros_like(e), None, None)
    assert not rejects(np.zeros(3, np.float32), np.zeros(3, np.float32), None, None)
