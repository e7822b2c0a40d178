"""E-commerce: stores bound to their audience, customers (upsert, fixed email, 50-char ids, opt-in side effects on
the audience), products with variants, orders (required fields, missing product/variant, duplicates, no PUT,
PATCH merging lines, lines CRUD, the customer upserted from the order)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.mailchimp import MailchimpSimulator
from tests.unit.sandbox_mailchimp.api import Api, ok, problem

STORE = "/ecommerce/stores/s1"
PRODUCT = {"id": "GL-4000", "title": "Sales", "variants": [{"id": "GL-4000", "title": "Sales", "price": 5}]}


def _order(**changes: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "id": "INV-1",
        "customer": {"id": "C1", "email_address": "ap@acme.example.com", "opt_in_status": False},
        "currency_code": "USD",
        "order_total": 15,
        "financial_status": "pending",
        "lines": [
            {"id": "L1", "product_id": "GL-4000", "product_variant_id": "GL-4000", "quantity": 1, "price": 5},
            {"id": "L2", "product_id": "GL-4000", "product_variant_id": "GL-4000", "quantity": 2, "price": 5},
        ],
    }
    order.update(changes)
    return order


@pytest.fixture
def shop(api: Api) -> Api:
    ok(api.post("/ecommerce/stores", {"id": "s1", "list_id": api.list_id, "name": "Intacct", "currency_code": "USD"}))
    ok(api.post(f"{STORE}/products", PRODUCT))
    return api


# ---------------------------------------------------------------------------------------------- stores
def test_store_create_required_and_duplicate(api: Api, sim: MailchimpSimulator) -> None:
    body = problem(api.post("/ecommerce/stores", {"id": "s1", "name": "X"}), 400, "Invalid Resource")
    assert body["errors"] == [{"field": "", "message": "Required fields were not provided: list_id, currency_code"}]
    store = {
        "id": "s1",
        "list_id": api.list_id,
        "name": "Intacct",
        "currency_code": "USD",
        "domain": "shop.acme.example",
    }
    created = ok(api.post("/ecommerce/stores", store))
    assert (created["is_syncing"], created["list_id"]) == (False, api.list_id)
    duplicate = problem(api.post("/ecommerce/stores", store), 400, "Bad Request")
    assert duplicate["detail"] == "A store with the provided ID already exists."
    domain = problem(api.post("/ecommerce/stores", {**store, "id": "s2"}), 400, "Bad Request")
    assert domain["detail"] == "A store with the domain shop.acme.example already exists in the account."
    problem(api.post("/ecommerce/stores", {**store, "id": "s3", "domain": "", "list_id": "nolist"}), 400, "Bad Request")
    problem(
        api.post("/ecommerce/stores", {**store, "id": "s4", "domain": "", "currency_code": "usd"}),
        400,
        "Invalid Resource",
    )
    assert list(sim.stores()) == ["s1"]
    assert sim.calls.count("stores.create") == 6


def test_store_patch_is_syncing_and_list_id_fixed(shop: Api) -> None:
    assert ok(shop.patch(STORE, {"is_syncing": True}))["is_syncing"] is True
    assert ok(shop.get(STORE))["is_syncing"] is True
    body = problem(shop.patch(STORE, {"list_id": "other12345"}), 400, "Bad Request")
    assert "list_id" in body["detail"]
    ok(shop.patch(STORE, {"list_id": shop.list_id, "name": "Renamed"}))
    assert ok(shop.get("/ecommerce/stores"))["stores"][0]["name"] == "Renamed"
    problem(shop.get("/ecommerce/stores/nope"), 404, "Resource Not Found")
    assert shop.delete(STORE).status_code == 204
    problem(shop.get(STORE), 404, "Resource Not Found")


# ---------------------------------------------------------------------------------------------- customers
def test_customer_put_upserts_and_the_email_is_fixed(shop: Api) -> None:
    path = f"{STORE}/customers/C1"
    created = ok(
        shop.put(path, {"id": "C1", "email_address": "ap@acme.example.com", "opt_in_status": False, "company": "Acme"})
    )
    assert (created["company"], created["orders_count"]) == ("Acme", 0)
    assert (
        ok(shop.put(path, {"company": "Acme Corp", "email_address": "AP@acme.example.com"}))["company"] == "Acme Corp"
    )
    body = problem(shop.put(path, {"email_address": "other@acme.example.com"}), 400, "Bad Request")
    assert body["detail"] == "An email address may not be changed once a customer is created."
    problem(shop.patch(path, {"email_address": "other@acme.example.com"}), 400, "Bad Request")
    dup = problem(
        shop.post(f"{STORE}/customers", {"id": "C1", "email_address": "ap@acme.example.com"}), 400, "Bad Request"
    )
    assert "already exists" in dup["detail"]
    noemail = problem(shop.put(f"{STORE}/customers/C2", {"opt_in_status": True}), 400, "Invalid Resource")
    assert noemail["detail"] == "An email address is required to create a customer."
    problem(shop.patch(f"{STORE}/customers/C9", {"company": "X"}), 404, "Resource Not Found")


def test_customer_ids_longer_than_50_characters_are_404(shop: Api) -> None:
    long_id = "C" * 51
    problem(
        shop.put(f"{STORE}/customers/{long_id}", {"email_address": "a@acme.example.com"}), 404, "Resource Not Found"
    )
    order = _order(customer={"id": long_id, "email_address": "a@acme.example.com"})
    problem(shop.post(f"{STORE}/orders", order), 404, "Resource Not Found")
    ok(shop.put(f"{STORE}/customers/{'C' * 50}", {"email_address": "a@acme.example.com"}))


def test_customer_opt_in_side_effects_on_the_audience(shop: Api, sim: MailchimpSimulator) -> None:
    def customer(cid: str, email: str, opt_in: bool) -> None:
        ok(shop.put(f"{STORE}/customers/{cid}", {"email_address": email, "opt_in_status": opt_in}))

    customer("C1", "in@acme.example.com", True)
    customer("C2", "out@acme.example.com", False)
    assert sim.member("in@acme.example.com")["status"] == "subscribed"  # type: ignore[index]
    assert sim.member("out@acme.example.com")["status"] == "transactional"  # type: ignore[index]
    customer("C2", "out@acme.example.com", True)  # false -> true subscribes
    assert sim.member("out@acme.example.com")["status"] == "subscribed"  # type: ignore[index]
    customer("C1", "in@acme.example.com", False)  # true -> false changes nothing
    assert sim.member("in@acme.example.com")["status"] == "subscribed"  # type: ignore[index]
    sim.set_member_status("gone@acme.example.com", "unsubscribed")
    customer("C3", "gone@acme.example.com", True)  # never overrides an existing member
    assert sim.member("gone@acme.example.com")["status"] == "unsubscribed"  # type: ignore[index]
    customer("C4", "late@acme.example.com", False)
    sim.set_member_status("late@acme.example.com", "cleaned")
    customer("C4", "late@acme.example.com", True)
    assert sim.member("late@acme.example.com")["status"] == "cleaned"  # type: ignore[index]


# ---------------------------------------------------------------------------------------------- products
def test_products_required_duplicate_and_variants(shop: Api) -> None:
    body = problem(shop.post(f"{STORE}/products", {"id": "P2", "title": "T"}), 400, "Invalid Resource")
    assert body["errors"][0]["message"] == "Required fields were not provided: variants"
    problem(shop.post(f"{STORE}/products", {"id": "P2", "title": "T", "variants": []}), 400, "Invalid Resource")
    dup = problem(shop.post(f"{STORE}/products", PRODUCT), 400, "Bad Request")
    assert dup["detail"] == (
        "We were unable to process the request. A product with the provided ID already exists in the account."
    )
    variants = f"{STORE}/products/GL-4000/variants"
    ok(shop.put(f"{variants}/V2", {"title": "Second", "price": 7}))
    assert ok(shop.put(f"{variants}/V2", {"price": 8}))["price"] == 8
    ok(shop.post(variants, {"id": "V3", "title": "Third"}))
    problem(shop.post(variants, {"id": "V3", "title": "Third"}), 400, "Bad Request")
    assert ok(shop.patch(f"{variants}/V3", {"sku": "S3"}))["sku"] == "S3"
    problem(shop.patch(f"{variants}/V9", {"sku": "S9"}), 404, "Resource Not Found")
    assert [v["id"] for v in ok(shop.get(f"{STORE}/products/GL-4000"))["variants"]] == ["GL-4000", "V2", "V3"]
    assert shop.delete(f"{variants}/V3").status_code == 204
    upserted = ok(shop.put(f"{STORE}/products/P5", {"title": "Five", "variants": [{"id": "P5", "title": "Five"}]}))
    assert upserted["currency_code"] == "USD"
    assert ok(shop.patch(f"{STORE}/products/P5", {"title": "5"}))["title"] == "5"


def test_product_put_can_be_switched_off(shop: Api, sim: MailchimpSimulator) -> None:
    sim.config.product_put = False
    response = shop.put(f"{STORE}/products/P5", {"title": "Five", "variants": [{"id": "P5", "title": "Five"}]})
    problem(response, 405, "Method Not Allowed")
    assert "PUT" not in response.headers["Allow"]


# ---------------------------------------------------------------------------------------------- orders
def test_order_create_enriches_lines_and_upserts_the_customer(shop: Api, sim: MailchimpSimulator) -> None:
    order = ok(shop.post(f"{STORE}/orders", _order()))
    assert order["store_id"] == "s1"
    assert order["customer"]["email_address"] == "ap@acme.example.com"
    assert order["customer"]["orders_count"] == 1
    assert [(line["id"], line["product_title"], line["product_variant_title"]) for line in order["lines"]] == [
        ("L1", "Sales", "Sales"),
        ("L2", "Sales", "Sales"),
    ]
    assert sim.member("ap@acme.example.com")["status"] == "transactional"  # type: ignore[index]
    assert sim.store("s1")["customers"]["C1"]["email_address"] == "ap@acme.example.com"
    assert ok(shop.get(f"{STORE}/orders/INV-1"))["financial_status"] == "pending"


def test_order_refusals(shop: Api) -> None:
    body = problem(shop.post(f"{STORE}/orders", {"id": "X", "lines": []}), 400, "Invalid Resource")
    assert body["errors"][0]["message"] == "Required fields were not provided: customer, currency_code, order_total"
    bad_line = _order(lines=[{"id": "L1", "product_id": "GL-4000", "quantity": 1}])
    line = problem(shop.post(f"{STORE}/orders", bad_line), 400, "Invalid Resource")
    assert line["errors"] == [
        {"field": "lines.item:0", "message": "Required fields were not provided: product_variant_id, price"}
    ]
    quantity = _order(lines=[{**_order()["lines"][0], "quantity": "1"}])
    assert problem(shop.post(f"{STORE}/orders", quantity), 400, "Invalid Resource")["errors"][0]["message"] == (
        "Schema describes integer, string found instead"
    )
    no_product = _order(lines=[{**_order()["lines"][0], "product_id": "NOPE", "product_variant_id": "NOPE"}])
    assert problem(shop.post(f"{STORE}/orders", no_product), 400, "Bad Request")["detail"] == (
        "A product with the provided ID does not exist in the account for this list."
    )
    no_variant = _order(lines=[{**_order()["lines"][0], "product_variant_id": "NOPE"}])
    assert problem(shop.post(f"{STORE}/orders", no_variant), 400, "Bad Request")["detail"] == (
        "A product with the provided variant ID does not exist in the account for this list."
    )
    same_line = _order(lines=[_order()["lines"][0], _order()["lines"][0]])
    assert problem(shop.post(f"{STORE}/orders", same_line), 400, "Bad Request")["detail"] == (
        "An order may not contain the same line item id more than once."
    )
    ok(shop.post(f"{STORE}/orders", _order()))
    assert problem(shop.post(f"{STORE}/orders", _order()), 400, "Bad Request")["detail"] == (
        "We were unable to process the request. An order with the provided ID already exists in the account."
    )
    put = shop.put(f"{STORE}/orders/INV-1", _order())
    problem(put, 405, "Method Not Allowed")
    assert put.headers["Allow"] == "GET, PATCH, DELETE"
    problem(shop.get(f"{STORE}/orders/INV-9"), 404, "Resource Not Found")
    problem(shop.post("/ecommerce/stores/nope/orders", _order()), 404, "Resource Not Found")


def test_order_patch_merges_lines_and_keeps_omitted_ones(shop: Api, sim: MailchimpSimulator) -> None:
    ok(shop.post(f"{STORE}/orders", _order(promos=[{"code": "A", "amount_discounted": 1, "type": "fixed"}])))
    patched = ok(
        shop.patch(
            f"{STORE}/orders/INV-1",
            {
                "financial_status": "paid-in-full (custom)",
                "promos": [{"code": "B", "amount_discounted": 2, "type": "fixed"}],
                "lines": [
                    {"id": "L2", "quantity": 3},
                    {"id": "L3", "product_id": "GL-4000", "product_variant_id": "GL-4000", "quantity": 1, "price": 9},
                ],
            },
        )
    )
    assert patched["financial_status"] == "paid-in-full (custom)"
    assert [promo["code"] for promo in patched["promos"]] == ["B"]
    assert [(line["id"], line["quantity"]) for line in patched["lines"]] == [("L1", 1), ("L2", 3), ("L3", 1)]
    problem(shop.patch(f"{STORE}/orders/INV-1", {"lines": [{"id": "L9", "quantity": 1}]}), 400, "Invalid Resource")
    cancelled = ok(shop.patch(f"{STORE}/orders/INV-1", {"cancelled_at_foreign": "2026-03-10T12:00:00+00:00"}))
    assert cancelled["cancelled_at_foreign"] == "2026-03-10T12:00:00+00:00"
    assert len(cancelled["lines"]) == 3
    assert sim.calls.count("orders.patch") == 3
    problem(shop.patch(f"{STORE}/orders/INV-9", {"financial_status": "paid"}), 404, "Resource Not Found")


def test_order_lines_crud(shop: Api) -> None:
    ok(shop.post(f"{STORE}/orders", _order()))
    lines = f"{STORE}/orders/INV-1/lines"
    assert ok(shop.get(lines))["total_items"] == 2
    added = ok(
        shop.post(
            lines, {"id": "L3", "product_id": "GL-4000", "product_variant_id": "GL-4000", "quantity": 4, "price": 1}
        )
    )
    assert added["product_title"] == "Sales"
    problem(shop.post(lines, {**added, "id": "L3"}), 400, "Bad Request")
    assert ok(shop.patch(f"{lines}/L3", {"quantity": 5}))["quantity"] == 5
    problem(shop.patch(f"{lines}/L3", {"product_id": "NOPE"}), 400, "Bad Request")
    assert shop.delete(f"{lines}/L1").status_code == 204
    problem(shop.get(f"{lines}/L1"), 404, "Resource Not Found")
    problem(shop.delete(f"{lines}/L1"), 404, "Resource Not Found")
    assert [line["id"] for line in ok(shop.get(f"{STORE}/orders/INV-1"))["lines"]] == ["L2", "L3"]


def test_account_orders_and_filters(shop: Api) -> None:
    ok(shop.post(f"{STORE}/orders", _order()))
    ok(shop.post(f"{STORE}/orders", _order(id="INV-2", customer={"id": "C2", "email_address": "b@acme.example.com"})))
    assert ok(shop.get("/ecommerce/orders"))["total_items"] == 2
    mine = ok(shop.get(f"{STORE}/orders", {"customer_id": "C2"}))
    assert [order["id"] for order in mine["orders"]] == ["INV-2"]
    assert shop.delete(f"{STORE}/orders/INV-2").status_code == 204
    assert ok(shop.get(f"{STORE}/customers/C2"))["orders_count"] == 0
