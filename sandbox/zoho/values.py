"""Small value helpers: JSON aliases, Zoho's timestamps, 19-digit record ids, OAuth-looking token strings."""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading
from datetime import datetime
from typing import Any

Json = dict[str, Any]

# Record ids look like 4150868000000376008: 19 digits, far above 2**53, so a client that parses them as floats
# loses digits. The prefix is the org's; the counter below it keeps ids unique and ordered by creation.
_ID_DIGITS = 19
_COUNTER_DIGITS = 12


def stamp(moment: datetime) -> str:
    """ISO-8601 with the offset and whole seconds: ``2026-03-10T12:00:00+00:00``."""
    return moment.replace(microsecond=0).isoformat()


def org_prefix(seed: int) -> int:
    """A seven-digit org number, stable for a seed (4150868 .. 5150867)."""
    digest = hashlib.sha256(f"mlc-zoho-org-{seed}".encode()).digest()
    return 4_150_868 + int.from_bytes(digest[:4], "big") % 1_000_000


class IdSource:
    """Thread-safe ids ``<org prefix><12-digit counter>``; the counter starts above 10**9 like real ids."""

    def __init__(self, prefix: int) -> None:
        self._prefix = prefix
        self._counter = itertools.count(1_000_000_001)
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            value = f"{self._prefix}{next(self._counter):0{_COUNTER_DIGITS}d}"
        assert len(value) == _ID_DIGITS
        return value


def is_record_id(value: object) -> bool:
    """A record id as a JSON string of digits or a JSON number (the official SDK sends numbers)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 0
    return isinstance(value, str) and value.isdigit()


def id_text(value: object) -> str:
    """The canonical (string) form of an id a client sent as a string or a number."""
    return str(value).strip()


def token_text() -> str:
    """An access token in Zoho's ``1000.<32 hex>.<32 hex>`` shape."""
    return f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
