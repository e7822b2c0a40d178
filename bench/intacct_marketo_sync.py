"""Intacct → Marketo: 10,000 vendors with about 20,000 contacts, 50 ms per call, Marketo's real rate limits.

For the first sync and for a rerun with no changes it prints, per system, the API calls against the minimum
(Intacct: one login + one query call per 2,000 records per object; Marketo writes: ceil(n / 300) per object
type), the wall time against the floor that latency and Marketo's 100-calls-per-20-seconds window impose, and the
peak RSS of the connector's process (the simulators and moto run in their own processes).
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
from mlconnector.engine.report import RunReport
from mlconnector.service import sync
from mlconnector.state.tables import TableNames, create_local_tables

VENDORS = 10_000
LATENCY = 0.050
PAGE = 2000
BATCH = 300
WINDOW_CALLS, WINDOW_SECONDS = 100, 20
PREFIX = "ml-connector/bench"
FLOOR_TARGET = 1.2
"""Target: the first sync within 1.2 x the floor latency and Marketo's window impose."""


def main() -> None:
    logger.setLevel("WARNING")
    print(f"Intacct -> Marketo sync: {VENDORS} vendors, {LATENCY * 1000:.0f} ms per call, Marketo limits 100/20 s")
    with SandboxProcess(size=VENDORS, latency=LATENCY) as sandbox, LocalAws():
        settings = Settings(
            TableNames("bench-state", "bench-links", "bench-audit"), PREFIX, 1, "us-east-1", ("127.0.0.1",)
        )
        create_local_tables(settings.tables, region="us-east-1")
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        for system, secret in sandbox.credentials.items():
            secrets.create_secret(Name=secret_name(PREFIX, "default", system), SecretString=json.dumps(secret))
        dynamodb = DynamoDBCalls()
        for label in ("first sync", "no-change rerun"):
            for url in sandbox.urls.values():
                requests.post(f"{url}/_sandbox/calls/reset", timeout=10).raise_for_status()
            dynamodb.reset()
            started = time.perf_counter()
            with dynamodb.counting():
                report = sync("intacct-marketo", Connection.open("default", settings))
            _print(label, report, time.perf_counter() - started, _calls(sandbox.urls))
            synced = sum(report.counts.values())
            for line in dynamodb.summary(synced):
                print(f"    {line}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of the connector's process: {peak:.0f} MB (target under 150 MB)")


def _calls(urls: dict[str, str]) -> dict[str, dict[str, int]]:
    return {name: requests.get(f"{url}/_sandbox/calls", timeout=10).json()["by_name"] for name, url in urls.items()}


def _print(label: str, report: RunReport, seconds: float, calls: dict[str, dict[str, int]]) -> None:
    companies, leads = report.stream("companies").counts, report.stream("leads").counts
    written = {
        "companies.sync": companies["created"] + companies["updated"],
        "leads.sync": leads["created"] + leads["updated"],
    }
    print(f"  {label}: {report.status.value}; companies {dict(companies)}; leads {dict(leads)}")
    intacct = calls["intacct"]
    read = sum(sum(s.counts.values()) for s in report.streams.values())
    reads = sum(n for name, n in intacct.items() if name != "getAPISession")
    contacts = sum(leads.values())
    minimum_reads = math.ceil(sum(companies.values()) / PAGE) + math.ceil(contacts / PAGE)
    # One owner per shared email (flows/one_owner.py): a first sync scans every contact's email once (a page per
    # 2,000); a later run asks for the claims on the emails of each page of contacts it read (one query when a page
    # holds up to 100 emails).
    owner_reads = math.ceil(contacts / PAGE)
    print(
        f"    Intacct: {intacct.get('getAPISession', 0)} login(s) + {reads} query calls for {read} records "
        f"(minimum {minimum_reads}: one per {PAGE} records per object; plus {owner_reads} for shared-email "
        f"owners: {reads / (minimum_reads + owner_reads):.2f}x of both)"
    )
    marketo = calls["marketo"]
    for name, records in written.items():
        minimum = math.ceil(records / BATCH)
        ratio = f"{marketo.get(name, 0) / minimum:.2f}x" if minimum else "n/a"
        print(f"    Marketo {name}: {marketo.get(name, 0)} calls for {records} records (minimum {minimum}, {ratio})")
    other = {k: v for k, v in marketo.items() if k not in written}
    total = sum(marketo.values())
    print(f"    Marketo other calls: {other}")
    floor = max(total * LATENCY, (math.ceil(total / WINDOW_CALLS) - 1) * WINDOW_SECONDS)
    rate = read / seconds
    target = f" ({seconds / floor:.2f}x the floor; target {FLOOR_TARGET}x)" if floor >= WINDOW_SECONDS else ""
    print(
        f"    wall time {seconds:.1f} s; latency and Marketo window floor {floor:.1f} s{target}; {rate:,.0f} records/s"
    )


if __name__ == "__main__":
    main()
