"""`mlc ping`'s Intacct check: sign in, then a one-row read of each object the integrations read."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from mlconnector.systems.intacct.errors import IntacctError
from mlconnector.systems.intacct.functions.query import Query
from mlconnector.systems.intacct.spec import INTACCT
from mlconnector.systems.plugin import PingResult, elapsed_ms

if TYPE_CHECKING:
    from mlconnector.connection import Connection


def ping(connection: Connection) -> PingResult:
    started = time.perf_counter()
    try:
        client = connection.client(INTACCT)
        endpoint = client.ping()
        # Permission check: a one-row read of each object the integrations read.
        denied = []
        for obj in ("VENDOR", "CONTACT"):
            [result] = client.execute([Query(obj, ("RECORDNO",), pagesize=1)], write=False)
            if not result.ok:
                denied.append(f"{obj}: {result.error}")
    except IntacctError as error:
        return PingResult("intacct", False, elapsed_ms(started), str(error), _intacct_fix(error))
    except RuntimeError as error:  # configuration: missing secret, bad endpoint
        return PingResult("intacct", False, elapsed_ms(started), str(error), "check the connection's Intacct secret")
    if denied:
        fix = "grant the Web Services user read permission on these objects"
        return PingResult("intacct", False, elapsed_ms(started), "; ".join(denied), fix)
    return PingResult("intacct", True, elapsed_ms(started), f"signed in; session endpoint {endpoint}")


def _intacct_fix(error: IntacctError) -> str:
    text = str(error).lower()
    if "partner" in text or "sender" in text:
        return "check sender_id / sender_password (Web Services sender) in the secret"
    if "sign-in" in text or "authentication" in text:
        return "check user_id / user_password / company_id, and that the sender is authorized for the company"
    return "see the error; retry later if Intacct is unavailable"
