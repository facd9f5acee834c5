"""The kernel IR: immutable nodes with spans (`nodes`), resolved types (`types`), C++ conversion
rules (`conversions`), a rule-based verifier (`verify`) and a CUDA-like printer (`printer`).

Tables (data): `math_ops.toml` (math functions and intrinsics), `cuda_builtins.toml` (atomics,
warp operations, barriers, fences).
"""

from cuport.ir.nodes import *  # noqa: F403 - the nodes are the package's vocabulary
from cuport.ir.nodes import instance_name, replace, walk
from cuport.ir.types import Type

__all__ = ["instance_name", "replace", "walk", "Type"]
