"""Where credentials may be sent: URL checks shared by every client.

A vendor URL must be https on the vendor's own domain; a host taken from a response or a key (Intacct's session
endpoint, Mailchimp's data centre, Zoho's api_domain, ...) is checked the same way before use. The only other
hosts allowed are those a deployment lists explicitly for its local simulators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Url:
    scheme: str
    host: str  # lower case, no trailing dot
    port: int | None
    netloc: str
    path: str
    query: str
    fragment: str


def parse_url(url: str, what: str) -> Url:
    """The URL's parts; ValueError (naming `what`) for anything a credential must never be sent to."""
    if any(c.isspace() or c == "\\" for c in url):
        raise ValueError(f"{what} contains whitespace or a backslash")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{what} is malformed: {exc}") from None
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ValueError(f"{what} has no host")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{what} for {host} must not contain user info")
    return Url(parts.scheme, host, port, parts.netloc, parts.path, parts.query, parts.fragment)


def is_sandbox_host(url: Url, allowed: Sequence[str]) -> bool:
    """Listed as `host` (any port) or `host:port`, over http or https."""
    entries = {entry.strip().lower() for entry in allowed}
    listed = url.host in entries or (url.port is not None and f"{url.host}:{url.port}" in entries)
    return listed and url.scheme in ("http", "https")


def in_domain(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def is_default_https(url: Url) -> bool:
    return url.scheme == "https" and url.port in (None, 443)
