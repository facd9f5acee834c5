"""The user structs a module uses, in definition order (a struct after the structs its fields hold).

An IR `Struct` type carries its fields, so a printer needs no separate table: it collects the
struct types reachable from the module's functions and globals and prints one definition each.
"""

from __future__ import annotations

import dataclasses

from cuport.ir import nodes as ir
from cuport.ir import types as t


def structs_of_type(ty: t.Type, out: dict[str, t.Struct]) -> None:
    """Add the structs `ty` holds or points to (fields first) to `out`, keyed by name."""
    if isinstance(ty, t.Pointer):
        structs_of_type(ty.pointee, out)
    elif isinstance(ty, t.Array):
        structs_of_type(ty.elem, out)
    elif isinstance(ty, t.Struct) and ty.fields and ty.name not in out:
        for _, ft in ty.fields:
            structs_of_type(ft, out)
        out.setdefault(ty.name, ty)


def module_structs(functions: tuple[ir.Function, ...] | list[ir.Function],
                   globals_: tuple[ir.GlobalVar, ...] | list[ir.GlobalVar] = ()) -> list[t.Struct]:
    """Structs with known fields used anywhere in the functions or globals, dependencies first."""
    out: dict[str, t.Struct] = {}
    for g in globals_:
        structs_of_type(g.var_type, out)
    for fn in functions:
        if isinstance(fn, ir.DeviceFunction):
            structs_of_type(fn.return_type, out)
        for node in ir.walk(fn):
            for f in dataclasses.fields(node):
                value = getattr(node, f.name)
                if f.name in ("type", "var_type", "return_type") and not isinstance(value, ir.Node):
                    structs_of_type(value, out)
    return list(out.values())
