"""`ping`: check each system of an integration with cheap, side-effect-free calls; say what to fix when one fails."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from mlconnector.connection import Connection
from mlconnector.flows.commerce_intacct.po_source import PurchaseOrderSource, origin_notes
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.commerce_intacct.vendor_master_config import VendorMasterConfig
from mlconnector.flows.intacct_marketo.writers import CRM_MESSAGE
from mlconnector.flows.registry import get_integration
from mlconnector.systems.commerce import AuthenticationError, CommerceError, SearchCriteria
from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.intacct.functions.query import Query
from mlconnector.systems.marketo import MarketoError, is_crm_managed


@dataclass(frozen=True)
class PingResult:
    system: str
    ok: bool
    latency_ms: int | None
    detail: str
    fix: str = ""


def ping(integration: str, connection: Connection) -> list[PingResult]:
    """Check each system's credentials with a cheap call; say what to fix when one fails."""
    checks: dict[str, Callable[[Connection], PingResult]] = {
        "intacct": _ping_intacct,
        "marketo": _ping_marketo,
        "commerce": _ping_commerce,
    }
    results = []
    for system in get_integration(integration).systems:
        check = checks.get(system)
        if check is None:
            detail = f"no {system} client in this version yet: it comes with its integration's issue"
            results.append(PingResult(system, False, None, detail))
            continue
        results.append(check(connection))
    return results


def _ping_intacct(connection: Connection) -> PingResult:
    started = time.perf_counter()
    try:
        client = connection.intacct()
        endpoint = client.ping()
        # Permission check: a one-row read of each object the integrations read.
        denied = []
        for obj in ("VENDOR", "CONTACT"):
            [result] = client.execute([Query(obj, ("RECORDNO",), pagesize=1)], write=False)
            if not result.ok:
                denied.append(f"{obj}: {result.error}")
    except IntacctError as error:
        return PingResult("intacct", False, _ms(started), str(error), _intacct_fix(error))
    except RuntimeError as error:  # configuration: missing secret, bad endpoint
        return PingResult("intacct", False, _ms(started), str(error), "check the connection's Intacct secret")
    if denied:
        fix = "grant the Web Services user read permission on these objects"
        return PingResult("intacct", False, _ms(started), "; ".join(denied), fix)
    return PingResult("intacct", True, _ms(started), f"signed in; session endpoint {endpoint}")


# An updateOnly sync of a company that cannot exist: Marketo answers "not found" (no side effect), or 1018 when a
# native CRM sync owns companies, so ping can tell without writing anything.
CRM_PROBE = {"externalCompanyId": "mlc-ping-probe-not-a-company"}


def _ping_marketo(connection: Connection) -> PingResult:
    started = time.perf_counter()
    try:
        client = connection.marketo()
        base = client.ping()
        [probe] = client.sync_companies([CRM_PROBE], action="updateOnly")
    except MarketoError as error:
        fix = "check munchkin_id / client_id / client_secret and the API user's role permissions"
        return PingResult("marketo", False, _ms(started), str(error), fix)
    except RuntimeError as error:
        return PingResult("marketo", False, _ms(started), str(error), "check the connection's Marketo secret")
    if is_crm_managed(probe):
        fix = "companies are owned by the CRM sync: sync vendors into the CRM instead, or turn the CRM sync off"
        return PingResult("marketo", False, _ms(started), CRM_MESSAGE, fix)
    return PingResult("marketo", True, _ms(started), f"token issued; companies and leads writable at {base}")


def _ping_commerce(connection: Connection) -> PingResult:
    """Credentials and the ACL resources the flow reads, whether B2B is installed, where purchase orders come
    from (Commerce has no admin REST route for them) and which vendor-master directions are on."""
    started = time.perf_counter()
    try:
        settings = connection.commerce_settings()
        posting = PostingConfig.from_config(settings.get("posting"))
        master = VendorMasterConfig.from_config(settings.get("vendor_master"))
        client = connection.commerce()
        signed_in = client.ping()
        denied = []
        for entity in ("invoices", "creditmemos", "customers"):
            try:
                client.search(entity, SearchCriteria(page_size=1))
            except AuthenticationError as error:
                denied.append(f"{entity}: {error}")
        origin = PurchaseOrderSource(client, posting.po_route, posting.po_payment_methods).decide()
    except AuthenticationError as error:
        fix = (
            "check the integration's four OAuth values (or the IMS client) in the secret, that the integration is "
            "activated, and that it is granted the Sales and Customers API resources"
        )
        return PingResult("commerce", False, _ms(started), str(error), fix)
    except CommerceError as error:
        return PingResult("commerce", False, _ms(started), str(error), "see the error; retry later if it is transient")
    except RuntimeError as error:  # configuration: missing secret, bad URL, unknown config keys
        return PingResult("commerce", False, _ms(started), str(error), "check the connection's Commerce secret")
    if denied:
        fix = "grant the integration these API resources (System > Integrations > API)"
        return PingResult("commerce", False, _ms(started), "; ".join(denied), fix)
    directions = [
        f"customers → Intacct vendors {'on' if master.customers_to_vendors else 'off'}",
        f"Intacct vendors → Commerce companies {'on' if master.vendors_to_commerce else 'off'}",
    ]
    detail = (
        f"signed in ({signed_in.flavour}, {signed_in.auth}); {signed_in.orders} orders visible at "
        f"{signed_in.rest_root}; bills from: {posting.bill_source}; "
        f"B2B {'installed' if signed_in.b2b else 'not installed'}; purchase orders: "
        f"{' '.join(origin_notes(origin, posting.po_route))}; vendor master: {', '.join(directions)}"
    )
    if master.vendors_to_commerce and not signed_in.b2b:
        fix = "install Adobe Commerce B2B, or set vendor_master.vendors_to_commerce to false in the Commerce secret"
        return PingResult("commerce", False, _ms(started), detail, fix)
    return PingResult("commerce", True, _ms(started), detail)


def _intacct_fix(error: IntacctError) -> str:
    text = str(error).lower()
    if "partner" in text or "sender" in text:
        return "check sender_id / sender_password (Web Services sender) in the secret"
    if "sign-in" in text or "authentication" in text:
        return "check user_id / user_password / company_id, and that the sender is authorized for the company"
    return "see the error; retry later if Intacct is unavailable"


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
