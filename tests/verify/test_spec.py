from __future__ import annotations

from pathlib import Path

import pytest

from cuport.verify.protocol import Launch, ParamType
from cuport.verify.spec import SpecError, check_signature, load_spec, parse_spec

SAXPY = """\
[saxpy]                           # kernel name
grid  = "cdiv(n, 256)"
block = 256
shared = "4 * 256"
sizes = { n = [1, 257, 100003] }
defines = { N = 64, FAST = true }
includes = ["../common"]
args = [
  "n",
  { value = 2.5 },
  { value = "uniform(-2, 2)" },
  { len = "n", init = "uniform(-1, 1)" },
  { len = "n", init = "zeros", out = true },
  { len = "n", out = true },
]
tolerance = { rtol = 1e-5, atol = 1e-6 }
constants = { coef = { len = 16, init = "uniform(0, 1)" } }

["reduce<float, 256>"]
grid = [2, "cdiv(m, 4)", 1]
block = [16, 16]
sizes = { m = 9 }
args = [{ len = "m * 256", init = "iota" }, { len = 2, out = true }]
"""


def _load(tmp_path: Path, text: str) -> object:
    p = tmp_path / "k.cuport.toml"
    p.write_text(text)
    return load_spec(p)


def test_the_design_example_loads(tmp_path: Path) -> None:
    spec = _load(tmp_path, SAXPY)
    k = spec.kernels["saxpy"]  # type: ignore[attr-defined]
    assert k.trial_count == 3
    assert [k.sizes_for(t)["n"] for t in range(4)] == [1, 257, 100003, 1]  # cycling
    assert k.launch(k.sizes_for(1)) == Launch("saxpy", (2, 1, 1), (256, 1, 1), 1024)
    assert [a.kind for a in k.args] == ["size", "value", "random", "buffer", "buffer", "buffer"]
    assert k.args[5].init is None and k.args[4].out is True
    assert k.defines == {"N": "64", "FAST": "1"}
    assert k.includes == ((tmp_path / "../common").resolve(),)
    assert k.tolerance.rtol == 1e-5 and k.constants["coef"].init == "uniform(0, 1)"
    r = spec.kernels["reduce<float, 256>"]  # type: ignore[attr-defined]
    assert r.base_name == "reduce"
    assert r.launch(r.sizes_for(0)) == Launch("reduce<float, 256>", (2, 3, 1), (16, 16, 1), 0)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[k]\ngrid = 1\nblock = 1\nargs = [\"n\"]\n", 4, "unknown size(s) n"),
        ("[k]\ngrid = 1\nblock = 1\nargs = []\ncolour = 3\n", 5, "unknown key 'colour'"),
        ("[k]\ngrid = 1\nargs = []\n", 1, "needs 'block'"),
        ("[k]\ngrid = 1\nblock = 1\nsizes = { n = [4] }\nargs = [\n  \"n\",\n  { len = \"n\", init = \"gauss(0, 1)\" },\n]\n", 7, "unknown generator"),
        ("[k]\ngrid = 1\nblock = 1\nsizes = { n = [4] }\nargs = [\n  { init = \"zeros\" },\n]\n", 6, "needs 'len'"),
        ("[k]\ngrid = \"cdiv(n,\"\nblock = 1\nargs = []\n", 2, "unexpected end"),
        ("[k]\ngrid = 1\nblock = 1\nargs = []\ntolerance = { rtol = -1 }\n", 5, "tolerance"),
        ("[k]\ngrid = 1\nblock = [1, 2, 3, 4]\nargs = []\n", 3, "[x, y, z]"),
        ("[k]\ngrid = 1\nblock = 1\nsizes = { n = [] }\nargs = []\n", 4, "non-empty list"),
        ("[k\ngrid = 1\n", 1, "not valid TOML"),
        ("x = 1\n", 1, "must be a kernel table"),
        ("", 1, "no kernel table"),
    ],
)
def test_bad_specs_point_at_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(SpecError) as info:
        _load(tmp_path, text)
    d = info.value.diagnostic
    assert d.code == "CS001"
    assert message in d.message
    assert d.span is not None and d.span.line == line, (d.span, d.message)
    assert d.span.file.endswith("k.cuport.toml")


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(tmp_path / "nope.cuport.toml")


def test_signature_mismatches_are_cs002(tmp_path: Path) -> None:
    k = parse_spec(SAXPY, tmp_path / "s.cuport.toml").kernels["saxpy"]
    f32p, f32 = ParamType("pointer", "float32"), ParamType("scalar", "float32")
    good = [ParamType("scalar", "int32"), f32, f32, ParamType("pointer", "float32", True), f32p, f32p]
    assert check_signature(k, good) == []
    too_few = check_signature(k, good[:5])
    assert [d.code for d in too_few] == ["CS002"] and "5 parameter(s)" in too_few[0].message
    swapped = check_signature(k, [f32p, *good[1:]])
    assert swapped[0].code == "CS002" and "parameter 1 is a pointer" in swapped[0].message
    assert swapped[0].span is not None and swapped[0].span.line == 9  # the "n" entry of args
    scalar_for_ptr = check_signature(k, [*good[:3], f32, *good[4:]])
    assert "parameter 4 is a scalar" in scalar_for_ptr[0].message
    assert scalar_for_ptr[0].span is not None and scalar_for_ptr[0].span.line == 12


def test_negative_geometry_is_reported(tmp_path: Path) -> None:
    k = parse_spec("[k]\ngrid = \"n - 5\"\nblock = 1\nsizes = { n = [1] }\nargs = []\n", tmp_path / "k.toml").kernels["k"]
    with pytest.raises(SpecError, match="launch geometry"):
        k.launch(k.sizes_for(0))
