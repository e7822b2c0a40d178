"""The client over a fake Marketo: sync results, batching limits, query paging, backoff for 606/615/429,
607, the shared budget, timeouts, the call counter, and secrets kept out of logs and messages."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
import urllib3.exceptions

from mlconnector.call_budget import CallBudget
from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.marketo import (
    InMemoryTokenCache,
    MarketoClient,
    ParseError,
    PermissionDenied,
    QuotaExceeded,
    RateLimited,
    RequestError,
    TransientError,
    call_budget,
    is_crm_managed,
)
from mlconnector.systems.marketo.records import NON_ASCII_EMAIL, RECORD_TOO_LARGE
from tests.conftest import FakeClock
from tests.unit.marketo.marketo_fakes import (
    CLIENT_SECRET,
    Call,
    FakeMarketo,
    SleepRecorder,
    credentials,
    describe_handlers,
    failed,
    ok,
    reply,
)

COMPANIES = "/rest/v1/companies.json"
LEADS = "/rest/v1/leads.json"


def make(
    fake: FakeMarketo,
    *,
    budget: CallBudget | None = None,
    deadline: float | None = None,
    max_attempts: int = 6,
    jitter: float = 0.0,
    **kwargs: Any,
) -> tuple[MarketoClient, SleepRecorder]:
    """jitter 0 makes the backoff itself 0: every wait asserted is then a floor or a Retry-After."""
    fake.handlers.update(describe_handlers())
    sleep = SleepRecorder(fake.clock)
    client = MarketoClient(
        credentials(),
        InMemoryTokenCache(),
        budget=budget,
        transport=fake,
        clock=fake.clock,
        sleep=sleep,
        jitter=lambda: jitter,
        deadline=(lambda: deadline) if deadline is not None else None,
        http=HttpPolicy(retry=RetryPolicy(base=1.0, cap=8.0, max_attempts=max_attempts)),
        **kwargs,
    )
    return client, sleep


def company_sync(call: Call) -> dict[str, Any]:
    """Answers in reverse order, as `seq` allows; externalCompanyId "DUP" is skipped with 1036, "CRM" with 1018."""
    results = []
    for seq, record in enumerate(call.json["input"]):
        key = record.get("externalCompanyId")
        if key == "DUP":
            results.append({"seq": seq, "status": "skipped", "reasons": [{"code": "1036", "message": "Duplicate"}]})
        elif key == "CRM":
            results.append({"seq": seq, "status": "skipped", "reasons": [{"code": "1018", "message": "CRM Enabled"}]})
        else:
            results.append({"seq": seq, "status": "created", "id": 1000 + seq})
    return ok(list(reversed(results)))


def lead_sync(call: Call) -> dict[str, Any]:
    return ok([{"id": 50 + i, "status": "updated"} for i, _ in enumerate(call.json["input"])])


def companies(n: int) -> list[dict[str, Any]]:
    return [{"externalCompanyId": f"V{i:03d}", "company": f"Vendor {i}"} for i in range(n)]


# ----------------------------------------------------------------- sync


def test_sync_companies_returns_one_result_per_record_in_input_order(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("POST", COMPANIES): company_sync})
    client, _ = make(fake)
    records = [*companies(2), {"externalCompanyId": "DUP"}, {"externalCompanyId": "CRM"}]
    results = client.sync_companies(records)
    assert [(r.index, r.status, r.id) for r in results] == [
        (0, "created", 1000),
        (1, "created", 1001),
        (2, "skipped", None),
        (3, "skipped", None),
    ]
    assert results[2].reason_codes == ("1036",)
    assert [is_crm_managed(r) for r in results] == [False, False, False, True]
    [call] = fake.rest_calls(COMPANIES)
    assert call.request.headers["Content-Type"] == "application/json"
    assert call.json == {"action": "createOrUpdate", "dedupeBy": "dedupeFields", "input": records}


def test_sync_leads_keeps_input_order_and_skips_non_ascii_emails_locally(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("POST", LEADS): lead_sync})
    client, _ = make(fake)
    records = [{"email": "a@x.test"}, {"email": "jürgen@x.test"}, {"email": "c@x.test"}]
    results = client.sync_leads(records, action="createOnly", partition="Vendors")
    assert [(r.index, r.status, r.id) for r in results] == [
        (0, "updated", 50),
        (1, "skipped", None),
        (2, "updated", 51),
    ]
    assert results[1].reason_codes == (NON_ASCII_EMAIL,)
    [call] = fake.rest_calls(LEADS)
    assert call.json == {
        "action": "createOnly",
        "lookupField": "email",
        "partitionName": "Vendors",
        "input": [records[0], records[2]],
    }


def test_more_than_300_records_is_a_caller_error(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _ = make(fake)
    with pytest.raises(ValueError, match="300"):
        client.sync_companies(companies(301))
    with pytest.raises(ValueError, match="300"):
        client.sync_leads([{"email": f"{i}@x.test"} for i in range(301)])
    assert fake.requests == []


@pytest.mark.parametrize(
    "kwargs",
    [{"action": "createDuplicate"}, {"dedupe_by": "idField"}, {"dedupe_by": "name"}],
)
def test_invalid_company_sync_options(clock: FakeClock, kwargs: dict[str, str]) -> None:
    client, _ = make(FakeMarketo(clock))
    with pytest.raises(ValueError):
        client.sync_companies(companies(1), **kwargs)


def test_invalid_lead_sync_options(clock: FakeClock) -> None:
    client, _ = make(FakeMarketo(clock))
    with pytest.raises(ValueError, match="updateOnly"):
        client.sync_leads([{"id": 1}], lookup_field="id")
    with pytest.raises(ValueError, match="action"):
        client.sync_leads([{"email": "a@x.test"}], action="upsert")


def test_bodies_over_the_limit_are_split_and_results_merged_in_order(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("POST", COMPANIES): company_sync})
    client, _ = make(fake, max_body_bytes=400)
    records = companies(6)
    records.insert(3, {"externalCompanyId": "BIG", "company": "x" * 500})
    results = client.sync_companies(records)
    assert [r.index for r in results] == list(range(7))
    assert results[3].reason_codes == (RECORD_TOO_LARGE,)
    assert all(r.status == "created" for i, r in enumerate(results) if i != 3)
    calls = fake.rest_calls(COMPANIES)
    assert len(calls) > 1
    assert all(len(c.request.body or b"") <= 400 for c in calls)
    sent = [r["externalCompanyId"] for c in calls for r in c.json["input"]]
    assert sent == [r["externalCompanyId"] for i, r in enumerate(records) if i != 3]


def test_result_count_mismatch_is_a_parse_error(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("POST", LEADS): lambda _c: ok([{"id": 1, "status": "created"}])})
    client, _ = make(fake, max_attempts=2)
    with pytest.raises(ParseError, match="1 results for 2 records"):
        client.sync_leads([{"email": "a@x.test"}, {"email": "b@x.test"}])


def test_empty_batch_costs_no_call(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _ = make(fake)
    assert client.sync_companies([]) == []
    assert client.calls == 0


# ----------------------------------------------------------------- query


class Pages:
    """Serves matches for each value, two records per page, with nextPageToken / moreResult."""

    def __init__(self, per_value: int = 1) -> None:
        self.per_value = per_value

    def __call__(self, call: Call) -> dict[str, Any]:
        values = call.params["filterValues"].split(",")
        matches = [{"seq": i, "externalCompanyId": v} for i, v in enumerate(values) for _ in range(self.per_value)]
        start = int(call.params.get("nextPageToken", "0"))
        page = matches[start : start + 2]
        more = start + 2 < len(matches)
        return ok(page, **({"nextPageToken": str(start + 2), "moreResult": True} if more else {"moreResult": False}))


def test_query_pages_through_next_page_token_with_post_method_get(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("GET", COMPANIES): Pages(per_value=2)})
    client, _ = make(fake)
    found = client.query_companies("externalCompanyId", ["V1", "V2", "V3"], ["company", "id"])
    assert [r["externalCompanyId"] for r in found] == ["V1", "V1", "V2", "V2", "V3", "V3"]
    calls = fake.rest_calls(COMPANIES)
    assert len(calls) == 3
    assert all(c.request.method == "POST" and dict(c.request.params) == {"_method": "GET"} for c in calls)
    assert calls[0].params == {
        "filterType": "externalCompanyId",
        "filterValues": "V1,V2,V3",
        "fields": "company,id",
        "batchSize": "300",
    }
    assert [c.params.get("nextPageToken") for c in calls] == [None, "2", "4"]


def test_query_sends_at_most_300_values_per_call(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("GET", LEADS): lambda call: ok([{"email": call.params["filterValues"][:5]}])})
    client, _ = make(fake)
    emails = [f"u{i:03d}@x.test" for i in range(301)]
    found = client.query_leads("email", emails, ["email"])
    calls = fake.rest_calls(LEADS)
    assert [len(c.params["filterValues"].split(",")) for c in calls] == [300, 1]
    assert len(found) == 2


def test_no_match_and_702_are_empty(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("GET", LEADS): lambda _c: failed("702", "No data found")})
    client, _ = make(fake)
    assert client.query_leads("email", ["nobody@x.test"]) == []
    assert client.query_leads("email", []) == []


def test_a_repeated_page_token_stops_the_loop(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, handlers={("GET", COMPANIES): lambda _c: ok([{"id": 1}], nextPageToken="SAME")})
    client, _ = make(fake)
    with pytest.raises(ParseError, match="repeated"):
        client.query_companies("id", [1])


def test_query_values_with_commas_are_refused(clock: FakeClock) -> None:
    client, _ = make(FakeMarketo(clock))
    with pytest.raises(ValueError, match="commas"):
        client.query_companies("company", ["Acme, Inc."])


# ----------------------------------------------------------------- errors and backoff


def test_606_waits_for_the_20_second_window_then_succeeds(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[failed("606", "Max rate limit '100' exceeded with in '20' secs")] * 2)
    client, sleep = make(fake)
    assert client.describe_companies().name == "Company"
    assert sleep.waits == [20.0, 20.0]
    assert len(fake.rest_calls()) == 3


def test_606_pauses_every_client_sharing_the_budget(clock: FakeClock) -> None:
    shared = call_budget(clock=clock, sleep=SleepRecorder(clock))
    first = FakeMarketo(clock, faults=[failed("606")])
    client_a, _ = make(first, budget=shared, max_attempts=1)
    with pytest.raises(RateLimited):
        client_a.describe_companies()
    second = FakeMarketo(clock)
    client_b, _ = make(second, budget=shared)
    client_b.describe_companies()
    assert shared.waited == 20.0


def test_429_honours_retry_after(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[reply(b"", 429, headers={"Retry-After": "12"})])
    client, sleep = make(fake)
    client.describe_companies()
    assert sleep.waits == [12.0]


def test_615_backs_off_briefly(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[failed("615", "Concurrent access limit '10' reached")])
    client, sleep = make(fake)
    client.describe_companies()
    assert sleep.waits == [1.0]


def test_no_wait_crosses_the_deadline(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[failed("606")])
    client, sleep = make(fake, deadline=15.0)
    with pytest.raises(RateLimited):
        client.describe_companies()
    assert sleep.waits == []
    assert len(fake.rest_calls()) == 1


def test_607_raises_quota_exceeded_without_retry(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[failed("607", "Daily quota reached")])
    client, sleep = make(fake)
    with pytest.raises(QuotaExceeded) as raised:
        client.sync_companies(companies(2))
    assert raised.value.code == "607"
    assert len(fake.rest_calls()) == 1
    assert sleep.waits == []


def test_transient_failures_are_retried_with_the_header_on_every_attempt(clock: FakeClock) -> None:
    fake = FakeMarketo(
        clock,
        faults=[failed("604", "Request timed out"), reply(b"<html>bad gateway</html>", 502), failed("713")],
        handlers={("POST", COMPANIES): company_sync},
    )
    client, sleep = make(fake, jitter=1.0)
    results = client.sync_companies(companies(2))
    assert [r.status for r in results] == ["created", "created"]
    calls = fake.rest_calls(COMPANIES)
    assert len(calls) == 4
    assert [c.authorization for c in calls] == ["Bearer tok-0001:ab"] * 4
    assert all(c.json == calls[0].json for c in calls)  # the same body on every attempt
    assert sleep.waits == [1.0, 2.0, 4.0]


def test_request_errors_are_not_retried(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[failed("1003", "Too many results match the filter")])
    client, sleep = make(fake)
    with pytest.raises(RequestError, match="Too many results") as raised:
        client.query_leads("email", ["a@x.test"])
    assert raised.value.code == "1003"
    assert sleep.waits == []


def test_permission_errors_name_the_permission(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[failed("603", "Access denied")] * 2)
    client, _ = make(fake)
    with pytest.raises(PermissionDenied, match="'Read-Write Company'"):
        client.sync_companies(companies(1))
    with pytest.raises(PermissionDenied, match="'Read-Only Lead'"):
        client.query_leads("email", ["a@x.test"])


def test_a_lost_connection_is_not_resent_for_create_duplicate(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[requests.ReadTimeout("read timed out")], handlers={("POST", LEADS): lead_sync})
    client, _ = make(fake)
    with pytest.raises(TransientError):
        client.sync_leads([{"email": "a@x.test"}], action="createDuplicate")
    assert len(fake.rest_calls(LEADS)) == 1
    refused = urllib3.exceptions.NewConnectionError(None, "refused")  # type: ignore[arg-type]
    fake.faults = [requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", refused))]  # type: ignore[arg-type]
    assert [r.status for r in client.sync_leads([{"email": "a@x.test"}], action="createDuplicate")] == ["updated"]


# ----------------------------------------------------------------- plumbing


def test_every_request_has_a_timeout_cut_to_the_deadline(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _ = make(fake, deadline=30.0)
    client.describe_leads()
    assert fake.timeouts == [(5.0, 30.0), (5.0, 30.0)]
    unlimited = FakeMarketo(clock, handlers=describe_handlers())
    MarketoClient(credentials(), InMemoryTokenCache(), transport=unlimited, clock=clock).describe_leads()
    assert unlimited.timeouts == [(5.0, 95.0), (5.0, 95.0)]  # above Marketo's own 90 s limit


def test_calls_count_identity_rest_and_retries(clock: FakeClock) -> None:
    fake = FakeMarketo(clock, faults=[failed("608")])
    client, _ = make(fake)
    client.describe_companies()
    client.describe_leads()
    assert client.calls == 1 + 2 + 1


def test_describe_leads(clock: FakeClock) -> None:
    client, _ = make(FakeMarketo(clock))
    described = client.describe_leads()
    assert described.dedupe_fields == ("email",)
    assert described.fields["email"].data_type == "email"


def test_ping_fetches_a_new_token_and_describes(clock: FakeClock) -> None:
    fake = FakeMarketo(clock)
    client, _ = make(fake)
    client.describe_companies()
    assert client.ping() == "https://123-ABC-456.mktorest.com"
    assert fake.identity_calls == 2
    assert [c.path for c in fake.rest_calls()][-1] == "/rest/v1/companies/describe.json"


def test_secrets_stay_out_of_logs_messages_and_reprs(clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    token = "tok-0001:ab"
    fake = FakeMarketo(
        clock,
        faults=[failed("608"), failed("1003", f"echo {token} {CLIENT_SECRET}")],
        identity_faults=[requests.ConnectionError(f"url: /identity/oauth/token?client_secret={CLIENT_SECRET}")],
    )
    client, _ = make(fake)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(RequestError) as raised:
        client.describe_companies()
    texts = [caplog.text, str(raised.value), repr(raised.value), repr(fake.requests), repr(credentials())]
    for text in texts:
        assert CLIENT_SECRET not in text
        assert token not in text
    assert "REDACTED" in str(raised.value)
    assert "retrying" in caplog.text
