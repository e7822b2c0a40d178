"""The plain request/response values that every simulator speaks (no HTTP library types leak in)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class SimRequest:
    """One HTTP request as a simulator sees it. Header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    query_string: str = ""
    listener: str = "main"

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.query_string, keep_blank_values=True)

    def json(self) -> Any:
        """The body parsed as JSON (empty body = empty object); raises ValueError when it is not JSON."""
        if not self.body.strip():
            return {}
        return json.loads(self.body)


@dataclass(frozen=True)
class SimResponse:
    """What to send back. ``drop=True`` means: close the socket without writing any response."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    reason: str | None = None
    drop: bool = False

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> SimResponse:
        body = json.dumps(payload, sort_keys=True).encode()
        return cls(status=status, headers={"Content-Type": "application/json"}, body=body)

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> SimResponse:
        return cls(status=status, headers={"Content-Type": content_type}, body=text.encode())

    @classmethod
    def dropped(cls) -> SimResponse:
        return cls(drop=True)

    def with_body(self, body: bytes) -> SimResponse:
        return replace(self, body=body)
