"""Schema checks of request bodies, answered like Mailchimp's JSON-schema validation: 400 Invalid Resource with
``errors[{field, message}]`` ("Required fields were not provided: id, title", "Schema describes integer, string
found instead")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sandbox.mailchimp.errors import FieldError, json_type, schema_error, wrong_type
from sandbox.mailchimp.values import Json


def missing(body: Json, names: Iterable[str], where: str = "") -> FieldError | None:
    absent = [name for name in names if body.get(name) is None or body.get(name) == ""]
    return FieldError(where, f"Required fields were not provided: {', '.join(absent)}") if absent else None


def require(body: Json, names: Iterable[str], where: str = "") -> None:
    problem = missing(body, names, where)
    if problem is not None:
        raise schema_error([problem])


def obj(body: Json, name: str, where: str = "") -> Json:
    value = body.get(name)
    if not isinstance(value, dict):
        raise schema_error([wrong_type(_path(where, name), "object", json_type(value))])
    return value


def array(body: Json, name: str, where: str = "") -> list[Any]:
    value = body.get(name)
    if not isinstance(value, list):
        raise schema_error([wrong_type(_path(where, name), "array", json_type(value))])
    return value


def number(body: Json, name: str, where: str = "") -> None:
    """Money may be a number or (newer spec) a numeric string."""
    value = body.get(name)
    if value is None:
        return
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, str):
        try:
            float(value)
            ok = True
        except ValueError:
            ok = False
    if not ok:
        raise schema_error([wrong_type(_path(where, name), "number", json_type(value))])


def integer(body: Json, name: str, where: str = "") -> None:
    value = body.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise schema_error([wrong_type(_path(where, name), "integer", json_type(value))])


def string(body: Json, name: str, where: str = "") -> None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise schema_error([wrong_type(_path(where, name), "string", json_type(value))])


def boolean(body: Json, name: str, where: str = "") -> None:
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise schema_error([wrong_type(_path(where, name), "boolean", json_type(value))])


def _path(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def pick(body: Json, names: Iterable[str]) -> Json:
    return {name: body[name] for name in names if name in body}
