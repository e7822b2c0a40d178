"""The classification tables, row by row: every HTTP status, the body-less variants, the refusal texts (with and
without `type`, with localised titles), per-field errors in the reason, and secrets scrubbed."""

from __future__ import annotations

import pytest

from mlconnector.errors import Action
from mlconnector.systems.mailchimp.classify import HTTP_STATUS, RECORD_RULES, WITHOUT_PROBLEM, http_failure
from mlconnector.systems.mailchimp.errors import (
    AlreadyExists,
    AuthenticationError,
    MailchimpError,
    NotFound,
    PermissionDenied,
    RateLimited,
    RecordError,
    TransientError,
)
from tests.unit.mailchimp.mailchimp_fakes import KEY, problem, reply

TABLE = [
    (400, RecordError, Action.SKIP_RECORD),
    (401, AuthenticationError, Action.FAIL),
    (403, PermissionDenied, Action.FAIL),
    (404, NotFound, Action.SKIP_RECORD),
    (405, RecordError, Action.SKIP_RECORD),
    (408, TransientError, Action.RETRY),
    (414, RecordError, Action.SKIP_RECORD),
    (422, RecordError, Action.SKIP_RECORD),
    (429, RateLimited, Action.WAIT_AND_RETRY),
    (500, TransientError, Action.RETRY),
    (502, TransientError, Action.RETRY),
    (503, TransientError, Action.RETRY),
    (504, TransientError, Action.RETRY),
]


def classify(status: int, body: object = None, headers: dict[str, str] | None = None) -> MailchimpError:
    answer = body if hasattr(body, "status") else reply(body, status, headers)
    found = http_failure(answer, what="Mailchimp test", now=0.0, secrets=(KEY,))  # type: ignore[arg-type]
    assert found is not None
    return found


def test_2xx_is_no_failure() -> None:
    for status in (200, 204):
        assert http_failure(reply({}, status), what="x", now=0.0, secrets=()) is None


def test_the_table_covers_every_row_of_this_test() -> None:
    rows = {row[0] for row in HTTP_STATUS.rows()}
    assert {"400", "401", "403", "404", "405", "408", "429", "5xx", "other"} == rows


@pytest.mark.parametrize(("status", "kind", "action"), TABLE)
def test_each_status_with_a_problem_body(status: int, kind: type[MailchimpError], action: Action) -> None:
    error = classify(status, problem(status, "Some Title", "Some detail."))
    assert type(error) is kind
    assert error.action is action
    assert error.status == status
    assert "Some Title: Some detail." in str(error)
    assert f"HTTP {status} from Mailchimp" in str(error)


@pytest.mark.parametrize(("status", "kind", "action"), TABLE)
def test_each_status_without_a_body(status: int, kind: type[MailchimpError], action: Action) -> None:
    """Empty and HTML bodies (edge, gateway): only 403 changes meaning (throttling, not a permission)."""
    expected = WITHOUT_PROBLEM[status].kind if status in WITHOUT_PROBLEM else kind
    for body in (b"", b"<html><body>504 Gateway Time-out</body></html>", b'{"unexpected": "json"}'):
        error = classify(status, reply(body, status, content_type="text/html"))
        assert type(error) is expected
        assert error.title == error.detail == ""
    if status != 403:
        assert expected is kind
        assert classify(status, b"").action is action


def test_403_without_a_body_is_rate_limited_and_with_one_is_permission() -> None:
    assert isinstance(classify(403, b""), RateLimited)
    assert classify(403, b"").action is Action.WAIT_AND_RETRY
    denied = classify(403, problem(403, "Forbidden", "You don't have permission to access this resource"))
    assert type(denied) is PermissionDenied
    assert denied.action is Action.FAIL


def test_retry_after_is_kept_and_rate_limits_wait_a_little() -> None:
    error = classify(429, problem(429, "Too Many Requests", "", headers={"Retry-After": "7"}))
    assert isinstance(error, RateLimited)
    assert error.retry_after == 7.0
    assert error.min_wait > 0
    assert not error.may_have_run


UNABLE = "We were unable to process the request. "
REFUSALS = [
    ("Member Exists", "ap@acme.example is already a list member. Use PUT to insert or update list members.",
     AlreadyExists, False, "already_exists"),
    ("Bad Request", UNABLE + "An order with the provided ID already exists in the account.",
     AlreadyExists, False, "already_exists"),
    ("Bad Request", UNABLE + "A product with the provided ID already exists in the account.",
     AlreadyExists, False, "already_exists"),
    ("Member In Compliance State",
     "ap@acme.example is in a compliance state due to unsubscribe, bounce, or compliance review "
     "and cannot be subscribed.",
     RecordError, True, "compliance_state"),
    ("Forgotten Email Not Subscribed",
     "ap@acme.example was permanently deleted and cannot be re-imported. "
     "The contact must re-subscribe to get back on the list.",
     RecordError, True, "forgotten_email"),
    ("Invalid Resource", "john.doe@example.com looks fake or invalid, please enter a real email address.",
     RecordError, True, "fake_email"),
    ("Invalid Resource",
     "ap@acme.example has signed up to a lot of lists very recently; we're not allowing more signups for now",
     RecordError, False, "too_many_signups"),
    ("Bad Request", "A product with the provided ID does not exist in the account for this list.",
     RecordError, False, ""),
    ("Invalid Resource", "Your merge fields were invalid.", RecordError, False, ""),
]  # fmt: skip


@pytest.mark.parametrize(("title", "detail", "kind", "permanent", "refusal"), REFUSALS)
def test_refusals_by_title_or_detail(
    title: str, detail: str, kind: type[RecordError], permanent: bool, refusal: str
) -> None:
    for with_type in (False, True):
        error = classify(400, problem(400, title, detail, with_type=with_type))
        assert type(error) is kind
        assert (error.permanent, error.refusal) == (permanent, refusal)  # type: ignore[attr-defined]
        assert error.action is Action.SKIP_RECORD
    foreign = "Miembro existente" if kind is AlreadyExists else "Recurso inválido"
    localised = classify(400, problem(400, foreign, detail))
    assert type(localised) is kind, "titles can come localised: the detail decides then"


def test_every_record_rule_is_exercised() -> None:
    tested = {row[4] for row in REFUSALS}
    assert {rule.refusal for rule in RECORD_RULES} <= tested


def test_field_errors_are_part_of_the_reason() -> None:
    error = classify(
        400,
        problem(
            400,
            "Invalid Resource",
            "Your merge fields were invalid.",
            [{"field": "FNAME", "message": "Please enter a value"}, {"field": "ADDRESS", "message": "needs a city"}],
        ),
    )
    assert error.reason == (
        "Invalid Resource: Your merge fields were invalid. (FNAME: Please enter a value; ADDRESS: needs a city)"
    )


def test_a_wrong_data_centre_says_so() -> None:
    error = classify(401, problem(401, "API Key Invalid", "Invalid API key: wrong datacenter"))
    assert type(error) is AuthenticationError
    assert "data centre does not match" in str(error)
    assert type(classify(403, problem(403, "Wrong Datacenter", "The API key provided is linked to us6"))) is (
        PermissionDenied
    )


def test_secrets_echoed_by_the_server_are_scrubbed() -> None:
    error = classify(
        401,
        problem(401, "API Key Invalid", f"Your API key may be invalid: {KEY}", [{"field": KEY, "message": KEY}]),
    )
    assert KEY not in str(error)
    assert KEY not in error.detail
    assert "REDACTED" in str(error)
