"""Every request-level code and status to its kind and action, with what each error says to do; credits used up
(by text, by header, by a 429 streak) stop the run; 429 backs off with Retry-After and pauses the shared budget."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector import errors as kinds
from mlconnector.call_budget import CallBudget
from mlconnector.http import HttpReply
from mlconnector.systems.zoho.classify import CODES, HTTP_STATUS, Call, decoded, reply_failure
from mlconnector.systems.zoho.errors import (
    AuthenticationError,
    ConfigurationError,
    CreditsExhausted,
    ModuleUnavailable,
    PermissionDenied,
    RateLimited,
    RequestError,
    ScopeMissing,
    TokenRejected,
    TransientError,
    ZohoError,
)
from tests.conftest import FakeClock
from tests.unit.zoho.zoho_fakes import ORG, FakeZoho, envelope, make, reply

CALL = Call("Zoho upsert Vendors", "ZohoCRM.modules.vendors.ALL", "Vendors")


def failure(answer: HttpReply, call: Call = CALL, credits_left: int | None = None) -> ZohoError | None:
    data = decoded(answer, what=call.what)
    return reply_failure(answer, data, call=call, now=0.0, secrets=("s3cret",), credits_left=credits_left)


@pytest.mark.parametrize(
    ("code", "status", "kind", "action"),
    [
        ("INVALID_TOKEN", 401, TokenRejected, kinds.Action.REFRESH_AND_RETRY),
        ("AUTHENTICATION_FAILURE", 401, AuthenticationError, kinds.Action.FAIL),
        ("OAUTH_SCOPE_MISMATCH", 401, ScopeMissing, kinds.Action.FAIL),
        ("NO_PERMISSION", 403, PermissionDenied, kinds.Action.FAIL),
        ("AUTHORIZATION_FAILED", 400, PermissionDenied, kinds.Action.FAIL),
        ("TOO_MANY_REQUESTS", 429, RateLimited, kinds.Action.WAIT_AND_RETRY),
        ("INVALID_MODULE", 400, ModuleUnavailable, kinds.Action.FAIL),
        ("NOT_SUPPORTED", 400, ModuleUnavailable, kinds.Action.FAIL),
        ("INVALID_URL_PATTERN", 404, ConfigurationError, kinds.Action.FAIL),
        ("INVALID_REQUEST_METHOD", 400, ConfigurationError, kinds.Action.FAIL),
        ("INTERNAL_ERROR", 500, TransientError, kinds.Action.RETRY),
        ("INVALID_DATA", 400, RequestError, kinds.Action.SKIP_RECORD),
        ("LIMIT_EXCEEDED", 400, RequestError, kinds.Action.SKIP_RECORD),
        ("LIMIT_REACHED", 400, RequestError, kinds.Action.SKIP_RECORD),
        ("INVALID_QUERY", 400, RequestError, kinds.Action.SKIP_RECORD),
        ("EXPECTED_PARAM_MISSING", 400, RequestError, kinds.Action.SKIP_RECORD),
        ("FEATURE_NOT_SUPPORTED", 400, RequestError, kinds.Action.SKIP_RECORD),
        ("SOMETHING_NEW", 503, TransientError, kinds.Action.RETRY),
        ("SOMETHING_NEW", 401, TokenRejected, kinds.Action.REFRESH_AND_RETRY),
    ],
)
def test_every_code_has_its_kind(code: str, status: int, kind: type[ZohoError], action: kinds.Action) -> None:
    found = failure(envelope(code, "the message", status))
    assert type(found) is kind
    assert kinds.action_of(found) is action
    assert (found.status, found.code, found.detail) == (status, code, "the message")


def test_every_request_level_code_is_in_the_table() -> None:
    assert set(CODES) == {
        "INVALID_TOKEN",
        "AUTHENTICATION_FAILURE",
        "OAUTH_SCOPE_MISMATCH",
        "NO_PERMISSION",
        "AUTHORIZATION_FAILED",
        "TOO_MANY_REQUESTS",
        "INVALID_MODULE",
        "NOT_SUPPORTED",
        "INVALID_URL_PATTERN",
        "INVALID_REQUEST_METHOD",
        "INTERNAL_ERROR",
    }
    assert all(issubclass(rule.kind, ZohoError) for rule in CODES.values())


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, RequestError),
        (401, TokenRejected),
        (403, PermissionDenied),
        (404, ConfigurationError),
        (408, TransientError),
        (429, RateLimited),
        (502, TransientError),
        (418, RequestError),
    ],
)
def test_replies_without_an_envelope_go_by_status(status: int, kind: type[ZohoError]) -> None:
    found = failure(reply(b"<html>edge page</html>", status))
    assert type(found) is kind
    assert f"HTTP {status} from Zoho" in str(found)
    assert HTTP_STATUS.rule(status).kind is kind


def test_an_answer_is_no_failure() -> None:
    assert failure(reply({"data": []})) is None
    assert failure(reply(None, 204)) is None
    all_failed = {"data": [{"code": "MANDATORY_NOT_FOUND", "details": {}, "message": "m", "status": "error"}]}
    assert failure(reply(all_failed, 400)) is None  # an upsert whose every record failed: per-record results


def test_a_success_envelope_or_a_record_with_a_code_field_is_no_failure() -> None:
    assert failure(reply({"code": "SUCCESS", "details": {}, "message": "done", "status": "success"})) is None
    assert failure(reply({"data": [{"id": "1", "code": "INVALID_TOKEN", "status": "Active"}]})) is None


def test_a_request_level_code_inside_data_is_the_calls_error() -> None:
    """The v8 OAS's upsert example wraps INVALID_MODULE in data[] (UNVERIFIED): still the module is unavailable."""
    wrapped = {"data": [{"code": "INVALID_MODULE", "details": {}, "message": "invalid", "status": "error"}]}
    found = failure(reply(wrapped, 400))
    assert isinstance(found, ModuleUnavailable)
    assert found.module == "Vendors"


def test_module_unavailable_names_the_module_and_says_to_skip_it() -> None:
    found = failure(envelope("INVALID_MODULE", "the module name given seems to be invalid", 400))
    assert isinstance(found, ModuleUnavailable)
    assert "skip Vendors or check the edition" in str(found)
    no_module = failure(envelope("INVALID_MODULE", "x", 400), Call("Zoho org", "ZohoCRM.org.READ"))
    assert type(no_module) is ConfigurationError


def test_a_scope_mismatch_names_the_scope_to_add() -> None:
    found = failure(envelope("OAUTH_SCOPE_MISMATCH", "Unauthorized", 401))
    assert isinstance(found, ScopeMissing)
    assert found.scope == "ZohoCRM.modules.vendors.ALL"
    assert "generate a refresh token with ZohoCRM.modules.vendors.ALL" in str(found)


def test_no_permission_lists_the_missing_permissions() -> None:
    found = failure(envelope("NO_PERMISSION", "permission denied", 403, {"permissions": ["Crm_Implied_Vendors"]}))
    assert isinstance(found, PermissionDenied)
    assert found.permissions == ("Crm_Implied_Vendors",)
    assert "(Crm_Implied_Vendors): give the user's profile that permission" in str(found)


@pytest.mark.parametrize(
    ("answer", "credits_left"),
    [
        (envelope("TOO_MANY_REQUESTS", "API credits have been exhausted for the day.", 429), None),
        (envelope("LIMIT_REACHED", "You have reached the API credit limit", 400), None),
        (envelope("TOO_MANY_REQUESTS", "too many", 429), 0),
    ],
)
def test_credits_used_up_stop_the_run(answer: HttpReply, credits_left: int | None) -> None:
    found = failure(answer, credits_left=credits_left)
    assert isinstance(found, CreditsExhausted)
    assert isinstance(found, kinds.QuotaExceeded)
    assert kinds.action_of(found) is kinds.Action.STOP
    assert "the run stops here and the next run resumes" in str(found)


def test_the_concurrency_429_is_a_rate_limit_with_its_retry_after() -> None:
    found = failure(envelope("TOO_MANY_REQUESTS", "concurrency limit exceeded", 429, headers={"Retry-After": "7"}))
    assert isinstance(found, RateLimited)
    assert (found.retry_after, found.min_wait, found.may_have_run) == (7.0, 2.0, False)


def test_the_message_is_scrubbed() -> None:
    found = failure(envelope("INVALID_DATA", "echo s3cret", 400))
    assert found is not None
    assert "s3cret" not in str(found)
    assert "REDACTED" in found.detail


def test_429_backs_off_honours_retry_after_and_pauses_every_stream(clock: FakeClock) -> None:
    fake = FakeZoho(clock)
    fake.handlers[("GET", "/org")] = lambda _call: ORG
    budget = CallBudget(max_calls=None, max_concurrent=15, clock=clock)
    client, sleep = make(fake, budget=budget)
    client.token()
    fake.faults = [envelope("TOO_MANY_REQUESTS", "concurrency", 429, headers={"Retry-After": "9"})]
    client.org()
    assert sleep.waits == [9.0]  # the pause of the shared budget
    assert len(fake.api_calls()) == 2


def test_429s_that_go_on_for_minutes_are_taken_as_credits_used_up(clock: FakeClock) -> None:
    fake = FakeZoho(clock)
    fake.handlers[("GET", "/org")] = lambda _call: envelope("TOO_MANY_REQUESTS", "try later", 429)
    client, _ = make(fake, max_attempts=6, rate_limit_stop_after=60.0)
    client.token()
    with pytest.raises(RateLimited):
        client.org()  # 6 attempts over about 10 s: still a rate limit
    clock.advance(50)
    with pytest.raises(CreditsExhausted, match="answered TOO_MANY_REQUESTS for"):
        client.org()
    fake.handlers[("GET", "/org")] = lambda _call: ORG
    client.org()  # an answer ends the streak
    fake.handlers[("GET", "/org")] = lambda _call: envelope("TOO_MANY_REQUESTS", "try later", 429)
    with pytest.raises(RateLimited):
        client.org()


def test_transient_failures_are_retried_and_counted(clock: FakeClock) -> None:
    fake = FakeZoho(clock)
    fake.handlers[("GET", "/org")] = lambda _call: ORG
    client, sleep = make(fake)
    client.token()
    fake.faults = [envelope("INTERNAL_ERROR", "Internal Server Error", 500), reply(b"<html>", 502)]
    assert client.org()["company_name"] == "Acme"
    assert len(sleep.waits) == 2
    assert client.calls == 4


@pytest.mark.parametrize("body", [b"<html>not json</html>", b'{"data": [{"id": 4.150868000003194e18}]}'])
def test_unreadable_2xx_replies_are_retried_once_then_raised(clock: FakeClock, body: bytes) -> None:
    from mlconnector.systems.zoho.errors import ParseError  # noqa: PLC0415

    fake = FakeZoho(clock)
    answer: Any = reply(body)
    fake.handlers[("GET", "/Accounts/1")] = lambda _call: answer
    client, _ = make(fake)
    with pytest.raises(ParseError):
        client.get_record("Accounts", "1")
    assert len(fake.api_calls()) == 2  # a hostile reply comes again: one more try, not six
