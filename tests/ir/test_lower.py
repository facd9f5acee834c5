"""Lowering API contracts: never raise, CL codes with locations, template binding, inlining."""

from __future__ import annotations

import pytest

from cuport.ir import nodes as ir
from cuport.ir import types as t
from cuport.ir.printer import print_function
from cuport.ir.verify import verify_function
from cuport.parse import lower_body
from cuport.parse.lower import lower_function, lower_module
from cuport.result import Failed, Ok
from cuport.source import SourceText

from .golden import parse

KERNEL = """
template <typename T, int N>
__global__ void fill(T* out) { out[threadIdx.x] = (T)N; }
__device__ float sq(float x) { return x * x; }
__global__ void use_sq(float* out) { out[0] = sq(out[1]); }
"""


def _lower(text: str, name: str, **kw: object) -> Ok | Failed:
    source = SourceText.from_text("k.cu", text)
    return lower_function(source, parse(source), name, **kw)  # type: ignore[arg-type]


def test_template_arguments_by_position_and_by_name() -> None:
    by_pos = _lower(KERNEL, "fill<unsigned int, 7>")
    by_name = _lower(KERNEL, "fill", template_args={"T": "unsigned", "N": 7})
    assert isinstance(by_pos, Ok) and isinstance(by_name, Ok)
    assert by_pos.value == by_name.value
    assert by_pos.value.params[0].type == t.Pointer(t.U32, t.AddrSpace.GLOBAL)
    assert ir.instance_name(by_pos.value) == "fill<unsigned int, 7>"


def test_missing_template_argument_is_cl003_at_the_parameter() -> None:
    r = _lower(KERNEL, "fill", template_args={"T": "float"})
    assert isinstance(r, Failed)
    assert r.diagnostics[0].code == "CL003"
    assert r.location is not None and r.location.line == 2


def test_unexpected_python_error_becomes_cl001_with_the_span(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: object, node: object) -> None:
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(lower_body.FunctionLowerer, "e_subscript_expression", boom)
    r = _lower(KERNEL, "use_sq")
    assert isinstance(r, Failed)
    d = r.diagnostics[0]
    assert d.code == "CL001" and "internal error: ZeroDivisionError" in d.message
    assert d.span is not None and d.span.line == 5


def test_garbage_never_raises() -> None:
    for text in ["__global__ void k(", "__global__ void k() { int x = ; }", "\x00\xff", "__global__ void k() { for(;;) }"]:
        source = SourceText.from_text("g.cu", text)
        m = lower_module(source, parse(source))
        for r in m.functions.values():
            assert isinstance(r, Ok | Failed)


def test_inline_option_substitutes_single_return_callees() -> None:
    kept = _lower(KERNEL, "use_sq")
    inlined = _lower(KERNEL, "use_sq", inline=True)
    assert isinstance(kept, Ok) and isinstance(inlined, Ok)
    assert "sq(out[1])" in print_function(kept.value)
    assert "out[0] = out[1] * out[1];" in print_function(inlined.value)


def test_verifier_rejects_ill_typed_and_misplaced_nodes() -> None:
    r = _lower(KERNEL, "use_sq")
    assert isinstance(r, Ok)
    fn = r.value
    assert verify_function(fn) == []
    assign = fn.body.stmts[0]
    assert isinstance(assign, ir.Assign)
    bad_value = ir.replace(assign, value=ir.IntLit(assign.span, t.I32, 1))  # int stored to float, no cast
    bad = ir.replace(fn, body=ir.replace(fn.body, stmts=(bad_value, ir.Break(assign.span))))
    reasons = [d.message for d in verify_function(bad)]
    assert any("assigning int to float" in m for m in reasons)
    assert any("break outside a loop" in m for m in reasons)
    assert all(d.code == "CL004" for d in verify_function(bad))


def test_verifier_flags_undeclared_variables_and_missing_spans() -> None:
    from cuport.source import UNKNOWN_SPAN

    r = _lower(KERNEL, "use_sq")
    assert isinstance(r, Ok)
    fn = r.value
    stray = ir.ExprStmt(UNKNOWN_SPAN, ir.Var(UNKNOWN_SPAN, t.I32, "ghost", "local"))
    bad = ir.replace(fn, body=ir.replace(fn.body, stmts=(*fn.body.stmts, stray)))
    reasons = [d.message for d in verify_function(bad)]
    assert any("'ghost' used before its declaration" in m for m in reasons)
    assert any("has no span" in m for m in reasons)


def test_spans_point_at_the_source() -> None:
    r = _lower(KERNEL, "use_sq")
    assert isinstance(r, Ok)
    call = [n for n in ir.walk(r.value) if isinstance(n, ir.Call)][0]
    assert (call.span.line, call.span.col) == (5, 47)


def test_nodes_are_immutable() -> None:
    r = _lower(KERNEL, "use_sq")
    assert isinstance(r, Ok)
    with pytest.raises(AttributeError):
        r.value.name = "other"  # type: ignore[misc]


def test_verifier_checks_math_calls_against_their_table_row() -> None:
    src = "__global__ void k(const __half2* x, float2* y) { y[0] = __half22float2(x[0]); }"
    r = _lower(src, "k")
    assert isinstance(r, Ok)
    fn = r.value
    assert verify_function(fn) == []
    assign = fn.body.stmts[0]
    assert isinstance(assign, ir.Assign) and isinstance(assign.value, ir.MathCall)
    call = assign.value
    wrong_arg = ir.replace(call, args=(ir.FloatLit(call.span, t.F32, 1.0),))
    wrong_op = ir.replace(call, op="sqrt")
    for bad_call, reason in ((wrong_arg, "argument 1 is float, not __half2"), (wrong_op, "not a math_ops.toml row")):
        bad = ir.replace(fn, body=ir.replace(fn.body, stmts=(ir.replace(assign, value=bad_call),)))
        assert any(reason in d.message for d in verify_function(bad))


def test_parenthesised_names_are_values_not_casts_in_lower_function() -> None:
    src = "__global__ void k(float* a, int i, int j) {\n  a[(i) + (j) * 2] = (i) - 1 + (q) * 2;\n}\n"
    r = _lower(src, "k")
    assert isinstance(r, Failed)  # `q` is declared nowhere: named as an unknown identifier, not a type
    assert r.diagnostics[0].code == "CL002" and "'q'" in r.diagnostics[0].message
    assert (r.diagnostics[0].span.line, r.diagnostics[0].span.col) == (2, 33)  # the original column
    ok = _lower(src.replace("(q)", "(j)"), "k")
    assert isinstance(ok, Ok)
    assert "a[i + j * 2] = i - 1 + j * 2;" in print_function(ok.value)  # implicit casts are not printed
