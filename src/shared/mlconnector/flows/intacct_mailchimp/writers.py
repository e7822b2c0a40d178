"""Mailchimp as the engine's destination: audience members, e-commerce customers, products, orders, payments.

Each writer turns a batch into Mailchimp calls and returns one outcome per record. A record Mailchimp refuses
fails alone with Mailchimp's reason; a member refused for good (compliance state, permanently deleted, fake
address) is SKIPPED with that reason, so it is not retried until its contact changes. Ids are ours (the email,
C-/V- ids, GL account numbers, bill-<RECORDNO>), so a create whose outcome was unknown is repeated safely: the
repeat answers "already exists", and the writer then updates instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mlconnector.engine.records import Action, Outcome, WriteItem
from mlconnector.flows.intacct_mailchimp.operations import CONCURRENCY, Operations
from mlconnector.flows.intacct_mailchimp.store import StoreGuard
from mlconnector.systems.mailchimp.batches import Operation, OperationOutcome
from mlconnector.systems.mailchimp.client import MailchimpClient
from mlconnector.systems.mailchimp.errors import AlreadyExists, NotFound, RecordError
from mlconnector.systems.mailchimp.members import MemberOutcome, subscriber_hash

MEMBERS_PER_CALL = 500
NO_ORDER = "none of the bills it pays is an order in Mailchimp (see those bills): a bill written later gets its status"
EMAIL_LOCKED = "may not be changed"
"""Mailchimp's refusal of a changed e-commerce customer email (mc-magento#17)."""


@dataclass
class MemberWriter:
    """Batch subscribe, 500 members per call, update_existing with status_if_new only (no status: consent)."""

    system: ClassVar[str] = "mailchimp"
    client: MailchimpClient
    list_id: str
    max_batch: int = MEMBERS_PER_CALL

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        results = self.client.batch_subscribe(self.list_id, [item.payload for item in items], update_existing=True)
        by_email = {result.email: result for result in results}
        outcomes = [_member_outcome(item, by_email.get(str(item.payload["email_address"]))) for item in items]
        self._tag([item for item in items if _needs_tags(item, by_email)])
        return outcomes

    def _tag(self, items: Sequence[WriteItem]) -> None:
        """Tags sent with a member apply only when Mailchimp creates it: an existing member gets them here."""
        if not items:
            return

        def tag(item: WriteItem) -> None:
            self.client.update_member_tags(self.list_id, str(item.payload["email_address"]), item.payload["tags"])

        with ThreadPoolExecutor(max_workers=min(CONCURRENCY, len(items))) as pool:
            list(pool.map(tag, items))


def _needs_tags(item: WriteItem, results: Mapping[str, MemberOutcome]) -> bool:
    result = results.get(str(item.payload["email_address"]))
    if result is None or result.action == "failed" or not item.payload.get("tags"):
        return False
    have = {str(t.get("name")) for t in (result.member or {}).get("tags") or [] if isinstance(t, Mapping)}
    return not set(item.payload["tags"]) <= have


def _member_outcome(item: WriteItem, result: MemberOutcome | None) -> Outcome:
    key = item.record.key
    if result is None:
        return Outcome(key, Action.FAILED, error="Mailchimp returned no result for this member")
    if result.action == "created":
        return Outcome(key, Action.CREATED, destination_id=subscriber_hash(key))
    if result.action == "updated":
        return Outcome(key, Action.UPDATED, destination_id=subscriber_hash(key))
    error = result.error
    reason = error.reason if error is not None and error.reason else str(error or "refused")
    if error is not None and error.permanent:
        return Outcome(
            key,
            Action.SKIPPED,
            error=f"Mailchimp refuses this member for good ({reason}); not retried until it changes",
        )
    return Outcome(key, Action.FAILED, error=f"Mailchimp refused it: {reason}")


@dataclass
class CustomerWriter:
    """E-commerce customers by PUT (an upsert). Mailchimp does not let a customer's email change: a customer whose
    Intacct email changed keeps its first email in Mailchimp and gets its other fields updated (the new email
    reaches the audience through the members stream)."""

    system: ClassVar[str] = "mailchimp"
    client: MailchimpClient
    store_id: str
    operations: Operations
    max_batch: int = 500
    in_mailchimp: set[str] = field(default_factory=set)
    """Customer ids this run wrote: the order writer knows them without reading their links."""

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        path = f"/ecommerce/stores/{self.store_id}/customers/"
        results = self.operations.run([Operation("PUT", path + _id(i), _id(i), body=i.payload) for i in items])
        locked = [i for i in items if _refused_with(results.get(_id(i)), EMAIL_LOCKED)]
        if locked:  # the same customer without its email
            retry = [
                Operation(
                    "PUT", path + _id(i), _id(i), body={k: v for k, v in i.payload.items() if k != "email_address"}
                )
                for i in locked
            ]
            results.update(self.operations.run(retry))
        outcomes = [_outcome(item, results.get(_id(item))) for item in items]
        self.in_mailchimp.update(o.destination_id for o in outcomes if o.destination_id and o.action in _WRITTEN)
        return outcomes


@dataclass
class ProductWriter:
    """A product (and its one variant) per GL account: POST, or PATCH its title once it exists."""

    system: ClassVar[str] = "mailchimp"
    client: MailchimpClient
    store_id: str
    operations: Operations
    max_batch: int = 500

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        path = f"/ecommerce/stores/{self.store_id}/products"
        new = [i for i in items if i.destination_id is None]
        results = self.operations.run([Operation("POST", path, _id(i), body=i.payload) for i in new])
        existing = [i for i in items if i.destination_id is not None or _refused_as(results.get(_id(i)), AlreadyExists)]
        results.update(
            self.operations.run(
                [Operation("PATCH", f"{path}/{_id(i)}", _id(i), body={"title": i.payload["title"]}) for i in existing]
            )
        )
        return [_outcome(item, results.get(_id(item))) for item in items]


@dataclass
class OrderWriter:
    """Orders from bills: POST a new one; PATCH a changed one and DELETE its lines the bill no longer has (PATCH
    keeps lines it is not sent). An order whose customer is not in Mailchimp fails naming it."""

    system: ClassVar[str] = "mailchimp"
    client: MailchimpClient
    store_id: str
    operations: Operations
    store: StoreGuard
    customers_in_mailchimp: Callable[[Collection[str]], set[str]]
    backfill: Callable[[], bool]
    """True when this run is a backfill from the start (a first sync)."""
    backfill_orders: int
    max_batch: int = 500
    written: int = 0
    statuses: dict[str, str] = field(default_factory=dict)
    """The financial_status this run sent per order id: the payment writer does not send it again."""

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        present = self.customers_in_mailchimp({_customer(i) for i in items})
        ready = [i for i in items if _customer(i) in present]
        outcomes = {
            i.record.key: Outcome(
                i.record.key,
                Action.FAILED,
                error=f"its customer {_customer(i)} is not in Mailchimp (see that vendor: it needs an email)",
            )
            for i in items
            if _customer(i) not in present
        }
        if ready and (self.backfill() or self.written + len(ready) > self.backfill_orders):
            self.store.begin_backfill()
        self.written += len(ready)
        results = self._write(ready)
        for item in ready:
            outcome = _outcome(item, results.get(_id(item)))
            outcomes[item.record.key] = outcome
            if outcome.action in _WRITTEN:
                self.statuses[_id(item)] = str(item.payload.get("financial_status"))
        return [outcomes[item.record.key] for item in items]

    def _write(self, items: Sequence[WriteItem]) -> dict[str, OperationOutcome]:
        path = f"/ecommerce/stores/{self.store_id}/orders"
        new = [i for i in items if i.destination_id is None]
        results = self.operations.run([Operation("POST", path, _id(i), body=i.payload) for i in new])
        changed = [i for i in items if i.destination_id is not None or _refused_as(results.get(_id(i)), AlreadyExists)]
        if not changed:
            return results
        current = self.operations.run(
            [Operation("GET", f"{path}/{_id(i)}", _id(i), params={"fields": "id,lines.id"}) for i in changed]
        )
        results.update(
            self.operations.run([Operation("PATCH", f"{path}/{_id(i)}", _id(i), body=i.payload) for i in changed])
        )
        gone = [
            Operation("DELETE", f"{path}/{_id(i)}/lines/{line}", f"{_id(i)}/{line}")
            for i in changed
            if _succeeded(results.get(_id(i)))
            for line in _line_ids(current.get(_id(i))) - {str(line["id"]) for line in i.payload["lines"]}
        ]
        for outcome in self.operations.run(gone).values():
            if outcome.error is not None and not isinstance(outcome.error, NotFound):
                order = outcome.operation_id.split("/", 1)[0]
                results[order] = OperationOutcome(order, outcome.status_code, None, outcome.error)
        return results


@dataclass
class PaymentWriter:
    """Moves the orders a payment pays to their bills' financial_status: one PATCH per affected order, none for an
    order the order writer already sent that status in this run."""

    system: ClassVar[str] = "mailchimp"
    client: MailchimpClient
    store_id: str
    operations: Operations
    sent: Mapping[str, str]
    orders_in_mailchimp: Callable[[Collection[str]], set[str]]
    """Orders of bills that could not become orders (a vendor without an email) are not patched."""
    max_batch: int = 500

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        path = f"/ecommerce/stores/{self.store_id}/orders/"
        present = self.orders_in_mailchimp({order for item in items for order in item.payload["orders"]})
        wanted = {
            order: status for item in items for order, status in item.payload["orders"].items() if order in present
        }
        operations = [
            Operation("PATCH", path + order, order, body={"financial_status": status})
            for order, status in sorted(wanted.items())
            if self.sent.get(order) != status
        ]
        results = self.operations.run(operations)
        outcomes = []
        for item in items:
            if not present.intersection(item.payload["orders"]):
                outcomes.append(Outcome(item.record.key, Action.SKIPPED, error=NO_ORDER))
                continue
            errors = [
                f"order {order}: {_reason(results[order])}"
                for order in item.payload["orders"]
                if order in results and not _succeeded(results[order])
            ]
            action = Action.FAILED if errors else Action.UPDATED
            outcomes.append(Outcome(item.record.key, action, error="; ".join(errors) or None))
        return outcomes


_WRITTEN = (Action.CREATED, Action.UPDATED)


def _id(item: WriteItem) -> str:
    return str(item.payload["id"])


def _customer(item: WriteItem) -> str:
    return str(item.payload["customer"]["id"])


def _succeeded(result: OperationOutcome | None) -> bool:
    return result is not None and result.error is None


def _refused_as(result: OperationOutcome | None, kind: type[Exception]) -> bool:
    return result is not None and isinstance(result.error, kind)


def _refused_with(result: OperationOutcome | None, text: str) -> bool:
    return result is not None and isinstance(result.error, RecordError) and text in str(result.error.detail).lower()


def _reason(result: OperationOutcome) -> str:
    error = result.error
    if error is None:
        return "ok"
    reason = getattr(error, "reason", "") or str(error)
    if isinstance(error, NotFound):
        return f"not in Mailchimp ({reason})"
    return reason


def _line_ids(result: OperationOutcome | None) -> set[str]:
    body: Mapping[str, Any] = (result.body if result is not None else None) or {}
    return {str(line.get("id")) for line in body.get("lines") or [] if isinstance(line, Mapping)}


def _outcome(item: WriteItem, result: OperationOutcome | None) -> Outcome:
    key = item.record.key
    if result is None:
        return Outcome(key, Action.FAILED, error="Mailchimp returned no result for this record")
    if result.error is not None:
        return Outcome(key, Action.FAILED, error=f"Mailchimp refused it: {_reason(result)}")
    action = Action.CREATED if item.destination_id is None else Action.UPDATED
    return Outcome(key, action, destination_id=_id(item))
