"""Adobe Commerce credit memos → Intacct AP adjustments on the vendor of the order's bill, exactly once."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.service import replay, sync
from sandbox.commerce import CommerceSimulator
from sandbox.commerce.sales import open_quantities, refund_order
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

FLOW, STREAM = "commerce-intacct", "credit-memo-adjustments"
DESCRIPTION = "Adobe Commerce credit memo "


def _sync(stack: Stack) -> RunReport:
    return sync(FLOW, stack.connection())


def _commerce(stack: Stack) -> CommerceSimulator:
    assert stack.commerce is not None
    return stack.commerce


def _memos(stack: Stack) -> dict[str, dict[str, Any]]:
    return {str(m["increment_id"]): m for m in _commerce(stack).credit_memos.values()}


def _adjustments(stack: Stack) -> list[dict[str, Any]]:
    """Counted by description, so an adjustment posted without (or with another) number still counts."""
    return [
        a for a in stack.simulator.store.all("APADJUSTMENT") if str(a.get("DESCRIPTION", "")).startswith(DESCRIPTION)
    ]


def _refund(stack: Stack, order_id: int, **arguments: float) -> dict[str, Any]:
    """A credit memo for everything still refundable on the order, like POST /V1/order/{id}/refund."""
    sim = _commerce(stack)
    with sim.store.lock:
        order = sim.store.get("orders", order_id)
        assert order is not None
        memo = refund_order(
            order,
            sim.store.next_id("creditmemos"),
            open_quantities(order, "qty_refunded"),
            sim.now_stamp(),
            **arguments,
        )
        return dict(sim.store.put("creditmemos", memo))


def _assert_exactly_one_adjustment_per_memo(stack: Stack, *, complete: bool) -> None:
    adjustments = _adjustments(stack)
    counts = Counter(str(a["DESCRIPTION"])[len(DESCRIPTION) :] for a in adjustments)
    assert not [k for k, n in counts.items() if n > 1], "a credit memo was posted twice"
    if not complete:
        return
    memos = _memos(stack)
    assert set(counts) == set(memos)
    orders = {o["entity_id"]: o for o in _commerce(stack).orders.values()}
    bills = {str(b["RECORDID"]): b for b in stack.simulator.store.all("APBILL")}
    links = stack.connection().state.links.get_many(FLOW, STREAM, memos)
    for adj in adjustments:
        key = str(adj["DESCRIPTION"])[len(DESCRIPTION) :]
        memo = memos[key]
        bill = bills[f"MC-{orders[memo['order_id']]['increment_id']}"]
        assert adj["RECORDID"] == f"MC-CM-{key}"
        assert adj["DOCNUMBER"] == bill["RECORDID"]
        assert adj["VENDORID"] == bill["VENDORID"]  # the same vendor as the order's bill
        assert adj["CURRENCY"] == memo["order_currency_code"]
        assert Decimal(str(adj["TOTALENTERED"])) == -Decimal(str(memo["grand_total"])).quantize(Decimal("0.01"))
        link = links.get(key)
        assert link is not None, f"credit memo {key} is not linked to its adjustment"
        assert link.destination_id == str(adj["RECORDNO"])


def test_first_sync_posts_one_adjustment_per_memo_and_a_rerun_writes_nothing(shop: Stack) -> None:
    assert len(_memos(shop)) >= 3  # the seed refunds some orders
    report = _sync(shop)
    assert report.status is RunStatus.COMPLETED, report.error
    assert report.streams[STREAM].counts["created"] == len(_memos(shop))
    _assert_exactly_one_adjustment_per_memo(shop, complete=True)
    before = shop.simulator.calls.count("create_apadjustment")
    again = _sync(shop)
    assert again.streams[STREAM].counts["created"] == again.streams[STREAM].counts["failed"] == 0
    assert shop.simulator.calls.count("create_apadjustment") == before
    assert len(_adjustments(shop)) == len(_memos(shop))


def test_a_new_memo_with_shipping_and_adjustments_posts_its_grand_total(shop: Stack) -> None:
    _sync(shop)
    order = _commerce(shop).add_order(email="refunds@example.com", invoiced=True)
    _sync(shop)  # the order's bill
    memo = _refund(shop, order["entity_id"], shipping_amount=5, adjustment_positive=7, adjustment_negative=1.5)
    report = _sync(shop)
    assert report.streams[STREAM].counts["created"] == 1
    _assert_exactly_one_adjustment_per_memo(shop, complete=True)
    [adj] = [a for a in _adjustments(shop) if a["RECORDID"] == f"MC-CM-{memo['increment_id']}"]
    lines = [i for i in shop.simulator.store.all("APADJUSTMENTITEM") if i["RECORDKEY"] == adj["RECORDNO"]]
    assert {Decimal(str(i["TRX_AMOUNT"])) for i in lines} >= {Decimal("-5.00"), Decimal("-7.00"), Decimal("1.50")}


def test_a_memo_whose_bill_is_not_posted_fails_with_that_reason_and_replays(shop: Stack) -> None:
    order = _commerce(shop).add_order(email="held@example.com", invoiced=True)
    memo = _refund(shop, order["entity_id"])
    shop.simulator.update_record("VENDOR", "V102", {"DISPLAYCONTACT.EMAIL1": "held@example.com", "ONHOLD": "true"})
    _sync(shop)
    failure = shop.connection().state.failures.get(FLOW, STREAM, str(memo["increment_id"]))
    assert failure is not None
    assert failure.error.startswith(f"credit memo {memo['increment_id']}: ")
    assert f"bill of order {order['increment_id']} is not posted yet" in failure.error
    assert failure.payload is not None  # kept for replay
    assert not [a for a in _adjustments(shop) if a["RECORDID"] == f"MC-CM-{memo['increment_id']}"]
    shop.simulator.update_record("VENDOR", "V102", {"ONHOLD": "false"})
    replayed = replay(FLOW, shop.connection())
    assert replayed.streams[STREAM].counts["created"] == 1
    _assert_exactly_one_adjustment_per_memo(shop, complete=True)
    [adj] = [a for a in _adjustments(shop) if a["RECORDID"] == f"MC-CM-{memo['increment_id']}"]
    assert adj["VENDORID"] == "V102"


def test_a_memo_of_an_unknown_currency_fails_alone(shop: Stack) -> None:
    order = _commerce(shop).add_order(email="odd@example.com", invoiced=True, currency="XTS")
    memo = _refund(shop, order["entity_id"])
    report = _sync(shop)
    failure = shop.connection().state.failures.get(FLOW, STREAM, str(memo["increment_id"]))
    assert failure is not None
    assert "currency 'XTS' is not enabled" in failure.error
    assert report.streams[STREAM].counts["created"] == len(_memos(shop)) - 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_intacct_faults_never_post_a_memo_twice(shop: Stack, seed: int) -> None:
    faults = shop.simulator.faults
    faults.reseed(seed)
    for kind in ("status_after_commit", "drop_after", "malformed", "status"):
        faults.add(kind, match="write", probability=0.1, times=None)
    previous: list[int] = []
    for run in range(10):
        for order_id in previous:  # last run's orders are refunded: their bills may or may not be posted
            _refund(shop, order_id, shipping_amount=1)
        previous = [
            _commerce(shop).add_order(email=f"buyer{run}-{n}@example.com", invoiced=True)["entity_id"] for n in range(3)
        ]
        report = _sync(shop)
        assert report.status in (RunStatus.COMPLETED, RunStatus.STOPPED_EARLY, RunStatus.FAILED), report.error
        _assert_exactly_one_adjustment_per_memo(shop, complete=False)
        shop.clock.advance(1000)  # a failed run's lease expires
    fired = Counter(fault.kind for fault in faults.fired)
    assert fired["status_after_commit"] + fired["drop_after"] + fired["malformed"] > 0  # writes applied, unconfirmed
    assert _adjustments(shop)  # adjustments really were posted while the faults fired
    faults.clear()
    assert _sync(shop).status is RunStatus.COMPLETED
    replay(FLOW, shop.connection())  # memos that came before their bill
    _assert_exactly_one_adjustment_per_memo(shop, complete=True)
