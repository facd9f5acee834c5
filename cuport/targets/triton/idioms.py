"""Idiomatic rules: ordered (recognise, emit) pairs tried before the general lowering.
Filled in rules.py; `apply` returns None when no rule claims the kernel."""

from __future__ import annotations

from cuport.ir import nodes as ir
from cuport.targets.triton.lower import LoweredKernel


def apply(kernel: ir.Kernel, globals_: dict[str, ir.GlobalVar], jit_name: str) -> LoweredKernel | None:
    return None
