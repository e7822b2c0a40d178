"""Commerce's error body (reference §3): `message` is an un-substituted template whose placeholders are `%1`, `%2`
(`parameters` is then a list) or `%name` (`parameters` is an object); `errors[]` holds more of the same for
aggregate validation failures. `trace` (developer mode only) is never read: it can hold server paths and data."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ROUTE_MISSING = "Request does not match any route."


def fill_template(message: str, parameters: object) -> str:
    """`message` with its placeholders replaced by `parameters` (list: %1, %2, ...; object: %name).

    The longest placeholder name wins, so `%10` is not read as `%1` followed by "0". Unknown placeholders stay."""
    values: dict[str, str]
    if isinstance(parameters, list):
        values = {str(i): _text(v) for i, v in enumerate(parameters, start=1)}
    elif isinstance(parameters, Mapping):
        values = {str(k): _text(v) for k, v in parameters.items()}
    else:
        return message
    if not values:
        return message
    names = sorted(values, key=len, reverse=True)
    pattern = re.compile("%(" + "|".join(re.escape(n) for n in names) + ")")
    return pattern.sub(lambda m: values[m.group(1)], message)


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class ErrorBody:
    message: str
    """The main message, template filled in."""
    template: str
    """The message as sent (stable across parameter values: good for matching)."""
    parameters: Mapping[str, str]
    """Named parameters (list parameters keyed "1", "2", ...)."""
    errors: tuple[str, ...] = ()
    """Filled messages of `errors[]`, if any."""

    def text(self) -> str:
        """The main message followed by any further errors, for an exception message."""
        extra = [e for e in self.errors if e and e != self.message]
        return "; ".join([self.message, *extra]) if self.message else "; ".join(extra)

    @property
    def route_missing(self) -> bool:
        return self.template.strip() == ROUTE_MISSING


def parse_error_body(body: bytes) -> ErrorBody | None:
    """The error envelope of a non-2xx reply, or None when the body is not one (HTML from a CDN, empty)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return None
    template: str = data["message"]
    raw = data.get("parameters")
    errors = tuple(_item_message(item) for item in data.get("errors") or () if isinstance(item, dict))
    return ErrorBody(fill_template(template, raw), template, _named(raw), errors)


def _item_message(item: Mapping[str, Any]) -> str:
    message = item.get("message")
    return fill_template(message, item.get("parameters")) if isinstance(message, str) else ""


def _named(parameters: object) -> dict[str, str]:
    if isinstance(parameters, list):
        return {str(i): _text(v) for i, v in enumerate(parameters, start=1)}
    if isinstance(parameters, Mapping):
        return {str(k): _text(v) for k, v in parameters.items()}
    return {}
