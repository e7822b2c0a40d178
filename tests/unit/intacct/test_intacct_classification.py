"""The retry matrix: HTTP replies, network failures and error classes, for reads and writes."""

from __future__ import annotations

import socket

import pytest
import requests
import urllib3.exceptions

from mlconnector.systems.intacct.classify import retry_decision, retry_decision_not_idempotent, transport_failure
from mlconnector.systems.intacct.errors import (
    AuthenticationError,
    ConfigurationError,
    DuplicateControlId,
    IntacctError,
    ParseError,
    RateLimited,
    ResultError,
    SessionExpired,
    TransientError,
    UnknownOutcome,
)
from mlconnector.systems.intacct.transport import http_failure
from tests.unit.intacct.intacct_fakes import control_failure_xml, reply

NOW = 1_700_000_000.0
CLOUDFLARE = '<html><div id="cf-error-details">Error 502</div></html>'


def failure(
    status: int, body: str = "", content_type: str = "text/html", *, write: bool, headers: dict[str, str] | None = None
) -> IntacctError | None:
    return http_failure(reply(body, status, content_type, headers), write=write, now=NOW, what="Intacct query VENDOR")


@pytest.mark.parametrize("write", [False, True])
def test_bodies_to_parse(write: bool) -> None:
    assert failure(200, "<response/>", "text/xml", write=write) is None
    assert failure(401, control_failure_xml("XMLGW_JPP0002"), 'text/xml; encoding="UTF-8"', write=write) is None
    assert failure(400, control_failure_xml("GW-0011"), "application/xml", write=write) is None
    assert failure(429, control_failure_xml("GW-0010"), "text/xml", write=write) is None


@pytest.mark.parametrize(
    ("status", "body", "content_type", "read_error", "write_error"),
    [
        (429, "Too many", "text/plain", RateLimited, RateLimited),
        (500, "<html>oops</html>", "text/html", TransientError, TransientError),
        (502, CLOUDFLARE, "text/html", TransientError, TransientError),
        (503, "", "", TransientError, TransientError),
        (504, "<html/>", "text/html", TransientError, TransientError),
        (524, "<html>timeout</html>", "text/html", TransientError, UnknownOutcome),
        (404, "<html>not found</html>", "text/html", ConfigurationError, ConfigurationError),
        (302, "", "text/html", ConfigurationError, ConfigurationError),
    ],
)
def test_http_status_matrix(status: int, body: str, content_type: str, read_error: type, write_error: type) -> None:
    read = failure(status, body, content_type, write=False)
    write = failure(status, body, content_type, write=True)
    assert type(read) is read_error
    assert type(write) is write_error
    assert read is not None
    assert f"HTTP {status}" in str(read)
    assert "Intacct query VENDOR" in str(read)


def test_cloudflare_page_is_named_and_retry_after_is_read() -> None:
    error = failure(502, CLOUDFLARE, write=False, headers={"Retry-After": "90"})
    assert isinstance(error, TransientError)
    assert "Cloudflare" in str(error)
    assert error.retry_after == 90.0
    limited = failure(429, "slow down", "text/plain", write=True, headers={"retry-after": "15"})
    assert isinstance(limited, RateLimited)
    assert limited.retry_after == 15.0
    assert limited.may_have_run is False


def test_524_is_retryable_for_reads_only() -> None:
    read = failure(524, write=False)
    write = failure(524, write=True)
    assert read is not None
    assert retry_decision(read).retry
    assert write is not None
    assert not retry_decision(write).retry


def new_connection_error() -> requests.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection")  # type: ignore[arg-type]
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/ia/xml/xmlgw.phtml", reason))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("exc", "read_error", "write_error"),
    [
        (requests.ConnectTimeout("connect timed out"), TransientError, TransientError),
        (new_connection_error(), TransientError, TransientError),
        (requests.ReadTimeout("read timed out"), TransientError, UnknownOutcome),
        (
            requests.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted.")),
            TransientError,
            UnknownOutcome,
        ),
        (requests.exceptions.ChunkedEncodingError("Connection broken"), TransientError, UnknownOutcome),
    ],
    ids=["connect-timeout", "refused", "read-timeout", "dropped", "chunked"],
)
def test_network_failure_matrix(exc: requests.RequestException, read_error: type, write_error: type) -> None:
    assert type(transport_failure(exc, write=False, what="Intacct read")) is read_error
    assert type(transport_failure(exc, write=True, what="Intacct create")) is write_error


def test_real_refused_connection_on_a_write_is_safe_to_retry() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(requests.ConnectionError) as caught:
        requests.post(f"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml", data=b"<request/>", timeout=2)
    error = transport_failure(caught.value, write=True, what="Intacct create APBILL")
    assert type(error) is TransientError
    assert error.may_have_run is False
    assert retry_decision_not_idempotent(error).retry


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (TransientError("5xx"), True),
        (RateLimited("429", retry_after=7.0, min_wait=5.0), True),
        (ParseError("garbled"), True),
        (UnknownOutcome("524 on write"), False),
        (DuplicateControlId("dup"), False),
        (AuthenticationError("bad password"), False),
        (ConfigurationError("bad xml"), False),
        (SessionExpired("expired"), False),
        (ResultError("validation"), False),
        (IntacctError("unknown"), False),
        (ValueError("bug"), False),
    ],
)
def test_retry_decisions(error: BaseException, retry: bool) -> None:
    assert retry_decision(error).retry is retry


def test_rate_limit_decision_carries_retry_after_and_floor() -> None:
    decision = retry_decision(RateLimited("429", retry_after=7.0, min_wait=5.0))
    assert (decision.retry_after, decision.min_wait) == (7.0, 5.0)


def test_non_idempotent_reads_retry_only_what_cannot_have_run() -> None:
    assert not retry_decision_not_idempotent(TransientError("502 after send")).retry
    assert not retry_decision_not_idempotent(ParseError("garbled")).retry
    assert retry_decision_not_idempotent(TransientError("refused", may_have_run=False)).retry
    assert retry_decision_not_idempotent(RateLimited("429", may_have_run=False)).retry
