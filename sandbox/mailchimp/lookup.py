"""Finding the resource a call names, or 404 "Resource Not Found". Callers hold the database lock."""

from __future__ import annotations

from sandbox.mailchimp.context import ApiContext, Call
from sandbox.mailchimp.errors import not_found
from sandbox.mailchimp.store import Audience, Shop
from sandbox.mailchimp.values import Json, subscriber_hash


def audience_of(ctx: ApiContext, call: Call) -> Audience:
    audience = ctx.db.lists.get(call.params.get("list_id", ""))
    if audience is None:
        raise not_found()
    return audience


def member_key(segment: str) -> str:
    """The path segment names a member by subscriber hash, or (newer spec) by the address itself."""
    return subscriber_hash(segment) if "@" in segment else segment.lower()


def shop_of(ctx: ApiContext, call: Call) -> Shop:
    shop = ctx.db.stores.get(call.params.get("store_id", ""))
    if shop is None:
        raise not_found()
    return shop


def item_of(table: dict[str, Json], key: str) -> Json:
    record = table.get(key)
    if record is None:
        raise not_found()
    return record
