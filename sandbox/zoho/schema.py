"""The modules this simulator serves and their system fields (names from the v8 SDK's ``record/field.py``,
verified §2.2): Accounts, Contacts and Vendors. Custom fields come from the config and the admin endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.zoho.fields import FieldSpec, system

ACCOUNTS = "Accounts"
CONTACTS = "Contacts"
VENDORS = "Vendors"

_ACCOUNT_TYPES = (
    "-None-", "Analyst", "Competitor", "Customer", "Distributor", "Integrator", "Investor", "Other", "Partner",
    "Press", "Prospect", "Reseller", "Supplier", "Vendor",
)  # fmt: skip
_GL_ACCOUNTS = (
    "-None-",
    "Sales-Software",
    "Sales-Hardware",
    "Rental-Income",
    "Interest-Income",
    "Sales Software Support",
    "Sales-Other",
    "Interest Sales",
    "Service-Hardware Labor",
)  # fmt: skip  UNVERIFIED option list

_AUDIT = (
    system("Created_Time", "datetime", read_only=True),
    system("Modified_Time", "datetime", read_only=True),
    system("Created_By", "ownerlookup", read_only=True),
    system("Modified_By", "ownerlookup", read_only=True),
)


def _address(prefix: str, zip_name: str = "Code") -> tuple[FieldSpec, ...]:
    return (
        system(f"{prefix}Street", length=250),
        system(f"{prefix}City", length=30),
        system(f"{prefix}State", length=30),
        system(f"{prefix}{zip_name}", length=30),
        system(f"{prefix}Country", length=30),
    )


@dataclass(frozen=True)
class ModuleDef:
    """``name_field`` names a record in lookups; ``duplicate_field`` is the system duplicate-check field."""

    api_name: str
    singular: str
    name_field: str
    duplicate_field: str
    fields: tuple[FieldSpec, ...]

    def field(self, api_name: str) -> FieldSpec | None:
        return next((item for item in self.fields if item.api_name == api_name), None)


MODULES: dict[str, ModuleDef] = {
    ACCOUNTS: ModuleDef(
        ACCOUNTS,
        "Account",
        "Account_Name",
        "Account_Name",
        (
            system("Owner", "ownerlookup"),
            system("Account_Name", length=255, mandatory=True),
            system("Account_Number", length=40),
            system("Parent_Account", "lookup", lookup_module=ACCOUNTS),
            system("Account_Type", "picklist", options=_ACCOUNT_TYPES),
            system("Phone", "phone"),
            system("Fax", "phone"),
            system("Website", "website"),
            system("Employees", "integer"),
            system("Annual_Revenue", "currency"),
            *_address("Billing_"),
            *_address("Shipping_"),
            system("Description", "textarea"),
            *_AUDIT,
        ),
    ),
    CONTACTS: ModuleDef(
        CONTACTS,
        "Contact",
        "Full_Name",
        "Email",
        (
            system("Owner", "ownerlookup"),
            system("First_Name", length=40),
            system("Last_Name", length=80, mandatory=True),
            system("Full_Name", read_only=True),
            system("Email", "email"),
            system("Secondary_Email", "email"),
            system("Phone", "phone"),
            system("Mobile", "phone"),
            system("Title", length=100),
            system("Department", length=100),
            system("Account_Name", "lookup", lookup_module=ACCOUNTS),
            system("Vendor_Name", "lookup", lookup_module=VENDORS),
            system("Reporting_To", "lookup", lookup_module=CONTACTS),
            system("Email_Opt_Out", "boolean"),
            *_address("Mailing_", "Zip"),
            system("Description", "textarea"),
            *_AUDIT,
        ),
    ),
    VENDORS: ModuleDef(
        VENDORS,
        "Vendor",
        "Vendor_Name",
        "Vendor_Name",
        (
            system("Owner", "ownerlookup"),
            system("Vendor_Name", length=120, mandatory=True),
            system("Email", "email"),
            system("Phone", "phone"),
            system("Website", "website"),
            system("GL_Account", "picklist", options=_GL_ACCOUNTS),
            system("Category", length=120),
            system("Street", length=250),
            system("City", length=30),
            system("State", length=30),
            system("Zip_Code", length=30),
            system("Country", length=30),
            system("Email_Opt_Out", "boolean"),
            system("Description", "textarea"),
            *_AUDIT,
        ),
    ),
}


def canonical_module(name: str) -> str | None:
    """The module's API name as Zoho spells it; module names in paths are case-insensitive (UNVERIFIED)."""
    return next((api_name for api_name in MODULES if api_name.lower() == name.lower()), None)
