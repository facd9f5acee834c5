"""`cuport spec FILE.cu [--kernel K]`: propose a launch spec for the kernels of a file (TOML)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cuport.cli import UsageError
from cuport.diagnostics import diag, render
from cuport.parse.cst import parse_cst
from cuport.parse.inventory import inventory
from cuport.parse.reader import read_source, skipped_diagnostic
from cuport.result import Ok
from cuport.source import Span
from cuport.verify import infer


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE.cu")
    p.add_argument("--kernel", metavar="K", help="only this kernel")
    p.add_argument("-o", "--output", type=Path, help="write the proposal here instead of stdout")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UsageError(f"{args.file}: no such file")
    read = read_source(args.file)
    if not isinstance(read, Ok):
        print(render(skipped_diagnostic(read)), file=sys.stderr)
        return 2
    source = read.value
    proposals = infer.propose(source, inventory(source, parse_cst(source)), args.kernel)
    if not proposals:
        what = f"kernel '{args.kernel}'" if args.kernel else "any kernel"
        d = diag("CS004", Span(str(args.file), 1, 1), name=args.kernel or "(any)", file=str(args.file))
        print(render(d) + f"\n  no definition of {what} found", file=sys.stderr)
        return 2
    text = infer.render(proposals, str(args.file))
    if args.output:
        args.output.write_text(text, "utf-8")
    else:
        sys.stdout.write(text)
    for p in proposals:
        if p.guessed:
            note = diag("CS005", Span(str(args.file), 0, 0), name=p.kernel, reason="; ".join(dict.fromkeys(p.guessed)))
            print(render(note), file=sys.stderr)
    return 0
