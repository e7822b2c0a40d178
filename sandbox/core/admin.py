"""A tiny JSON router for the ``/_sandbox/...`` admin endpoints (state, faults, clock, calls)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.core.messages import SimRequest, SimResponse

ADMIN_PREFIX = "/_sandbox/"

AdminHandler = Callable[[SimRequest, re.Match[str]], SimResponse]


class AdminError(Exception):
    """Raised by admin handlers; becomes a JSON error response with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: AdminHandler


class AdminRouter:
    def __init__(self) -> None:
        self._routes: list[_Route] = []

    def add(self, method: str, path_pattern: str, handler: AdminHandler) -> None:
        """Register ``handler`` for ``method`` and a regex matched against the path after the prefix."""
        self._routes.append(_Route(method.upper(), re.compile(path_pattern), handler))

    def dispatch(self, request: SimRequest) -> SimResponse:
        tail = request.path.removeprefix(ADMIN_PREFIX)
        allowed = False
        for route in self._routes:
            match = route.pattern.fullmatch(tail)
            if match is None:
                continue
            allowed = True
            if route.method != request.method.upper():
                continue
            try:
                return route.handler(request, match)
            except AdminError as exc:
                return SimResponse.json({"error": exc.message}, status=exc.status)
            except (ValueError, TypeError) as exc:
                return SimResponse.json({"error": str(exc)}, status=400)
        status = 405 if allowed else 404
        return SimResponse.json({"error": f"no admin route {request.method} {request.path}"}, status=status)


def json_body(request: SimRequest) -> dict[str, object]:
    """The request body as a JSON object; AdminError 400 otherwise."""
    try:
        payload = request.json()
    except ValueError as exc:
        raise AdminError(400, f"body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise AdminError(400, "body must be a JSON object")
    return payload


def number(payload: dict[str, object], key: str) -> float:
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AdminError(400, f"{key!r} must be a number")
    return float(value)
