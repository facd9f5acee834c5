"""Golden cases for the lexical host-code rewriting: one file per case, input and expected output."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.verify.launch_rewrite import blank_comments_and_strings, rewrite_source, rewrite_tree

CASES = sorted((Path(__file__).parent / "rewrite_cases").glob("*.txt"))


def split_case(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    _, rest = text.split("--- input\n", 1)
    given, expected = rest.split("--- expected\n", 1)
    return given, expected


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_rewrite_case(case: Path) -> None:
    given, expected = split_case(case)
    got = rewrite_source(given, "case.cu").text
    assert got == expected
    assert got.count("\n") == given.count("\n") or "#line" in got  # lines stay where they were


def test_launch_sites_are_reported() -> None:
    r = rewrite_source("a<<<1, 2>>>(x);\nb<int><<<g, b, s>>>(y);\n")
    assert [(s.kernel, s.config, s.line) for s in r.launches] == [("a", ("1", "2"), 1), ("b<int>", ("g", "b", "s"), 2)]


def test_blanking_keeps_length_and_lines() -> None:
    text = 'x = "a\\"b"; // c\n/* d\n e */ y = \'q\'; z = 1\'000;'
    blank = blank_comments_and_strings(text)
    assert len(blank) == len(text) and blank.count("\n") == text.count("\n")
    assert "a" not in blank.split("=")[1] and "d" not in blank and "q" not in blank and "1'000" in blank


def test_rewrite_tree_follows_local_includes(tmp_path: Path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "main.cu").write_text('#include "kernels.h"\n// #include "missing.h"\nint main() { k<<<1, 1>>>(); }\n')
    (tmp_path / "kernels.h").write_text('#include "inc/deep.h"\n__global__ void k() { extern __shared__ int s[]; }\n')
    (tmp_path / "inc" / "deep.h").write_text("#pragma once\n")
    files = rewrite_tree(tmp_path / "main.cu")
    assert set(files) == {(tmp_path / p).resolve() for p in ["main.cu", "kernels.h", "inc/deep.h"]}
    assert "dynamic_shared" in files[(tmp_path / "kernels.h").resolve()]
    assert files[(tmp_path / "main.cu").resolve()].startswith(f'#line 1 "{(tmp_path / "main.cu").resolve()}"\n')
