"""The objects the simulator knows: fields and their types, natural keys, owned lines.

Field names are the gateway's upper-case integration names; related fields use dots
(``DISPLAYCONTACT.MAILADDRESS.CITY``). The field lists follow the reference's object cheat-sheet;
fields marked UNVERIFIED there are sandbox choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sandbox.intacct.values import FieldType

STATUS_VALUES = frozenset({"active", "inactive"})


@dataclass(frozen=True)
class OwnedLines:
    """Lines that ``read`` returns inside their parent (e.g. APBILL → APBILLITEMS/apbillitem)."""

    object_name: str
    parent_key: str  # the line field holding the parent's RECORDNO
    container: str  # element wrapping the lines in the parent


@dataclass(frozen=True)
class ObjectDef:
    name: str
    label: str  # for messages: "Vendor"
    fields: Mapping[str, FieldType]
    id_field: str | None = None  # natural key, unique; readByName and update use it
    required: tuple[str, ...] = ()
    enums: Mapping[str, frozenset[str]] = field(default_factory=dict)
    system_whencreated: bool = True  # WHENCREATED is a system timestamp (not a document date)
    writable: bool = True
    owned: OwnedLines | None = None

    def field_type(self, name: str) -> FieldType | None:
        return self.fields.get(name)

    @property
    def key_field(self) -> str:
        """What readByName looks up: the natural key, else RECORDNO."""
        return self.id_field or "RECORDNO"


_TYPES = {
    "int": FieldType.INTEGER,
    "dec": FieldType.DECIMAL,
    "date": FieldType.DATE,
    "ts": FieldType.TIMESTAMP,
    "bool": FieldType.BOOLEAN,
}
_CONTACT = (
    "CONTACTNAME PRINTAS COMPANYNAME PREFIX FIRSTNAME LASTNAME PHONE1 PHONE2 CELLPHONE EMAIL1 EMAIL2 URL1 "
    "MAILADDRESS.ADDRESS1 MAILADDRESS.ADDRESS2 MAILADDRESS.CITY MAILADDRESS.STATE MAILADDRESS.ZIP "
    "MAILADDRESS.COUNTRY"
)
_STAMPS = "WHENCREATED:ts WHENMODIFIED:ts"


def contact_fields(prefix: str) -> str:
    """The contact block (display contact of a vendor/customer, or a CONTACT itself)."""
    return " ".join(prefix + name for name in _CONTACT.split())


def parse_fields(spec: str) -> Mapping[str, FieldType]:
    """``"RECORDNO:int NAME WHENMODIFIED:ts"`` -> ordered name -> type (text when no suffix)."""
    result: dict[str, FieldType] = {}
    for token in spec.split():
        name, _, type_name = token.partition(":")
        result[name] = _TYPES[type_name] if type_name else FieldType.TEXT
    return MappingProxyType(result)


VENDOR = ObjectDef(
    name="VENDOR",
    label="Vendor",
    id_field="VENDORID",
    required=("VENDORID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(
        "RECORDNO:int VENDORID NAME NAME1099 PARENTKEY:int PARENTID PARENTNAME STATUS ONETIME:bool "
        "ONHOLD:bool VENDTYPE CREDITLIMIT:dec TOTALDUE:dec TERMNAME CURRENCY VENDORACCOUNTNO APACCOUNT "
        f"COMMENTS {contact_fields('DISPLAYCONTACT.')} CONTACTINFO.CONTACTNAME PAYTO.CONTACTNAME "
        f"RETURNTO.CONTACTNAME {_STAMPS}"
    ),
)

# UNVERIFIED: the link contact -> vendor. The sandbox stores it as a VENDORID field on CONTACT
# (1-3 contacts per vendor); the vendor's CONTACTINFO.CONTACTNAME names its primary contact.
CONTACT = ObjectDef(
    name="CONTACT",
    label="Contact",
    id_field="CONTACTNAME",
    required=("CONTACTNAME",),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(f"RECORDNO:int {contact_fields('')} INITIAL TAXABLE:bool STATUS VENDORID {_STAMPS}"),
)

CUSTOMER = ObjectDef(
    name="CUSTOMER",
    label="Customer",
    id_field="CUSTOMERID",
    required=("CUSTOMERID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(
        "RECORDNO:int CUSTOMERID NAME PARENTKEY:int PARENTID PARENTNAME STATUS ONETIME:bool ONHOLD:bool "
        f"CUSTTYPE CREDITLIMIT:dec TOTALDUE:dec TERMNAME CURRENCY {contact_fields('DISPLAYCONTACT.')} {_STAMPS}"
    ),
)

GLACCOUNT = ObjectDef(
    name="GLACCOUNT",
    label="GL Account",
    id_field="ACCOUNTNO",
    required=("ACCOUNTNO", "TITLE"),
    enums={"STATUS": STATUS_VALUES, "NORMALBALANCE": frozenset({"debit", "credit"})},
    fields=parse_fields(
        f"RECORDNO:int ACCOUNTNO TITLE ACCOUNTTYPE NORMALBALANCE CLOSINGTYPE CATEGORY STATUS {_STAMPS}"
    ),
)

DEPARTMENT = ObjectDef(
    name="DEPARTMENT",
    label="Department",
    id_field="DEPARTMENTID",
    required=("DEPARTMENTID", "TITLE"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(f"RECORDNO:int DEPARTMENTID TITLE PARENTKEY:int PARENTID SUPERVISORNAME STATUS {_STAMPS}"),
)

LOCATION = ObjectDef(
    name="LOCATION",
    label="Location",
    id_field="LOCATIONID",
    required=("LOCATIONID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(f"RECORDNO:int LOCATIONID NAME PARENTKEY:int PARENTID STATUS CURRENCY {_STAMPS}"),
)

CLASS = ObjectDef(
    name="CLASS",
    label="Class",
    id_field="CLASSID",
    required=("CLASSID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(f"RECORDNO:int CLASSID NAME DESCRIPTION STATUS PARENTKEY:int PARENTID {_STAMPS}"),
)

PROJECT = ObjectDef(
    name="PROJECT",
    label="Project",
    id_field="PROJECTID",
    required=("PROJECTID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(
        "RECORDNO:int PROJECTID NAME DESCRIPTION PROJECTCATEGORY PROJECTSTATUS STATUS CUSTOMERID "
        f"CUSTOMERNAME BEGINDATE:date ENDDATE:date {_STAMPS}"
    ),
)

ITEM = ObjectDef(
    name="ITEM",
    label="Item",
    id_field="ITEMID",
    required=("ITEMID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(f"RECORDNO:int ITEMID NAME ITEMTYPE STATUS UNIT BASEPRICE:dec STANDARD_COST:dec {_STAMPS}"),
)

_DIMENSIONS = "LOCATIONID DEPARTMENTID CLASSID PROJECTID VENDORID CUSTOMERID ITEMID"

# AP documents. APBILL is created with generic create (rules in ap_bills); APADJUSTMENT and
# PODOCUMENT with the legacy create_apadjustment / create_potransaction (ap_adjustments,
# po_transactions). Their lines are created with them, never on their own.
APBILL = ObjectDef(
    name="APBILL",
    label="Bill",
    system_whencreated=False,  # WHENCREATED is the bill date (MM/DD/YYYY)
    required=("VENDORID", "WHENCREATED"),
    enums={"STATE": frozenset({"Draft", "Posted", "Partially Paid", "Selected", "Paid"})},
    owned=OwnedLines("APBILLITEM", "RECORDKEY", "APBILLITEMS"),
    fields=parse_fields(
        "RECORDNO:int RECORDID STATE VENDORID VENDORNAME DOCNUMBER DESCRIPTION TERMNAME WHENCREATED:date "
        "WHENPOSTED:date WHENDUE:date WHENPAID:date TOTALENTERED:dec TOTALPAID:dec TOTALDUE:dec BASECURR "
        "CURRENCY ONHOLD:bool SUPDOCID WHENMODIFIED:ts"
    ),
)

APBILLITEM = ObjectDef(
    name="APBILLITEM",
    label="Bill line",
    writable=False,
    fields=parse_fields(
        "RECORDNO:int RECORDKEY:int LINE_NO:int ACCOUNTNO ACCOUNTTITLE TRX_AMOUNT:dec ENTRYDESCRIPTION "
        f"{_DIMENSIONS} {_STAMPS}"
    ),
)

# UNVERIFIED field names beyond RECORDNO, VENDORID, VENDORNAME, STATE, WHENCREATED, WHENMODIFIED:
# the adjustment number is kept in RECORDID and the <billno> in DOCNUMBER.
APADJUSTMENT = ObjectDef(
    name="APADJUSTMENT",
    label="AP Adjustment",
    system_whencreated=False,
    writable=False,
    enums={"STATE": frozenset({"Draft", "Posted"})},
    owned=OwnedLines("APADJUSTMENTITEM", "RECORDKEY", "APADJUSTMENTITEMS"),
    fields=parse_fields(
        "RECORDNO:int RECORDID STATE VENDORID VENDORNAME DOCNUMBER DESCRIPTION WHENCREATED:date "
        "WHENPOSTED:date TOTALENTERED:dec TOTALDUE:dec BASECURR CURRENCY EXTERNALID WHENMODIFIED:ts"
    ),
)

APADJUSTMENTITEM = ObjectDef(
    name="APADJUSTMENTITEM",
    label="AP Adjustment line",
    writable=False,
    fields=parse_fields(
        "RECORDNO:int RECORDKEY:int LINE_NO:int ACCOUNTNO ACCOUNTTITLE TRX_AMOUNT:dec ENTRYDESCRIPTION "
        f"{_DIMENSIONS} {_STAMPS}"
    ),
)

# UNVERIFIED: DOCID = "<transaction definition>-<DOCNO>"; line field names (DOCHDRNO links a line).
PODOCUMENT = ObjectDef(
    name="PODOCUMENT",
    label="Purchasing transaction",
    id_field="DOCID",
    system_whencreated=False,
    writable=False,
    enums={"STATE": frozenset({"Draft", "Pending", "Closed"})},
    owned=OwnedLines("PODOCUMENTENTRY", "DOCHDRNO", "PODOCUMENTENTRIES"),
    fields=parse_fields(
        "RECORDNO:int DOCID DOCNO DOCPARID STATE VENDORID CUSTVENDID VENDORNAME PONUMBER VENDORDOCNO "
        "TERMNAME MESSAGE WHENCREATED:date WHENPOSTED:date WHENDUE:date BASECURR CURRENCY SUBTOTAL:dec "
        "TOTAL:dec EXTERNALID CREATEDFROM WHENMODIFIED:ts"
    ),
)

PODOCUMENTENTRY = ObjectDef(
    name="PODOCUMENTENTRY",
    label="Purchasing transaction line",
    writable=False,
    fields=parse_fields(
        "RECORDNO:int DOCHDRNO:int LINE_NO:int ITEMID ITEMDESC QUANTITY:dec UNIT PRICE:dec TOTAL:dec MEMO "
        f"WAREHOUSEID LOCATIONID DEPARTMENTID CLASSID PROJECTID CUSTOMERID VENDORID {_STAMPS}"
    ),
)

APPYMT = ObjectDef(
    name="APPYMT",
    label="AP Payment",
    system_whencreated=False,
    writable=False,
    fields=parse_fields(
        "RECORDNO:int RECORDTYPE FINANCIALENTITY STATE PAYMENTMETHOD VENDORID VENDORNAME DOCNUMBER "
        "DESCRIPTION WHENCREATED:date WHENPAID:date TOTALENTERED:dec BASECURR CURRENCY WHENMODIFIED:ts"
    ),
)

# UNVERIFIED field names: payment detail rows link a payment (PAYMENTKEY) to a bill (RECORDKEY).
APPYMTDETAIL = ObjectDef(
    name="APPYMTDETAIL",
    label="AP Payment detail",
    writable=False,
    fields=parse_fields(f"RECORDNO:int PAYMENTKEY:int RECORDKEY:int TRX_PAYMENTAMOUNT:dec {_STAMPS}"),
)

_ALL = (VENDOR, CONTACT, CUSTOMER, GLACCOUNT, DEPARTMENT, LOCATION, CLASS, PROJECT, ITEM)
_AP = (APBILL, APBILLITEM, APPYMT, APPYMTDETAIL, APADJUSTMENT, APADJUSTMENTITEM, PODOCUMENT, PODOCUMENTENTRY)
OBJECTS: Mapping[str, ObjectDef] = MappingProxyType({obj.name: obj for obj in (*_ALL, *_AP)})


def lookup(name: str) -> ObjectDef | None:
    """Object names are matched case-insensitively (``vendor`` = ``VENDOR``)."""
    return OBJECTS.get(name.strip().upper())
