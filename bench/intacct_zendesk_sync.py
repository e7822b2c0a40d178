"""Intacct <-> Zendesk: 10,000 vendors with their contacts (seed 1: 20,076) to organizations and end-users, then
50,000 tickets back into Intacct, 50 ms per call on both simulators.

Three syncs on one connection: the first (organizations and users; the tickets stream finds no ticket), then, after
50,000 tickets are added to the vendors' organizations in Zendesk (5 per organization, each requested by one of the
organization's users where it has one) and the Zendesk clock is moved past the export's exclusion window, a second
sync that exports and stores them (the organizations and users streams find nothing changed), then, a minute
later on the Zendesk clock (RUN_GAP_S), a no-change rerun. The Zendesk simulator seeds no background tickets here
(ZendeskSimConfig.background_tickets_per_size 0), so the export holds exactly the 50,000 tickets; the default
organization fields (flows/intacct_zendesk/config.py DEFAULT_FIELDS) are added to Zendesk before the first sync.
The Intacct seed repeats vendor names (seed 1, 10,000
vendors: 5,181 distinct names, 4,819 vendors sharing one with an earlier vendor) and Zendesk keeps organization
names unique, so the flow creates the later ones as `<name> (<VENDORID>)`; the bench counts apart the create_many
jobs that re-create organizations under such names (ZendeskClient.create_organizations is wrapped too).

Per sync and per stream: the Zendesk calls by the simulator's call names (its /_sandbox/calls counters, read when
each stream starts and ends), split into jobs submitted (create_many, update_many, create_or_update_many), job
polls (job_statuses), id look-ups (show_many) and export pages; jobs against the minimum that 100 records per job
allows, ceil(records written / 100) (target: at most 1.05 x; polls are reported, not held to it); export pages
against ceil(tickets / 1,000) and the export's simulated wall time against the floor that 10 requests a minute
allows; the Intacct requests of the tickets stream (reads and writes as the connector sent them, functions as
the simulator counted them) against ceil(tickets / 100) (a first store creates 100 records per request); on the
rerun the Zendesk and Intacct writes (target 0 each); DynamoDB calls; and the peak RSS of the connector's process
(target under 200 MB; the simulators, moto and dynalite run in their own processes).

Time. The Zendesk simulator's rate limits (the account's, and the export's 10 a minute) and its job progress run on
its own clock (real time plus advances). The connector's waits do not sleep here: the bench hands the connection a
virtual clock (Connection's `sleep` and `monotonic`) whose sleep adds the seconds to that clock and moves the Zendesk
simulator's clock by as much (POST /_sandbox/clock/advance). So the export's window is kept by the connector's own
budget exactly as it would be, and the simulator still refuses (429) anything faster, but the bench does not wait
out its minutes. Times are printed as "simulated": real seconds plus the seconds slept on the virtual clock, i.e.
what the run would take for real. The Zendesk simulator's jobs move one step per poll, or per JOB_STEP_S on its clock
(queued -> working -> completed: done 2 s after the submit at the latest); the client polls at once after the
submit, then 2 s later (then 4, 8 ... s), so a job costs two polls here.

The run is watched from inside this process: the engine's StreamRun (a subclass marks each stream's start and
close), IntacctClient._execute (requests, reads or writes, and functions), and ZendeskClient._call and
wait_for_jobs (what each virtual sleep waited for, and when each export page was asked for and answered) are
wrapped while the run goes on.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

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
from mlconnector.engine.report import RunReport, RunStatus
from mlconnector.flows.intacct_zendesk.config import DEFAULT_FIELDS, LAST_PAYMENT, OPEN_BALANCE
from mlconnector.service import sync
from mlconnector.state.tables import TableNames, create_local_tables
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.zendesk import export
from mlconnector.systems.zendesk.client import ZendeskClient
from mlconnector.systems.zendesk.jobs import JobResult, JobStatus

VENDORS, TICKETS = 10_000, 50_000
LATENCY = 0.050
PER_JOB = 100
EXPORT_PAGE = 1_000
EXPORT_PER_MINUTE = 10
INTACCT_PER_REQUEST = 100
JOB_STEP_S = 1.0
RUN_GAP_S = 61.0
"""Simulated time between the tickets sync and the rerun: at least the export's one-minute window."""
CALLS_TARGET = 1.05
RSS_TARGET_MB = 200
PREFIX = "ml-connector/bench-zendesk"
FLOW = "intacct-zendesk"
SYSTEMS = ("intacct", "zendesk")
ZENDESK_STREAMS = ("organizations", "customer-organizations", "users")
"""The streams that write to Zendesk (the tickets stream writes to Intacct)."""
FIELD_TYPES = {"intacct_on_hold": "checkbox", OPEN_BALANCE: "decimal", LAST_PAYMENT: "date"}
"""Organization-field types by the field's key or by the computed value it shows; the others are text."""
JOBS = ("organizations.create_many", "organizations.update_many", "users.create_or_update_many")
POLLS = ("job_statuses.show_many", "job_statuses.show")
LOOKUPS = ("organizations.show_many", "users.show_many", "tickets.show_many")
EXPORT = "incremental.tickets"
ZENDESK_WRITES = frozenset(
    {
        *JOBS,
        "organizations.create",
        "organizations.create_or_update",
        "organizations.update",
        "organizations.delete",
        "organization_fields.create",
        "users.create_or_update",
    }
)
"""The simulator's call names that change Zendesk data (sandbox/zendesk/routes.py WRITES but the token grant)."""
INTACCT_WRITE_PREFIXES = ("create", "update", "delete", "install")
SUBJECTS = ("Invoice question", "Payment not received", "Update bank details", "Remittance advice missing")
STATUSES = ("new", "open", "open", "pending", "solved")
PRIORITIES = ("low", "normal", "normal", "high", "urgent")


# --------------------------------------------------------------------------- the simulators, in their own process


class ZendeskSandbox(SandboxProcess):
    """The Intacct and Zendesk simulators in a child process (this module with --sandbox), which also takes
    commands on its stdin: add tickets through the Zendesk simulator's own Python accessors."""

    def __enter__(self) -> Self:
        secrets = Path(self._dir.name) / "credentials.json"
        command = [sys.executable, "-m", "bench.intacct_zendesk_sync", "--sandbox", *self.args]
        command += ["--credentials-file", str(secrets)]
        self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.urls = json.loads(self._line())["urls"]
        self.credentials = json.loads(secrets.read_text())
        return self

    def ask(self, command: Mapping[str, Any]) -> dict[str, Any]:
        assert self._proc is not None
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(command) + "\n")
        self._proc.stdin.flush()
        reply: dict[str, Any] = json.loads(self._line())
        return reply

    def _line(self) -> str:
        assert self._proc is not None
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox process exited")
        return line

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc is not None and self._proc.stdin is not None:
            self._proc.stdin.close()  # the child's command loop ends and it stops its servers
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.terminate()
                self._proc.wait(timeout=30)
        self._dir.cleanup()


def serve_sandbox(argv: Sequence[str]) -> None:
    """The child: Intacct (seeded for --size vendors) and Zendesk on loopback; prints the URLs, then answers one
    JSON command a line until stdin closes."""
    from sandbox.core.server import LoopbackServer  # noqa: PLC0415 - the child alone imports the simulators
    from sandbox.intacct import IntacctSimulator  # noqa: PLC0415
    from sandbox.registry import RunningSandbox  # noqa: PLC0415
    from sandbox.zendesk import ZendeskSimConfig, ZendeskSimulator  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="python -m bench.intacct_zendesk_sync --sandbox")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--latency", type=float, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--credentials-file", required=True)
    args = parser.parse_args(argv)
    config = ZendeskSimConfig(background_tickets_per_size=0.0, job_step_s=JOB_STEP_S)
    zendesk = ZendeskSimulator(seed=args.seed, size=args.size, config=config)
    intacct = IntacctSimulator(seed=args.seed, size=args.size)
    sandbox = RunningSandbox()
    try:
        for name, simulator in (("intacct", intacct), ("zendesk", zendesk)):
            simulator.latency = args.latency
            sandbox.servers[name] = LoopbackServer(simulator).start()
        descriptor = os.open(args.credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump({name: creds.as_dict() for name, creds in sandbox.credentials.items()}, handle)
        print(json.dumps({"urls": sandbox.urls}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            if command.get("op") == "tickets":
                print(json.dumps(_add_tickets(zendesk, int(command["count"]), args.seed)), flush=True)
            else:
                print(json.dumps({"error": f"unknown command {command!r}"}), flush=True)
    finally:
        sandbox.stop()


def _add_tickets(zendesk: Any, count: int, seed: int) -> dict[str, Any]:
    """`count` tickets spread evenly over the organizations that have an external id (the vendors'), each requested
    by one of the organization's users (in turn) where it has one."""
    started = time.perf_counter()
    rng = random.Random(f"bench-tickets:{seed}")
    orgs = sorted((str(o["external_id"]), int(o["id"])) for o in zendesk.organizations().values() if o["external_id"])
    members: dict[int, list[str]] = defaultdict(list)
    for user in zendesk.users().values():
        if user.get("organization_id") is not None and user.get("email"):
            members[int(user["organization_id"])].append(str(user["email"]))
    for index in range(count):
        external_id, org_id = orgs[index % len(orgs)]
        emails = members.get(org_id)
        zendesk.add_ticket(
            organization_external_id=external_id,
            requester_email=emails[(index // len(orgs)) % len(emails)] if emails else None,
            subject=rng.choice(SUBJECTS),
            status=rng.choice(STATUSES),
            priority=rng.choice(PRIORITIES),
        )
    return {
        "added": count,
        "organizations": len(orgs),
        "with_requester": sum(1 for _, org_id in orgs if members.get(org_id)),
        "seconds": time.perf_counter() - started,
    }


# --------------------------------------------------------------------------- the virtual clock


class VirtualTime:
    """The connection's sleep and monotonic clock: a sleep adds to an offset instead of sleeping and moves the Zendesk
    simulator's clock as far; what it waited for is told by the activity the wrapped client methods set."""

    def __init__(self, zendesk_url: str) -> None:
        self._url = zendesk_url
        self._lock = threading.Lock()
        self.offset = 0.0
        self.activity = "other waits (retries)"
        self.slept: dict[str, float] = defaultdict(float)

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with self._lock:
            self.offset += seconds
            self.slept[self.activity] += seconds
        reply = requests.post(f"{self._url}/_sandbox/clock/advance", json={"seconds": seconds}, timeout=10)
        reply.raise_for_status()

    @contextmanager
    def doing(self, activity: str) -> Iterator[None]:
        before, self.activity = self.activity, activity
        try:
            yield
        finally:
            self.activity = before


# --------------------------------------------------------------------------- what one run costs, phase by phase


class Phases:
    """The API calls of one run per phase: preflight, each stream (from the start of its StreamRun to its close),
    finish. Zendesk and Intacct calls as the simulators counted them; Intacct requests (reads, writes) and functions
    as the connector sent them; each phase's simulated time; each export page's simulated start and end."""

    def __init__(self, urls: Mapping[str, str], clock: VirtualTime) -> None:
        self._urls = {name: urls[name] for name in SYSTEMS}
        self._clock = clock
        self._lock = threading.Lock()
        self.current = "preflight"
        self.order = ["preflight"]
        self.calls: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        self.requests: dict[str, Counter[str]] = defaultdict(Counter)
        """phase -> {"intacct"/"zendesk": HTTP requests as the simulator counted them}."""
        self.intacct: dict[str, Counter[str]] = defaultdict(Counter)
        """phase -> {"reads", "writes", "functions read", "functions written", "rows"}."""
        self.seconds: dict[str, float] = defaultdict(float)
        self.export_pages: list[tuple[float, float]] = []
        self.vendor_names: Counter[str] = Counter()
        """VENDOR rows read, by name (casefolded): Intacct lets vendors share a name, Zendesk organizations not."""
        self.renaming_jobs: Counter[str] = Counter()
        """phase -> create_many jobs all of whose organizations are named `<name> (<external id>)`: the second
        try of vendors whose name another organization already held."""
        self._last = self._snapshot()
        self._since = clock.monotonic()

    def _snapshot(self) -> dict[str, dict[str, Any]]:
        return {name: requests.get(f"{url}/_sandbox/calls", timeout=10).json() for name, url in self._urls.items()}

    def switch(self, phase: str) -> None:
        now = self._snapshot()
        for system, snapshot in now.items():
            self.calls[self.current][system].update(
                Counter(snapshot["by_name"]) - Counter(self._last[system]["by_name"])
            )
            self.requests[self.current][system] += snapshot["requests"] - self._last[system]["requests"]
        moment = self._clock.monotonic()
        self.seconds[self.current] += moment - self._since
        self._last, self._since = now, moment
        self.current = phase
        if phase not in (*self.order, "finish", "end"):
            self.order.append(phase)

    @property
    def phases(self) -> list[str]:
        return [*self.order, "finish"]

    def intacct_request(self, functions: Sequence[Any], results: Sequence[Any], *, write: bool) -> None:
        with self._lock:
            counts = self.intacct[self.current]
            counts["writes" if write else "reads"] += 1
            counts["functions written" if write else "functions read"] += len(functions)
            counts["rows"] += sum(len(list(getattr(result, "records", ()))) for result in results)
            for function, result in zip(functions, results, strict=False):
                if getattr(function, "object", None) == "VENDOR":
                    rows = getattr(result, "records", ())
                    self.vendor_names.update(str(row.get("NAME") or "").strip().casefold() for row in rows)

    @contextmanager
    def tracking(self) -> Iterator[Phases]:
        """Counts while a run goes on: the engine's StreamRun marks the streams; Intacct requests, the Zendesk
        export's pages and what each virtual sleep waited for are seen around the clients' own methods."""
        phases, clock = self, self._clock

        class Tracked(StreamRun):
            def __post_init__(self) -> None:
                phases.switch(self.stream.name)
                super().__post_init__()

            def close(self) -> None:
                super().close()
                phases.switch("finish")

        execute, call, wait = IntacctClient._execute, ZendeskClient._call, ZendeskClient.wait_for_jobs
        create = ZendeskClient.create_organizations

        def counted(client: IntacctClient, functions: list[Any], **kwargs: Any) -> list[Any]:
            results = execute(client, functions, **kwargs)
            phases.intacct_request(functions, results, write=bool(kwargs.get("write")))
            return results

        def tagged(client: ZendeskClient, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
            if path != export.PATH:
                return call(client, method, path, *args, **kwargs)
            started = clock.monotonic()
            with clock.doing("the export's 10-a-minute window"):
                data = call(client, method, path, *args, **kwargs)
            phases.export_pages.append((started, clock.monotonic()))
            return data

        def polled(client: ZendeskClient, job_ids: Sequence[str]) -> dict[str, JobResult]:
            with clock.doing("job polls"):
                return wait(client, job_ids)

        def creating(client: ZendeskClient, orgs: Sequence[Mapping[str, Any]]) -> JobStatus:
            if orgs and all(str(o.get("name", "")).endswith(f" ({o.get('external_id')})") for o in orgs):
                phases.renaming_jobs[phases.current] += 1
            return create(client, orgs)

        replacements = (
            (runner, "StreamRun", Tracked),
            (IntacctClient, "_execute", counted),
            (ZendeskClient, "_call", tagged),
            (ZendeskClient, "wait_for_jobs", polled),
            (ZendeskClient, "create_organizations", creating),
        )
        try:
            with patched(replacements):
                yield self
        finally:
            self.switch("end")


# --------------------------------------------------------------------------- the bench


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.intacct_zendesk_sync", description=__doc__)
    parser.add_argument("--sandbox", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--vendors", type=int, default=VENDORS)
    parser.add_argument("--tickets", type=int, default=TICKETS)
    args, rest = parser.parse_known_args()
    if args.sandbox:
        serve_sandbox(rest)
        return
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    sys.exit(0 if run(args.vendors, args.tickets) else 1)


def run(vendors: int, tickets: int) -> bool:
    """The bench; False when a target was missed."""
    logger.setLevel("ERROR")
    print(
        f"Intacct <-> Zendesk sync: {vendors:,} vendors (1-3 contacts each) to organizations and end-users, "
        f"{tickets:,} tickets back to Intacct; {LATENCY * 1000:.0f} ms per call"
    )
    missed: list[str] = []
    with ZendeskSandbox(size=vendors, latency=LATENCY) as sandbox, LocalAws():
        zendesk = sandbox.urls["zendesk"]
        config = requests.get(f"{zendesk}/_sandbox/config", timeout=10).json()
        print(
            f"  Zendesk simulator: {config['rate_limit_per_minute']} requests a minute, export "
            f"{config['incremental_per_minute']} a minute and {config['export_page_size']:,} tickets a page, "
            f"exclusion {config['export_exclusion_s']:.0f} s, jobs of at most {config['max_bulk']} records done "
            f"{2 * config['job_step_s']:.0f} s after the submit (on its clock), at most {config['job_limit']} running"
        )
        print(
            "  time: the connector's sleeps advance a virtual clock and the Zendesk simulator's clock (its limits and "
            "jobs run on it) instead of sleeping; 'simulated' = real seconds + seconds slept on the virtual clock"
        )
        for key, source in DEFAULT_FIELDS.items():
            kind = FIELD_TYPES.get(key) or FIELD_TYPES.get(source, "text")
            body = {"key": key, "type": kind, "title": key}
            requests.post(f"{zendesk}/_sandbox/organization_fields", json=body, timeout=10).raise_for_status()
        settings = Settings(TableNames("bz-state", "bz-links", "bz-audit"), PREFIX, 1, "us-east-1", ("127.0.0.1",))
        create_local_tables(settings.tables, region="us-east-1")
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        for system, credentials in sandbox.credentials.items():
            name = secret_name(PREFIX, "default", system)
            secrets.create_secret(Name=name, SecretString=json.dumps(credentials))
        clock = VirtualTime(zendesk)
        dynamodb = DynamoDBCalls()
        for label in ("first sync", "tickets sync", "no-change rerun"):
            if label == "tickets sync":
                added = sandbox.ask({"op": "tickets", "count": tickets})
                print(
                    f"\n  added {added['added']:,} tickets over {added['organizations']:,} organizations "
                    f"({added['with_requester']:,} of them with end-users to request them) in "
                    f"{added['seconds']:.1f} s; Zendesk clock moved {config['export_exclusion_s'] + 1:.0f} s on "
                    "(past the export's exclusion window)"
                )
                clock.sleep(config["export_exclusion_s"] + 1)
                clock.slept.clear()
            if label == "no-change rerun":
                print(
                    f"\n  Zendesk clock moved {RUN_GAP_S:.0f} s on: scheduled runs are minutes apart (back to back, "
                    "the rerun's first export call meets the tickets sync's last export minute: Zendesk's 429, which "
                    "the client honours with its Retry-After)"
                )
                clock.sleep(RUN_GAP_S)
            missed += _sync(label, sandbox, settings, clock, dynamodb, tickets=tickets)
        counts = requests.get(f"{zendesk}/_sandbox/counts", timeout=10).json()
        print(f"\n  Zendesk now holds {', '.join(f'{n:,} {what}' for what, n in counts.items())}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = peak < RSS_TARGET_MB
    print(f"  peak RSS of the connector's process: {peak:.0f} MB (target under {RSS_TARGET_MB} MB: {_verdict(ok)})")
    if not ok:
        missed.append("peak RSS")
    print(f"  targets missed: {', '.join(missed)}" if missed else "  every target met")
    return not missed


def _sync(
    label: str,
    sandbox: ZendeskSandbox,
    settings: Settings,
    clock: VirtualTime,
    dynamodb: DynamoDBCalls,
    *,
    tickets: int,
) -> list[str]:
    """One sync, printed; returns the targets it missed."""
    for url in sandbox.urls.values():
        requests.post(f"{url}/_sandbox/calls/reset", timeout=10).raise_for_status()
    dynamodb.reset()
    clock.slept.clear()
    phases = Phases(sandbox.urls, clock)
    connection = Connection.open("default", settings, sleep=clock.sleep, monotonic=clock.monotonic)
    started, slept = time.perf_counter(), clock.offset
    with dynamodb.counting(), phases.tracking():
        report = sync(FLOW, connection)
    real = time.perf_counter() - started
    virtual = clock.offset - slept
    missed: list[str] = []
    waits = ", ".join(f"{s:.0f} s {what}" for what, s in clock.slept.items() if s) or "none"
    print(
        f"\n  {label}: {report.status.value} in {real + virtual:.1f} s simulated ({real:.1f} s real + "
        f"{virtual:.1f} s slept on the virtual clock: {waits}){f' ({report.error})' if report.error else ''}"
    )
    if report.status is not RunStatus.COMPLETED:
        missed.append(f"{label} did not complete")
    for name, stream in report.streams.items():
        notes = f"; notes: {' '.join(stream.notes)}" if stream.notes else ""
        print(f"    {name}: {dict(sorted((k, v) for k, v in stream.counts.items() if v))}{notes}")
    rerun = label == "no-change rerun"
    missed += _print_zendesk(label, report, phases, rerun=rerun)
    if label == "tickets sync":
        missed += _print_export(phases, report)
    missed += _print_intacct(label, report, phases, rerun=rerun, tickets=tickets)
    print_failures(report, connection, FLOW)
    for line in dynamodb.summary(sum(report.counts.values())):
        print(f"    {line}")
    return missed


def _print_zendesk(label: str, report: RunReport, phases: Phases, *, rerun: bool) -> list[str]:
    """Zendesk calls per phase: jobs (against ceil(records written / 100)), polls, id look-ups, export, other."""
    missed: list[str] = []
    print("    Zendesk calls per phase: jobs submitted, job polls, id look-ups (show_many), export pages, other")
    totals: Counter[str] = Counter()
    for phase in phases.phases:
        calls = phases.calls[phase]["zendesk"]
        totals.update(calls)
        jobs, polls = sum(calls[n] for n in JOBS), sum(calls[n] for n in POLLS)
        lookups, pages = sum(calls[n] for n in LOOKUPS), calls[EXPORT]
        other = {n: c for n, c in sorted(calls.items()) if n not in (*JOBS, *POLLS, *LOOKUPS, EXPORT)}
        line = (
            f"      {phase} ({phases.seconds[phase]:.1f} s simulated): {sum(calls.values())} calls: {jobs} jobs "
            f"{_named(calls, JOBS)}, {polls} polls, {lookups} look-ups {_named(calls, LOOKUPS)}, {pages} export "
            f"pages, other {other}"
        )
        if phase in report.streams and phase in ZENDESK_STREAMS:
            counts = report.stream(phase).counts
            written = counts["created"] + counts["updated"]
            minimum = math.ceil(written / PER_JOB)
            if minimum:
                ok = jobs <= CALLS_TARGET * minimum
                line += (
                    f"; jobs against ceil({written:,} records written / {PER_JOB}) = {minimum}: "
                    f"{jobs / minimum:.2f}x ({_verdict(ok)}; target {CALLS_TARGET}x); {polls / max(1, jobs):.2f} polls "
                    "per job"
                )
                if not ok:
                    missed.append(f"{label} {phase} jobs {jobs} > {CALLS_TARGET} x {minimum}")
                renaming = phases.renaming_jobs[phase]
                if renaming:
                    line += (
                        f"; of the jobs, {renaming} re-created organizations under '<name> (<VENDORID>)' after "
                        f"Zendesk refused their name, {jobs - renaming} were first tries "
                        f"({(jobs - renaming) / minimum:.2f}x)"
                    )
            else:
                ok = jobs == 0
                line += f"; nothing written: jobs {jobs} (minimum 0: {_verdict(ok)})"
                if not ok:
                    missed.append(f"{label} {phase}: {jobs} jobs for nothing written")
        print(line)
    names = phases.vendor_names
    shared = sum(n - 1 for n in names.values() if n > 1)
    if shared:
        print(
            f"      vendors read whose name an earlier one already has: {shared:,} of {names.total():,} "
            f"({len(names):,} distinct names; Zendesk keeps organization names unique)"
        )
    writes = {n: c for n, c in totals.items() if n in ZENDESK_WRITES}
    print(f"      Zendesk: {sum(totals.values())} calls; token grants {totals['oauth.token']}; writes {writes or 0}")
    if rerun:
        ok = not writes
        print(f"      Zendesk writes on the rerun: {sum(writes.values())} (target 0: {_verdict(ok)})")
        if not ok:
            missed.append(f"{sum(writes.values())} Zendesk writes on the no-change rerun")
    return missed


def _named(calls: Counter[str], names: Sequence[str]) -> dict[str, int]:
    return {name.split(".")[0] + "." + name.split(".")[-1]: calls[name] for name in names if calls[name]}


def _print_export(phases: Phases, report: RunReport) -> list[str]:
    """Export pages against ceil(tickets / 1,000); the export's simulated span against its 10-a-minute floor."""
    counts = report.stream("tickets").counts
    read = sum(counts.values())
    pages = len(phases.export_pages)
    minimum = max(1, math.ceil(read / EXPORT_PAGE))
    print(
        f"    export: {pages} pages for {read:,} tickets against ceil({read:,} / {EXPORT_PAGE:,}) = {minimum} "
        f"({pages / minimum:.2f}x)"
    )
    if not phases.export_pages:
        return []
    span = phases.export_pages[-1][1] - phases.export_pages[0][0]
    minutes = math.ceil(pages / EXPORT_PER_MINUTE) - 1
    floor = minutes * 60 + LATENCY
    print(
        f"    export wall time {span:.1f} s simulated (first page asked to last page answered, the tickets' Intacct "
        f"writes between pages included); floor {floor:.1f} s = (ceil({pages} / {EXPORT_PER_MINUTE}) - 1) x 60 s + "
        f"{LATENCY * 1000:.0f} ms (10 a minute: pages {EXPORT_PER_MINUTE * minutes + 1}-{pages} cannot start before "
        f"{minutes} minutes have passed); {span / floor:.2f}x"
    )
    return []


def _print_intacct(label: str, report: RunReport, phases: Phases, *, rerun: bool, tickets: int) -> list[str]:
    """Intacct requests per phase (reads and writes as the connector sent them, functions as the simulator counted
    them); the tickets stream against ceil(tickets stored / 100) requests."""
    missed: list[str] = []
    print("    Intacct requests per phase (connector: reads / writes; simulator: HTTP requests, functions by name):")
    writes_seen = 0
    written_functions: Counter[str] = Counter()
    for phase in phases.phases:
        mine, calls = phases.intacct[phase], phases.calls[phase]["intacct"]
        if not mine and not calls:
            continue
        writes_seen += mine["writes"]
        written_functions.update({n: c for n, c in calls.items() if n.lower().startswith(INTACCT_WRITE_PREFIXES)})
        print(
            f"      {phase}: {mine['reads'] + mine['writes']} requests ({mine['reads']} reads of "
            f"{mine['functions read']} functions, {mine['writes']} writes of {mine['functions written']} functions; "
            f"{mine['rows']:,} rows); simulator {phases.requests[phase]['intacct']} requests "
            f"{dict(sorted(calls.items()))}"
        )
    if "tickets" in report.streams and label == "tickets sync":
        counts = report.stream("tickets").counts
        stored = counts["created"] + counts["updated"]
        mine = phases.intacct["tickets"]
        minimum = math.ceil(stored / INTACCT_PER_REQUEST)
        total = mine["reads"] + mine["writes"]
        if minimum:
            ok = mine["writes"] <= CALLS_TARGET * minimum
            print(
                f"      tickets: {total} Intacct requests ({mine['reads']} reads, {mine['writes']} writes) for "
                f"{stored:,} tickets stored ({tickets:,} added) against ceil({stored:,} / {INTACCT_PER_REQUEST}) = "
                f"{minimum} write requests: writes {mine['writes'] / minimum:.2f}x ({_verdict(ok)}; target "
                f"{CALLS_TARGET}x), all requests {total / minimum:.2f}x"
            )
            if not ok:
                missed.append(f"tickets Intacct writes {mine['writes']} > {CALLS_TARGET} x {minimum}")
        if stored != tickets:
            missed.append(f"{stored:,} of {tickets:,} tickets stored")
    if rerun:
        writes = writes_seen + sum(written_functions.values())
        ok = writes == 0
        print(
            f"      Intacct writes on the rerun: {writes_seen} write requests, write functions "
            f"{dict(written_functions) or 0} (target 0: {_verdict(ok)})"
        )
        if not ok:
            missed.append("Intacct writes on the no-change rerun")
    return missed


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


if __name__ == "__main__":
    main()
