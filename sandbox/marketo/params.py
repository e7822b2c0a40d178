"""Reading request parameters: the query string (or, tunnelled, the form / JSON body) of a query,
and the JSON body of a write. Content-Type and JSON problems become 612 / 609."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from sandbox.core.messages import SimRequest
from sandbox.marketo.codes import ApiFailure, api_error
from sandbox.marketo.routes import Route

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_TRANSPORT_KEYS = frozenset({"_method", "access_token"})


def media_type(request: SimRequest) -> str:
    return request.header("content-type").split(";")[0].strip().lower()


def json_body(request: SimRequest) -> dict[str, Any]:
    """The JSON object a write sends (``Content-Type: application/json``)."""
    if media_type(request) != JSON:
        raise ApiFailure(api_error("612"))
    return _json_object(request.body)


def query_params(request: SimRequest, route: Route) -> dict[str, Any]:
    """A query's parameters: from the URL, plus the body when tunnelled (body wins)."""
    params: dict[str, Any] = {
        key: values[0] for key, values in request.query.items() if key not in _TRANSPORT_KEYS and values
    }
    if not route.tunnelled:
        return params
    kind = media_type(request)
    if kind == FORM:
        try:
            text = request.body.decode()
        except UnicodeDecodeError as exc:
            raise ApiFailure(api_error("609")) from exc
        form = parse_qs(text, keep_blank_values=True)
        params.update({key: values[0] for key, values in form.items() if key not in _TRANSPORT_KEYS})
    elif kind == JSON:
        params.update(_json_object(request.body))
    else:
        raise ApiFailure(api_error("612"))
    return params


def query_token(request: SimRequest) -> str | None:
    """An ``access_token`` sent the legacy way: in the URL or in a form body."""
    values = request.query.get("access_token")
    if values:
        return values[0]
    if media_type(request) != FORM:
        return None
    form = parse_qs(request.body.decode(errors="replace"), keep_blank_values=True)
    found = form.get("access_token")
    return found[0] if found else None


def bearer_token(request: SimRequest) -> str | None:
    scheme, _, token = request.header("authorization").strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiFailure(api_error("609")) from exc
    if not isinstance(payload, dict):
        raise ApiFailure(api_error("609"))
    return payload
