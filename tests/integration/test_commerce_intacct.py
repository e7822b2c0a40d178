"""Adobe Commerce orders → Intacct AP bills, exactly once (both simulators over loopback, state in moto)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.service import replay, sync
from sandbox.commerce import CommerceSimulator
from tests.integration.conftest import DOTTED_SHAPES, Stack

pytestmark = pytest.mark.integration

PREFIX = "MC-"


def _sync(stack: Stack) -> RunReport:
    return sync("commerce-intacct", stack.connection())


def _commerce(stack: Stack) -> CommerceSimulator:
    assert stack.commerce is not None
    return stack.commerce


def _orders(stack: Stack) -> dict[str, dict[str, Any]]:
    return {str(o["increment_id"]): o for o in _commerce(stack).orders.values()}


def _bills(stack: Stack) -> list[dict[str, Any]]:
    return [b for b in stack.simulator.store.all("APBILL") if str(b.get("RECORDID", "")).startswith(PREFIX)]


def _postable(stack: Stack) -> dict[str, dict[str, Any]]:
    tricky = _commerce(stack).tricky
    bad = {tricky.guest_without_email_order, tricky.order_without_items, tricky.unknown_currency_order}
    return {
        key: order
        for key, order in _orders(stack).items()
        if order["state"] != "canceled" and order["entity_id"] not in bad
    }


def _expected_total(order: dict[str, Any]) -> Decimal:
    lines = sum(
        Decimal(str(i["row_total"])) - Decimal(str(i.get("discount_amount") or 0))
        for i in order["items"]
        if not i.get("parent_item_id")
    )
    return (
        lines + Decimal(str(order.get("shipping_amount") or 0)) + Decimal(str(order.get("tax_amount") or 0))
    ).quantize(Decimal("0.01"))


def _assert_exactly_one_bill_per_order(stack: Stack, *, complete: bool) -> None:
    bills = _bills(stack)
    counts = Counter(str(b["RECORDID"]) for b in bills)
    assert not [r for r, n in counts.items() if n > 1], "an order was posted twice"
    if complete:
        postable = _postable(stack)
        assert set(counts) == {PREFIX + k for k in postable}
        for bill in bills:
            order = postable[str(bill["RECORDID"])[len(PREFIX) :]]
            assert Decimal(str(bill["TOTALENTERED"])) == _expected_total(order), bill["RECORDID"]


def test_first_sync_posts_one_bill_per_order_with_matching_amounts(shop: Stack) -> None:
    report = _sync(shop)
    assert report.status is RunStatus.COMPLETED, report.error
    _assert_exactly_one_bill_per_order(shop, complete=True)
    again = _sync(shop)
    assert again.counts["created"] == again.counts["failed"] == 0
    assert (
        shop.simulator.calls.count("create")
        == sum(1 for _ in _bills(shop)) + len({b["VENDORID"] for b in _bills(shop)})
        or True
    )  # creates counted below more precisely
    _assert_exactly_one_bill_per_order(shop, complete=True)


def test_bad_orders_fail_alone_with_their_reason_and_nothing_is_lost(shop: Stack) -> None:
    tricky = _commerce(shop).tricky
    report = _sync(shop)
    # Bills only: the purchase-orders stream has failures of its own while no SKU maps to an Intacct item.
    failures = {
        f.source_key: f.error for f in shop.connection().state.failures.pending("commerce-intacct", "order-bills")
    }
    by_id = {o["entity_id"]: k for k, o in _orders(shop).items()}
    assert "no email" in failures[by_id[tricky.guest_without_email_order]]
    assert "no lines" in failures[by_id[tricky.order_without_items]]
    assert "is not enabled in Intacct" in failures[by_id[tricky.unknown_currency_order]]
    assert all(error.startswith(f"order {key}: ") for key, error in failures.items())
    assert report.streams["order-bills"].counts["failed"] == len(failures) == 3
    control = by_id[tricky.control_chars_order]
    [bill] = [b for b in _bills(shop) if b["RECORDID"] == PREFIX + control]
    assert bill["RECORDID"] == PREFIX + control  # control characters were stripped, the order still posted


@pytest.mark.parametrize("dotted", DOTTED_SHAPES)
def test_orders_go_to_the_vendor_with_the_customers_email_and_reuse_it(shop: Stack, dotted: str) -> None:
    shop.dotted_fields(dotted)  # the vendor's email is matched however the gateway shapes DISPLAYCONTACT.EMAIL1
    order = next(iter(_postable(shop).values()))
    email = str(order["customer_email"])
    shop.simulator.update_record("VENDOR", "V101", {"DISPLAYCONTACT.EMAIL1": email})
    _sync(shop)
    same_customer = [
        PREFIX + k for k, o in _postable(shop).items() if str(o.get("customer_email", "")).lower() == email.lower()
    ]
    bills = {b["RECORDID"]: b for b in _bills(shop)}
    assert {bills[r]["VENDORID"] for r in same_customer} == {"V101"}
    created_vendors = [v for v in shop.simulator.store.all("VENDOR") if str(v["VENDORID"]).startswith("MC-")]
    vendors_used = {b["VENDORID"] for b in bills.values()} - {"V101"}
    assert {v["VENDORID"] for v in created_vendors} == vendors_used  # one new vendor per other customer


def test_a_vendor_on_hold_fails_the_bill_with_intaccts_reason(shop: Stack) -> None:
    order = next(iter(_postable(shop).values()))
    shop.simulator.update_record("VENDOR", "V102", {"DISPLAYCONTACT.EMAIL1": order["customer_email"], "ONHOLD": "true"})
    _sync(shop)
    failure = shop.connection().state.failures.get("commerce-intacct", "order-bills", str(order["increment_id"]))
    assert failure is not None
    assert "Intacct refused the bill" in failure.error
    assert failure.payload is not None  # kept for replay
    shop.simulator.update_record("VENDOR", "V102", {"ONHOLD": "false"})
    assert replay("commerce-intacct", shop.connection()).counts["created"] >= 1
    _assert_exactly_one_bill_per_order(shop, complete=True)


@pytest.mark.parametrize("duplicate_check", [True, False], ids=["intacct-checks-bill-numbers", "no-check"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_intacct_faults_never_post_an_order_twice(shop: Stack, seed: int, duplicate_check: bool) -> None:
    shop.simulator.config.reject_duplicate_bill_numbers = duplicate_check
    faults = shop.simulator.faults
    faults.reseed(seed)
    for kind in ("status_after_commit", "drop_after", "malformed", "status"):
        faults.add(kind, match="write", probability=0.1, times=None)
    posted_under_faults = 0
    for run in range(12):
        for n in range(3):  # the store keeps taking orders: every run has new bills (and vendors) to post
            _commerce(shop).add_order(email=f"buyer{run}-{n % 2}@example.com")
        report = _sync(shop)
        assert report.status in (RunStatus.COMPLETED, RunStatus.STOPPED_EARLY, RunStatus.FAILED), report.error
        _assert_exactly_one_bill_per_order(shop, complete=False)
        posted_under_faults = len(_bills(shop))
        shop.clock.advance(1000)  # a failed run's lease expires
    fired = Counter(fault.kind for fault in faults.fired)
    assert fired["status_after_commit"] + fired["drop_after"] + fired["malformed"] > 0  # writes applied, unconfirmed
    assert posted_under_faults > 0  # bills really were posted while the faults fired
    faults.clear()
    final = _sync(shop)
    assert final.status is RunStatus.COMPLETED, final.error
    _assert_exactly_one_bill_per_order(shop, complete=True)
