"""Eligibility rules: boolean expressions over vocabulary references.

Grammar (AND binds tighter than OR; NOT is prefix)::

    rule   := or
    or     := and ("OR" and)*
    and    := not ("AND" not)*
    not    := "NOT" not | atom
    atom   := REF | "(" or ")"
    REF    := vocabulary ["." term-or-class]

The parsed form is a small tree of tuples so that evaluators (the criteria engine, the query
builder) can walk it without knowing the parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from livingreview.errors import BadInput

_TOKEN = re.compile(r"\s*(?:(\()|(\))|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?))")


class RuleSyntaxError(BadInput):
    """A rule that does not parse; the message names the position and what was expected."""


@dataclass(frozen=True)
class Ref:
    vocabulary: str
    name: str | None


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Ref | Not | And | Or


def _tokens(rule: str) -> list[tuple[int, str]]:
    tokens, position = [], 0
    rule = rule.rstrip()
    while position < len(rule):
        match = _TOKEN.match(rule, position)
        if not match:
            raise RuleSyntaxError(f"unexpected character {rule[position:].strip()[0]!r} at column {position + 1} of rule {rule!r}")
        tokens.append((match.start(match.lastindex or 0) + 1, match.group(match.lastindex or 0)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.tokens = _tokens(rule)
        self.index = 0

    def _peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def _fail(self, expected: str) -> RuleSyntaxError:
        if self.index < len(self.tokens):
            column, token = self.tokens[self.index]
            found = f"{token!r} at column {column}"
        else:
            found = "the end of the rule"
        return RuleSyntaxError(f"expected {expected} but found {found} in rule {self.rule!r}")

    def parse(self) -> Node:
        if not self.tokens:
            raise RuleSyntaxError("a rule may not be empty")
        node = self._or()
        if self._peek() is not None:
            raise self._fail("AND, OR or the end of the rule")
        return node

    def _or(self) -> Node:
        operands = [self._and()]
        while self._peek() == "OR":
            self.index += 1
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Node:
        operands = [self._not()]
        while self._peek() == "AND":
            self.index += 1
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _not(self) -> Node:
        if self._peek() == "NOT":
            self.index += 1
            return Not(self._not())
        return self._atom()

    def _atom(self) -> Node:
        token = self._peek()
        if token == "(":
            self.index += 1
            node = self._or()
            if self._peek() != ")":
                raise self._fail("')'")
            self.index += 1
            return node
        if token is None or token in {")", "AND", "OR", "NOT"}:
            raise self._fail("a vocabulary reference such as 'population.human'")
        self.index += 1
        vocabulary, _, name = token.partition(".")
        return Ref(vocabulary, name or None)


def parse_rule(rule: str) -> Node:
    return _Parser(rule).parse()


def rule_references(node: Node) -> Iterator[tuple[str, str | None]]:
    if isinstance(node, Ref):
        yield node.vocabulary, node.name
    elif isinstance(node, Not):
        yield from rule_references(node.operand)
    else:
        for operand in node.operands:
            yield from rule_references(operand)


def evaluate(node: Node, truth: Callable[[Ref], bool | None]) -> bool | None:
    """Three-valued (Kleene) evaluation: None means 'unclear' and propagates as such."""
    if isinstance(node, Ref):
        return truth(node)
    if isinstance(node, Not):
        value = evaluate(node.operand, truth)
        return None if value is None else not value
    values = [evaluate(operand, truth) for operand in node.operands]
    if isinstance(node, And):
        if False in values:
            return False
        return None if None in values else True
    if True in values:
        return True
    return None if None in values else False
