"""The client over a fake Mailchimp: golden requests (auth, host, bodies), batch subscribe outcomes matched back by
email, retries (429, 5xx, dropped connections), a create whose reply was lost, run-level 404s, paging, OAuth, the
10-connection limit under a thread pool, and secrets kept out of errors and logs."""

from __future__ import annotations

import base64
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import urllib3.exceptions

from mlconnector.errors import Action
from mlconnector.systems.mailchimp.batches import Operation
from mlconnector.systems.mailchimp.client import MAX_IN_FLIGHT, call_budget
from mlconnector.systems.mailchimp.credentials import MailchimpCredentials
from mlconnector.systems.mailchimp.errors import (
    AlreadyExists,
    AuthenticationError,
    ConfigurationError,
    NotFound,
    RateLimited,
    RecordError,
    TransientError,
)
from mlconnector.systems.mailchimp.members import subscriber_hash
from tests.unit.mailchimp.mailchimp_fakes import (
    HOST,
    KEY,
    LIST_ID,
    STORE_ID,
    TOKEN,
    Call,
    FakeMailchimp,
    make,
    problem,
    reply,
)

MEMBERS = f"/lists/{LIST_ID}"
ORDERS = f"/ecommerce/stores/{STORE_ID}/orders"
ORDER = {"id": "INV-1", "customer": {"id": "C1"}, "currency_code": "USD", "order_total": 10, "lines": []}


def dropped() -> requests.ConnectionError:
    """The connection broke after the request was sent: the outcome is unknown."""
    return requests.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted."))


def refused() -> requests.ConnectionError:
    """Nothing was sent."""
    reason = urllib3.exceptions.NewConnectionError(None, "refused")  # type: ignore[arg-type]
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- golden requests


def test_an_api_key_is_basic_auth_to_its_data_centre() -> None:
    fake = FakeMailchimp({("GET", "/ping"): lambda _c: {"health_status": "Everything's Chimpy!"}})
    client, _ = make(fake)
    client.ping()
    [call] = fake.calls
    assert call.request.url == "https://us6.api.mailchimp.com/3.0/ping"
    scheme, _, encoded = (call.authorization or "").partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(encoded).decode().partition(":")
    assert (bool(user), password) == (True, KEY)
    assert client.calls == 1
    assert client.data_centre == "us6"


def test_subscriber_hash_is_md5_of_the_stripped_lower_case_email() -> None:
    assert subscriber_hash("  Ap@Acme.Example ") == hashlib.md5(b"ap@acme.example").hexdigest()


def test_batch_subscribe_sends_the_members_and_update_existing() -> None:
    seen: list[Call] = []

    def answer(call: Call) -> dict[str, Any]:
        seen.append(call)
        return {"new_members": [{"email_address": "a@x.example", "id": "h"}], "updated_members": [], "errors": []}

    client, _ = make(FakeMailchimp({("POST", MEMBERS): answer}))
    members = [{"email_address": "a@x.example", "status_if_new": "subscribed", "merge_fields": {"FNAME": "A"}}]
    [outcome] = client.batch_subscribe(LIST_ID, members)
    assert seen[0].json == {"members": members, "update_existing": True}
    assert seen[0].request.headers["Content-Type"] == "application/json"
    assert (outcome.email, outcome.action, outcome.error) == ("a@x.example", "created", None)
    assert outcome.member == {"email_address": "a@x.example", "id": "h"}


def test_upsert_member_puts_to_the_hash_of_the_lower_case_email() -> None:
    fake = FakeMailchimp()
    path = f"{MEMBERS}/members/{hashlib.md5(b'ap@acme.example').hexdigest()}"
    fake.handlers[("PUT", path)] = lambda call: {"id": "x", **call.json}
    client, _ = make(fake)
    member = {"email_address": "AP@Acme.example", "status_if_new": "subscribed"}
    assert client.upsert_member(LIST_ID, member)["email_address"] == "AP@Acme.example"
    assert fake.calls[0].json == member


def test_tags_are_set_with_is_syncing_and_a_204_is_fine() -> None:
    fake = FakeMailchimp()
    path = f"{MEMBERS}/members/{subscriber_hash('a@x.example')}/tags"
    fake.handlers[("POST", path)] = lambda _c: reply(None, 204)
    client, _ = make(fake)
    client.update_member_tags(LIST_ID, "A@x.example", ["intacct-vendor"], ["old"])
    assert fake.calls[0].json == {
        "tags": [{"name": "intacct-vendor", "status": "active"}, {"name": "old", "status": "inactive"}],
        "is_syncing": True,
    }
    client.update_member_tags(LIST_ID, "a@x.example", [])
    assert len(fake.calls) == 1, "nothing to change: no call"


# ----------------------------------------------------------------------------- batch subscribe outcomes


def test_every_member_gets_exactly_one_outcome_matched_by_email() -> None:
    reply_body = {
        "new_members": [{"email_address": "new@x.example"}],
        "updated_members": [{"email_address": "Old@X.example"}],
        "errors": [
            {
                "email_address": "gone@x.example",
                "error": "gone@x.example was permanently deleted and cannot be re-imported.",
                "error_code": "ERROR_GENERIC",
            },
            {
                "email_address": "fake@example.com",
                "error": "fake@example.com looks fake or invalid, please enter a real email address.",
                "error_code": "ERROR_GENERIC",
            },
            {"email_address": "dup@x.example", "error": "dup@x.example is already a list member, do you want to "
             "update? please provide update_existing:true in the request body", "error_code": "ERROR_CONTACT_EXISTS"},
            {"email_address": "bad@x.example", "error": "Your merge fields were invalid.",
             "error_code": "ERROR_GENERIC", "field": "FNAME", "field_message": "Please enter a value"},
        ],
        "total_created": 1, "total_updated": 1, "error_count": 4,
    }  # fmt: skip
    client, _ = make(FakeMailchimp({("POST", MEMBERS): lambda _c: reply_body}))
    emails = ["new@x.example", " old@x.example", "gone@x.example", "FAKE@example.com", "dup@x.example",
              "bad@x.example", "lost@x.example"]  # fmt: skip
    outcomes = client.batch_subscribe(LIST_ID, [{"email_address": e, "status_if_new": "subscribed"} for e in emails])
    assert [(o.email, o.action) for o in outcomes] == [
        ("new@x.example", "created"),
        ("old@x.example", "updated"),
        ("gone@x.example", "failed"),
        ("fake@example.com", "failed"),
        ("dup@x.example", "failed"),
        ("bad@x.example", "failed"),
        ("lost@x.example", "failed"),
    ]
    gone, fake, dup, bad, lost = (o.error for o in outcomes[2:])
    assert isinstance(gone, RecordError)
    assert (gone.permanent, gone.refusal) == (True, "forgotten_email")
    assert isinstance(fake, RecordError)
    assert (fake.permanent, fake.refusal) == (True, "fake_email")
    assert isinstance(dup, AlreadyExists)
    assert isinstance(bad, RecordError)
    assert not bad.permanent
    assert "FNAME: Please enter a value" in str(bad)
    assert isinstance(lost, RecordError)
    assert "in none of new_members, updated_members or errors" in str(lost)
    assert all(o.error is None for o in outcomes[:2])


def test_more_than_500_members_or_one_without_email_is_refused_before_any_call() -> None:
    fake = FakeMailchimp()
    client, _ = make(fake)
    with pytest.raises(ValueError, match="at most 500"):
        client.batch_subscribe(LIST_ID, [{"email_address": f"m{i}@x.example"} for i in range(501)])
    with pytest.raises(ValueError, match="member 1 has no email_address"):
        client.batch_subscribe(LIST_ID, [{"email_address": "a@x.example"}, {"status": "subscribed"}])
    assert client.batch_subscribe(LIST_ID, []) == []
    assert fake.calls == []


# ----------------------------------------------------------------------------- retries


def test_429_and_5xx_are_retried_honouring_retry_after() -> None:
    fake = FakeMailchimp(
        {("GET", "/"): lambda _c: {"account_id": "a1"}},
        faults=[
            reply(None, 429, {"Retry-After": "7"}),
            reply(b"<html>502 Bad Gateway</html>", 502, content_type="text/html"),
            reply(None, 403),  # body-less 403: throttling
        ],
    )
    client, sleep = make(fake)
    assert client.account() == {"account_id": "a1"}
    assert sleep.waits[0] == 7.0
    assert len(sleep.waits) == 3
    assert all(wait >= 0.5 for wait in sleep.waits)
    assert client.calls == 4


def test_a_persistent_429_gives_up_rate_limited() -> None:
    fake = FakeMailchimp(faults=[problem(429, "Too Many Requests", "")] * 4)
    client, _ = make(fake, max_attempts=4)
    with pytest.raises(RateLimited):
        client.account()
    assert client.calls == 4


@pytest.mark.parametrize("failure", [dropped, refused, requests.ReadTimeout])
def test_dropped_connections_and_timeouts_are_retried(failure: Any) -> None:
    fake = FakeMailchimp({("GET", "/ping"): lambda _c: {}}, faults=[failure()])
    client, sleep = make(fake)
    client.ping()
    assert client.calls == 2
    assert len(sleep.waits) == 1


def test_401_and_403_with_a_body_fail_fast() -> None:
    fake = FakeMailchimp(faults=[problem(401, "API Key Invalid", "Your API key may be invalid.")])
    client, sleep = make(fake)
    with pytest.raises(AuthenticationError) as caught:
        client.ping()
    assert caught.value.action is Action.FAIL
    assert (client.calls, sleep.waits) == (1, [])


def test_a_create_whose_reply_was_lost_is_retried_and_answers_already_existed() -> None:
    """The POST reached Mailchimp, the connection dropped: the retry answers "already exists" (ids are ours), and
    create_order says False so the caller PATCHes."""
    exists = problem(
        400, "Bad Request", "We were unable to process the request. An order with the provided ID already exists in "
        "the account."
    )  # fmt: skip
    fake = FakeMailchimp({("POST", ORDERS): lambda _c: exists}, faults=[dropped()])
    client, _ = make(fake)
    assert client.create_order(STORE_ID, ORDER) is False
    assert fake.paths("POST") == [ORDERS, ORDERS]
    assert [c.json for c in fake.calls] == [ORDER, ORDER]
    fresh = FakeMailchimp({("POST", ORDERS): lambda call: {**call.json, "store_id": STORE_ID}})
    assert make(fresh)[0].create_order(STORE_ID, ORDER) is True


def test_create_product_reports_an_existing_product() -> None:
    path = f"/ecommerce/stores/{STORE_ID}/products"
    exists = problem(400, "Bad Request", "A product with the provided ID already exists in the account.")
    client, _ = make(FakeMailchimp({("POST", path): lambda _c: exists}))
    assert client.create_product(STORE_ID, {"id": "GL-4000", "title": "Sales", "variants": []}) is False


def test_a_refused_create_is_a_record_error_naming_the_reason() -> None:
    missing = problem(400, "Bad Request", "A product with the provided ID does not exist in the account for this list.")
    client, sleep = make(FakeMailchimp({("POST", ORDERS): lambda _c: missing}))
    with pytest.raises(RecordError, match="A product with the provided ID does not exist") as caught:
        client.create_order(STORE_ID, ORDER)
    assert not isinstance(caught.value, AlreadyExists)
    assert sleep.waits == []


# ----------------------------------------------------------------------------- 404s, reads, paging


def test_a_missing_audience_is_a_configuration_error_naming_it() -> None:
    not_found = problem(404, "Resource Not Found", "The requested resource could not be found.")
    fake = FakeMailchimp(faults=[not_found, not_found, not_found])
    client, _ = make(fake)
    for call in (
        lambda: client.audience(LIST_ID),
        lambda: client.merge_fields(LIST_ID),
        lambda: client.batch_subscribe(LIST_ID, [{"email_address": "a@x.example"}]),
    ):
        with pytest.raises(ConfigurationError, match=f"audience {LIST_ID} not found: check list_id"):
            call()


def test_missing_records_read_as_none_and_a_gone_line_is_fine() -> None:
    not_found = problem(404, "Resource Not Found", "The requested resource could not be found.")
    fake = FakeMailchimp(faults=[not_found] * 5)
    client, _ = make(fake)
    assert client.member(LIST_ID, "a@x.example") is None
    assert client.store(STORE_ID) is None
    assert client.order(STORE_ID, "INV-1") is None
    assert client.product(STORE_ID, "GL 4000/1") is None
    client.delete_order_line(STORE_ID, "INV-1", "L1")
    assert fake.calls[3].request.url.endswith("/products/GL%204000%2F1"), "ids are one percent-encoded segment"
    assert fake.calls[4].method == "DELETE"
    with pytest.raises(ConfigurationError, match=f"store {STORE_ID} not found"):
        make(FakeMailchimp(faults=[not_found]))[0].update_store(STORE_ID, {"is_syncing": True})
    with pytest.raises(NotFound):
        make(FakeMailchimp(faults=[not_found]))[0].update_order(STORE_ID, "INV-1", {"financial_status": "paid"})


def test_merge_fields_page_through_all_of_them() -> None:
    pages = {0: 1000, 1000: 3}

    def page(call: Call) -> dict[str, Any]:
        offset = int(call.params["offset"])
        fields = [{"tag": f"F{offset + i}", "name": "n", "type": "text", "required": i == 0, "merge_id": offset + i}
                  for i in range(pages[offset])]  # fmt: skip
        return {"merge_fields": fields, "total_items": 1003}

    fake = FakeMailchimp({("GET", f"{MEMBERS}/merge-fields"): page})
    fields = make(fake)[0].merge_fields(LIST_ID)
    assert len(fields) == 1003
    assert (fields[0].tag, fields[0].required, fields[1].required) == ("F0", True, False)
    assert [c.params for c in fake.calls] == [{"count": "1000", "offset": "0"}, {"count": "1000", "offset": "1000"}]


def test_orders_page_by_count_and_offset_with_fields() -> None:
    def page(call: Call) -> dict[str, Any]:
        offset = int(call.params["offset"])
        return {"orders": [{"id": f"O{offset + i}"} for i in range(min(2, 5 - offset))], "total_items": 5}

    fake = FakeMailchimp({("GET", ORDERS): page})
    orders = list(make(fake)[0].orders(STORE_ID, fields=("id", "financial_status"), page_size=2))
    assert [o["id"] for o in orders] == ["O0", "O1", "O2", "O3", "O4"]
    assert fake.calls[0].params == {
        "fields": "orders.id,orders.financial_status,total_items",
        "count": "2",
        "offset": "0",
    }


def test_perform_answers_like_a_batch_operation() -> None:
    exists = problem(400, "Member Exists", "a@x.example is already a list member.")
    fake = FakeMailchimp({("POST", f"{MEMBERS}/members"): lambda _c: exists, ("PATCH", ORDERS + "/O1"): lambda _c: {}})
    fake.handlers[("GET", ORDERS + "/O2")] = lambda _c: {"id": "O2", "lines": [{"id": "L1"}]}
    client, _ = make(fake)
    created = client.perform(Operation("POST", f"{MEMBERS}/members", "m1", body={"email_address": "a@x.example"}))
    assert (created.operation_id, created.status_code, created.body) == ("m1", 400, None)
    assert isinstance(created.error, AlreadyExists)
    read = client.perform(Operation("GET", ORDERS + "/O2", "O2", params={"fields": "id,lines.id"}))
    assert (read.status_code, read.body, read.error) == (200, {"id": "O2", "lines": [{"id": "L1"}]}, None)
    assert fake.calls[1].params == {"fields": "id,lines.id"}
    assert client.perform(Operation("PATCH", ORDERS + "/O1", "O1", body={})).body is None
    fake.faults = [problem(401, "API Key Invalid", "")]
    with pytest.raises(AuthenticationError):  # stops the run: never one record's outcome
        client.perform(Operation("PATCH", ORDERS + "/O1", "O1", body={}))


# ----------------------------------------------------------------------------- OAuth


def oauth_fake(metadata: dict[str, Any]) -> FakeMailchimp:
    fake = FakeMailchimp({("GET", "/oauth2/metadata"): lambda _c: metadata})
    fake.handlers[("GET", "/ping")] = lambda _c: {}
    return fake


def test_an_oauth_token_finds_its_data_centre_once_and_is_sent_as_bearer() -> None:
    fake = oauth_fake({"dc": "us6", "api_endpoint": f"https://{HOST}", "login_url": "https://login.mailchimp.com"})
    client, _ = make(fake, creds=MailchimpCredentials(access_token=TOKEN, list_id=LIST_ID))
    client.ping()
    client.ping()
    metadata, first, _second = fake.calls
    assert metadata.request.url == "https://login.mailchimp.com/oauth2/metadata"
    assert metadata.authorization == f"OAuth {TOKEN}"
    assert first.request.url == f"https://{HOST}/3.0/ping"
    assert first.authorization == f"Bearer {TOKEN}"
    assert client.calls == 3


def test_a_bad_token_answers_200_with_invalid_token_and_fails_fast() -> None:
    fake = oauth_fake({"error": "invalid_token", "error_description": "Invalid token"})
    client, sleep = make(fake, creds=MailchimpCredentials(access_token=TOKEN))
    with pytest.raises(AuthenticationError, match="access token was refused") as caught:
        client.ping()
    assert TOKEN not in str(caught.value)
    assert (client.calls, sleep.waits) == (1, [])


def test_an_api_endpoint_off_mailchimp_is_refused() -> None:
    fake = oauth_fake({"dc": "us6", "api_endpoint": "https://us6.api.mailchimp.com.evil.example"})
    client, _ = make(fake, creds=MailchimpCredentials(access_token=TOKEN))
    with pytest.raises(ConfigurationError, match="neither"):
        client.ping()
    assert [c.path for c in fake.calls] == ["/oauth2/metadata"], "the token never went to the other host"


# ----------------------------------------------------------------------------- the 10-connection limit


def test_the_limiter_never_lets_more_than_ten_requests_in_flight() -> None:
    fake = FakeMailchimp({("GET", "/ping"): lambda _c: {}}, delay=0.01)
    client, _ = make(fake, budget=call_budget())
    with ThreadPoolExecutor(max_workers=40) as pool:
        list(pool.map(lambda _i: client.ping(), range(200)))
    assert client.calls == 200
    assert 2 <= fake.peak <= MAX_IN_FLIGHT


def test_without_the_limiter_the_same_pool_goes_over_ten() -> None:
    """The counter-test: the fake would see more than ten at once if the client did not hold them back."""
    fake = FakeMailchimp({("GET", "/ping"): lambda _c: {}}, delay=0.01)
    client, _ = make(fake, budget=call_budget())
    client._budget.max_concurrent = 1000
    with ThreadPoolExecutor(max_workers=40) as pool:
        list(pool.map(lambda _i: client.ping(), range(200)))
    assert fake.peak > MAX_IN_FLIGHT


# ----------------------------------------------------------------------------- secrets


def test_secrets_stay_out_of_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    echo = problem(500, "Internal Server Error", f"failed for key {KEY}")
    fake = FakeMailchimp(faults=[echo, requests.ConnectionError(f"https://x/?apikey={KEY}"), echo])
    client, _ = make(fake, max_attempts=3)
    with caplog.at_level(logging.DEBUG), pytest.raises(TransientError) as caught:
        client.ping()
    assert KEY not in str(caught.value)
    assert KEY not in caplog.text
    assert "REDACTED" in str(caught.value)
    assert caplog.records, "retries are logged"
