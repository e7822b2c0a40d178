"""Bills from invoices (posting bill_source = "invoices"): one Intacct AP bill per Commerce invoice, exactly once, on
the vendor of the invoice's order; credit memos against their invoice's bill; webhooks for invoices and orders
(both simulators over loopback, state in moto)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.flows.commerce_intacct.flow import NAME
from mlconnector.ping import ping
from mlconnector.service import replay, replay_and_redrive, sync
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from sandbox.commerce import CommerceSimulator
from sandbox.commerce.sales import refund_order
from sandbox.commerce.seed import invoice_in_parts
from sandbox.commerce.webhooks import generate_key_pair
from tests.integration.conftest import Stack
from tests.integration.test_webhooks import drain, serve_gateway

QUARANTINE_FLOW = COMMERCE.quarantine_flow
WEBHOOK_SECRET_SYSTEM = COMMERCE.secret

pytestmark = pytest.mark.integration

FLOW, BILLS, ADJUSTMENTS = "commerce-intacct", "invoice-bills", "credit-memo-adjustments"
PREFIX, DESCRIPTION = "MC-", "Adobe Commerce invoice "
CANCELED = 3
INVOICE_SAVED, ORDER_SAVED = "observer.sales_order_invoice_save_after", "observer.sales_order_save_after"


@pytest.fixture
def invoicing(shop: Stack) -> Stack:
    """The shop with bills from invoices: the option lives in the Commerce secret, next to the credentials."""
    shop._put("default", "commerce", {**_commerce(shop).credentials.as_dict(), "posting": {"bill_source": "invoices"}})
    return shop


def _sync(stack: Stack) -> RunReport:
    return sync(FLOW, stack.connection())


def _commerce(stack: Stack) -> CommerceSimulator:
    assert stack.commerce is not None
    return stack.commerce


def _bills(stack: Stack) -> list[dict[str, Any]]:
    """Bills from invoices, counted by description so a bill posted under another number still counts."""
    return [b for b in stack.simulator.store.all("APBILL") if str(b.get("DESCRIPTION", "")).startswith(DESCRIPTION)]


def _by_record_id(stack: Stack) -> dict[str, dict[str, Any]]:
    return {str(b["RECORDID"]): b for b in _bills(stack)}


def _invoices_of(stack: Stack, order_id: int) -> list[dict[str, Any]]:
    return sorted(
        (i for i in _commerce(stack).invoices.values() if i["order_id"] == order_id), key=lambda i: i["entity_id"]
    )


def _postable(stack: Stack) -> dict[str, dict[str, Any]]:
    """Invoice increment id → invoice, for every invoice that should have a bill."""
    return {str(i["increment_id"]): i for i in _commerce(stack).invoices.values() if i.get("state") != CANCELED}


def _in_parts(stack: Stack, email: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A new order of two items, invoiced in two parts (the first with the shipping); its invoices."""
    sim = _commerce(stack)
    lines = [("24-MB01", "Joust Duffle Bag", 34.0, 2.0), ("WS12-M-Orange", "Radiant Tee-M-Orange", 22.0, 1.0)]
    entity_id = sim.add_order(email=email, lines=lines)["entity_id"]
    with sim.store.lock:
        order = sim.store.get("orders", entity_id)
        assert order is not None
        now = sim.clock.now()
        invoice_in_parts(sim.store, order, now, now)
        return dict(order), _invoices_of(stack, entity_id)


def _assert_exactly_one_bill_per_invoice(stack: Stack, *, complete: bool) -> None:
    counts = Counter(str(b["RECORDID"]) for b in _bills(stack))
    assert not [r for r, n in counts.items() if n > 1], "an invoice was posted twice"
    if not complete:
        return
    postable = _postable(stack)
    assert set(counts) == {PREFIX + k for k in postable}
    for record_id, bill in _by_record_id(stack).items():
        invoice = postable[record_id[len(PREFIX) :]]
        assert Decimal(str(bill["TOTALENTERED"])) == Decimal(str(invoice["grand_total"])).quantize(Decimal("0.01"))
        assert bill["CURRENCY"] == invoice["order_currency_code"]


def test_first_sync_posts_one_bill_per_invoice_worth_its_grand_total_and_a_rerun_writes_nothing(
    invoicing: Stack,
) -> None:
    report = _sync(invoicing)
    assert report.status is RunStatus.COMPLETED, report.error
    assert "order-bills" not in report.streams  # the flow has one bills stream: this one
    assert report.streams[BILLS].counts["created"] == len(_postable(invoicing))
    _assert_exactly_one_bill_per_invoice(invoicing, complete=True)
    assert not [
        b for b in invoicing.simulator.store.all("APBILL") if "Adobe Commerce order" in str(b.get("DESCRIPTION"))
    ]

    bills_before, creates_before = (
        len(invoicing.simulator.store.all("APBILL")),
        invoicing.simulator.calls.count("create"),
    )
    again = _sync(invoicing)
    assert again.status is RunStatus.COMPLETED, again.error
    assert again.streams[BILLS].counts["created"] == again.streams[BILLS].counts["failed"] == 0
    assert len(invoicing.simulator.store.all("APBILL")) == bills_before
    assert invoicing.simulator.calls.count("create") == creates_before


def test_an_order_invoiced_in_two_parts_gets_two_bills_on_one_vendor(invoicing: Stack) -> None:
    seeded = [o for o in _commerce(invoicing).orders.values() if len(_invoices_of(invoicing, o["entity_id"])) == 2]
    assert seeded, "the seed invoices some orders in two parts"
    _sync(invoicing)
    added, invoices = _in_parts(invoicing, "two.parts@example.com")
    report = _sync(invoicing)
    assert report.streams[BILLS].counts["created"] == 2
    _assert_exactly_one_bill_per_invoice(invoicing, complete=True)
    bills = _by_record_id(invoicing)
    for order in [*seeded, added]:
        parts = [bills[PREFIX + str(i["increment_id"])] for i in _invoices_of(invoicing, order["entity_id"])]
        assert len(parts) == 2
        assert len({b["VENDORID"] for b in parts}) == 1  # one customer, one vendor
        total = sum(Decimal(str(b["TOTALENTERED"])) for b in parts)
        assert total == Decimal(str(order["grand_total"])).quantize(Decimal("0.01"))  # together worth the order
        assert all(f"(order {order['increment_id']})" in str(b["DESCRIPTION"]) for b in parts)
    assert [i["shipping_amount"] for i in invoices] == [added["shipping_amount"], 0.0]


def test_a_canceled_invoice_is_skipped_and_an_unknown_currency_fails_alone(invoicing: Stack) -> None:
    sim = _commerce(invoicing)
    canceled = sim.add_order(email="void@example.com", invoiced=True)
    odd = sim.add_order(email="odd@example.com", invoiced=True, currency="XTS")
    [void] = _invoices_of(invoicing, canceled["entity_id"])
    [foreign] = _invoices_of(invoicing, odd["entity_id"])
    with sim.store.lock:
        stored = sim.store.get("invoices", void["entity_id"])
        assert stored is not None
        stored["state"] = CANCELED
    report = _sync(invoicing)
    assert report.streams[BILLS].counts["skipped"] == 1
    failure = invoicing.connection().state.failures.get(FLOW, BILLS, str(foreign["increment_id"]))
    assert failure is not None
    assert failure.error.startswith(f"invoice {foreign['increment_id']}: ")
    assert "currency 'XTS' is not enabled" in failure.error
    bills = _by_record_id(invoicing)
    assert PREFIX + str(void["increment_id"]) not in bills
    assert PREFIX + str(foreign["increment_id"]) not in bills


def test_a_credit_memo_lands_on_its_invoices_bill_and_one_without_an_invoice_fails(invoicing: Stack) -> None:
    sim = _commerce(invoicing)
    order, (first, second) = _in_parts(invoicing, "refunds@example.com")
    _sync(invoicing)  # the bills of both invoices
    second_item = second["items"][0]["order_item_id"]
    with sim.store.lock:
        stored = sim.store.get("orders", order["entity_id"])
        assert stored is not None
        memo = refund_order(stored, sim.store.next_id("creditmemos"), {second_item: 1.0}, sim.now_stamp(),
                            invoice_id=second["entity_id"])  # fmt: skip
        sim.store.put("creditmemos", memo)
        loose = refund_order(stored, sim.store.next_id("creditmemos"), {second_item: 1.0}, sim.now_stamp())
        sim.store.put("creditmemos", loose)
    report = _sync(invoicing)
    assert report.status is RunStatus.COMPLETED, report.error

    adjustments = {str(a["RECORDID"]): a for a in invoicing.simulator.store.all("APADJUSTMENT")}
    bills = _by_record_id(invoicing)
    invoice_numbers = {i["entity_id"]: str(i["increment_id"]) for i in sim.invoices.values()}
    for seeded in sim.credit_memos.values():  # the seed's memos name their invoice too
        if seeded["entity_id"] == loose["entity_id"]:
            continue
        adjustment = adjustments[f"MC-CM-{seeded['increment_id']}"]
        bill = bills[PREFIX + invoice_numbers[seeded["invoice_id"]]]
        assert adjustment["DOCNUMBER"] == bill["RECORDID"]
        assert adjustment["VENDORID"] == bill["VENDORID"]
    assert adjustments[f"MC-CM-{memo['increment_id']}"]["DOCNUMBER"] == PREFIX + str(second["increment_id"])
    assert f"MC-CM-{loose['increment_id']}" not in adjustments
    failure = invoicing.connection().state.failures.get(FLOW, ADJUSTMENTS, str(loose["increment_id"]))
    assert failure is not None
    assert "names no invoice, and bills are posted per invoice" in failure.error
    assert first["increment_id"] != second["increment_id"]


def test_a_memo_whose_invoice_bill_is_not_posted_waits_for_it(invoicing: Stack) -> None:
    sim = _commerce(invoicing)
    order = sim.add_order(email="held@example.com", invoiced=True)
    [invoice] = _invoices_of(invoicing, order["entity_id"])
    with sim.store.lock:
        stored = sim.store.get("orders", order["entity_id"])
        assert stored is not None
        item = stored["items"][0]["item_id"]
        memo = refund_order(stored, sim.store.next_id("creditmemos"), {item: 1.0}, sim.now_stamp(),
                            invoice_id=invoice["entity_id"])  # fmt: skip
        sim.store.put("creditmemos", memo)
    invoicing.simulator.update_record("VENDOR", "V102", {"DISPLAYCONTACT.EMAIL1": "held@example.com", "ONHOLD": "true"})
    _sync(invoicing)
    failure = invoicing.connection().state.failures.get(FLOW, ADJUSTMENTS, str(memo["increment_id"]))
    assert failure is not None
    assert f"the bill of invoice {invoice['increment_id']} is not posted yet" in failure.error
    invoicing.simulator.update_record("VENDOR", "V102", {"ONHOLD": "false"})
    replayed = replay(FLOW, invoicing.connection())
    assert replayed.streams[BILLS].counts["created"] == 1
    assert replayed.streams[ADJUSTMENTS].counts["created"] == 1
    [adjustment] = [
        a for a in invoicing.simulator.store.all("APADJUSTMENT") if a["RECORDID"] == f"MC-CM-{memo['increment_id']}"
    ]
    assert (adjustment["DOCNUMBER"], adjustment["VENDORID"]) == (PREFIX + str(invoice["increment_id"]), "V102")


@pytest.mark.parametrize("duplicate_check", [True, False], ids=["intacct-checks-bill-numbers", "no-check"])
@pytest.mark.parametrize("seed", [1, 2])
def test_random_intacct_faults_never_post_an_invoice_twice(invoicing: Stack, seed: int, duplicate_check: bool) -> None:
    invoicing.simulator.config.reject_duplicate_bill_numbers = duplicate_check
    faults = invoicing.simulator.faults
    faults.reseed(seed)
    for kind in ("status_after_commit", "drop_after", "malformed", "status"):
        faults.add(kind, match="write", probability=0.1, times=None)
    posted_under_faults = 0
    for run in range(8):
        # The store keeps invoicing: every run has new bills (and vendors) to post, some of one order in parts.
        _commerce(invoicing).add_order(email=f"buyer{run}-0@example.com", invoiced=True)
        _in_parts(invoicing, f"buyer{run}-1@example.com")
        report = _sync(invoicing)
        assert report.status in (RunStatus.COMPLETED, RunStatus.STOPPED_EARLY, RunStatus.FAILED), report.error
        _assert_exactly_one_bill_per_invoice(invoicing, complete=False)
        posted_under_faults = len(_bills(invoicing))
        invoicing.clock.advance(1000)  # a failed run's lease expires
    fired = Counter(fault.kind for fault in faults.fired)
    assert fired["status_after_commit"] + fired["drop_after"] + fired["malformed"] > 0  # writes applied, unconfirmed
    assert posted_under_faults > 0  # bills really were posted while the faults fired
    faults.clear()
    final = _sync(invoicing)
    assert final.status is RunStatus.COMPLETED, final.error
    replay(FLOW, invoicing.connection())  # bills whose vendor creation failed under the faults
    _assert_exactly_one_bill_per_invoice(invoicing, complete=True)


# ---------------------------------------------------------------------------------------------- webhooks


def test_invoice_and_order_webhooks_post_each_invoice_once_with_the_schedule_running(invoicing: Stack) -> None:
    keys = generate_key_pair()
    invoicing._put("default", WEBHOOK_SECRET_SYSTEM, {"public_key_pem": keys.public_pem})
    sim = _commerce(invoicing)
    _sync(invoicing)
    with serve_gateway(invoicing) as (url, queue_url):
        # An invoice delivery, processed before the schedule runs; then the schedule.
        first = sim.add_order(email="hooked@example.com", invoiced=True)
        [invoice] = _invoices_of(invoicing, first["entity_id"])
        for _ in range(2):  # a redelivery
            assert sim.webhooks.deliver(url, INVOICE_SAVED, invoice, private_key=keys.private_pem) == 202
        assert drain(invoicing, queue_url) == [{"batchItemFailures": []}]
        assert PREFIX + str(invoice["increment_id"]) in _by_record_id(invoicing)
        _sync(invoicing)
        # An order invoiced in two parts: the schedule first, then the order's delivery posts nothing new.
        order, parts = _in_parts(invoicing, "hooked.twice@example.com")
        _sync(invoicing)
        creates = invoicing.simulator.calls.count("create")
        assert sim.webhooks.deliver(url, ORDER_SAVED, order, private_key=keys.private_pem) == 202
        assert drain(invoicing, queue_url) == [{"batchItemFailures": []}]
        assert invoicing.simulator.calls.count("create") == creates  # hash-skip: no Intacct write at all
        # An order delivery before the schedule: each of its invoices is posted.
        later, later_parts = _in_parts(invoicing, "hooked.later@example.com")
        assert sim.webhooks.deliver(url, ORDER_SAVED, later, private_key=keys.private_pem) == 202
        assert drain(invoicing, queue_url) == [{"batchItemFailures": []}]
        assert {PREFIX + str(i["increment_id"]) for i in later_parts} <= set(_by_record_id(invoicing))
        _sync(invoicing)
    _assert_exactly_one_bill_per_invoice(invoicing, complete=True)
    state = invoicing.connection().state
    for posted in [invoice, *parts, *later_parts]:
        history = state.audit.history("commerce", "invoice", str(posted["increment_id"]))
        assert [e.action for e in history].count("created") == 1


def test_a_quarantined_order_delivery_is_redriven_as_its_invoices(invoicing: Stack) -> None:
    trusted, rotated = generate_key_pair(), generate_key_pair()
    invoicing._put("default", WEBHOOK_SECRET_SYSTEM, {"public_key_pem": trusted.public_pem})
    sim = _commerce(invoicing)
    order, parts = _in_parts(invoicing, "quarantined@example.com")
    with serve_gateway(invoicing) as (url, _queue_url):
        assert sim.webhooks.deliver(url, ORDER_SAVED, order, private_key=rotated.private_pem) == 401
        assert sim.webhooks.deliver(url, INVOICE_SAVED, {"entity_id": 987654}, private_key=rotated.private_pem) == 401
    result = replay_and_redrive(FLOW, invoicing.connection(), webhooks_only=True)
    assert result.deliveries is not None
    outcomes = {(r.entity_type, r.outcome): r.detail for r in result.deliveries.results}
    numbers = ", ".join(str(i["increment_id"]) for i in parts)
    assert outcomes[("order", "redriven")] == f"invoice {numbers}: bills created"
    assert outcomes[("invoice", "skipped")] == "invoice 987654 is not in Commerce"
    assert result.deliveries.bills["created"] == 2
    assert invoicing.connection().state.failures.pending(QUARANTINE_FLOW) == []
    _assert_exactly_one_bill_per_invoice(invoicing, complete=False)
    assert {PREFIX + str(i["increment_id"]) for i in parts} <= set(_by_record_id(invoicing))


def test_with_bills_from_orders_an_invoice_delivery_posts_its_order(shop: Stack) -> None:
    keys = generate_key_pair()
    shop._put("default", WEBHOOK_SECRET_SYSTEM, {"public_key_pem": keys.public_pem})
    sim = _commerce(shop)
    order = sim.add_order(email="orders.mode@example.com", invoiced=True)
    [invoice] = _invoices_of(shop, order["entity_id"])
    with serve_gateway(shop) as (url, queue_url):
        assert sim.webhooks.deliver(url, INVOICE_SAVED, invoice, private_key=keys.private_pem) == 202
        assert drain(shop, queue_url) == [{"batchItemFailures": []}]
    [bill] = [b for b in shop.simulator.store.all("APBILL") if b["RECORDID"] == PREFIX + str(order["increment_id"])]
    assert bill["DESCRIPTION"] == f"Adobe Commerce order {order['increment_id']}"
    assert _bills(shop) == []  # no bill from an invoice


def test_ping_says_where_bills_come_from(invoicing: Stack) -> None:
    results = {r.system: r for r in ping(FLOW, invoicing.connection(read_only=True))}
    assert results["commerce"].ok, results["commerce"].detail
    assert "bills from: invoices" in results["commerce"].detail


def test_a_connection_that_billed_orders_refuses_to_start_billing_invoices(shop: Stack) -> None:
    first = _sync(shop)  # bills from orders, the default
    assert first.status is RunStatus.COMPLETED, first.error
    bills = len(shop.simulator.store.all("APBILL"))
    shop._put("default", "commerce", {**_commerce(shop).credentials.as_dict(), "posting": {"bill_source": "invoices"}})

    refused = _sync(shop)  # the guard runs inside the run: a recorded FAILED run that says why

    assert refused.status is RunStatus.FAILED
    assert "would bill the same sales twice" in (refused.error or "")
    [latest] = shop.connection().state.runs.recent(limit=1, flow=NAME)
    assert (latest.run_id, latest.status) == (refused.run_id, "failed")
    assert len(shop.simulator.store.all("APBILL")) == bills
