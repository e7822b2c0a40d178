"""Intacct contacts' claims on an email: which contact's lead (or audience member) an email is.

Leads and members are keyed by email, and contacts of different vendors share emails (a bookkeeper serving
several suppliers). The rule, applied through `one_owner.OneOwnerPerValue`: the contact of the lowest VENDORID
(in text order), then the lowest CONTACTNAME, owns the email; the others are skipped naming it. Emails compare
case-insensitively, as the destinations key them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from itertools import batched
from typing import Any

from mlconnector.engine.records import SourceRecord
from mlconnector.flows.fields import field
from mlconnector.flows.one_owner import Claim
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.functions.filters import in_, isnotnull

EMAILS_PER_QUERY = 100
OWNER_RULE = "the contact of the lowest VENDORID, then CONTACTNAME, keeps a shared email"
SKIP_REASON = "its email belongs to {winner}, " + OWNER_RULE


def contact_claim(data: Mapping[str, Any], vendor_field: str) -> Claim | None:
    """A vendor contact's claim on its email; None for a contact without one (or not a vendor's)."""
    key, email, vendor = field(data, "CONTACTNAME"), field(data, "EMAIL1"), field(data, vendor_field)
    if key is None or email is None or vendor is None:
        return None
    return Claim(key, email.lower(), (vendor, key), f"CONTACT {key} of vendor {vendor}")


def record_claim(vendor_field: str) -> Callable[[SourceRecord], Claim | None]:
    def claim(record: SourceRecord) -> Claim | None:
        return contact_claim(record.data, vendor_field)

    return claim


@dataclass
class ContactEmailClaims:
    """A ClaimIndex over Intacct CONTACT: value queries of 100 emails, or one scan of every contact's email."""

    client: IntacctClient
    vendor_field: str = "VENDORID"

    def claims(self, values: Collection[str] | None) -> list[Claim]:
        fields = ("RECORDNO", "CONTACTNAME", "EMAIL1", self.vendor_field)
        wheres = (
            [isnotnull("EMAIL1")]
            if values is None
            else [in_("EMAIL1", chunk) for chunk in batched(sorted(values), EMAILS_PER_QUERY, strict=False)]
        )
        rows = [
            row
            for where in wheres
            for page in self.client.query_pages("CONTACT", fields, where, case_insensitive=True)
            for row in page.records
        ]
        return [claim for row in rows if (claim := contact_claim(row, self.vendor_field)) is not None]
