"""Non-XML error bodies as infrastructure in front of an API returns them (web server, CDN)."""

from __future__ import annotations

from http import HTTPStatus

_CLOUDFLARE_TITLES = {
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway time-out",
    520: "Web server is returning an unknown error",
    521: "Web server is down",
    522: "Connection timed out",
    524: "A timeout occurred",
}


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _CLOUDFLARE_TITLES.get(status, "Error")


def html_error_page(status: int) -> str:
    """A plain web-server error page (what a load balancer returns on a mid-process failure)."""
    phrase = reason_phrase(status)
    return (
        "<!DOCTYPE html>\n<html><head><title>"
        f"{status} {phrase}</title></head>\n<body><h1>{phrase}</h1>\n"
        "<p>The server encountered a temporary error and could not complete your request.</p>\n"
        "</body></html>\n"
    )


def cloudflare_page(status: int, ray_id: str = "8c0ffee000000000") -> str:
    """A Cloudflare-style error page; clients recognise it by the ``cf-error-details`` block."""
    title = _CLOUDFLARE_TITLES.get(status, reason_phrase(status))
    return (
        '<!DOCTYPE html>\n<html lang="en-US"><head><title>'
        f"api.example | {status}: {title}</title></head>\n<body>\n"
        '<div id="cf-wrapper"><div id="cf-error-details" class="cf-error-details-wrapper">\n'
        f'<h1><span class="cf-error-type">Error</span> <span class="cf-error-code">{status}</span></h1>\n'
        f'<h2 class="cf-subheadline">{title}</h2>\n'
        f"<p>Cloudflare Ray ID: <strong>{ray_id}</strong></p>\n"
        "</div></div>\n</body></html>\n"
    )
