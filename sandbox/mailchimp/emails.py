"""Which addresses Mailchimp takes: a plausible syntax, and none of the placeholder/disposable addresses it
refuses as "looks fake or invalid" (configurable patterns, see config.DEFAULT_FAKE_EMAILS)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from sandbox.mailchimp.errors import INVALID_EMAIL as INVALID_EMAIL_TEXT
from sandbox.mailchimp.errors import ApiError, fake_email, invalid_resource

_SYNTAX = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def normalized(email: str) -> str:
    """Mailchimp trims whitespace around an address (verified §1.1)."""
    return email.strip()


def is_fake(email: str, patterns: Iterable[str]) -> bool:
    address = email.strip().lower()
    return any(fnmatch.fnmatchcase(address, pattern.lower()) for pattern in patterns)


def refusal(email: str, patterns: Iterable[str]) -> ApiError | None:
    """Why Mailchimp would refuse this address as a new contact, or None."""
    address = normalized(email)
    if not _SYNTAX.fullmatch(address):
        return invalid_resource(INVALID_EMAIL_TEXT)
    if is_fake(address, patterns):
        return fake_email(address)
    return None
