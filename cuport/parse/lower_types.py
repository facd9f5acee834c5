"""CUDA type spellings (tree-sitter CST or text) -> IR types, for the lowering.

Names resolve through one table: C/C++ scalar names, CUDA vector and half types, then the
file's typedefs/aliases/structs and the template's type parameters (`TypeNames`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tree_sitter import Node as CstNode

from cuport.ir import types as t
from cuport.parse.lower_traits import trait_type

if TYPE_CHECKING:
    from cuport.parse.lower_cub import CubAlias

# Scalar spellings after normalising `signed`/`int` noise (see `_sized_name`).
SCALAR_NAMES: dict[str, t.Type] = {
    "bool": t.BOOL, "char": t.I8, "signed char": t.I8, "unsigned char": t.U8,
    "short": t.I16, "unsigned short": t.U16, "int": t.I32, "unsigned": t.U32, "unsigned int": t.U32,
    "long": t.I64, "unsigned long": t.U64, "long long": t.I64, "unsigned long long": t.U64,
    "float": t.F32, "double": t.F64, "long double": t.F64, "void": t.VOID,
    "int8_t": t.I8, "int16_t": t.I16, "int32_t": t.I32, "int64_t": t.I64,
    "uint8_t": t.U8, "uint16_t": t.U16, "uint32_t": t.U32, "uint64_t": t.U64,
    "size_t": t.U64, "ssize_t": t.I64, "ptrdiff_t": t.I64, "intptr_t": t.I64, "uintptr_t": t.U64,
    "uint": t.U32, "ushort": t.U16, "uchar": t.U8, "ulong": t.U64,
    "half": t.F16, "__half": t.F16, "__nv_bfloat16": t.BF16, "nv_bfloat16": t.BF16,
    "std::size_t": t.U64, "std::int32_t": t.I32, "std::uint32_t": t.U32, "std::int64_t": t.I64,
    "std::uint64_t": t.U64, "clock_t": t.I64, "std::int8_t": t.I8, "std::uint8_t": t.U8, "std::int16_t": t.I16,
    "std::uint16_t": t.U16, "std::ptrdiff_t": t.I64, "std::intptr_t": t.I64, "std::uintptr_t": t.U64,
}  # fmt: skip


class ClassResolver(Protocol):
    """What type lookup needs of the file's classes (`lower_structs.ClassTable`)."""

    classes: Mapping[str, object]

    namespaces: set[str]

    def instantiate(self, name: str, names: TypeNames) -> t.Type | None: ...

    def member(self, ty: t.Struct, name: str, names: TypeNames) -> t.Type | tuple[int, t.Type] | None: ...


class TypeError_(Exception):
    """A type that cannot be resolved: `what` is the spelling, `node` where it was written."""

    def __init__(self, what: str, node: CstNode | None) -> None:
        super().__init__(what)
        self.what = what
        self.node = node


@dataclass
class TypeNames:
    """Names that denote types in one function: file typedefs and structs, then template params."""

    names: dict[str, t.Type] = field(default_factory=dict)
    # `using R = cub::BlockReduce<T, N>` and other CUB collectives (lower_cub.CubAlias) by alias;
    # `R::TempStorage` is the collective's shared scratch array.
    cub: dict[str, CubAlias] = field(default_factory=dict)
    values: dict[str, int] = field(default_factory=dict)  # template value parameters in scope
    classes: ClassResolver | None = None  # the file's structs and class templates (lower_structs)

    def child(self, extra: dict[str, t.Type], values: dict[str, int] | None = None) -> TypeNames:
        return TypeNames({**self.names, **extra}, dict(self.cub), {**self.values, **(values or {})}, self.classes)

    def lookup(self, name: str) -> t.Type | None:
        name = name.strip()
        if name in self.names:
            return self.names[name]
        if self.classes is not None and ("<" in name or name.split()[-1] in self.classes.classes):
            found = self.classes.instantiate(name, self)
            if found is not None:
                return found
        storage = re.fullmatch(r"(?:typename\s+)?(\w+)::TempStorage", name)
        if storage is not None and storage.group(1) in self.cub:
            return self.cub[storage.group(1)].storage()
        if name.startswith("struct "):
            return self.lookup(name[len("struct "):])
        if "<" in name and (traited := trait_type(name, lambda text: parse_type_text(text, self))) is not None:
            return traited
        if name in SCALAR_NAMES:
            return SCALAR_NAMES[name]
        if name in t.VECTOR_TYPES:
            return t.VECTOR_TYPES[name]
        if name in t.HANDLE_TYPES:
            return t.HANDLE_TYPES[name]
        if name in t.LIBRARY_STRUCTS:
            return t.LIBRARY_STRUCTS[name]
        if name == "dim3":
            return t.VECTOR_TYPES["uint3"]  # its constructor's defaults: lower_library.dim3_value
        if "::" in name:
            return self.scoped(name)
        return None

    def scoped(self, name: str) -> t.Type | None:
        """`ns::T` (a namespace of the file) and `S::T` / `typename Traits::T` (a member type)."""
        parts = split_scope(name.removeprefix("typename ").strip())
        if parts is None or self.classes is None:
            return None
        prefix, member = parts
        if all(p in self.classes.namespaces for p in prefix.split("::")):
            return self.lookup(member)
        owner = self.lookup(prefix)
        found = self.classes.member(owner, member, self) if isinstance(owner, t.Struct) else None
        return found if found is not None and not isinstance(found, tuple) else None


def split_scope(name: str) -> tuple[str, str] | None:
    """`a::B<c::d>::e` -> ("a::B<c::d>", "e"): the last `::` outside template brackets."""
    depth = 0
    for i in range(len(name) - 1, 0, -1):
        ch = name[i]
        depth += ch == ">"
        depth -= ch == "<"
        if depth == 0 and name[i - 1:i + 1] == "::":
            prefix = name[:i - 1].strip().removeprefix("::").strip()
            return (prefix, name[i + 1:].strip()) if prefix else None
    return None


def _sized_name(words: list[str]) -> str:
    """`unsigned long long int` -> `unsigned long long`; `signed int` -> `int`; `short int` -> `short`."""
    unsigned = "unsigned" in words
    rest = [w for w in words if w not in ("unsigned", "signed")]
    if len(rest) > 1 and "int" in rest:
        rest.remove("int")
    if not rest:
        rest = ["int"]
    base = " ".join(rest)
    if base == "char" and "signed" in words:
        return "signed char"
    return f"unsigned {base}" if unsigned else base


def base_type(node: CstNode, names: TypeNames) -> t.Type:
    """The type a declaration's `type` field names (no declarator applied)."""
    kind = node.type
    text = node.text.decode() if node.text else ""
    if kind == "sized_type_specifier":
        words = [c.text.decode() for c in node.children if c.text]
        name = _sized_name(" ".join(words).split())
        found = names.lookup(name)
    elif kind in ("primitive_type", "type_identifier", "qualified_identifier", "dependent_type", "template_type"):
        found = names.lookup(text)
    elif kind in ("struct_specifier", "class_specifier"):
        name_node = node.child_by_field_name("name")
        found = names.lookup(name_node.text.decode()) if name_node is not None and name_node.text else None
        if found is None and name_node is not None and name_node.text:
            found = t.Struct(name_node.text.decode())
    elif kind == "enum_specifier":
        found = t.I32  # enumerations are int-sized on every target (no fixed underlying types here)
    elif kind == "placeholder_type_specifier":
        raise TypeError_("auto", node)  # the caller infers it from the initializer
    else:
        found = None
    if found is None:
        raise TypeError_(text or kind, node)
    return found


def has_qualifier(node: CstNode, word: str) -> bool:
    """Whether a declaration-level qualifier or specifier (const, __shared__, extern...) is present."""
    for c in node.children:
        if c.type in ("type_qualifier", "storage_class_specifier", "virtual_function_specifier"):
            if c.text and c.text.decode() == word:
                return True
        elif not c.is_named and c.type == word:
            return True
    return False


def parse_type_text(text: str, names: TypeNames) -> t.Type | None:
    """A type written as text (template arguments like "float", "unsigned int", "const float*")."""
    text = text.strip()
    stars = 0
    while text.endswith("*"):
        stars += 1
        text = text[:-1].strip()
    const = False
    if text.startswith("const "):
        const, text = True, text[len("const "):]
    words = text.split()
    if words and all(w in ("unsigned", "signed", "long", "short", "int", "char") for w in words):
        text = _sized_name(words)
    base = names.lookup(re.sub(r"\s+", " ", text))
    if base is None:
        return None
    for i in range(stars):
        base = t.Pointer(base, const=const and i == 0)
    return base


def size_of(ty: t.Type) -> int | None:
    """sizeof in bytes as nvcc lays types out (float3 is 12, vectors of 2/4 aligned to their size)."""
    if isinstance(ty, t.Scalar):
        return max(ty.kind.bits // 8, 1)
    if isinstance(ty, t.Vector):
        return (ty.elem.kind.bits // 8) * ty.count
    if isinstance(ty, t.Pointer):
        return 8
    if isinstance(ty, t.Array) and ty.size is not None:
        inner = size_of(ty.elem)
        return None if inner is None else inner * ty.size
    if isinstance(ty, t.Struct) and ty.fields:
        total = 0
        align = 1
        for _, ft in ty.fields:
            s = size_of(ft)
            if s is None:
                return None
            a = min(s, 8) if not isinstance(ft, t.Array) else min(size_of(ft.elem) or 1, 8)
            align = max(align, a)
            total = (total + a - 1) // a * a + s
        return (total + align - 1) // align * align
    return None
