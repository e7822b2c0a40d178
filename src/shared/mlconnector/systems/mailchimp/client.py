"""The Mailchimp Marketing API v3 client: audiences and members, merge fields and tags, e-commerce (stores,
customers, products, orders) and batch operations.

Sending, counting, retries (429, 5xx, lost connections, Retry-After), and the deadline are the shared request
core's; what is Mailchimp's own plugs in: the data centre (endpoint.py), Basic or Bearer auth (auth.py), problem+json
classification (classify.py), and a call budget of 10 connections at once, shared by every stream of a run.

Every call is retried, creates included: ids are ours (store, customer, product, order and line ids; members keyed
by the email's hash), so a create repeated after a lost reply answers "already exists", which `create_product` and
`create_order` report as False: the caller then PATCHes or reads back. Nothing is ever created twice.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypedDict, Unpack
from urllib.parse import quote

from mlconnector.call_budget import CallBudget
from mlconnector.http import (
    Deadline,
    HttpPolicy,
    HttpReply,
    HttpRequest,
    Jitter,
    RequestsTransport,
    Sleep,
    Transport,
    retry_after_from,
)
from mlconnector.request_core import RequestCore
from mlconnector.systems.mailchimp import batches
from mlconnector.systems.mailchimp.auth import authorization, metadata_request, root_from_metadata
from mlconnector.systems.mailchimp.batches import BatchStatus, Operation, OperationOutcome, PollPolicy
from mlconnector.systems.mailchimp.classify import ERRORS, http_failure
from mlconnector.systems.mailchimp.credentials import MailchimpCredentials
from mlconnector.systems.mailchimp.endpoint import check_archive_url, data_centre_of_root
from mlconnector.systems.mailchimp.errors import (
    AlreadyExists,
    ConfigurationError,
    NotFound,
    ParseError,
    RecordError,
    TransientError,
)
from mlconnector.systems.mailchimp.members import (
    MemberOutcome,
    MergeField,
    check_members,
    match_outcomes,
    merge_field_of,
    normalise_email,
    subscriber_hash,
)

_log = logging.getLogger(__name__)

USER_AGENT = "ml-connector-mailchimp/0.1"
JSON_TYPE = "application/json"
DEFAULT_HTTP = HttpPolicy(connect_timeout=5.0, read_timeout=125.0)
"""Read timeout above Mailchimp's own 120 s limit per request."""
MAX_IN_FLIGHT = 10
"""Mailchimp's limit: 10 simultaneous connections per account (more are refused with 429)."""
MERGE_FIELD_PAGE = 1000
ORDER_PAGE = 500
"""Orders per page: heavy collections can time out (504) at count=1000 (reference §2)."""

Json = dict[str, Any]


class _Request(TypedDict, total=False):
    params: Mapping[str, str | int] | None
    """Query parameters."""
    body: Mapping[str, Any] | None
    """Sent as JSON."""


def call_budget(*, clock: Callable[[], float] = time.monotonic, sleep: Sleep = time.sleep) -> CallBudget:
    """Mailchimp's limit as a call budget: 10 connections at once, no rate window."""
    return CallBudget(max_calls=None, max_concurrent=MAX_IN_FLIGHT, system="Mailchimp", clock=clock, sleep=sleep)


class MailchimpClient:
    def __init__(
        self,
        credentials: MailchimpCredentials,
        *,
        budget: CallBudget | None = None,
        http: HttpPolicy | None = None,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
        deadline: Deadline | None = None,
        sleep: Sleep = time.sleep,
        jitter: Jitter = random.random,
        poll: PollPolicy | None = None,
    ) -> None:
        """`budget`: the 10-connection limit, shared by every stream using this client (the spec's factory builds
        one per client, and a connection builds one client per system); without one the client keeps its own."""
        self._credentials = credentials
        self._secrets = credentials.secrets()
        self._budget = budget or call_budget(sleep=sleep)
        self._core = RequestCore(
            ERRORS,
            http=http or DEFAULT_HTTP,
            transport=transport or RequestsTransport(USER_AGENT, {"Accept": JSON_TYPE}),
            log=_log,
            clock=clock,
            deadline=deadline,
            sleep=sleep,
            jitter=jitter,
        )
        self._clock = clock
        self._deadline = deadline
        self._sleep = sleep
        self._poll = poll or PollPolicy()
        self._root = credentials.root
        self._root_lock = threading.Lock()

    @property
    def calls(self) -> int:
        """HTTP requests sent (API, OAuth metadata and batch archives), retries included."""
        return self._core.calls

    @property
    def credentials(self) -> MailchimpCredentials:
        return self._credentials

    def root(self) -> str:
        """The API root (`https://us6.api.mailchimp.com/3.0`); for an OAuth token, looked up once."""
        with self._root_lock:
            if self._root is None:
                self._root = self._metadata_root()
            return self._root

    @property
    def data_centre(self) -> str:
        """us6, us21, ...; "" when the client talks to a sandbox host."""
        return data_centre_of_root(self.root())

    # ----------------------------------------------------------------- account

    def ping(self) -> None:
        """GET /ping: the key, its data centre and the API answer."""
        self._call("GET", "/ping", what="Mailchimp ping")

    def account(self) -> Json:
        """GET /: the account (account_id, account_name, email, ...)."""
        return self._call("GET", "/", what="Mailchimp account")

    # ----------------------------------------------------------------- audiences and members

    def audience(self, list_id: str) -> Json:
        """GET /lists/{id}. ConfigurationError naming the id when there is no such audience."""
        with _must_exist(f"audience {list_id}", "check list_id in the Mailchimp secret"):
            return self._call("GET", f"/lists/{_seg(list_id)}", what=f"Mailchimp audience {list_id}")

    def merge_fields(self, list_id: str) -> list[MergeField]:
        """Every merge field of the audience (pages of 1000). ConfigurationError when there is no such audience."""
        what = f"Mailchimp merge fields of audience {list_id}"
        with _must_exist(f"audience {list_id}", "check list_id in the Mailchimp secret"):
            items = self._pages(f"/lists/{_seg(list_id)}/merge-fields", "merge_fields", what, MERGE_FIELD_PAGE)
            return [merge_field_of(item) for item in items]

    def batch_subscribe(
        self, list_id: str, members: Sequence[Mapping[str, Any]], *, update_existing: bool = True
    ) -> list[MemberOutcome]:
        """POST /lists/{id}: add or update up to 500 members in one call (ValueError beyond, or for a member
        without email_address). Returns exactly one MemberOutcome per input member, in input order, matched by
        lower-cased email; per-member refusals are classified like any record error (compliance state, forgotten
        and fake addresses are permanent; an existing member with update_existing false is AlreadyExists).

        With update_existing true a `status` sent is applied to existing members: send only `status_if_new` to
        leave consent alone. ConfigurationError when there is no such audience."""
        check_members(members)
        if not members:
            return []
        what = f"Mailchimp batch subscribe to audience {list_id}"
        body = {"members": [dict(m) for m in members], "update_existing": update_existing}
        with _must_exist(f"audience {list_id}", "check list_id in the Mailchimp secret"):
            reply = self._call("POST", f"/lists/{_seg(list_id)}", what=what, body=body)
        return match_outcomes(members, reply, what=what, secrets=self._secrets)

    def upsert_member(self, list_id: str, member: Mapping[str, Any]) -> Json:
        """PUT /lists/{id}/members/{md5(lower(email))}: add or update one member (send `status_if_new`, and
        `status` only to change consent). RecordError (permanent for compliance/forgotten/fake) when refused."""
        email = member.get("email_address")
        if not isinstance(email, str) or not email.strip():
            raise ValueError("the member has no email_address")
        path = f"/lists/{_seg(list_id)}/members/{subscriber_hash(email)}"
        return self._call("PUT", path, what=f"Mailchimp upsert member of audience {list_id}", body=dict(member))

    def member(self, list_id: str, email: str) -> Json | None:
        """GET /lists/{id}/members/{hash}; None when there is no such member (or no such audience)."""
        path = f"/lists/{_seg(list_id)}/members/{subscriber_hash(email)}"
        return self._optional(path, what=f"Mailchimp member of audience {list_id}")

    def update_member_tags(self, list_id: str, email: str, active: Sequence[str], inactive: Sequence[str] = ()) -> None:
        """POST /lists/{id}/members/{hash}/tags (204): add `active` tags, remove `inactive` ones, with
        `is_syncing: true` so no tag-triggered automation fires. Tags sent on an upsert only apply to a new member:
        this is how an existing member's tags change. NotFound when the member does not exist."""
        tags = [{"name": name, "status": "active"} for name in active]
        tags += [{"name": name, "status": "inactive"} for name in inactive]
        if not tags:
            return
        path = f"/lists/{_seg(list_id)}/members/{subscriber_hash(email)}/tags"
        body = {"tags": tags, "is_syncing": True}
        self._call("POST", path, what=f"Mailchimp tags of a member of audience {list_id}", body=body)

    # ----------------------------------------------------------------- e-commerce

    def stores(self, *, count: int = 1000) -> list[Json]:
        """GET /ecommerce/stores (one page): also how ping checks the e-commerce permission."""
        reply = self._call("GET", "/ecommerce/stores", what="Mailchimp e-commerce stores", params={"count": count})
        return _items(reply, "stores", "Mailchimp e-commerce stores")

    def store(self, store_id: str) -> Json | None:
        """GET /ecommerce/stores/{id}; None when there is no such store."""
        return self._optional(f"/ecommerce/stores/{_seg(store_id)}", what=f"Mailchimp store {store_id}")

    def create_store(self, body: Mapping[str, Any]) -> Json:
        """POST /ecommerce/stores (id, list_id, name, currency_code required). A store is bound to its audience
        for life. AlreadyExists when a store with this id exists."""
        return self._call("POST", "/ecommerce/stores", what=f"Mailchimp create store {body.get('id')}", body=body)

    def update_store(self, store_id: str, patch: Mapping[str, Any]) -> Json:
        """PATCH /ecommerce/stores/{id} (e.g. `{"is_syncing": true}` during a backfill, so automations and order
        notifications stay quiet). ConfigurationError naming the store when there is none."""
        with _must_exist(f"store {store_id}", "check the store options of the Mailchimp secret"):
            return self._call(
                "PATCH", f"/ecommerce/stores/{_seg(store_id)}", what=f"Mailchimp update store {store_id}", body=patch
            )

    def upsert_customer(self, store_id: str, customer: Mapping[str, Any]) -> Json:
        """PUT /ecommerce/stores/{sid}/customers/{customer["id"]} (id at most 50 characters; the email of an
        existing customer cannot change). NotFound also when the store is missing."""
        customer_id = _id_of(customer, "customer")
        path = f"/ecommerce/stores/{_seg(store_id)}/customers/{_seg(customer_id)}"
        return self._call("PUT", path, what=f"Mailchimp upsert customer {customer_id}", body=customer)

    def customer(self, store_id: str, customer_id: str) -> Json | None:
        path = f"/ecommerce/stores/{_seg(store_id)}/customers/{_seg(customer_id)}"
        return self._optional(path, what=f"Mailchimp customer {customer_id}")

    def product(self, store_id: str, product_id: str) -> Json | None:
        path = f"/ecommerce/stores/{_seg(store_id)}/products/{_seg(product_id)}"
        return self._optional(path, what=f"Mailchimp product {product_id}")

    def create_product(self, store_id: str, product: Mapping[str, Any]) -> bool:
        """POST /ecommerce/stores/{sid}/products (id, title, at least one variant). True: created; False: a product
        with this id already existed (also after a create whose reply was lost): PATCH it if it must change."""
        product_id = _id_of(product, "product")
        path = f"/ecommerce/stores/{_seg(store_id)}/products"
        return self._create(path, product, what=f"Mailchimp create product {product_id}")

    def order(self, store_id: str, order_id: str) -> Json | None:
        path = f"/ecommerce/stores/{_seg(store_id)}/orders/{_seg(order_id)}"
        return self._optional(path, what=f"Mailchimp order {order_id}")

    def create_order(self, store_id: str, order: Mapping[str, Any]) -> bool:
        """POST /ecommerce/stores/{sid}/orders (orders have no PUT). True: created; False: an order with this id
        already existed (also after a create whose reply was lost): the caller then PATCHes it (`update_order`)
        and deletes lines no longer present (`delete_order_line`: a PATCH never drops lines). Products and
        variants must exist first (else a RecordError naming the missing product)."""
        order_id = _id_of(order, "order")
        path = f"/ecommerce/stores/{_seg(store_id)}/orders"
        return self._create(path, order, what=f"Mailchimp create order {order_id}")

    def update_order(self, store_id: str, order_id: str, patch: Mapping[str, Any]) -> Json:
        """PATCH /ecommerce/stores/{sid}/orders/{id}: lines merge by id, `promos` are replaced wholesale."""
        path = f"/ecommerce/stores/{_seg(store_id)}/orders/{_seg(order_id)}"
        return self._call("PATCH", path, what=f"Mailchimp update order {order_id}", body=patch)

    def delete_order_line(self, store_id: str, order_id: str, line_id: str) -> None:
        """DELETE …/orders/{id}/lines/{line_id}; a line already gone (404) is fine."""
        path = f"/ecommerce/stores/{_seg(store_id)}/orders/{_seg(order_id)}/lines/{_seg(line_id)}"
        self._optional(path, what=f"Mailchimp delete line {line_id} of order {order_id}", method="DELETE")

    def orders(self, store_id: str, *, fields: Sequence[str] = (), page_size: int = ORDER_PAGE) -> Iterator[Json]:
        """Every order of the store, paged by count/offset. `fields` are order fields (id, financial_status, ...)
        to return instead of whole orders."""
        params = {"fields": ",".join([*(f"orders.{f}" for f in fields), "total_items"])} if fields else {}
        what = f"Mailchimp orders of store {store_id}"
        return self._pages(f"/ecommerce/stores/{_seg(store_id)}/orders", "orders", what, page_size, params)

    # ----------------------------------------------------------------- batch operations

    def run_batch(self, operations: Sequence[Operation]) -> dict[str, OperationOutcome]:
        """Run operations as one batch: submit, poll with backoff (never past the run's deadline), download the
        result archive (no credentials sent) and classify each operation's response like a direct call. Returns
        one OperationOutcome per operation, by operation_id; one the archive does not report (expired batch,
        deadline, unreadable file) has a TransientError. RateLimited when 500 batches are pending."""
        return batches.run(
            self, operations, sleep=self._sleep, deadline=self._deadline, secrets=self._secrets, policy=self._poll
        )

    def perform(self, operation: Operation) -> OperationOutcome:
        """One operation as a direct call, answered like a batch's: its status, its body and, for a refused record
        or a transient failure that outlasted the retries, its classified error (never raised). Failures that stop
        the run (authentication, configuration, the deadline) are raised. Thread-safe: callers may run many at once,
        the call budget keeps them to 10 connections."""
        what = f"Mailchimp {operation.method} {operation.operation_id}"
        try:
            status, body = self._exchange(
                operation.method, operation.path, what=what, params=operation.params, body=operation.body
            )
        except (RecordError, TransientError) as error:
            return OperationOutcome(operation.operation_id, error.status, None, error)
        return OperationOutcome(operation.operation_id, status, body or None, None)

    def submit_batch(self, operations: Sequence[Operation]) -> BatchStatus:
        """POST /batches; each operation's body goes as a JSON string."""
        reply = self._call("POST", "/batches", what="Mailchimp submit batch", body=batches.batch_body(operations))
        return batches.batch_status_of(reply, what="Mailchimp submit batch")

    def batch_status(self, batch_id: str) -> BatchStatus:
        """GET /batches/{id}; NotFound once the batch has expired."""
        what = f"Mailchimp batch {batch_id}"
        return batches.batch_status_of(self._call("GET", f"/batches/{_seg(batch_id)}", what=what), what=what)

    def download_archive(self, url: str) -> bytes:
        """The batch's result archive, fetched without credentials from a checked host (counted, retried)."""
        checked = check_archive_url(url, self._credentials.allowed_sandbox_hosts)
        what = "Mailchimp batch archive"

        def read(reply: HttpReply) -> bytes:
            if 200 <= reply.status < 300:
                return reply.body
            if reply.status == 429 or reply.status >= 500:
                retry_after = retry_after_from(reply.headers, now=self._clock())
                raise TransientError(f"{what}: HTTP {reply.status}", status=reply.status, retry_after=retry_after)
            raise RecordError(f"{what}: HTTP {reply.status} (the link has expired or was refused)", status=reply.status)

        return self._core.request(lambda: HttpRequest("GET", checked), read, what=what)

    # ----------------------------------------------------------------- internals

    def _call(self, method: str, path: str, *, what: str, **request: Unpack[_Request]) -> Json:
        """One API call; the reply's JSON object ({} when empty)."""
        return self._exchange(method, path, what=what, **request)[1]

    def _exchange(self, method: str, path: str, *, what: str, **request: Unpack[_Request]) -> tuple[int, Json]:
        """One API call through the request core, inside a budget slot: the status and the reply's JSON object."""
        url = self.root() + path
        query = tuple((key, str(value)) for key, value in (request.get("params") or {}).items())
        body = request.get("body")
        encoded = json.dumps(body, separators=(",", ":")).encode() if body is not None else None

        def build() -> HttpRequest:
            headers = {"Authorization": authorization(self._credentials)}
            if encoded is not None:
                headers["Content-Type"] = JSON_TYPE
            return HttpRequest(method, url, query, encoded, headers)

        def read(reply: HttpReply) -> tuple[int, Json]:
            failure = http_failure(reply, what=what, now=self._clock(), secrets=self._secrets)
            if failure is not None:
                raise failure
            return reply.status, _object(reply, what=what)

        return self._core.request(build, read, what=what, slot=self._slot)

    def _optional(self, path: str, *, what: str, method: str = "GET") -> Json | None:
        try:
            return self._call(method, path, what=what)
        except NotFound:
            return None

    def _create(self, path: str, body: Mapping[str, Any], *, what: str) -> bool:
        try:
            self._call("POST", path, what=what, body=body)
        except AlreadyExists:
            return False
        return True

    def _pages(
        self, path: str, key: str, what: str, page_size: int, params: Mapping[str, str] | None = None
    ) -> Iterator[Json]:
        offset = 0
        while True:
            page = self._call("GET", path, what=what, params={**(params or {}), "count": page_size, "offset": offset})
            items = _items(page, key, what)
            yield from items
            offset += len(items)
            total = page.get("total_items")
            if not items or len(items) < page_size or (isinstance(total, int) and offset >= total):
                return

    def _slot(self) -> AbstractContextManager[object]:
        return self._budget.slot(self._deadline)

    def _metadata_root(self) -> str:
        what = "Mailchimp OAuth metadata"
        request = metadata_request(self._credentials)

        def read(reply: HttpReply) -> str:
            failure = http_failure(reply, what=what, now=self._clock(), secrets=self._secrets)
            if failure is not None:
                raise failure
            return root_from_metadata(reply, self._credentials)

        return self._core.request(lambda: request, read, what=what)


@contextmanager
def _must_exist(label: str, fix: str) -> Iterator[None]:
    """A 404 on a run-level call: the audience or store itself is missing, a configuration error naming it."""
    try:
        yield
    except NotFound as exc:
        raise ConfigurationError(
            f"Mailchimp {label} not found: {fix}", status=404, title=exc.title, detail=exc.detail
        ) from None


def _seg(value: str) -> str:
    """One path segment, percent-encoded (ids are ours and may hold any character)."""
    if not value:
        raise ValueError("an id in a Mailchimp path must not be empty")
    return quote(value, safe="")


def _id_of(record: Mapping[str, Any], kind: str) -> str:
    value = record.get("id")
    if not isinstance(value, str) or not value:
        raise ValueError(f"the {kind} has no id")
    return value


def _object(reply: HttpReply, *, what: str) -> Json:
    if not reply.body.strip():
        return {}
    try:
        data = json.loads(reply.body)
    except (ValueError, UnicodeDecodeError):
        raise ParseError(f"{what}: Mailchimp's reply is not JSON", status=reply.status) from None
    if not isinstance(data, dict):
        raise ParseError(f"{what}: Mailchimp's reply is not a JSON object", status=reply.status)
    return data


def _items(page: Mapping[str, Any], key: str, what: str) -> list[Json]:
    items = page.get(key, [])
    if not isinstance(items, list):
        raise ParseError(f"{what}: {key} in Mailchimp's reply is not a list")
    return [item for item in items if isinstance(item, dict)]


__all__ = [
    "MAX_IN_FLIGHT",
    "MailchimpClient",
    "MemberOutcome",
    "MergeField",
    "Operation",
    "OperationOutcome",
    "call_budget",
    "normalise_email",
    "subscriber_hash",
]
