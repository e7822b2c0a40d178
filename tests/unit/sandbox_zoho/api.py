"""A hand-written Zoho caller for the simulator tests (no client library): the refresh-token grant as a form post,
``Authorization: Zoho-oauthtoken``, JSON bodies sent as the official SDK sends them (no Content-Type), paths
relative to /crm/v8, every call on its own connection so a test leaves no sockets behind."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests

from sandbox.zoho import ZohoSimulator

JSON_TYPE = "application/json;charset=UTF-8"


@dataclass
class Api:
    sim: ZohoSimulator
    token: str = ""

    def mint(self, accounts_url: str | None = None, **overrides: str) -> requests.Response:
        """POST the refresh-token grant to an accounts server (default: the simulator's own data centre)."""
        secret = self.sim.credentials.as_dict()
        form = {
            "grant_type": "refresh_token",
            "client_id": secret["client_id"],
            "client_secret": secret["client_secret"],
            "refresh_token": secret["refresh_token"],
            **overrides,
        }
        url = (accounts_url or secret["accounts_url"]) + "/oauth/v2/token"
        return requests.post(url, data=form, allow_redirects=False, timeout=10)

    def login(self, **overrides: str) -> str:
        response = self.mint(**overrides)
        assert response.status_code == 200, response.text
        self.token = str(response.json()["access_token"])
        return self.token

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Zoho-oauthtoken {self.token}"}

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        data = None if body is None else json.dumps(body).encode()
        return requests.request(
            method,
            self.sim.api_url + path,
            data=data,
            params=params,
            headers=headers if headers is not None else self.headers(),
            allow_redirects=False,
            timeout=10,
        )

    def get(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, params=params, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, body, **kwargs)

    def upsert(self, module: str, records: list[Any], **extra: Any) -> requests.Response:
        return self.post(f"/{module}/upsert", {"data": records, **extra})

    def upsert_one(self, module: str, record: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """One record upserted; its result item (asserted to be a success)."""
        item: dict[str, Any] = ok(self.upsert(module, [record], **extra))["data"][0]
        assert item["status"] == "success", item
        return item


def ok(response: requests.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    payload: dict[str, Any] = response.json()
    return payload


def error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    """A request-level error in Zoho's envelope: {code, details, message, status: "error"}."""
    body = ok(response, status)
    assert set(body) == {"code", "details", "message", "status"}, body
    assert (body["code"], body["status"]) == (code, "error"), body
    assert isinstance(body["details"], dict)
    return body


def empty(response: requests.Response, status: int = 204) -> None:
    """No body and no content type (the official SDK then returns an empty response instead of parsing)."""
    assert response.status_code == status, response.text
    assert response.content == b""
    assert "Content-Type" not in response.headers
