"""AP writes from the Intacct client to the simulator over loopback: vendor + bill with read-back,
per-record failures, unknown outcomes resolved by read-back, uniqueid replays, legacy `<key>`s."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.intacct import (
    ApAdjustmentLine,
    CreateApAdjustment,
    CreatePoTransaction,
    DuplicateControlId,
    InMemorySessionCache,
    IntacctClient,
    IntacctCredentials,
    PoTransactionLine,
    ResultError,
    UnknownOutcome,
    deterministic_controlid,
    po_document_number,
)
from mlconnector.systems.intacct.functions import Create, Read
from mlconnector.systems.intacct.functions.filters import and_, equalto
from sandbox.core.server import LoopbackServer
from sandbox.intacct import IntacctSimulator

pytestmark = pytest.mark.integration


@pytest.fixture
def simulator() -> Iterator[IntacctSimulator]:
    simulator = IntacctSimulator(seed=5, size=20)
    with LoopbackServer(simulator):
        yield simulator


@pytest.fixture
def client(simulator: IntacctSimulator) -> IntacctClient:
    credentials = IntacctCredentials.from_secret(simulator.credentials.as_dict(), allowed_sandbox_hosts=("127.0.0.1",))
    return IntacctClient(
        credentials,
        InMemorySessionCache(),
        sleep=lambda _: None,  # no retry waits in real time
        http=HttpPolicy(connect_timeout=2, read_timeout=10, retry=RetryPolicy(base=0.01, cap=0.1)),
    )


def vendor(vendor_id: str, **extra: Any) -> dict[str, Any]:
    return {"VENDORID": vendor_id, "NAME": f"{vendor_id} Supplies & Co", "STATUS": "active", **extra}


def bill(record_id: str, vendor_id: str) -> dict[str, Any]:
    return {
        "VENDORID": vendor_id,
        "WHENCREATED": date(2025, 1, 15),
        "RECORDID": record_id,
        "DESCRIPTION": "Order 1001 <web>",
        "APBILLITEMS": {
            "APBILLITEM": [
                {"ACCOUNTNO": "6000", "TRX_AMOUNT": Decimal("750.75"), "ENTRYDESCRIPTION": "Goods"},
                {"ACCOUNTNO": "6100", "TRX_AMOUNT": Decimal("9.25"), "ENTRYDESCRIPTION": "Shipping"},
            ]
        },
    }


def bills_numbered(client: IntacctClient, record_id: str, vendor_id: str) -> list[dict[str, Any]]:
    """The read-back after an unknown outcome: bills by their natural key RECORDID + VENDORID."""
    where = and_(equalto("RECORDID", record_id), equalto("VENDORID", vendor_id))
    pages = client.query_pages("APBILL", ["RECORDNO", "RECORDID", "STATE", "TOTALDUE"], where)
    return [record for page in pages for record in page.records]


def test_vendor_then_bill_then_read_back(client: IntacctClient) -> None:
    created = client.create("VENDOR", [vendor("VAP1")], deterministic_controlid("it", "vendor", "VAP1"))
    assert created.records[0]["VENDORID"] == "VAP1"
    result = client.create("APBILL", [bill("ORD-1001", "VAP1")], deterministic_controlid("it", "bill", "ORD-1001"))
    recordno = result.records[0]["RECORDNO"]
    assert bills_numbered(client, "ORD-1001", "VAP1") == [
        {"RECORDNO": recordno, "RECORDID": "ORD-1001", "STATE": "Posted", "TOTALDUE": "760.00"}
    ]
    [read] = client.execute([Read("APBILL", (recordno,))], write=False)
    [record] = read.records
    assert record["DESCRIPTION"] == "Order 1001 <web>"
    assert [line["TRX_AMOUNT"] for line in record["APBILLITEMS"]["APBILLITEM"]] == ["750.75", "9.25"]


def test_bill_for_a_vendor_on_hold_fails_with_a_clear_error(client: IntacctClient) -> None:
    client.create("VENDOR", [vendor("VHOLD", ONHOLD=True)], "it-vendor-VHOLD")
    with pytest.raises(ResultError) as raised:
        client.create("APBILL", [bill("ORD-2001", "VHOLD")], "it-bill-ORD-2001")
    message = str(raised.value)
    assert "VHOLD" in message
    assert "on hold" in message
    outcomes = client.execute_writes(
        [
            Create("APBILL", (bill("ORD-2002", "VHOLD"),), controlid="it-bill-ORD-2002"),
            Create("APBILL", (bill("ORD-2003", "V100"),), controlid="it-bill-ORD-2003"),
        ]
    )
    assert [o.ok for o in outcomes] == [False, True]
    assert isinstance(outcomes[0].error, ResultError)
    assert "VHOLD" in str(outcomes[0].error)
    assert bills_numbered(client, "ORD-2002", "VHOLD") == []


def test_bill_hit_by_524_after_commit_is_found_once_by_read_back(
    client: IntacctClient, simulator: IntacctSimulator
) -> None:
    simulator.faults.add("status_after_commit", match="write", times=1)
    controlid = deterministic_controlid("it", "bill", "ORD-3001", "V101")
    with pytest.raises(UnknownOutcome):
        client.create("APBILL", [bill("ORD-3001", "V101")], controlid)
    [found] = bills_numbered(client, "ORD-3001", "V101")
    assert found["TOTALDUE"] == "760.00"
    with pytest.raises(DuplicateControlId):
        client.create("APBILL", [bill("ORD-3001", "V101")], controlid)
    assert len(bills_numbered(client, "ORD-3001", "V101")) == 1


def test_replaying_a_bill_controlid_is_refused_as_a_duplicate(client: IntacctClient) -> None:
    controlid = deterministic_controlid("it", "bill", "ORD-4001", "V102")
    client.create("APBILL", [bill("ORD-4001", "V102")], controlid)
    with pytest.raises(DuplicateControlId):
        client.create("APBILL", [bill("ORD-4001", "V102")], controlid)
    assert len(bills_numbered(client, "ORD-4001", "V102")) == 1


def test_adjustment_and_purchase_order_answer_with_keys(client: IntacctClient, simulator: IntacctSimulator) -> None:
    client.create("APBILL", [bill("ORD-5001", "V103")], "it-bill-ORD-5001")
    adjustment = CreateApAdjustment(
        "V103",
        date(2025, 2, 1),
        (ApAdjustmentLine(Decimal("-25.00"), gl_account_no="6000", memo="Credit memo 7"),),
        adjustment_no="CM-7",
        bill_no="ORD-5001",
        controlid=deterministic_controlid("it", "adjustment", "CM-7"),
    )
    order = CreatePoTransaction(
        "Purchase Order",
        date(2025, 2, 1),
        "V103",
        date(2025, 3, 3),
        (PoTransactionLine("ITM-100", 4), PoTransactionLine("ITM-400", Decimal("1.5"), price=Decimal("80"))),
        document_no="B2B-PO-9",
        controlid=deterministic_controlid("it", "po", "B2B-PO-9"),
    )
    adjusted, ordered = client.execute_writes([adjustment, order])
    assert adjusted.ok
    assert ordered.ok
    assert adjusted.key is not None
    stored = simulator.store.get("APADJUSTMENT", int(adjusted.key))
    assert stored is not None
    assert (stored["RECORDID"], stored["TOTALENTERED"]) == ("CM-7", "-25.00")
    assert ordered.key == "Purchase Order-B2B-PO-9"
    assert po_document_number(ordered.key, "Purchase Order") == "B2B-PO-9"
    [document] = client.read_by_name("PODOCUMENT", [ordered.key], ["DOCNO", "TOTAL", "VENDORID"])
    assert document == {"DOCNO": "B2B-PO-9", "TOTAL": "159.80", "VENDORID": "V103"}
    again = client.execute_writes([adjustment, order])
    assert all(isinstance(o.error, DuplicateControlId) for o in again)
    assert simulator.store.count("APADJUSTMENT") == 1


@pytest.mark.parametrize("fault", ["status_after_commit", "drop_after"])
def test_legacy_write_with_a_lost_answer_is_an_unknown_outcome(
    client: IntacctClient, simulator: IntacctSimulator, fault: str
) -> None:
    simulator.faults.add(fault, match="create_potransaction", times=1)
    order = CreatePoTransaction(
        "Purchase Order", date(2025, 2, 1), "V104", date(2025, 3, 3), (PoTransactionLine("ITM-200", 1),),
        document_no=f"LOST-{fault}", controlid=deterministic_controlid("it", "po", fault),
    )  # fmt: skip
    with pytest.raises(UnknownOutcome):
        client.execute_writes([order])
    docid = f"Purchase Order-LOST-{fault}"
    assert client.read_by_name("PODOCUMENT", [docid], ["DOCNO"]) == [{"DOCNO": f"LOST-{fault}"}]
    [replayed] = client.execute_writes([order])
    assert isinstance(replayed.error, DuplicateControlId)
    assert simulator.store.count("PODOCUMENT") == 1
