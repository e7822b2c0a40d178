"""Tickets into the `zendesk_ticket` custom object: one record per ticket, named `ZD-<id>`, updated only by a newer
ticket, so the poller and the webhook processor together store each ticket once and never go backwards.

Per batch (at most 100 tickets):
- tickets this connector stored before (a link) are read by name first (one `readByName`), then updated only when
  the incoming `updated_at` is later than the stored `zd_updated_at` (controlid `zd-<id>-<updated_at>`);
- the others are created, one function each with controlid `zd-<id>-new` (uniqueid=true): whoever creates a ticket
  first wins, and a second create (the webhook racing the poller) is refused as a repeated controlid, read back
  by name and updated only if newer. A record deleted in Intacct by hand is created again
  (`zd-<id>-new-<updated_at>`).
- A deleted ticket updates its record to status `deleted`; one never stored is skipped.

So a first sync costs one request per 100 tickets, and a later change two (read, write). A race between a poll and
a webhook that both read the record before either wrote can leave the older version for a while; the export then
returns the ticket again (its change is after the page the poller read), so the next poll writes the newer one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mlconnector.engine.records import Action, Outcome, StopRun, WriteItem
from mlconnector.flows.intacct_destination.vendors import already_exists
from mlconnector.flows.intacct_zendesk.mapping import DELETED, PARTY, TICKET_OBJECT, instant
from mlconnector.flows.intacct_zendesk.ticket_forms import Forms, record
from mlconnector.flows.intacct_zendesk.ticket_home import Resolved
from mlconnector.systems.intacct import DuplicateControlId, IntacctClient, UnknownOutcome
from mlconnector.systems.intacct.client import WriteOutcome
from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.intacct.functions.base import ApiFunction
from mlconnector.systems.intacct.functions.filters import in_
from mlconnector.systems.intacct.functions.write import Create, Update

MAX_TICKETS = 100
_READ = ("id", "name", "zd_updated_at")
_ID_FIELDS = {"VENDOR": "VENDORID", "CUSTOMER": "CUSTOMERID"}


@dataclass(frozen=True)
class Stored:
    record_id: str
    updated: datetime | None


@dataclass
class CustomObjectTickets:
    intacct: IntacctClient
    home: Resolved
    forms: Forms
    remember: Callable[[Forms], None] = lambda _forms: None
    """Called when this run learnt a form (auto), so later runs (the webhook processor's too) start with it."""
    _recordnos: dict[tuple[str, str], str] = field(default_factory=dict)

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        linked = [_name(i) for i in items if i.destination_id is not None]
        stored = self._stored(linked)
        outcomes: dict[str, Outcome] = {}
        plan: list[tuple[WriteItem, Stored | None]] = []
        for item in items:
            found = stored.get(_name(item).casefold()) if item.destination_id is not None else None
            decided = _decide(item, found)
            if decided is None:
                plan.append((item, found))
            else:
                outcomes[item.record.key] = decided
        adopt = self._send(plan, outcomes, recreate=False)
        if adopt:
            again = self._stored([_name(i) for i in adopt])
            replan: list[tuple[WriteItem, Stored | None]] = []
            for item in adopt:
                found = again.get(_name(item).casefold())
                decided = _decide(item, found, adopted=True)
                if decided is None:
                    replan.append((item, found))
                else:
                    outcomes[item.record.key] = decided
            for item in self._send(replan, outcomes, recreate=True):
                outcomes[item.record.key] = Outcome(
                    item.record.key, Action.FAILED, error="Intacct refused the record twice as already written"
                )
        return [outcomes[item.record.key] for item in items]

    # ---------------------------------------------------------------- reads

    def _stored(self, names: Sequence[str]) -> dict[str, Stored]:
        if not names:
            return {}
        found: dict[str, Stored] = {}
        for row in self.intacct.read_by_name(TICKET_OBJECT, names, _READ):
            name, record_id = _get(row, "name"), _get(row, "id")
            if not name or not record_id:
                continue
            current = found.get(name.casefold())
            if current is None or int(record_id) < int(current.record_id):  # duplicates by name: the first one
                found[name.casefold()] = Stored(record_id, self.forms.stored_time(_get(row, "zd_updated_at")))
        return found

    def _related(self, items: Sequence[WriteItem], forms: Forms) -> dict[str, str | None]:
        """Each item's `<R…>` value in `forms`: its party's ID, or RECORDNO (one query per party object)."""
        parties = {i.record.key: (str(i.payload[PARTY]["object"]), str(i.payload[PARTY]["id"])) for i in items}
        if forms.key == "ID":
            return {key: party[1] for key, party in parties.items()}
        for kind, id_field in _ID_FIELDS.items():
            wanted = sorted({pid for k, pid in parties.values() if k == kind and (k, pid) not in self._recordnos})
            if wanted:
                for page in self.intacct.query_pages(kind, ("RECORDNO", id_field), in_(id_field, wanted)):
                    for row in page.records:
                        self._recordnos[(kind, str(row.get(id_field)))] = str(row.get("RECORDNO"))
        return {key: self._recordnos.get(party) for key, party in parties.items()}

    # ---------------------------------------------------------------- writes

    def _send(
        self, plan: Sequence[tuple[WriteItem, Stored | None]], outcomes: dict[str, Outcome], *, recreate: bool
    ) -> list[WriteItem]:
        """Create or update each planned item; returns the creates Intacct says were already made (to read back).
        Records refused for a form this run may still change are tried once in the other form."""
        if not plan:
            return []
        adopt, refused = self._attempt(plan, self.forms, outcomes, recreate)
        if not refused:
            return adopt
        first = refused[0][2]
        other = self.forms.alternative(first, self._relation(refused[0][0]))
        if other is None:
            for item, _found, error in refused:
                outcomes[item.record.key] = _failed(item, error)
            return adopt
        retry = [(item, found) for item, found, _ in refused]
        more, still = self._attempt(retry, other, outcomes, recreate)
        if len(still) < len(refused):
            self.forms.learn(other)
            self.remember(self.forms)
        for item, _found, error in still:
            outcomes[item.record.key] = _failed(item, error)
        return adopt + more

    def _attempt(
        self,
        plan: Sequence[tuple[WriteItem, Stored | None]],
        forms: Forms,
        outcomes: dict[str, Outcome],
        recreate: bool,
    ) -> tuple[list[WriteItem], list[tuple[WriteItem, Stored | None, IntacctError | None]]]:
        related = self._related([item for item, _ in plan], forms)
        functions: list[ApiFunction] = []
        sent: list[tuple[WriteItem, Stored | None]] = []
        for item, found in plan:
            value = related[item.record.key]
            party = item.payload[PARTY]
            if value is None:
                outcomes[item.record.key] = Outcome(
                    item.record.key, Action.FAILED, error=f"{party['object']} {party['id']} is not in Intacct"
                )
                continue
            functions.append(_function(item, found, record(item.payload, self._relation(item), value, forms), recreate))
            sent.append((item, found))
        if not functions:
            return [], []
        try:
            results = self.intacct.execute_writes(functions)
        except UnknownOutcome as unknown:
            raise StopRun(
                f"Intacct did not confirm {len(functions)} ticket record(s) ({unknown}); the next run sends the same "
                "controlids again and reads back what was applied"
            ) from unknown
        adopt: list[WriteItem] = []
        refused: list[tuple[WriteItem, Stored | None, IntacctError | None]] = []
        for (item, found), result in zip(sent, results, strict=True):
            key = item.record.key
            if result.ok:
                action = Action.CREATED if found is None else Action.UPDATED
                outcomes[key] = Outcome(key, action, destination_id=_created_id(result) or _found_id(found))
            elif isinstance(result.error, DuplicateControlId) and found is not None:
                outcomes[key] = Outcome(key, Action.UPDATED, destination_id=found.record_id)  # this version, applied
            elif isinstance(result.error, DuplicateControlId) or (found is None and already_exists(result.error)):
                adopt.append(item)
            else:
                refused.append((item, found, result.error))
        return adopt, refused

    def _relation(self, item: WriteItem) -> str:
        return self.home.related_by.get(str(item.payload[PARTY]["object"]), "")


def _decide(item: WriteItem, found: Stored | None, *, adopted: bool = False) -> Outcome | None:
    """The outcome when nothing needs writing (Intacct already holds this version or a newer one, or a deleted
    ticket was never stored); None when the item is to be written."""
    key = item.record.key
    if found is None:
        if item.payload.get("zd_status") == DELETED:
            return Outcome(key, Action.SKIPPED, error="deleted in Zendesk before it was stored in Intacct")
        return None
    incoming = instant(str(item.payload["zd_updated_at"]))
    if found.updated is not None and incoming <= found.updated:
        action = Action.UPDATED if adopted and incoming == found.updated else Action.UNCHANGED
        return Outcome(key, action, destination_id=found.record_id)
    return None


def _function(item: WriteItem, found: Stored | None, fields: dict[str, Any], recreate: bool) -> ApiFunction:
    ticket = item.payload["zd_ticket_id"]
    stamp = _stamp(str(item.payload["zd_updated_at"]))
    if found is None:
        controlid = f"zd-{ticket}-new-{stamp}" if recreate else f"zd-{ticket}-new"
        return Create(TICKET_OBJECT, (fields,), controlid, custom_object=True)
    changes = {"id": found.record_id, **{k: v for k, v in fields.items() if k != "name"}}
    return Update(TICKET_OBJECT, (changes,), f"zd-{ticket}-{stamp}", custom_object=True)


def _stamp(value: str) -> str:
    return instant(value).strftime("%Y%m%dT%H%M%SZ")


def _name(item: WriteItem) -> str:
    return str(item.payload["name"])


def _get(row: dict[str, Any], name: str) -> str | None:
    value = next((v for k, v in row.items() if k.lower() == name), None)
    return None if value in (None, "") else str(value)


def _created_id(result: WriteOutcome) -> str | None:
    return next((rid for row in result.records if (rid := _get(row, "id"))), None)


def _found_id(found: Stored | None) -> str | None:
    return found.record_id if found is not None else None


def _failed(item: WriteItem, error: IntacctError | None) -> Outcome:
    return Outcome(item.record.key, Action.FAILED, error=f"Intacct refused the ticket record: {error}")
