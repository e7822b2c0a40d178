"""Seeded B2B purchase orders and the orders placed from them; the optional extension route that lists them."""

from __future__ import annotations

from sandbox.commerce import CommerceSimConfig, CommerceSimulator
from tests.unit.sandbox_commerce.conftest import StartCommerce, criteria, get

NO_ROUTE = (404, "Request does not match any route.")


def test_orders_placed_from_purchase_orders_carry_the_po_number_and_the_company() -> None:
    sim = CommerceSimulator(seed=2, size=60)
    orders = sim.orders
    placed = [po for po in sim.purchase_orders.values() if po["status"] == "order_placed"]
    assert len(placed) >= 2
    for po in placed:
        order = orders[po["order_id"]]
        assert order["payment"]["po_number"] == po["increment_id"]
        assert order["increment_id"] == po["order_increment_id"]
        assert order["extension_attributes"]["company_order_attributes"]["company_id"] == po["company_id"]
        assert [(i["sku"], i["qty"]) for i in po["items"]] == [(i["sku"], i["qty_ordered"]) for i in order["items"]]
    assert {orders[po["order_id"]]["payment"]["method"] for po in placed} == {"companycredit", "purchaseorder"}
    others = [o for o in orders.values() if o["entity_id"] not in {po["order_id"] for po in placed}]
    assert not [
        o for o in others if "po_number" in o["payment"] or "company_order_attributes" in o["extension_attributes"]
    ]


def test_the_route_is_served_only_when_configured_and_b2b_is_installed(start_commerce: StartCommerce) -> None:
    default = start_commerce()
    response = get(default, "/purchaseorders", criteria())
    assert (response.status_code, response.json()["message"]) == NO_ROUTE

    served = start_commerce(config=CommerceSimConfig(purchase_order_route=True, purchase_order_path="/V1/pos"))
    listed = get(served, "/pos", criteria([("status", "order_placed", "neq")], sort=[("entity_id", "ASC")], pageSize=2))
    assert listed.status_code == 200, listed.text
    body = listed.json()
    others = [po for po in served.purchase_orders.values() if po["status"] != "order_placed"]
    assert body["total_count"] == len(others)
    assert [po["entity_id"] for po in body["items"]] == [po["entity_id"] for po in others][:2]
    first = others[0]["entity_id"]
    assert get(served, f"/pos/{first}").json()["increment_id"] == others[0]["increment_id"]
    assert get(served, "/pos/999").status_code == 404
    assert get(served, "/purchaseorders", criteria()).status_code == 404  # only the configured path

    without_b2b = start_commerce(
        config=CommerceSimConfig(purchase_order_route=True, b2b_installed=False, purchase_order_path="/V1/pos")
    )
    response = get(without_b2b, "/pos", criteria())
    assert (response.status_code, response.json()["message"]) == NO_ROUTE
