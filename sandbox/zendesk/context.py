"""What an operation gets: the account as of this call (config, data, the call's moment, the base URL answers build
their ``url`` fields on) and the call itself (record id, query, body)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.zendesk.config import ZendeskSimConfig
from sandbox.zendesk.errors import bad_request
from sandbox.zendesk.store import Database
from sandbox.zendesk.values import stamp


@dataclass(frozen=True)
class ApiContext:
    config: ZendeskSimConfig
    db: Database
    moment: datetime
    base_url: str  # http://127.0.0.1:<port>, standing in for https://{subdomain}.zendesk.com

    @property
    def now(self) -> str:
        return stamp(self.moment)

    def api_url(self, path: str) -> str:
        return f"{self.base_url}/api/v2/{path}"


@dataclass(frozen=True)
class Call:
    record_id: str = ""
    query: Mapping[str, str] = field(default_factory=dict)  # last value of each query parameter
    body: Any = None  # the parsed JSON body (None: none or not JSON)

    def member(self, key: str) -> Any:
        """``body[key]``; 400 when the body is no object or lacks it."""
        if not isinstance(self.body, dict) or key not in self.body:
            raise bad_request(f"The request body must be a JSON object with {key!r}", "InvalidJson")
        return self.body[key]


@dataclass(frozen=True)
class Reply:
    payload: Any = None  # None: no body (204)
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
