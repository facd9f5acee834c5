"""The command line. Each command lives in `cuport/commands/NAME.py` with two functions:

    add_arguments(parser: argparse.ArgumentParser) -> None
    run(args: argparse.Namespace) -> int      # exit code: 0 ok, 1 check/verify/port failed, 2 usage/input

Exit codes: 0 success; 1 a check, verification or port failed; 2 usage or input error.
Errors are printed as clear messages, never tracebacks (set CUPORT_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from cuport import __version__

# name -> one-line help; the order is the order of `cuport --help`.
COMMANDS: dict[str, str] = {
    "scan": "inventory CUDA sources: kernels, launches, API references, portability hazards",
    "port": "port CUDA sources to hip, opencl and/or triton",
    "verify": "run the original and its ports on the same random inputs and compare",
    "spec": "propose a launch spec for the kernels of a file",
    "bench": "time the original and its ports",
    "report": "write a migration report (HTML, JSON, Markdown, CSV, SARIF)",
    "check": "pre-commit / CI check for hazards and stale ports",
    "corpus": "list the built-in corpus or print its path",
}


class UsageError(Exception):
    """A usage or input error: printed as a message and exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cuport",
        description="Port CUDA to Triton, HIP and OpenCL, and prove every port by running it.",
        epilog="Exit codes: 0 success; 1 a check, verification or port failed; 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"cuport {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        try:
            module = importlib.import_module(f"cuport.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"cuport.commands.{name}":
                continue  # command not built yet
            raise
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "_module", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._module.run(args))
    except UsageError as exc:
        print(f"cuport {args.command}: error[CU001]: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"cuport {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug in cuport: say so clearly, keep the traceback behind a flag
        if os.environ.get("CUPORT_DEBUG"):
            raise
        print(
            f"cuport {args.command}: internal error: {type(exc).__name__}: {exc}\n"
            "  this is a bug in cuport; re-run with CUPORT_DEBUG=1 for a traceback and report it",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
