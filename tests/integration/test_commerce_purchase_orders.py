"""Adobe Commerce B2B purchase orders → Intacct purchase orders (create_potransaction), exactly once, on the vendor
of the bills of the same buyer (both simulators over loopback, state in moto)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.service import replay, sync
from sandbox.commerce import CommerceSimulator
from sandbox.commerce.seed import order_items, place_order_for, purchase_order
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

FLOW, STREAM, BILLS = "commerce-intacct", "purchase-orders", "order-bills"
PREFIX = "MC-PO-"
POSTING = {"po_items": {"24-MB01": "ITM-200", "WS12-M-Orange": "ITM-100"}, "po_default_item": "COMMERCE-ITEM"}
BAG, TEE = ("24-MB01", "Joust Duffle Bag", 34.0, 2.0), ("WS12-M-Orange", "Radiant Tee-M-Orange", 22.0, 3.0)


def _configure(stack: Stack, **posting: Any) -> None:
    """The posting options live in the connection's Commerce secret, next to the credentials."""
    stack._put("default", "commerce", {**_commerce(stack).credentials.as_dict(), "posting": posting})


def _sync(stack: Stack) -> RunReport:
    return sync(FLOW, stack.connection())


def _commerce(stack: Stack) -> CommerceSimulator:
    assert stack.commerce is not None
    return stack.commerce


def _intacct_pos(stack: Stack) -> list[dict[str, Any]]:
    return [d for d in stack.simulator.store.all("PODOCUMENT") if str(d.get("DOCNO", "")).startswith(PREFIX)]


def _lines(stack: Stack, document: dict[str, Any]) -> list[dict[str, Any]]:
    entries = stack.simulator.store.all("PODOCUMENTENTRY")
    return sorted((e for e in entries if e["DOCHDRNO"] == document["RECORDNO"]), key=lambda e: int(e["LINE_NO"]))


def _placed(stack: Stack) -> dict[str, dict[str, Any]]:
    """PO number → the order placed from it (paid on account or by PO, not canceled)."""
    return {
        str(o["payment"]["po_number"]): o
        for o in _commerce(stack).orders.values()
        if o["payment"].get("po_number")
        and o["payment"]["method"] in ("companycredit", "purchaseorder")
        and o["state"] != "canceled"
    }


def _place_po(stack: Stack, lines: list[tuple[str, str, float, float]], *, method: str = "companycredit") -> str:
    """A company admin's purchase order, approved and placed as an order now; returns its PO number."""
    sim = _commerce(stack)
    with sim.store.lock:
        company = sim.store.rows("companies")[0]
        buyer = sim.store.get("customers", company["super_user_id"])
        assert buyer is not None
    entity_id = sim.add_order(customer_id=buyer["id"], lines=lines)["entity_id"]
    with sim.store.lock:
        order = sim.store.get("orders", entity_id)
        assert order is not None
        po = purchase_order(sim.store, company, buyer, order["items"], status="approved", when=sim.now_stamp())
        place_order_for(po, order, company, method=method, when=sim.now_stamp())
        return str(po["increment_id"])


def _open_po(stack: Stack, status: str, lines: list[tuple[str, str, float, float]]) -> dict[str, Any]:
    """A purchase order not placed as an order (yet): only the extension route shows it."""
    sim = _commerce(stack)
    with sim.store.lock:
        company = sim.store.rows("companies")[1]
        buyer = sim.store.get("customers", company["super_user_id"])
        assert buyer is not None
        items = order_items(0, lines, "US")
        return dict(purchase_order(sim.store, company, buyer, items, status=status, when=sim.now_stamp()))


def _assert_one_po_each(stack: Stack, numbers: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """No PO number posted twice; with `numbers`, exactly those are posted. Returns PO number → document."""
    documents = _intacct_pos(stack)
    counts = Counter(str(d["DOCNO"]) for d in documents)
    assert not [n for n, c in counts.items() if c > 1], "a purchase order was posted twice"
    posted = {str(d["DOCNO"])[len(PREFIX) :]: d for d in documents}
    if numbers is not None:
        assert set(posted) == numbers
    return posted


def test_first_sync_posts_one_po_per_placed_b2b_order_on_its_bills_vendor_and_a_rerun_writes_nothing(
    shop: Stack,
) -> None:
    _configure(shop, **POSTING)
    _place_po(shop, [BAG, TEE], method="purchaseorder")
    _place_po(shop, [TEE])
    _commerce(shop).add_order(email="retail@example.com")  # an ordinary order: a bill, no purchase order
    placed = _placed(shop)
    assert len(placed) >= 3  # the seeded one and the two placed here

    report = _sync(shop)
    assert report.status is RunStatus.COMPLETED, report.error
    stream = report.streams[STREAM]
    assert stream.counts["created"] == len(placed)
    assert stream.counts["failed"] == stream.counts["skipped"] == 0  # other orders are no records of this stream
    assert stream.notes[0].startswith("this store has no purchase-order REST route: ")
    assert f"{len(placed)} of " in stream.notes[1]
    posted = _assert_one_po_each(shop, set(placed))
    bills = {str(b["RECORDID"]): b for b in shop.simulator.store.all("APBILL")}
    links = shop.connection().state.links.get_many(FLOW, STREAM, placed)
    for number, order in placed.items():
        document = posted[number]
        assert document["DOCPARID"] == "Purchase Order"
        assert document["PONUMBER"] == number
        assert document["VENDORID"] == bills[f"MC-{order['increment_id']}"]["VENDORID"]  # the bill's vendor
        assert document["CURRENCY"] == order["order_currency_code"]
        items = [i for i in order["items"] if not i.get("parent_item_id")]
        assert [
            (e["ITEMDESC"].split()[0], Decimal(e["QUANTITY"]), Decimal(e["PRICE"])) for e in _lines(shop, document)
        ] == [(i["sku"], Decimal(str(i["qty_ordered"])), Decimal(str(i["price"]))) for i in items]
        expected = sum(Decimal(str(i["qty_ordered"])) * Decimal(str(i["price"])) for i in items)
        assert Decimal(str(document["TOTAL"])) == expected.quantize(Decimal("0.01"))
        assert links[number].destination_id == document["DOCID"]
    assert {e["ITEMID"] for d in posted.values() for e in _lines(shop, d)} <= {"ITM-100", "ITM-200", "COMMERCE-ITEM"}

    before = shop.simulator.calls.count("create_potransaction")
    again = _sync(shop)
    assert again.streams[STREAM].counts["created"] == again.streams[STREAM].counts["failed"] == 0
    assert shop.simulator.calls.count("create_potransaction") == before
    _assert_one_po_each(shop, set(placed))


def test_an_unknown_sku_fails_alone_with_its_reason_and_replays_once_mapped(shop: Stack) -> None:
    skus = {i["sku"] for o in _commerce(shop).orders.values() for i in o["items"]}
    _configure(shop, po_items=dict.fromkeys(skus, "ITM-100"))  # every seeded SKU, and no default item
    good = _place_po(shop, [BAG])
    odd = _place_po(shop, [BAG, ("NEW-SKU-1", "Brand new thing", 5.0, 4.0)])

    report = _sync(shop)
    failure = shop.connection().state.failures.get(FLOW, STREAM, odd)
    assert failure is not None
    assert failure.error.startswith(f"purchase order {odd}: SKU 'NEW-SKU-1' has no Intacct item")
    assert report.streams[STREAM].counts["failed"] == 1
    posted = _assert_one_po_each(shop)
    assert good in posted
    assert odd not in posted

    _configure(shop, po_items={**dict.fromkeys(skus, "ITM-100"), "NEW-SKU-1": "ITM-300"})
    replayed = replay(FLOW, shop.connection())
    assert replayed.streams[STREAM].counts["created"] == 1
    assert shop.connection().state.failures.get(FLOW, STREAM, odd) is None
    document = _assert_one_po_each(shop, set(_placed(shop)))[odd]
    assert [e["ITEMID"] for e in _lines(shop, document)] == ["ITM-100", "ITM-300"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_intacct_faults_never_post_a_po_twice(shop: Stack, seed: int) -> None:
    _configure(shop, **POSTING)
    faults = shop.simulator.faults
    faults.reseed(seed)
    for kind in ("status_after_commit", "drop_after", "malformed", "status"):
        faults.add(kind, match="write", probability=0.1, times=None)
    for _ in range(10):
        for n in range(3):  # the buyers keep placing purchase orders: every run has new ones to post
            _place_po(shop, [BAG, TEE] if n % 2 else [TEE], method=("companycredit", "purchaseorder")[n % 2])
        report = _sync(shop)
        assert report.status in (RunStatus.COMPLETED, RunStatus.STOPPED_EARLY, RunStatus.FAILED), report.error
        _assert_one_po_each(shop)
        shop.clock.advance(1000)  # a failed run's lease expires
    unconfirmed = ("status_after_commit", "drop_after", "malformed")  # the purchase orders were applied
    assert [f for f in faults.fired if f.kind in unconfirmed and "create_potransaction" in f.operations]
    assert _intacct_pos(shop)  # purchase orders really were posted while the faults fired
    faults.clear()
    assert _sync(shop).status is RunStatus.COMPLETED
    replay(FLOW, shop.connection())  # those whose vendor or post failed under the faults
    posted = _assert_one_po_each(shop, set(_placed(shop)))
    links = shop.connection().state.links.get_many(FLOW, STREAM, posted)
    assert {k: link.destination_id for k, link in links.items()} == {k: d["DOCID"] for k, d in posted.items()}


def test_without_b2b_no_purchase_order_is_read_and_the_report_says_so(shop: Stack) -> None:
    _configure(shop, **POSTING)
    _commerce(shop).config.b2b_installed = False
    report = _sync(shop)
    assert report.status is RunStatus.COMPLETED, report.error
    stream = report.streams[STREAM]
    assert stream.notes == ["B2B is not installed on this store: no purchase orders to post"]
    assert stream.pages == 0
    assert sum(stream.counts.values()) == 0
    assert shop.simulator.calls.count("create_potransaction") == 0
    assert report.streams[BILLS].counts["created"] > 0  # the bills are posted all the same
    assert report.to_dict()["streams"][STREAM]["notes"] == stream.notes


def test_with_the_route_every_approved_po_is_posted_placed_or_not_and_the_report_says_so(shop: Stack) -> None:
    _configure(shop, **POSTING)
    _sync(shop)  # the placed ones, from their orders
    first = set(_assert_one_po_each(shop))
    assert first == set(_placed(shop))
    approved = _open_po(shop, "approved", [BAG])
    waiting = _open_po(shop, "approval_required", [TEE])
    _commerce(shop).config.purchase_order_route = True

    report = _sync(shop)
    assert report.status is RunStatus.COMPLETED, report.error
    stream = report.streams[STREAM]
    [note] = stream.notes
    assert "purchase-order REST route V1/purchaseorders" in note
    assert "approved ones not yet placed as orders" in note
    assert _commerce(shop).calls.count("purchase_orders.list") > 0
    assert stream.counts["created"] == 1  # the approved one; those posted from their orders are unchanged
    not_postable = [
        p for p in _commerce(shop).purchase_orders.values() if p["status"] not in ("approved", "order_placed")
    ]
    assert stream.counts["skipped"] == len(not_postable) >= 2
    posted = _assert_one_po_each(shop, first | {str(approved["increment_id"])})
    assert str(waiting["increment_id"]) not in posted
    skipped = shop.connection().state.audit.history("commerce", "purchase order", str(waiting["increment_id"]))
    assert [entry.error for entry in skipped] == [
        f"purchase order {waiting['increment_id']}: purchase order is approval_required"
    ]
    # The buyer's vendor is the one its orders' bills go to.
    buyer_orders = [o for o in _commerce(shop).orders.values() if o.get("customer_id") == approved["creator_id"]]
    bills = {str(b["RECORDID"]): b["VENDORID"] for b in shop.simulator.store.all("APBILL")}
    vendors = {bills[f"MC-{o['increment_id']}"] for o in buyer_orders if f"MC-{o['increment_id']}" in bills}
    assert vendors == {posted[str(approved["increment_id"])]["VENDORID"]}
