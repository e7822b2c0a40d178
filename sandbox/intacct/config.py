"""Every knob of the Intacct simulator. Defaults follow the reference; UNVERIFIED facts are knobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sandbox.core.credentials import Credentials
from sandbox.intacct.render import DottedShape, ForbiddenChars, RenderStyle
from sandbox.intacct.values import zone

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"


@dataclass
class IntacctSimConfig:
    # Web Services sender (control block) and the API user (login block). Sandbox-only values.
    sender_id: str = "mlc-sandbox-sender"
    sender_password: str = field(default="sandbox-sender-password", repr=False)
    company_id: str = "MLC-SANDBOX"
    user_id: str = "mlc_ws_user"
    user_password: str = field(default="sandbox-user-password", repr=False)
    # False: the sender is not authorized for the company -> "Invalid Web Services Authorization".
    sender_authorized: bool = True
    # "xml": HTTP 200 + XL03000006; "http401": HTTP 401 + XMLGW_JPP0002 (the newer gateway path,
    # intacct-sdk-php#145) for bad sender or login credentials.
    auth_failure_mode: Literal["xml", "http401"] = "xml"

    # Sessions: sliding lifetime (observed 6 h; tests use a few seconds).
    session_lifetime_s: float = 6 * 3600
    # Which endpoint getAPISession hands out (reference §3.2/§3.3) and where that session is accepted:
    # "login" (default, what the real gateway normally does): <endpoint> is the login URL and the session
    # works there, so a client that keeps posting to the login URL after getAPISession works.
    # "session": <endpoint> is the simulator's second listener (another port); the session is accepted only
    # there and refused at the login URL, to prove a client follows <endpoint>.
    # A session stays bound to the listener it was handed out for, even if the mode changes later.
    session_endpoint_mode: Literal["login", "session"] = "login"

    # UNVERIFIED: the zone WHENMODIFIED/WHENCREATED are written in (Intacct values carry no zone).
    timezone: str = "UTC"

    # How related fields (DISPLAYCONTACT.EMAIL1) come back (render.py). An explicit select list: "flat"
    # <DISPLAYCONTACT.EMAIL1> elements, as the real gateway answers (reference §6.2, verified); "nested"
    # <DISPLAYCONTACT><EMAIL1> only to test that clients read both. read/readByName with "*": UNVERIFIED.
    dotted_fields: DottedShape = "flat"
    dotted_fields_star: DottedShape = "nested"
    # UNVERIFIED: how a stored value holding a character XML forbids (a vendor name typed with \x07) is sent:
    # "raw" (a response no parser reads), "reference" (&#7;, as ill-formed) or "strip".
    forbidden_chars: ForbiddenChars = "raw"

    # UNVERIFIED (§5.2): what a repeated function controlid with uniqueid=true returns.
    # "failure": result status failure + errorno below; "no_status": a result without <status>
    # (the shape reported in intacct-sdk-js#70). Either way nothing is executed again.
    duplicate_controlid_style: Literal["failure", "no_status"] = "failure"
    duplicate_controlid_errorno: str = "SIM-DUPLICATE-CONTROLID"
    # UNVERIFIED: the "already exists" code for a duplicate natural key (BL34000061 is the
    # documented code for projects; the vendor code is not published).
    duplicate_id_errorno: str = "BL34000061"
    # UNVERIFIED: errorno of "Object definition X not found".
    unknown_object_errorno: str = "SIM-UNKNOWN-OBJECT"
    # UNVERIFIED (document sequencing): True = VENDORID may be omitted and is auto-numbered.
    vendor_autonumber: bool = False

    # AP documents (APBILL generic create, create_apadjustment, create_potransaction).
    # Document sequencing: True = the document number may be omitted and is assigned. With it off, an
    # APBILL without RECORDID fails BL03002128 + BL01001973 (intacct-sdk-js#86).
    bill_document_sequencing: bool = False
    adjustment_document_sequencing: bool = False
    po_document_sequencing: bool = True
    # UNVERIFIED codes: an unknown VENDORID, a vendor on hold, a duplicate document number
    # (bill RECORDID + VENDORID, adjustment number + VENDORID, PO type + DOCNO).
    vendor_not_found_errorno: str = "SIM-BL-INVALID-VENDOR"
    vendor_on_hold_errorno: str = "SIM-BL-VENDOR-ON-HOLD"
    duplicate_document_errorno: str = "BL34000061"
    # UNVERIFIED: whether a company refuses a second bill with the same RECORDID for a vendor (an AP setting may
    # allow duplicates). Off, only the connector's controlids and read-backs keep an order from posting twice.
    reject_duplicate_bill_numbers: bool = True
    # Currencies the company knows (CURRENCY / BASECURR of AP documents); UNVERIFIED list.
    currencies: tuple[str, ...] = ("USD", "CAD", "EUR", "GBP")
    # UNVERIFIED: the <key> of create_apadjustment ("RECORDNO" or the adjustment number "RECORDID")
    # and of create_potransaction (placeholders {type} = transaction definition, {docno}).
    adjustment_key: Literal["RECORDNO", "RECORDID"] = "RECORDNO"
    po_key_format: str = "{type}-{docno}"
    # UNVERIFIED: transaction definitions create_potransaction accepts (company-configurable).
    po_transaction_types: tuple[str, ...] = ("Purchase Order", "Purchase Requisition", "PO Receiver", "Vendor Invoice")
    # UNVERIFIED: whether an adjustment's <billno> must name an existing bill of the same vendor.
    adjustment_billno_must_exist: bool = True

    # Platform Services (reference verified-2026-12 §4): a separate subscription. Off, every custom object is
    # unknown ("Object definition X not found", like any unknown object) and installApp fails.
    platform_services: bool = True
    # Custom objects installed in the company, by integration name (custom_objects.py defines them;
    # installApp adds one whose application XML names it).
    custom_objects_installed: tuple[str, ...] = ("zendesk_ticket",)
    # UNVERIFIED: what an R… relationship element (<RVENDOR>) takes: "ID" = the related record's ID field
    # (VENDORID, CUSTOMERID), "RECORDNO" = its record number. Only that form is accepted.
    relationship_key: Literal["ID", "RECORDNO"] = "ID"
    # UNVERIFIED: which date forms a custom object's date/datetime fields accept: "iso" (2024-03-01,
    # 2024-03-01T12:00:00Z), "us" (03/01/2024, 03/01/2024 12:00:00) or "both". Stored and returned as
    # MM/DD/YYYY HH:MM:SS in `timezone` (UNVERIFIED too).
    custom_date_input: Literal["iso", "us", "both"] = "both"
    # Records per generic create/update (documented: 1-100 objects).
    max_records_per_write: int = 100

    # Attachments (supdoc legacy functions). UNVERIFIED: attachment autonumbering (off: supdocid is required),
    # whether create_supdoc needs an existing folder, whether VENDOR.SUPDOCID (create/update) must name an
    # existing attachment.
    supdoc_autonumber: bool = False
    supdoc_folder_must_exist: bool = True
    supdocid_must_exist: bool = True

    # Paging and key limits.
    query_default_pagesize: int = 100
    query_max_pagesize: int = 2000
    read_by_query_default_pagesize: int = 100
    read_by_query_max_pagesize: int = 1000
    read_max_keys: int = 100  # SDK-enforced; the server limit is UNVERIFIED

    # In-flight requests per company before HTTP 429 GW-0010 (None = unlimited). The common
    # default is 2 (UNVERIFIED per tier); off by default so parallel tests don't trip over it.
    concurrency_limit: int | None = None

    def __post_init__(self) -> None:
        zone(self.timezone)  # fail early on an unknown zone name

    @property
    def session_listener(self) -> str:
        """The listener getAPISession binds new sessions to (and names in <endpoint>)."""
        return SESSION_LISTENER if self.session_endpoint_mode == "session" else LOGIN_LISTENER

    def render_style(self, *, all_fields: bool = False) -> RenderStyle:
        """How records are written: `all_fields` for a `*` field list."""
        return RenderStyle(self.dotted_fields_star if all_fields else self.dotted_fields, self.forbidden_chars)

    def credentials(self, endpoint_url: str) -> Credentials:
        return Credentials(
            public={
                "sender_id": self.sender_id,
                "company_id": self.company_id,
                "user_id": self.user_id,
                "endpoint_url": endpoint_url,
            },
            secret={"sender_password": self.sender_password, "user_password": self.user_password},
        )


# Listener names: logins go to the first; sessions live on the first too by default, or on the second
# (a different port) with session_endpoint_mode="session", so a client that keeps posting to the login URL
# after getAPISession is caught.
LOGIN_LISTENER = "login"
SESSION_LISTENER = "session"
