"""E-commerce stores: ``POST`` needs id, list_id, name, currency_code; a store stays bound to its audience
(``list_id`` cannot change); ids and domains are unique in the account; ``is_syncing`` says the store is loading
history (automations stay quiet)."""

from __future__ import annotations

import re

from sandbox.mailchimp import checks
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import (
    STORE_DOMAIN_EXISTS,
    STORE_EXISTS,
    STORE_LIST_FIXED,
    STORE_LIST_MISSING,
    FieldError,
    bad_request,
    schema_error,
)
from sandbox.mailchimp.lookup import shop_of
from sandbox.mailchimp.params import body_object, collection
from sandbox.mailchimp.store import Shop
from sandbox.mailchimp.values import Json

EDITABLE = (
    "name", "platform", "domain", "is_syncing", "email_address", "currency_code", "money_format", "primary_locale",
    "timezone", "phone", "address",
)  # fmt: skip
_CURRENCY = re.compile(r"[A-Z]{3}")


def view(ctx: ApiContext, shop: Shop) -> Json:
    record = shop.record
    href = f"{ctx.api_url}/ecommerce/stores/{record['id']}"
    return {**record, "list_is_active": True, "_links": [{"rel": "self", "href": href, "method": "GET"}]}


def _check(body: Json) -> None:
    for name in ("id", "list_id", "name", "domain", "platform", "email_address"):
        checks.string(body, name)
    if "currency_code" in body and not _CURRENCY.fullmatch(str(body["currency_code"])):
        raise schema_error([FieldError("currency_code", "Currency code must be a three-letter ISO 4217 code")])
    checks.boolean(body, "is_syncing")


def _domain_taken(ctx: ApiContext, domain: object, own_id: str) -> bool:
    if not domain:
        return False
    wanted = str(domain).strip().lower()
    return any(
        str(shop.record.get("domain") or "").strip().lower() == wanted and store_id != own_id
        for store_id, shop in ctx.db.stores.items()
    )


def create_store(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    checks.require(body, ("id", "list_id", "name", "currency_code"))
    _check(body)
    with ctx.db.lock:
        store_id = body["id"]
        if store_id in ctx.db.stores:
            raise bad_request(STORE_EXISTS)
        if body["list_id"] not in ctx.db.lists:
            raise bad_request(STORE_LIST_MISSING)
        if _domain_taken(ctx, body.get("domain"), store_id):
            raise bad_request(STORE_DOMAIN_EXISTS.format(domain=body["domain"]))
        record: Json = {
            "id": store_id,
            "list_id": body["list_id"],
            "name": body["name"],
            "platform": "",
            "domain": "",
            "is_syncing": False,
            "email_address": "",
            "currency_code": body["currency_code"],
            "money_format": "",
            "primary_locale": "",
            "timezone": "",
            "phone": "",
            "address": {},
            "created_at": ctx.now,
            "updated_at": ctx.now,
        }
        record.update(checks.pick(body, EDITABLE))
        shop = Shop(record)
        ctx.db.stores[store_id] = shop
        return Reply(view(ctx, shop))


def get_store(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        return Reply(view(ctx, shop_of(ctx, call)))


def list_stores(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        items = [view(ctx, shop) for shop in ctx.db.stores.values()]
    return Reply(collection("stores", items, call.query, ctx.config))


def patch_store(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    _check(body)
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        if "list_id" in body and body["list_id"] != shop.record["list_id"]:
            raise bad_request(STORE_LIST_FIXED)  # a store is bound to its audience for life
        if _domain_taken(ctx, body.get("domain"), shop.record["id"]):
            raise bad_request(STORE_DOMAIN_EXISTS.format(domain=body["domain"]))
        shop.record.update(checks.pick(body, EDITABLE))
        shop.record["updated_at"] = ctx.now
        return Reply(view(ctx, shop))


def delete_store(ctx: ApiContext, call: Call) -> Reply:
    """Removes the store with its customers, products and orders (the audience members stay)."""
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        del ctx.db.stores[shop.record["id"]]
    return Reply(None, 204)
