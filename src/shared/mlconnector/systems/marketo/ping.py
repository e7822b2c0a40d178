"""`mlc ping`'s Marketo check: a token, and whether companies are writable or owned by a native CRM sync."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from mlconnector.flows.intacct_marketo.writers import CRM_MESSAGE
from mlconnector.systems.marketo.errors import MarketoError
from mlconnector.systems.marketo.records import is_crm_managed
from mlconnector.systems.marketo.spec import MARKETO
from mlconnector.systems.plugin import PingResult, elapsed_ms

if TYPE_CHECKING:
    from mlconnector.connection import Connection

# An updateOnly sync of a company that cannot exist: Marketo answers "not found" (no side effect), or 1018 when a
# native CRM sync owns companies, so ping can tell without writing anything.
CRM_PROBE = {"externalCompanyId": "mlc-ping-probe-not-a-company"}


def ping(connection: Connection) -> PingResult:
    started = time.perf_counter()
    try:
        client = connection.client(MARKETO)
        base = client.ping()
        [probe] = client.sync_companies([CRM_PROBE], action="updateOnly")
    except MarketoError as error:
        fix = "check munchkin_id / client_id / client_secret and the API user's role permissions"
        return PingResult("marketo", False, elapsed_ms(started), str(error), fix)
    except RuntimeError as error:
        return PingResult("marketo", False, elapsed_ms(started), str(error), "check the connection's Marketo secret")
    if is_crm_managed(probe):
        fix = "companies are owned by the CRM sync: sync vendors into the CRM instead, or turn the CRM sync off"
        return PingResult("marketo", False, elapsed_ms(started), CRM_MESSAGE, fix)
    return PingResult("marketo", True, elapsed_ms(started), f"token issued; companies and leads writable at {base}")
