"""The readByQuery query string: ``FIELD op value`` terms joined by AND / OR, NOT, parentheses.

Operators ``= != <> < > <= >= like, not like, in (...), not in (...), is null, is not null``, with
spaces required around them. String literals are single-quoted with ``\\'`` (and ``\\\\``) escapes.
An unquoted word as a value silently matches nothing (intacct-sdk-php#90). Keywords are
case-insensitive; string comparison is case-sensitive. Lenient extra (UNVERIFIED): STATUS values
``T``/``F`` are read as ``active``/``inactive``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.intacct.errors import FunctionFailure, IntacctError, invalid_query
from sandbox.intacct.filters import Predicate, all_of, any_of, comparison, negate
from sandbox.intacct.schema import ObjectDef

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<string>'(?:[^'\\]|\\.)*')
      | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
      | (?P<op><=|>=|<>|!=|=|<|>)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    """,
    re.VERBOSE,
)
_OPS = {"=": "equalto", "!=": "notequalto", "<>": "notequalto", "<": "lessthan", "<=": "lessthanorequalto",
        ">": "greaterthan", ">=": "greaterthanorequalto"}  # fmt: skip
_STATUS_CODES = {"T": "active", "F": "inactive"}


@dataclass(frozen=True)
class _Token:
    kind: str  # string | number | op | punct | word
    text: str
    value: str  # unescaped string literal, upper-cased word, or the text


def tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None:
            raise FunctionFailure(invalid_query(f"Query syntax error near {query[position : position + 20]!r}"))
        kind, text = match.lastgroup or "", match.group()
        if kind == "op" and not (_space_at(query, position - 1) and _space_at(query, match.end())):
            raise FunctionFailure(invalid_query(f"Spaces are required around the operator {text!r}"))
        if kind == "string":
            tokens.append(_Token(kind, text, re.sub(r"\\(.)", r"\1", text[1:-1], flags=re.DOTALL)))
        elif kind == "word":
            tokens.append(_Token(kind, text, text.upper()))
        elif kind != "space":
            tokens.append(_Token(kind, text, text))
        position = match.end()
    return tokens


def _space_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isspace()


class QueryStringParser:
    """Recursive descent: expr := term (OR term)*; term := factor (AND factor)*;
    factor := NOT factor | '(' expr ')' | comparison."""

    def __init__(self, obj: ObjectDef, unknown_field: Callable[[str], IntacctError]) -> None:
        self._obj = obj
        self._unknown_field = unknown_field
        self._tokens: list[_Token] = []
        self._index = 0

    def parse(self, query: str) -> Predicate | None:
        self._tokens, self._index = tokenize(query), 0
        if not self._tokens:
            return None
        predicate = self._expr()
        if self._index != len(self._tokens):
            raise FunctionFailure(invalid_query(f"Unexpected {self._tokens[self._index].text!r} in query"))
        return predicate

    def _peek(self, offset: int = 0) -> _Token | None:
        index = self._index + offset
        return self._tokens[index] if index < len(self._tokens) else None

    def _take(self) -> _Token:
        token = self._peek()
        if token is None:
            raise FunctionFailure(invalid_query("Query ends unexpectedly"))
        self._index += 1
        return token

    def _keyword(self, *words: str) -> bool:
        """Consume the keyword sequence ``words`` if it comes next."""
        for offset, word in enumerate(words):
            token = self._peek(offset)
            if token is None or token.kind != "word" or token.value != word:
                return False
        self._index += len(words)
        return True

    def _expect(self, text: str) -> None:
        token = self._take()
        if token.text != text:
            raise FunctionFailure(invalid_query(f"Expected {text!r}, found {token.text!r}"))

    def _expr(self) -> Predicate:
        terms = [self._term()]
        while self._keyword("OR"):
            terms.append(self._term())
        return terms[0] if len(terms) == 1 else any_of(terms)

    def _term(self) -> Predicate:
        factors = [self._factor()]
        while self._keyword("AND"):
            factors.append(self._factor())
        return factors[0] if len(factors) == 1 else all_of(factors)

    def _factor(self) -> Predicate:
        if self._keyword("NOT"):
            return negate(self._factor())
        token = self._peek()
        if token is not None and token.text == "(":
            self._take()
            inner = self._expr()
            self._expect(")")
            return inner
        return self._comparison()

    def _comparison(self) -> Predicate:
        token = self._take()
        if token.kind != "word":
            raise FunctionFailure(invalid_query(f"Expected a field name, found {token.text!r}"))
        field = token.value
        field_type = self._obj.field_type(field)
        if field_type is None:
            raise FunctionFailure(self._unknown_field(token.text))
        if self._keyword("IS", "NOT", "NULL"):
            return comparison(field, field_type, "isnotnull", [])
        if self._keyword("IS", "NULL"):
            return comparison(field, field_type, "isnull", [])
        for words, op in ((("NOT", "LIKE"), "notlike"), (("LIKE",), "like"), (("NOT", "IN"), "notin"), (("IN",), "in")):
            if self._keyword(*words):
                values = self._value_list() if op.endswith("in") else [self._value()]
                return self._compare(field, op, values)
        operator_token = self._take()
        if operator_token.kind != "op":
            raise FunctionFailure(
                invalid_query(f"Expected an operator after {token.text}, found {operator_token.text!r}")
            )
        return self._compare(field, _OPS[operator_token.text], [self._value()])

    def _value(self) -> str | None:
        """A literal's text; None for an unquoted word (which matches nothing)."""
        token = self._take()
        if token.kind in ("string", "number"):
            return token.value
        if token.kind == "word":
            return None
        raise FunctionFailure(invalid_query(f"Expected a value, found {token.text!r}"))

    def _value_list(self) -> list[str | None]:
        self._expect("(")
        values = [self._value()]
        while (token := self._peek()) is not None and token.text == ",":
            self._take()
            values.append(self._value())
        self._expect(")")
        return values

    def _compare(self, field: str, op: str, values: list[str | None]) -> Predicate:
        known = [value for value in values if value is not None]
        if field == "STATUS":
            known = [_STATUS_CODES.get(value, value) for value in known]
        if not known:
            return lambda _record: False
        field_type = self._obj.fields[field]
        return comparison(field, field_type, op, known)
