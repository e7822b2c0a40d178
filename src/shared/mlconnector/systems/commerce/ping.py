"""`mlc ping`'s Commerce check: sign-in, the ACL resources the flow reads, B2B, where purchase orders come from,
and which vendor-master directions are on."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from mlconnector.flows.commerce_intacct.po_reader import PurchaseOrderSource, origin_notes
from mlconnector.flows.commerce_intacct.posting import PostingConfig
from mlconnector.flows.commerce_intacct.vendor_master_config import VendorMasterConfig
from mlconnector.systems.commerce.errors import AuthenticationError, CommerceError
from mlconnector.systems.commerce.search import SearchCriteria
from mlconnector.systems.commerce.spec import COMMERCE
from mlconnector.systems.plugin import PingResult, elapsed_ms

if TYPE_CHECKING:
    from mlconnector.connection import Connection


def ping(connection: Connection) -> PingResult:
    """Credentials and the ACL resources the flow reads, whether B2B is installed, where purchase orders come
    from (Commerce has no admin REST route for them) and which vendor-master directions are on."""
    started = time.perf_counter()
    try:
        settings = connection.options(COMMERCE)
        posting = PostingConfig.from_config(settings.get("posting"))
        master = VendorMasterConfig.from_config(settings.get("vendor_master"))
        client = connection.client(COMMERCE)
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
        return PingResult("commerce", False, elapsed_ms(started), str(error), fix)
    except CommerceError as error:
        return PingResult(
            "commerce", False, elapsed_ms(started), str(error), "see the error; retry later if it is transient"
        )
    except RuntimeError as error:  # configuration: missing secret, bad URL, unknown config keys
        return PingResult("commerce", False, elapsed_ms(started), str(error), "check the connection's Commerce secret")
    if denied:
        fix = "grant the integration these API resources (System > Integrations > API)"
        return PingResult("commerce", False, elapsed_ms(started), "; ".join(denied), fix)
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
        return PingResult("commerce", False, elapsed_ms(started), detail, fix)
    return PingResult("commerce", True, elapsed_ms(started), detail)
