"""Upsert: the golden request, one classified result per record matched by index, 19-digit ids kept exact, request-level
failures (module unavailable, credits used up, scope, auth), the 100-record limit and the heavy-call budget."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from mlconnector.call_budget import CallBudget
from mlconnector.http import HttpReply
from mlconnector.systems.zoho.errors import (
    AuthenticationError,
    CreditsExhausted,
    ModuleUnavailable,
    ParseError,
    PermissionDenied,
    ScopeMissing,
)
from mlconnector.systems.zoho.records import NO_RECORD_ID, NO_RESULT, UpsertResult, upsert_results
from tests.conftest import FakeClock
from tests.unit.zoho.zoho_fakes import (
    API_DOMAIN,
    BIG_ID,
    Call,
    FakeZoho,
    envelope,
    make,
    record_error,
    reply,
    success,
)

ACCOUNTS: list[dict[str, Any]] = [
    {"Account_Name": "Acme Ltd", "Intacct_ID": "C-1001", "Parent_Account": {"id": "4150868000000376008"}},
    {"Account_Name": "Beta GmbH", "Intacct_ID": "C-1002"},
    {"Account_Name": "", "Intacct_ID": "C-1003"},
    {"Account_Name": "Delta", "Intacct_ID": "C-1004", "Phone": "x" * 40},
    {"Account_Name": "Acme Ltd", "Intacct_ID": "C-1005"},
]


@pytest.fixture
def fake(clock: FakeClock) -> FakeZoho:
    return FakeZoho(clock)


def answering(fake: FakeZoho, items: list[dict[str, Any]] | Any, status: int = 200, module: str = "Accounts") -> None:
    """Upserts of `module` answer `data: items` (or `items` itself: a body or a whole reply)."""
    body = {"data": items} if isinstance(items, list) else items
    answer = body if isinstance(body, HttpReply) else reply(body, status)
    fake.handlers[("POST", f"/{module}/upsert")] = lambda _call: answer


def test_the_golden_upsert_request(fake: FakeZoho) -> None:
    answering(fake, [success()])
    client, _ = make(fake)
    client.upsert("Accounts", ACCOUNTS[:1], duplicate_check_fields=["Intacct_ID", "Account_Name"])
    [call] = fake.api_calls()
    assert call.request.method == "POST"
    assert call.request.url == f"{API_DOMAIN}/crm/v8/Accounts/upsert"
    assert call.request.headers["Content-Type"] == "application/json"
    assert call.authorization == f"Zoho-oauthtoken {fake.minted[0]}"
    assert call.json == {
        "data": [ACCOUNTS[0]],
        "duplicate_check_fields": ["Intacct_ID", "Account_Name"],
        "trigger": [],  # no workflow, approval or blueprint fires for a sync
    }


def test_each_record_gets_its_classified_result_in_input_order(fake: FakeZoho) -> None:
    answering(
        fake,
        [
            success("4150868000000376009", "insert"),
            success(BIG_ID, "update", duplicate_field="Intacct_ID"),
            record_error("MANDATORY_NOT_FOUND", "required field not found", 2, "Account_Name"),
            record_error("INVALID_DATA", "invalid data", 3, "Phone"),
            record_error("DUPLICATE_DATA", "duplicate data", 4, "Account_Name"),
        ],
        status=207,
    )
    client, _ = make(fake)
    results = client.upsert("Accounts", ACCOUNTS, duplicate_check_fields=["Intacct_ID"])
    assert results == [
        UpsertResult(0, "insert", "4150868000000376009", "SUCCESS", "record added"),
        UpsertResult(1, "update", BIG_ID, "SUCCESS", "record updated"),
        UpsertResult(2, "failed", None, "MANDATORY_NOT_FOUND", "required field not found", "Account_Name"),
        UpsertResult(3, "failed", None, "INVALID_DATA", "invalid data", "Phone"),
        UpsertResult(4, "failed", None, "DUPLICATE_DATA", "duplicate data", "Account_Name"),
    ]
    assert [r.ok for r in results] == [True, True, False, False, False]


@pytest.mark.parametrize(
    "code",
    ["DEPENDENT_FIELD_MISSING", "DEPENDENT_MISMATCH", "RECORD_LOCKED", "LIMIT_EXCEEDED", "ALREADY_MODIFIED", "NEW"],
)
def test_every_other_record_code_fails_that_record_with_zohos_words(fake: FakeZoho, code: str) -> None:
    answering(fake, [record_error(code, f"said {code}")])
    client, _ = make(fake)
    [result] = client.upsert("Accounts", ACCOUNTS[:1], duplicate_check_fields=["Intacct_ID"])
    assert result == UpsertResult(0, "failed", None, code, f"said {code}")


def test_multiple_errors_name_the_first_field_and_every_problem() -> None:
    nested = [
        record_error("DUPLICATE_DATA", "duplicate data", 0, "Intacct_ID"),
        record_error("INVALID_DATA", "invalid data", 0, "Phone"),
    ]
    item = {"code": "MULTIPLE_OR_MULTI_ERRORS", "details": {"errors": nested}, "message": "m", "status": "error"}
    [result] = upsert_results([item], 1, secrets=())
    assert (result.code, result.field) == ("MULTIPLE_OR_MULTI_ERRORS", "Intacct_ID")
    assert result.message == "DUPLICATE_DATA duplicate data (Intacct_ID); INVALID_DATA invalid data (Phone)"


def test_19_digit_ids_stay_exact_as_strings_even_when_zoho_sends_numbers(fake: FakeZoho) -> None:
    raw = b'{"data": [{"code": "SUCCESS", "action": "insert", "details": {"id": 4150868000003194003}}]}'
    fake.handlers[("POST", "/Accounts/upsert")] = lambda _call: reply(raw)
    fake.handlers[("GET", f"/Accounts/{BIG_ID}")] = lambda _call: reply(
        b'{"data": [{"id": 4150868000003194003, "Parent_Account": {"id": 4150868000000376008, "name": "P"}}]}'
    )
    client, _ = make(fake)
    [result] = client.upsert("Accounts", ACCOUNTS[:1], duplicate_check_fields=["Intacct_ID"])
    assert result.id == BIG_ID
    assert float(BIG_ID) != 4150868000003194003  # what a float would have lost
    record = client.get_record("Accounts", BIG_ID)
    assert record == {"id": BIG_ID, "Parent_Account": {"id": "4150868000000376008", "name": "P"}}


def test_results_are_matched_by_json_path_when_zoho_returns_fewer(fake: FakeZoho) -> None:
    answering(fake, [record_error("INVALID_DATA", "invalid data", 2, "Phone"), success()])
    client, _ = make(fake)
    results = client.upsert("Accounts", ACCOUNTS[:3], duplicate_check_fields=["Intacct_ID"])
    assert [(r.index, r.action, r.code) for r in results] == [
        (0, "failed", NO_RESULT),  # positions are not trusted when the counts differ
        (1, "failed", NO_RESULT),
        (2, "failed", "INVALID_DATA"),
    ]
    assert "Zoho returned 2 results for 3 records" in results[0].message


def test_an_error_whose_json_path_names_another_record_goes_to_that_record() -> None:
    items = [record_error("INVALID_DATA", "invalid data", 1, "Phone"), success("1"), success("2")]
    results = upsert_results(items, 3, secrets=())
    assert [(r.index, r.code, r.id) for r in results] == [
        (0, NO_RESULT, None),
        (1, "INVALID_DATA", None),
        (2, "SUCCESS", "2"),
    ]


def test_a_success_without_an_id_or_with_a_strange_one_is_a_failure_to_replay() -> None:
    no_id = {"code": "SUCCESS", "action": "insert", "details": {}, "status": "success"}
    odd_id = {"code": "SUCCESS", "action": "insert", "details": {"id": "../x"}, "status": "success"}
    guessed = {"code": "SUCCESS", "duplicate_field": "Intacct_ID", "details": {"id": "7"}, "status": "success"}
    results = upsert_results([no_id, odd_id, "junk", guessed], 4, secrets=())
    assert [(r.action, r.code) for r in results] == [
        ("failed", NO_RECORD_ID),
        ("failed", NO_RECORD_ID),
        ("failed", NO_RESULT),
        ("update", "SUCCESS"),  # no action given: a matched duplicate field means an update
    ]


def test_every_record_failed_comes_as_400_with_per_record_results(fake: FakeZoho) -> None:
    answering(fake, [record_error("MANDATORY_NOT_FOUND", "required field not found", 0, "Account_Name")], 400)
    client, _ = make(fake)
    [result] = client.upsert("Accounts", ACCOUNTS[:1], duplicate_check_fields=["Intacct_ID"])
    assert (result.action, result.field) == ("failed", "Account_Name")
    assert len(fake.api_calls()) == 1


@pytest.mark.parametrize(
    "answer",
    [
        envelope("INVALID_MODULE", "the module name given seems to be invalid", 400, {"resource_path_index": 0}),
        envelope("NOT_SUPPORTED", "The given module is not supported in API", 400),
        reply({"data": [{"code": "INVALID_MODULE", "details": {}, "message": "invalid", "status": "error"}]}, 400),
    ],
)
def test_a_module_the_edition_lacks_is_module_unavailable(fake: FakeZoho, answer: Any) -> None:
    fake.handlers[("POST", "/Vendors/upsert")] = lambda _call: answer
    client, _ = make(fake)
    with pytest.raises(ModuleUnavailable) as caught:
        client.upsert("Vendors", [{"Vendor_Name": "V"}], duplicate_check_fields=["Intacct_ID"])
    assert caught.value.module == "Vendors"
    assert len(fake.api_calls()) == 1  # not retried


def test_credits_used_up_stop_the_run_without_retrying(fake: FakeZoho) -> None:
    answering(fake, envelope("TOO_MANY_REQUESTS", "API credits have been exhausted for the day.", 429))
    client, sleep = make(fake)
    with pytest.raises(CreditsExhausted):
        client.upsert("Accounts", ACCOUNTS, duplicate_check_fields=["Intacct_ID"])
    assert len(fake.api_calls()) == 1
    assert sleep.waits == []


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (envelope("OAUTH_SCOPE_MISMATCH", "Unauthorized", 401), ScopeMissing),
        (envelope("NO_PERMISSION", "permission denied", 403), PermissionDenied),
        (envelope("AUTHENTICATION_FAILURE", "Authentication failed", 401), AuthenticationError),
    ],
)
def test_auth_failures_fail_fast(fake: FakeZoho, answer: Any, kind: type[Exception]) -> None:
    answering(fake, answer)
    client, _ = make(fake)
    with pytest.raises(kind):
        client.upsert("Accounts", ACCOUNTS[:1], duplicate_check_fields=["Intacct_ID"])
    assert len(fake.api_calls()) == 1
    assert len(fake.minted) == 1


def test_a_reply_without_a_data_list_is_unreadable(fake: FakeZoho) -> None:
    answering(fake, {"message": "ok"})
    client, _ = make(fake, max_attempts=2)
    with pytest.raises(ParseError, match="no data list"):
        client.upsert("Accounts", ACCOUNTS[:1], duplicate_check_fields=["Intacct_ID"])


def test_arguments_are_checked_before_any_call(fake: FakeZoho) -> None:
    client, _ = make(fake)
    with pytest.raises(ValueError, match="at most 100"):
        client.upsert("Accounts", [{"Account_Name": str(i)} for i in range(101)], duplicate_check_fields=["X"])
    with pytest.raises(ValueError, match="external-id field"):
        client.upsert("Accounts", ACCOUNTS, duplicate_check_fields=[])
    with pytest.raises(ValueError, match="not an API name"):
        client.upsert("Accounts/../org", ACCOUNTS, duplicate_check_fields=["Intacct_ID"])
    assert client.upsert("Accounts", [], duplicate_check_fields=["Intacct_ID"]) == []
    assert fake.calls == []


def test_an_upsert_of_more_than_ten_records_takes_a_heavy_slot(fake: FakeZoho) -> None:
    """Up to 10 heavy calls at once (every edition; 2 here), inside the edition's limit of calls at once (3 here)."""
    lock = threading.Lock()
    heavy_now = [0, 0]  # in flight, peak

    def upserted(call: Call) -> Any:
        heavy = len(call.json["data"]) > 10
        with lock:
            heavy_now[0] += heavy
            heavy_now[1] = max(heavy_now[1], heavy_now[0])
        time.sleep(0.05)
        with lock:
            heavy_now[0] -= heavy
        return {"data": [success(str(i)) for i, _ in enumerate(call.json["data"])]}

    fake.handlers[("POST", "/Accounts/upsert")] = upserted
    heavy_budget = CallBudget(max_calls=None, max_concurrent=2)
    budget = CallBudget(max_calls=None, max_concurrent=3)
    client, _ = make(fake, budget=budget, heavy_budget=heavy_budget, sleep=time.sleep)
    client.token()
    big = [{"Account_Name": str(i), "Intacct_ID": str(i)} for i in range(11)]
    batches = [big] * 4 + [big[:10]] * 4
    threads = [
        threading.Thread(target=client.upsert, args=("Accounts", batch), kwargs={"duplicate_check_fields": ["Id"]})
        for batch in batches
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake.api_calls()) == 8
    assert heavy_now[1] == 2
    assert fake.peak == 3
    assert (heavy_budget.in_flight, budget.in_flight) == (0, 0)


def test_a_dropped_reply_is_retried_since_an_upsert_on_an_external_id_is_safe_to_repeat(fake: FakeZoho) -> None:
    import requests  # noqa: PLC0415

    answering(fake, [success()])
    client, _ = make(fake)
    client.token()
    fake.faults = [requests.ReadTimeout("read timed out")]
    [result] = client.upsert("Accounts", ACCOUNTS[:1], duplicate_check_fields=["Intacct_ID"])
    assert result.ok
    bodies = [json.loads(c.request.body or b"") for c in fake.api_calls()]
    assert bodies[0] == bodies[1]
