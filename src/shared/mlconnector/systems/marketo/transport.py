"""Sending one HTTP request to Marketo. The transport knows nothing about tokens or retries: the client
builds a complete request (auth header included) for every attempt and classifies the reply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode

import requests

from mlconnector.http import new_session

USER_AGENT = "ml-connector-marketo/0.1"
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class HttpRequest:
    """Query parameters, body and headers stay out of the repr: they can hold the client secret or token."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    body: bytes | None = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    def full_url(self) -> str:
        return f"{self.url}?{urlencode(self.params)}" if self.params else self.url


@dataclass(frozen=True)
class HttpReply:
    status: int
    content_type: str
    body: bytes = field(repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)


class Transport(Protocol):
    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        """Send the request; raise `requests.RequestException` for network failures."""
        ...


class RequestsTransport:
    """The production transport: one pooled `requests.Session`, no urllib3 retries, no redirects."""

    def __init__(self, session: requests.Session | None = None) -> None:
        self._session = session or new_session(USER_AGENT)

    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        response = self._session.request(
            request.method,
            request.url,
            params=list(request.params),
            data=request.body,
            headers={"Accept": JSON_TYPE, "Accept-Encoding": "gzip", **request.headers},
            timeout=timeout,
            allow_redirects=False,  # a redirect could carry the token off the checked host
        )
        return HttpReply(
            status=response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            body=response.content,
            headers=dict(response.headers),
        )

    def close(self) -> None:
        self._session.close()
