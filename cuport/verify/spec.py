"""Launch specs: `NAME.cuport.toml` next to the source (or `--spec`), one table per kernel.

The format is a contract (DESIGN.md, verify/): outside evaluations write these files, so it may
grow but never break. Errors carry the spec file's line:col; tomllib gives no positions, so the
key is found again in the text (`_Locator`).

Extensions beyond DESIGN.md (all optional): a pointer may say `scratch = true` (written by the
kernel, neither compared nor required unchanged). A pointer to a user struct (`Particle* p`) is a
buffer of `len` structs whose `init` is one generator for every field or a table of them by field
(`init = { x = "uniform(-1, 1)", tag = "randint(0, 9)" }`; nested structs by path, "pos.x", or as a
whole, "pos"); it is compared field by field and its padding is ignored.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cuport.diagnostics import Diagnostic, diag
from cuport.ir.layout import struct_name
from cuport.source import SourceText, Span
from cuport.verify import expr
from cuport.verify.inputs import FieldInits, GeneratorError, parse_generator
from cuport.verify.protocol import Launch, ParamType

SPEC_SUFFIX = ".cuport.toml"

ArgKind = Literal["size", "value", "random", "buffer"]


class SpecError(Exception):
    """A spec that cannot be used; carries its diagnostic (CS001/CS002/CS003)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class ArgSpec:
    """One kernel argument. `kind`: size (an integer expression), value (a literal), random (a
    generated scalar), buffer (a pointer: `len` elements of the pointee type)."""

    kind: ArgKind
    expr: str | int | float | None = None  # size expression, or literal for value
    # generator for random scalars and buffers (per field for struct buffers); None: poisoned output
    init: str | FieldInits | None = None
    length: str | int | None = None  # buffers: element count expression
    out: bool | None = None  # buffers: None means "default: every non-const pointer"
    scratch: bool = False
    span: Span | None = None

    def is_output(self, param: ParamType) -> bool:
        if self.kind != "buffer" or self.scratch:
            return False
        return self.out if self.out is not None else not param.const


@dataclass(frozen=True)
class Tolerance:
    rtol: float | None = None
    atol: float | None = None


@dataclass(frozen=True)
class KernelSpec:
    name: str  # as in the table header, template arguments included
    grid: tuple[str | int, str | int, str | int]
    block: tuple[str | int, str | int, str | int]
    shared: str | int = 0
    sizes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    defines: Mapping[str, str] = field(default_factory=dict)
    includes: tuple[Path, ...] = ()
    args: tuple[ArgSpec, ...] = ()
    tolerance: Tolerance = Tolerance()
    constants: Mapping[str, ArgSpec] = field(default_factory=dict)
    span: Span | None = None
    spec_path: Path | None = None

    @property
    def base_name(self) -> str:
        """The kernel's name without template arguments."""
        return self.name.split("<", 1)[0].strip()

    @property
    def trial_count(self) -> int:
        """Trials needed to see every listed size once."""
        return max((len(v) for v in self.sizes.values()), default=1)

    def sizes_for(self, trial: int) -> dict[str, int]:
        """Trial k takes the k-th value of each size list, cycling."""
        return {k: v[trial % len(v)] for k, v in self.sizes.items()}

    def launch(self, sizes: Mapping[str, int]) -> Launch:
        try:
            grid = tuple(expr.evaluate_int(e, sizes) for e in self.grid)
            block = tuple(expr.evaluate_int(e, sizes) for e in self.block)
            shared = expr.evaluate_int(self.shared, sizes)
        except expr.ExprError as exc:
            raise SpecError(diag("CS001", self.span, reason=str(exc))) from None
        if min(grid) < 1 or min(block) < 1 or shared < 0:
            raise SpecError(
                diag("CS001", self.span, reason=f"launch geometry grid={grid} block={block} shared={shared} for sizes {dict(sizes)}")
            )
        return Launch(self.name, grid, block, shared)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LaunchSpec:
    path: Path
    kernels: dict[str, KernelSpec]


def spec_path_for(source: Path) -> Path:
    """`dir/NAME.cu` -> `dir/NAME.cuport.toml`."""
    return source.with_name(source.stem + SPEC_SUFFIX)


class _Locator:
    """Finds tables and keys in the spec text, because tomllib reports no positions."""

    def __init__(self, path: Path, text: str) -> None:
        self.source = SourceText.from_text(str(path), text)
        self.text = text

    def _span(self, offset: int) -> Span:
        return self.source.span(offset, offset)

    def table(self, name: str) -> Span:
        pattern = re.compile(r"^\s*\[\s*(?:\"" + re.escape(name) + r"\"|'" + re.escape(name) + r"'|" + re.escape(name) + r")\s*\]", re.M)
        m = pattern.search(self.text)
        return self._span(m.start() + len(m.group(0)) - len(m.group(0).lstrip())) if m else self._span(0)

    def key(self, table: str, key: str, nth: int = 0) -> Span:
        """The nth occurrence of `key` after the table header (nth counts `{...}` items of args)."""
        start = self.table(table).start
        next_table = re.compile(r"^\s*\[[^\]]", re.M).search(self.text, start + 1)
        end = next_table.start() if next_table else len(self.text)
        m = re.compile(r"(?<![\w.])" + re.escape(key) + r"\s*=").search(self.text, start, end)
        if m is None:
            return self._span(start)
        if nth > 0 and key == "args":
            return self._nth_item(m.end(), end, nth)
        return self._span(m.start())

    def _nth_item(self, pos: int, end: int, nth: int) -> Span:
        """Offset of the nth (1-based) element of the array starting after `pos`."""
        depth = 0
        count = 0
        i = pos
        in_str: str | None = None
        while i < end:
            c = self.text[i]
            if in_str:
                if c == in_str:
                    in_str = None
            elif c in "\"'":
                in_str = c
                if depth == 1:
                    count += 1
                    if count == nth:
                        return self._span(i)
            elif c == "#":
                nl = self.text.find("\n", i)
                i = end if nl == -1 else nl
                continue
            elif c in "[{":
                depth += 1
                if depth == 2 and c == "{":
                    count += 1
                    if count == nth:
                        return self._span(i)
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1 and (c.isdigit() or c == "-") and (self.text[i - 1] in "[, \t\n"):
                count += 1
                if count == nth:
                    return self._span(i)
            i += 1
        return self._span(pos)


_TABLE_KEYS = {"grid", "block", "shared", "sizes", "defines", "includes", "args", "tolerance", "constants"}
_BUFFER_KEYS = {"len", "init", "out", "scratch"}


def load_spec(path: str | Path) -> LaunchSpec:
    """Read and check a spec file; raises SpecError (CS001) with the file's line:col."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(diag("CS001", Span(str(path), 0, 0), reason=f"cannot read {path}: {exc}")) from None
    return parse_spec(text, path)


def parse_spec(text: str, path: Path) -> LaunchSpec:
    loc = _Locator(path, text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        span = Span(str(path), int(m.group(1)), int(m.group(2))) if m else Span(str(path), 1, 1)
        raise SpecError(diag("CS001", span, reason=f"not valid TOML: {exc}")) from None
    kernels: dict[str, KernelSpec] = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise SpecError(diag("CS001", loc.key("", name), reason=f"top-level key {name!r} must be a kernel table [{name}]"))
        kernels[name] = _kernel(name, table, loc, path)
    if not kernels:
        raise SpecError(diag("CS001", Span(str(path), 1, 1), reason="the file has no kernel table"))
    return LaunchSpec(path, kernels)


def _fail(span: Span, reason: str) -> SpecError:
    return SpecError(diag("CS001", span, reason=reason))


def _dims(value: Any, what: str, span: Span, sizes: Mapping[str, int]) -> tuple[str | int, str | int, str | int]:
    items = value if isinstance(value, list) else [value]
    if not 1 <= len(items) <= 3:
        raise _fail(span, f"{what} must be an int, an expression or [x, y, z]")
    out: list[str | int] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise _fail(span, f"{what} entries must be ints or expressions, got {item!r}")
        _check_expr(item, sizes, span, what)
        out.append(item)
    while len(out) < 3:
        out.append(1)
    return out[0], out[1], out[2]


def _check_expr(e: str | int | float, sizes: Mapping[str, int], span: Span, what: str) -> None:
    if isinstance(e, str):
        try:
            unknown = expr.names(e) - set(sizes)
        except expr.ExprError as exc:
            raise _fail(span, f"{what}: {exc}") from None
        if unknown:
            raise _fail(span, f"{what}: expression {e!r} uses unknown size(s) {', '.join(sorted(unknown))}")


def _check_generator(text: str, sizes: Mapping[str, int], span: Span, what: str) -> None:
    try:
        unknown = parse_generator(text).size_names() - set(sizes)
    except GeneratorError as exc:
        raise _fail(span, f"{what}: {exc}") from None
    if unknown:
        raise _fail(span, f"{what}: generator {text!r} uses unknown size(s) {', '.join(sorted(unknown))}")


def _kernel(name: str, t: dict[str, Any], loc: _Locator, path: Path) -> KernelSpec:
    span = loc.table(name)
    for key in t:
        if key not in _TABLE_KEYS:
            raise _fail(loc.key(name, key), f"unknown key {key!r} in [{name}] (known: {', '.join(sorted(_TABLE_KEYS))})")
    for key in ("grid", "block", "args"):
        if key not in t:
            raise _fail(span, f"[{name}] needs {key!r}")

    sizes: dict[str, tuple[int, ...]] = {}
    raw_sizes = t.get("sizes", {})
    if not isinstance(raw_sizes, dict):
        raise _fail(loc.key(name, "sizes"), "sizes must be a table of named lists, e.g. { n = [1, 257] }")
    for sname, values in raw_sizes.items():
        values = values if isinstance(values, list) else [values]
        if not values or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in values):
            raise _fail(loc.key(name, "sizes"), f"size {sname!r} must be a non-empty list of non-negative ints")
        sizes[sname] = tuple(values)
    probe = {k: v[0] for k, v in sizes.items()}

    grid = _dims(t["grid"], "grid", loc.key(name, "grid"), probe)
    block = _dims(t["block"], "block", loc.key(name, "block"), probe)
    shared = t.get("shared", 0)
    if isinstance(shared, bool) or not isinstance(shared, int | str):
        raise _fail(loc.key(name, "shared"), "shared must be an int or an expression")
    _check_expr(shared, probe, loc.key(name, "shared"), "shared")

    defines = t.get("defines", {})
    if not isinstance(defines, dict):
        raise _fail(loc.key(name, "defines"), "defines must be a table, e.g. { N = 64 }")
    includes_raw = t.get("includes", [])
    if not isinstance(includes_raw, list) or not all(isinstance(i, str) for i in includes_raw):
        raise _fail(loc.key(name, "includes"), "includes must be a list of folder names")

    raw_args = t["args"]
    if not isinstance(raw_args, list):
        raise _fail(loc.key(name, "args"), "args must be a list, one entry per kernel parameter")
    args = tuple(_arg(a, probe, loc.key(name, "args", i + 1), f"args[{i}]") for i, a in enumerate(raw_args))

    tol = t.get("tolerance", {})
    if not isinstance(tol, dict) or set(tol) - {"rtol", "atol"} or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in tol.values()
    ):
        raise _fail(loc.key(name, "tolerance"), "tolerance must be { rtol = x, atol = y } with non-negative numbers")

    consts_raw = t.get("constants", {})
    if not isinstance(consts_raw, dict):
        raise _fail(loc.key(name, "constants"), "constants must be a table of { len, init } buffers")
    constants: dict[str, ArgSpec] = {}
    for cname, c in consts_raw.items():
        a = _arg(c, probe, loc.key(name, "constants"), f"constants.{cname}")
        if a.kind != "buffer" or a.init is None:
            raise _fail(loc.key(name, "constants"), f"constant {cname!r} needs {{ len = ..., init = ... }}")
        constants[cname] = a

    return KernelSpec(
        name=name,
        grid=grid,
        block=block,
        shared=shared,
        sizes=sizes,
        defines={str(k): _define_value(v) for k, v in defines.items()},
        includes=tuple((path.parent / i).resolve() for i in includes_raw),
        args=args,
        tolerance=Tolerance(tol.get("rtol"), tol.get("atol")),
        constants=constants,
        span=span,
        spec_path=path,
    )


def _define_value(v: Any) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v)


def _arg(a: Any, sizes: Mapping[str, int], span: Span, what: str) -> ArgSpec:
    if isinstance(a, bool):
        raise _fail(span, f"{what}: expected an expression, a number or a table, got {a!r}")
    if isinstance(a, int | str):
        _check_expr(a, sizes, span, what)
        return ArgSpec("size", expr=a, span=span)
    if isinstance(a, float):
        return ArgSpec("value", expr=a, span=span)
    if not isinstance(a, dict):
        raise _fail(span, f"{what}: expected an expression, a number or a table, got {a!r}")
    if "value" in a:
        if len(a) != 1:
            raise _fail(span, f"{what}: a scalar table holds only 'value'")
        v = a["value"]
        if isinstance(v, str):
            try:
                _check_generator(v, sizes, span, what)
            except SpecError as exc:
                # not a generator: maybe an expression over the sizes
                try:
                    _check_expr(v, sizes, span, what)
                except SpecError:
                    raise exc from None
                return ArgSpec("size", expr=v, span=span)
            return ArgSpec("random", init=v, span=span)
        if isinstance(v, bool):
            v = int(v)
        if not isinstance(v, int | float):
            raise _fail(span, f"{what}: value must be a number or a generator such as \"uniform(-1, 1)\"")
        return ArgSpec("value", expr=v, span=span)
    unknown = set(a) - _BUFFER_KEYS
    if unknown:
        raise _fail(span, f"{what}: unknown key(s) {', '.join(sorted(unknown))} (a pointer takes len, init, out)")
    if "len" not in a:
        raise _fail(span, f"{what}: a pointer argument needs 'len'")
    length = a["len"]
    if isinstance(length, bool) or not isinstance(length, int | str):
        raise _fail(span, f"{what}: len must be an int or an expression")
    _check_expr(length, sizes, span, f"{what}.len")
    init = a.get("init")
    if isinstance(init, dict):
        init = _field_inits(init, sizes, span, what)
    elif init is not None:
        if not isinstance(init, str):
            raise _fail(span, f"{what}: init must be a generator such as \"uniform(-1, 1)\" "
                        "(or, for a pointer to a struct, a table of them by field)")
        _check_generator(init, sizes, span, what)
    out = a.get("out")
    if out is not None and not isinstance(out, bool):
        raise _fail(span, f"{what}: out must be true or false")
    scratch = bool(a.get("scratch", False))
    if init is None and out is False and not scratch:
        raise _fail(span, f"{what}: a buffer with no init must be an output (out = true) or scratch")
    return ArgSpec("buffer", length=length, init=init, out=out, scratch=scratch, span=span)


def _field_inits(table: dict[str, Any], sizes: Mapping[str, int], span: Span, what: str) -> FieldInits:
    """`{ x = "uniform(-1, 1)", tag = "randint(0, 9)" }`; TOML's dotted keys (pos.x = ...) arrive nested."""
    out: list[tuple[str, str]] = []

    def walk(t: dict[str, Any], prefix: str) -> None:
        for key, gen in t.items():
            name = f"{prefix}{key}"
            if isinstance(gen, dict):
                walk(gen, name + ".")
            elif isinstance(gen, str):
                _check_generator(gen, sizes, span, f"{what}.init.{name}")
                out.append((name, gen))
            else:
                raise _fail(span, f"{what}: init.{name} must be a generator such as \"uniform(-1, 1)\"")

    walk(table, "")
    if not out:
        raise _fail(span, f"{what}: init table names no field")
    return tuple(out)


def check_signature(kspec: KernelSpec, signature: list[ParamType]) -> list[Diagnostic]:
    """CS002 for every way the spec's args disagree with the kernel's parameters."""
    problems: list[Diagnostic] = []
    if len(kspec.args) != len(signature):
        problems.append(
            diag(
                "CS002",
                kspec.span,
                reason=f"kernel '{kspec.name}' has {len(signature)} parameter(s), the spec gives {len(kspec.args)} arg(s)",
            )
        )
        return problems
    for i, (a, p) in enumerate(zip(kspec.args, signature, strict=True)):
        if p.kind == "pointer" and a.kind != "buffer":
            problems.append(diag("CS002", a.span, reason=f"parameter {i + 1} is a pointer ({p.dtype}*); give {{ len = ..., init = ... }}"))
        elif p.kind == "scalar" and a.kind == "buffer":
            problems.append(diag("CS002", a.span, reason=f"parameter {i + 1} is a scalar ({p.dtype}); give an expression or {{ value = ... }}"))
        elif a.kind == "buffer" and p.const and a.out:
            problems.append(diag("CS002", a.span, reason=f"parameter {i + 1} points to const {p.dtype}; it cannot be an output"))
        elif a.kind == "buffer" and isinstance(a.init, tuple) and struct_name(p.dtype) is None:
            problems.append(diag("CS002", a.span, reason=f"parameter {i + 1} points to {p.dtype}, not to a struct: "
                                 "give one generator, not a table by field"))
    return problems
