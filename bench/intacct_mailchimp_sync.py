"""Intacct → Mailchimp: 10,000 customers and vendors, 15,000 contacts, 20,000 bills, 10,000 payments, 50 ms a call.

The Intacct seed (sandbox/intacct/seed.py, volumes set by this bench) holds 5,000 vendors with 1-3 contacts each
(10,126 CONTACT records) and 5,000 customers (each with its display contact): 10,000 customers and vendors and
15,126 contacts, of which 9,853 vendor contacts and 4,856 customers have an email (14,487 distinct emails, the
audience members); 4,873 vendors have an email (an e-commerce customer needs one). 19,375 bills, 49% of them paid,
plus the seed's 625 payment-scenario bills: 20,000 bills and 9,949 payments. The bench prints the counts it really
read and synced.

Three scenarios, each in its own process with its own sandbox, moto/dynalite and tables (a first sync needs an
empty Mailchimp and empty state), so each prints its own peak RSS:

- default: the Mailchimp secret without an "orders" object (batch_operations 60): first sync, then a rerun
  with no change (targets: at most 2 Intacct calls per object, no Mailchimp write);
- batch: batch_operations 1, every e-commerce write in /batches jobs: first sync;
- direct: batch_operations 10^9, every e-commerce write a direct call: first sync.

Per run: Intacct calls per object; Mailchimp calls per stream by the simulator's call names (its /_sandbox/calls
counters, read when each stream starts and ends) against the minimum for the write path the stream took (members:
ceil(n / 500) batch subscribes; direct: one call per e-commerce record written; batch: a submit, one status poll
and the archive per job of up to 500 operations; payments: none, as every order of a first sync was just written
with its bill's current status); wall time against the floor: direct e-commerce calls x 50 ms / 10 connections +
every other call x 50 ms (they are sequential) + each batch job's queue time, and where the time went; DynamoDB
calls; one example error of each stream with failures.

To see streams and objects, the run is watched from inside this process: the engine's StreamRun (a subclass marks
each stream's start and close), IntacctClient._execute (requests, rows and seconds per object) and the flow's
Operations.run (each write page: its path, size and seconds) are wrapped while the run goes on.

Mailchimp's batch queue is modelled by the simulator's "clock" progress: a job's status moves to finished
QUEUE_SECONDS after its submit, whatever its size (real Mailchimp: UNVERIFIED, and varies with its load); the
simulator runs the job's operations when the poll that finds it started arrives, which adds its own processing
time. The client first polls 1 s after the submit, then 2, 4, 8 s later, so 1 s is the fastest turnaround it can
see. The summary compares both paths' measured cost per page and says which wins at what page size.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
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
from mlconnector.engine.report import RunReport
from mlconnector.flows.fields import field
from mlconnector.flows.intacct_mailchimp.config import OrdersConfig
from mlconnector.flows.intacct_mailchimp.operations import Operations
from mlconnector.service import sync
from mlconnector.state.tables import TableNames, create_local_tables
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.mailchimp.batches import Operation, OperationOutcome

VENDORS, CUSTOMERS, BILLS, PAID_SHARE = 5_000, 5_000, 19_375, 0.49
"""Intacct seed volumes; BILLS plus the seed's 625 payment-scenario bills make 20,000."""
LATENCY = 0.050
CONNECTIONS = 10
MEMBERS_PER_CALL = 500
OPERATIONS_PER_JOB = 500
JOB_CALLS = 3
"""The fewest calls a batch job can cost: the submit, one status poll that finds it finished, the archive."""
QUEUE_SECONDS = 1.0
"""The simulator's batch queue: four stage moves of QUEUE_SECONDS / 4 each (pending ... finished)."""
POLLS = (1, 3, 7, 15)
"""When the client polls a job, in seconds after its submit (batches.PollPolicy: 1 s, doubling)."""
INTACCT_PAGE = 2000
SCENARIOS: dict[str, int | None] = {"default": None, "batch": 1, "direct": 1_000_000_000}
"""orders.batch_operations of each scenario (None: the flow's default)."""
CALLS_TARGET = 1.05
RERUN_INTACCT_TARGET = 2
RSS_TARGET_MB = 200
PREFIX = "ml-connector/bench"
FLOW = "intacct-mailchimp"
CONCURRENT = ("customers.", "products.", "variants.", "orders.", "lines.", "member_tags.")
"""Mailchimp calls the flow makes 10 at a time (direct e-commerce writes, member tags); the others are sequential."""
READS = (".get", ".list", ".list_all")
NOT_WRITES = frozenset({"batches.archive", "oauth.metadata"})
EMAIL_FIELDS = {"CONTACT": "EMAIL1", "CUSTOMER": "DISPLAYCONTACT.EMAIL1", "VENDOR": "DISPLAYCONTACT.EMAIL1"}
SOURCES = (("customers", "CUSTOMER"), ("vendors", "VENDOR"), ("members", "CONTACT"), ("orders", "APBILL"))


# --------------------------------------------------------------------------- what one run costs, phase by phase


class Phases:
    """The API calls of one run per phase: preflight, each stream (from the start of its StreamRun to its close),
    finish. Mailchimp and Intacct calls as the simulators counted them; Intacct requests per object and rows, and
    each e-commerce write page (path, operations, seconds), as the connector made them."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self._urls = {name: urls[name] for name in ("intacct", "mailchimp")}
        self._lock = threading.Lock()
        self.current = "preflight"
        self.order = ["preflight"]
        self.calls: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        self.intacct: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        """phase -> object -> {"requests", "rows", "with email"}."""
        self.pages: dict[str, list[tuple[str, int, float]]] = defaultdict(list)
        """phase -> (path, operations, seconds) per Operations.run."""
        self.intacct_seconds = 0.0
        self._last = self._snapshot()

    def _snapshot(self) -> dict[str, Counter[str]]:
        return {
            name: Counter(requests.get(f"{url}/_sandbox/calls", timeout=10).json()["by_name"])
            for name, url in self._urls.items()
        }

    def switch(self, phase: str) -> None:
        now = self._snapshot()
        for system, counts in now.items():
            self.calls[self.current][system].update(counts - self._last[system])
        self._last = now
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
                if name in EMAIL_FIELDS:
                    counts["with email"] += sum(1 for row in rows if field(row, EMAIL_FIELDS[name]))

    def write_page(self, path: str, operations: int, seconds: float) -> None:
        with self._lock:
            self.pages[self.current].append((path, operations, seconds))

    @contextmanager
    def tracking(self) -> Iterator[Phases]:
        """Counts while a run goes on: the engine's StreamRun marks the streams; Intacct requests and write pages
        are counted around the client's and the flow's own methods."""
        phases = self

        class Tracked(StreamRun):
            def __post_init__(self) -> None:
                phases.switch(self.stream.name)
                super().__post_init__()

            def close(self) -> None:
                super().close()
                phases.switch("finish")

        execute = IntacctClient._execute
        run = Operations.run

        def counted(client: IntacctClient, functions: list[Any], **kwargs: Any) -> list[Any]:
            started = time.perf_counter()
            results = execute(client, functions, **kwargs)
            phases.intacct_request(functions, results, time.perf_counter() - started)
            return results

        def timed(operations: Operations, batch: Sequence[Operation]) -> dict[str, OperationOutcome]:
            started = time.perf_counter()
            try:
                return run(operations, batch)
            finally:
                if batch:
                    path = "batch" if len(batch) >= operations.threshold else "direct"
                    phases.write_page(path, len(batch), time.perf_counter() - started)

        try:
            with patched(
                ((runner, "StreamRun", Tracked), (IntacctClient, "_execute", counted), (Operations, "run", timed))
            ):
                yield self
        finally:
            self.switch("end")


# --------------------------------------------------------------------------- one scenario, in its own process


def run_scenario(name: str, result_file: Path) -> None:
    logger.setLevel("ERROR")
    threshold = SCENARIOS[name]
    chosen = f"{OrdersConfig().batch_operations} (the flow's default)" if threshold is None else str(threshold)
    print(f"\n== scenario {name}: orders.batch_operations {chosen} ==", flush=True)
    results: dict[str, Any] = {}
    sandbox_process = SandboxProcess(
        size=VENDORS, latency=LATENCY, customers=CUSTOMERS, bills=BILLS, paid_share=PAID_SHARE
    )
    with sandbox_process as sandbox, LocalAws():
        mailchimp = sandbox.urls["mailchimp"]
        stage = {"batch_progress": "clock", "batch_stage_seconds": QUEUE_SECONDS / 4}
        requests.patch(f"{mailchimp}/_sandbox/config", json=stage, timeout=10).raise_for_status()
        settings = Settings(
            TableNames("bench-state", "bench-links", "bench-audit"), PREFIX, 1, "us-east-1", ("127.0.0.1",)
        )
        create_local_tables(settings.tables, region="us-east-1")
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        for system, credentials in sandbox.credentials.items():
            secret = dict(credentials)
            if system == "mailchimp" and threshold is not None:
                secret["orders"] = {"batch_operations": threshold}
            secrets.create_secret(Name=secret_name(PREFIX, "default", system), SecretString=json.dumps(secret))
        dynamodb = DynamoDBCalls()
        labels = ("first sync", "no-change rerun") if name == "default" else ("first sync",)
        for label in labels:
            for url in sandbox.urls.values():
                requests.post(f"{url}/_sandbox/calls/reset", timeout=10).raise_for_status()
            dynamodb.reset()
            phases = Phases(sandbox.urls)
            connection = Connection.open("default", settings)
            started = time.perf_counter()
            with dynamodb.counting(), phases.tracking():
                report = sync(FLOW, connection)
            seconds = time.perf_counter() - started
            results[label] = _print_run(label, report, seconds, phases, rerun=label != "first sync")
            _print_time(seconds, phases, dynamodb.seconds["main thread"])
            print_failures(report, connection, FLOW)
            for line in dynamodb.summary(sum(report.counts.values())):
                print(f"    {line}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "ok" if peak < RSS_TARGET_MB else "MISSED"
    print(f"  peak RSS of the connector's process: {peak:.0f} MB (target under {RSS_TARGET_MB} MB: {verdict})")
    results["peak_rss_mb"] = peak
    result_file.write_text(json.dumps(results))


def _print_run(label: str, report: RunReport, seconds: float, phases: Phases, *, rerun: bool) -> dict[str, Any]:
    print(f"  {label}: {report.status.value} in {seconds:.1f} s{f' ({report.error})' if report.error else ''}")
    for name, stream in report.streams.items():
        print(f"    {name}: {dict(sorted(stream.counts.items()))}")
    if not rerun:
        _print_sources(phases)
    intacct_total = _print_intacct(phases, rerun=rerun)
    summary = _print_mailchimp(report, phases, rerun=rerun)
    sequential = intacct_total + summary["sequential"]
    floor = summary["concurrent"] * LATENCY / CONNECTIONS + sequential * LATENCY + summary["jobs"] * QUEUE_SECONDS
    print(
        f"    wall time {seconds:.1f} s; floor {floor:.1f} s ({seconds / floor:.2f}x): {summary['concurrent']} "
        f"direct Mailchimp calls x {LATENCY * 1000:.0f} ms / {CONNECTIONS} connections + {sequential} sequential "
        f"calls ({intacct_total} Intacct, {summary['sequential']} Mailchimp) x {LATENCY * 1000:.0f} ms + "
        f"{summary['jobs']} batch jobs x {QUEUE_SECONDS:.0f} s queue"
    )
    return {"seconds": seconds, "floor": floor, **summary}


def _print_time(seconds: float, phases: Phases, dynamodb: float) -> None:
    """Where the wall time went: Intacct requests, e-commerce write pages and DynamoDB calls all wait on the main
    thread, one after the other."""
    pages = [page for stream in phases.pages.values() for page in stream]
    direct = sum(s for path, _, s in pages if path == "direct")
    jobs = sum(s for path, _, s in pages if path == "batch")
    rest = seconds - phases.intacct_seconds - direct - jobs - dynamodb
    print(
        f"    time: {phases.intacct_seconds:.1f} s in Intacct requests, {direct:.1f} s in direct e-commerce pages, "
        f"{jobs:.1f} s in batch jobs, {dynamodb:.1f} s in DynamoDB calls on the main thread, {rest:.1f} s else "
        "(batch subscribes, preflight, mapping, hashing)"
    )


def _print_sources(phases: Phases) -> None:
    seen = {obj: phases.intacct[stream][obj] for stream, obj in SOURCES}
    payments = phases.intacct["payments"]["APPYMT"]["rows"]
    print(
        f"    read from Intacct: {seen['CUSTOMER']['rows']:,} customers ({seen['CUSTOMER']['with email']:,} with an "
        f"email), {seen['VENDOR']['rows']:,} vendors ({seen['VENDOR']['with email']:,} with an email), "
        f"{seen['CONTACT']['rows']:,} vendor contacts ({seen['CONTACT']['with email']:,} with an email), "
        f"{seen['APBILL']['rows']:,} bills, {payments:,} payments"
    )


def _print_intacct(phases: Phases, *, rerun: bool) -> int:
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
    worst = 0
    for obj, counts in sorted(per_object.items()):
        worst = max(worst, counts["requests"])
        minimum = max(1, math.ceil(counts["rows"] / INTACCT_PAGE))
        print(
            f"      {obj}: {counts['requests']} for {counts['rows']:,} rows (one per {INTACCT_PAGE} rows: {minimum}) "
            f"[{', '.join(streams[obj])}]"
        )
    if rerun:
        verdict = "ok" if worst <= RERUN_INTACCT_TARGET else "MISSED"
        print(f"      most calls for one object: {worst} (target at most {RERUN_INTACCT_TARGET}: {verdict})")
    return total


def _minimum(stream: str, report: RunReport, pages: Sequence[tuple[str, int, float]]) -> tuple[int, str]:
    counts = report.stream(stream).counts
    written = counts["created"] + counts["updated"]
    if stream == "members":
        return math.ceil(written / MEMBERS_PER_CALL), f"ceil({written} members / {MEMBERS_PER_CALL})"
    if stream == "payments":
        return 0, "none: every order was written with its bill's current status"
    direct = min(written, sum(n for path, n, _ in pages if path == "direct"))
    jobs = math.ceil((written - direct) / OPERATIONS_PER_JOB)
    why = f"{direct} direct + {jobs} jobs x {JOB_CALLS} for {written} records written"
    if stream == "orders" and written:  # a first sync is a backfill: the store's is_syncing goes on before it
        return direct + JOB_CALLS * jobs + 1, why + " + 1 stores.patch (is_syncing on)"
    return direct + JOB_CALLS * jobs, why


def _print_mailchimp(report: RunReport, phases: Phases, *, rerun: bool) -> dict[str, Any]:
    print("    Mailchimp calls per stream (simulator's names) against the minimum for the path taken:")
    totals: Counter[str] = Counter()
    per_stream: dict[str, dict[str, Any]] = {}
    jobs = 0
    for phase in phases.phases:
        calls = phases.calls[phase]["mailchimp"]
        totals.update(calls)
        pages = phases.pages.get(phase, [])
        jobs += calls["batches.create"]
        made = sum(calls.values())
        line = f"      {phase}: {made} {dict(sorted(calls.items()))}"
        if phase in report.streams:
            direct = [(n, s) for path, n, s in pages if path == "direct"]
            batch = [(n, s) for path, n, s in pages if path == "batch"]
            minimum, why = (0, "nothing changed") if rerun else _minimum(phase, report, pages)
            if minimum:
                verdict = "ok" if made <= CALLS_TARGET * minimum else "MISSED"
                line += f"; minimum {minimum} ({why}): {made / minimum:.2f}x, {verdict}"
            else:
                line += f"; minimum 0 ({why}): {made} too many, {'ok' if made == 0 else 'MISSED'}"
            if pages:
                line += (
                    f"; pages: {len(direct)} direct ({sum(n for n, _ in direct)} ops, "
                    f"{sum(s for _, s in direct):.1f} s), {len(batch)} batch jobs ({sum(n for n, _ in batch)} ops, "
                    f"{sum(s for _, s in batch):.1f} s)"
                )
            per_stream[phase] = {"calls": made, "minimum": minimum, "direct": direct, "batch": batch}
        print(line)
    writes = {name: n for name, n in totals.items() if not name.endswith(READS) and name not in NOT_WRITES}
    if rerun:
        verdict = "ok" if not writes else "MISSED"
        print(f"      Mailchimp writes: {sum(writes.values())} {writes} (target 0: {verdict})")
    concurrent = sum(n for name, n in totals.items() if name.startswith(CONCURRENT))
    return {
        "mailchimp": sum(totals.values()),
        "concurrent": concurrent,
        "sequential": sum(totals.values()) - concurrent,
        "jobs": jobs,
        "streams": per_stream,
    }


# --------------------------------------------------------------------------- all scenarios, and the write path


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.intacct_mailchimp_sync", description=__doc__)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), help="run one scenario (in this process)")
    parser.add_argument("--result", type=Path, help="where the scenario writes its figures (JSON)")
    args = parser.parse_args()
    if args.scenario:
        run_scenario(args.scenario, args.result or Path(tempfile.mkstemp(suffix=".json")[1]))
        return
    print(
        f"Intacct -> Mailchimp sync: {VENDORS:,} vendors, {CUSTOMERS:,} customers, {BILLS:,} + scenario bills, "
        f"{PAID_SHARE:.0%} paid; {LATENCY * 1000:.0f} ms per call, {CONNECTIONS} Mailchimp connections, batch queue "
        f"{QUEUE_SECONDS:.0f} s"
    )
    figures: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in SCENARIOS:
            result = Path(folder) / f"{name}.json"
            command = [
                sys.executable,
                "-m",
                "bench.intacct_mailchimp_sync",
                "--scenario",
                name,
                "--result",
                str(result),
            ]
            if subprocess.run(command, check=False).returncode:
                sys.exit(f"scenario {name} failed")
            figures[name] = json.loads(result.read_text())
    _print_write_paths(figures)


def _print_write_paths(figures: Mapping[str, Mapping[str, Any]]) -> None:
    print("\n== write path: first sync by scenario ==")
    for name, threshold in SCENARIOS.items():
        first = figures[name]["first sync"]
        chosen = f"{OrdersConfig().batch_operations} (default)" if threshold is None else str(threshold)
        print(
            f"  {name} (batch_operations {chosen}): {first['seconds']:.1f} s (floor {first['floor']:.1f} s), "
            f"{first['mailchimp']} Mailchimp calls ({first['jobs']} batch jobs)"
        )
    half = OPERATIONS_PER_JOB // 2
    print(
        f"  a page of {half}-{OPERATIONS_PER_JOB} operations as direct calls (direct scenario) or as one batch job "
        f"(batch scenario; {JOB_CALLS} calls whatever its size):"
    )
    for stream in ("customers", "vendors", "orders"):
        direct = _full_pages(figures["direct"], stream, "direct")
        jobs = _full_pages(figures["batch"], stream, "batch")
        if not direct or not jobs:
            continue
        per_op = sum(s for _, s in direct) / sum(n for n, _ in direct)
        per_job = sum(s for _, s in jobs) / len(jobs)
        overhead = max(0.0, per_job - QUEUE_SECONDS)
        slower = ", ".join(f"{(t + overhead) / per_op:.0f}" for t in POLLS)
        print(
            f"    {stream}: direct {per_op * 1000:.2f} ms per operation ({per_op * OPERATIONS_PER_JOB:.2f} s per "
            f"{OPERATIONS_PER_JOB}), a job {per_job:.2f} s: direct calls win below {per_job / per_op:.0f} operations "
            f"per page, the job above; had the job been seen finished {', '.join(map(str, POLLS))} s after its "
            f"submit: {slower}"
        )
    print(
        f"  (the client polls a job {', '.join(map(str, POLLS))} s after its submit, so a queue of up to 1 s is "
        f"the fastest it can see; the simulator's queue is {QUEUE_SECONDS:.0f} s; direct calls win every page of "
        f"at most {OPERATIONS_PER_JOB} operations once the break-even exceeds {OPERATIONS_PER_JOB})"
    )


def _full_pages(figures: Mapping[str, Any], stream: str, path: str) -> list[tuple[int, float]]:
    pages = figures["first sync"]["streams"].get(stream, {}).get(path, [])
    return [(int(n), float(s)) for n, s in pages if n >= OPERATIONS_PER_JOB // 2]


if __name__ == "__main__":
    main()
