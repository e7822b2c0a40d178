"""The requests-based transport: what goes on the wire, and what comes back."""

from __future__ import annotations

import pytest
import requests
import responses
from responses import matchers

from mlconnector.http import HttpReply, HttpRequest
from mlconnector.systems.intacct.transport import XML_HEADERS, is_xml, new_transport

URL = "https://api.intacct.com/ia/xml/xmlgw.phtml"
POST = HttpRequest("POST", URL, body=b"<request/>", headers=XML_HEADERS)


@responses.activate
def test_posts_xml_and_returns_status_type_and_body() -> None:
    responses.add(
        responses.POST,
        URL,
        body=b"<response/>",
        status=401,
        content_type='text/xml; encoding="UTF-8"',
        headers={"Retry-After": "3"},
        match=[matchers.header_matcher({"Content-Type": "application/xml"})],
    )
    transport = new_transport()
    reply = transport.send(POST, timeout=(1.0, 2.0))
    transport.close()
    assert reply.status == 401
    assert is_xml(reply)
    assert reply.body == b"<response/>"
    assert reply.headers["Retry-After"] == "3"
    assert responses.calls[0].request.body == b"<request/>"
    assert responses.calls[0].request.headers["User-Agent"].startswith("ml-connector-intacct/")
    assert "<response/>" not in repr(reply)


@responses.activate
def test_redirects_are_not_followed() -> None:
    responses.add(responses.POST, URL, status=302, headers={"Location": "https://evil.example/"})
    reply = new_transport().send(POST, timeout=(1.0, 2.0))
    assert reply.status == 302
    assert len(responses.calls) == 1


@responses.activate
def test_network_errors_propagate_for_classification() -> None:
    responses.add(responses.POST, URL, body=requests.ConnectionError("reset"))
    with pytest.raises(requests.ConnectionError):
        new_transport().send(POST, timeout=(1.0, 2.0))


def test_html_is_not_xml() -> None:
    assert not is_xml(HttpReply(502, "text/html; charset=utf-8", b""))
    assert is_xml(HttpReply(200, "application/xml", b""))
