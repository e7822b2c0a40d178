"""Reading request parameters: the query string (or, tunnelled, the form / JSON body) of a query,
and the JSON body of a write. Content-Type and JSON problems become 612 / 609.

Parameters behave like servlet parameters: those of the URL, then those of a form-urlencoded POST
body, values in order. So ``_method=GET`` tunnels a query from the URL or from the form body alike
(Adobe's error-code page: "input your query string as the request body with the additional parameter
'_method=GET'"; marketorestpython sends it in the body for leads), and a repeated list parameter
(``fields=a&fields=b``) means all of its values, as ``fields=a,b`` does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from sandbox.core.messages import SimRequest
from sandbox.marketo.codes import ApiFailure, api_error
from sandbox.marketo.routes import Route

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_TRANSPORT_KEYS = frozenset({"_method", "access_token"})
# Comma lists: a repeated key contributes all its values. UNVERIFIED: other (scalar) keys keep the first
# value, as a servlet's getParameter does.
LIST_PARAMS = frozenset({"fields", "filterValues"})


def media_type(request: SimRequest) -> str:
    return request.header("content-type").split(";")[0].strip().lower()


def json_body(request: SimRequest) -> dict[str, Any]:
    """The JSON object a write sends (``Content-Type: application/json``)."""
    if media_type(request) != JSON:
        raise ApiFailure(api_error("612"))
    return _json_object(request.body)


def request_params(request: SimRequest) -> dict[str, list[str]]:
    """Every parameter of a request: the URL's, then a POSTed form body's, values in order (what
    routing needs to see ``_method``). An undecodable body is read leniently here."""
    if request.method.upper() == "POST" and media_type(request) == FORM:
        return _with_form(request.query, request.body.decode(errors="replace"))
    return request.query


def query_params(request: SimRequest, route: Route) -> dict[str, Any]:
    """A query's parameters: from the URL, plus the body when tunnelled (a JSON body wins)."""
    if not route.tunnelled:
        return _single_values(request.query)
    kind = media_type(request)
    if kind == FORM:
        try:
            text = request.body.decode()
        except UnicodeDecodeError as exc:
            raise ApiFailure(api_error("609")) from exc
        return _single_values(_with_form(request.query, text))
    if kind == JSON:
        return {**_single_values(request.query), **_json_object(request.body)}
    raise ApiFailure(api_error("612"))


def _with_form(query: Mapping[str, list[str]], form: str) -> dict[str, list[str]]:
    merged = {key: list(values) for key, values in query.items()}
    for key, values in parse_qs(form, keep_blank_values=True).items():
        merged.setdefault(key, []).extend(values)
    return merged


def _single_values(params: Mapping[str, list[str]]) -> dict[str, str]:
    """One value per key: a list parameter's values joined by commas, the first value of any other."""
    return {
        key: ",".join(values) if key in LIST_PARAMS else values[0]
        for key, values in params.items()
        if key not in _TRANSPORT_KEYS and values
    }


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
