"""POSTing request XML and reading the HTTP layer the way the SDKs do: a 4xx with an XML body is a
normal response to parse; other non-200 replies become typed errors here."""

from __future__ import annotations

from mlconnector.http import HttpReply, RequestsTransport, retry_after_from
from mlconnector.systems.intacct.errors import (
    ConfigurationError,
    IntacctError,
    RateLimited,
    TransientError,
    UnknownOutcome,
)

USER_AGENT = "ml-connector-intacct/0.1"
CONTENT_TYPE = "application/xml"
_XML_TYPES = ("text/xml", "application/xml")


XML_HEADERS = {"Content-Type": CONTENT_TYPE}


def new_transport() -> RequestsTransport:
    return RequestsTransport(USER_AGENT)


def is_xml(reply: HttpReply) -> bool:
    return reply.media_type in _XML_TYPES


def http_failure(
    reply: HttpReply, *, write: bool, now: float, what: str, rate_limit_min_wait: float = 5.0
) -> IntacctError | None:
    """None when the body should be parsed as a gateway response (2xx, or 4xx with XML), else the error.

    524 means the CDN gave up while Intacct kept processing: an unknown outcome for a write, retryable
    for a read (getAPISession counts as a read)."""
    if 200 <= reply.status < 300 or (400 <= reply.status < 500 and is_xml(reply)):
        return None
    retry_after = retry_after_from(reply.headers, now=now)
    context = f"{what}: HTTP {reply.status} from Intacct"
    if reply.status == 524:
        if write:
            return UnknownOutcome(f"{context} (timed out at the CDN; the write may still be applied)")
        return TransientError(f"{context} (timed out at the CDN)", retry_after=retry_after)
    if reply.status == 429:
        return RateLimited(
            f"{context} (rate limited)", retry_after=retry_after, min_wait=rate_limit_min_wait, may_have_run=False
        )
    if reply.status >= 500 or reply.status == 408:
        kind = "Cloudflare page" if b"cf-error-details" in reply.body else reply.content_type or "no content type"
        return TransientError(f"{context} ({kind})", retry_after=retry_after)
    return ConfigurationError(f"{context} ({reply.content_type or 'no content type'}); check the endpoint URL")
