"""Small value helpers: Mailchimp's timestamps, the subscriber hash, deterministic ids."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]


def stamp(moment: datetime) -> str:
    """ISO 8601 with an explicit offset, as Mailchimp writes it: ``2015-10-21T15:41:36+00:00``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def subscriber_hash(email: str) -> str:
    """The member key: lower-case hex MD5 of the trimmed, lower-cased address."""
    return hashlib.md5(email.strip().lower().encode()).hexdigest()  # noqa: S324 - Mailchimp's key, not security


def short_id(*parts: object, length: int = 10) -> str:
    """A stable hex id derived from ``parts`` (list ids, unique_email_id, batch ids)."""
    text = ":".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def web_id(*parts: object) -> int:
    """The numeric id the Mailchimp web app shows (any stable positive int will do)."""
    return int(short_id(*parts, length=8), 16) % 900_000_000 + 100_000_000
