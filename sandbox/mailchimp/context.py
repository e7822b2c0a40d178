"""What an operation gets and gives back: the call (path parameters, query, parsed body) and its reply."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.mailchimp.config import MailchimpSimConfig
from sandbox.mailchimp.store import Database
from sandbox.mailchimp.values import stamp

# Runs one operation of a batch: (method, path, query, raw body) -> (status, response body text).
Runner = Callable[[str, str, Mapping[str, str], bytes], tuple[int, str]]


@dataclass(frozen=True)
class ApiContext:
    config: MailchimpSimConfig
    db: Database
    moment: datetime  # this call's time on the simulator clock
    api_url: str  # e.g. http://127.0.0.1:5555/3.0 (what _links and batch URLs point at)
    base_url: str  # without /3.0
    runner: Runner | None = None  # set for calls that may execute batch operations

    @property
    def now(self) -> str:
        return stamp(self.moment)


@dataclass(frozen=True)
class Call:
    params: Mapping[str, str]  # path parameters by name: list_id, subscriber_hash, store_id, ...
    query: Mapping[str, str] = field(default_factory=dict)  # last value of each query parameter
    body: Any = None  # the parsed JSON body (None when there was none)


@dataclass(frozen=True)
class Reply:
    payload: Any = None  # None with status 204
    status: int = 200


NO_CONTENT = Reply(None, 204)
