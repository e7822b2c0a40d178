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
class Relationship:
    """A many-to-one relationship of a Platform Services object, as ``lookup`` names it: ``object_path`` is the
    prefix of the related fields in queries (``R_zendesk_ticket_vendor.VENDORID``), ``related_by`` the element
    that sets it in create/update (``RVENDOR``)."""

    object_path: str
    related_object: str  # the standard object it points to: VENDOR
    related_by: str
    label: str
    relationship_type: str = "MANY2ONE"


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
    # Platform Services custom objects (custom_objects.py): the integration name ("zendesk_ticket"), the system
    # key they expose instead of RECORDNO ("ID"; the store keeps RECORDNO with the same number), where their
    # numbering starts, and their relationships.
    integration_name: str = ""
    system_key: str = "RECORDNO"
    first_recordno: int = 1
    relationships: tuple[Relationship, ...] = ()

    @property
    def custom(self) -> bool:
        return bool(self.integration_name)

    @property
    def api_name(self) -> str:
        """The name lookup and inspect show: the integration name of a custom object, else the object name."""
        return self.integration_name or self.name

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
# The contact block in the SDKs' VendorCreate order (reference §7.2). MAILADDRESS.COUNTRYCODE: reference §6.2
# (a production integration reads DISPLAYCONTACT.MAILADDRESS.COUNTRYCODE); its values (ISO 3166 alpha-2) UNVERIFIED.
_CONTACT = (
    "CONTACTNAME PRINTAS COMPANYNAME TAXABLE:bool TAXGROUP PREFIX FIRSTNAME LASTNAME INITIAL PHONE1 PHONE2 "
    "CELLPHONE PAGER FAX EMAIL1 EMAIL2 URL1 URL2 MAILADDRESS.ADDRESS1 MAILADDRESS.ADDRESS2 MAILADDRESS.CITY "
    "MAILADDRESS.STATE MAILADDRESS.ZIP MAILADDRESS.COUNTRY MAILADDRESS.COUNTRYCODE"
)
_STAMPS = "WHENCREATED:ts WHENMODIFIED:ts"

# Fields of fylein's sageintacctsdk 1.28.1 default select lists (apis/constants.py dimensions_fields_mapping):
# its get_all()/get_all_generator()/get_by_query() select them when the caller passes no ``fields``, as production
# Fyle code does, so real tenants have them. Only the names come from there; types are guessed from the names and
# every value is UNVERIFIED (seed.py fills a few from their own stream, the rest stay empty).
_SDK_DEFAULT_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "CUSTOMER": "ENTITY CUSTREPNAME GLGRPKEY:int GLGROUP CREATEDBY:int MODIFIEDBY:int OBJECTRESTRICTION",
        "GLACCOUNT": "ALTERNATIVEACCOUNT",
        "DEPARTMENT": "CUSTTITLE",
        "CLASS": "CREATEDBY:int MODIFIEDBY:int MEGAENTITYKEY:int MEGAENTITYNAME RECORD_URL",
        "PROJECT": "CURRENCY PARENTKEY:int PARENTID PARENTNAME CUSTOMERKEY:int PROJECTTYPE DEPARTMENTNAME LOCATIONID "
        "LOCATIONNAME BUDGETID MEGAENTITYID MEGAENTITYNAME",
        "ITEM": "MRR:bool EXTENDED_DESCRIPTION PRODUCTLINEID GLGROUP",
        "EMPLOYEE": "SSN BIRTHDATE:date EMPLOYEETYPE1099TYPE GENDER TERMINATIONTYPE MEGAENTITYKEY:int MEGAENTITYID "
        "MEGAENTITYNAME",
        "APBILL": "DUE_IN_DAYS:int",
    }
)


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
    # Reference §6.4 (cheat-sheet) and §7.2 (the SDKs' VendorCreate fields; ACH* names from the .NET SDK).
    # PAYTOCONTACT.CONTACTNAME (§6.4, fylein) mirrors PAYTO.CONTACTNAME in the seed (UNVERIFIED that both exist).
    fields=parse_fields(
        "RECORDNO:int VENDORID NAME NAME1099 PARENTKEY:int PARENTID PARENTNAME STATUS ONETIME:bool "
        "ONHOLD:bool VENDTYPE CREDITLIMIT:dec TOTALDUE:dec TERMNAME CURRENCY VENDORACCOUNTNO APACCOUNT "
        f"COMMENTS {contact_fields('DISPLAYCONTACT.')} CONTACTINFO.CONTACTNAME PAYTO.CONTACTNAME "
        "RETURNTO.CONTACTNAME PAYTOCONTACT.CONTACTNAME ACCOUNTLABEL APACCOUNTTITLE HIDEDISPLAYCONTACT:bool "
        "GLGROUP TAXID FORM1099TYPE FORM1099BOX SUPDOCID DONOTCUTCHECK:bool PAYMETHODKEY MERGEPAYMENTREQ:bool "
        "PAYMENTNOTIFY:bool BILLINGTYPE PAYMENTPRIORITY DISPLAYTERMDISCOUNT:bool ACHENABLED:bool "
        "ACHBANKROUTINGNUMBER ACHACCOUNTNUMBER ACHACCOUNTTYPE ACHREMITTANCETYPE DISPLAYACCTNOCHECK:bool "
        f"OBJECTRESTRICTION RESTRICTEDLOCATIONS RESTRICTEDDEPARTMENTS {_STAMPS}"
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
    fields=parse_fields(f"RECORDNO:int {contact_fields('')} STATUS VENDORID {_STAMPS}"),
)

CUSTOMER = ObjectDef(
    name="CUSTOMER",
    label="Customer",
    id_field="CUSTOMERID",
    required=("CUSTOMERID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    # BILLTO.* / SHIPTO.*: the bill-to and ship-to contacts, the same block as DISPLAYCONTACT (reference §6.2:
    # BILLTO.EMAIL1, BILLTO.MAILADDRESS.CITY are read by production integrations; the full block is UNVERIFIED).
    fields=parse_fields(
        "RECORDNO:int CUSTOMERID NAME PARENTKEY:int PARENTID PARENTNAME STATUS ONETIME:bool ONHOLD:bool "
        f"CUSTTYPE CREDITLIMIT:dec TOTALDUE:dec TERMNAME CURRENCY {contact_fields('DISPLAYCONTACT.')} "
        f"{contact_fields('BILLTO.')} {contact_fields('SHIPTO.')} {_STAMPS} {_SDK_DEFAULT_FIELDS['CUSTOMER']}"
    ),
)

GLACCOUNT = ObjectDef(
    name="GLACCOUNT",
    label="GL Account",
    id_field="ACCOUNTNO",
    required=("ACCOUNTNO", "TITLE"),
    enums={"STATUS": STATUS_VALUES, "NORMALBALANCE": frozenset({"debit", "credit"})},
    fields=parse_fields(
        f"RECORDNO:int ACCOUNTNO TITLE ACCOUNTTYPE NORMALBALANCE CLOSINGTYPE CATEGORY STATUS {_STAMPS} "
        f"{_SDK_DEFAULT_FIELDS['GLACCOUNT']}"
    ),
)

DEPARTMENT = ObjectDef(
    name="DEPARTMENT",
    label="Department",
    id_field="DEPARTMENTID",
    required=("DEPARTMENTID", "TITLE"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(
        f"RECORDNO:int DEPARTMENTID TITLE PARENTKEY:int PARENTID SUPERVISORNAME STATUS {_STAMPS} "
        f"{_SDK_DEFAULT_FIELDS['DEPARTMENT']}"
    ),
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
    # MEGAENTITYID: the owning entity in multi-entity companies; empty at the top level (UNVERIFIED).
    fields=parse_fields(
        f"RECORDNO:int CLASSID NAME DESCRIPTION STATUS PARENTKEY:int PARENTID MEGAENTITYID {_STAMPS} "
        f"{_SDK_DEFAULT_FIELDS['CLASS']}"
    ),
)

PROJECT = ObjectDef(
    name="PROJECT",
    label="Project",
    id_field="PROJECTID",
    required=("PROJECTID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(
        "RECORDNO:int PROJECTID NAME DESCRIPTION PROJECTCATEGORY PROJECTSTATUS STATUS CUSTOMERID "
        f"CUSTOMERNAME BEGINDATE:date ENDDATE:date {_STAMPS} {_SDK_DEFAULT_FIELDS['PROJECT']}"
    ),
)

ITEM = ObjectDef(
    name="ITEM",
    label="Item",
    id_field="ITEMID",
    required=("ITEMID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(
        f"RECORDNO:int ITEMID NAME ITEMTYPE STATUS UNIT BASEPRICE:dec STANDARD_COST:dec {_STAMPS} "
        f"{_SDK_DEFAULT_FIELDS['ITEM']}"
    ),
)

# Reference §6.4 names only the ID fields of the other dimensions. EMPLOYEE follows the field list fylein's SDK
# (sageintacctsdk 1.28.1 constants, used against the live gateway) selects, its person in CONTACT.*; WAREHOUSE's
# fields beyond WAREHOUSEID are UNVERIFIED.
EMPLOYEE = ObjectDef(
    name="EMPLOYEE",
    label="Employee",
    id_field="EMPLOYEEID",
    required=("EMPLOYEEID",),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(
        "RECORDNO:int EMPLOYEEID TITLE LOCATIONID DEPARTMENTID SUPERVISORID STARTDATE:date ENDDATE:date STATUS "
        f"EMPLOYEETYPE {contact_fields('CONTACT.')} CURRENCY PAYMETHODKEY CONTACTKEY:int {_STAMPS} "
        f"{_SDK_DEFAULT_FIELDS['EMPLOYEE']}"
    ),
)

WAREHOUSE = ObjectDef(
    name="WAREHOUSE",
    label="Warehouse",
    id_field="WAREHOUSEID",
    required=("WAREHOUSEID", "NAME"),
    enums={"STATUS": STATUS_VALUES},
    fields=parse_fields(f"RECORDNO:int WAREHOUSEID NAME LOCATIONID PARENTID STATUS {_STAMPS}"),
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
    # Reference §6.4. UNVERIFIED values: RECORD_URL's shape, MODULEKEY "3.AP", PRBATCH "Bills: MM/DD/YYYY",
    # PAYMENTPRIORITY normal|urgent|high|low, RECPAYMENTDATE = WHENDUE, WHENPAID only once fully paid.
    fields=parse_fields(
        "RECORDNO:int RECORDID RECORD_URL STATE VENDORID VENDORNAME DOCNUMBER DESCRIPTION TERMNAME WHENCREATED:date "
        "WHENPOSTED:date WHENDUE:date WHENPAID:date RECPAYMENTDATE:date PAYMENTPRIORITY TOTALENTERED:dec "
        "TOTALSELECTED:dec TOTALPAID:dec TOTALDUE:dec BASECURR CURRENCY ONHOLD:bool SUPDOCID PRBATCH MODULEKEY "
        f"WHENMODIFIED:ts {_SDK_DEFAULT_FIELDS['APBILL']}"
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
# PRRECORDKEY (reference §6.4): the AP bill a converted document produced; the sandbox never converts, so empty.
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
        "TOTAL:dec EXTERNALID CREATEDFROM PRRECORDKEY:int WHENMODIFIED:ts"
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
    # Reference §6.4 (CData/DataBlend mirrors). UNVERIFIED: RECORDID holds the payment's reference (the check
    # or transfer number, like DOCNUMBER).
    fields=parse_fields(
        "RECORDNO:int RECORDTYPE RECORDID FINANCIALENTITY STATE PAYMENTMETHOD VENDORID VENDORNAME DOCNUMBER "
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

_ALL = (VENDOR, CONTACT, CUSTOMER, GLACCOUNT, DEPARTMENT, LOCATION, CLASS, PROJECT, ITEM, EMPLOYEE, WAREHOUSE)
_AP = (APBILL, APBILLITEM, APPYMT, APPYMTDETAIL, APADJUSTMENT, APADJUSTMENTITEM, PODOCUMENT, PODOCUMENTENTRY)
OBJECTS: Mapping[str, ObjectDef] = MappingProxyType({obj.name: obj for obj in (*_ALL, *_AP)})


def lookup(name: str) -> ObjectDef | None:
    """Object names are matched case-insensitively (``vendor`` = ``VENDOR``)."""
    return OBJECTS.get(name.strip().upper())
