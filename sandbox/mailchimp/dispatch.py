"""One way to run an API call, for HTTP requests and batch operations alike: parse the JSON body, run the
route's operation, apply ``fields``/``exclude_fields`` to a GET's answer. Refusals are ApiError."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import ApiError, json_parse_error, method_not_allowed, not_found
from sandbox.mailchimp.operations import OPERATIONS
from sandbox.mailchimp.projection import project
from sandbox.mailchimp.responses import dumps, problem_body, request_id
from sandbox.mailchimp.routes import Route, resolve

API_PREFIX = "/3.0"


def parse_body(raw: bytes) -> object:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise json_parse_error() from None


def execute(ctx: ApiContext, method: str, route: Route, query: Mapping[str, str], raw_body: bytes) -> Reply:
    if route.op is None:
        raise method_not_allowed(route.allowed) if route.allowed else not_found()
    body = parse_body(raw_body) if method.upper() in ("POST", "PUT", "PATCH") else None
    reply = OPERATIONS[route.op](ctx, Call(route.params, query, body))
    if method.upper() == "GET" and reply.payload is not None:
        return Reply(project(reply.payload, query.get("fields"), query.get("exclude_fields")), reply.status)
    return reply


def relative(path: str) -> str:
    """A batch operation's path: relative to /3.0 (a leading /3.0 is tolerated)."""
    path = path if path.startswith("/") else "/" + path
    return path.removeprefix(API_PREFIX) or "/"


def run_operation(
    ctx: ApiContext, method: str, path: str, query: Mapping[str, str], raw_body: bytes
) -> tuple[int, str]:
    """One batch operation: (status_code, response body as a JSON string; "" for 204)."""
    route = resolve(method, relative(path.split("?", 1)[0]), product_put=ctx.config.product_put)
    try:
        reply = execute(ctx, method, route, query, raw_body)
    except ApiError as error:
        return error.status, json.dumps(problem_body(error, request_id(), with_type=ctx.config.problem_type))
    return reply.status, "" if reply.payload is None else dumps(reply.payload).decode()
