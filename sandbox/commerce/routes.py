"""Which operation a request names: host layout (PaaS ``/rest[/{store}]/V1``, SaaS ``/{tenant}/V1``),
store code, the Web API route, its ACL resource, and whether it belongs to the B2B modules.

Magento's router is per HTTP method: a known path with another verb does not match any route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sandbox.commerce.config import CommerceSimConfig, Flavour


class Op(StrEnum):
    ORDERS_LIST = "orders.list"
    ORDERS_GET = "orders.get"
    ORDERS_INVOICE = "orders.invoice"
    ORDERS_REFUND = "orders.refund"
    INVOICES_LIST = "invoices.list"
    INVOICES_GET = "invoices.get"
    CREDITMEMOS_LIST = "creditmemos.list"
    CREDITMEMOS_GET = "creditmemos.get"
    CUSTOMERS_SEARCH = "customers.search"
    CUSTOMERS_GET = "customers.get"
    CUSTOMERS_CREATE = "customers.create"
    CUSTOMERS_UPDATE = "customers.update"
    COMPANIES_LIST = "companies.list"
    COMPANIES_GET = "companies.get"
    COMPANIES_CREATE = "companies.create"
    COMPANIES_UPDATE = "companies.update"
    PURCHASE_ORDERS_LIST = "purchase_orders.list"
    PURCHASE_ORDERS_GET = "purchase_orders.get"
    IMS_TOKEN = "ims.token"  # noqa: S105 - an operation name


@dataclass(frozen=True)
class _Spec:
    method: str
    pattern: re.Pattern[str]
    op: Op
    acl: str  # the ACL resource the route requires (typical 2.4 values; exact ids per route UNVERIFIED)
    write: bool = False


def _spec(method: str, pattern: str, op: Op, acl: str, *, write: bool = False) -> _Spec:
    return _Spec(method, re.compile(pattern), op, acl, write)


SPECS = (
    _spec("GET", r"/V1/orders", Op.ORDERS_LIST, "Magento_Sales::actions_view"),
    _spec("GET", r"/V1/orders/(\d+)", Op.ORDERS_GET, "Magento_Sales::actions_view"),
    _spec("POST", r"/V1/order/(\d+)/invoice", Op.ORDERS_INVOICE, "Magento_Sales::invoice", write=True),
    _spec("POST", r"/V1/order/(\d+)/refund", Op.ORDERS_REFUND, "Magento_Sales::creditmemo", write=True),
    _spec("GET", r"/V1/invoices", Op.INVOICES_LIST, "Magento_Sales::sales_invoice"),
    _spec("GET", r"/V1/invoices/(\d+)", Op.INVOICES_GET, "Magento_Sales::sales_invoice"),
    _spec("GET", r"/V1/creditmemos", Op.CREDITMEMOS_LIST, "Magento_Sales::sales_creditmemo"),
    _spec("GET", r"/V1/creditmemo/(\d+)", Op.CREDITMEMOS_GET, "Magento_Sales::sales_creditmemo"),
    _spec("GET", r"/V1/customers/search", Op.CUSTOMERS_SEARCH, "Magento_Customer::customer"),
    _spec("GET", r"/V1/customers/(\d+)", Op.CUSTOMERS_GET, "Magento_Customer::customer"),
    _spec("POST", r"/V1/customers", Op.CUSTOMERS_CREATE, "Magento_Customer::manage", write=True),
    _spec("PUT", r"/V1/customers/(\d+)", Op.CUSTOMERS_UPDATE, "Magento_Customer::manage", write=True),
    _spec("GET", r"/V1/company/?", Op.COMPANIES_LIST, "Magento_Company::index"),
    _spec("GET", r"/V1/company/(\d+)", Op.COMPANIES_GET, "Magento_Company::index"),
    _spec("POST", r"/V1/company/?", Op.COMPANIES_CREATE, "Magento_Company::manage", write=True),
    _spec("PUT", r"/V1/company/(\d+)", Op.COMPANIES_UPDATE, "Magento_Company::manage", write=True),
)
# Routes of the B2B modules (reference §6): all 404 when B2B is not installed. Purchase orders have
# no admin REST route (GraphQL only): /V1/purchaseorders is an unknown route unless the config serves one.
B2B_PREFIXES = (
    "/V1/company", "/V1/negotiableQuote", "/V1/negotiable-carts", "/V1/sharedCatalog",
    "/V1/purchase-order-carts", "/V1/team", "/V1/hierarchy", "/V1/carts/mine/po-payment-information",
)  # fmt: skip
WEBAPI_METHODS = frozenset({"GET", "POST", "PUT", "DELETE"})
_PAAS = re.compile(r"/rest(?:/([^/]+))?(/V1/.*)")
_SAAS = re.compile(r"/([^/]+)(/V1/.*)")
PURCHASE_ORDER_ACL = "Magento_PurchaseOrder::view_purchase_orders"  # UNVERIFIED: an extension's own resource


def _purchase_order_specs(config: CommerceSimConfig) -> tuple[_Spec, ...]:
    """The extension route of config.purchase_order_route (UNVERIFIED), or nothing."""
    if not config.purchase_order_route:
        return ()
    path = re.escape(config.purchase_order_path)
    return (
        _spec("GET", path, Op.PURCHASE_ORDERS_LIST, PURCHASE_ORDER_ACL),
        _spec("GET", rf"{path}/(\d+)", Op.PURCHASE_ORDERS_GET, PURCHASE_ORDER_ACL),
    )


@dataclass(frozen=True)
class Route:
    """``op`` None: a Web API path that matches no route (404) — ``problem`` says why if not that."""

    flavour: Flavour | None
    op: Op | None = None
    acl: str = ""
    write: bool = False
    entity_id: int | None = None
    store: str | None = None
    tenant: str | None = None
    problem: str | None = None  # "not_api" (no Web API path), "method", "store_all"
    b2b: bool = False


def _resource(
    method: str, tail: str, flavour: Flavour, store: str | None, tenant: str | None, *, config: CommerceSimConfig
) -> Route:
    extension = _purchase_order_specs(config)
    b2b = tail.startswith(B2B_PREFIXES) or any(spec.pattern.fullmatch(tail) for spec in extension)
    if method not in WEBAPI_METHODS:
        return Route(flavour, store=store, tenant=tenant, problem="method", b2b=b2b)
    for spec in (*SPECS, *extension):
        if spec.method != method:
            continue
        match = spec.pattern.fullmatch(tail)
        if match is not None:
            entity = int(match.group(1)) if match.groups() else None
            return Route(flavour, spec.op, spec.acl, spec.write, entity, store, tenant, b2b=b2b)
    return Route(flavour, store=store, tenant=tenant, b2b=b2b)


def route(method: str, path: str, config: CommerceSimConfig) -> Route:
    method = method.upper()
    paas = _PAAS.fullmatch(path)
    if paas is not None and config.serves("paas"):
        store, tail = paas.group(1), paas.group(2)
        if store is not None and store != "all" and store not in config.store_codes:
            return Route("paas", store=store)  # the segment is no store code: part of the path, no route
        if store == "all" and method == "GET":
            return Route("paas", store=store, problem="store_all")
        return _resource(method, tail, "paas", store, None, config=config)
    saas = _SAAS.fullmatch(path)
    if saas is not None and config.serves("saas"):
        tenant, tail = saas.group(1), saas.group(2)
        if tenant != config.tenant_id:
            return Route("saas", tenant=tenant)
        return _resource(method, tail, "saas", None, tenant, config=config)
    return Route(None, problem="not_api")
