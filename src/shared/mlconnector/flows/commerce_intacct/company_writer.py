"""Intacct vendors → Commerce B2B customers (the vendors-to-companies stream's writer).

For each vendor: the linked customer (this stream's link) is updated, and the company it administers when it has
one. Without a link, a customer with the vendor's email is looked up and linked (and made the admin of a new
company when it administers none); else a customer is created (no password: it sets one through "forgot
password") and a company created with it as super_user_id. Every payload is built, and checked for what Commerce
requires, before the first call, so a vendor missing a field fails alone and changes nothing.

Creates are not idempotent in Commerce: a create whose outcome is unknown fails the record, and its replay finds
what was made by email (customer) and by super_user_id (company) instead of making it twice.

A store without the B2B extension stops the run: customers alone are not B2B customers.

Vendors the connector made itself (VENDORID with the connector's prefix) go to Commerce only once linked to the
customer they were made from (by the customers-to-vendors stream's mirror link). The others were made by the bills
for guests or for customers while that stream was off: pushing them into Commerce would echo the connector's own
write back (a guest would get an account), so they are skipped with that reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mlconnector.engine.records import Action, MappingError, Outcome, StopRun, WriteItem
from mlconnector.flows.commerce_intacct.mirror import LinkBook, matcher_link, mirror_link
from mlconnector.flows.commerce_intacct.party import Party, customer_to_party, party_to_company, party_to_customer
from mlconnector.systems.commerce import B2BUnavailable, CommerceClient, NotFound, RequestError, TransientError

BATCH = 50  # vendors per engine batch (Commerce writes one record per call; the links are stored per batch)
NO_B2B = (
    "Commerce has no B2B company routes (the B2B extension is not installed), so Intacct vendors cannot become B2B "
    "customers: install Adobe Commerce B2B, or set vendor_master.vendors_to_commerce to false in the Commerce secret"
)

MADE_HERE = "the connector made this vendor for a Commerce guest or customer; it is not pushed back into Commerce"


@dataclass(frozen=True)
class Written:
    """What Commerce answered for the customer and its company (None: the customer administers none)."""

    customer: dict[str, Any]
    company: dict[str, Any] | None
    action: Action

    @property
    def customer_id(self) -> str:
        return str(self.customer["id"])


class CompanyNotWritten(Exception):
    """The customer was written, its company not: `written` is the customer as Commerce now has it."""

    def __init__(self, written: Written, error: Exception) -> None:
        super().__init__(str(error))
        self.written = written
        self.error = error


@dataclass
class _Found:
    """What a batch found in Commerce before writing, kept current as it writes (two vendors with one email in a
    batch share one customer, as they would in two batches)."""

    linked: dict[str, dict[str, Any]]  # customer id → customer, for the linked vendors
    by_email: dict[str, dict[str, Any]]  # lower-cased email → customer (the lowest id)
    companies: dict[str, dict[str, Any]]  # customer id → the company it administers

    def remember(self, written: Written) -> None:
        self.linked[written.customer_id] = written.customer
        self.by_email[str(written.customer["email"]).lower()] = written.customer
        if written.company is not None:
            self.companies[written.customer_id] = written.company


@dataclass
class CompanyWriter:
    system: ClassVar[str] = "commerce"
    commerce: CommerceClient
    book: LinkBook
    customer_group_id: int | None = None
    connector_prefix: str | None = None
    """The VENDORID prefix of vendors the connector makes (see the module docstring)."""
    max_batch: int = BATCH
    _b2b_checked: bool = field(default=False, init=False)

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        made_here = [item for item in items if self._made_by_the_connector(item)]
        skipped = {item.record.key: Outcome(item.record.key, Action.SKIPPED, error=MADE_HERE) for item in made_here}
        items = [item for item in items if item.record.key not in skipped]
        if not items:
            return list(skipped.values())
        return [*skipped.values(), *self._write_all(items)]

    def _made_by_the_connector(self, item: WriteItem) -> bool:
        prefix = self.connector_prefix
        return bool(prefix) and item.destination_id is None and item.record.key.startswith(f"{prefix}-")

    def _write_all(self, items: Sequence[WriteItem]) -> list[Outcome]:
        self._require_b2b()
        parties = [(item, Party.from_payload(item.payload)) for item in items]
        try:
            found = self._find(parties)
        except B2BUnavailable as error:
            raise StopRun(NO_B2B) from error
        outcomes: list[Outcome] = []
        done: list[tuple[str, Written]] = []
        for item, party in parties:
            key = item.record.key
            try:
                written = self._write(party, item.destination_id, found)
            except CompanyNotWritten as partly:
                # The customer is written: mirror it as it now is, so it is not read back as a change to echo.
                found.remember(partly.written)
                done.append((key, partly.written))
                outcomes.append(Outcome(key, Action.FAILED, error=_reason(partly.error, partly.written)))
                continue
            except B2BUnavailable as error:
                raise StopRun(NO_B2B) from error
            except (MappingError, RequestError, TransientError) as error:
                outcomes.append(Outcome(key, Action.FAILED, error=_reason(error, None)))
                continue
            found.remember(written)
            done.append((key, written))
            outcomes.append(Outcome(key, written.action, destination_id=written.customer_id))
        self._link(done)
        return outcomes

    def _require_b2b(self) -> None:
        if not self._b2b_checked:
            if not self.commerce.has_b2b():
                raise StopRun(NO_B2B)
            self._b2b_checked = True

    def _find(self, parties: list[tuple[WriteItem, Party]]) -> _Found:
        """The linked customers (one get each), the others' customers by email and everyone's companies (one
        search per 100 of each)."""
        linked = {}
        for customer_id in sorted({item.destination_id for item, _ in parties if item.destination_id}):
            with suppress(NotFound):  # deleted in Commerce: found again by email, or made anew
                linked[customer_id] = self.commerce.get_customer(customer_id)
        emails = {p.email for item, p in parties if p.email and (item.destination_id or "") not in linked}
        by_email: dict[str, dict[str, Any]] = {}
        for customer in sorted(self.commerce.search_customers_by_emails(emails), key=lambda c: int(c["id"])):
            by_email.setdefault(str(customer["email"]).lower(), customer)
        ids = {str(c["id"]) for c in (*linked.values(), *by_email.values())}
        companies = self.commerce.companies_administered_by(ids) if ids else []
        return _Found(linked, by_email, {str(c["super_user_id"]): c for c in companies})

    def _write(self, party: Party, linked_id: str | None, found: _Found) -> Written:
        customer = found.linked.get(linked_id) if linked_id is not None else None
        may_add_company = customer is None  # a customer linked without a company stays one
        if customer is None and party.email is not None:
            customer = found.by_email.get(party.email)
        if customer is None:
            return self._create(party)
        company = found.companies.get(str(customer["id"]))
        return self._update(party, customer, company, may_add_company=may_add_company)

    def _create(self, party: Party) -> Written:
        customer_payload = party_to_customer(party)
        group = self.customer_group_id
        party_to_company(party, 0, None, group)  # checked before anything is written
        customer = self.commerce.create_customer(customer_payload)
        payload = party_to_company(party, int(customer["id"]), None, group)
        return Written(customer, self._company(Written(customer, None, Action.CREATED), payload, None), Action.CREATED)

    def _update(
        self, party: Party, current: Mapping[str, Any], company: Mapping[str, Any] | None, *, may_add_company: bool
    ) -> Written:
        customer_id = int(current["id"])
        company_payload = None
        if company is not None or may_add_company:
            company_payload = party_to_company(party, customer_id, company, self.customer_group_id)
        customer = self.commerce.update_customer(customer_id, party_to_customer(party, current))
        if company_payload is None:
            return Written(customer, None, Action.UPDATED)
        written = Written(customer, dict(company) if company is not None else None, Action.UPDATED)
        return Written(customer, self._company(written, company_payload, company), Action.UPDATED)

    def _company(self, customer: Written, payload: dict[str, Any], current: Mapping[str, Any] | None) -> dict[str, Any]:
        """Create or update the company of a customer just written; a failure says what was written."""
        try:
            if current is None:
                return self.commerce.create_company(payload)
            return self.commerce.update_company(current["id"], payload)
        except B2BUnavailable:
            raise
        except (RequestError, TransientError) as error:
            raise CompanyNotWritten(customer, error) from error

    def _link(self, done: list[tuple[str, Written]]) -> None:
        # The mirror is hashed from what Commerce answered, as the customers-to-vendors stream will read it back.
        mirrors = [mirror_link(w.customer_id, key, customer_to_party(w.customer, w.company)) for key, w in done]
        known = self.book.matcher_links(w.customer_id for _, w in done)
        fresh = [matcher_link(w.customer_id, key) for key, w in done if w.customer_id not in known]
        self.book.record(mirrors, fresh)


def _reason(error: Exception, written: Written | None) -> str:
    reason = str(error)
    if isinstance(error, TransientError):
        reason += "; a replay finds by email and super_user_id what may have been created"
    if written is not None:
        reason += f" (customer {written.customer_id} is written; a replay writes its company)"
    return reason
