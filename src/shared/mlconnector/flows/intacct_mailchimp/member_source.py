"""Audience members as a source: one record per email, holding every Intacct customer and vendor contact that has it.

Mailchimp keys members by email, and one email can belong to a customer's contact and to contacts of several
vendors. Reading by email (not by contact) gives the mapping everything it needs to merge them in one pure step
(mapping.member_payload): the merge rule sees all claimants, in every run, so the member never flip-flops.

- Customers' contacts are their display contacts (DISPLAYCONTACT.*); vendors' contacts are CONTACT records naming
  their vendor (VENDORID: the sandbox's link, UNVERIFIED for real tenants, as in intacct-marketo).
- The cursor is both objects' WHENMODIFIED cursors, as JSON. Only the last page carries it: the records of a run
  are grouped by email across both objects, so an earlier page's cursor would skip the emails of later pages.
- A first sync reads both objects whole and groups them in memory. A later run reads what changed, then asks
  Intacct for every claimant of the changed emails (100 emails per query).
- Left as is: a contact whose email changes leaves the old member as it was (members are never deleted or
  unsubscribed by the connector).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.functions.filters import in_
from mlconnector.systems.intacct.reader import IntacctReader

CUSTOMER_EMAIL = "DISPLAYCONTACT.EMAIL1"
CONTACT_EMAIL = "EMAIL1"
VENDOR_FIELD = "VENDORID"
CUSTOMERS = "customers"
CONTACTS = "contacts"
EMAIL = "email"
EMAILS_PER_QUERY = 100

CUSTOMER_SELECT: tuple[str, ...] = (
    "RECORDNO",
    "CUSTOMERID",
    "NAME",
    "STATUS",
    "DISPLAYCONTACT.FIRSTNAME",
    "DISPLAYCONTACT.LASTNAME",
    "DISPLAYCONTACT.COMPANYNAME",
    CUSTOMER_EMAIL,
    "DISPLAYCONTACT.PHONE1",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS1",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS2",
    "DISPLAYCONTACT.MAILADDRESS.CITY",
    "DISPLAYCONTACT.MAILADDRESS.STATE",
    "DISPLAYCONTACT.MAILADDRESS.ZIP",
    "DISPLAYCONTACT.MAILADDRESS.COUNTRY",
    "WHENMODIFIED",
)
CONTACT_SELECT: tuple[str, ...] = (
    "RECORDNO",
    "CONTACTNAME",
    "FIRSTNAME",
    "LASTNAME",
    "COMPANYNAME",
    CONTACT_EMAIL,
    "PHONE1",
    "MAILADDRESS.ADDRESS1",
    "MAILADDRESS.ADDRESS2",
    "MAILADDRESS.CITY",
    "MAILADDRESS.STATE",
    "MAILADDRESS.ZIP",
    "MAILADDRESS.COUNTRY",
    VENDOR_FIELD,
    "WHENMODIFIED",
)


@dataclass
class MemberSource:
    """An engine Reader of emails (lower-cased, stripped), each with its customers' and vendor contacts' rows."""

    system: ClassVar[str] = "intacct"
    object: ClassVar[str] = "email"

    client: IntacctClient
    page_size: int = 500

    def __post_init__(self) -> None:
        self._customers = IntacctReader(self.client, "CUSTOMER", CUSTOMER_SELECT, "CUSTOMERID")
        self._contacts = IntacctReader(self.client, "CONTACT", CONTACT_SELECT, "CONTACTNAME")

    def pages(self, since: str | None) -> Iterator[Page]:
        cursors = _cursors(since)
        customers, customer_cursor = _changed(self._customers, cursors.get("CUSTOMER"))
        contacts, contact_cursor = _changed(self._contacts, cursors.get("CONTACT"))
        contacts = [c for c in contacts if field(c.data, VENDOR_FIELD)]
        if since is not None:  # the other claimants of the emails that changed
            emails = {e for r in customers if (e := email_of(r.data, CUSTOMER_EMAIL))}
            emails |= {e for r in contacts if (e := email_of(r.data, CONTACT_EMAIL))}
            customers, contacts = self._claimants(emails)
        records = _by_email(customers, contacts)
        cursor = json.dumps(
            {k: v for k, v in (("CUSTOMER", customer_cursor), ("CONTACT", contact_cursor)) if v}, sort_keys=True
        )
        chunks = list(batched(records, self.page_size, strict=False)) or [()]
        for index, chunk in enumerate(chunks):
            yield Page(list(chunk), cursor if index == len(chunks) - 1 else None)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        return _by_email(*self._claimants({k.strip().lower() for k in keys}))

    def _claimants(self, emails: Collection[str]) -> tuple[list[SourceRecord], list[SourceRecord]]:
        if not emails:
            return [], []
        chunks = list(batched(sorted(emails), EMAILS_PER_QUERY, strict=False))
        customers = list(
            _query(
                self.client,
                "CUSTOMER",
                fields=CUSTOMER_SELECT,
                email_field=CUSTOMER_EMAIL,
                key_field="CUSTOMERID",
                chunks=chunks,
            )
        )
        contacts = [
            record
            for record in _query(
                self.client,
                "CONTACT",
                fields=CONTACT_SELECT,
                email_field=CONTACT_EMAIL,
                key_field="CONTACTNAME",
                chunks=chunks,
            )
            if field(record.data, VENDOR_FIELD)
        ]
        return customers, contacts


def email_of(data: Any, name: str) -> str | None:
    """The email as Mailchimp keys it: stripped and lower-cased."""
    value = field(data, name)
    return value.lower() if value else None


def _cursors(since: str | None) -> dict[str, str]:
    if not since:
        return {}
    try:
        value = json.loads(since)
    except json.JSONDecodeError:
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}


def _changed(reader: IntacctReader, since: str | None) -> tuple[list[SourceRecord], str | None]:
    records: list[SourceRecord] = []
    cursor = since
    for page in reader.pages(since):
        records.extend(page.records)
        cursor = page.cursor or cursor
    return records, cursor


def _query(
    client: IntacctClient,
    object: str,
    *,
    fields: Sequence[str],
    email_field: str,
    key_field: str,
    chunks: Iterable[Sequence[str]],
) -> Iterator[SourceRecord]:
    for chunk in chunks:
        for page in client.query_pages(object, fields, in_(email_field, chunk), case_insensitive=True):
            for row in page.records:
                yield SourceRecord(str(row.get(key_field)), row)


def _by_email(customers: Iterable[SourceRecord], contacts: Iterable[SourceRecord]) -> list[SourceRecord]:
    """One record per email, its claimants in a stable order (CUSTOMERID; VENDORID then CONTACTNAME)."""
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {CUSTOMERS: [], CONTACTS: []})
    warnings: dict[str, list[str]] = defaultdict(list)
    for group, email_field, records in ((CUSTOMERS, CUSTOMER_EMAIL, customers), (CONTACTS, CONTACT_EMAIL, contacts)):
        for record in records:
            email = email_of(record.data, email_field)
            if email is None:
                continue
            grouped[email][group].append(dict(record.data))
            warnings[email].extend(record.warnings)
    out = []
    for email in sorted(grouped):
        claimants = grouped[email]
        claimants[CUSTOMERS].sort(key=lambda row: str(row.get("CUSTOMERID")))
        claimants[CONTACTS].sort(key=lambda row: (str(row.get(VENDOR_FIELD)), str(row.get("CONTACTNAME"))))
        data = {EMAIL: email, **claimants}
        out.append(SourceRecord(email, data, tuple(dict.fromkeys(warnings[email]))))
    return out
