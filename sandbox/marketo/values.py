"""Field values as Marketo stores them: checked against the field's dataType and length.

``null`` and ``""`` clear a field. Numbers are accepted for text fields and numeric strings for
number fields (JSON clients send both). Emails must be ASCII (leads.md) and look like an address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from sandbox.marketo.config import FieldSpec

Value = str | int | float | bool | None

_TEXT_TYPES = frozenset({"string", "text", "url", "phone", "email"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_INTEGER = re.compile(r"[+-]?\d+")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


class InvalidValue(ValueError):
    """The value cannot be stored in this field (a record-level 1003)."""


def stored_value(spec: FieldSpec, raw: object) -> Value:
    if raw is None or raw == "":
        return None
    if spec.data_type in _TEXT_TYPES:
        return _text(spec, raw)
    return _CONVERTERS[spec.data_type](raw)


def _text(spec: FieldSpec, raw: object) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise InvalidValue(spec.name)
    text = raw if isinstance(raw, str) else str(raw)
    if spec.length is not None and len(text) > spec.length:
        raise InvalidValue(spec.name)  # UNVERIFIED: Marketo may truncate instead
    if spec.data_type == "email" and not (text.isascii() and _EMAIL.fullmatch(text)):
        raise InvalidValue(spec.name)
    return text


def _integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise InvalidValue("integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        return int(raw.strip())
    raise InvalidValue("integer")


def _number(raw: object) -> float:
    if isinstance(raw, bool):
        raise InvalidValue("number")
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw.strip())
        except ValueError:
            pass
    raise InvalidValue("number")


def _boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _BOOLEANS:
        return _BOOLEANS[raw.strip().lower()]
    raise InvalidValue("boolean")


def _date(raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidValue("date")
    try:
        return date.fromisoformat(raw.strip()[:10]).isoformat()
    except ValueError:
        raise InvalidValue("date") from None


def _datetime(raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidValue("datetime")
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidValue("datetime") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return stamp(moment)


def stamp(moment: datetime) -> str:
    """Marketo's timestamp style: ``2015-05-11T17:11:32Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_CONVERTERS: dict[str, Callable[[object], Value]] = {
    "integer": _integer,
    "float": _number,
    "currency": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
}
