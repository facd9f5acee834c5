from __future__ import annotations

import pytest

from cuport.verify.expr import ExprError, evaluate, evaluate_int, names


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("cdiv(n, 256)", {"n": 257}, 2),
        ("cdiv(n, 256)", {"n": 256}, 1),
        ("cdiv(0, 256)", {}, 0),
        ("-7 / 2", {}, -3),  # C truncates toward zero, Python floors
        ("-7 % 2", {}, -1),
        ("7 % -2", {}, 1),
        ("2 + 3 * 4", {}, 14),
        ("(2 + 3) * 4", {}, 20),
        ("min(n, 3) * max(1, m, 2)", {"n": 5, "m": 7}, 21),
        ("- -n", {"n": 4}, 4),
        ("0x10 + 1", {}, 17),
        ("7.0 / 2", {}, 3.5),
        (12, {}, 12),
    ],
)
def test_evaluate(text: str | int, env: dict[str, int], expected: float) -> None:
    assert evaluate(text, env) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("n +", "unexpected end"),
        ("m * 2", "unknown name 'm'"),
        ("foo(1)", "unknown function 'foo'"),
        ("cdiv(1)", "cdiv takes 2 arguments"),
        ("n / 0", "division by zero"),
        ("(n", "missing ')'"),
        ("n $ 2", "unexpected character '$'"),
        ("__import__('os')", "unexpected character"),
        ("", "empty expression"),
    ],
)
def test_errors_name_the_expression(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        evaluate(text, {"n": 3})
    assert message in str(info.value)
    assert repr(text) in str(info.value)


def test_integer_result_required() -> None:
    assert evaluate_int("n * 2", {"n": 3}) == 6
    with pytest.raises(ExprError, match="expected an integer"):
        evaluate_int("n / 2.0", {"n": 3})


def test_names() -> None:
    assert names("cdiv(rows * cols, 256) + min(k, 2)") == {"rows", "cols", "k"}
