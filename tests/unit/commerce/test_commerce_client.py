"""The client over a fake Commerce: retries with Retry-After, request errors, non-idempotent creates, the
paging guard, gets, customers, B2B detection and ping, the call counter, and secrets kept out of logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.commerce import (
    B2BUnavailable,
    CommerceClient,
    CommerceCredentials,
    NotFound,
    RequestError,
    SearchCriteria,
    TransientError,
)
from tests.unit.commerce.commerce_fakes import (
    CONSUMER_SECRET,
    Call,
    FakeCommerce,
    SleepRecorder,
    orders,
    paas,
    reply,
    search_handler,
)

ROOT = "/rest/default/V1"


def make(
    fake: FakeCommerce, credentials: CommerceCredentials | None = None, **kwargs: Any
) -> tuple[CommerceClient, SleepRecorder]:
    sleep = SleepRecorder(fake.clock)
    client = CommerceClient(
        credentials or paas(),
        None,
        transport=fake,
        clock=fake.clock,
        sleep=sleep,
        jitter=lambda: 0.0,
        http=HttpPolicy(retry=RetryPolicy(base=1.0, cap=4.0, max_attempts=4)),
        **kwargs,
    )
    return client, sleep


def test_5xx_and_429_are_retried_honouring_retry_after() -> None:
    fake = FakeCommerce(faults=[reply(b"<html>", 503, {"Retry-After": "3"}), reply(b"", 429, {"Retry-After": "9"})])
    fake.handlers[("GET", f"{ROOT}/orders/7")] = lambda call: {"entity_id": 7}
    client, sleep = make(fake)
    assert client.get_order(7) == {"entity_id": 7}
    assert sleep.waits == [3.0, 9.0]
    assert client.calls == 3


def test_persistent_outage_gives_up_with_a_transient_error() -> None:
    fake = FakeCommerce(faults=[reply(b"", 502)] * 4)
    client, _ = make(fake)
    with pytest.raises(TransientError, match="HTTP 502"):
        client.get_invoice(1)
    assert len(fake.calls) == 4


def test_no_pause_crosses_the_deadline() -> None:
    fake = FakeCommerce(faults=[reply(b"", 503, {"Retry-After": "120"})])
    client, sleep = make(fake, deadline=lambda: 30.0)
    with pytest.raises(TransientError):
        client.get_order(1)
    assert sleep.waits == []


def test_400_is_raised_at_once_naming_the_entity() -> None:
    fake = FakeCommerce()
    fake.handlers[("POST", f"{ROOT}/customers")] = lambda call: reply(
        {"message": '"%fieldName" is required. Enter and try again.', "parameters": {"fieldName": "firstname"}}, 400
    )
    client, _ = make(fake)
    with pytest.raises(RequestError) as caught:
        client.create_customer({"email": "a@example.com"})
    assert '"firstname" is required' in str(caught.value)
    assert "customer" in str(caught.value)
    assert len(fake.calls) == 1


def test_create_is_not_repeated_once_it_may_have_reached_commerce() -> None:
    fake = FakeCommerce(faults=[requests.ReadTimeout("timed out")])
    fake.handlers[("POST", f"{ROOT}/customers")] = lambda call: {"id": 5, **call.json["customer"]}
    client, _ = make(fake)
    with pytest.raises(TransientError):
        client.create_customer({"email": "a@example.com"})
    assert len(fake.calls) == 1
    fake.faults = [requests.ConnectTimeout("no connection")]
    created = client.create_customer({"email": "a@example.com"}, password="Pw-123456")
    assert created["id"] == 5
    assert fake.calls[-1].json == {"customer": {"email": "a@example.com"}, "password": "Pw-123456"}


def test_update_customer_puts_the_id_in_the_body() -> None:
    fake = FakeCommerce()
    fake.handlers[("PUT", f"{ROOT}/customers/42")] = lambda call: call.json["customer"]
    client, _ = make(fake)
    assert client.update_customer(42, {"firstname": "Ada"}) == {"firstname": "Ada", "id": 42}
    with pytest.raises(ValueError, match="positive integer"):
        client.update_customer("../orders", {})


def test_gets_use_the_documented_routes() -> None:
    fake = FakeCommerce()
    for path in ("orders/1", "invoices/2", "creditmemo/3", "customers/4"):
        fake.handlers[("GET", f"{ROOT}/{path}")] = lambda call: {"path": call.path}
    client, _ = make(fake)
    assert client.get_order(1)["path"] == f"{ROOT}/orders/1"
    assert client.get_invoice(2)["path"] == f"{ROOT}/invoices/2"
    assert client.get_credit_memo(3)["path"] == f"{ROOT}/creditmemo/3"
    assert client.get_customer(4)["path"] == f"{ROOT}/customers/4"


def test_missing_entity_is_not_found() -> None:
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/orders/9")] = lambda call: reply(
        {"message": "The entity that was requested doesn't exist. Verify the entity and try again."}, 404
    )
    client, _ = make(fake)
    with pytest.raises(NotFound, match="no such order"):
        client.get_order(9)


def test_search_customers_by_email() -> None:
    rows = [
        {"id": 1, "email": "a@example.com", "website_id": 1},
        {"id": 2, "email": "b@example.com"},
        {"id": 3, "email": "a@example.com", "website_id": 2},
    ]
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/customers/search")] = search_handler(rows, id_key="id")
    client, _ = make(fake)
    assert [c["id"] for c in client.search_customers_by_email("a@example.com")] == [1, 3]
    assert fake.calls[-1].params["searchCriteria[filter_groups][0][filters][0][field]"] == "email"


def test_paging_stops_on_total_count_although_pages_past_the_end_repeat() -> None:
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/orders")] = search_handler(orders(25), repeat_last_page=True)
    client, _ = make(fake)
    pages = list(client.search_pages("orders", SearchCriteria(page_size=10)))
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert len(fake.calls) == 3
    ids = [item["entity_id"] for p in pages for item in p.items]
    assert sorted(ids) == list(range(1, 26))


def test_a_server_that_lies_about_total_count_cannot_make_paging_loop() -> None:
    rows = orders(15)
    fake = FakeCommerce()
    inner = search_handler(rows, repeat_last_page=True)

    def inflated(call: Call) -> Any:
        answer = inner(call)
        assert isinstance(answer, dict)
        return {**answer, "total_count": 1000}

    fake.handlers[("GET", f"{ROOT}/orders")] = inflated
    client, _ = make(fake)
    pages = list(client.search_pages("orders", SearchCriteria(page_size=10)))
    assert [len(p.items) for p in pages] == [10, 5]
    assert len(fake.calls) == 3  # the third request repeated page 2 and ended the read


def test_page_size_is_capped_at_300() -> None:
    with pytest.raises(ValueError, match=r"1\.\.300"):
        SearchCriteria(page_size=301)


def test_purchase_orders_on_a_store_without_b2b() -> None:
    fake = FakeCommerce()
    client, _ = make(fake)
    with pytest.raises(B2BUnavailable, match="B2B not available"):
        client.search_purchase_orders(SearchCriteria())
    with pytest.raises(B2BUnavailable):
        client.get_purchase_order(3)


def test_purchase_orders_where_the_route_exists() -> None:
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/purchaseorders")] = search_handler([{"entity_id": 1, "updated_at": "x"}])
    fake.handlers[("GET", f"{ROOT}/purchaseorders/1")] = lambda call: {"entity_id": 1}
    client, _ = make(fake)
    assert client.search_purchase_orders(SearchCriteria()).total_count == 1
    assert client.get_purchase_order(1) == {"entity_id": 1}


def test_ping_reports_b2b_availability() -> None:
    fake = FakeCommerce()
    fake.handlers[("GET", f"{ROOT}/orders")] = search_handler(orders(3))
    client, _ = make(fake)
    result = client.ping()
    assert (result.flavour, result.auth, result.orders, result.b2b, result.purchase_orders) == (
        "paas",
        "oauth1",
        3,
        False,
        False,
    )
    assert any("B2B not available" in note for note in result.notes)
    fake.handlers[("GET", f"{ROOT}/company/")] = search_handler([{"id": 1}], id_key="id")
    with_b2b = client.ping()
    assert (with_b2b.b2b, with_b2b.purchase_orders) == (True, False)
    assert fake.calls[-1].path == f"{ROOT}/purchaseorders"


def test_html_on_a_2xx_is_a_parse_error_and_retried() -> None:
    fake = FakeCommerce(faults=[reply(b"<html>maintenance</html>", 200)])
    fake.handlers[("GET", f"{ROOT}/orders")] = search_handler(orders(2))
    client, _ = make(fake)
    assert client.search("orders", SearchCriteria()).total_count == 2
    assert len(fake.calls) == 2


def test_secrets_stay_out_of_logs_and_messages(caplog: pytest.LogCaptureFixture) -> None:
    echo = {"message": "Bad signature %1", "parameters": [CONSUMER_SECRET]}
    fake = FakeCommerce(faults=[reply(echo, 503), reply(echo, 400)])
    client, _ = make(fake)
    with caplog.at_level(logging.DEBUG), pytest.raises(RequestError) as caught:
        client.get_order(1)
    assert CONSUMER_SECRET not in str(caught.value)
    assert CONSUMER_SECRET not in caplog.text
    assert "retrying" in caplog.text
    assert "REDACTED" in str(caught.value)
