"""The tickets stream's writer: stores tickets where the company keeps them (ticket_home.py), the custom object
(custom_object_tickets.py) or the attachment fallback (attachment_tickets.py), decided once per run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from mlconnector.engine.records import Outcome, WriteItem
from mlconnector.flows.intacct_zendesk.attachment_tickets import AttachmentTickets
from mlconnector.flows.intacct_zendesk.custom_object_tickets import MAX_TICKETS, CustomObjectTickets
from mlconnector.flows.intacct_zendesk.ticket_forms import Forms
from mlconnector.flows.intacct_zendesk.ticket_home import Mode, TicketHome
from mlconnector.state.cursors import CursorStore

FORMS_KEY = "tickets:intacct-forms"
"""Where the learnt forms are kept: a value beside the flow's cursors (reset with them)."""


@dataclass(frozen=True)
class LearntForms:
    """The forms `auto` learnt for a connection, kept in its cursor store under the flow."""

    cursors: CursorStore
    flow: str

    def recall(self) -> str | None:
        return self.cursors.get(self.flow, FORMS_KEY)

    def keep(self, forms: Forms) -> None:
        self.cursors.put(self.flow, FORMS_KEY, forms.text, run_id="ticket-forms")


@dataclass
class TicketWriter:
    system: ClassVar[str] = "intacct"
    home: TicketHome
    learnt: LearntForms | None = None
    """Where the forms `auto` learnt are kept between runs (the connection's state)."""
    _custom: CustomObjectTickets | None = field(default=None, repr=False)
    _attachments: AttachmentTickets | None = field(default=None, repr=False)

    @property
    def max_batch(self) -> int:
        return MAX_TICKETS

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        resolved = self.home.resolve()
        intacct = self.home.intacct
        if resolved.mode is Mode.ATTACHMENTS:
            self._attachments = self._attachments or AttachmentTickets(intacct)
            return self._attachments.write(items)
        if self._custom is None:
            learnt = self.learnt
            forms = Forms.from_config(self.home.config, learnt.recall() if learnt else None)
            remember = learnt.keep if learnt else (lambda _forms: None)
            self._custom = CustomObjectTickets(intacct, resolved, forms, remember)
        return self._custom.write(items)

    def notes(self) -> list[str]:
        """For the run report: where tickets went, and the forms learnt (when `auto` chose)."""
        resolved = self.home.looked_up
        if resolved is None:
            return []
        notes = [resolved.detail]
        if self._custom is not None:
            forms = self._custom.forms
            notes.append(f"relationship value {forms.key}, dates {forms.dates.upper()}")
        return notes
