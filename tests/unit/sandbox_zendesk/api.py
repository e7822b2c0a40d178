"""A hand-written Zendesk caller for the simulator tests (no client library): Bearer or Basic auth, JSON bodies,
paths relative to /api/v2, every call on its own connection so a test leaves no sockets behind."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from typing import Any

import requests

from sandbox.zendesk import ZendeskSimulator


@dataclass
class Api:
    sim: ZendeskSimulator
    token: str = ""

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Connection": "close"}

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        return requests.request(
            method,
            self.sim.base_url + "/api/v2" + path,
            json=body,
            params=params,
            headers=headers if headers is not None else self.headers(),
            timeout=10,
        )

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.call("GET", path, params=params or None)

    def finish(self, job_status: dict[str, Any], polls: int = 5) -> dict[str, Any]:
        """Poll a job until it is completed; its last status."""
        for _ in range(polls):
            status: dict[str, Any] = self.get(f"/job_statuses/{job_status['id']}.json").json()["job_status"]
            if status["status"] == "completed":
                return status
            time.sleep(0)
        raise AssertionError(f"job {job_status['id']} did not complete: {status}")


def basic(email: str, token: str) -> dict[str, str]:
    """``Authorization: Basic base64("{email}/token:{token}")``."""
    value = base64.b64encode(f"{email}/token:{token}".encode()).decode()
    return {"Authorization": f"Basic {value}", "Connection": "close"}


def refresh(sim: ZendeskSimulator, refresh_token: str, **overrides: Any) -> requests.Response:
    secret = sim.credentials.as_dict()
    body = {
        "grant_type": "refresh_token",
        "client_id": secret["client_id"],
        "client_secret": secret["client_secret"],
        "refresh_token": refresh_token,
        **overrides,
    }
    return requests.post(sim.base_url + "/oauth/tokens", json=body, headers={"Connection": "close"}, timeout=10)
