from __future__ import annotations

import pytest

from mlconnector.webhooks import MalformedEventError, header, raw_body
from tests.unit.webhooks.webhook_fixtures import http_api_event

BINARY = b'{"a":"\xc3\xa9"}\x00\xff'  # not valid UTF-8: API Gateway must base64 it


def test_text_body_is_returned_as_utf8_bytes() -> None:
    assert raw_body(http_api_event('{"name":"é"}'.encode(), {})) == '{"name":"é"}'.encode()


def test_base64_flagged_body_is_decoded_to_the_exact_bytes() -> None:
    event = http_api_event(BINARY, {}, base64_encoded=True)
    assert event["body"] != BINARY.decode("latin-1")
    assert raw_body(event) == BINARY


def test_base64_flag_is_honoured_only_when_true() -> None:
    event = http_api_event(b"aGVsbG8=", {})
    assert raw_body(event) == b"aGVsbG8="


def test_missing_body_is_empty() -> None:
    assert raw_body(http_api_event(None, {})) == b""


@pytest.mark.parametrize("body", ["not base64!", "aGVsbG8"])
def test_undecodable_base64_body_is_malformed(body: str) -> None:
    event = {"body": body, "isBase64Encoded": True}
    with pytest.raises(MalformedEventError, match="base64"):
        raw_body(event)


def test_non_string_body_is_malformed() -> None:
    with pytest.raises(MalformedEventError):
        raw_body({"body": {"already": "parsed"}})


@pytest.mark.parametrize("name", ["X-Adobe-Signature", "x-adobe-signature", "X-ADOBE-SIGNATURE"])
def test_header_lookup_ignores_case(name: str) -> None:
    event = {"headers": {"X-Adobe-Signature": "sig", "content-type": "application/json"}}
    assert header(event, name) == "sig"


def test_absent_header_or_headers_is_none() -> None:
    assert header({"headers": {"a": "1"}}, "b") is None
    assert header({}, "a") is None
    assert header({"headers": None}, "a") is None
