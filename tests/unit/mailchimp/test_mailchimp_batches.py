"""Batch operations: the submit body (each operation's body a JSON string), polling with backoff within the
deadline, the archive fetched without credentials from a checked host, and the archive read into one outcome per
operation (empty files, unreadable files, missing operations, expired batches)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from mlconnector.errors import Action
from mlconnector.systems.mailchimp.batches import Operation, parse_archive
from mlconnector.systems.mailchimp.errors import (
    ConfigurationError,
    NotFound,
    ParseError,
    RateLimited,
    RecordError,
    TransientError,
)
from tests.unit.mailchimp.mailchimp_fakes import (
    ARCHIVE_URL,
    KEY,
    LIST_ID,
    Call,
    FakeMailchimp,
    archive,
    entry,
    make,
    problem,
    reply,
)

MEMBER = f"/lists/{LIST_ID}/members/abc"
COMPLIANCE = {
    "title": "Member In Compliance State",
    "status": 400,
    "detail": "c@x.example is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be "
    "subscribed.",
    "instance": "i-1",
}
OPERATIONS = [
    Operation("PUT", MEMBER, "m1", body={"email_address": "a@x.example", "status_if_new": "subscribed"}),
    Operation("PUT", MEMBER, "m2", body={"email_address": "c@x.example", "status": "subscribed"}),
    Operation("GET", "/lists", "lists", params={"count": 10, "offset": 0}),
    Operation("DELETE", "/ecommerce/stores/s/orders/o/lines/l", "line"),
]


def batch(status: str, url: str = "") -> dict[str, Any]:
    return {"id": "b1", "status": status, "total_operations": 4, "finished_operations": 0, "response_body_url": url}


def batch_fake(statuses: list[dict[str, Any] | Any], files: dict[str, Any] | None = None) -> FakeMailchimp:
    submitted: list[Call] = []

    def submit(call: Call) -> dict[str, Any]:
        submitted.append(call)
        return batch("pending")

    fake = FakeMailchimp({("POST", "/batches"): submit})
    fake.handlers[("GET", "/batches/b1")] = lambda _c: statuses.pop(0)
    content = archive(files if files is not None else {})
    fake.handlers[("GET", "/b1-response.tar.gz")] = lambda _c: reply(content, content_type="application/x-gzip")
    return fake


def default_files() -> dict[str, Any]:
    return {
        "0.json": [
            entry("m1", 200, {"id": "abc", "email_address": "a@x.example"}),
            entry("m2", 400, COMPLIANCE),
        ],
        "1.json": b"",  # empty files happen: skipped
        "2.json": [entry("line", 204, "")],
    }


def test_the_submit_sends_each_body_as_a_json_string() -> None:
    fake = batch_fake([batch("finished", ARCHIVE_URL)], default_files())
    client, _ = make(fake)
    client.run_batch(OPERATIONS)
    sent = fake.calls[0].json
    assert sent == {
        "operations": [
            {"method": "PUT", "path": MEMBER, "operation_id": "m1",
             "body": '{"email_address":"a@x.example","status_if_new":"subscribed"}'},
            {"method": "PUT", "path": MEMBER, "operation_id": "m2",
             "body": '{"email_address":"c@x.example","status":"subscribed"}'},
            {"method": "GET", "path": "/lists", "operation_id": "lists", "params": {"count": "10", "offset": "0"}},
            {"method": "DELETE", "path": "/ecommerce/stores/s/orders/o/lines/l", "operation_id": "line"},
        ]
    }  # fmt: skip
    assert all(isinstance(op["body"], str) for op in sent["operations"] if "body" in op)


def test_run_batch_polls_downloads_without_credentials_and_classifies_each_operation() -> None:
    fake = batch_fake([batch("pending"), batch("started"), batch("finished", ARCHIVE_URL)], default_files())
    client, sleep = make(fake)
    outcomes = client.run_batch(OPERATIONS)
    assert sleep.waits == [1.0, 2.0, 4.0]
    assert [c.path for c in fake.calls] == [
        "/batches",
        "/batches/b1",
        "/batches/b1",
        "/batches/b1",
        "/b1-response.tar.gz",
    ]
    download = fake.calls[-1]
    assert download.host == "mailchimp-api-batch.s3.amazonaws.com"
    assert "Authorization" not in download.request.headers
    assert client.calls == 5, "the archive download counts"
    assert set(outcomes) == {"m1", "m2", "lists", "line"}
    ok, refused, lists, line = (outcomes[k] for k in ("m1", "m2", "lists", "line"))
    assert (ok.status_code, ok.body, ok.error) == (200, {"id": "abc", "email_address": "a@x.example"}, None)
    assert refused.status_code == 400
    assert refused.body == COMPLIANCE
    assert isinstance(refused.error, RecordError)
    assert (refused.error.permanent, refused.error.refusal) == (True, "compliance_state")
    assert (line.status_code, line.body, line.error) == (204, None, None)
    assert lists.status_code == 0
    assert isinstance(lists.error, TransientError)
    assert lists.error.action is Action.RETRY
    assert "does not report this operation" in str(lists.error)


def test_the_pre_signed_query_string_is_kept() -> None:
    fake = batch_fake([batch("finished", ARCHIVE_URL)], default_files())
    make(fake)[0].run_batch(OPERATIONS)
    assert fake.calls[-1].request.url == ARCHIVE_URL


def test_an_expired_batch_gives_every_operation_a_transient_error() -> None:
    not_found = problem(404, "Resource Not Found", "The requested resource could not be found.")
    fake = batch_fake([not_found])
    outcomes = make(fake)[0].run_batch(OPERATIONS)
    assert all(isinstance(o.error, TransientError) and "expired" in str(o.error) for o in outcomes.values())
    assert len(outcomes) == 4


def test_polling_stops_before_the_deadline() -> None:
    fake = batch_fake([batch("pending")] * 10)
    client, sleep = make(fake, deadline=12.0)  # always 12 s left: a pause of 4 s plus the 10 s reserve is too long
    outcomes = client.run_batch(OPERATIONS)
    assert sleep.waits == [1.0, 2.0]
    assert all("deadline" in str(o.error) for o in outcomes.values())


def test_an_expired_archive_link_gives_transient_errors_and_a_bad_host_is_refused() -> None:
    fake = batch_fake([batch("finished", ARCHIVE_URL)])
    fake.handlers[("GET", "/b1-response.tar.gz")] = lambda _c: reply(b"<Error>AccessDenied</Error>", 403)
    outcomes = make(fake)[0].run_batch(OPERATIONS)
    assert all(isinstance(o.error, TransientError) and "expired" in str(o.error) for o in outcomes.values())
    evil = batch_fake([batch("finished", "https://evil.example/b1.tar.gz")])
    with pytest.raises(ConfigurationError, match=r"evil\.example"):
        make(evil)[0].run_batch(OPERATIONS)
    assert not any(c.host == "evil.example" for c in evil.calls)


def test_an_unreadable_archive_gives_transient_errors() -> None:
    fake = batch_fake([batch("finished", ARCHIVE_URL)])
    fake.handlers[("GET", "/b1-response.tar.gz")] = lambda _c: reply(b"not a tar", content_type="application/x-gzip")
    outcomes = make(fake)[0].run_batch(OPERATIONS)
    assert all("not a gzipped tar" in str(o.error) for o in outcomes.values())


def test_a_full_queue_on_submit_is_rate_limited() -> None:
    fake = FakeMailchimp(faults=[problem(429, "Too Many Requests", "You have more than 500 pending batches.")] * 3)
    client, sleep = make(fake, max_attempts=3)
    with pytest.raises(RateLimited):
        client.run_batch(OPERATIONS)
    assert len(sleep.waits) == 2


def test_operations_are_checked() -> None:
    with pytest.raises(ValueError, match="method"):
        Operation("FETCH", "/x", "a")
    with pytest.raises(ValueError, match="path"):
        Operation("GET", "x", "a")
    client, _ = make(FakeMailchimp())
    with pytest.raises(ValueError, match="unique"):
        client.submit_batch([Operation("GET", "/x", "a"), Operation("GET", "/y", "a")])


# ----------------------------------------------------------------------------- the archive alone


def test_archive_files_that_are_empty_or_not_json_are_skipped(caplog: pytest.LogCaptureFixture) -> None:
    data = archive(
        {
            "empty.json": b"",
            "blank.json": b"  \n",
            "broken.json": b'[{"status_code": 200, "operation_id": "x"',
            "object.json": {"not": "an array"},
            "good.json": [
                entry("a", 200, {"id": "a"}),
                "not an entry",
                {"operation_id": "no-status"},
                entry("b", 200, "not json {"),
                entry("c", 404, {"title": "Resource Not Found", "status": 404, "detail": "gone"}),
                entry("d", 403, ""),
                entry("e", 500, "<html>oops</html>"),
                entry("f", 401, {"title": "API Key Invalid", "detail": f"bad key {KEY}"}),
            ],
        }
    )
    with caplog.at_level(logging.WARNING):
        found = parse_archive(data, what="Mailchimp batch b1", secrets=(KEY,))
    assert sorted(found) == ["a", "b", "c", "d", "e", "f"]
    assert "broken.json" in caplog.text
    assert "object.json" in caplog.text
    assert (found["a"].body, found["a"].error) == ({"id": "a"}, None)
    assert (found["b"].body, found["b"].error) == (None, None)
    assert isinstance(found["c"].error, NotFound)
    assert isinstance(found["d"].error, RateLimited), "a body-less 403 is throttling, as for a direct call"
    assert type(found["e"].error) is TransientError
    assert found["f"].error is not None
    assert KEY not in str(found["f"].error)
    assert "Mailchimp batch b1 operation f" in str(found["f"].error)


def test_an_archive_that_is_not_a_gzipped_tar_is_a_parse_error() -> None:
    for data in (b"", b"plain", json.dumps([entry("a", 200, {})]).encode()):
        with pytest.raises(ParseError):
            parse_archive(data, what="Mailchimp batch b1", secrets=())
