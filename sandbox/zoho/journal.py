"""The last API requests as they arrived (method, path, query, Content-Type header, body), so a test can assert what
a client really sends: e.g. that the official SDK posts JSON without a Content-Type and lookup ids as JSON numbers.
Authorization headers are never kept, and token-endpoint bodies (client secret, refresh token) are not kept."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from sandbox.core.messages import SimRequest

_KEEP = 200


@dataclass(frozen=True)
class JournalEntry:
    method: str
    path: str
    query: str
    content_type: str | None
    body: bytes

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "content_type": self.content_type,
            "body": self.body.decode("utf-8", "replace"),
        }


class RequestJournal:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=_KEEP)

    def add(self, request: SimRequest, *, keep_body: bool) -> None:
        entry = JournalEntry(
            request.method.upper(),
            request.path,
            request.query_string,
            request.headers.get("content-type"),
            request.body if keep_body else b"",
        )
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
