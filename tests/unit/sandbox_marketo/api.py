"""A hand-written Marketo caller for the simulator tests (no client library): every call opens and
closes its own connection, so a test leaves no sockets behind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import requests

from sandbox.marketo import MarketoSimulator

TOKEN_PATH = "/identity/oauth/token"
REQUEST_ID = re.compile(r"[0-9a-f]+#[0-9a-f]+")


@dataclass
class Api:
    sim: MarketoSimulator
    token: str = ""

    def url(self, path: str) -> str:
        return self.sim.base_url + path

    def identity(self, method: str = "GET", **params: str) -> requests.Response:
        config = self.sim.config
        query = {
            "grant_type": "client_credentials",
            "client_id": config.client_id,
            "client_secret": config.client_secret,
        }
        query.update(params)
        return requests.request(method, self.url(TOKEN_PATH), params=query, timeout=10)

    def login(self) -> str:
        response = self.identity()
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]
        return self.token

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", self.auth())
        return requests.get(self.url(path), params=params, headers=headers, timeout=10, **kwargs)

    def post(
        self, path: str, body: Any = None, params: dict[str, Any] | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = kwargs.pop("headers", self.auth())
        return requests.post(self.url(path), json=body, params=params, headers=headers, timeout=10, **kwargs)

    def ok(self, response: requests.Response) -> list[dict[str, Any]]:
        """The result of a successful envelope (HTTP 200, success true)."""
        payload = envelope(response)
        assert payload["success"] is True, payload
        assert "errors" not in payload
        result = payload["result"]
        assert isinstance(result, list)
        return result

    def sync_companies(self, records: list[dict[str, Any]], **options: Any) -> list[dict[str, Any]]:
        return self.ok(self.post("/rest/v1/companies.json", {**options, "input": records}))

    def sync_leads(self, records: list[dict[str, Any]], **options: Any) -> list[dict[str, Any]]:
        return self.ok(self.post("/rest/v1/leads.json", {**options, "input": records}))


def envelope(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    payload: dict[str, Any] = response.json()
    assert REQUEST_ID.fullmatch(payload["requestId"]), payload
    return payload


def error_codes(response: requests.Response) -> list[str]:
    """The codes of a response-level failure (HTTP 200, success false, no result)."""
    payload = envelope(response)
    assert payload["success"] is False, payload
    assert "result" not in payload
    codes = [error["code"] for error in payload["errors"]]
    assert all(isinstance(code, str) for code in codes)
    return codes


def reasons(record: dict[str, Any]) -> list[str]:
    """The reason codes of a skipped record."""
    assert record["status"] == "skipped", record
    assert "id" not in record
    return [reason["code"] for reason in record["reasons"]]
