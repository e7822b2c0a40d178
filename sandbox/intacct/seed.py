"""Deterministic seeded data: the same (seed, size) always yields the same records.

``size`` is the number of vendors; the other objects scale with it (1-3 contacts per vendor,
size/2 customers, size bills with 1-3 lines, payments for paid bills, then max(4, size/10) payment
scenarios: partly paid, selected, paid in two instalments, two bills paid by one payment). Chart of
accounts, dimensions, employees, warehouses and items are fixed lists. Each object draws from its own RNG
stream, so adding an object later does not change the others. WHENMODIFIED values lie in 2024-2025, are
not ordered by RECORDNO and often share one second (to exercise cursors).

``volumes`` (SeedVolumes, for benchmarks) may set the number of customers and bills and the share of bills
seeded paid; left at None, each keeps the default above and the seeded data is byte-for-byte what it was.

Fields added after the first seed (the reference's full field lists) are filled by ``_enrich`` from their
own streams, only where a record has no value yet: the records and values seeded before stay identical.
Fields added for sageintacctsdk's default select lists are filled last by ``_seed_sdk_fields`` (stream
"sdk-fields"), again only where empty.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sandbox.intacct import seed_words as words
from sandbox.intacct.ap_documents import AP_MODULEKEY, record_url
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


_DRAFT_SHARE = 0.15
_POSTED_BELOW = 0.6  # bills rolling from _DRAFT_SHARE up to this are Posted, the rest Paid


@dataclass(frozen=True)
class SeedVolumes:
    """Counts other than those ``size`` implies (None: the default). The payment scenarios stay max(4, size/10)."""

    customers: int | None = None
    """Customers instead of size/2."""
    bills: int | None = None
    """Bills (before the payment scenarios' bills) instead of ``size``; their RECORDIDs must stay below INV-90000."""
    paid_share: float | None = None
    """Share of those bills seeded Paid (with a payment each) instead of 0.4; Draft stays 0.15, Posted the rest."""

    def __post_init__(self) -> None:
        if self.customers is not None and self.customers < 1:
            raise ValueError("customers must be >= 1")
        if self.bills is not None and not 0 <= self.bills <= 80_000:
            raise ValueError("bills must be between 0 and 80000 (scenario bills are numbered from INV-90000)")
        if self.paid_share is not None and not 0 <= self.paid_share <= 1 - _DRAFT_SHARE:
            raise ValueError(f"paid_share must be between 0 and {1 - _DRAFT_SHARE}")


def seed_store(store: RecordStore, *, seed: int, size: int, volumes: SeedVolumes | None = None) -> None:
    """Fill an empty store. ``size`` >= 1 vendors."""
    if size < 1:
        raise ValueError("size must be >= 1")
    volumes = volumes or SeedVolumes()
    customer_count = max(1, size // 2) if volumes.customers is None else volumes.customers
    bill_count = size if volumes.bills is None else volumes.bills
    posted_below = _POSTED_BELOW if volumes.paid_share is None else 1 - volumes.paid_share
    with store.lock:
        _seed_dimensions(store, _rng(seed, "dimensions"))
        vendors = _seed_vendors(store, _rng(seed, "VENDOR"), size)
        _seed_contacts(store, _rng(seed, "CONTACT"), vendors)
        customers = _seed_customers(store, _rng(seed, "CUSTOMER"), customer_count)
        _seed_projects(store, _rng(seed, "PROJECT"), customers, size // 20 + 3)
        _seed_bills(store, _rng(seed, "APBILL"), vendors, bill_count, posted_below)
        _seed_items(store, _rng(seed, "ITEM"))
        _enrich(store, seed)
        _seed_payment_scenarios(store, _rng(seed, "APBILL-scenarios"), max(4, size // 10))
        _seed_employees(store, _rng(seed, "EMPLOYEE"))
        _seed_warehouses(store, _rng(seed, "WAREHOUSE"))
        _seed_sdk_fields(store, _rng(seed, "sdk-fields"))


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


def _seed_bills(
    store: RecordStore, rng: random.Random, vendors: Sequence[Record], count: int, posted_below: float
) -> None:
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
        state = "Draft" if roll < _DRAFT_SHARE else "Posted" if roll < posted_below else "Paid"
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
        _insert_bill_lines(store, rng, bill, lines, modified)
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


# ---------------------------------------------------------------------------- fields added later
# UNVERIFIED values throughout: ISO country codes in MAILADDRESS.COUNTRYCODE, PAYMETHODKEY names, PAYMENTPRIORITY
# normal|urgent|high|low, 1099 type NEC box 1 for contractors, ACH account type/remittance type, PRBATCH titles.
_COUNTRY_CODES = {
    "United States": "US",
    "Canada": "CA",
    "United Kingdom": "GB",
    "Germany": "DE",
    "France": "FR",
    "Japan": "JP",
}
_PAYMETHODS = ("Printed Check", "Printed Check", "ACH", "ACH", "EFT")
_PRIORITIES = ("normal",) * 7 + ("urgent", "high", "low")


def _fill(store: RecordStore, object_name: str, record: Record, extra: Record) -> Record:
    """Add values for fields the record has none for; seeded values always win."""
    return store.replace(
        object_name, int(record["RECORDNO"]), {**record, **{k: v for k, v in extra.items() if not record.get(k)}}
    )


def _country_code(record: Record, prefix: str) -> Record:
    code = _COUNTRY_CODES.get(record.get(f"{prefix}MAILADDRESS.COUNTRY", ""), "")
    return {f"{prefix}MAILADDRESS.COUNTRYCODE": code}


def _enrich(store: RecordStore, seed: int) -> None:
    _enrich_vendors(store, _rng(seed, "VENDOR-fields"))
    _enrich_contacts(store, _rng(seed, "CONTACT-fields"))
    _enrich_customers(store, _rng(seed, "CUSTOMER-fields"))
    _enrich_bills(store, _rng(seed, "APBILL-fields"))
    for payment in store.all("APPYMT"):
        _fill(store, "APPYMT", payment, {"RECORDID": payment.get("DOCNUMBER", "")})


def _enrich_vendors(store: RecordStore, rng: random.Random) -> None:
    for vendor in store.all("VENDOR"):
        method = rng.choice(_PAYMETHODS)
        ach = method == "ACH"
        contractor = vendor.get("VENDTYPE") == "Contractor"
        extra: Record = {
            "APACCOUNTTITLE": _ACCOUNT_TITLES.get(vendor.get("APACCOUNT", ""), ""),
            "DISPLAYCONTACT.TAXABLE": "false",
            "DISPLAYCONTACT.INITIAL": rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.2 else "",
            "DISPLAYCONTACT.FAX": f"+1-555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}"
            if rng.random() < 0.15
            else "",
            **_country_code(vendor, "DISPLAYCONTACT."),
            "HIDEDISPLAYCONTACT": "false",
            "TAXID": f"{rng.randint(10, 99)}-{rng.randint(1_000_000, 9_999_999)}" if rng.random() < 0.7 else "",
            "FORM1099TYPE": "NEC" if contractor else "",
            "FORM1099BOX": "1" if contractor else "",
            "DONOTCUTCHECK": "false",
            "PAYMETHODKEY": method,
            "MERGEPAYMENTREQ": "true",
            "PAYMENTNOTIFY": "true" if method != "Printed Check" else "false",
            "PAYMENTPRIORITY": rng.choice(_PRIORITIES),
            "DISPLAYTERMDISCOUNT": "false",
            "ACHENABLED": "true" if ach else "false",
            "ACHBANKROUTINGNUMBER": f"{rng.randint(10_000_000, 99_999_999)}{rng.randint(0, 9)}" if ach else "",
            "ACHACCOUNTNUMBER": str(rng.randint(10_000_000, 9_999_999_999)) if ach else "",
            "ACHACCOUNTTYPE": "Checking Account" if ach else "",
            "ACHREMITTANCETYPE": "CCD" if ach else "",
            "DISPLAYACCTNOCHECK": "false",
            "OBJECTRESTRICTION": "Unrestricted",
            "PAYTOCONTACT.CONTACTNAME": vendor.get("PAYTO.CONTACTNAME", ""),
        }
        _fill(store, "VENDOR", vendor, extra)


def _enrich_contacts(store: RecordStore, rng: random.Random) -> None:
    for contact in store.all("CONTACT"):
        initial = rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.2 else ""
        _fill(store, "CONTACT", contact, {"INITIAL": initial, **_country_code(contact, "")})


def _contact_copy(record: Record, source: str, target: str) -> Record:
    return {target + name[len(source) :]: value for name, value in record.items() if name.startswith(source)}


def _enrich_customers(store: RecordStore, rng: random.Random) -> None:
    """BILLTO and SHIPTO: the display contact for most customers; some bill to an AP desk or ship elsewhere."""
    for customer in store.all("CUSTOMER"):
        display = {
            **_contact_copy(customer, "DISPLAYCONTACT.", "DISPLAYCONTACT."),
            **_country_code(customer, "DISPLAYCONTACT."),
        }
        display["DISPLAYCONTACT.TAXABLE"] = "true"
        extra: Record = dict(display)
        customer_id, name = customer["CUSTOMERID"], customer["NAME"]
        if rng.random() < 0.3:
            person = _person(rng, _domain(name, int(customer_id[1:]) - 100), [])
            billto: Record = {
                "BILLTO.CONTACTNAME": f"Accounts Payable ({customer_id})",
                "BILLTO.PRINTAS": f"{name} - Accounts Payable",
                "BILLTO.COMPANYNAME": name,
                "BILLTO.TAXABLE": "true",
                "BILLTO.FIRSTNAME": person.first,
                "BILLTO.LASTNAME": person.last,
                "BILLTO.PHONE1": person.phone,
                "BILLTO.EMAIL1": f"ap@{_domain(name, int(customer_id[1:]) - 100)}",
                **_address(rng, "BILLTO."),
            }
            billto.update(_country_code(billto, "BILLTO."))
        else:
            billto = _contact_copy(display, "DISPLAYCONTACT.", "BILLTO.")
        if rng.random() < 0.25:
            shipto: Record = {
                "SHIPTO.CONTACTNAME": f"Receiving ({customer_id})",
                "SHIPTO.PRINTAS": f"{name} - Receiving",
                "SHIPTO.COMPANYNAME": name,
                "SHIPTO.TAXABLE": "true",
                "SHIPTO.PHONE1": f"+1-555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}",
                **_address(rng, "SHIPTO."),
            }
            shipto.update(_country_code(shipto, "SHIPTO."))
        else:
            shipto = _contact_copy(display, "DISPLAYCONTACT.", "SHIPTO.")
        _fill(store, "CUSTOMER", customer, {**extra, **billto, **shipto})


def _bill_extras(bill: Record, priority: str) -> Record:
    return {
        "RECORD_URL": record_url("APBILL", bill["RECORDNO"]),
        "TOTALSELECTED": "0.00",
        "RECPAYMENTDATE": bill.get("WHENDUE", ""),
        "PAYMENTPRIORITY": priority,
        "PRBATCH": f"Bills: {bill['WHENPOSTED']}" if bill.get("WHENPOSTED") else "",
        "MODULEKEY": AP_MODULEKEY,
    }


def _enrich_bills(store: RecordStore, rng: random.Random) -> None:
    for bill in store.all("APBILL"):
        _fill(store, "APBILL", bill, _bill_extras(bill, rng.choice(_PRIORITIES)))


# ---------------------------------------------------------------------------- payment scenarios
_SCENARIOS = ("partial", "selected", "two_instalments", "two_bills_one_payment")


def _seed_payment_scenarios(store: RecordStore, rng: random.Random, count: int) -> None:
    """Bills that the first seed lacks: partly paid (one or two payments), selected for payment, and two bills
    of one vendor settled by a single payment. Totals always agree with the payment details."""
    vendors = [v for v in store.all("VENDOR") if v.get("STATUS") == "active" and v.get("ONHOLD") != "true"]
    vendors = vendors or store.all("VENDOR")
    stamps = modified_stamps(rng, count)
    for index in range(count):
        scenario = _SCENARIOS[index % len(_SCENARIOS)]
        vendor, modified = rng.choice(vendors), stamps[index]
        bill_date = modified - timedelta(days=rng.randint(20, 60))
        first = _scenario_bill(store, rng, vendor, f"INV-{90000 + 2 * index}", bill_date=bill_date, modified=modified)
        total = Decimal(first["TOTALENTERED"])
        if scenario == "selected":
            _settle(store, first, paid=Decimal(0), selected=total, paid_on=None)
        elif scenario == "partial":
            amount = (total * Decimal(rng.randint(20, 80)) / 100).quantize(Decimal("0.01"))
            paid_on = bill_date + timedelta(days=rng.randint(1, 15))
            _seed_scenario_payment(store, rng, vendor, paid_on=paid_on, modified=modified, pays=[(first, amount)])
            _settle(store, first, paid=amount, selected=Decimal(0), paid_on=None)
        elif scenario == "two_instalments":
            one = (total * Decimal(rng.randint(10, 40)) / 100).quantize(Decimal("0.01"))
            two = (total * Decimal(rng.randint(10, 40)) / 100).quantize(Decimal("0.01"))
            on_one = bill_date + timedelta(days=rng.randint(1, 7))
            on_two = on_one + timedelta(days=rng.randint(1, 7))
            _seed_scenario_payment(store, rng, vendor, paid_on=on_one, modified=modified, pays=[(first, one)])
            _seed_scenario_payment(store, rng, vendor, paid_on=on_two, modified=modified, pays=[(first, two)])
            _settle(store, first, paid=one + two, selected=Decimal(0), paid_on=None)
        else:
            second = _scenario_bill(
                store, rng, vendor, f"INV-{90000 + 2 * index + 1}", bill_date=bill_date, modified=modified
            )
            paid_on = bill_date + timedelta(days=rng.randint(1, 15))
            pays = [(first, total), (second, Decimal(second["TOTALENTERED"]))]
            _seed_scenario_payment(store, rng, vendor, paid_on=paid_on, modified=modified, pays=pays)
            for bill, amount in pays:
                _settle(store, bill, paid=amount, selected=Decimal(0), paid_on=paid_on)


def _scenario_bill(
    store: RecordStore, rng: random.Random, vendor: Record, number: str, *, bill_date: datetime, modified: datetime
) -> Record:
    lines = [
        (rng.choice(words.EXPENSE_ACCOUNTS), Decimal(rng.randint(5_000, 500_000)) / 100)
        for _ in range(rng.randint(1, 2))
    ]
    total = sum((amount for _, amount in lines), Decimal(0))
    bill = store.insert(
        "APBILL",
        {
            "RECORDID": number,
            "STATE": "Posted",
            "VENDORID": vendor["VENDORID"],
            "VENDORNAME": vendor["NAME"],
            "DESCRIPTION": rng.choice(("Monthly services", "Supplies order", "Consulting hours")),
            "TERMNAME": vendor.get("TERMNAME", "N30"),
            "WHENCREATED": bill_date.strftime(DATE_FORMAT),
            "WHENPOSTED": bill_date.strftime(DATE_FORMAT),
            "WHENDUE": (bill_date + timedelta(days=30)).strftime(DATE_FORMAT),
            "TOTALENTERED": _money(total),
            "TOTALPAID": "0.00",
            "TOTALDUE": _money(total),
            "BASECURR": "USD",
            "CURRENCY": vendor.get("CURRENCY", "USD"),
            "ONHOLD": "false",
            "WHENMODIFIED": _stamp(modified),
        },
    )
    bill = _fill(store, "APBILL", bill, _bill_extras(bill, rng.choice(_PRIORITIES)))
    _insert_bill_lines(store, rng, bill, lines, modified)
    return bill


def _insert_bill_lines(
    store: RecordStore, rng: random.Random, bill: Record, lines: Sequence[tuple[str, Decimal]], modified: datetime
) -> None:
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
                "VENDORID": bill["VENDORID"],
                "WHENCREATED": _stamp(modified),
                "WHENMODIFIED": _stamp(modified),
            },
        )


def _settle(store: RecordStore, bill: Record, *, paid: Decimal, selected: Decimal, paid_on: datetime | None) -> None:
    """STATE and totals from what was paid and selected (UNVERIFIED: WHENPAID only once fully paid)."""
    total = Decimal(bill["TOTALENTERED"])
    due = total - paid
    state = "Paid" if due == 0 else "Partially Paid" if paid else "Selected" if selected else "Posted"
    store.replace(
        "APBILL",
        int(bill["RECORDNO"]),
        {
            **bill,
            "STATE": state,
            "TOTALPAID": _money(paid),
            "TOTALDUE": _money(due),
            "TOTALSELECTED": _money(selected),
            "WHENPAID": paid_on.strftime(DATE_FORMAT) if paid_on is not None and due == 0 else "",
        },
    )


def _seed_scenario_payment(
    store: RecordStore,
    rng: random.Random,
    vendor: Record,
    *,
    paid_on: datetime,
    modified: datetime,
    pays: Sequence[tuple[Record, Decimal]],
) -> None:
    number = str(rng.randint(10000, 99999))
    payment = store.insert(
        "APPYMT",
        {
            "RECORDTYPE": "pp",
            "RECORDID": number,
            "FINANCIALENTITY": "BOA-CHK",
            "STATE": "Complete",
            "PAYMENTMETHOD": vendor.get("PAYMETHODKEY") or rng.choice(words.PAYMENT_METHODS),
            "VENDORID": vendor["VENDORID"],
            "VENDORNAME": vendor["NAME"],
            "DOCNUMBER": number,
            "DESCRIPTION": "Payment for " + ", ".join(bill["RECORDID"] for bill, _ in pays),
            "WHENCREATED": paid_on.strftime(DATE_FORMAT),
            "WHENPAID": paid_on.strftime(DATE_FORMAT),
            "TOTALENTERED": _money(sum((amount for _, amount in pays), Decimal(0))),
            "BASECURR": "USD",
            "CURRENCY": vendor.get("CURRENCY", "USD"),
            "WHENMODIFIED": _stamp(modified),
        },
    )
    for bill, amount in pays:
        store.insert(
            "APPYMTDETAIL",
            {
                "PAYMENTKEY": payment["RECORDNO"],
                "RECORDKEY": bill["RECORDNO"],
                "TRX_PAYMENTAMOUNT": _money(amount),
                "WHENCREATED": _stamp(modified),
                "WHENMODIFIED": _stamp(modified),
            },
        )


# ---------------------------------------------------------------------------- other dimensions
# (EMPLOYEEID, TITLE, DEPARTMENTID, LOCATIONID, SUPERVISORID); names are drawn.
_EMPLOYEES = (
    ("E100", "Chief Financial Officer", "60", "100", ""),
    ("E101", "AP Specialist", "60", "100", "E100"),
    ("E102", "Sales Manager", "20", "110", "E100"),
    ("E103", "Account Executive", "21", "120", "E102"),
    ("E104", "Engineer", "40", "210", "E100"),
    ("E105", "Office Manager", "10", "300", "E100"),
)
_WAREHOUSES = (
    ("WH-01", "Main Warehouse", "100", ""),
    ("WH-02", "East Coast DC", "110", "WH-01"),
    ("WH-EU", "Europe DC", "200", ""),
)


def _seed_employees(store: RecordStore, rng: random.Random) -> None:
    stamps = modified_stamps(rng, len(_EMPLOYEES))
    for (employee_id, title, department, location, supervisor), moment in zip(_EMPLOYEES, stamps, strict=True):
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        store.insert(
            "EMPLOYEE",
            {
                "EMPLOYEEID": employee_id,
                "TITLE": title,
                "CONTACT.CONTACTNAME": f"{last}, {first} ({employee_id})",
                "CONTACT.FIRSTNAME": first,
                "CONTACT.LASTNAME": last,
                "CONTACT.EMAIL1": f"{ascii_slug(first)}.{ascii_slug(last)}@mlc-sandbox.example.com",
                "DEPARTMENTID": department,
                "LOCATIONID": location,
                "SUPERVISORID": supervisor,
                "STARTDATE": (BASE_TIME - timedelta(days=rng.randint(30, 2000))).strftime(DATE_FORMAT),
                "STATUS": "active",
                "WHENCREATED": _created(rng, moment),
                "WHENMODIFIED": _stamp(moment),
            },
        )


def _seed_warehouses(store: RecordStore, rng: random.Random) -> None:
    stamps = modified_stamps(rng, len(_WAREHOUSES))
    for (warehouse_id, name, location, parent), moment in zip(_WAREHOUSES, stamps, strict=True):
        store.insert(
            "WAREHOUSE",
            {
                "WAREHOUSEID": warehouse_id,
                "NAME": name,
                "LOCATIONID": location,
                "PARENTID": parent,
                "STATUS": "active",
                "WHENCREATED": _created(rng, moment),
                "WHENMODIFIED": _stamp(moment),
            },
        )


# ---------------------------------------------------------------------------- sageintacctsdk default fields
# Fields from sageintacctsdk's default select lists (schema._SDK_DEFAULT_FIELDS), values UNVERIFIED. Seeded only
# where a next integration may read them; the others stay empty. CREATEDBY/MODIFIEDBY are user RECORDNOs
# (numbers, as in Intacct Data Delivery mirrors); the pool below is a sandbox choice. ENTITY on CUSTOMER is
# "C" + CUSTOMERID (UNVERIFIED). MEGAENTITYKEY/ID/NAME stay empty: the simulated company is one top-level entity
# (as CLASS.MEGAENTITYID already is). PROJECT.CUSTOMERKEY is the RECORDNO of its CUSTOMERID.
_USER_KEYS = ("1", "1", "1", "7", "12", "23")


def _who(rng: random.Random, record: Record) -> Record:
    created_by = rng.choice(_USER_KEYS)
    unchanged = record.get("WHENCREATED") == record.get("WHENMODIFIED")
    return {"CREATEDBY": created_by, "MODIFIEDBY": created_by if unchanged else rng.choice(_USER_KEYS)}


def _seed_sdk_fields(store: RecordStore, rng: random.Random) -> None:
    for customer in store.all("CUSTOMER"):
        extra = {"ENTITY": f"C{customer['CUSTOMERID']}", "OBJECTRESTRICTION": "Unrestricted", **_who(rng, customer)}
        _fill(store, "CUSTOMER", customer, extra)
    for class_ in store.all("CLASS"):
        _fill(store, "CLASS", class_, {"RECORD_URL": record_url("CLASS", class_["RECORDNO"]), **_who(rng, class_)})
    for project in store.all("PROJECT"):
        owner = store.find("CUSTOMER", project["CUSTOMERID"]) if project.get("CUSTOMERID") else None
        if owner is not None:
            _fill(store, "PROJECT", project, {"CUSTOMERKEY": owner["RECORDNO"]})
