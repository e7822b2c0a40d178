"""Posting B2B purchase orders into Intacct as purchasing transactions (create_potransaction), exactly once.

- The buyer resolves to a VENDORID through the same VendorMatcher as the bills, so a purchase order and the bill
  of the order placed from it land on one vendor.
- The controlid is derived from (document number, content): a repeated post is refused by uniqueid=true, and a
  second document with the number by Intacct's duplicate check per transaction definition; either is read back
  from PODOCUMENT by DOCNO and DOCPARID and adopted.
- An unknown outcome stops the run without moving the cursor: the next run posts the same controlids again.
- A purchase order already linked to an Intacct document is not changed (a failure saying so).

The destination id is the document's key, `<transaction definition>-<document number>` (DOCID), which is what
create_potransaction answers (UNVERIFIED, see `po_document_number`) and what update_potransaction takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import batched
from typing import ClassVar

from mlconnector.engine.records import Action, Outcome, WriteItem
from mlconnector.flows.intacct_destination.exactly_once import post_once
from mlconnector.flows.intacct_destination.vendors import VendorMatcher, vendors_for_documents
from mlconnector.systems.intacct import (
    CreatePoTransaction,
    IntacctClient,
    PoTransactionLine,
    deterministic_controlid,
)
from mlconnector.systems.intacct.client import WriteOutcome
from mlconnector.systems.intacct.functions import Query
from mlconnector.systems.intacct.functions.filters import in_

FUNCTIONS_PER_REQUEST = 50  # one purchase order per function, so every outcome maps to one record (reference §7.7)
BATCH = 300  # purchase orders per engine batch: their vendors are resolved together
NUMBERS_PER_QUERY = 100


@dataclass
class PoWriter:
    system: ClassVar[str] = "intacct"
    intacct: IntacctClient
    vendors: VendorMatcher
    max_batch: int = BATCH

    def write(self, items: Sequence[WriteItem]) -> list[Outcome]:
        ready, outcomes = vendors_for_documents(items, self.vendors, "purchase order", " and is not changed")
        to_post = [(item, po_transaction(item, vendor)) for item, vendor in ready]
        for chunk in batched(to_post, FUNCTIONS_PER_REQUEST, strict=False):
            outcomes.update(self._post(list(chunk)))
        return [outcomes[item.record.key] for item in items]

    def _post(self, documents: list[tuple[WriteItem, CreatePoTransaction]]) -> dict[str, Outcome]:
        posted = post_once(self.intacct, documents, lambda _, function: function, _docid, "purchase order")
        return {**posted.outcomes, **self._adopt(posted.to_adopt)}

    def _adopt(self, documents: list[tuple[WriteItem, CreatePoTransaction]]) -> dict[str, Outcome]:
        """Purchase orders an earlier attempt already posted: read back by document number (DOCNO) within their
        transaction definition (the query's docparid, as the SDKs read PODOCUMENT)."""
        found: dict[tuple[str, str], tuple[str, str]] = {}  # (DOCPARID, DOCNO) → (DOCID, VENDORID)
        by_type: dict[str, set[str]] = {}
        for _, function in documents:
            by_type.setdefault(function.transaction_type, set()).add(str(function.document_no))
        for doc_type, numbers in sorted(by_type.items()):
            for chunk in batched(sorted(numbers), NUMBERS_PER_QUERY, strict=False):
                fields = ("RECORDNO", "DOCID", "DOCNO", "DOCPARID", "VENDORID")
                query = Query("PODOCUMENT", fields, in_("DOCNO", chunk), pagesize=2000, docparid=doc_type)
                [result] = self.intacct.execute([query], write=False)
                result.raise_for_status()
                found.update(
                    {(doc_type, str(r["DOCNO"])): (str(r["DOCID"]), str(r["VENDORID"])) for r in result.records}
                )
        outcomes = {}
        for item, function in documents:
            key = item.record.key
            document = found.get((function.transaction_type, str(function.document_no)))
            if document is None:
                error = "Intacct reports this purchase order as already posted, but none with its number is found"
                outcomes[key] = _failed(key, error)
            elif document[1] != function.vendor_id:
                error = f"{document[0]} already exists in Intacct for another vendor ({document[1]})"
                outcomes[key] = _failed(key, error)
            else:
                outcomes[key] = Outcome(key, Action.CREATED, destination_id=document[0])
        return outcomes


def po_transaction(item: WriteItem, vendor_id: str) -> CreatePoTransaction:
    """The create_potransaction of a mapped purchase order; its controlid is fixed by (number, content)."""
    payload = item.payload
    lines = tuple(
        PoTransactionLine(
            line["itemid"], Decimal(line["quantity"]), item_desc=line["itemdesc"], price=Decimal(line["price"])
        )
        for line in payload["lines"]
    )
    return CreatePoTransaction(
        transaction_type=payload["transactiontype"],
        date_created=date.fromisoformat(payload["datecreated"]),
        vendor_id=vendor_id,
        date_due=date.fromisoformat(payload["datedue"]),
        lines=lines,
        document_no=payload["documentno"],
        reference_no=payload["referenceno"],
        message=payload["message"],
        currency=payload["currency"],
        controlid=deterministic_controlid("potransaction", payload["documentno"], item.content_hash[:16]),
    )


def _docid(result: WriteOutcome) -> str | None:
    return result.key


def _failed(key: str, error: str) -> Outcome:
    return Outcome(key, Action.FAILED, error=error)
