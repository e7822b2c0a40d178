"""Per-record checks shared by the sync operations: every key a known field, every value storable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.marketo.codes import Problem, field_not_found, invalid_data, invalid_value
from sandbox.marketo.config import FieldSpec
from sandbox.marketo.schema import Schema
from sandbox.marketo.values import InvalidValue, Value, stored_value


class Skip(Exception):
    """This record is skipped with this reason; the rest of the batch goes on."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.code} {problem.message}")
        self.problem = problem


def skipped(problem: Problem) -> dict[str, Any]:
    return {"status": "skipped", "reasons": [problem.as_json()]}


def checked_values(schema: Schema, item: object, writable_keys: frozenset[str] = frozenset()) -> dict[str, Value]:
    """The record's values as stored; Skip on the first unknown field (1006), read-only field or
    value that cannot be stored (1003). ``writable_keys``: read-only fields allowed as lookup keys."""
    if not isinstance(item, Mapping):
        raise Skip(invalid_data())
    values: dict[str, Value] = {}
    for name, raw in item.items():
        spec = schema.get(name)
        if spec is None:
            raise Skip(field_not_found(str(name)))
        if not spec.updateable and name not in writable_keys:
            raise Skip(invalid_data())  # UNVERIFIED: Marketo may ignore read-only fields instead
        values[name] = _value(spec, raw)
    return values


def _value(spec: FieldSpec, raw: object) -> Value:
    try:
        return stored_value(spec, raw)
    except InvalidValue:
        raise Skip(invalid_value(spec.name)) from None


def describe_field(spec: FieldSpec) -> dict[str, Any]:
    """A field as Describe Companies / Describe Lead2 list it."""
    described: dict[str, Any] = {"name": spec.name, "displayName": spec.label, "dataType": spec.data_type}
    if spec.length is not None:
        described["length"] = spec.length
    described["updateable"] = spec.updateable
    return described
