"""E-commerce products and their variants. ``POST`` needs id, title and at least one variant (id, title; a variant
may reuse the product's id and title); a duplicate id is 400 (verified text). Product ``PUT`` (upsert) exists in
the newer spec only (config.product_put); variants have PUT upsert, POST and PATCH (SDK 3.0.80)."""

from __future__ import annotations

from sandbox.mailchimp import checks
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import PRODUCT_EXISTS, VARIANT_EXISTS, FieldError, bad_request, schema_error
from sandbox.mailchimp.lookup import item_of, shop_of
from sandbox.mailchimp.params import body_object, collection
from sandbox.mailchimp.store import Shop
from sandbox.mailchimp.values import Json

PRODUCT_FIELDS = (
    "title", "handle", "url", "description", "type", "vendor", "image_url", "images", "published_at_foreign",
)  # fmt: skip
VARIANT_FIELDS = ("title", "url", "sku", "price", "inventory_quantity", "image_url", "backorders", "visibility")


def _check_variant(body: Json, where: str) -> None:
    for name in ("id", "title", "url", "sku", "image_url", "backorders", "visibility"):
        checks.string(body, name, where)
    checks.number(body, "price", where)
    checks.integer(body, "inventory_quantity", where)


def _variants(body: Json, *, required: bool) -> list[Json]:
    if "variants" not in body:
        return []
    items: list[Json] = checks.array(body, "variants")
    if required and not items:  # UNVERIFIED message
        raise schema_error([FieldError("variants", "A product must have at least one variant")])
    problems: list[FieldError] = []
    for index, item in enumerate(items):
        where = f"variants.item:{index}"
        if not isinstance(item, dict):
            raise schema_error([FieldError(where, "Schema describes object")])
        problem = checks.missing(item, ("id",), where)
        if problem is not None:
            problems.append(problem)
        else:
            _check_variant(item, where)
    if problems:
        raise schema_error(problems)
    return items


def _new_variant(ctx: ApiContext, body: Json, where: str) -> Json:
    checks.require(body, ("id", "title"), where)
    variant: Json = {"id": body["id"], "title": body["title"], "url": "", "sku": "", "price": 0}
    variant.update(inventory_quantity=0, image_url="", backorders="", visibility="")
    variant.update(checks.pick(body, VARIANT_FIELDS), created_at=ctx.now, updated_at=ctx.now)
    return variant


def _upsert_variant(ctx: ApiContext, product: Json, body: Json, where: str) -> Json:
    existing: Json | None = product["variants"].get(body["id"])
    if existing is None:
        variant = _new_variant(ctx, body, where)
        product["variants"][variant["id"]] = variant
        return variant
    existing.update(checks.pick(body, VARIANT_FIELDS), updated_at=ctx.now)
    return existing


def variant_view(variant: Json) -> Json:
    return dict(variant)


def view(ctx: ApiContext, shop: Shop, product: Json) -> Json:
    shown = {key: value for key, value in product.items() if key != "variants"}
    href = f"{ctx.api_url}/ecommerce/stores/{shop.record['id']}/products/{product['id']}"
    shown.update(
        currency_code=shop.record["currency_code"],
        variants=[variant_view(variant) for variant in product["variants"].values()],
        _links=[{"rel": "self", "href": href, "method": "GET"}],
    )
    return shown


def _create(ctx: ApiContext, shop: Shop, product_id: str, body: Json) -> Json:
    checks.require(body, ("id", "title", "variants"))
    variants = _variants(body, required=True)
    for index, item in enumerate(variants):
        checks.require(item, ("id", "title"), f"variants.item:{index}")
    product: Json = {"id": product_id, "title": body["title"], "handle": "", "url": "", "description": ""}
    product.update(type="", vendor="", image_url="", images=[], published_at_foreign="")
    product.update(checks.pick(body, PRODUCT_FIELDS), created_at=ctx.now, updated_at=ctx.now, variants={})
    for index, item in enumerate(variants):
        _upsert_variant(ctx, product, item, f"variants.item:{index}")
    shop.products[product_id] = product
    return product


def _update(ctx: ApiContext, product: Json, body: Json) -> Json:
    variants = _variants(body, required=False)
    for index, item in enumerate(variants):  # validate every new variant before changing anything
        if item["id"] not in product["variants"]:
            checks.require(item, ("id", "title"), f"variants.item:{index}")
    product.update(checks.pick(body, PRODUCT_FIELDS), updated_at=ctx.now)
    for index, item in enumerate(variants):
        _upsert_variant(ctx, product, item, f"variants.item:{index}")
    return product


# ---------------------------------------------------------------------------------------------- products
def list_products(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        items = [view(ctx, shop, product) for product in shop.products.values()]
    return Reply(collection("products", items, call.query, ctx.config, store_id=shop.record["id"]))


def get_product(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        return Reply(view(ctx, shop, item_of(shop.products, call.params["product_id"])))


def add_product(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    checks.require(body, ("id", "title", "variants"))
    for name in ("id", "title", "url", "description", "type", "vendor", "image_url"):
        checks.string(body, name)
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        if body["id"] in shop.products:
            raise bad_request(PRODUCT_EXISTS)
        return Reply(view(ctx, shop, _create(ctx, shop, body["id"], body)))


def put_product(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    product_id = call.params["product_id"]
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        existing = shop.products.get(product_id)
        if existing is None:
            product = _create(ctx, shop, product_id, {**body, "id": product_id})
        else:
            product = _update(ctx, existing, body)
        return Reply(view(ctx, shop, product))


def patch_product(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        product = _update(ctx, item_of(shop.products, call.params["product_id"]), body)
        return Reply(view(ctx, shop, product))


def delete_product(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        del shop.products[item_of(shop.products, call.params["product_id"])["id"]]
    return Reply(None, 204)


# ---------------------------------------------------------------------------------------------- variants
def _product(ctx: ApiContext, call: Call) -> Json:
    return item_of(shop_of(ctx, call).products, call.params["product_id"])


def list_variants(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        items = [variant_view(variant) for variant in _product(ctx, call)["variants"].values()]
    return Reply(collection("variants", items, call.query, ctx.config, product_id=call.params["product_id"]))


def get_variant(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        return Reply(variant_view(item_of(_product(ctx, call)["variants"], call.params["variant_id"])))


def add_variant(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    checks.require(body, ("id", "title"))
    _check_variant(body, "")
    with ctx.db.lock:
        product = _product(ctx, call)
        if body["id"] in product["variants"]:
            raise bad_request(VARIANT_EXISTS)
        return Reply(variant_view(_upsert_variant(ctx, product, body, "")))


def put_variant(ctx: ApiContext, call: Call) -> Reply:
    body = {**body_object(call.body), "id": call.params["variant_id"]}
    _check_variant(body, "")
    with ctx.db.lock:
        return Reply(variant_view(_upsert_variant(ctx, _product(ctx, call), body, "")))


def patch_variant(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    _check_variant(body, "")
    with ctx.db.lock:
        product = _product(ctx, call)
        variant = item_of(product["variants"], call.params["variant_id"])
        variant.update(checks.pick(body, VARIANT_FIELDS), updated_at=ctx.now)
        return Reply(variant_view(variant))


def delete_variant(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        product = _product(ctx, call)
        del product["variants"][item_of(product["variants"], call.params["variant_id"])["id"]]
    return Reply(None, 204)
