"""Seeded entities, tricky records, determinism, writes (customers, companies, invoice/refund),
B2B on/off, error envelopes, faults."""

from __future__ import annotations

import re

import requests

from sandbox.commerce import CommerceSimConfig, CommerceSimulator
from sandbox.commerce.seed import INVOICED_IN_PARTS
from tests.unit.sandbox_commerce.conftest import StartCommerce, criteria, get, oauth1

STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _send(sim: CommerceSimulator, method: str, path: str, body: object) -> requests.Response:
    return requests.request(method, f"{sim.api_url}/rest/V1{path}", json=body, auth=oauth1(sim), timeout=5)


def test_seed_is_deterministic_for_seed_and_size() -> None:
    first, again, other = (CommerceSimulator(seed=s, size=15) for s in (4, 4, 5))
    assert first.orders == again.orders
    assert first.invoices == again.invoices
    assert first.customers == again.customers
    assert first.purchase_orders == again.purchase_orders
    assert first.orders != other.orders
    assert len(CommerceSimulator(seed=4, size=30).orders) == 30 + 4 + INVOICED_IN_PARTS  # + tricky, invoiced in parts


def test_orders_invoices_credit_memos_are_consistent(sim: CommerceSimulator) -> None:
    orders = sim.orders
    for invoice in sim.invoices.values():
        order = orders[invoice["order_id"]]
        assert {line["sku"] for line in invoice["items"]} <= {item["sku"] for item in order["items"]}
        assert invoice["order_currency_code"] == order["order_currency_code"]
    for memo in sim.credit_memos.values():
        assert orders[memo["order_id"]]["total_refunded"] >= memo["grand_total"]
    for order in orders.values():
        assert STAMP.fullmatch(order["created_at"])
        assert order["updated_at"] >= order["created_at"]
        assert order["grand_total"] == round(order["subtotal"] + order["tax_amount"] + order["shipping_amount"], 2)
    assert sim.credit_memos
    assert all(orders[m["order_id"]]["state"] in ("closed", "complete") for m in sim.credit_memos.values())


def test_tricky_records_come_back_over_http(sim: CommerceSimulator) -> None:
    tricky = sim.tricky
    guest = get(sim, f"/orders/{tricky.guest_without_email_order}").json()
    assert guest["customer_is_guest"] == 1
    assert "customer_email" not in guest
    assert "customer_id" not in guest
    assert get(sim, f"/orders/{tricky.order_without_items}").json()["items"] == []
    assert get(sim, f"/orders/{tricky.unknown_currency_order}").json()["order_currency_code"] == "ZZZ"
    control = get(sim, f"/customers/{tricky.control_chars_customer}").json()
    assert "\x07" in control["firstname"]
    assert "\x1b" in get(sim, f"/orders/{tricky.control_chars_order}").json()["customer_firstname"]
    plain = CommerceSimulator(size=5, config=CommerceSimConfig(include_tricky_records=False))
    assert plain.tricky.order_without_items is None


def test_unknown_entities_and_routes(sim: CommerceSimulator) -> None:
    missing = get(sim, "/orders/99999")
    assert (missing.status_code, missing.json()["message"]) == (
        404, "The entity that was requested doesn't exist. Verify the entity and try again.",
    )  # fmt: skip
    customer = get(sim, "/customers/99999")
    assert customer.json()["parameters"] == {"fieldName": "customerId", "fieldValue": 99999}
    for path in ("/nothing", "/purchaseorders"):
        assert get(sim, path).json() == {"message": "Request does not match any route."}
    # Routes are per method: DELETE on an order is no route; PATCH is no Web API method at all.
    assert requests.delete(f"{sim.api_url}/rest/V1/orders/1", auth=oauth1(sim), timeout=5).status_code == 404
    assert requests.patch(f"{sim.api_url}/rest/V1/orders/1", auth=oauth1(sim), timeout=5).status_code == 400
    # A route is matched before authentication.
    assert requests.get(f"{sim.api_url}/rest/V1/nothing", timeout=5).status_code == 404


def test_b2b_routes_404_when_not_installed(start_commerce: StartCommerce) -> None:
    on = start_commerce()
    listed = get(on, "/company/", criteria(pageSize=10)).json()
    assert listed["total_count"] == len(on.companies) >= 2
    off = start_commerce(config=CommerceSimConfig(b2b_installed=False))
    for path in ("/company/", "/company/1", "/companyCredits/1"):
        response = get(off, path, criteria())
        assert (response.status_code, response.json()["message"]) == (404, "Request does not match any route.")
    assert get(off, "/customers/1").status_code == 200


def test_customer_create_update_and_duplicate_email(sim: CommerceSimulator) -> None:
    address: dict[str, object] = {"street": ["1 Main"], "city": "X", "country_id": "US", "postcode": "1"}
    address.update(telephone="5", firstname="A", lastname="S", default_billing=True)
    customer: dict[str, object] = {"email": "vendor.v100@example.org", "firstname": "Acme", "lastname": "Supplies"}
    body = {"customer": {**customer, "addresses": [address]}}
    created = _send(sim, "POST", "/customers", body)
    assert created.status_code == 200, created.text
    made = created.json()
    assert made["id"] in sim.customers
    assert made["default_billing"] == str(made["addresses"][0]["id"])
    duplicate = _send(sim, "POST", "/customers", {"customer": {**customer, "email": "VENDOR.v100@example.org"}})
    assert duplicate.status_code == 400
    assert duplicate.json()["message"].startswith("A customer with the same email address already exists")
    sim.clock.advance(5)
    changed = {**customer, "lastname": "Supplies Ltd"}
    update = {"customer": changed}
    updated = _send(sim, "PUT", f"/customers/{made['id']}", update).json()
    assert updated["lastname"] == "Supplies Ltd"
    assert updated["updated_at"] > made["updated_at"]
    assert len(updated["addresses"]) == 1  # addresses absent from the update: kept
    assert _send(sim, "POST", "/customers", {"customer": {"email": "x@example.org"}}).json()["parameters"] == {
        "fieldName": "firstname"
    }
    unknown = _send(sim, "POST", "/customers", {"customer": {**changed, "email": "n@e.org", "colour": 1}})
    assert unknown.status_code == 400
    assert unknown.json()["parameters"][:2] == ["colour", "getColour"]
    assert sim.calls.count("customers.create") == 4


def test_company_create_requires_existing_super_user(sim: CommerceSimulator) -> None:
    company = {
        "company_name": "Vendor Co",
        "company_email": "ap@vendor.example",
        "street": ["1 Main"],
        "city": "Austin",
        "country_id": "US",
        "postcode": "78701",
        "telephone": "512",
        "super_user_id": 1,
    }
    created = _send(sim, "POST", "/company/", {"company": company})
    assert created.status_code == 200, created.text
    assert created.json()["id"] in sim.companies
    assert _send(sim, "POST", "/company/", {"company": {**company, "super_user_id": 9999}}).status_code == 404
    assert _send(sim, "POST", "/company/", {"company": company}).status_code == 400  # same email


def test_invoice_and_refund_actions_return_ids_and_touch_the_order(sim: CommerceSimulator) -> None:
    order = sim.add_order(customer_id=3, lines=[("24-MB01", "Joust Duffle Bag", 34.0, 2.0)])
    sim.clock.advance(10)
    invoice_id = _send(sim, "POST", f"/order/{order['entity_id']}/invoice", {"capture": True}).json()
    assert isinstance(invoice_id, int)
    assert sim.invoices[invoice_id]["grand_total"] == order["grand_total"]
    assert sim.orders[order["entity_id"]]["updated_at"] > order["updated_at"]
    again = _send(sim, "POST", f"/order/{order['entity_id']}/invoice", {})
    assert again.status_code == 400
    item_id = order["items"][0]["item_id"]
    memo_id = _send(
        sim, "POST", f"/order/{order['entity_id']}/refund", {"items": [{"order_item_id": item_id, "qty": 1}]}
    )
    assert sim.credit_memos[memo_id.json()]["items"][0]["qty"] == 1
    assert sim.orders[order["entity_id"]]["state"] == "processing"


def test_fault_injection_and_latency(sim: CommerceSimulator) -> None:
    sim.faults.add("status", status=503, match="orders.get", times=1)
    assert get(sim, "/orders/1").status_code == 503
    assert get(sim, "/orders/1").status_code == 200
    sim.faults.add("unauthorized", match="orders.get")
    assert get(sim, "/orders/1").status_code == 401
    sim.faults.add("internal_error", match="read")
    assert get(sim, "/orders/1").json()["message"].startswith("Internal Error.")
    assert sim.calls.count("orders.get") == 4
    assert sim.calls.faults == {"status": 1, "unauthorized": 1, "internal_error": 1}
