"""Size expressions of launch specs, evaluated without `eval`.

Grammar (C precedence, left associative):

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/' | '%') unary)*
    unary  := '-' unary | '+' unary | atom
    atom   := NUMBER | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'

Integers divide and take remainders like C (truncating toward zero), because grids and lengths
are computed that way in the CUDA host code the spec mirrors; a float operand makes the
operation a float one. Functions: `cdiv(a, b)` (ceiling division), `min`, `max`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

Number = int | float


class ExprError(ValueError):
    """An expression that cannot be parsed or evaluated; the message names the expression."""


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\d*\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|0[xX][0-9a-fA-F]+|\d+)"
    r"|(?P<name>[A-Za-z_]\w*)|(?P<op>[-+*/%(),]))"
)


@dataclass(frozen=True)
class Node:
    op: str  # "num" | "name" | "call" | "neg" | one of + - * / %
    value: Number | str = 0
    args: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ExprError(f"unexpected character {text[pos:].lstrip()[:1]!r} at position {pos + 1}")
        pos = m.end()
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, op: str) -> bool:
        t = self.peek()
        if t is not None and t[0] == "op" and t[1] == op:
            self.i += 1
            return True
        return False

    def parse(self) -> Node:
        if not self.toks:
            raise ExprError("empty expression")
        node = self.expr()
        if self.peek() is not None:
            raise ExprError(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return node

    def expr(self) -> Node:
        node = self.term()
        while True:
            t = self.peek()
            if t and t[0] == "op" and t[1] in "+-":
                self.i += 1
                node = Node(t[1], args=(node, self.term()))
            else:
                return node

    def term(self) -> Node:
        node = self.unary()
        while True:
            t = self.peek()
            if t and t[0] == "op" and t[1] in "*/%":
                self.i += 1
                node = Node(t[1], args=(node, self.unary()))
            else:
                return node

    def unary(self) -> Node:
        if self.take("-"):
            return Node("neg", args=(self.unary(),))
        if self.take("+"):
            return self.unary()
        return self.atom()

    def atom(self) -> Node:
        t = self.peek()
        if t is None:
            raise ExprError("unexpected end of expression")
        self.i += 1
        kind, text = t
        if kind == "num":
            if text.lower().startswith("0x"):
                return Node("num", int(text, 16))
            is_float = any(c in text for c in ".eE")
            return Node("num", float(text) if is_float else int(text))
        if kind == "name":
            if self.take("("):
                args = [self.expr()]
                while self.take(","):
                    args.append(self.expr())
                if not self.take(")"):
                    raise ExprError(f"missing ')' after arguments of {text}")
                return Node("call", text, tuple(args))
            return Node("name", text)
        if text == "(":
            node = self.expr()
            if not self.take(")"):
                raise ExprError("missing ')'")
            return node
        raise ExprError(f"unexpected {text!r}")


def _c_div(a: Number, b: Number) -> Number:
    if b == 0:
        raise ExprError("division by zero")
    if isinstance(a, int) and isinstance(b, int):
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b >= 0) else -q
    return a / b


def _c_mod(a: Number, b: Number) -> Number:
    if b == 0:
        raise ExprError("remainder by zero")
    if isinstance(a, int) and isinstance(b, int):
        return a - _c_div(a, b) * b  # type: ignore[operator]
    return math.fmod(a, b)


def _cdiv(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int):
        if b == 0:
            raise ExprError("division by zero in cdiv")
        return -((-a) // b)  # mathematical ceiling for every sign
    raise ExprError("cdiv takes integers")


FUNCTIONS: dict[str, tuple[int, Callable[..., Number]]] = {
    "cdiv": (2, _cdiv),
    "min": (-1, min),
    "max": (-1, max),
}

_BINARY: dict[str, Callable[[Number, Number], Number]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _c_div,
    "%": _c_mod,
}


@cache
def parse(text: str) -> Node:
    """Parse once (cached); raises ExprError naming the expression."""
    try:
        return _Parser(text).parse()
    except ExprError as exc:
        raise ExprError(f"in expression {text!r}: {exc}") from None


def names(text: str) -> set[str]:
    """The size names an expression uses (function names excluded)."""
    found: set[str] = set()

    def walk(n: Node) -> None:
        if n.op == "name":
            found.add(str(n.value))
        for a in n.args:
            walk(a)

    walk(parse(text))
    return found


def _eval(n: Node, env: Mapping[str, Number]) -> Number:
    if n.op == "num":
        return n.value  # type: ignore[return-value]
    if n.op == "name":
        if n.value not in env:
            known = ", ".join(sorted(env)) or "none"
            raise ExprError(f"unknown name {n.value!r} (sizes: {known})")
        return env[str(n.value)]
    if n.op == "neg":
        return -_eval(n.args[0], env)
    if n.op == "call":
        if n.value not in FUNCTIONS:
            raise ExprError(f"unknown function {n.value!r} (known: {', '.join(FUNCTIONS)})")
        arity, fn = FUNCTIONS[str(n.value)]
        if arity >= 0 and len(n.args) != arity:
            raise ExprError(f"{n.value} takes {arity} arguments, got {len(n.args)}")
        return fn(*(_eval(a, env) for a in n.args))
    return _BINARY[n.op](_eval(n.args[0], env), _eval(n.args[1], env))


def evaluate(text: str | int | float, env: Mapping[str, Number]) -> Number:
    """Evaluate an expression (or pass a number through) over the named sizes."""
    if isinstance(text, bool):
        raise ExprError(f"expected a number or an expression, got {text!r}")
    if isinstance(text, int | float):
        return text
    try:
        return _eval(parse(text), env)
    except ExprError as exc:
        msg = str(exc)
        raise ExprError(msg if msg.startswith("in expression") else f"in expression {text!r}: {msg}") from None


def evaluate_int(text: str | int | float, env: Mapping[str, Number]) -> int:
    value = evaluate(text, env)
    if isinstance(value, float):
        if not value.is_integer():
            raise ExprError(f"in expression {text!r}: expected an integer, got {value}")
        return int(value)
    return value
