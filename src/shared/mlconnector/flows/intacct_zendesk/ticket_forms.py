"""How a ticket payload becomes a `zendesk_ticket` record, in the forms the company takes.

Two forms are UNVERIFIED (verified-2026-12 §4) and stay open: what `<RVENDOR>` takes (the VENDORID or the vendor's
RECORDNO) and which date form custom date-times take (ISO 8601 or MM/DD/YYYY). With `auto` (the default) the
writer sends the ID and ISO first; when Intacct refuses the element, it tries the other form for those records and,
when that goes through, keeps it for the rest of the run (`Forms.learn`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mlconnector.flows.intacct_zendesk.mapping import PARTY, instant
from mlconnector.flows.intacct_zendesk.tickets_config import TicketsConfig
from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.intacct.functions.custom_object import (
    DateStyle,
    RelationshipKey,
    custom_datetime,
    parse_custom_datetime,
)

DATE_FIELDS = ("zd_created_at", "zd_updated_at")


@dataclass
class Forms:
    """The forms this run writes in: fixed by the configuration, or `auto` and learnt from Intacct's refusals."""

    key: RelationshipKey
    dates: DateStyle
    key_fixed: bool
    dates_fixed: bool
    zone: ZoneInfo

    @classmethod
    def from_config(cls, config: TicketsConfig, learnt: str | None = None) -> Forms:
        """The configured forms; where `auto`, the forms an earlier run learnt (`Forms.text`), else ID and ISO."""
        was_key, _, was_dates = (learnt or "").partition(",")
        key: RelationshipKey = "RECORDNO" if config.relationship_key == "RECORDNO" else "ID"
        dates: DateStyle = "us" if config.date_style == "us" else "iso"
        if config.relationship_key == "auto" and was_key == "RECORDNO":
            key = "RECORDNO"
        if config.date_style == "auto" and was_dates == "us":
            dates = "us"
        return cls(key, dates, config.relationship_key != "auto", config.date_style != "auto", config.zone)

    @property
    def text(self) -> str:
        """What an earlier run learnt, as kept between runs: `RECORDNO,us`."""
        return f"{self.key},{self.dates}"

    def alternative(self, error: IntacctError | None, related_by: str) -> Forms | None:
        """The other form to try when Intacct refused a record for a form this run may still change, else None."""
        text = str(error or "").upper()
        if not self.key_fixed and related_by.upper() in text:
            return Forms("RECORDNO" if self.key == "ID" else "ID", self.dates, True, self.dates_fixed, self.zone)
        if not self.dates_fixed and any(name.upper() in text for name in DATE_FIELDS):
            return Forms(self.key, "us" if self.dates == "iso" else "iso", self.key_fixed, True, self.zone)
        return None

    def learn(self, other: Forms) -> None:
        """Keep a form that Intacct took after refusing this run's first one."""
        self.key, self.dates, self.key_fixed, self.dates_fixed = (
            other.key,
            other.dates,
            other.key_fixed,
            other.dates_fixed,
        )

    def stored_time(self, text: str | None) -> datetime | None:
        """A date-time Intacct returned: with its offset when it has one, else wall time in the company's zone."""
        if not text:
            return None
        moment = parse_custom_datetime(text)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=self.zone)

    def time(self, value: str) -> str:
        moment = instant(value)
        return custom_datetime(moment if self.dates == "iso" else moment.astimezone(self.zone), self.dates)


def record(payload: Mapping[str, Any], related_by: str, related: str, forms: Forms) -> dict[str, Any]:
    """The custom-object record of a ticket payload (ticket_mapping's), tied to `related` (its party's ID or
    RECORDNO, as `forms.key` says)."""
    fields = {k: v for k, v in payload.items() if k != PARTY and v is not None}
    for name in DATE_FIELDS:
        if name in fields:
            fields[name] = forms.time(str(fields[name]))
    return {**fields, related_by: related}
