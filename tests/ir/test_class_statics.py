"""A template type parameter bound to a class template instance (`K = Traits<4, float>`): its
static constants and member types resolve through the instance. (Golden cases cannot show it: the
printed IR names the instance `Traits_4_float` in the template header, which C++ cannot re-read.)"""

from __future__ import annotations

from cuport.ir import printer
from cuport.parse.lower import lower_function
from cuport.result import Ok
from cuport.source import SourceText

from .golden import parse

SOURCE = """
template <int N_, typename T_>
struct Traits {
  using T = T_;
  static constexpr int kN = N_;
  static constexpr int kChunk = kN * 32;
  static constexpr bool kEven = (N_ % 2) == 0;
};
template <typename K>
__global__ void __launch_bounds__(K::kChunk) k(typename K::T* out) {
  constexpr int n = K::kN;
  typename K::T acc[n];
  acc[0] = out[0];
  if (K::kEven) out[1] = acc[0] + n;
}
"""


def lowered(args: str) -> str:
    source = SourceText.from_text("k.cu", SOURCE)
    result = lower_function(source, parse(source), "k", template_args={"K": args})
    assert isinstance(result, Ok), result
    return printer.print_function(result.value)


def test_bound_class_instance_supplies_constants_and_types() -> None:
    text = lowered("Traits<4, double>")
    assert "__launch_bounds__(128)" in text
    assert "k(double* out)" in text
    assert "double acc[4];" in text
    assert "if (true)" in text


def test_other_instance_other_values() -> None:
    text = lowered("Traits<3, int>")
    assert "__launch_bounds__(96)" in text
    assert "int acc[3];" in text
    assert "if (false)" in text
