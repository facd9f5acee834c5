"""Golden cases for the IR: `cases/NAME.cu` holds a small CUDA input followed by the expected
printed IR in a trailing `/* EXPECT-IR ... */` block. `CUPORT_UPDATE_GOLDEN=1` rewrites the block.

Header lines in the input: `// TEMPLATE: kernel T=float N=256` binds a kernel's template arguments.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tree_sitter import Tree

from cuport.diagnostics import render
from cuport.ir import printer
from cuport.parse.lower import LoweredModule, TemplateArgs, lower_module
from cuport.result import Ok
from cuport.source import SourceText

CASES = Path(__file__).parent / "cases"
MARK = "/* EXPECT-IR"
UPDATE = os.environ.get("CUPORT_UPDATE_GOLDEN") == "1"


def parse(source: SourceText) -> Tree:
    import tree_sitter_cuda
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_cuda.language())).parse(source.data)


def split_case(text: str) -> tuple[str, str | None]:
    at = text.find(MARK)
    if at < 0:
        return text, None
    body = text[at + len(MARK):]
    end = body.rfind("*/")
    return text[:at], body[:end].strip("\n")


def template_args(text: str) -> dict[str, TemplateArgs]:
    out: dict[str, TemplateArgs] = {}
    for m in re.finditer(r"^// TEMPLATE: (\w+) (.*)$", text, re.M):
        args: TemplateArgs = {}
        for pair in m.group(2).split():
            k, v = pair.split("=", 1)
            args[k] = int(v) if v.lstrip("-").isdigit() else v
        out[m.group(1)] = args
    return out


def lower_text(name: str, text: str) -> tuple[SourceText, LoweredModule]:
    source = SourceText.from_text(name, text)
    return source, lower_module(source, parse(source), template_args=template_args(text))


def render_module(source: SourceText, lowered: LoweredModule) -> str:
    """The expected-output text: printed IR with implicit conversions, then failures."""
    module = lowered.module(source)
    parts = [printer.print_module(module, show_implicit=True)] if module.functions or module.globals else []
    for key, result in lowered.functions.items():
        if not isinstance(result, Ok):
            for d in result.diagnostics:
                parts.append(f"// FAILED {key}\n" + render(d, source))
    for d in lowered.diagnostics:
        parts.append(render(d, source))
    return "\n\n".join(parts)


def write_expected(path: Path, input_text: str, expected: str) -> None:
    path.write_text(f"{input_text.rstrip()}\n\n{MARK}\n{expected}\n*/\n", encoding="utf-8")
