"""Every knob of the Intacct simulator. Defaults follow the reference; UNVERIFIED facts are knobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sandbox.core.credentials import Credentials
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
    # getAPISession's <endpoint>; None = the simulator's second ("session") listener.
    session_endpoint: str | None = None

    # UNVERIFIED: the zone WHENMODIFIED/WHENCREATED are written in (Intacct values carry no zone).
    timezone: str = "UTC"

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


# Listener names: logins go to the first, sessions live on the second (a different port, so a
# client that keeps posting to the login URL after getAPISession is caught).
LOGIN_LISTENER = "login"
SESSION_LISTENER = "session"
