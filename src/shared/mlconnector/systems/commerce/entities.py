"""The searchable Commerce entities: list and get routes, id fields, and whether a route needs B2B.

Purchase orders: the reference (§6) found no admin REST list/get route; their paths here are UNVERIFIED
assumptions (change them per instance, e.g. for an extension that adds them). A store without such a route
answers 404 "Request does not match any route.", reported as B2BUnavailable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    name: str
    search_path: str
    get_path: str
    """With `{id}`."""
    id_key: str = "entity_id"
    """The id's key in a returned item."""
    id_filter: str = "entity_id"
    """The id's name in searchCriteria filters and sort orders."""
    b2b: bool = False
    label: str = ""

    def get(self, entity_id: int | str) -> str:
        text = str(entity_id)
        if not text.isdigit():
            raise ValueError(f"{self.name} id must be a positive integer, got {text[:20]!r}")
        return self.get_path.format(id=text)

    @property
    def what(self) -> str:
        return self.label or self.name


ORDERS = Entity("orders", "V1/orders", "V1/orders/{id}", label="order")
INVOICES = Entity("invoices", "V1/invoices", "V1/invoices/{id}", label="invoice")
CREDIT_MEMOS = Entity("creditmemos", "V1/creditmemos", "V1/creditmemo/{id}", label="credit memo")
# Customers come back keyed `id`; the collection filters and sorts on `entity_id` (UNVERIFIED for every version).
CUSTOMERS = Entity("customers", "V1/customers/search", "V1/customers/{id}", id_key="id", label="customer")
COMPANIES = Entity("companies", "V1/company/", "V1/company/{id}", id_key="id", b2b=True, label="company")
PURCHASE_ORDERS = Entity(
    "purchase_orders", "V1/purchaseorders", "V1/purchaseorders/{id}", b2b=True, label="purchase order"
)

ENTITIES: dict[str, Entity] = {
    e.name: e for e in (ORDERS, INVOICES, CREDIT_MEMOS, CUSTOMERS, COMPANIES, PURCHASE_ORDERS)
}


def entity(name: str | Entity) -> Entity:
    if isinstance(name, Entity):
        return name
    try:
        return ENTITIES[name]
    except KeyError:
        raise ValueError(f"unknown Commerce entity {name!r}; known: {', '.join(sorted(ENTITIES))}") from None
