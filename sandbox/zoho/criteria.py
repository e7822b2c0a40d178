"""The Search API's ``criteria``: ``(Field:operator:value)`` conditions joined by ``and``/``or`` inside parentheses,
e.g. ``((Account_Name:equals:Acme)and(Intacct_ID:in:C-1,C-2))``. A value escapes ``(``, ``)`` and ``,`` with a
backslash. At most 10 conditions. ``and`` binds tighter than ``or`` (UNVERIFIED: Zoho asks for explicit groups)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.zoho.errors import invalid_query

OPERATORS = frozenset(
    {"equals", "not_equal", "starts_with", "in", "greater_than", "greater_equal", "less_than", "less_equal", "between"}
)
MAX_CONDITIONS = 10
MAX_IN_VALUES = 100


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """``terms`` joined by ``joiners`` (``and``/``or``), one fewer joiner than terms."""

    terms: tuple[Condition | Group, ...]
    joiners: tuple[str, ...]

    def conditions(self) -> list[Condition]:
        found: list[Condition] = []
        for term in self.terms:
            found.extend(term.conditions() if isinstance(term, Group) else [term])
        return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, reason: str) -> Exception:
        return invalid_query(f"{reason} at position {self.pos}")

    def parse(self) -> Group:
        group = self.expression()
        if self.pos != len(self.text):
            raise self.fail("unexpected text")
        return group

    def expression(self) -> Group:
        terms: list[Condition | Group] = [self.term()]
        joiners: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] != ")":
            for word in ("and", "or"):
                if self.text[self.pos : self.pos + len(word)].lower() == word:
                    joiners.append(word)
                    self.pos += len(word)
                    break
            else:
                raise self.fail("expected 'and' or 'or'")
            terms.append(self.term())
        return Group(tuple(terms), tuple(joiners))

    def term(self) -> Condition | Group:
        if self.pos >= len(self.text) or self.text[self.pos] != "(":
            raise self.fail("expected '('")
        self.pos += 1
        if self.pos < len(self.text) and self.text[self.pos] == "(":
            inner: Condition | Group = self.expression()
        else:
            inner = self.condition()
        if self.pos >= len(self.text) or self.text[self.pos] != ")":
            raise self.fail("expected ')'")
        self.pos += 1
        return inner

    def condition(self) -> Condition:
        raw: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                raw.append(self.text[self.pos : self.pos + 2])
                self.pos += 2
                continue
            if char in "()":
                break
            raw.append(char)
            self.pos += 1
        field, sep1, rest = "".join(raw).partition(":")
        operator, sep2, value = rest.partition(":")
        if not (sep1 and sep2 and field.strip()):
            raise self.fail("a condition is Field:operator:value")
        if operator.strip().lower() not in OPERATORS:
            raise invalid_query(f"unknown operator {operator!r}", field.strip())
        return Condition(field.strip(), operator.strip().lower(), _values(operator.strip().lower(), value))


def _split(value: str) -> list[str]:
    """Split on unescaped commas and drop the escapes."""
    parts, current, index = [], [], 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index + 1])
            index += 2
            continue
        if char == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _values(operator: str, value: str) -> tuple[str, ...]:
    if operator == "in":
        values = _split(value)
        if len(values) > MAX_IN_VALUES:
            raise invalid_query(f"at most {MAX_IN_VALUES} values for 'in'")
        return tuple(values)
    if operator == "between":
        values = _split(value)
        if len(values) != 2:
            raise invalid_query("'between' takes two values")
        return tuple(values)
    return (_unescape(value),)


def _unescape(value: str) -> str:
    out, index = [], 0
    while index < len(value):
        if value[index] == "\\" and index + 1 < len(value):
            index += 1
        out.append(value[index])
        index += 1
    return "".join(out)


def parse(text: str) -> Group:
    group = _Parser(text.strip()).parse()
    if len(group.conditions()) > MAX_CONDITIONS:
        raise invalid_query(f"at most {MAX_CONDITIONS} conditions")
    return group
