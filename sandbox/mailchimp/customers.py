"""E-commerce customers: client-defined ids (longer than 50 characters: 404, verified), PUT upsert, POST create,
PATCH; the address may not change once set. Their side effects on the store's audience (verified doc):

* an address not yet in the audience is added, ``subscribed`` if ``opt_in_status`` is true, else ``transactional``;
* ``opt_in_status`` false -> true later subscribes a transactional member; true -> false changes nothing;
* an existing member's status is never overridden.
"""

from __future__ import annotations

from sandbox.mailchimp import checks, emails
from sandbox.mailchimp import member_records as records
from sandbox.mailchimp.context import ApiContext, Call, Reply
from sandbox.mailchimp.errors import (
    CUSTOMER_EMAIL_FIXED,
    CUSTOMER_EMAIL_REQUIRED,
    CUSTOMER_EXISTS,
    bad_request,
    invalid_resource,
    not_found,
)
from sandbox.mailchimp.lookup import item_of, shop_of
from sandbox.mailchimp.params import body_object, collection
from sandbox.mailchimp.store import Shop
from sandbox.mailchimp.values import Json, subscriber_hash

EDITABLE = (
    "email_address", "opt_in_status", "company", "first_name", "last_name", "total_spent", "address",
    "sms_phone_number",
)  # fmt: skip


def check_id(ctx: ApiContext, customer_id: str) -> None:
    if len(customer_id) > ctx.config.max_customer_id_length:
        raise not_found()


def _check(body: Json) -> None:
    for name in ("id", "email_address", "company", "first_name", "last_name"):
        checks.string(body, name)
    checks.number(body, "total_spent")
    checks.boolean(body, "opt_in_status")
    if "address" in body:
        checks.obj(body, "address")


def view(ctx: ApiContext, shop: Shop, record: Json) -> Json:
    orders = sum(1 for order in shop.orders.values() if order["_customer_id"] == record["id"])
    href = f"{ctx.api_url}/ecommerce/stores/{shop.record['id']}/customers/{record['id']}"
    return {**record, "orders_count": orders, "_links": [{"rel": "self", "href": href, "method": "GET"}]}


def upsert(ctx: ApiContext, shop: Shop, customer_id: str, body: Json, *, must_exist: bool = False) -> Json:
    """Create or update a customer (orders name theirs this way too). Validates before it changes anything."""
    check_id(ctx, customer_id)
    _check(body)
    record = shop.customers.get(customer_id)
    if record is None:
        if must_exist:
            raise not_found()
        return _create(ctx, shop, customer_id, body)
    email = body.get("email_address")
    if email and str(email).strip().lower() != str(record.get("email_address") or "").strip().lower():
        raise bad_request(CUSTOMER_EMAIL_FIXED)
    was_opted_in = bool(record["opt_in_status"])
    record.update(checks.pick(body, EDITABLE))
    record["updated_at"] = ctx.now
    if not was_opted_in and record["opt_in_status"] is True:
        _sync_member(ctx, shop, record, opted_in_now=True)
    return record


def _create(ctx: ApiContext, shop: Shop, customer_id: str, body: Json) -> Json:
    email = body.get("email_address")
    if not email:
        raise invalid_resource(CUSTOMER_EMAIL_REQUIRED)
    record: Json = {
        "id": customer_id,
        "email_address": emails.normalized(str(email)),
        "opt_in_status": False,  # UNVERIFIED default when absent (the older spec required it)
        "company": "",
        "first_name": "",
        "last_name": "",
        "total_spent": 0,
        "address": {},
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }
    record.update(checks.pick(body, [name for name in EDITABLE if name != "email_address"]))
    shop.customers[customer_id] = record
    _sync_member(ctx, shop, record, opted_in_now=False)
    return record


def _sync_member(ctx: ApiContext, shop: Shop, customer: Json, *, opted_in_now: bool) -> None:
    audience = ctx.db.lists.get(shop.record["list_id"])
    email = customer["email_address"]
    if audience is None:
        return
    key = subscriber_hash(email)
    member = audience.members.get(key)
    if member is None:
        if key in audience.forgotten or emails.refusal(email, ctx.config.fake_email_patterns) is not None:
            return  # UNVERIFIED: the customer is kept, no member is made
        status = "subscribed" if customer["opt_in_status"] is True else "transactional"
        names = {"FNAME": customer.get("first_name") or "", "LNAME": customer.get("last_name") or ""}
        audience.members[key] = records.new_record(
            ctx, audience, email, status, {tag: value for tag, value in names.items() if value}
        )
    elif opted_in_now and member["status"] == "transactional":
        records.set_status(ctx, member, "subscribed")


# ---------------------------------------------------------------------------------------------- operations
def list_customers(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        items = [view(ctx, shop, record) for record in shop.customers.values()]
    wanted = call.query.get("email_address")
    if wanted:
        items = [item for item in items if str(item["email_address"]).lower() == wanted.strip().lower()]
    return Reply(collection("customers", items, call.query, ctx.config, store_id=shop.record["id"]))


def get_customer(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        check_id(ctx, call.params["customer_id"])
        return Reply(view(ctx, shop, item_of(shop.customers, call.params["customer_id"])))


def add_customer(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    checks.require(body, ("id",))
    checks.string(body, "id")
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        check_id(ctx, body["id"])
        if body["id"] in shop.customers:
            raise bad_request(CUSTOMER_EXISTS)
        return Reply(view(ctx, shop, upsert(ctx, shop, body["id"], body)))


def put_customer(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        return Reply(view(ctx, shop, upsert(ctx, shop, call.params["customer_id"], body)))


def patch_customer(ctx: ApiContext, call: Call) -> Reply:
    body = body_object(call.body)
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        return Reply(view(ctx, shop, upsert(ctx, shop, call.params["customer_id"], body, must_exist=True)))


def delete_customer(ctx: ApiContext, call: Call) -> Reply:
    with ctx.db.lock:
        shop = shop_of(ctx, call)
        check_id(ctx, call.params["customer_id"])
        del shop.customers[item_of(shop.customers, call.params["customer_id"])["id"]]
    return Reply(None, 204)
