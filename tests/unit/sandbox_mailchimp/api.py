"""A hand-written Mailchimp caller for the simulator tests (no client library): HTTP Basic with the sandbox key,
paths relative to /3.0, every call on its own connection so a test leaves no sockets behind."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import requests

from sandbox.mailchimp import MailchimpSimulator

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PROBLEM_TYPE = "application/problem+json; charset=utf-8"


@dataclass
class Api:
    sim: MailchimpSimulator
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def list_id(self) -> str:
        return self.sim.list_id

    def auth(self) -> tuple[str, str] | None:
        return None if "Authorization" in self.headers else ("anystring", self.sim.config.api_key)

    def call(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> requests.Response:
        return requests.request(
            method,
            self.sim.api_url + path,
            json=body,
            params=params,
            auth=self.auth(),
            headers=self.headers,
            timeout=10,
        )

    def get(self, path: str, params: dict[str, Any] | None = None) -> requests.Response:
        return self.call("GET", path, params=params)

    def post(self, path: str, body: Any = None, params: dict[str, Any] | None = None) -> requests.Response:
        return self.call("POST", path, body, params)

    def put(self, path: str, body: Any = None, params: dict[str, Any] | None = None) -> requests.Response:
        return self.call("PUT", path, body, params)

    def patch(self, path: str, body: Any = None, params: dict[str, Any] | None = None) -> requests.Response:
        return self.call("PATCH", path, body, params)

    def delete(self, path: str) -> requests.Response:
        return self.call("DELETE", path)

    # ------------------------------------------------------------------ shortcuts
    def member_path(self, email_or_hash: str) -> str:
        return f"/lists/{self.list_id}/members/{email_or_hash}"

    def put_member(self, email: str, **body: Any) -> requests.Response:
        from sandbox.mailchimp.values import subscriber_hash  # noqa: PLC0415

        return self.put(self.member_path(subscriber_hash(email)), {"email_address": email, **body})

    def subscribe(self, email: str, **body: Any) -> dict[str, Any]:
        return ok(self.put_member(email, status_if_new="subscribed", **body))


def ok(response: requests.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert UUID.fullmatch(response.headers["X-Request-Id"])
    payload: dict[str, Any] = response.json()
    return payload


def problem(response: requests.Response, status: int, title: str) -> dict[str, Any]:
    """The problem document of a refusal, checked: status, title, content type, instance = X-Request-Id."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == PROBLEM_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] == title, body
    assert body["instance"] == response.headers["X-Request-Id"]
    assert UUID.fullmatch(body["instance"])
    assert "ProblemDetailDocument.json" in response.headers["Link"]
    return body
