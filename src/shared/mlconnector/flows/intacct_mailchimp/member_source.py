"""Audience members as a source: one record per email, holding every Intacct customer and vendor contact that has it.

Mailchimp keys members by email, and one email can belong to a customer's contact and to contacts of several
vendors. Reading by email (not by contact) gives the mapping everything it needs to merge them in one pure step
(mapping.member_payload): the merge rule sees all claimants, in every run, so the member never flip-flops.

- Customers' contacts are their display contacts (DISPLAYCONTACT.*); vendors' contacts are CONTACT records naming
  their vendor (VENDORID: the sandbox's link, UNVERIFIED for real tenants, as in intacct-marketo).
- The cursor is both objects' WHENMODIFIED cursors, as JSON. Only the last page carries it: the records of a run
  are grouped by email across both objects, so an earlier page's cursor would skip the emails of later pages.
- A first sync reads both objects whole and groups them in memory. A later run reads what changed, then asks
  Intacct for every claimant of the emails that changed since the last run (100 emails per query).
- The records re-read only because of the reader's overlap window (WHENMODIFIED not after the stored cursor) were
  grouped with all their claimants in an earlier run. Their emails are asked for again only when the claimant
  book (`ClaimantBook`: the emails several records share, with those records' keys) says a claimant was not
  re-read. So a run where nothing changed costs one query per object, and a shared email is never rebuilt from
  some of its claimants. Left as is: a record committed late into the overlap window that takes an email from
  another, unshared one is grouped alone until either changes again.
- Left as is: a contact whose email changes leaves the old member as it was (members are never deleted or
  unsubscribed by the connector).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.state.links import Link, LinkStore
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.functions.filters import in_
from mlconnector.systems.intacct.incremental import WHENMODIFIED, parse_timestamp
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
class ClaimantBook:
    """The emails several Intacct records share, each with those records' keys, kept between runs as links of
    their own namespace (one Query per run; written only when a shared email's claimants change)."""

    links: LinkStore
    flow: str
    namespace: str
    persist: bool = True
    """False for a dry run: nothing is written."""

    def shared(self) -> dict[str, frozenset[str]]:
        return {email: frozenset(_keys(link)) for email, link in self.links.all(self.flow, self.namespace).items()}

    def update(self, before: Mapping[str, frozenset[str]], records: Iterable[SourceRecord]) -> None:
        now = {r.key: frozenset(_claimant_keys(r.data)) for r in records}
        changed = [
            Link(email, None, "\n".join(sorted(keys)))
            for email, keys in now.items()
            if len(keys) > 1 and before.get(email) != keys
        ]
        gone = [email for email, keys in now.items() if len(keys) < 2 and email in before]
        if self.persist and changed:
            self.links.put_many(self.flow, self.namespace, changed, "claimants")
        if self.persist and gone:
            self.links.delete_many(self.flow, self.namespace, gone)


@dataclass
class MemberSource:
    """An engine Reader of emails (lower-cased, stripped), each with its customers' and vendor contacts' rows."""

    system: ClassVar[str] = "intacct"
    object: ClassVar[str] = "email"

    client: IntacctClient
    book: ClaimantBook
    page_size: int = 500

    def __post_init__(self) -> None:
        self._customers = IntacctReader(self.client, "CUSTOMER", CUSTOMER_SELECT, "CUSTOMERID")
        self._contacts = IntacctReader(self.client, "CONTACT", CONTACT_SELECT, "CONTACTNAME")

    def pages(self, since: str | None) -> Iterator[Page]:
        cursors = _cursors(since)
        customers, customer_cursor = _changed(self._customers, cursors.get("CUSTOMER"))
        contacts, contact_cursor = _changed(self._contacts, cursors.get("CONTACT"))
        contacts = [c for c in contacts if field(c.data, VENDOR_FIELD)]
        shared = self.book.shared() if since is not None else {}
        if since is not None:  # the other claimants of the emails that changed
            read = _by_email(customers, contacts)
            stale = {
                record.key
                for record in read
                if _changed_since(record, cursors)
                or not shared.get(record.key, frozenset()) <= _claimant_keys(record.data)
            }
            found = _by_email(*self._claimants(stale))
            records = sorted([*(r for r in read if r.key not in stale), *found], key=lambda r: r.key)
        else:
            records = _by_email(customers, contacts)
        self.book.update(shared, records)
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


def _claimant_keys(data: Mapping[str, Any]) -> set[str]:
    customers = (f"CUSTOMER:{row.get('CUSTOMERID')}" for row in data.get(CUSTOMERS) or [])
    contacts = (f"CONTACT:{row.get('CONTACTNAME')}" for row in data.get(CONTACTS) or [])
    return {*customers, *contacts}


def _keys(link: Link) -> list[str]:
    return [key for key in (link.content_hash or "").split("\n") if key]


def _changed_since(record: SourceRecord, cursors: Mapping[str, str]) -> bool:
    """Whether a claimant of this email changed after the stored cursor of its object (not only re-read by the
    overlap window). A cursor or timestamp that does not parse counts as changed."""
    for group, obj in ((CUSTOMERS, "CUSTOMER"), (CONTACTS, "CONTACT")):
        cursor = cursors.get(obj)
        for row in record.data.get(group) or []:
            try:
                if cursor is None or parse_timestamp(str(row.get(WHENMODIFIED))) > parse_timestamp(cursor):
                    return True
            except ValueError:
                return True
    return False


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
