"""Every status and body shape to its kind; 429 with Retry-After (and past the deadline: a clean stop the runner
treats like a quota); 409 and 5xx retried; 401/403 fail fast (403 naming the role); secrets scrubbed from errors."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector import errors as kinds
from mlconnector.errors import Action
from mlconnector.systems.zendesk.classify import Call, reply_failure, said_of
from mlconnector.systems.zendesk.errors import (
    AuthenticationError,
    PermissionDenied,
    RateLimited,
    RequestError,
    RetryLater,
    TooManyJobs,
    TransientError,
    ZendeskError,
)
from tests.conftest import FakeClock
from tests.unit.zendesk.zendesk_fakes import (
    API_TOKEN,
    CLIENT_SECRET,
    ME,
    REFRESH_TOKEN,
    FakeZendesk,
    api_token_credentials,
    error,
    make,
    reply,
)

CALL = Call("Zendesk test call", "an admin")
NOW = 1_790_000_000.0


@pytest.mark.parametrize(
    ("status", "body", "kind", "action"),
    [
        (400, {"error": "TooManyValues", "description": "Too many values"}, RequestError, Action.SKIP_RECORD),
        (401, {"error": "Couldn't authenticate you"}, AuthenticationError, Action.FAIL),
        (401, {"error": "invalid_token", "error_description": "expired"}, AuthenticationError, Action.FAIL),
        (403, {"error": "Forbidden", "description": "You do not have access"}, PermissionDenied, Action.FAIL),
        (403, {"error": {"title": "Forbidden", "message": "no access"}}, PermissionDenied, Action.FAIL),
        (404, {"error": "RecordNotFound", "description": "Not found"}, RequestError, Action.SKIP_RECORD),
        (408, None, TransientError, Action.RETRY),
        (409, {"error": "Conflict"}, TransientError, Action.RETRY),
        (422, {"error": "RecordInvalid", "description": "Record validation errors"}, RequestError, Action.SKIP_RECORD),
        (429, {"error": "APIRateLimitExceeded"}, RateLimited, Action.WAIT_AND_RETRY),
        (429, b"Too Many Requests", RateLimited, Action.WAIT_AND_RETRY),
        (
            429,
            {"errors": [{"code": "TooManyJobs", "title": "Too many jobs queued"}]},
            TooManyJobs,
            Action.WAIT_AND_RETRY,
        ),
        (500, b"<html>oops</html>", TransientError, Action.RETRY),
        (502, None, TransientError, Action.RETRY),
        (503, {"error": "ServiceUnavailable"}, TransientError, Action.RETRY),
        (520, None, TransientError, Action.RETRY),
        (524, None, TransientError, Action.RETRY),
        (418, {"error": "Teapot"}, RequestError, Action.SKIP_RECORD),
    ],
)
def test_every_status_and_body_has_its_kind(status: int, body: Any, kind: type[ZendeskError], action: Action) -> None:
    failure = reply_failure(reply(body, status), call=CALL, now=NOW, secrets=())
    assert type(failure) is kind
    assert kinds.action_of(failure) is action
    assert reply_failure(reply({"ok": True}, 200), call=CALL, now=NOW, secrets=()) is None


def test_a_409_is_refused_before_processing_so_even_a_create_is_sent_again() -> None:
    failure = reply_failure(reply({"error": "Conflict"}, 409), call=CALL, now=NOW, secrets=())
    assert isinstance(failure, TransientError)
    assert failure.may_have_run is False
    server = reply_failure(reply(None, 503), call=CALL, now=NOW, secrets=())
    assert isinstance(server, TransientError)
    assert server.may_have_run is True


def test_record_invalid_details_are_kept_as_zendesks_text_per_field() -> None:
    body = {
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {"name": [{"description": "Name: Acme has already been taken", "error": "DuplicateValue"}]},
    }
    failure = reply_failure(reply(body, 422), call=CALL, now=NOW, secrets=())
    assert isinstance(failure, RequestError)
    assert failure.error == "RecordInvalid"
    assert "name: DuplicateValue Name: Acme has already been taken" in failure.detail


def test_a_403_says_which_role_is_missing() -> None:
    failure = reply_failure(error(403, "Forbidden", "You do not have access"), call=CALL, now=NOW, secrets=())
    assert isinstance(failure, PermissionDenied)
    assert failure.needs == "an admin"
    assert "this needs an admin" in str(failure)


def test_secrets_echoed_in_a_body_are_scrubbed() -> None:
    body = {"error": "invalid", "description": f"bad token {REFRESH_TOKEN} with {CLIENT_SECRET}"}
    said = said_of(reply(body, 400).body, status=400, secrets=(REFRESH_TOKEN, CLIENT_SECRET))
    assert REFRESH_TOKEN not in said["detail"]
    assert CLIENT_SECRET not in said["detail"]
    assert "REDACTED" in said["detail"]


@pytest.fixture
def fake(clock: FakeClock) -> FakeZendesk:
    fake = FakeZendesk(clock)
    fake.handlers[("GET", "/users/me")] = lambda _call: ME
    return fake


def test_429_waits_for_retry_after_then_succeeds(fake: FakeZendesk) -> None:
    fake.faults = [error(429, "APIRateLimitExceeded", headers={"Retry-After": "7"})]
    client, sleep = make(fake, deadline=lambda: 600.0)
    assert client.me()["role"] == "admin"
    assert sleep.waits == [7.0]


def test_retry_after_beyond_the_time_left_stops_the_run_cleanly_without_sleeping(fake: FakeZendesk) -> None:
    fake.faults = [error(429, "APIRateLimitExceeded", headers={"Retry-After": "90"})]
    client, sleep = make(fake, deadline=lambda: 30.0)
    with pytest.raises(RetryLater) as caught:
        client.me()
    assert sleep.waits == []
    assert caught.value.retry_after == 90.0
    assert isinstance(caught.value, kinds.QuotaExceeded)  # the kind the runner ends a run on as STOPPED_EARLY
    assert kinds.action_of(caught.value) is Action.STOP


def test_a_409_is_retried_with_backoff_even_for_a_create_but_a_5xx_on_a_create_is_not(fake: FakeZendesk) -> None:
    """A 5xx may have run the create_many: sending it again would meet its own names and external ids."""
    fake.handlers[("POST", "/organizations/create_many")] = lambda _call: {
        "job_status": {"id": "j1", "status": "queued"}
    }
    fake.faults = [error(409, "Conflict"), error(409, "Conflict")]
    client, sleep = make(fake)
    client.token()
    job = client.create_organizations([{"name": "Acme", "external_id": "C-1"}])
    assert job.id == "j1"
    assert len(fake.api_calls("/organizations/create_many")) == 3
    assert sleep.waits == [0.5, 0.5]  # the floor (jitter 0)
    fake.faults = [reply(None, 503)]
    with pytest.raises(TransientError):
        client.create_organizations([{"name": "Beta", "external_id": "C-2"}])
    assert len(fake.api_calls("/organizations/create_many")) == 4


def test_5xx_on_a_read_is_retried_until_it_answers(fake: FakeZendesk) -> None:
    fake.faults = [reply(None, 502), reply(None, 520), reply(None, 524)]
    client, sleep = make(fake)
    assert client.me()["id"] == 1001
    assert len(sleep.waits) == 3


def test_an_api_tokens_401_fails_fast_with_one_call(fake: FakeZendesk) -> None:
    fake.faults = [error(401, "Couldn't authenticate you")]
    client, _ = make(fake, creds=api_token_credentials())
    with pytest.raises(AuthenticationError) as caught:
        client.me()
    assert len(fake.api_calls()) == 1
    assert API_TOKEN not in str(caught.value)


def test_a_403_fails_fast(fake: FakeZendesk) -> None:
    fake.faults = [error(403, "Forbidden", "You do not have access to this page")]
    client, _ = make(fake)
    with pytest.raises(PermissionDenied, match="this needs an agent or admin role"):
        client.me()
    assert len(fake.api_calls()) == 1


def test_an_access_token_echoed_by_zendesk_never_reaches_the_message(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    pair = client.token()
    assert pair is not None
    assert pair.access_token is not None
    fake.faults = [error(400, "Invalid", f"token {pair.access_token} and {CLIENT_SECRET} are odd")]
    with pytest.raises(RequestError) as caught:
        client.me()
    assert pair.access_token not in str(caught.value)
    assert CLIENT_SECRET not in str(caught.value)
    assert CLIENT_SECRET not in repr(client.credentials)
