"""The parts of an API Gateway HTTP API (payload format 2.0) event a webhook verifier reads.

Signatures cover the exact bytes the sender posted, so the body is never re-serialised: a text body is encoded
back to UTF-8 and a body API Gateway flagged `isBase64Encoded` is decoded. HTTP APIs lower-case header names;
lookups here ignore case anyway, so hand-built and REST-API-shaped events work too.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from collections.abc import Mapping
from typing import Any


class MalformedEventError(ValueError):
    """The event's body cannot be turned back into the bytes the sender signed."""


def raw_body(event: Mapping[str, Any]) -> bytes:
    """The request body as the sender sent it (empty when API Gateway passed no body)."""
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise MalformedEventError("the event body is not a string")
    if event.get("isBase64Encoded") is True:
        try:
            return b64decode(body, validate=True)
        except binascii.Error:
            raise MalformedEventError("the event body is flagged base64 but does not decode") from None
    return body.encode("utf-8")


def header(event: Mapping[str, Any], name: str) -> str | None:
    """One header's value, name compared case-insensitively; None when absent.

    HTTP APIs join repeated headers with commas, so a repeated signature header fails verification rather than
    letting either copy through."""
    headers = event.get("headers")
    if not isinstance(headers, Mapping):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted:
            return value if isinstance(value, str) else None
    return None


def headers(event: Mapping[str, Any]) -> dict[str, str]:
    """Every text header, names lower-cased (what a sender's delivery reader is given)."""
    found = event.get("headers")
    if not isinstance(found, Mapping):
        return {}
    return {key.lower(): value for key, value in found.items() if isinstance(key, str) and isinstance(value, str)}


def path_parameter(event: Mapping[str, Any], name: str) -> str | None:
    """A path parameter of the route (`system`, `connection`), or None."""
    params = event.get("pathParameters")
    value = params.get(name) if isinstance(params, Mapping) else None
    return value if isinstance(value, str) else None
