"""The error model: response codes, HTTP statuses, identity replies, network failures -> typed errors and
retry decisions."""

from __future__ import annotations

import pytest
import requests
import urllib3.exceptions

from mlconnector.systems.marketo.classify import (
    DEFAULT_RULES,
    ErrorRules,
    http_failure,
    identity_failure,
    is_empty_search,
    response_failure,
    retry_decision,
    retry_decision_not_idempotent,
    transport_failure,
)
from mlconnector.systems.marketo.errors import (
    AuthenticationError,
    ConfigurationError,
    ErrorDetail,
    MarketoError,
    ParseError,
    PermissionDenied,
    QuotaExceeded,
    RateLimited,
    RequestError,
    TokenRejected,
    TransientError,
)
from tests.unit.marketo.marketo_fakes import CLIENT_SECRET, reply

NOW = 1_790_000_000.0


def classify(code: str, *, retry_after: float | None = None, rules: ErrorRules = DEFAULT_RULES) -> MarketoError:
    return response_failure(
        [ErrorDetail(code, f"message {code}")],
        what="Marketo sync companies",
        permission="Read-Write Company",
        retry_after=retry_after,
        rules=rules,
    )


@pytest.mark.parametrize(
    ("code", "kind", "retried"),
    [
        ("601", TokenRejected, False),
        ("602", TokenRejected, False),
        ("603", PermissionDenied, False),
        ("604", TransientError, True),
        ("605", RequestError, False),
        ("606", RateLimited, True),
        ("607", QuotaExceeded, False),
        ("608", TransientError, True),
        ("609", RequestError, False),
        ("610", RequestError, False),
        ("611", TransientError, True),
        ("612", RequestError, False),
        ("614", TransientError, True),
        ("615", RateLimited, True),
        ("701", RequestError, False),
        ("713", TransientError, True),
        ("502", TransientError, True),
        ("1003", RequestError, False),
        ("1014", TransientError, True),
        ("9999", RequestError, False),
    ],
)
def test_response_codes(code: str, kind: type[MarketoError], retried: bool) -> None:
    error = classify(code)
    assert type(error) is kind
    assert error.code == code
    assert error.message == f"message {code}"
    assert f"message {code}" in str(error)
    assert retry_decision(error).retry is retried


def test_quota_wins_over_everything_else_and_is_never_retried() -> None:
    error = response_failure(
        [ErrorDetail("606", "rate"), ErrorDetail("607", "Daily quota reached")], what="w", permission="p"
    )
    assert isinstance(error, QuotaExceeded)
    assert not retry_decision(error).retry
    assert not retry_decision_not_idempotent(error).retry
    assert "midnight US Central" in str(error)


def test_606_waits_for_the_whole_window_unless_the_server_says_otherwise() -> None:
    error = classify("606")
    assert isinstance(error, RateLimited)
    assert error.window_full
    assert retry_decision(error).min_wait == 20.0
    told = classify("606", retry_after=7.0)
    assert retry_decision(told).min_wait == 7.0
    assert retry_decision(told).retry_after == 7.0
    wider = classify("606", rules=ErrorRules(window_seconds=30.0))
    assert retry_decision(wider).min_wait == 30.0


def test_615_is_a_short_backoff_for_this_call_only() -> None:
    error = classify("615")
    assert isinstance(error, RateLimited)
    assert not error.window_full
    assert retry_decision(error).min_wait == DEFAULT_RULES.concurrency_min_wait < 20.0


def test_permission_error_names_the_permission() -> None:
    error = classify("603")
    assert isinstance(error, PermissionDenied)
    assert error.permission == "Read-Write Company"
    assert "'Read-Write Company' permission" in str(error)


def test_rules_are_configurable() -> None:
    rules = ErrorRules(transient_codes=frozenset({"611"}))
    assert isinstance(classify("604", rules=rules), RequestError)
    assert isinstance(classify("611", rules=rules), TransientError)


def test_702_is_an_empty_search_only_on_its_own() -> None:
    assert is_empty_search([ErrorDetail("702", "No data found")])
    assert not is_empty_search([ErrorDetail("702"), ErrorDetail("1003")])
    assert not is_empty_search([])


@pytest.mark.parametrize(
    ("status", "kind", "retried"),
    [
        (401, TokenRejected, False),
        (413, RequestError, False),
        (414, RequestError, False),
        (404, RequestError, False),
        (429, RateLimited, True),
        (408, TransientError, True),
        (500, TransientError, True),
        (502, TransientError, True),
        (503, TransientError, True),
    ],
)
def test_http_statuses(status: int, kind: type[MarketoError], retried: bool) -> None:
    error = http_failure(reply(b"<html/>", status, content_type="text/html"), what="Marketo describe", now=NOW)
    assert type(error) is kind
    assert retry_decision(error).retry is retried
    assert f"HTTP {status}" in str(error)


def test_2xx_is_read_as_an_envelope() -> None:
    assert http_failure(reply({"success": True}), what="w", now=NOW) is None


def test_429_honours_retry_after_and_otherwise_waits_a_window() -> None:
    told = http_failure(reply(b"", 429, headers={"Retry-After": "12"}), what="w", now=NOW)
    assert isinstance(told, RateLimited)
    assert retry_decision(told).min_wait == 12.0
    untold = http_failure(reply(b"", 429), what="w", now=NOW)
    assert isinstance(untold, RateLimited)
    assert untold.window_full
    assert retry_decision(untold).min_wait == 20.0


def test_identity_401_is_an_authentication_error_with_the_reason() -> None:
    body = {"error": "invalid_client", "error_description": f"Bad client credentials {CLIENT_SECRET}"}
    error = identity_failure(reply(body, 401), now=NOW, secrets=(CLIENT_SECRET,))
    assert isinstance(error, AuthenticationError)
    assert "Bad client credentials" in str(error)
    assert CLIENT_SECRET not in str(error)
    assert not retry_decision(error).retry


@pytest.mark.parametrize(("status", "kind"), [(500, TransientError), (429, TransientError), (404, ConfigurationError)])
def test_other_identity_statuses(status: int, kind: type[MarketoError]) -> None:
    error = identity_failure(reply(b"oops", status, content_type="text/plain"), now=NOW, secrets=())
    assert type(error) is kind
    assert identity_failure(reply({"access_token": "t"}), now=NOW, secrets=()) is None


def refused() -> requests.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(None, "refused")  # type: ignore[arg-type]
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))  # type: ignore[arg-type]


def test_network_failures_say_whether_the_request_may_have_run() -> None:
    never_sent = transport_failure(refused(), what="Marketo sync leads")
    assert not never_sent.may_have_run
    assert retry_decision_not_idempotent(never_sent).retry
    for exc in (requests.ReadTimeout("read"), requests.ConnectionError(ConnectionResetError("reset"))):
        lost = transport_failure(exc, what="Marketo sync leads")
        assert lost.may_have_run
        assert retry_decision(lost).retry
        assert not retry_decision_not_idempotent(lost).retry
    assert not transport_failure(requests.ConnectTimeout("c"), what="w").may_have_run


def test_network_failure_messages_never_carry_the_exception_text() -> None:
    exc = requests.ConnectionError(
        f"Max retries exceeded with url: /identity/oauth/token?client_secret={CLIENT_SECRET}"
    )
    assert CLIENT_SECRET not in str(transport_failure(exc, what="Marketo identity"))


def test_parse_errors_are_retried_unless_the_call_must_not_run_twice() -> None:
    error = ParseError("w: not JSON")
    assert retry_decision(error).retry
    assert not retry_decision_not_idempotent(error).retry
