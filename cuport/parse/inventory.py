"""What a CUDA file holds: kernels and device functions, CUDA globals, includes, launch sites and
the regions the parser could not read. Built from the CST in one pass; never raises.

Kernels the grammar could not place (inside ERROR regions) are recovered from token text and
marked `recovered=True`, so counts stay honest about how they were found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cuport.diagnostics import Diagnostic, diag
from cuport.parse.cst import (
    FUNCTION_QUALIFIERS,
    VARIABLE_QUALIFIERS,
    Node,
    Tree,
    is_file_scope,
    iter_nodes,
    iter_problems,
    node_text,
)
from cuport.source import SourceText, Span


@dataclass(frozen=True)
class Param:
    name: str  # "" for an unnamed parameter
    type: str  # declaration text without the name, e.g. "const float* __restrict__", "float [16]"
    span: Span
    default: str | None = None
    variadic: bool = False  # the C `...`


@dataclass(frozen=True)
class TemplateParam:
    kind: str  # "type" | "value" | "template"
    name: str
    type: str = ""  # the value type for kind "value" ("int", "unsigned"), else ""
    default: str | None = None
    pack: bool = False  # `typename... Ts`


@dataclass(frozen=True)
class FunctionDecl:
    name: str  # the bare name: "k" for `template<> __global__ void a::k<float>(...)`
    qualified_name: str  # with namespaces and classes: "a::k"
    qualifiers: frozenset[str]  # among "global", "device", "host"
    params: tuple[Param, ...]
    template_params: tuple[TemplateParam, ...]
    return_type: str
    span: Span  # of the name
    start: int  # byte range of the whole definition or declaration, `template <...>` included
    end: int
    body_start: int | None  # byte range of the body `{...}`; None for a declaration, or for a recovered
    # definition whose braces do not balance (an `#if` splitting it)
    body_end: int | None
    is_definition: bool
    specialization: str | None = None  # "<float>" for an explicit specialisation
    specifiers: tuple[str, ...] = ()  # static, inline, __forceinline__, __noinline__, extern ...
    launch_bounds: str | None = None  # argument text of __launch_bounds__(...)
    extern_c: bool = False
    recovered: bool = False  # found by token text inside a parse error, not by the grammar
    qualifier_macro: str | None = None  # qualifiers came from a macro of this file (`#define KERNEL __global__`)

    @property
    def is_kernel(self) -> bool:
        return "global" in self.qualifiers

    @property
    def is_template(self) -> bool:
        return bool(self.template_params)


@dataclass(frozen=True)
class GlobalVar:
    name: str
    kind: str  # "constant" | "device" | "managed" | "shared" | "texture" | "surface"
    qualifiers: frozenset[str]
    type: str  # declaration text without the name: "float [16]", "texture<float, 1>"
    span: Span
    is_extern: bool = False
    initializer: str | None = None


@dataclass(frozen=True)
class Include:
    name: str  # as written, without quotes or angle brackets
    system: bool  # <...> rather than "..."
    span: Span


@dataclass(frozen=True)
class LaunchSite:
    callee: str  # the kernel name as written at the call ("k", "ns::k"), "" if not a plain name
    template_args: str | None  # "<float, 256>"
    config: tuple[str, ...]  # grid, block[, shared[, stream]] as text
    args: tuple[str, ...]  # kernel arguments as text (the args array for cudaLaunchKernel)
    span: Span  # of the whole call
    via: str  # "<<<>>>" or the API name ("cudaLaunchKernel", ...)
    caller: str | None = None  # the enclosing function's name


@dataclass(frozen=True)
class ParseProblem:
    what: str  # short description for CP003
    span: Span
    missing: bool = False  # a MISSING token rather than an ERROR region


@dataclass(frozen=True)
class FileInventory:
    path: str
    functions: tuple[FunctionDecl, ...] = ()
    globals: tuple[GlobalVar, ...] = ()
    includes: tuple[Include, ...] = ()
    launches: tuple[LaunchSite, ...] = ()
    problems: tuple[ParseProblem, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def kernels(self) -> tuple[FunctionDecl, ...]:
        return tuple(f for f in self.functions if f.is_kernel)

    @property
    def device_functions(self) -> tuple[FunctionDecl, ...]:
        return tuple(f for f in self.functions if not f.is_kernel)

    def find(self, name: str) -> tuple[FunctionDecl, ...]:
        """Functions whose bare or qualified name is `name`, definitions first."""
        hits = [f for f in self.functions if name in (f.name, f.qualified_name)]
        return tuple(sorted(hits, key=lambda f: not f.is_definition))


# Launch APIs that take the kernel as an argument: name -> (index of the kernel argument, index of
# the first configuration argument, index of the argument array or -1 when the arguments follow).
LAUNCH_APIS: dict[str, tuple[int, int, int]] = {
    "cudaLaunchKernel": (0, 1, 3),
    "cudaLaunchCooperativeKernel": (0, 1, 3),
    "cudaLaunchKernelEx": (1, 0, -1),
    "hipLaunchKernelGGL": (0, 1, -1),
}
# How many configuration arguments each API takes after the first configuration argument's index.
_LAUNCH_API_CONFIG_COUNT = {"cudaLaunchKernel": 2, "cudaLaunchCooperativeKernel": 2, "cudaLaunchKernelEx": 1,
                            "hipLaunchKernelGGL": 4}

_DECLARATOR_WRAPPERS = frozenset(
    {"pointer_declarator", "reference_declarator", "parenthesized_declarator", "array_declarator",
     "attributed_declarator", "init_declarator"}
)
_NAME_NODES = frozenset(
    {"identifier", "field_identifier", "qualified_identifier", "operator_name", "destructor_name",
     "template_function", "type_identifier", "operator_cast"}
)
_SPECIFIER_TOKENS = frozenset(
    {"__forceinline__", "__noinline__", "__inline__", "inline", "static", "extern", "constexpr", "virtual",
     "explicit", "__host__", "__device__", "__global__"}
)


def inventory(source: SourceText, tree: Tree) -> FileInventory:
    """Everything in one pass over the CST; ERROR regions are described and mined for kernels."""
    b = _Builder(source)
    for node in iter_nodes(tree.root_node):
        t = node.type
        if t == "function_definition" or (t in ("declaration", "field_declaration") and _function_declarator(node)):
            b.function(node)
        elif t == "declaration":
            b.global_var(node)
        elif t == "preproc_include":
            b.include(node)
        elif t == "preproc_def":
            b.macro(node)
        elif t == "call_expression":
            b.launch(node)
    b.problems(tree)
    return b.build()


class _Builder:
    def __init__(self, source: SourceText) -> None:
        self.src = source
        self.functions: list[FunctionDecl] = []
        self.globals: list[GlobalVar] = []
        self.includes: list[Include] = []
        self.launches: list[LaunchSite] = []
        self.problem_list: list[ParseProblem] = []
        self.diags: list[Diagnostic] = []
        self.claimed_tokens: set[int] = set()  # start bytes of qualifier tokens the grammar placed
        self.qualifier_macros: dict[str, frozenset[str]] = {}  # `#define KERNEL __global__` seen so far

    def text(self, node: Node | None) -> str:
        return "" if node is None else node_text(self.src, node)

    # --- functions ------------------------------------------------------------------------
    def macro(self, node: Node) -> None:
        value = node.child_by_field_name("value")
        # `inline __attribute__((always_inline)) __device__` is still a pure qualifier macro.
        words = _ATTRIBUTE.sub(" ", self.text(value)).split()
        quals = {FUNCTION_QUALIFIERS[w] for w in words if w in FUNCTION_QUALIFIERS}
        if quals and all(w in _SPECIFIER_TOKENS for w in words):
            self.qualifier_macros[self.text(node.child_by_field_name("name"))] = frozenset(quals)

    def function(self, node: Node) -> None:
        quals = frozenset(FUNCTION_QUALIFIERS[c.type] for c in node.children if c.type in FUNCTION_QUALIFIERS)
        for c in node.children:
            if c.type in FUNCTION_QUALIFIERS:
                self.claimed_tokens.add(c.start_byte)
        via_macro = None
        type_node = node.child_by_field_name("type")
        if not quals and type_node is not None and self.text(type_node) in self.qualifier_macros:
            # `KERNEL void k(...)`: the grammar takes the macro for the type and the real type for an ERROR.
            via_macro = self.text(type_node)
            quals = self.qualifier_macros[via_macro]
        if not quals:
            return
        fdecl = _function_declarator(node)
        if fdecl is None:
            return
        name_node = fdecl.child_by_field_name("declarator")
        name, spec = self._function_name(name_node)
        if name_node is not None and name_node.type == "template_function":
            name_node = name_node.child_by_field_name("name") or name_node
        outer = node
        while outer.parent is not None and outer.parent.type == "template_declaration":
            outer = outer.parent
        tparams = self._template_params(node.parent) if node.parent and node.parent.type == "template_declaration" else ()
        body = node.child_by_field_name("body")
        specifiers = tuple(
            self.text(c) for c in node.children
            if c.type in ("storage_class_specifier", "__forceinline__", "__noinline__", "__inline__", "virtual",
                          "explicit", "constexpr", "inline")
        )
        bounds = next((c for c in node.children if c.type == "launch_bounds"), None)
        scope = _scope_names(node, self.src)
        self.functions.append(
            FunctionDecl(
                name=name,
                qualified_name="::".join([*scope, name]) if "::" not in name else name,
                qualifiers=quals,
                params=self._params(fdecl.child_by_field_name("parameters")),
                template_params=tparams,
                return_type=self._macro_return_type(node) if via_macro else self._return_type(node, fdecl),
                span=self.src.span(name_node.start_byte, name_node.end_byte) if name_node else self.src.span(
                    node.start_byte, node.end_byte),
                start=outer.start_byte,
                end=outer.end_byte,
                body_start=body.start_byte if body is not None else None,
                body_end=body.end_byte if body is not None else None,
                is_definition=node.type == "function_definition" and body is not None,
                specialization=spec,
                specifiers=specifiers,
                launch_bounds=_inner_args(self.text(bounds)) if bounds is not None else None,
                extern_c=_in_extern_c(node, self.src),
                qualifier_macro=via_macro,
            )
        )

    def _macro_return_type(self, node: Node) -> str:
        misread = next((c for c in node.children if c.type == "ERROR"), None)
        words = self.text(misread).split()
        return words[0] if words else ""

    def _function_name(self, name_node: Node | None) -> tuple[str, str | None]:
        if name_node is None:
            return "", None
        spec = None
        if name_node.type == "template_function":
            spec = self.text(name_node.child_by_field_name("arguments"))
            name_node = name_node.child_by_field_name("name") or name_node
        return self.text(name_node), spec

    def _return_type(self, node: Node, fdecl: Node) -> str:
        parts = [self.text(c) for c in node.children if c.type == "type_qualifier"]
        parts.append(self.text(node.child_by_field_name("type")))
        # `float *f()` nests the function declarator in a pointer declarator: the stars belong to the type.
        decl = node.child_by_field_name("declarator")
        suffix = ""
        while decl is not None and decl.id != fdecl.id:
            if decl.type == "pointer_declarator":
                suffix += "*"
            elif decl.type == "reference_declarator":
                suffix += "&&" if self.text(decl).startswith("&&") else "&"
            decl = decl.child_by_field_name("declarator") or next(
                (c for c in decl.named_children if c.type.endswith("declarator")), None)
        return " ".join(p for p in parts if p) + suffix

    def _params(self, plist: Node | None) -> tuple[Param, ...]:
        if plist is None:
            return ()
        out: list[Param] = []
        for p in plist.children:
            if p.type == "...":
                out.append(Param("", "...", self.src.span(p.start_byte, p.end_byte), variadic=True))
                continue
            if not p.type.endswith("parameter_declaration"):
                continue
            if p.type == "parameter_declaration" and self.text(p).strip() == "void" and len(plist.named_children) == 1:
                break  # `f(void)` has no parameters
            decl = p.child_by_field_name("declarator")
            name_node = _innermost_name(decl)
            default = p.child_by_field_name("default_value")
            end = decl.end_byte if decl is not None else (p.child_by_field_name("type") or p).end_byte
            type_text = self._text_without(p.start_byte, end, name_node)
            span_node = name_node or p
            out.append(
                Param(
                    name=self.text(name_node),
                    type=type_text,
                    span=self.src.span(span_node.start_byte, span_node.end_byte),
                    default=self.text(default) if default is not None else None,
                )
            )
        return tuple(out)

    def _text_without(self, start: int, end: int, hole: Node | None) -> str:
        data = self.src.data
        if hole is None or not (start <= hole.start_byte and hole.end_byte <= end):
            raw = data[start:end]
        else:
            raw = data[start : hole.start_byte] + b" " + data[hole.end_byte : end]
        return _squash(raw.decode("utf-8", errors="replace"))

    def _template_params(self, tdecl: Node) -> tuple[TemplateParam, ...]:
        plist = tdecl.child_by_field_name("parameters")
        if plist is None:
            return ()
        out: list[TemplateParam] = []
        for p in plist.named_children:
            t = p.type
            pack = t.startswith("variadic_")
            if t in ("type_parameter_declaration", "variadic_type_parameter_declaration"):
                ident = next((c for c in p.named_children if c.type == "type_identifier"), None)
                out.append(TemplateParam("type", self.text(ident), pack=pack))
            elif t == "optional_type_parameter_declaration":
                out.append(TemplateParam("type", self.text(p.child_by_field_name("name")),
                                         default=self.text(p.child_by_field_name("default_type"))))
            elif t in ("parameter_declaration", "optional_parameter_declaration", "variadic_parameter_declaration"):
                decl = p.child_by_field_name("declarator")
                name_node = _innermost_name(decl)
                type_text = self._text_without(p.start_byte, (decl or p).end_byte, name_node)
                default = p.child_by_field_name("default_value")
                out.append(TemplateParam("value", self.text(name_node), type=type_text.replace("...", "").strip(),
                                         default=self.text(default) if default is not None else None,
                                         pack=pack or "..." in type_text))
            elif t == "template_template_parameter_declaration":
                inner = next((c for c in p.named_children if c.type.endswith("parameter_declaration")), None)
                ident = next((c for c in inner.named_children if c.type == "type_identifier"), None) if inner else None
                out.append(TemplateParam("template", self.text(ident)))
        return tuple(out)

    # --- globals --------------------------------------------------------------------------
    def global_var(self, node: Node) -> None:
        if not is_file_scope(node):
            return
        quals: set[str] = set()
        for c in node.children:
            if c.type in VARIABLE_QUALIFIERS:
                quals.add(VARIABLE_QUALIFIERS[c.type])
                self.claimed_tokens.add(c.start_byte)
            elif c.type == "type_qualifier" and self.text(c) in VARIABLE_QUALIFIERS:
                quals.add(VARIABLE_QUALIFIERS[self.text(c)])
        type_node = node.child_by_field_name("type")
        type_name = ""
        if type_node is not None and type_node.type == "template_type":
            type_name = self.text(type_node.child_by_field_name("name"))
        if type_name in ("texture", "surface"):
            kind = type_name
        elif quals:
            # `__device__ __constant__` is legal; the most specific memory space names the kind.
            kind = next(k for k in ("constant", "managed", "shared", "device") if k in quals)
        else:
            return
        is_extern = any(c.type == "storage_class_specifier" and self.text(c) == "extern" for c in node.children)
        prefix = " ".join(self.text(c) for c in node.children if c.type == "type_qualifier" and self.text(c)
                          not in VARIABLE_QUALIFIERS)
        base = _squash(f"{prefix} {self.text(type_node)}")
        for decl in node.children_by_field_name("declarator"):
            init = None
            if decl.type == "init_declarator":
                value = decl.child_by_field_name("value")
                init = self.text(value) if value is not None else None
                decl = decl.child_by_field_name("declarator") or decl
            name_node = _innermost_name(decl)
            if name_node is None:
                continue
            shape = self._text_without(decl.start_byte, decl.end_byte, name_node)
            self.globals.append(
                GlobalVar(
                    name=self.text(name_node),
                    kind=kind,
                    qualifiers=frozenset(quals),
                    type=_squash(f"{base} {shape}"),
                    span=self.src.span(name_node.start_byte, name_node.end_byte),
                    is_extern=is_extern,
                    initializer=init,
                )
            )

    # --- includes and launches ------------------------------------------------------------
    def include(self, node: Node) -> None:
        path = node.child_by_field_name("path")
        if path is None:
            return
        raw = self.text(path).strip()
        system = path.type == "system_lib_string"
        name = raw[1:-1] if len(raw) >= 2 and raw[0] in "<\"" else raw
        self.includes.append(Include(name, system, self.src.span(path.start_byte, path.end_byte)))

    def launch(self, node: Node) -> None:
        fn = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        chevrons = next((c for c in node.children if c.type == "kernel_call_syntax"), None)
        args = tuple(self.text(a) for a in args_node.named_children if a.type != "comment") if args_node else ()
        span = self.src.span(node.start_byte, node.end_byte)
        caller = _enclosing_function_name(node, self.src)
        if chevrons is not None:
            callee, targs = self._callee(fn)
            config = tuple(self.text(c) for c in chevrons.named_children if c.type != "comment")
            self.launches.append(LaunchSite(callee, targs, config, args, span, "<<<>>>", caller))
            return
        api = self.text(fn) if fn is not None and fn.type == "identifier" else ""
        if api not in LAUNCH_APIS:
            return
        kernel_at, config_at, args_at = LAUNCH_APIS[api]
        arg_nodes = [a for a in args_node.named_children if a.type != "comment"] if args_node else []
        if len(arg_nodes) <= kernel_at:
            return
        callee, targs = self._callee(_strip_kernel_ref(arg_nodes[kernel_at]))
        n_config = _LAUNCH_API_CONFIG_COUNT[api]
        config = args[config_at : config_at + n_config]
        kernel_args = (args[args_at],) if 0 <= args_at < len(args) else args[config_at + n_config + (kernel_at > config_at):]
        if api == "cudaLaunchKernelEx":
            kernel_args = args[2:]
        self.launches.append(LaunchSite(callee, targs, config, kernel_args, span, api, caller))

    def _callee(self, fn: Node | None) -> tuple[str, str | None]:
        if fn is None:
            return "", None
        if fn.type == "template_function":
            return self.text(fn.child_by_field_name("name")), self.text(fn.child_by_field_name("arguments"))
        if fn.type == "qualified_identifier":
            inner = fn.child_by_field_name("name")
            if inner is not None and inner.type == "template_function":
                scope = self.text(fn)[: inner.start_byte - fn.start_byte]
                return scope + self.text(inner.child_by_field_name("name")), self.text(
                    inner.child_by_field_name("arguments"))
            return self.text(fn), None
        if fn.type == "identifier":
            return self.text(fn), None
        return "", None

    # --- parse problems and recovery ------------------------------------------------------
    def problems(self, tree: Tree) -> None:
        for node in iter_problems(tree):
            span = self.src.span(node.start_byte, node.end_byte)
            if node.is_missing:
                what = f"missing '{node.type}'"
                problem = ParseProblem(what, span, missing=True)
            else:
                problem = ParseProblem(self._describe_error(node), span)
                self._recover_kernels(node)
            self.problem_list.append(problem)
            self.diags.append(diag("CP003", span, what=problem.what))

    def _describe_error(self, node: Node) -> str:
        first = self.text(node).strip().splitlines()[0] if self.text(node).strip() else ""
        if len(first) > 40:
            first = first[:37] + "..."
        return f"unexpected '{first}'" if first else "unexpected token"

    def _recover_kernels(self, error: Node) -> None:
        """Kernels the grammar lost: a qualifier token not placed in any declaration, then a name and `(`."""
        data = self.src.data
        seen_end = -1
        for tok in iter_nodes(error):
            if tok.type not in FUNCTION_QUALIFIERS or tok.child_count or tok.start_byte in self.claimed_tokens:
                continue
            if tok.start_byte < seen_end:
                continue  # a second qualifier of a run already handled
            found = _recover_at(data, tok.start_byte, error.end_byte)
            if found is None:
                continue
            seen_end = found.name_start
            quals, name, name_start, params_text, params_start, body = found.quals, found.name, found.name_start, \
                found.params, found.params_start, found.body
            self.functions.append(
                FunctionDecl(
                    name=name,
                    qualified_name="::".join([*_scope_names(error, self.src), name]),
                    qualifiers=quals,
                    params=_split_params(self.src, params_text, params_start),
                    template_params=(),
                    return_type=found.return_type,
                    span=self.src.span(name_start, name_start + len(name.encode())),
                    start=tok.start_byte,
                    end=body[1] if body else found.params_end,
                    body_start=body[0] if body else None,
                    body_end=body[1] if body else None,
                    is_definition=found.has_body,
                    recovered=True,
                )
            )

    def build(self) -> FileInventory:
        return FileInventory(
            path=self.src.path,
            functions=tuple(sorted(self.functions, key=lambda f: f.start)),
            globals=tuple(self.globals),
            includes=tuple(self.includes),
            launches=tuple(self.launches),
            problems=tuple(self.problem_list),
            diagnostics=tuple(self.diags),
        )


# --- helpers over the CST -------------------------------------------------------------------
def _function_declarator(node: Node) -> Node | None:
    decl = node.child_by_field_name("declarator")
    while decl is not None:
        if decl.type == "function_declarator":
            return decl
        if decl.type not in ("pointer_declarator", "reference_declarator", "attributed_declarator"):
            return None
        decl = decl.child_by_field_name("declarator") or next(
            (c for c in decl.named_children if c.type.endswith("declarator")), None)
    return None


def _innermost_name(decl: Node | None) -> Node | None:
    while decl is not None:
        if decl.type in _NAME_NODES:
            return decl
        if decl.type == "function_declarator":  # a function pointer parameter: `float (*f)(int)`
            decl = decl.child_by_field_name("declarator")
            continue
        nxt = decl.child_by_field_name("declarator")
        if nxt is None:
            nxt = next((c for c in decl.named_children if c.type in _NAME_NODES or c.type.endswith("declarator")), None)
        decl = nxt
    return None


def _scope_names(node: Node, src: SourceText) -> list[str]:
    names: list[str] = []
    parent = node.parent
    while parent is not None:
        if parent.type in ("namespace_definition", "class_specifier", "struct_specifier", "union_specifier"):
            name = parent.child_by_field_name("name")
            names.append(node_text(src, name) if name is not None else "(anonymous)")
        parent = parent.parent
    return names[::-1]


def _in_extern_c(node: Node, src: SourceText) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "linkage_specification":
            value = parent.child_by_field_name("value")
            return value is not None and node_text(src, value).strip('"') == "C"
        parent = parent.parent
    return False


def _enclosing_function_name(node: Node, src: SourceText) -> str | None:
    parent = node.parent
    while parent is not None:
        if parent.type == "function_definition":
            fdecl = _function_declarator(parent)
            name = _innermost_name(fdecl.child_by_field_name("declarator")) if fdecl else None
            if name is not None and name.type == "template_function":
                name = name.child_by_field_name("name")
            return node_text(src, name) if name is not None else None
        parent = parent.parent
    return None


def _strip_kernel_ref(node: Node) -> Node:
    """`(void*)k`, `reinterpret_cast<void*>(k)`, `&k`, `(k)` -> the node naming k."""
    while True:
        if node.type == "cast_expression":
            inner = node.child_by_field_name("value")
        elif node.type in ("pointer_expression", "parenthesized_expression"):
            inner = node.child_by_field_name("argument") or next(iter(node.named_children), None)
        elif node.type == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            is_cast = fn is not None and fn.type == "template_function" and (fn.text or b"").split(b"<")[0].strip(
            ).endswith(b"_cast")
            inner = args.named_children[0] if is_cast and args is not None and args.named_child_count == 1 else None
        else:
            inner = None
        if inner is None:
            return node
        node = inner


def _inner_args(text: str) -> str:
    start, end = text.find("("), text.rfind(")")
    return text[start + 1 : end].strip() if 0 <= start < end else ""


def _squash(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([\[\],)*&])", r"\1", text)


# --- recovery by token text -----------------------------------------------------------------
@dataclass(frozen=True)
class _Recovered:
    quals: frozenset[str]
    name: str
    name_start: int
    return_type: str
    params: bytes
    params_start: int
    params_end: int
    body: tuple[int, int] | None
    has_body: bool  # `{` follows the parameters, even when its end could not be found


_WORD = re.compile(rb"[A-Za-z_]\w*")
_ATTRIBUTE = re.compile(r"__attribute__\s*\(\(.*?\)\)|__launch_bounds__\s*\([^)]*\)")
_NOT_NAMES = frozenset({b"__launch_bounds__", b"__attribute__", b"__declspec", b"alignas", b"__align__",
                        b"__maxnreg__", b"__cluster_dims__", b"decltype", b"sizeof"})
_RECOVERY_WINDOW = 4096  # a signature longer than this is not recovered


def _recover_at(data: bytes, start: int, limit: int) -> _Recovered | None:
    """From a qualifier token: more qualifiers and specifiers, a return type, a name, `(params)`, `{body}`."""
    end = min(len(data), start + _RECOVERY_WINDOW)
    quals: set[str] = set()
    type_words: list[str] = []
    pos = start
    while pos < end:
        ch = data[pos : pos + 1]
        if ch.isspace() or ch in (b"*", b"&", b":", b"<", b">", b","):
            if ch in (b"*", b"&"):
                type_words.append(ch.decode())
            pos += 1
            continue
        m = _WORD.match(data, pos)
        if m is None:
            return None  # `;`, `{`, `=`, `(` before a name: not a function signature
        word = m.group()
        pos = m.end()
        if word.decode() in FUNCTION_QUALIFIERS:
            quals.add(FUNCTION_QUALIFIERS[word.decode()])
            continue
        nxt = _skip_space(data, pos, end)
        if word in _NOT_NAMES:
            close = _match(data, nxt, end, b"(", b")") if data[nxt : nxt + 1] == b"(" else None
            pos = close if close is not None else nxt
            continue
        if data[nxt : nxt + 1] == b"(":
            close = _match(data, nxt, end, b"(", b")")
            if close is None:
                return None
            after = _skip_space(data, close, len(data))
            body = None
            has_body = data[after : after + 1] == b"{"
            if has_body:
                body_end = _match(data, after, len(data), b"{", b"}")
                body = (after, body_end) if body_end is not None else None
            if not quals:
                return None
            ret = " ".join(w for w in type_words if w not in _SPECIFIER_TOKENS)
            return _Recovered(frozenset(quals), word.decode(), m.start(), ret.replace(" *", "*").replace(" &", "&"),
                              data[nxt + 1 : close - 1], nxt + 1, close, body, has_body)
        if word.decode() not in _SPECIFIER_TOKENS:
            type_words.append(word.decode())
    return None


def _skip_space(data: bytes, pos: int, end: int) -> int:
    while pos < end and data[pos : pos + 1].isspace():
        pos += 1
    return pos


def _match(data: bytes, pos: int, end: int, open_: bytes, close: bytes) -> int | None:
    """Index just past the bracket matching the one at `pos`, skipping strings and comments."""
    depth = 0
    i = pos
    while i < end:
        c = data[i : i + 1]
        if c == b"/" and data[i + 1 : i + 2] == b"/":
            nl = data.find(b"\n", i)
            i = end if nl < 0 else nl
            continue
        if c == b"/" and data[i + 1 : i + 2] == b"*":
            close_c = data.find(b"*/", i + 2)
            i = end if close_c < 0 else close_c + 2
            continue
        if c in (b'"', b"'"):
            j = i + 1
            while j < end and data[j : j + 1] not in (c, b"\n"):
                j += 2 if data[j : j + 1] == b"\\" else 1
            i = j + 1
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _split_params(src: SourceText, text: bytes, base: int) -> tuple[Param, ...]:
    """Split `(a, b<c, d> e)` at top-level commas; the name is the last word of each piece."""
    pieces: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, c in enumerate(text):
        if c in b"(<[{":
            depth += 1
        elif c in b")>]}":
            depth -= 1
        elif c == ord(",") and depth == 0:
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, len(text)))
    out: list[Param] = []
    for a, b in pieces:
        piece = text[a:b].decode("utf-8", errors="replace")
        if not piece.strip() or piece.strip() == "void":
            continue
        words = list(re.finditer(r"[A-Za-z_]\w*", piece))
        last = words[-1] if words else None
        if last is not None and len(words) > 1 and not piece[last.end() :].strip().startswith("["):
            off = base + a + len(piece[: last.start()].encode())
            out.append(Param(last.group(), _squash(piece[: last.start()] + piece[last.end() :]),
                             src.span(off, off + len(last.group()))))
        else:
            off = base + a
            out.append(Param("", _squash(piece), src.span(off, base + b)))
    return tuple(out)
