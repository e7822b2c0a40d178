"""The client against the Mailchimp simulator over real HTTP on loopback: members, e-commerce, a create whose reply
was lost, a batch whose archive the simulator serves, and the 10-connection limit the simulator enforces."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.mailchimp.batches import Operation, PollPolicy
from mlconnector.systems.mailchimp.client import MailchimpClient, call_budget
from mlconnector.systems.mailchimp.credentials import MailchimpCredentials
from mlconnector.systems.mailchimp.errors import AuthenticationError, ConfigurationError, RecordError
from mlconnector.systems.mailchimp.members import subscriber_hash
from sandbox.mailchimp import MailchimpSimConfig, MailchimpSimulator
from tests.conftest import Serve

SANDBOX = ("127.0.0.1",)
ORDER: dict[str, Any] = {
    "id": "INV-1",
    "customer": {"id": "C1", "email_address": "ap@acme.example", "opt_in_status": False},
    "currency_code": "USD",
    "order_total": 10,
    "lines": [
        {"id": "L1", "product_id": "GL-4000", "product_variant_id": "GL-4000", "quantity": 1, "price": 5},
        {"id": "L2", "product_id": "GL-4000", "product_variant_id": "GL-4000", "quantity": 1, "price": 5},
    ],
}
PRODUCT = {"id": "GL-4000", "title": "Sales", "variants": [{"id": "GL-4000", "title": "Sales"}]}

Start = Callable[..., tuple[MailchimpClient, MailchimpSimulator]]


@pytest.fixture
def start(serve: Serve) -> Start:
    def build(
        config: MailchimpSimConfig | None = None, latency: float = 0.0, **client: Any
    ) -> tuple[MailchimpClient, MailchimpSimulator]:
        simulator = MailchimpSimulator(seed=3, config=config, latency=latency)
        serve(simulator)
        credentials = MailchimpCredentials.from_secret(simulator.credentials.as_dict(), allowed_sandbox_hosts=SANDBOX)
        options: dict[str, Any] = {
            "sleep": lambda _seconds: None,
            "jitter": lambda: 0.0,
            "poll": PollPolicy(first=0.01, cap=0.05),
            "http": HttpPolicy(retry=RetryPolicy(base=0.01, cap=0.05, floor=0.0, max_attempts=6)),
            **client,
        }
        return MailchimpClient(credentials, **options), simulator

    return build


def test_members_round_trip(start: Start) -> None:
    client, simulator = start()
    list_id = simulator.list_id
    client.ping()
    assert client.audience(list_id)["id"] == list_id
    assert {f.tag for f in client.merge_fields(list_id)} >= {"FNAME", "LNAME"}
    members = [
        {"email_address": "Ann@Acme.example", "status_if_new": "subscribed"},
        {"email_address": "john.doe@example.com", "status_if_new": "subscribed"},
    ]
    created, fake = client.batch_subscribe(list_id, members)
    assert (created.email, created.action, created.error) == ("ann@acme.example", "created", None)
    assert fake.action == "failed"
    assert isinstance(fake.error, RecordError)
    assert fake.error.permanent
    [again, _] = client.batch_subscribe(list_id, members)
    assert again.action == "updated"
    assert client.upsert_member(list_id, {"email_address": "bob@acme.example", "status_if_new": "subscribed"})[
        "id"
    ] == (subscriber_hash("bob@acme.example"))
    client.update_member_tags(list_id, "BOB@acme.example", ["intacct-vendor"])
    member = client.member(list_id, "bob@acme.example")
    assert member is not None
    assert [t["name"] for t in member["tags"]] == ["intacct-vendor"]
    assert client.member(list_id, "nobody@acme.example") is None
    with pytest.raises(ConfigurationError, match="audience nosuchlist not found"):
        client.audience("nosuchlist")


def test_e_commerce_round_trip_and_a_lost_create_reply(start: Start) -> None:
    client, simulator = start()
    assert client.store("s1") is None
    client.create_store({"id": "s1", "list_id": simulator.list_id, "name": "Intacct", "currency_code": "USD"})
    assert client.update_store("s1", {"is_syncing": True})["is_syncing"] is True
    client.upsert_customer("s1", {"id": "C1", "email_address": "ap@acme.example", "opt_in_status": False})
    assert client.create_product("s1", PRODUCT) is True
    assert client.create_product("s1", PRODUCT) is False
    simulator.faults.add("drop_after", match="orders.create")  # created, then the connection drops
    assert client.create_order("s1", ORDER) is False, "the retried POST finds the order it created"
    assert client.order("s1", "INV-1") is not None
    client.update_order("s1", "INV-1", {"financial_status": "paid"})
    client.delete_order_line("s1", "INV-1", "L2")
    client.delete_order_line("s1", "INV-1", "L2")  # already gone: fine
    order = client.order("s1", "INV-1")
    assert order is not None
    assert (order["financial_status"], [line["id"] for line in order["lines"]]) == ("paid", ["L1"])
    assert [o["id"] for o in client.orders("s1", fields=("id",))] == ["INV-1"]


def test_a_batch_through_the_simulator(start: Start) -> None:
    client, simulator = start()
    client.create_store({"id": "s1", "list_id": simulator.list_id, "name": "Intacct", "currency_code": "USD"})
    client.create_product("s1", PRODUCT)
    client.upsert_customer("s1", {"id": "C1", "email_address": "ap@acme.example", "opt_in_status": False})
    members = f"/lists/{simulator.list_id}/members/"
    outcomes = client.run_batch(
        [
            Operation("PUT", members + subscriber_hash("zed@acme.example"), "m1",
                      body={"email_address": "zed@acme.example", "status_if_new": "subscribed"}),
            Operation("POST", "/ecommerce/stores/s1/orders", "INV-1", body=ORDER),
            Operation("GET", "/ecommerce/stores/s1/orders/INV-2", "missing"),
        ]
    )  # fmt: skip
    assert outcomes["m1"].error is None
    assert outcomes["m1"].body is not None
    assert outcomes["m1"].body["email_address"] == "zed@acme.example"
    assert (outcomes["INV-1"].status_code, outcomes["INV-1"].error) == (200, None)
    assert outcomes["missing"].status_code == 404
    again = client.run_batch([Operation("POST", "/ecommerce/stores/s1/orders", "INV-1", body=ORDER)])
    assert type(again["INV-1"].error).__name__ == "AlreadyExists"


def test_the_limiter_keeps_thirty_threads_under_the_simulators_ten_connections(start: Start) -> None:
    client, _ = start(latency=0.01, budget=call_budget())
    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(lambda _i: client.ping(), range(120)))
    assert client.calls == 120, "no call was refused (a refusal would have been retried and counted)"


def test_without_the_limiter_the_simulator_refuses_connections(start: Start) -> None:
    """The counter-test: the same pool through a budget that allows more than ten at once."""
    budget = call_budget()
    budget.max_concurrent = 1000
    client, _ = start(latency=0.01, budget=budget)
    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(lambda _i: client.ping(), range(120)))
    assert client.calls > 120


def test_a_key_for_another_data_centre_is_refused(start: Start) -> None:
    client, simulator = start()
    credentials = MailchimpCredentials(
        api_key=simulator.config.api_key.replace("-us6", "-us7"),
        base_url=simulator.base_url,
        allowed_sandbox_hosts=SANDBOX,
    )
    other = MailchimpClient(credentials, sleep=lambda _s: None)
    with pytest.raises(AuthenticationError) as caught:
        other.ping()
    assert simulator.config.api_key not in str(caught.value)
    assert client.calls == 0
