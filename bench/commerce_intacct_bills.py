"""Adobe Commerce → Intacct: about 5,000 orders posted as AP bills (their credit memos as AP adjustments, and the
B2B orders placed from purchase orders as Intacct purchase orders).

Prints Intacct calls by kind against the minimum (bills: ceil(n / 50) create requests, 50 functions per request;
new vendors: ceil(n / 50) create requests; one email look-up per 100 new customers; one login), Commerce read calls
against ceil(orders / 300), throughput, and the peak RSS of the connector's process (simulators and moto run in their
own processes).
"""

from __future__ import annotations

import json
import math
import resource
import time

import boto3
import requests

from bench.dynamodb_calls import DynamoDBCalls
from bench.local_aws import LocalAws
from bench.sandbox_process import SandboxProcess
from mlconnector.config import Settings, secret_name
from mlconnector.connection import Connection
from mlconnector.engine.observability import logger
from mlconnector.service import sync
from mlconnector.state.tables import TableNames, create_local_tables

ORDERS = 5_000
LATENCY = 0.050
PREFIX = "ml-connector/bench-commerce"
COMMERCE_OPTIONS = {"posting": {"po_default_item": "COMMERCE-ITEM"}}  # purchase-order lines need an Intacct item


def main() -> None:
    logger.setLevel("WARNING")
    print(f"Commerce -> Intacct bills: about {ORDERS} orders, {LATENCY * 1000:.0f} ms per call")
    with SandboxProcess(size=ORDERS, latency=LATENCY) as sandbox, LocalAws():
        settings = Settings(TableNames("bc-state", "bc-links", "bc-audit"), PREFIX, 1, "us-east-1", ("127.0.0.1",))
        create_local_tables(settings.tables, region="us-east-1")
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        for system, secret in sandbox.credentials.items():
            options = COMMERCE_OPTIONS if system == "commerce" else {}
            secrets.create_secret(
                Name=secret_name(PREFIX, "default", system), SecretString=json.dumps({**secret, **options})
            )
        for url in sandbox.urls.values():
            requests.post(f"{url}/_sandbox/calls/reset", timeout=10).raise_for_status()
        started = time.perf_counter()
        with DynamoDBCalls().counting() as dynamodb:
            report = sync("commerce-intacct", Connection.open("default", settings))
        seconds = time.perf_counter() - started
        calls = {name: requests.get(f"{url}/_sandbox/calls", timeout=10).json() for name, url in sandbox.urls.items()}
    bills, memos = report.stream("order-bills").counts, report.stream("credit-memo-adjustments").counts
    purchase_orders = report.stream("purchase-orders")
    intacct = calls["intacct"]["by_name"]
    orders = sum(bills.values())
    print(f"  {report.status.value} in {seconds:.1f} s ({orders / seconds:,.0f} orders/s)")
    print(f"    orders: {dict(bills)}; credit memos: {dict(memos)}; purchase orders: {dict(purchase_orders.counts)}")
    for note in purchase_orders.notes:
        print(f"    purchase orders: {note}")
    print(f"  Intacct calls: {intacct} ({calls['intacct']['requests']} requests)")
    minimum_bills = math.ceil(bills["created"] / 50)
    minimum_adjustments = math.ceil(memos["created"] / 50)
    minimum_pos = math.ceil(purchase_orders.counts["created"] / 50)
    print(
        f"    minimum: {minimum_bills} bill + {minimum_pos} purchase-order + {minimum_adjustments} adjustment requests "
        "(50 functions each), plus vendor look-ups (100 emails per query) and vendor creates (50 per request)"
    )
    documents = max(1, bills["created"] + memos["created"] + purchase_orders.counts["created"])
    print(f"    Intacct requests per posted document: {calls['intacct']['requests'] / documents:.3f}")
    commerce = calls["commerce"]["by_name"]
    pages = math.ceil(orders / 300)
    print(
        f"  Commerce calls: {commerce} (orders list minimum ceil({orders} / 300) = {pages} per stream; the "
        "purchase-order stream reads the orders list too: Commerce has no purchase-order route to read instead)"
    )
    for line in dynamodb.summary(orders + sum(memos.values())):
        print(f"  {line}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of the connector's process: {peak:.0f} MB (target under 150 MB)")


if __name__ == "__main__":
    main()
