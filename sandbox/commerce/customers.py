"""Customer and company writes (``POST|PUT /V1/customers``, ``POST|PUT /V1/company``): input checks
like the service contracts', ``updated_at`` moved, ids never reused."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from sandbox.commerce.errors import WebapiError, invalid_value, no_such_entity, required
from sandbox.commerce.store import Store
from sandbox.commerce.values import Record

DUPLICATE_EMAIL = "A customer with the same email address already exists in an associated website."
DUPLICATE_COMPANY_EMAIL = (  # UNVERIFIED text
    "Company with this email address already exists in the system. Enter a different email address to continue."
)
NO_ACCESSOR = 'Property "%1" does not have accessor method "%2" in class "%3".'
CUSTOMER_CLASS = "Magento\\Customer\\Api\\Data\\CustomerInterface"
COMPANY_CLASS = "Magento\\Company\\Api\\Data\\CompanyInterface"

CUSTOMER_FIELDS = frozenset(
    {"id", "email", "firstname", "lastname", "middlename", "prefix", "suffix", "group_id", "store_id",
     "website_id", "dob", "gender", "taxvat", "created_in", "default_billing", "default_shipping",
     "addresses", "custom_attributes", "extension_attributes", "disable_auto_group_change",
     "confirmation", "created_at", "updated_at"}
)  # fmt: skip
CUSTOMER_REQUIRED = ("email", "firstname", "lastname")
COMPANY_FIELDS = frozenset(
    {"id", "status", "company_name", "legal_name", "company_email", "vat_tax_id", "reseller_id", "comment",
     "street", "city", "country_id", "region", "region_id", "postcode", "telephone", "customer_group_id",
     "sales_representative_id", "super_user_id", "reject_reason", "rejected_at", "extension_attributes"}
)  # fmt: skip
COMPANY_REQUIRED = ("company_name", "company_email", "street", "city", "country_id", "postcode", "telephone",
                    "super_user_id")  # fmt: skip  # UNVERIFIED list
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _wrapped(body: Any, key: str, known: frozenset[str], php_class: str) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get(key), dict):
        raise required(key)
    data: dict[str, Any] = body[key]
    for name in data:
        if name not in known:
            getter = "get" + "".join(part.capitalize() for part in name.split("_"))
            raise WebapiError(400, NO_ACCESSOR, [name, getter, php_class])
    return data


def _require(data: Mapping[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if data.get(name) in (None, "", []):
            raise required(name)


def _check_email(value: Any) -> str:
    if not isinstance(value, str) or not _EMAIL.fullmatch(value):
        raise invalid_value("email", value)  # UNVERIFIED wording
    return value


def _addresses(store: Store, customer_id: int, raw: Any) -> list[Record]:
    if not isinstance(raw, list):
        raise invalid_value("addresses", raw)
    made = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise invalid_value("addresses", entry)
        address = copy.deepcopy(entry)
        address["id"] = int(address.get("id") or store.next_address_id())
        address["customer_id"] = customer_id
        made.append(address)
    return made


def _apply_defaults(record: Record) -> None:
    for address in record.get("addresses", []):
        if address.get("default_billing"):
            record["default_billing"] = str(address["id"])
        if address.get("default_shipping"):
            record["default_shipping"] = str(address["id"])


def _email_taken(store: Store, email: str, website_id: int, except_id: int | None) -> bool:
    wanted = email.casefold()
    return any(
        c["email"].casefold() == wanted and c.get("website_id") == website_id and c["id"] != except_id
        for c in store.rows("customers")
    )


def create_customer(store: Store, body: Any, now: str, website_id: int) -> Record:
    data = _wrapped(body, "customer", CUSTOMER_FIELDS, CUSTOMER_CLASS)
    _require(data, CUSTOMER_REQUIRED)
    email = _check_email(data["email"])
    with store.lock:
        site = int(data.get("website_id") or website_id)
        if _email_taken(store, email, site, None):
            raise WebapiError(400, DUPLICATE_EMAIL)
        customer_id = store.next_id("customers")
        record: Record = {
            "group_id": 1, "store_id": 1, "created_in": "Default Store View", "disable_auto_group_change": 0,
            "custom_attributes": [], "extension_attributes": {},
            **{k: copy.deepcopy(v) for k, v in data.items() if k not in ("id", "created_at", "updated_at")},
            "id": customer_id, "website_id": site, "created_at": now, "updated_at": now,
        }  # fmt: skip
        record["addresses"] = _addresses(store, customer_id, data.get("addresses", []))
        _apply_defaults(record)
        return copy.deepcopy(store.put("customers", record))


def update_customer(store: Store, customer_id: int, body: Any, now: str) -> Record:
    data = _wrapped(body, "customer", CUSTOMER_FIELDS, CUSTOMER_CLASS)
    _require(data, CUSTOMER_REQUIRED)
    email = _check_email(data["email"])
    with store.lock:
        current = store.get("customers", customer_id)
        if current is None:
            raise no_such_entity("customerId", customer_id)
        site = int(data.get("website_id") or current["website_id"])
        if _email_taken(store, email, site, customer_id):
            raise WebapiError(400, DUPLICATE_EMAIL)
        changes = {k: copy.deepcopy(v) for k, v in data.items() if k not in ("id", "created_at", "updated_at")}
        if "addresses" in data:  # absent: the addresses stay as they are
            changes["addresses"] = _addresses(store, customer_id, data["addresses"])
        current.update(changes, website_id=site, updated_at=now)
        _apply_defaults(current)
        return copy.deepcopy(current)


def save_company(store: Store, company_id: int | None, body: Any) -> Record:
    """Create (``company_id`` None) or update a B2B company; the super user must be a customer."""
    data = _wrapped(body, "company", COMPANY_FIELDS, COMPANY_CLASS)
    _require(data, COMPANY_REQUIRED)
    email = _check_email(data["company_email"])
    with store.lock:
        current = None if company_id is None else store.get("companies", company_id)
        if company_id is not None and current is None:
            raise no_such_entity("id", company_id)
        if store.get("customers", int(data["super_user_id"])) is None:
            raise no_such_entity("customerId", data["super_user_id"])
        taken = any(
            c["company_email"].casefold() == email.casefold() and c["id"] != company_id for c in store.rows("companies")
        )
        if taken:
            raise WebapiError(400, DUPLICATE_COMPANY_EMAIL)
        changes = {k: copy.deepcopy(v) for k, v in data.items() if k != "id"}
        if current is None:
            new_id = store.next_id("companies")
            current = store.put("companies", {"status": 1, "extension_attributes": {}, **changes, "id": new_id})
        else:
            current.update(changes)
        _assign_admin(store, current)
        return copy.deepcopy(current)


def _assign_admin(store: Store, company: Record) -> None:
    """The super user belongs to the company (extension_attributes.company_attributes, as the B2B module shows it).
    UNVERIFIED: whether this moves the customer's updated_at; the simulator leaves it."""
    admin = store.get("customers", int(company["super_user_id"]))
    assert admin is not None  # checked by the caller
    attributes = admin.setdefault("extension_attributes", {})
    current = attributes.get("company_attributes") or {}
    attributes["company_attributes"] = {
        "job_title": "", "telephone": company.get("telephone", ""), **current,
        "customer_id": admin["id"], "company_id": company["id"], "status": 1,
    }  # fmt: skip
