"""Which Intacct vendor a Commerce customer's bills go to: the stored link first, then the email, else a new vendor.

A created vendor has a deterministic VENDORID and controlid, so a retried or repeated creation finds the first one
instead of making a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from mlconnector.engine.hashing import content_hash
from mlconnector.engine.records import Action, Outcome, StopRun, WriteItem
from mlconnector.flows.intacct_destination.payee import VENDOR_KEY, Customer
from mlconnector.state.links import Link, LinkStore
from mlconnector.systems.intacct import DuplicateControlId, IntacctClient, UnknownOutcome, deterministic_controlid
from mlconnector.systems.intacct.functions import Create, Query
from mlconnector.systems.intacct.functions.filters import in_

LINK_STREAM = "customer-vendors"
FUNCTIONS_PER_REQUEST = 50
EMAILS_PER_QUERY = 100
ALREADY_EXISTS = ("BL34000061",)  # Intacct's "another record with the given value(s) already exists"


@dataclass
class VendorMatcher:
    intacct: IntacctClient
    links: LinkStore
    flow: str
    vendor_prefix: str
    run_id: str = ""
    _known: dict[str, str] = field(default_factory=dict)

    def resolve(self, customers: Iterable[Customer]) -> dict[str, str | Exception]:
        """Customer key → VENDORID, or the error that kept it from being matched or created."""
        wanted = {c.key: c for c in customers if c.key not in self._known}
        if wanted:
            stored = self.links.get_many(self.flow, LINK_STREAM, wanted)
            self._known.update({k: link.destination_id for k, link in stored.items() if link.destination_id})
        missing = [c for k, c in wanted.items() if k not in self._known]
        found = self._by_email([c for c in missing if c.email])
        matched = {c.key: found[c.email] for c in missing if c.email in found}
        created, errors = self._create([c for c in missing if c.key not in matched])
        new_links = []
        for key, vendor_id in {**matched, **created}.items():
            self._known[key] = vendor_id
            new_links.append(Link(key, vendor_id, content_hash({"vendor": vendor_id})))
        self.links.put_many(self.flow, LINK_STREAM, new_links, self.run_id)
        result: dict[str, str | Exception] = {}
        for key in {c.key for c in customers}:
            result[key] = self._known.get(key) or errors[key]
        return result

    def _by_email(self, customers: list[Customer]) -> dict[str, str]:
        return vendors_by_email(self.intacct, (c.email for c in customers if c.email))

    def _create(self, customers: list[Customer]) -> tuple[dict[str, str], dict[str, Exception]]:
        """New vendors, several per request; an unknown outcome stops the run (the next one finds what was made)."""
        created: dict[str, str] = {}
        errors: dict[str, Exception] = {}
        for chunk in batched(customers, FUNCTIONS_PER_REQUEST, strict=False):
            functions = [
                Create("VENDOR", (_vendor_record(v, c),), deterministic_controlid("vendor", v))
                for c in chunk
                for v in (c.vendor_id(self.vendor_prefix),)
            ]
            try:
                outcomes = self.intacct.execute_writes(functions)
            except UnknownOutcome as unknown:
                raise StopRun(
                    f"Intacct did not confirm {len(chunk)} new vendor(s) ({unknown}); the next run finds them"
                ) from unknown
            for customer, outcome in zip(chunk, outcomes, strict=True):
                if outcome.ok or isinstance(outcome.error, DuplicateControlId) or already_exists(outcome.error):
                    created[customer.key] = customer.vendor_id(self.vendor_prefix)  # made now, or by an earlier try
                else:
                    errors[customer.key] = outcome.error or RuntimeError("Intacct did not create the vendor")
        return created, errors


def _vendor_record(vendor_id: str, customer: Customer) -> dict[str, Any]:
    name = customer.name or customer.email or vendor_id
    contact: dict[str, Any] = {"PRINTAS": name, "COMPANYNAME": name}
    if customer.email:
        contact["EMAIL1"] = customer.email
    return {"VENDORID": vendor_id, "NAME": name, "DISPLAYCONTACT": contact, "STATUS": "active"}


def vendors_by_email(intacct: IntacctClient, emails: Iterable[str]) -> dict[str, str]:
    """Lower-cased email → VENDORID of the oldest vendor (lowest RECORDNO) with it."""
    matches: dict[str, str] = {}
    for chunk in batched(sorted({e.lower() for e in emails}), EMAILS_PER_QUERY, strict=False):
        query = Query(
            "VENDOR",
            ("RECORDNO", "VENDORID", "DISPLAYCONTACT.EMAIL1"),
            in_("DISPLAYCONTACT.EMAIL1", chunk),
            case_insensitive=True,
            show_private=True,
            pagesize=2000,
        )
        [result] = intacct.execute([query], write=False)
        result.raise_for_status()
        for row in sorted(result.records, key=lambda r: int(r.get("RECORDNO") or 0)):
            email = str(row.get("DISPLAYCONTACT.EMAIL1") or "").lower()
            matches.setdefault(email, str(row["VENDORID"]))
    return matches


def already_exists(error: Exception | None) -> bool:
    errors = getattr(error, "errors", ())
    return any(getattr(e, "errorno", "") in ALREADY_EXISTS for e in errors)


def customer_from(payload: Mapping[str, Any]) -> Customer:
    return Customer(str(payload["key"]), payload.get("email"), str(payload.get("name") or ""))


def vendors_for_documents(
    items: Sequence[WriteItem], vendors: VendorMatcher, what: str, hint: str = ""
) -> tuple[list[tuple[WriteItem, str]], dict[str, Outcome]]:
    """The VENDORID for each document's customer (its payload's VENDOR_KEY), resolved together. A document whose
    vendor cannot be matched or made, or that is posted already (linked: a posted document is never edited), gets
    its FAILED outcome instead."""
    customers = {item.record.key: customer_from(item.payload[VENDOR_KEY]) for item in items}
    resolved = vendors.resolve(customers.values())
    ready: list[tuple[WriteItem, str]] = []
    refused: dict[str, Outcome] = {}
    for item in items:
        key, vendor = item.record.key, resolved[customers[item.record.key].key]
        if isinstance(vendor, Exception):
            refused[key] = Outcome(key, Action.FAILED, error=f"no vendor: {vendor}")
        elif item.destination_id is not None:
            posted = f"its {what} ({item.destination_id}) is posted already{hint}"
            refused[key] = Outcome(key, Action.FAILED, error=posted)
        else:
            ready.append((item, vendor))
    return ready, refused
