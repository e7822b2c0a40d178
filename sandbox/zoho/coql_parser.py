"""The COQL subset this simulator reads: ``select f1, Lookup.f2 from Module where <condition> [order by f [asc|desc],
...] [limit [offset,] count | limit count offset n]``. Conditions: ``= != <> < <= > >=``, ``[not] in (...)``,
``[not] between a and b``, ``[not] like '%x%'``, ``is [not] null``, joined by ``and``/``or`` with parentheses.
Values: 'strings' (``\\'`` or ``''`` escape a quote), numbers, true, false, null. Aggregates are not simulated.
A query that does not parse is SYNTAX_ERROR."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sandbox.zoho.errors import ApiError

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^'\\]|\\.|'')*')|(?P<number>-?\d+(?:\.\d+)?)(?![\w.])"
    r"|(?P<op><=|>=|!=|<>|=|<|>|\(|\)|,)|(?P<word>!?[A-Za-z_$][\w$.]*|\*))"
)
_KEYWORDS = frozenset({"select", "from", "where", "and", "or", "not", "in", "between", "like", "is", "null",
                       "order", "by", "asc", "desc", "limit", "offset", "true", "false"})  # fmt: skip
SYNTAX = "syntax error in the query"  # UNVERIFIED text


def syntax_error(near: str) -> ApiError:
    return ApiError(400, "SYNTAX_ERROR", SYNTAX, {"near": near})


@dataclass(frozen=True)
class Comparison:
    field: str
    operator: str  # "=", "!=", "<", "<=", ">", ">=", "in", "between", "like", "is null" (each may be negated)
    values: tuple[Any, ...]
    negated: bool = False


@dataclass(frozen=True)
class Logical:
    joiner: str  # "and" | "or"
    terms: tuple[Comparison | Logical, ...]


Condition = Comparison | Logical


@dataclass(frozen=True)
class Query:
    fields: tuple[str, ...]
    module: str
    where: Condition | None
    order_by: tuple[tuple[str, bool], ...]  # (field, descending)
    offset: int
    limit: int | None  # None: the default page


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip().rstrip(";")
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise syntax_error(text[position : position + 20].strip())
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
        if not text[position:].strip():
            break
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> str:
        return self.tokens[self.index][1].lower() if self.index < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise syntax_error("end of query")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, word: str) -> None:
        value = self.take()[1]
        if value.lower() != word:
            raise syntax_error(value)

    def name(self) -> str:
        kind, value = self.take()
        if kind != "word" or value.lower() in _KEYWORDS:
            raise syntax_error(value)
        return value.lstrip("!")

    def number(self) -> int:
        kind, value = self.take()
        if kind != "number" or not value.isdigit():
            raise syntax_error(value)
        return int(value)

    def value(self) -> Any:
        kind, value = self.take()
        if kind == "string":
            return value[1:-1].replace("''", "'").replace("\\'", "'")
        if kind == "number":
            return float(value) if "." in value else int(value)
        literal = {"true": True, "false": False, "null": None}
        if kind == "word" and value.lower() in literal:
            return literal[value.lower()]
        raise syntax_error(value)

    def query(self) -> Query:
        self.expect("select")
        fields = [self.name()]
        while self.peek() == ",":
            self.take()
            fields.append(self.name())
        self.expect("from")
        module = self.name()
        where = None
        if self.peek() == "where":
            self.take()
            where = self.condition()
        order: list[tuple[str, bool]] = []
        if self.peek() == "order":
            self.take()
            self.expect("by")
            order.append(self.order_item())
            while self.peek() == ",":
                self.take()
                order.append(self.order_item())
        offset, limit = self.limit()
        if self.index != len(self.tokens):
            raise syntax_error(self.tokens[self.index][1])
        return Query(tuple(fields), module, where, tuple(order), offset, limit)

    def order_item(self) -> tuple[str, bool]:
        field = self.name()
        if self.peek() in ("asc", "desc"):
            return field, self.take()[1].lower() == "desc"
        return field, False

    def limit(self) -> tuple[int, int | None]:
        if self.peek() != "limit":
            return 0, None
        self.take()
        first = self.number()
        if self.peek() == ",":  # limit offset, count
            self.take()
            return first, self.number()
        if self.peek() == "offset":
            self.take()
            return self.number(), first
        return 0, first

    def condition(self) -> Condition:
        terms: list[Condition] = [self.conjunction()]
        while self.peek() == "or":
            self.take()
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else Logical("or", tuple(terms))

    def conjunction(self) -> Condition:
        terms: list[Condition] = [self.atom()]
        while self.peek() == "and":
            self.take()
            terms.append(self.atom())
        return terms[0] if len(terms) == 1 else Logical("and", tuple(terms))

    def atom(self) -> Condition:
        if self.peek() == "(":
            self.take()
            inner = self.condition()
            self.expect(")")
            return inner
        return self.comparison()

    def comparison(self) -> Comparison:
        field = self.name()
        negated = self.peek() == "not"
        if negated:
            self.take()
        word = self.take()[1].lower()
        if word == "is":
            negated = self.peek() == "not"
            if negated:
                self.take()
            self.expect("null")
            return Comparison(field, "is null", (), negated)
        if word == "in":
            self.expect("(")
            values = [self.value()]
            while self.peek() == ",":
                self.take()
                values.append(self.value())
            self.expect(")")
            return Comparison(field, "in", tuple(values), negated)
        if word == "between":
            low = self.value()
            self.expect("and")
            return Comparison(field, "between", (low, self.value()), negated)
        if word == "like" or (word in ("=", "!=", "<>", "<", "<=", ">", ">=") and not negated):
            operator = "!=" if word == "<>" else word
            return Comparison(field, operator, (self.value(),), negated)
        raise syntax_error(word)


def parse(text: str) -> Query:
    return _Parser(text).query()
