"""E-commerce orders and their lines. ``POST`` needs id, customer{id}, currency_code, order_total and lines with
id, product_id, product_variant_id, quantity, price; the product and variant must exist (400, verified texts); a
second POST of an id is 400 "already exists"; there is no PUT (405). ``PATCH`` changes what it is sent: lines are
merged by id (omitted lines stay; the vendor's plugin deletes them one by one), ``promos`` replaced wholesale.
An order's ``customer`` upserts the store's customer (with its audience side effects). ``financial_status`` and
``fulfillment_status`` are free strings; ``cancelled_at_foreign`` cancels.
"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.mailchimp import checks, customers
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import (
    DUPLICATE_LINE,
    LINE_EXISTS,
    ORDER_EXISTS,
    PRODUCT_MISSING,
    VARIANT_MISSING,
    bad_request,
    json_type,
    schema_error,
    wrong_type,
)
from sandbox.mailchimp.lookup import item_of, shop_of
from sandbox.mailchimp.params import body_object, collection
from sandbox.mailchimp.store import Shop
from sandbox.mailchimp.values import Json

ORDER_FIELDS = (
    "currency_code", "order_total", "tax_total", "shipping_total", "discount_total", "financial_status",
    "fulfillment_status", "processed_at_foreign", "updated_at_foreign", "cancelled_at_foreign", "landing_site",
    "order_url", "campaign_id", "tracking_code", "tracking_number", "tracking_carrier", "tracking_url",
    "shipping_address", "billing_address", "promos", "outreach",
)  # fmt: skip
LINE_FIELDS = ("product_id", "product_variant_id", "quantity", "price", "discount")
LINE_REQUIRED = ("id", "product_id", "product_variant_id", "quantity", "price")
MONEY = ("order_total", "tax_total", "shipping_total", "discount_total")


def _check_order(body: Json) -> None:
    for name in ("id", "currency_code", "financial_status", "fulfillment_status", "processed_at_foreign"):
        checks.string(body, name)
    for name in MONEY:
        checks.number(body, name)
    if "promos" in body:
        checks.array(body, "promos")


def _check_line(line: object, where: str, *, new: bool) -> Json:
    if not isinstance(line, dict):
        raise schema_error([wrong_type(where or "lines.item", "object", json_type(line))])
    if new:
        checks.require(line, LINE_REQUIRED, where)
    for name in ("id", "product_id", "product_variant_id"):
        checks.string(line, name, where)
    checks.integer(line, "quantity", where)
    checks.number(line, "price", where)
    checks.number(line, "discount", where)
    return line


def _lines(body: Json, existing: Json | None = None) -> list[Json]:
    """The lines of a body, checked: a new line needs every required field, ids appear once."""
    if "lines" not in body:
        return []
    raw = checks.array(body, "lines")
    known = existing or {}
    lines = [
        _check_line(line, f"lines.item:{index}", new=not isinstance(line, dict) or line.get("id") not in known)
        for index, line in enumerate(raw)
    ]
    ids = [line.get("id") for line in lines]
    if len(ids) != len(set(ids)):
        raise bad_request(DUPLICATE_LINE)
    return lines


def _check_products(shop: Shop, lines: Sequence[Json], existing: Json | None = None) -> None:
    for line in lines:
        merged = {**(existing or {}).get(line["id"], {}), **line}
        product = shop.products.get(merged["product_id"])
        if product is None:
            raise bad_request(PRODUCT_MISSING)
        if merged["product_variant_id"] not in product["variants"]:
            raise bad_request(VARIANT_MISSING)


def _store_line(ctx: ApiContext, order: Json, line: Json) -> Json:
    record: Json | None = order["lines"].get(line["id"])
    if record is None:
        record = {"id": line["id"], "discount": 0, "created_at": ctx.now}
        order["lines"][line["id"]] = record
    record.update(checks.pick(line, LINE_FIELDS), updated_at=ctx.now)
    return record


def _customer(ctx: ApiContext, shop: Shop, body: Json) -> Json:
    customer = checks.obj(body, "customer")
    checks.require(customer, ("id",), "customer")
    checks.string(customer, "id", "customer")
    record: Json = customers.upsert(ctx, shop, str(customer["id"]), customer)
    return record


def line_view(shop: Shop, line: Json) -> Json:
    product = shop.products.get(line.get("product_id", ""), {})
    variant = product.get("variants", {}).get(line.get("product_variant_id", ""), {})
    shown = {key: value for key, value in line.items() if key not in ("created_at", "updated_at")}
    shown.update(
        product_title=product.get("title", ""),
        product_variant_title=variant.get("title", ""),
        image_url=variant.get("image_url") or product.get("image_url", ""),
    )
    return shown


def view(ctx: ApiContext, shop: Shop, order: Json) -> Json:
    shown = {key: value for key, value in order.items() if not key.startswith("_") and key != "lines"}
    customer = shop.customers.get(order["_customer_id"], {"id": order["_customer_id"]})
    href = f"{ctx.api_url}/ecommerce/stores/{shop.record['id']}/orders/{order['id']}"
    shown.update(
        store_id=shop.record["id"],
        customer=customers.view(ctx, shop, customer) if "email_address" in customer else customer,
        lines=[line_view(shop, line) for line in order["lines"].values()],
        _links=[{"rel": "self", "href": href, "method": "GET"}],
    )
    return shown


# ---------------------------------------------------------------------------------------------- orders
def add_order(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    checks.require(body, ("id", "customer", "currency_code", "order_total", "lines"))
    _check_order(body)
    customer = checks.obj(body, "customer")
    checks.require(customer, ("id",), "customer")
    lines = _lines(body)
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        customers.check_id(ctx, str(customer["id"]))
        if body["id"] in shop.orders:
            raise bad_request(ORDER_EXISTS)
        _check_products(shop, lines)
        customer_record = _customer(ctx, shop, body)
        order: Json = {"id": body["id"], "_customer_id": customer_record["id"], "financial_status": ""}
        order.update(fulfillment_status="", processed_at_foreign=ctx.now, updated_at_foreign=ctx.now)
        order.update(cancelled_at_foreign="", tax_total=0, shipping_total=0, discount_total=0, promos=[])
        order.update(checks.pick(body, ORDER_FIELDS), lines={})
        for line in lines:
            _store_line(ctx, order, line)
        shop.orders[order["id"]] = order
        return Reply(view(ctx, shop, order))


def patch_order(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    _check_order(body)
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        order = item_of(shop.orders, call.params["order_id"])
        lines = _lines(body, order["lines"])
        _check_products(shop, lines, order["lines"])
        if "customer" in body:
            customers.check_id(ctx, str(checks.obj(body, "customer").get("id", "")))
            order["_customer_id"] = _customer(ctx, shop, body)["id"]
        order.update(checks.pick(body, ORDER_FIELDS))  # promos, like every field sent, replaced wholesale
        for line in lines:
            _store_line(ctx, order, line)
        return Reply(view(ctx, shop, order))


def get_order(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        return Reply(view(ctx, shop, item_of(shop.orders, call.params["order_id"])))


def list_orders(ctx: ApiContext, call: Call) -> Reply:
    wanted = call.query.get("customer_id")
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        items = [
            view(ctx, shop, order) for order in shop.orders.values() if not wanted or order["_customer_id"] == wanted
        ]
    return Reply(collection("orders", items, call.query, ctx.config, store_id=shop.record["id"]))


def list_account_orders(ctx: ApiContext, call: Call) -> Reply:
    """``GET /ecommerce/orders``: every store's orders."""
    with ctx.db.lock:
        items = [view(ctx, shop, order) for shop in ctx.db.stores.values() for order in shop.orders.values()]
    return Reply(collection("orders", items, call.query, ctx.config))


def delete_order(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        del shop.orders[item_of(shop.orders, call.params["order_id"])["id"]]
    return Reply(None, 204)


# ---------------------------------------------------------------------------------------------- lines
def _order(ctx: ApiContext, call: Call) -> tuple[Shop, Json]:
    shop = shop_of(ctx, call)
    return shop, item_of(shop.orders, call.params["order_id"])


def list_lines(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop, order = _order(ctx, call)
        items = [line_view(shop, line) for line in order["lines"].values()]
    return Reply(collection("lines", items, call.query, ctx.config, order_id=order["id"], store_id=shop.record["id"]))


def get_line(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop, order = _order(ctx, call)
        return Reply(line_view(shop, item_of(order["lines"], call.params["line_id"])))


def add_line(ctx: ApiContext, call: Call) -> Reply:
    line = _check_line(body_object(call.body), "", new=True)
    with ctx.db.lock:
        shop, order = _order(ctx, call)
        if line["id"] in order["lines"]:
            raise bad_request(LINE_EXISTS)
        _check_products(shop, [line])
        return Reply(line_view(shop, _store_line(ctx, order, line)))


def patch_line(ctx: ApiContext, call: Call) -> Reply:
    line = {**_check_line(body_object(call.body), "", new=False), "id": call.params["line_id"]}
    with ctx.db.lock:
        shop, order = _order(ctx, call)
        item_of(order["lines"], line["id"])
        _check_products(shop, [line], order["lines"])
        return Reply(line_view(shop, _store_line(ctx, order, line)))


def delete_line(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        _shop, order = _order(ctx, call)
        del order["lines"][item_of(order["lines"], call.params["line_id"])["id"]]
    return Reply(None, 204)
