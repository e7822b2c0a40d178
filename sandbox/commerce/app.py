"""The Adobe Commerce Web API simulator: route (404 first, like Magento), authenticate (401),
then the operation; ``fields=`` projection and null-free JSON on the way out."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, ClassVar

from sandbox.commerce.auth import authenticate
from sandbox.commerce.config import CommerceSimConfig, Flavour
from sandbox.commerce.errors import GET_WITH_ALL, WebapiError, internal_error, json_response, no_route, not_authorized
from sandbox.commerce.faults import COMMERCE_FAULT_KINDS, CommerceFault
from sandbox.commerce.ims import TOKEN_PATH, ImsTokens, token_endpoint
from sandbox.commerce.oauth import OAuthVerifier
from sandbox.commerce.operations import OPERATIONS, ApiContext
from sandbox.commerce.projection import parse_fields, project
from sandbox.commerce.routes import Op, Route, route
from sandbox.commerce.sales import invoice_order, open_quantities
from sandbox.commerce.seed import TrickyIds, make_order, seed_store
from sandbox.commerce.store import Store
from sandbox.commerce.values import Record, stamp
from sandbox.core.clock import SimClock
from sandbox.core.credentials import Credentials
from sandbox.core.faults import FaultRule, RequestInfo
from sandbox.core.messages import SimRequest, SimResponse
from sandbox.core.pages import html_error_page
from sandbox.core.simulator import Simulator

API_LISTENER = "api"
IMS_LISTENER = "ims"
INVALID_METHOD = "Request method is invalid."  # UNVERIFIED: Rest\Request's InputException, HTTP 400


def _without_nulls(value: Any) -> Any:
    """Many Commerce versions omit null fields from responses (reference §5.1)."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


class CommerceSimulator(Simulator):
    name: ClassVar[str] = "commerce"
    listener_names: ClassVar[tuple[str, ...]] = (API_LISTENER, IMS_LISTENER)
    custom_fault_kinds: ClassVar[frozenset[str]] = COMMERCE_FAULT_KINDS

    def __init__(
        self,
        *,
        seed: int = 0,
        size: int = 40,
        config: CommerceSimConfig | None = None,
        clock: SimClock | None = None,
        latency: float = 0.0,
    ) -> None:
        super().__init__(seed=seed, clock=clock, latency=latency)
        self.config = config if config is not None else CommerceSimConfig()
        self.store = Store()
        self.tricky: TrickyIds = seed_store(self.store, seed, size, tricky=self.config.include_tricky_records)
        self.oauth = OAuthVerifier(lambda: self.config, lambda: self.clock.now().timestamp())
        self.ims_tokens = ImsTokens(self.clock.now)
        from sandbox.commerce.webhooks import WebhookEmitter  # noqa: PLC0415 - requests only when used

        self.webhooks = WebhookEmitter()

    # ------------------------------------------------------------------ URLs and credentials
    @property
    def api_url(self) -> str:
        return self.urls[API_LISTENER]

    @property
    def ims_url(self) -> str:
        return self.urls[IMS_LISTENER]

    @property
    def credentials(self) -> Credentials:
        return self.config.credentials(self.api_url, self.ims_url)

    def credentials_for(self, flavour: Flavour) -> Credentials:
        return self.config.credentials(self.api_url, self.ims_url, flavour)

    # ------------------------------------------------------------------ state helpers for tests
    def now_stamp(self) -> str:
        return stamp(self.clock.now())

    @property
    def orders(self) -> dict[int, Record]:
        return self.store.snapshot("orders")

    @property
    def invoices(self) -> dict[int, Record]:
        return self.store.snapshot("invoices")

    @property
    def credit_memos(self) -> dict[int, Record]:
        return self.store.snapshot("creditmemos")

    @property
    def customers(self) -> dict[int, Record]:
        return self.store.snapshot("customers")

    @property
    def companies(self) -> dict[int, Record]:
        return self.store.snapshot("companies")

    @property
    def purchase_orders(self) -> dict[int, Record]:
        """B2B purchase orders (header + items). Read-only: Commerce has no admin REST route for them."""
        return self.store.snapshot("purchase_orders")

    def update_order(self, order_id: int, fields: Mapping[str, Any]) -> Record:
        """Change an order like an Admin user: ``updated_at`` moves. KeyError when it does not exist."""
        return self._update("orders", order_id, fields)

    def update_customer(self, customer_id: int, fields: Mapping[str, Any]) -> Record:
        return self._update("customers", customer_id, fields)

    def _update(self, table: str, record_id: int, fields: Mapping[str, Any]) -> Record:
        with self.store.lock:
            record = self.store.get(table, record_id)
            if record is None:
                raise KeyError(f"no {table} record {record_id}")
            record.update(copy.deepcopy(dict(fields)))
            record["updated_at"] = self.now_stamp()
            return copy.deepcopy(record)

    def add_order(
        self,
        *,
        customer_id: int | None = None,
        email: str | None = None,
        lines: list[tuple[str, str, float, float]] | None = None,
        currency: str = "USD",
        invoiced: bool = False,
    ) -> Record:
        """Place an order (``lines`` = (sku, name, price, qty)); a guest order when no customer_id."""
        import random  # noqa: PLC0415

        with self.store.lock:
            customer = None if customer_id is None else self.store.get("customers", customer_id)
            if customer_id is not None and customer is None:
                raise KeyError(f"no customer {customer_id}")
            order = make_order(
                self.store,
                random.Random(f"add:{self.seed}:{self.store.next_id('added')}"),
                customer=customer,
                email=email if email is not None else (customer or {}).get("email"),
                lines=lines if lines is not None else [("24-MB01", "Joust Duffle Bag", 34.0, 1.0)],
                currency=currency,
                when=self.clock.now(),
            )
            if invoiced:
                invoice = invoice_order(
                    order, self.store.next_id("invoices"), open_quantities(order, "qty_invoiced"), self.now_stamp()
                )
                self.store.put("invoices", invoice)
            return copy.deepcopy(order)

    def expire_tokens(self) -> int:
        """Every IMS token issued so far expires now (the SaaS client must mint a new one)."""
        return self.ims_tokens.expire_all()

    # ------------------------------------------------------------------ the simulator protocol
    def describe(self, request: SimRequest) -> RequestInfo:
        if request.listener == IMS_LISTENER:
            return RequestInfo((Op.IMS_TOKEN.value,), False, None, None)
        found = route(request.method, request.path, self.config)
        operations = (found.op.value,) if found.op is not None else ()
        return RequestInfo(operations, found.write, found.tenant, found)

    def handle(self, request: SimRequest, info: RequestInfo, fault: FaultRule | None) -> SimResponse:
        if request.listener == IMS_LISTENER:
            if request.path != TOKEN_PATH:
                return SimResponse.text(html_error_page(404), 404, "text/html; charset=UTF-8")
            return token_endpoint(request, self.config, self.ims_tokens)
        found = info.parsed
        assert isinstance(found, Route)
        try:
            return self._api(request, found, fault)
        except WebapiError as exc:
            return exc.response()

    def _api(self, request: SimRequest, found: Route, fault: FaultRule | None) -> SimResponse:
        if found.problem == "not_api":
            return SimResponse.text(html_error_page(404), 404, "text/html; charset=UTF-8")
        if found.b2b and not self.config.b2b_installed:
            raise no_route()
        if found.problem == "method":
            raise WebapiError(400, INVALID_METHOD)
        if found.problem == "store_all":
            raise WebapiError(400, GET_WITH_ALL)
        if found.op is None:
            raise no_route()
        if fault is not None and fault.kind == CommerceFault.EXPIRE_TOKENS:
            self.expire_tokens()
        refusal = authenticate(request, found, self.config, self.oauth, self.ims_tokens)
        if refusal is not None:
            raise refusal
        if fault is not None and fault.kind == CommerceFault.UNAUTHORIZED:
            raise not_authorized(found.acl)
        if fault is not None and fault.kind == CommerceFault.INTERNAL_ERROR:
            raise internal_error(f"{fault.id:06x}")
        selection = None
        if "fields" in request.query:
            try:
                selection = parse_fields(request.query["fields"][-1])
            except ValueError:
                selection = None  # UNVERIFIED: Magento ignores a fields filter it cannot parse
        context = ApiContext(self.config, self.store, self.now_stamp())
        payload = OPERATIONS[found.op](context, request, found)
        return json_response(project(_without_nulls(payload), selection))
