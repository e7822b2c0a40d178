"""`mlc ping`'s Mailchimp check over a fake Mailchimp: each failure says what to fix."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.mailchimp.client import MailchimpClient
from mlconnector.systems.mailchimp.ping import ping
from mlconnector.systems.plugin import PingResult
from tests.unit.mailchimp.mailchimp_fakes import LIST_ID, STORE_ID, FakeMailchimp, credentials, make, problem

NOT_FOUND = problem(404, "Resource Not Found", "The requested resource could not be found.")


class StubConnection:
    def __init__(self, client: MailchimpClient, options: dict[str, Any]) -> None:
        self._client = client
        self._options = options

    def client(self, _spec: object) -> MailchimpClient:
        return self._client

    def options(self, _spec: object) -> dict[str, Any]:
        return self._options


def healthy(store_list: str | None = LIST_ID) -> FakeMailchimp:
    fake = FakeMailchimp(
        {
            ("GET", "/ping"): lambda _c: {"health_status": "Everything's Chimpy!"},
            ("GET", f"/lists/{LIST_ID}"): lambda _c: {"id": LIST_ID, "name": "Customers"},
            ("GET", f"/lists/{LIST_ID}/merge-fields"): lambda _c: {
                "merge_fields": [{"tag": "FNAME", "name": "First", "type": "text"}],
                "total_items": 1,
            },
            ("GET", "/ecommerce/stores"): lambda _c: {"stores": [], "total_items": 0},
        }
    )
    store = {"id": STORE_ID, "list_id": store_list} if store_list else NOT_FOUND
    fake.handlers[("GET", f"/ecommerce/stores/{STORE_ID}")] = lambda _c: store
    return fake


def run(fake: FakeMailchimp, options: dict[str, Any] | None = None, **creds: Any) -> PingResult:
    client, _ = make(fake, creds=credentials(**creds), max_attempts=1)
    return ping(StubConnection(client, options if options is not None else {"store": {"id": STORE_ID}}))  # type: ignore[arg-type]


def test_a_healthy_account_reports_what_it_checked() -> None:
    result = run(healthy())
    assert (result.system, result.ok) == ("mailchimp", True)
    assert "data centre us6" in result.detail
    assert f"audience Customers ({LIST_ID}) with 1 merge fields" in result.detail
    assert f"store {STORE_ID} bound to it" in result.detail
    assert "does not exist yet" in run(healthy(store_list=None)).detail


@pytest.mark.parametrize(
    ("fault", "detail", "fix"),
    [
        (problem(401, "API Key Invalid", "Your API key may be invalid."), "HTTP 401", "api_key"),
        (problem(401, "API Key Invalid", "Wrong datacenter"), "HTTP 401", "data centre us6 does not match"),
        (problem(403, "Wrong Datacenter", "The API key provided is linked to a different datacenter"), "HTTP 403",
         "data centre us6 does not match"),
    ],
)  # fmt: skip
def test_a_refused_key_says_how_to_fix_it(fault: Any, detail: str, fix: str) -> None:
    fake = healthy()
    fake.faults = [fault]
    result = run(fake)
    assert not result.ok
    assert detail in result.detail
    assert fix in result.fix


def test_a_missing_audience_names_it() -> None:
    fake = healthy()
    fake.handlers[("GET", f"/lists/{LIST_ID}")] = lambda _c: NOT_FOUND
    result = run(fake)
    assert not result.ok
    assert f"audience {LIST_ID} not found" in result.detail
    assert "list_id" in result.fix
    assert "list_id is empty" in run(healthy(), list_id="").detail


def test_no_e_commerce_access_says_so() -> None:
    fake = healthy()
    fake.handlers[("GET", "/ecommerce/stores")] = lambda _c: problem(403, "Forbidden", "No access to e-commerce")
    result = run(fake)
    assert not result.ok
    assert "e-commerce" in result.fix


def test_a_store_bound_to_another_audience_is_refused() -> None:
    result = run(healthy(store_list="other12345"))
    assert not result.ok
    assert "bound to audience other12345" in result.detail
    assert "another store id" in result.fix
