"""Deterministic seeded data: the same (seed, size) always yields the same records.

``size`` is the number of vendors; the other objects scale with it (1-3 contacts per vendor,
size/2 customers, size bills with 1-3 lines, payments for paid bills). Chart of accounts,
dimensions and items are fixed lists. Each object draws from its own RNG stream, so adding an object later
does not change the others. WHENMODIFIED values lie in 2024-2025, are not ordered by RECORDNO and
often share one second (to exercise cursors).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sandbox.intacct import seed_words as words
from sandbox.intacct.store import Record, RecordStore
from sandbox.intacct.values import DATE_FORMAT, TIMESTAMP_FORMAT

BASE_TIME = datetime(2024, 1, 2, 8, 0, 0)
_SPAN_SECONDS = 500 * 86_400
_TRICKY_EVERY = 2  # vendors 1, 3, 5, ... get the awkward names first
_ACCOUNT_TITLES = {number: title for number, title, *_ in words.GL_ACCOUNTS}


def _rng(seed: int, stream: str) -> random.Random:
    return random.Random(f"{seed}:{stream}")


def ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


def modified_stamps(rng: random.Random, count: int) -> list[datetime]:
    """``count`` moments after BASE_TIME, about half sharing a second with a neighbour, shuffled."""
    step = max(2, min(3 * 3600, _SPAN_SECONDS // max(count, 1)))
    moment, result = BASE_TIME, []
    for _ in range(count):
        if rng.random() >= 0.5:
            moment += timedelta(seconds=rng.randint(1, step))
        result.append(moment)
    rng.shuffle(result)
    return result


def _stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def _created(rng: random.Random, modified: datetime) -> str:
    if rng.random() < 0.3:
        return _stamp(modified)
    return _stamp(max(BASE_TIME - timedelta(days=365), modified - timedelta(seconds=rng.randint(60, 300 * 86_400))))


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


@dataclass(frozen=True)
class _Person:
    first: str
    last: str
    email: str
    phone: str


def _person(rng: random.Random, domain: str, used_emails: list[str]) -> _Person:
    first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
    roll = rng.random()
    if roll < 0.03:
        email = ""  # no email on file
    elif roll < 0.04 and used_emails:
        email = rng.choice(used_emails)  # one mailbox shared by two contacts
    else:
        email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
        if roll < 0.09:
            email = email.title()  # mixed case: 'Ann.Lee@Acme.Example.Com'
        used_emails.append(email)
    phone = f"+1-555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}"
    return _Person(first, last, email, phone)


def _address(rng: random.Random, prefix: str) -> Record:
    city, state, zipcode, country = rng.choice(words.CITIES)
    return {
        f"{prefix}MAILADDRESS.ADDRESS1": f"{rng.randint(1, 9999)} {rng.choice(words.STREETS)}",
        f"{prefix}MAILADDRESS.ADDRESS2": f"Suite {rng.randint(100, 999)}" if rng.random() < 0.2 else "",
        f"{prefix}MAILADDRESS.CITY": city,
        f"{prefix}MAILADDRESS.STATE": state,
        f"{prefix}MAILADDRESS.ZIP": zipcode,
        f"{prefix}MAILADDRESS.COUNTRY": country,
    }


def _company_name(rng: random.Random, trades: Sequence[str]) -> str:
    if rng.random() < 0.3:
        base = f"{rng.choice(words.LAST_NAMES)} {rng.choice(trades)}"
    else:
        base = f"{rng.choice(words.COMPANY_WORDS)} {rng.choice(trades)}"
    return f"{base} {rng.choice(words.SUFFIXES)}".strip()


def _display_contact(name: str, contact_name: str, person: _Person) -> Record:
    """The display contact Intacct creates with a vendor or customer (CONTACTNAME "<NAME>(V<VENDORID>)")."""
    return {
        "DISPLAYCONTACT.CONTACTNAME": contact_name,
        "DISPLAYCONTACT.PRINTAS": name,
        "DISPLAYCONTACT.COMPANYNAME": name,
        "DISPLAYCONTACT.FIRSTNAME": person.first,
        "DISPLAYCONTACT.LASTNAME": person.last,
        "DISPLAYCONTACT.PHONE1": person.phone,
        "DISPLAYCONTACT.EMAIL1": person.email,
    }


def _domain(name: str, index: int) -> str:
    slug = ascii_slug(name)[:16] or f"company{index}"
    return f"{slug}.example.com"


def seed_store(store: RecordStore, *, seed: int, size: int) -> None:
    """Fill an empty store. ``size`` >= 1 vendors."""
    if size < 1:
        raise ValueError("size must be >= 1")
    with store.lock:
        _seed_dimensions(store, _rng(seed, "dimensions"))
        vendors = _seed_vendors(store, _rng(seed, "VENDOR"), size)
        _seed_contacts(store, _rng(seed, "CONTACT"), vendors)
        customers = _seed_customers(store, _rng(seed, "CUSTOMER"), max(1, size // 2))
        _seed_projects(store, _rng(seed, "PROJECT"), customers, size // 20 + 3)
        _seed_bills(store, _rng(seed, "APBILL"), vendors, size)
        _seed_items(store, _rng(seed, "ITEM"))


def _seed_dimensions(store: RecordStore, rng: random.Random) -> None:
    tables: list[tuple[str, list[Record]]] = [
        (
            "GLACCOUNT",
            [
                {
                    "ACCOUNTNO": no,
                    "TITLE": title,
                    "ACCOUNTTYPE": kind,
                    "NORMALBALANCE": balance,
                    "CATEGORY": category,
                    "STATUS": "inactive" if no == "1200" else "active",
                    "CLOSINGTYPE": "non-closing account" if kind == "balancesheet" else "closing account",
                }
                for no, title, kind, balance, category in words.GL_ACCOUNTS
            ],
        ),
        (
            "DEPARTMENT",
            [{"DEPARTMENTID": d, "TITLE": t, "PARENTID": p, "STATUS": "active"} for d, t, p in words.DEPARTMENTS],
        ),
        (
            "LOCATION",
            [
                {"LOCATIONID": loc, "NAME": n, "PARENTID": p, "CURRENCY": c, "STATUS": "active"}
                for loc, n, p, c in words.LOCATIONS
            ],
        ),
        (
            "CLASS",
            [{"CLASSID": c, "NAME": n, "DESCRIPTION": d, "STATUS": "active"} for c, n, d in words.CLASSES],
        ),
    ]
    for object_name, rows in tables:
        for row, moment in zip(rows, modified_stamps(rng, len(rows)), strict=True):
            parent = store.find(object_name, row["PARENTID"]) if row.get("PARENTID") else None
            extra = {"PARENTKEY": parent["RECORDNO"]} if parent else {}
            store.insert(
                object_name,
                {**row, **extra, "WHENCREATED": _created(rng, moment), "WHENMODIFIED": _stamp(moment)},
            )


def _seed_vendors(store: RecordStore, rng: random.Random, size: int) -> list[Record]:
    stamps = modified_stamps(rng, size)
    used_emails: list[str] = []
    vendors: list[Record] = []
    for index in range(size):
        tricky = index % _TRICKY_EVERY == 1 and index // _TRICKY_EVERY < len(words.TRICKY_VENDOR_NAMES)
        name = words.TRICKY_VENDOR_NAMES[index // _TRICKY_EVERY] if tricky else _company_name(rng, words.VENDOR_TRADES)
        vendor_id = f"V{100 + index}"
        person = _person(rng, _domain(name, index), used_emails)
        parent = rng.choice(vendors) if vendors and rng.random() < 0.08 else None
        record: Record = {
            "VENDORID": vendor_id,
            "NAME": name,
            "STATUS": "inactive" if rng.random() < 0.1 else "active",
            "ONETIME": "false",
            "ONHOLD": "true" if rng.random() < 0.05 else "false",
            "VENDTYPE": rng.choice(words.VENDOR_TYPES),
            "CREDITLIMIT": _money(Decimal(rng.randint(0, 50) * 1000)),
            "TOTALDUE": "0.00",
            "TERMNAME": rng.choice(words.TERMS),
            "CURRENCY": rng.choice(words.CURRENCIES),
            "VENDORACCOUNTNO": f"ACCT-{rng.randint(10000, 99999)}",
            "APACCOUNT": "2000",
            "PARENTID": parent["VENDORID"] if parent else "",
            "PARENTKEY": parent["RECORDNO"] if parent else "",
            "PARENTNAME": parent["NAME"] if parent else "",
            **_display_contact(name, f"{name}(V{vendor_id})", person),
            "DISPLAYCONTACT.EMAIL2": f"ap@{_domain(name, index)}" if rng.random() < 0.3 else "",
            "DISPLAYCONTACT.URL1": f"https://www.{_domain(name, index)}" if rng.random() < 0.5 else "",
            **_address(rng, "DISPLAYCONTACT."),
            "WHENCREATED": _created(rng, stamps[index]),
            "WHENMODIFIED": _stamp(stamps[index]),
        }
        vendors.append(store.insert("VENDOR", record))
    return vendors


def _seed_contacts(store: RecordStore, rng: random.Random, vendors: Sequence[Record]) -> None:
    counts = [rng.randint(1, 3) for _ in vendors]
    stamps = iter(modified_stamps(rng, sum(counts)))
    used_emails: list[str] = []
    for vendor, count in zip(vendors, counts, strict=True):
        domain = _domain(vendor["NAME"], int(vendor["RECORDNO"]))
        names: list[str] = []
        for number in range(1, count + 1):
            person = _person(rng, domain, used_emails)
            contact_name = f"{person.first} {person.last} ({vendor['VENDORID']}-{number})"
            moment = next(stamps)
            store.insert(
                "CONTACT",
                {
                    "CONTACTNAME": contact_name,
                    "PRINTAS": f"{person.first} {person.last}",
                    "COMPANYNAME": vendor["NAME"],
                    "FIRSTNAME": person.first,
                    "LASTNAME": person.last,
                    "PHONE1": person.phone,
                    "EMAIL1": person.email,
                    "STATUS": "inactive" if rng.random() < 0.05 else "active",
                    "TAXABLE": "false",
                    "VENDORID": vendor["VENDORID"],
                    **_address(rng, ""),
                    "WHENCREATED": _created(rng, moment),
                    "WHENMODIFIED": _stamp(moment),
                },
            )
            names.append(contact_name)
        updated = {**vendor, "CONTACTINFO.CONTACTNAME": names[0], "PAYTO.CONTACTNAME": names[0]}
        store.replace("VENDOR", int(vendor["RECORDNO"]), updated)


def _seed_customers(store: RecordStore, rng: random.Random, count: int) -> list[Record]:
    stamps = modified_stamps(rng, count)
    used_emails: list[str] = []
    customers: list[Record] = []
    for index in range(count):
        name = _company_name(rng, words.CUSTOMER_TRADES)
        person = _person(rng, _domain(name, index), used_emails)
        parent = rng.choice(customers) if customers and rng.random() < 0.2 else None
        record: Record = {
            "CUSTOMERID": f"C{100 + index}",
            "NAME": name,
            "STATUS": "inactive" if rng.random() < 0.08 else "active",
            "ONETIME": "false",
            "ONHOLD": "true" if rng.random() < 0.03 else "false",
            "CUSTTYPE": rng.choice(words.CUSTOMER_TYPES),
            "CREDITLIMIT": _money(Decimal(rng.randint(0, 100) * 500)),
            "TOTALDUE": _money(Decimal(rng.randint(0, 500_000)) / 100),
            "TERMNAME": rng.choice(words.TERMS),
            "CURRENCY": rng.choice(words.CURRENCIES),
            "PARENTID": parent["CUSTOMERID"] if parent else "",
            "PARENTKEY": parent["RECORDNO"] if parent else "",
            "PARENTNAME": parent["NAME"] if parent else "",
            **_display_contact(name, f"{name}(C{100 + index})", person),
            **_address(rng, "DISPLAYCONTACT."),
            "WHENCREATED": _created(rng, stamps[index]),
            "WHENMODIFIED": _stamp(stamps[index]),
        }
        customers.append(store.insert("CUSTOMER", record))
    return customers


def _seed_projects(store: RecordStore, rng: random.Random, customers: Sequence[Record], count: int) -> None:
    stamps = modified_stamps(rng, count)
    for index in range(count):
        customer = rng.choice(customers)
        begin = BASE_TIME + timedelta(days=rng.randint(0, 300))
        store.insert(
            "PROJECT",
            {
                "PROJECTID": f"P{1000 + index}",
                "NAME": f"{customer['NAME']} - {rng.choice(('Rollout', 'Audit', 'Migration', 'Support'))}",
                "PROJECTCATEGORY": rng.choice(words.PROJECT_CATEGORIES),
                "PROJECTSTATUS": rng.choice(("Not Started", "In Progress", "Completed")),
                "STATUS": "active",
                "CUSTOMERID": customer["CUSTOMERID"],
                "CUSTOMERNAME": customer["NAME"],
                "BEGINDATE": begin.strftime(DATE_FORMAT),
                "ENDDATE": (begin + timedelta(days=rng.randint(30, 365))).strftime(DATE_FORMAT),
                "WHENCREATED": _created(rng, stamps[index]),
                "WHENMODIFIED": _stamp(stamps[index]),
            },
        )


def _seed_bills(store: RecordStore, rng: random.Random, vendors: Sequence[Record], count: int) -> None:
    stamps = modified_stamps(rng, count)
    active = [vendor for vendor in vendors if vendor["STATUS"] == "active"] or list(vendors)
    for index in range(count):
        vendor = rng.choice(active)
        modified = stamps[index]
        bill_date = modified - timedelta(days=rng.randint(0, 60))
        lines = [
            (rng.choice(words.EXPENSE_ACCOUNTS), Decimal(rng.randint(500, 500_000)) / 100)
            for _ in range(rng.randint(1, 3))
        ]
        total = sum((amount for _, amount in lines), Decimal(0))
        roll = rng.random()
        state = "Draft" if roll < 0.15 else "Posted" if roll < 0.6 else "Paid"
        paid_on = bill_date + timedelta(days=rng.randint(1, 40)) if state == "Paid" else None
        bill = store.insert(
            "APBILL",
            {
                "RECORDID": f"INV-{10000 + index}",
                "STATE": state,
                "VENDORID": vendor["VENDORID"],
                "VENDORNAME": vendor["NAME"],
                "DOCNUMBER": f"PO-{rng.randint(1000, 9999)}" if rng.random() < 0.4 else "",
                "DESCRIPTION": rng.choice(("Monthly services", "Supplies order", "Consulting hours", "")),
                "TERMNAME": vendor.get("TERMNAME", "N30"),
                "WHENCREATED": bill_date.strftime(DATE_FORMAT),
                "WHENPOSTED": "" if state == "Draft" else bill_date.strftime(DATE_FORMAT),
                "WHENDUE": (bill_date + timedelta(days=30)).strftime(DATE_FORMAT),
                "WHENPAID": paid_on.strftime(DATE_FORMAT) if paid_on else "",
                "TOTALENTERED": _money(total),
                "TOTALPAID": _money(total if paid_on else Decimal(0)),
                "TOTALDUE": _money(Decimal(0) if paid_on else total),
                "BASECURR": "USD",
                "CURRENCY": vendor.get("CURRENCY", "USD"),
                "ONHOLD": "false",
                "WHENMODIFIED": _stamp(modified),
            },
        )
        for line_no, (account, amount) in enumerate(lines, start=1):
            store.insert(
                "APBILLITEM",
                {
                    "RECORDKEY": bill["RECORDNO"],
                    "LINE_NO": str(line_no),
                    "ACCOUNTNO": account,
                    "ACCOUNTTITLE": _ACCOUNT_TITLES[account],
                    "TRX_AMOUNT": _money(amount),
                    "ENTRYDESCRIPTION": f"Line {line_no}",
                    "LOCATIONID": rng.choice(words.LOCATIONS)[0],
                    "DEPARTMENTID": rng.choice(words.DEPARTMENTS)[0],
                    "VENDORID": vendor["VENDORID"],
                    "WHENCREATED": _stamp(modified),
                    "WHENMODIFIED": _stamp(modified),
                },
            )
        if paid_on is not None:
            _seed_payment(store, rng, bill, paid_on, modified)


def _seed_payment(store: RecordStore, rng: random.Random, bill: Record, paid_on: datetime, modified: datetime) -> None:
    payment = store.insert(
        "APPYMT",
        {
            "RECORDTYPE": "pp",
            "FINANCIALENTITY": "BOA-CHK",
            "STATE": "Complete",
            "PAYMENTMETHOD": rng.choice(words.PAYMENT_METHODS),
            "VENDORID": bill["VENDORID"],
            "VENDORNAME": bill["VENDORNAME"],
            "DOCNUMBER": str(rng.randint(10000, 99999)),
            "DESCRIPTION": f"Payment for {bill['RECORDID']}",
            "WHENCREATED": paid_on.strftime(DATE_FORMAT),
            "WHENPAID": paid_on.strftime(DATE_FORMAT),
            "TOTALENTERED": bill["TOTALENTERED"],
            "BASECURR": "USD",
            "CURRENCY": bill.get("CURRENCY", "USD"),
            "WHENMODIFIED": _stamp(modified),
        },
    )
    store.insert(
        "APPYMTDETAIL",
        {
            "PAYMENTKEY": payment["RECORDNO"],
            "RECORDKEY": bill["RECORDNO"],
            "TRX_PAYMENTAMOUNT": bill["TOTALENTERED"],
            "WHENCREATED": _stamp(modified),
            "WHENMODIFIED": _stamp(modified),
        },
    )


def _seed_items(store: RecordStore, rng: random.Random) -> None:
    """A fixed catalogue; the last item is inactive."""
    stamps = modified_stamps(rng, len(words.ITEMS))
    for (item_id, name, kind, unit, cost), moment in zip(words.ITEMS, stamps, strict=True):
        store.insert(
            "ITEM",
            {
                "ITEMID": item_id,
                "NAME": name,
                "ITEMTYPE": kind,
                "STATUS": "inactive" if item_id == words.ITEMS[-1][0] else "active",
                "UNIT": unit,
                "STANDARD_COST": cost,
                "BASEPRICE": _money(Decimal(cost) * 2),
                "WHENCREATED": _created(rng, moment),
                "WHENMODIFIED": _stamp(moment),
            },
        )
