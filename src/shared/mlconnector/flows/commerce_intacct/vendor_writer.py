"""Commerce customers → Intacct vendors (the customers-to-vendors stream's writer).

Each customer's vendor is found the way the bills find it: this stream's link, the VendorMatcher's link for
"customer:<id>", then the email; a found vendor is updated (generic update by VENDORID), else one is created
with the VendorMatcher's deterministic VENDORID and controlid, so the matcher and this writer can never make two
vendors for one customer. A create Intacct refuses as already done (duplicate controlid, or the VENDORID exists)
is turned into an update. An unknown outcome stops the run; the next one sends the same controlids again.

On success the writer also records the matcher's link (bills go to this vendor) and the mirror link in the
vendors-to-companies stream (see vendor_master.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Action, MappingError, Outcome, StopRun, WriteItem
from mlconnector.flows.commerce_intacct.mirror import LinkBook, matcher_customer, matcher_link, mirror_link
from mlconnector.flows.commerce_intacct.party import Party, party_to_vendor, vendor_to_party
from mlconnector.flows.intacct_destination.vendors import already_exists, vendors_by_email
from mlconnector.systems.intacct import DuplicateControlId, IntacctClient, UnknownOutcome, deterministic_controlid
from mlconnector.systems.intacct.client import WriteOutcome
from mlconnector.systems.intacct.dotted import flatten
from mlconnector.systems.intacct.functions import Create, Update
from mlconnector.systems.intacct.functions.base import ApiFunction

FUNCTIONS_PER_REQUEST = 50  # one vendor per function, so every outcome maps to one customer


@dataclass(frozen=True)
class _Plan:
    item: WriteItem
    party: Party
    vendor_id: str
    record: dict[str, Any]
    update: bool

    @property
    def key(self) -> str:
        return self.item.record.key

    def function(self) -> ApiFunction:
        if self.update:
            controlid = deterministic_controlid("vendor-update", self.vendor_id, self.key, self.item.content_hash[:16])
            return Update("VENDOR", (self.record,), controlid)
        return Create("VENDOR", (self.record,), deterministic_controlid("vendor", self.vendor_id))

    def as_update(self) -> _Plan:
        return replace(self, update=True, record=party_to_vendor(self.party, self.vendor_id, update=True))


@dataclass
class VendorWriter:
    system: ClassVar[str] = "intacct"
    intacct: IntacctClient
    book: LinkBook
    vendor_prefix: str
    max_batch: int = FUNCTIONS_PER_REQUEST

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        outcomes: dict[str, Outcome] = {}
        parties = {item.record.key: Party.from_payload(item.payload) for item in items}
        existing = self._existing(items, parties)
        plans: list[_Plan] = []
        for item in items:
            key = item.record.key
            found = existing.get(key)
            vendor_id = found or matcher_customer(key).vendor_id(self.vendor_prefix)
            try:
                record = party_to_vendor(parties[key], vendor_id, update=found is not None)
            except MappingError as error:
                outcomes[key] = Outcome(key, Action.FAILED, error=str(error))
                continue
            plans.append(_Plan(item, parties[key], vendor_id, record, update=found is not None))
        adopted = self._send([p for p in plans if not p.update], outcomes)
        self._send([*(p for p in plans if p.update), *(p.as_update() for p in adopted)], outcomes)
        self._link(plans, outcomes)
        return [outcomes[item.record.key] for item in items]

    def _existing(self, items: Sequence[WriteItem], parties: dict[str, Party]) -> dict[str, str]:
        """Customer id → VENDORID of the vendor it already has: this stream's link, the matcher's, the email."""
        found = {item.record.key: item.destination_id for item in items if item.destination_id}
        found |= self.book.matcher_links(k for k in parties if k not in found)
        emails = {key: party.email for key, party in parties.items() if key not in found and party.email}
        by_email = vendors_by_email(self.intacct, emails.values())
        found |= {key: by_email[email] for key, email in emails.items() if email in by_email}
        return found

    def _send(self, plans: list[_Plan], outcomes: dict[str, Outcome]) -> list[_Plan]:
        """Creates and updates, 50 per request. Returns the creates to turn into updates (the vendor exists)."""
        adopted: list[_Plan] = []
        for chunk in batched(plans, FUNCTIONS_PER_REQUEST, strict=False):
            try:
                results = self.intacct.execute_writes([plan.function() for plan in chunk])
            except UnknownOutcome as unknown:
                raise StopRun(
                    f"Intacct did not confirm {len(chunk)} vendor write(s) ({unknown}); the next run sends the same "
                    "controlids again"
                ) from unknown
            for plan, result in zip(chunk, results, strict=True):
                if not plan.update and _exists(result):
                    adopted.append(plan)
                else:
                    outcomes[plan.key] = _outcome(plan, result)
        return adopted

    def _link(self, plans: list[_Plan], outcomes: dict[str, Outcome]) -> None:
        written = [p for p in plans if outcomes[p.key].action in (Action.CREATED, Action.UPDATED)]
        # The mirror is hashed from the vendor as written, as the vendors-to-companies stream will read it back.
        mirrors = [mirror_link(p.vendor_id, p.key, vendor_to_party(flatten(p.record))) for p in written]
        self.book.record(mirrors, [matcher_link(p.key, p.vendor_id) for p in written])


def _exists(result: WriteOutcome) -> bool:
    return not result.ok and (isinstance(result.error, DuplicateControlId) or already_exists(result.error))


def _outcome(plan: _Plan, result: WriteOutcome) -> Outcome:
    if result.ok or (plan.update and isinstance(result.error, DuplicateControlId)):  # applied by an earlier try
        return Outcome(plan.key, Action.UPDATED if plan.update else Action.CREATED, destination_id=plan.vendor_id)
    what = "update of vendor" if plan.update else "new vendor"
    return Outcome(plan.key, Action.FAILED, error=f"Intacct refused the {what} {plan.vendor_id}: {result.error}")
