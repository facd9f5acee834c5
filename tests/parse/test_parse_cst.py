"""CST helpers: document order, deep nesting without recursion, problem listing, qualifier tokens."""

from __future__ import annotations

from cuport.parse.cst import cuda_qualifiers, iter_nodes, iter_problems, node_span, node_text, parse_cst
from cuport.parse.inventory import inventory
from cuport.source import SourceText


def test_iter_nodes_is_document_order_and_stays_inside() -> None:
    src = SourceText.from_text("a.cu", "int a; __device__ int f(int x) { return x; } int b;")
    tree = parse_cst(src)
    fn = next(n for n in iter_nodes(tree.root_node) if n.type == "function_definition")
    inside = list(iter_nodes(fn))
    assert inside[0] == fn
    assert all(fn.start_byte <= n.start_byte and n.end_byte <= fn.end_byte for n in inside)
    starts = [n.start_byte for n in inside]
    assert starts == sorted(starts)
    assert cuda_qualifiers(fn) == frozenset({"device"})
    assert node_text(src, fn).startswith("__device__ int f")
    assert node_span(src, fn).col == 8


def test_deep_nesting_does_not_recurse() -> None:
    depth = 3000
    text = "__global__ void k(int *p) { p[0] = " + "(" * depth + "1" + ")" * depth + "; }\n"
    src = SourceText.from_text("deep.cu", text)
    inv = inventory(src, parse_cst(src))
    assert [k.name for k in inv.kernels] == ["k"]


def test_problems_inside_swallowed_definitions_are_listed() -> None:
    text = ("#if A\n__global__ void s(int *p) {\n#else\n__global__ void s(long *p) {\n#endif\n  p[0] = 1;\n}\n"
            "__global__ void k(int *q) {\n  int i = 0\n  q[i] = 1;\n}\n")
    src = SourceText.from_text("p.cu", text)
    problems = list(iter_problems(parse_cst(src)))
    assert problems, "the #if split must be reported"
    k_start = text.index("__global__ void k")
    assert any(p.start_byte > k_start for p in problems), "the missing ';' inside k must be reported too"


def test_no_problems_in_clean_code() -> None:
    src = SourceText.from_text("c.cu", "__global__ void k(float *a) { a[threadIdx.x] = 0.f; }\n")
    assert list(iter_problems(parse_cst(src))) == []
