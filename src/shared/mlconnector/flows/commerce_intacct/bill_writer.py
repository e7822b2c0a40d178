"""Posting bills into Intacct exactly once.

- The controlid of a bill is derived from (order, content): a repeated post of the same content is refused by
  uniqueid=true as a duplicate, and is then read back and adopted.
- A different content for an order already in Intacct is refused by Intacct's own duplicate check on
  (RECORDID, VENDORID), and read back the same way.
- An unknown outcome (HTTP 524, a timeout or a dropped connection after sending) stops the run without moving the
  cursor: the next run posts the same controlids again, so what had been applied is found, never doubled.
- A bill already linked to an order is not changed: a changed posted order needs an AP adjustment (credit memo).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, ClassVar

from mlconnector.engine.records import Action, Outcome, WriteItem
from mlconnector.flows.intacct_destination.exactly_once import post_once
from mlconnector.flows.intacct_destination.payee import VENDOR_KEY
from mlconnector.flows.intacct_destination.vendors import VendorMatcher, vendors_for_documents
from mlconnector.systems.intacct import IntacctClient, deterministic_controlid
from mlconnector.systems.intacct.client import WriteOutcome
from mlconnector.systems.intacct.functions import Create, Query
from mlconnector.systems.intacct.functions.filters import in_

FUNCTIONS_PER_REQUEST = 50  # one bill per function, so every outcome maps to one order (reference §7.7)
BATCH = 300  # orders per engine batch: vendors are looked up and created for 300 orders at a time


@dataclass
class BillWriter:
    system: ClassVar[str] = "intacct"
    intacct: IntacctClient
    vendors: VendorMatcher
    max_batch: int = BATCH

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        ready, outcomes = vendors_for_documents(items, self.vendors, "bill", "; a credit memo changes it")
        to_post = [(item, {"VENDORID": vendor, **_bill(item.payload)}) for item, vendor in ready]
        for chunk in batched(to_post, FUNCTIONS_PER_REQUEST, strict=False):
            outcomes.update(self._post(list(chunk)))
        return [outcomes[item.record.key] for item in items]

    def _post(self, bills: list[tuple[WriteItem, dict[str, Any]]]) -> dict[str, Outcome]:
        posted = post_once(self.intacct, bills, _create_bill, _recordno, "bill")
        return {**posted.outcomes, **self._adopt(posted.to_adopt)}

    def _adopt(self, bills: list[tuple[WriteItem, dict[str, Any]]]) -> dict[str, Outcome]:
        """Bills an earlier attempt already posted: read them back by their external reference."""
        found: dict[tuple[str, str], str] = {}
        for chunk in batched([bill["RECORDID"] for _, bill in bills], 100, strict=False):
            query = Query("APBILL", ("RECORDNO", "RECORDID", "VENDORID"), in_("RECORDID", chunk), pagesize=2000)
            [result] = self.intacct.execute([query], write=False)
            result.raise_for_status()
            found.update({(str(r["RECORDID"]), str(r["VENDORID"])): str(r["RECORDNO"]) for r in result.records})
        outcomes = {}
        for item, bill in bills:
            recordno = found.get((bill["RECORDID"], bill["VENDORID"]))
            if recordno is None:
                error = "Intacct reports this bill as already posted, but no bill with its RECORDID is found"
                outcomes[item.record.key] = Outcome(item.record.key, Action.FAILED, error=error)
            else:
                outcomes[item.record.key] = Outcome(item.record.key, Action.CREATED, destination_id=recordno)
        return outcomes


def _bill(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != VENDOR_KEY}


def _create_bill(item: WriteItem, bill: dict[str, Any]) -> Create:
    return Create("APBILL", (bill,), deterministic_controlid("apbill", bill["RECORDID"], item.content_hash[:16]))


def _recordno(result: WriteOutcome) -> str | None:
    return str(result.records[0]["RECORDNO"]) if result.records else None
