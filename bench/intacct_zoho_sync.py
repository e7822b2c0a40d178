"""Intacct → Zoho CRM: 10,000 vendors (with their contacts), 10,000 customers with a hierarchy, 50 ms per call.

The Intacct seed (sandbox/intacct/seed.py, volumes set by this bench; no bills, which the flow does not read) holds
10,000 vendors with 1-3 contacts each (seed 1: 20,076 CONTACT records, each of a vendor) and 10,000 customers, 20%
of them with a parent among the customers seeded before them (seed 1: 7,990 roots and 1,599, 320, 77, 11 and 3
customers one to five levels below one: six levels). The flow writes four streams: accounts (customers, parents
first), vendors, contacts (the vendors' contacts) and customer-contacts (each customer's display contact, on its
Account): 10,000 Accounts, 10,000 Vendors and 30,076 Contacts. The bench prints the counts it really read and
wrote. The Zoho simulator runs its default edition, Professional (15 calls at once, at most 10 of them heavy: an
upsert of more than 10 records is heavy); the Zoho secret names the same edition.

For the first sync and a rerun with no change: per stream, Zoho calls by the simulator's call names (its
/_sandbox/calls counters, read when each stream starts and ends) and credits spent (/_sandbox/credits, the same
way), the upserts against the minimum of ceil(n / 100) for the n records written (accounts: a batch holding a child
and its parent takes another upsert; batches follow the depth order, so at most one more per level below the top;
target: calls at most 1.05 x the minimum), credits against ceil(n / 10) (one credit per 10 records of an
upsert); token mints (`oauth.token` calls: target one for the whole bench, none on the rerun while the cached token
is valid); Intacct calls per object; wall time against the floor: upserts x 50 ms / the edition's calls at once +
every other call x 50 ms (the sequential ones: Intacct reads, the token grant, the metadata reads), and where the
time went; DynamoDB calls; on the rerun the Zoho writes (target 0); and the peak RSS of the connector's process
(target under 200 MB; the simulators, moto and dynalite run in their own processes).

Reading the wall time: the engine writes a stream's batches one after the other (StreamRun._drain calls
UpsertWriter.write, which makes its upserts in turn), so at most one upsert is in flight and the client's budget of
15 calls at once is never used: the floor of the edition's concurrency is not one this flow can reach, and "every
call one after the other" is the floor it can. Above that, each simulated upsert costs a pass over its module
(sandbox/zoho/duplicates.py builds its ValueIndex per call), so an upsert takes longer as the module grows (the
customer-contacts stream writes into 20,000 Contacts): simulator time, which real Zoho may or may not have.

The run is watched from inside this process: the engine's StreamRun (a subclass marks each stream's start and
close), IntacctClient._execute (requests and rows per object), ZohoClient.upsert (records and seconds per call,
and how many were in flight at once) and UpsertWriter.write (engine batches, and those that took more than one
upsert) are wrapped while the run goes on.
"""

from __future__ import annotations

import json
import math
import resource
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import requests

from bench.dynamodb_calls import DynamoDBCalls
from bench.instrument import patched, print_failures
from bench.local_aws import LocalAws
from bench.sandbox_process import SandboxProcess
from mlconnector.config import Settings, secret_name
from mlconnector.connection import Connection
from mlconnector.engine import runner
from mlconnector.engine.observability import logger
from mlconnector.engine.pipeline import StreamRun
from mlconnector.engine.records import Outcome, WriteItem
from mlconnector.engine.report import RunReport
from mlconnector.flows.fields import field as source_field
from mlconnector.flows.intacct_zoho.writers import UpsertWriter
from mlconnector.service import sync
from mlconnector.state.tables import TableNames, create_local_tables
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.zoho.client import ZohoClient
from mlconnector.systems.zoho.records import UpsertResult

VENDORS, CUSTOMERS, BILLS = 10_000, 10_000, 0
LATENCY = 0.050
PER_UPSERT = 100
RECORDS_PER_CREDIT = 10
HEAVY_RECORDS, HEAVY_AT_ONCE = 10, 10
"""An upsert of more records than HEAVY_RECORDS is a heavy call; at most HEAVY_AT_ONCE of those at once."""
INTACCT_PAGE = 2000
CALLS_TARGET = 1.05
RSS_TARGET_MB = 200
PREFIX = "ml-connector/bench"
FLOW = "intacct-zoho"
STREAMS = ("accounts", "vendors", "contacts", "customer-contacts")
SYSTEMS = ("intacct", "zoho")
UPSERT, TOKEN = "records.upsert", "oauth.token"
ZOHO_WRITES = frozenset({UPSERT})
"""The simulator's call names that change records (the others read, or are the token grant)."""


# --------------------------------------------------------------------------- what one run costs, phase by phase


@dataclass
class Upserts:
    """The upsert calls of one phase: records per call, seconds per call; engine batches and their upsert calls."""

    calls: list[tuple[int, float]] = field(default_factory=list)
    batches: list[tuple[int, int]] = field(default_factory=list)
    """(records in the engine batch, upsert calls it took)."""


class Phases:
    """The API calls of one run per phase: preflight, each stream (from the start of its StreamRun to its close),
    finish. Zoho and Intacct calls as the simulators counted them, Zoho credits as the simulator spent them; Intacct
    requests per object and rows, and the upserts, as the connector made them."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self._urls = {name: urls[name] for name in SYSTEMS}
        self._lock = threading.Lock()
        self.current = "preflight"
        self.order = ["preflight"]
        self.calls: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        self.credits: Counter[str] = Counter()
        self.intacct: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        """phase -> object -> {"requests", "rows"}."""
        self.upserts: dict[str, Upserts] = defaultdict(Upserts)
        self.parents: dict[str, str | None] = {}
        """CUSTOMERID -> PARENTID of the customers the accounts stream read."""
        self.vendor_contacts = 0
        """CONTACT rows read by the contacts stream that name a vendor."""
        self.intacct_seconds = 0.0
        self.upsert_seconds = 0.0
        self.in_flight = 0
        self.most_in_flight = 0
        self._last = self._snapshot()

    def _snapshot(self) -> tuple[dict[str, Counter[str]], int]:
        calls = {
            name: Counter(requests.get(f"{url}/_sandbox/calls", timeout=10).json()["by_name"])
            for name, url in self._urls.items()
        }
        credits = requests.get(f"{self._urls['zoho']}/_sandbox/credits", timeout=10).json()
        return calls, int(credits["used"])

    def switch(self, phase: str) -> None:
        calls, credits = self._snapshot()
        last_calls, last_credits = self._last
        for system, counts in calls.items():
            self.calls[self.current][system].update(counts - last_calls[system])
        self.credits[self.current] += credits - last_credits
        self._last = (calls, credits)
        self.current = phase
        if phase not in (*self.order, "finish", "end"):
            self.order.append(phase)

    @property
    def phases(self) -> list[str]:
        """preflight, the streams in the order they ran, finish (with anything between two streams)."""
        return [*self.order, "finish"]

    def intacct_request(self, functions: Sequence[Any], results: Sequence[Any], seconds: float) -> None:
        with self._lock:
            self.intacct_seconds += seconds
            for function, result in zip(functions, results, strict=False):
                name = str(getattr(function, "object", type(function).__name__))
                counts = self.intacct[self.current][name]
                counts["requests"] += 1
                rows = list(getattr(result, "records", ()))
                counts["rows"] += len(rows)
                if self.current == "accounts" and name == "CUSTOMER":
                    for row in rows:
                        self.parents[str(row.get("CUSTOMERID"))] = source_field(row, "PARENTID")
                elif self.current == "contacts" and name == "CONTACT":
                    self.vendor_contacts += sum(1 for row in rows if source_field(row, "VENDORID"))

    @contextmanager
    def upsert(self, records: int) -> Iterator[None]:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - started
            with self._lock:
                self.in_flight -= 1
                self.upsert_seconds += seconds
                self.upserts[self.current].calls.append((records, seconds))

    def batch(self, records: int, calls: int) -> None:
        with self._lock:
            self.upserts[self.current].batches.append((records, calls))

    @contextmanager
    def tracking(self) -> Iterator[Phases]:
        """Counts while a run goes on: the engine's StreamRun marks the streams; Intacct requests, upserts and the
        writer's batches are counted around the clients' and the writer's own methods."""
        phases = self

        class Tracked(StreamRun):
            def __post_init__(self) -> None:
                phases.switch(self.stream.name)
                super().__post_init__()

            def close(self) -> None:
                super().close()
                phases.switch("finish")

        execute, upsert, write = IntacctClient._execute, ZohoClient.upsert, UpsertWriter.write

        def counted(client: IntacctClient, functions: list[Any], **kwargs: Any) -> list[Any]:
            started = time.perf_counter()
            results = execute(client, functions, **kwargs)
            phases.intacct_request(functions, results, time.perf_counter() - started)
            return results

        def timed(
            client: ZohoClient, module: str, records: Sequence[Mapping[str, Any]], **kwargs: Any
        ) -> list[UpsertResult]:
            with phases.upsert(len(records)):
                return upsert(client, module, records, **kwargs)

        def batched(writer: UpsertWriter, items: Sequence[WriteItem]) -> list[Outcome]:
            before = len(phases.upserts[phases.current].calls)
            try:
                return write(writer, items)
            finally:
                phases.batch(len(items), len(phases.upserts[phases.current].calls) - before)

        replacements = (
            (runner, "StreamRun", Tracked),
            (IntacctClient, "_execute", counted),
            (ZohoClient, "upsert", timed),
            (UpsertWriter, "write", batched),
        )
        try:
            with patched(replacements):
                yield self
        finally:
            self.switch("end")


# --------------------------------------------------------------------------- the bench


def main() -> None:
    logger.setLevel("ERROR")
    print(
        f"Intacct -> Zoho CRM sync: {VENDORS:,} vendors (1-3 contacts each), {CUSTOMERS:,} customers (20% with a "
        f"parent), {LATENCY * 1000:.0f} ms per call"
    )
    with SandboxProcess(size=VENDORS, latency=LATENCY, customers=CUSTOMERS, bills=BILLS) as sandbox, LocalAws():
        zoho = sandbox.urls["zoho"]
        edition = requests.get(f"{zoho}/_sandbox/edition", timeout=10).json()
        print(
            f"  Zoho simulator: {edition['edition']} edition, {edition['concurrency']} calls at once (heavy: at most "
            f"{HEAVY_AT_ONCE}), {edition['credits_per_day']:,} credits a day, Vendors "
            f"{'available' if edition['vendors_available'] else 'unavailable'}"
        )
        settings = Settings(
            TableNames("bench-state", "bench-links", "bench-audit"), PREFIX, 1, "us-east-1", ("127.0.0.1",)
        )
        create_local_tables(settings.tables, region="us-east-1")
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        for system, credentials in sandbox.credentials.items():
            secret = dict(credentials)
            if system == "zoho":
                secret["edition"] = edition["edition"]  # the calls-at-once budget of the simulator's edition
            secrets.create_secret(Name=secret_name(PREFIX, "default", system), SecretString=json.dumps(secret))
        dynamodb = DynamoDBCalls()
        mints = 0
        for label in ("first sync", "no-change rerun"):
            for url in sandbox.urls.values():
                requests.post(f"{url}/_sandbox/calls/reset", timeout=10).raise_for_status()
            dynamodb.reset()
            phases = Phases(sandbox.urls)
            connection = Connection.open("default", settings)
            started = time.perf_counter()
            with dynamodb.counting(), phases.tracking():
                report = sync(FLOW, connection)
            seconds = time.perf_counter() - started
            rerun = label != "first sync"
            print(
                f"\n  {label}: {report.status.value} in {seconds:.1f} s{f' ({report.error})' if report.error else ''}"
            )
            for name, stream in report.streams.items():
                notes = f"; notes: {' '.join(stream.notes)}" if stream.notes else ""
                print(f"    {name}: {dict(sorted((k, v) for k, v in stream.counts.items() if v))}{notes}")
            if not rerun:
                _print_sources(phases, report)
            intacct = _print_intacct(phases)
            mints += _print_zoho(report, phases, rerun=rerun, minted_before=mints)
            _print_time(seconds, phases, intacct, edition["concurrency"], dynamodb.seconds["main thread"])
            print_failures(report, connection, FLOW)
            for line in dynamodb.summary(sum(report.counts.values())):
                print(f"    {line}")
        counts = requests.get(f"{zoho}/_sandbox/counts", timeout=10).json()
        credits = requests.get(f"{zoho}/_sandbox/credits", timeout=10).json()
        print(
            f"\n  Zoho now holds {', '.join(f'{n:,} {module}' for module, n in sorted(counts.items()))}; credits used "
            f"in the last 24 h {credits['used']:,} of {credits['allowance']:,}"
        )
    verdict = "ok" if mints == 1 else "MISSED"
    print(f"  token mints over both runs: {mints} (target 1: {verdict})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "ok" if peak < RSS_TARGET_MB else "MISSED"
    print(f"  peak RSS of the connector's process: {peak:.0f} MB (target under {RSS_TARGET_MB} MB: {verdict})")


def _levels(parents: Mapping[str, str | None]) -> Counter[int]:
    """How many customers sit at each depth of the hierarchy (0: no parent among the customers read)."""
    depth: dict[str, int] = {}
    for key in parents:
        chain: list[str] = []
        node: str | None = key
        while node is not None and node in parents and node not in depth and node not in chain:
            chain.append(node)
            node = parents[node]
        base = depth.get(node, -1) if node is not None and node in depth else -1
        for member in reversed(chain):
            base += 1
            depth[member] = base
    return Counter(depth.values())


def _print_sources(phases: Phases, report: RunReport) -> None:
    seen = {stream: {obj: c["rows"] for obj, c in phases.intacct[stream].items()} for stream in STREAMS}
    levels = _levels(phases.parents)
    by_depth = ", ".join(f"{levels[d]:,}" for d in sorted(levels))
    customer_contacts = report.stream("customer-contacts").counts
    print(
        f"    read from Intacct: {seen['accounts'].get('CUSTOMER', 0):,} customers ({len(levels)} hierarchy levels: "
        f"{by_depth} customers at depth 0..{len(levels) - 1}), {seen['vendors'].get('VENDOR', 0):,} vendors, "
        f"{seen['contacts'].get('CONTACT', 0):,} contacts ({phases.vendor_contacts:,} of a vendor), "
        f"{seen['customer-contacts'].get('CUSTOMER', 0):,} customers again for their display contacts "
        f"({sum(customer_contacts.values()) - customer_contacts['skipped']:,} with a name or email)"
    )


def _print_intacct(phases: Phases) -> int:
    """Intacct calls per object (and per stream); returns the simulator's count of every Intacct call."""
    per_object: dict[str, Counter[str]] = defaultdict(Counter)
    streams: dict[str, list[str]] = defaultdict(list)
    for phase in phases.phases:
        for obj, counts in phases.intacct[phase].items():
            per_object[obj].update(counts)
            streams[obj].append(f"{phase} {counts['requests']}")
    simulator = Counter[str]()
    for phase in phases.phases:
        simulator.update(phases.calls[phase]["intacct"])
    total = sum(simulator.values())
    print(f"    Intacct: {total} calls {dict(sorted(simulator.items()))}; per object (requests, rows, by stream):")
    for obj, counts in sorted(per_object.items()):
        minimum = max(1, math.ceil(counts["rows"] / INTACCT_PAGE))
        print(
            f"      {obj}: {counts['requests']} for {counts['rows']:,} rows (one per {INTACCT_PAGE} rows: {minimum}) "
            f"[{', '.join(streams[obj])}]"
        )
    return total


def _print_zoho(report: RunReport, phases: Phases, *, rerun: bool, minted_before: int) -> int:
    """Zoho calls and credits per phase against the minimum; returns the token mints of this run."""
    print("    Zoho calls per phase (simulator's names), upserts and credits against the minimum:")
    totals: Counter[str] = Counter()
    for phase in phases.phases:
        calls = phases.calls[phase]["zoho"]
        totals.update(calls)
        line = (
            f"      {phase}: {sum(calls.values())} calls {dict(sorted(calls.items()))}, {phases.credits[phase]} credits"
        )
        if phase in report.streams:
            line += _upsert_verdict(phase, report, phases, calls[UPSERT], rerun=rerun)
        print(line)
    writes = sum(n for name, n in totals.items() if name in ZOHO_WRITES)
    mints = totals[TOKEN]
    print(f"      Zoho: {sum(totals.values())} calls, {sum(phases.credits.values())} credits; token mints {mints}")
    if rerun:
        verdict = "ok" if writes == 0 else "MISSED"
        print(f"      Zoho writes on the rerun: {writes} (target 0: {verdict})")
        cached = "ok" if mints == 0 else "MISSED"
        print(f"      token mints on the rerun: {mints} (target 0 while the cached token is valid: {cached})")
    else:
        verdict = "ok" if mints + minted_before == 1 else "MISSED"
        print(f"      token mints on the first sync: {mints} (target 1: {verdict})")
    return mints


def _upsert_verdict(phase: str, report: RunReport, phases: Phases, made: int, *, rerun: bool) -> str:
    counts = report.stream(phase).counts
    written = counts["created"] + counts["updated"]
    upserts = phases.upserts.get(phase, Upserts())
    sent = sum(n for n, _ in upserts.calls)
    seconds = sum(s for _, s in upserts.calls)
    if rerun:
        return f"; upserts {made} (minimum 0: nothing changed: {'ok' if made == 0 else 'MISSED'})"
    minimum = math.ceil(written / PER_UPSERT)
    if not minimum:
        return f"; upserts {made} for 0 records written"
    verdict = "ok" if made <= CALLS_TARGET * minimum else "MISSED"
    split = [(n, c) for n, c in upserts.batches if c > 1]
    credits_minimum = math.ceil(written / RECORDS_PER_CREDIT)
    text = (
        f"; upserts {made} for {written:,} records written ({sent:,} sent): minimum ceil({written} / {PER_UPSERT}) = "
        f"{minimum}, {made / minimum:.2f}x ({verdict}; target {CALLS_TARGET}x); {len(upserts.batches)} engine batches"
    )
    if split:
        text += (
            f", {len(split)} of them took {sum(c for _, c in split)} upserts (a child held until its parent in the "
            "same batch has its id)"
        )
    if phase == "accounts":
        levels = len(_levels(phases.parents))
        text += (
            f"; expected at most {minimum} + {levels - 1} (batches follow the depth order, so each of the "
            f"{levels - 1} boundaries between hierarchy levels splits at most one batch)"
        )
    small = sum(1 for n, _ in upserts.calls if n < PER_UPSERT)
    text += (
        f"; {small} upserts of fewer than {PER_UPSERT} records; credits {phases.credits[phase]:,} against "
        f"ceil({written} / {RECORDS_PER_CREDIT}) = {credits_minimum:,} "
        f"({phases.credits[phase] / credits_minimum:.2f}x); {seconds:.1f} s in upserts "
        f"({seconds / max(1, len(upserts.calls)) * 1000:.0f} ms each, {LATENCY * 1000:.0f} ms of it latency)"
    )
    return text


def _print_time(seconds: float, phases: Phases, intacct: int, concurrency: int, dynamodb: float) -> None:
    """Wall time against the floor: upserts spread over the edition's calls at once, every other call one after
    the other; then where the time went (Intacct requests, upserts and DynamoDB calls on the main thread)."""
    zoho = Counter[str]()
    for phase in phases.phases:
        zoho.update(phases.calls[phase]["zoho"])
    upserts = zoho[UPSERT]
    heavy = sum(1 for phase in phases.upserts.values() for n, _ in phase.calls if n > HEAVY_RECORDS)
    sequential = intacct + sum(zoho.values()) - upserts
    floor = upserts * LATENCY / concurrency + sequential * LATENCY
    heavy_floor = max(heavy / HEAVY_AT_ONCE, upserts / concurrency) * LATENCY + sequential * LATENCY
    one_at_a_time = (upserts + sequential) * LATENCY
    print(
        f"    wall time {seconds:.1f} s; floor {floor:.1f} s ({seconds / floor:.2f}x): {upserts} upserts x "
        f"{LATENCY * 1000:.0f} ms / {concurrency} calls at once + {sequential} sequential calls ({intacct} Intacct, "
        f"{sequential - intacct} Zoho) x {LATENCY * 1000:.0f} ms; with the heavy sub-limit ({heavy} upserts of more "
        f"than {HEAVY_RECORDS} records, at most {HEAVY_AT_ONCE} at once) {heavy_floor:.1f} s; every call one after "
        f"the other {one_at_a_time:.1f} s"
    )
    rest = seconds - phases.intacct_seconds - phases.upsert_seconds - dynamodb
    print(
        f"    time: {phases.upsert_seconds:.1f} s in Zoho upserts (at most {phases.most_in_flight} in flight at once), "
        f"{phases.intacct_seconds:.1f} s in Intacct requests, {dynamodb:.1f} s in DynamoDB calls on the main thread, "
        f"{rest:.1f} s else (preflight, hierarchy order, mapping, hashing)"
    )


if __name__ == "__main__":
    main()
