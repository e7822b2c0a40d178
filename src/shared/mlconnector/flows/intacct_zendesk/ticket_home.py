"""Where tickets live in an Intacct company, decided once per run: the `zendesk_ticket` Platform Services custom
object (verified-2026-12 §4) when the company has it, else an attachment per vendor or customer (the fallback for
companies without Platform Services). `lookup` tells: a company without Platform Services, or without the
connector's application installed, answers "Object definition zendesk_ticket not found".

`tickets.home` in the Zendesk secret may require either mode; the run report and ping say which one applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from mlconnector.config import ConfigurationError
from mlconnector.flows.intacct_zendesk.mapping import TICKET_OBJECT
from mlconnector.flows.intacct_zendesk.tickets_config import TicketsConfig
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.errors import ResultError
from mlconnector.systems.intacct.functions.lookup import unknown_object

PARTIES = ("VENDOR", "CUSTOMER")


class Mode(StrEnum):
    CUSTOM_OBJECT = "custom-object"
    ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class Resolved:
    mode: Mode
    detail: str
    """One line for the run report and ping: where tickets go, and why."""
    related_by: Mapping[str, str] = field(default_factory=dict)
    """VENDOR / CUSTOMER -> the custom object's relationship element (`RVENDOR`), as `lookup` names it."""


@dataclass
class TicketHome:
    intacct: IntacctClient
    config: TicketsConfig
    _resolved: Resolved | None = None

    def resolve(self) -> Resolved:
        """The mode, looked up once (one `lookup` call). Raises ConfigurationError when the secret requires the
        custom object and the company lacks it."""
        if self._resolved is None:
            self._resolved = self._look_up()
        return self._resolved

    @property
    def looked_up(self) -> Resolved | None:
        """The mode, when this run has looked it up already (no call)."""
        return self._resolved

    def check(self) -> None:
        """The flow's preflight: look the mode up before any stream runs (a missing required object fails the run
        with its fix before anything is written)."""
        self.resolve()

    def _look_up(self) -> Resolved:
        if self.config.home == "attachments":
            return Resolved(Mode.ATTACHMENTS, _ATTACHMENTS + " (tickets.home is attachments)")
        try:
            definition = self.intacct.object_definition(TICKET_OBJECT)
        except ResultError as error:
            if not unknown_object(error):
                raise
            if self.config.home == "custom-object":
                raise ConfigurationError(
                    f"Intacct has no {TICKET_OBJECT} custom object (Platform Services not subscribed, or the "
                    "connector's application not installed): install it, or set tickets.home to attachments or auto "
                    "in the Zendesk secret"
                ) from None
            return Resolved(Mode.ATTACHMENTS, _ATTACHMENTS + f" (the company has no {TICKET_OBJECT} custom object)")
        related = {kind: rel.related_by for kind in PARTIES if (rel := definition.relationship_to(kind))}
        if "VENDOR" not in related:
            raise ConfigurationError(
                f"Intacct's {TICKET_OBJECT} custom object has no relationship to VENDOR: reinstall the connector's "
                "application, or set tickets.home to attachments in the Zendesk secret"
            )
        return Resolved(
            Mode.CUSTOM_OBJECT,
            f"tickets are {TICKET_OBJECT} custom-object records (Platform Services) related to their vendor"
            + (" or customer" if "CUSTOMER" in related else ""),
            related,
        )


_ATTACHMENTS = "tickets are attachment files, one attachment per vendor or customer in folder Zendesk"
