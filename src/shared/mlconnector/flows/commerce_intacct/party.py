"""The canonical "party" of the vendor master, and the pure mappings between it and Intacct vendors and Commerce
customers and companies.

A party is what an Intacct vendor and a Commerce customer (with the B2B company it administers) have in common:
a name, a contact's first and last name, an email, a phone and a postal address. Both vendor-master streams map
their records to a party payload, so a record and what was written from it on the other side hash the same
(loop prevention, see vendor_master.py).

Normalisation makes round trips lossless: text loses the control characters XML forbids (Intacct strips them)
and has its whitespace collapsed; emails are lower-cased; street lines after the second are joined into the
second (Intacct has ADDRESS1 and ADDRESS2); countries are ISO codes (countries.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from mlconnector.engine.records import MappingError
from mlconnector.flows.commerce_intacct.countries import country_code, intacct_country, is_iso_code
from mlconnector.flows.fields import field
from mlconnector.systems.intacct.xml import strip_forbidden

STREET_LINES = 2  # Intacct's MAILADDRESS has ADDRESS1 and ADDRESS2
APPROVED = 1  # Commerce company status: 0 pending approval, 1 approved, 2 rejected, 3 blocked

VENDOR_FIELDS: tuple[str, ...] = (
    "RECORDNO",
    "VENDORID",
    "NAME",
    "STATUS",
    "DISPLAYCONTACT.FIRSTNAME",
    "DISPLAYCONTACT.LASTNAME",
    "DISPLAYCONTACT.EMAIL1",
    "DISPLAYCONTACT.PHONE1",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS1",
    "DISPLAYCONTACT.MAILADDRESS.ADDRESS2",
    "DISPLAYCONTACT.MAILADDRESS.CITY",
    "DISPLAYCONTACT.MAILADDRESS.STATE",
    "DISPLAYCONTACT.MAILADDRESS.ZIP",
    "DISPLAYCONTACT.MAILADDRESS.COUNTRY",
    "WHENMODIFIED",
)

_SPACE = re.compile(r"\s+")


def clean(value: Any) -> str | None:
    """Text as both systems keep it: NFC, no XML-forbidden characters, whitespace collapsed; None when empty."""
    if value is None:
        return None
    text = strip_forbidden(unicodedata.normalize("NFC", str(value)))
    return _SPACE.sub(" ", text).strip() or None


def street_lines(lines: Iterable[Any]) -> tuple[str, ...]:
    kept = [line for line in (clean(v) for v in lines) if line]
    if len(kept) > STREET_LINES:
        kept = [*kept[: STREET_LINES - 1], ", ".join(kept[STREET_LINES - 1 :])]
    return tuple(kept)


@dataclass(frozen=True)
class Party:
    """Always normalised: constructing one cleans every field."""

    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    street: tuple[str, ...] = ()
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 when known

    def __post_init__(self) -> None:
        for name in ("name", "first_name", "last_name", "phone", "city", "region", "postcode"):
            object.__setattr__(self, name, clean(getattr(self, name)))
        email = clean(self.email)
        object.__setattr__(self, "email", email.lower() if email else None)
        object.__setattr__(self, "street", street_lines(self.street))
        object.__setattr__(self, "country", country_code(clean(self.country)))

    def payload(self) -> dict[str, Any]:
        """What the engine hashes and keeps for replay (every field, missing ones as None)."""
        return {f.name: list(self.street) if f.name == "street" else getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Party:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in payload.items() if k in known}
        values["street"] = tuple(values.get("street") or ())
        return cls(**values)


def _missing(what: str, required: Mapping[str, Any]) -> None:
    missing = [name for name, value in required.items() if value in (None, "", [], ())]
    if missing:
        raise MappingError(f"{what} needs {', '.join(missing)}, which the record does not have")


# ----------------------------------------------------------------------------------------------- Intacct


def vendor_to_party(vendor: Mapping[str, Any]) -> Party:
    """A VENDOR as the Intacct client hands it over (related fields under their dotted names)."""
    contact = "DISPLAYCONTACT."
    address = contact + "MAILADDRESS."
    return Party(
        name=field(vendor, "NAME"),
        first_name=field(vendor, contact + "FIRSTNAME"),
        last_name=field(vendor, contact + "LASTNAME"),
        email=field(vendor, contact + "EMAIL1"),
        phone=field(vendor, contact + "PHONE1"),
        street=tuple(v for v in (field(vendor, address + "ADDRESS1"), field(vendor, address + "ADDRESS2")) if v),
        city=field(vendor, address + "CITY"),
        region=field(vendor, address + "STATE"),
        postcode=field(vendor, address + "ZIP"),
        country=field(vendor, address + "COUNTRY"),
    )


def party_to_vendor(party: Party, vendor_id: str, *, update: bool = False) -> dict[str, Any]:
    """A VENDOR for the generic create, or (`update`) for the generic update by VENDORID, where a field the party
    lacks is sent empty so it is cleared. In the PHP SDK's field order."""
    _missing("an Intacct vendor", {"NAME": party.name})
    blank = "" if update else None
    street = (*party.street, None, None)
    vendor: dict[str, Any] = {
        "VENDORID": vendor_id,
        "NAME": party.name,
        "DISPLAYCONTACT": {
            "PRINTAS": party.name,
            "COMPANYNAME": party.name,
            "FIRSTNAME": party.first_name or blank,
            "LASTNAME": party.last_name or blank,
            "PHONE1": party.phone or blank,
            "EMAIL1": party.email or blank,
            "MAILADDRESS": {
                "ADDRESS1": street[0] or blank,
                "ADDRESS2": street[1] or blank,
                "CITY": party.city or blank,
                "STATE": party.region or blank,
                "ZIP": party.postcode or blank,
                "COUNTRY": intacct_country(party.country) or blank,
            },
        },
    }
    if not update:
        vendor["STATUS"] = "active"
    return vendor


# ----------------------------------------------------------------------------------------------- Commerce


def customer_to_party(customer: Mapping[str, Any], company: Mapping[str, Any] | None) -> Party:
    """A customer, with the company it administers if any: the company then gives the name, phone and address."""
    first, last = clean(customer.get("firstname")), clean(customer.get("lastname"))
    place: Mapping[str, Any] = company if company is not None else (billing_address(customer) or {})
    return Party(
        name=clean(company.get("company_name")) if company is not None else " ".join(p for p in (first, last) if p),
        first_name=first,
        last_name=last,
        email=customer.get("email"),
        phone=place.get("telephone"),
        street=tuple(place.get("street") or ()),
        city=place.get("city"),
        region=_region_text(place.get("region")),
        postcode=place.get("postcode"),
        country=place.get("country_id"),
    )


def party_to_customer(party: Party, current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The customer to create (`current` None, no password) or the full customer to PUT over `current`. The default
    billing address carries the party's address when the party has all an address needs."""
    _missing("a Commerce customer", {"email": party.email, "firstname": party.first_name, "lastname": party.last_name})
    customer = dict(current or {})
    customer.update(email=party.email, firstname=party.first_name, lastname=party.last_name)
    if _has_address(party):
        addresses = [dict(a) for a in customer.get("addresses") or []]
        index = _billing_index(customer, addresses)
        if index is None:
            addresses.append({**_address(party, None), "default_billing": True, "default_shipping": True})
        else:
            addresses[index] = _address(party, addresses[index])
        customer["addresses"] = addresses
    return customer


def party_to_company(
    party: Party,
    super_user_id: int,
    current: Mapping[str, Any] | None = None,
    customer_group_id: int | None = None,
) -> dict[str, Any]:
    """The company to create (`current` None: approved, its email the party's) or the full company to PUT over
    `current` (its email is kept: it is the company's own, not the contact's)."""
    company = dict(current or {})
    if current is None:
        company.update(company_email=party.email, status=APPROVED)
        if customer_group_id is not None:
            company["customer_group_id"] = customer_group_id
    company.update(
        company_name=party.name,
        street=list(party.street),
        city=party.city,
        country_id=party.country,
        postcode=party.postcode,
        telephone=party.phone,
        super_user_id=super_user_id,
    )
    _set_region_text(company, party.region)
    required = ("company_name", "company_email", "street", "city", "country_id", "postcode", "telephone")
    _missing("a Commerce company", {name: company.get(name) for name in required})
    _check_country(party)
    return company


def billing_address(customer: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The default billing address, else the first."""
    addresses = [a for a in customer.get("addresses") or [] if isinstance(a, Mapping)]
    index = _billing_index(customer, addresses)
    return addresses[index] if index is not None else (addresses[0] if addresses else None)


def _billing_index(customer: Mapping[str, Any], addresses: list[Any]) -> int | None:
    default = customer.get("default_billing")
    for index, address in enumerate(addresses):
        if (default is not None and str(address.get("id")) == str(default)) or address.get("default_billing"):
            return index
    return None


def _has_address(party: Party) -> bool:
    return all((party.street, party.city, party.country, party.postcode, party.phone))


def _address(party: Party, current: Mapping[str, Any] | None) -> dict[str, Any]:
    _check_country(party)
    address = dict(current or {})
    address.update(
        firstname=party.first_name,
        lastname=party.last_name,
        street=list(party.street),
        city=party.city,
        postcode=party.postcode,
        country_id=party.country,
        telephone=party.phone,
    )
    region = address.get("region")
    if party.region is None:
        address.pop("region", None)
        address.pop("region_id", None)
    elif _region_text(region) != party.region:
        # UNVERIFIED: a store that requires region_id for the country resolves the text or refuses the address.
        address["region"] = {"region": party.region}
        address.pop("region_id", None)
    return address


def _set_region_text(company: dict[str, Any], region: str | None) -> None:
    """A company's region is text (plus region_id): a changed region drops the now stale id."""
    if clean(company.get("region")) == region:
        return
    company.pop("region_id", None)
    if region is None:
        company.pop("region", None)
    else:
        company["region"] = region


def _region_text(region: Any) -> str | None:
    """An address region is {region_code, region, region_id}: the code when there is one; a company's is text."""
    if isinstance(region, Mapping):
        return clean(region.get("region_code")) or clean(region.get("region"))
    return clean(region)


def _check_country(party: Party) -> None:
    if party.country is not None and not is_iso_code(party.country):
        raise MappingError(f"country {party.country!r} has no ISO code (Commerce's country_id); add it to countries.py")
