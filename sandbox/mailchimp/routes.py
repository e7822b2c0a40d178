"""Which operation a request names. Paths are relative to ``/3.0`` (as in a batch operation); the operation names
are what the call log counts and what fault rules match (``members.put``, ``orders.create`` ...).

A known path with another verb is 405 with an ``Allow`` header; an unknown path is 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import unquote


class Op(StrEnum):
    ROOT = "root.get"
    PING = "ping.get"
    LISTS_LIST = "lists.list"
    LISTS_GET = "lists.get"
    LISTS_BATCH_SUBSCRIBE = "lists.batch_subscribe"
    MEMBERS_LIST = "members.list"
    MEMBERS_CREATE = "members.create"
    MEMBERS_GET = "members.get"
    MEMBERS_PUT = "members.put"
    MEMBERS_PATCH = "members.patch"
    MEMBERS_ARCHIVE = "members.archive"
    MEMBERS_DELETE_PERMANENT = "members.delete_permanent"
    MEMBER_TAGS_LIST = "member_tags.list"
    MEMBER_TAGS_UPDATE = "member_tags.update"
    MERGE_FIELDS_LIST = "merge_fields.list"
    MERGE_FIELDS_CREATE = "merge_fields.create"
    MERGE_FIELDS_GET = "merge_fields.get"
    MERGE_FIELDS_PATCH = "merge_fields.patch"
    MERGE_FIELDS_DELETE = "merge_fields.delete"
    BATCHES_LIST = "batches.list"
    BATCHES_CREATE = "batches.create"
    BATCHES_GET = "batches.get"
    BATCHES_DELETE = "batches.delete"
    BATCHES_ARCHIVE = "batches.archive"  # the results download (outside /3.0)
    OAUTH_METADATA = "oauth.metadata"  # login.mailchimp.com/oauth2/metadata, served here
    ACCOUNT_ORDERS = "orders.list_all"
    STORES_LIST = "stores.list"
    STORES_CREATE = "stores.create"
    STORES_GET = "stores.get"
    STORES_PATCH = "stores.patch"
    STORES_DELETE = "stores.delete"
    CUSTOMERS_LIST = "customers.list"
    CUSTOMERS_CREATE = "customers.create"
    CUSTOMERS_GET = "customers.get"
    CUSTOMERS_PUT = "customers.put"
    CUSTOMERS_PATCH = "customers.patch"
    CUSTOMERS_DELETE = "customers.delete"
    PRODUCTS_LIST = "products.list"
    PRODUCTS_CREATE = "products.create"
    PRODUCTS_GET = "products.get"
    PRODUCTS_PUT = "products.put"
    PRODUCTS_PATCH = "products.patch"
    PRODUCTS_DELETE = "products.delete"
    VARIANTS_LIST = "variants.list"
    VARIANTS_CREATE = "variants.create"
    VARIANTS_GET = "variants.get"
    VARIANTS_PUT = "variants.put"
    VARIANTS_PATCH = "variants.patch"
    VARIANTS_DELETE = "variants.delete"
    ORDERS_LIST = "orders.list"
    ORDERS_CREATE = "orders.create"
    ORDERS_GET = "orders.get"
    ORDERS_PATCH = "orders.patch"
    ORDERS_DELETE = "orders.delete"
    LINES_LIST = "lines.list"
    LINES_CREATE = "lines.create"
    LINES_GET = "lines.get"
    LINES_PATCH = "lines.patch"
    LINES_DELETE = "lines.delete"


READS = frozenset(op for op in Op if op.value.endswith((".get", ".list", ".list_all")) or op is Op.BATCHES_ARCHIVE)

_STORE = "/ecommerce/stores/{store_id}"
_PRODUCT = _STORE + "/products/{product_id}"
_ORDER = _STORE + "/orders/{order_id}"
_MEMBER = "/lists/{list_id}/members/{subscriber_hash}"

_TABLE: dict[str, dict[str, Op]] = {
    "/": {"GET": Op.ROOT},
    "/ping": {"GET": Op.PING},
    "/lists": {"GET": Op.LISTS_LIST},
    "/lists/{list_id}": {"GET": Op.LISTS_GET, "POST": Op.LISTS_BATCH_SUBSCRIBE},
    "/lists/{list_id}/members": {"GET": Op.MEMBERS_LIST, "POST": Op.MEMBERS_CREATE},
    _MEMBER: {"GET": Op.MEMBERS_GET, "PUT": Op.MEMBERS_PUT, "PATCH": Op.MEMBERS_PATCH, "DELETE": Op.MEMBERS_ARCHIVE},
    _MEMBER + "/actions/delete-permanent": {"POST": Op.MEMBERS_DELETE_PERMANENT},
    _MEMBER + "/tags": {"GET": Op.MEMBER_TAGS_LIST, "POST": Op.MEMBER_TAGS_UPDATE},
    "/lists/{list_id}/merge-fields": {"GET": Op.MERGE_FIELDS_LIST, "POST": Op.MERGE_FIELDS_CREATE},
    "/lists/{list_id}/merge-fields/{merge_id}": {
        "GET": Op.MERGE_FIELDS_GET,
        "PATCH": Op.MERGE_FIELDS_PATCH,
        "DELETE": Op.MERGE_FIELDS_DELETE,
    },
    "/batches": {"GET": Op.BATCHES_LIST, "POST": Op.BATCHES_CREATE},
    "/batches/{batch_id}": {"GET": Op.BATCHES_GET, "DELETE": Op.BATCHES_DELETE},
    "/ecommerce/orders": {"GET": Op.ACCOUNT_ORDERS},
    "/ecommerce/stores": {"GET": Op.STORES_LIST, "POST": Op.STORES_CREATE},
    _STORE: {"GET": Op.STORES_GET, "PATCH": Op.STORES_PATCH, "DELETE": Op.STORES_DELETE},
    _STORE + "/customers": {"GET": Op.CUSTOMERS_LIST, "POST": Op.CUSTOMERS_CREATE},
    _STORE + "/customers/{customer_id}": {
        "GET": Op.CUSTOMERS_GET,
        "PUT": Op.CUSTOMERS_PUT,
        "PATCH": Op.CUSTOMERS_PATCH,
        "DELETE": Op.CUSTOMERS_DELETE,
    },
    _STORE + "/products": {"GET": Op.PRODUCTS_LIST, "POST": Op.PRODUCTS_CREATE},
    _PRODUCT: {
        "GET": Op.PRODUCTS_GET,
        "PUT": Op.PRODUCTS_PUT,
        "PATCH": Op.PRODUCTS_PATCH,
        "DELETE": Op.PRODUCTS_DELETE,
    },
    _PRODUCT + "/variants": {"GET": Op.VARIANTS_LIST, "POST": Op.VARIANTS_CREATE},
    _PRODUCT + "/variants/{variant_id}": {
        "GET": Op.VARIANTS_GET,
        "PUT": Op.VARIANTS_PUT,
        "PATCH": Op.VARIANTS_PATCH,
        "DELETE": Op.VARIANTS_DELETE,
    },
    _STORE + "/orders": {"GET": Op.ORDERS_LIST, "POST": Op.ORDERS_CREATE},
    _ORDER: {"GET": Op.ORDERS_GET, "PATCH": Op.ORDERS_PATCH, "DELETE": Op.ORDERS_DELETE},  # no PUT (verified)
    _ORDER + "/lines": {"GET": Op.LINES_LIST, "POST": Op.LINES_CREATE},
    _ORDER + "/lines/{line_id}": {"GET": Op.LINES_GET, "PATCH": Op.LINES_PATCH, "DELETE": Op.LINES_DELETE},
}


def _compile(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return re.compile(pattern + "/?" if template != "/" else "/?")


_PATTERNS = [(_compile(template), methods) for template, methods in _TABLE.items()]


@dataclass(frozen=True)
class Route:
    """``op`` None: no route; ``allowed`` then lists the methods the path takes (405), empty for 404."""

    op: Op | None
    params: dict[str, str] = field(default_factory=dict)
    allowed: tuple[str, ...] = ()

    @property
    def write(self) -> bool:
        return self.op is not None and self.op not in READS


def resolve(method: str, path: str, *, product_put: bool = True) -> Route:
    """The route of ``path`` relative to /3.0 (``/lists/abc/members``); path parameters are percent-decoded."""
    for pattern, methods in _PATTERNS:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        allowed = {verb: op for verb, op in methods.items() if product_put or op is not Op.PRODUCTS_PUT}
        op = allowed.get(method.upper())
        if op is None:
            return Route(None, allowed=tuple(allowed))
        return Route(op, {name: unquote(value) for name, value in match.groupdict().items()})
    return Route(None)
