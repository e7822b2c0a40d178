"""Reading 10,000 Intacct vendors from the sandbox at 50 ms per call.

Prints Intacct calls against the minimum (one login + ceil(n / 2000) query pages), records per second, the
latency floor (minimum calls x latency), and the peak RSS of the connector's process (the simulator and moto run in
their own processes).
"""

from __future__ import annotations

import math
import resource
import time

from bench.local_aws import LocalAws
from bench.sandbox_process import SandboxProcess
from mlconnector.engine.flow import Flow, Stream
from mlconnector.engine.observability import logger
from mlconnector.engine.runner import RunOptions, run_flow
from mlconnector.flows.intacct_marketo.mapping import VENDOR_SELECT, vendor_to_company
from mlconnector.state import ConnectionState
from mlconnector.state.tables import TableNames, create_local_tables
from mlconnector.systems.intacct import IntacctClient, IntacctCredentials
from mlconnector.systems.intacct.reader import IntacctReader
from mlconnector.systems.intacct.session_cache import TokenStoreSessionCache

VENDORS = 10_000
LATENCY = 0.050
PAGE = 2000


def main() -> None:
    logger.setLevel("WARNING")
    minimum = 1 + math.ceil(VENDORS / PAGE)
    print(f"Intacct read: {VENDORS} vendors, {LATENCY * 1000:.0f} ms per call, pages of {PAGE}")
    with SandboxProcess(size=VENDORS, latency=LATENCY) as sandbox, LocalAws():
        tables = TableNames("bench-state", "bench-links", "bench-audit")
        create_local_tables(tables, region="us-east-1")
        state = ConnectionState.open("bench", retention_days=1)
        credentials = IntacctCredentials.from_secret(
            sandbox.credentials["intacct"], allowed_sandbox_hosts=("127.0.0.1",)
        )

        client = IntacctClient(credentials, TokenStoreSessionCache(state.tokens))
        reader = IntacctReader(client, "VENDOR", VENDOR_SELECT, "VENDORID", pagesize=PAGE)
        started = time.perf_counter()
        records = sum(len(page.records) for page in reader.pages(None))
        _report("reader only", records, client.calls, minimum, time.perf_counter() - started)

        client = IntacctClient(credentials, TokenStoreSessionCache(state.tokens))  # a new container: cached session
        reader = IntacctReader(client, "VENDOR", VENDOR_SELECT, "VENDORID", pagesize=PAGE)
        stream = Stream("companies", "intacct", "VENDOR", "marketo", reader, vendor_to_company, writer=None)
        flow = Flow("intacct-marketo", [stream], api_calls=lambda: {"intacct": client.calls})
        started = time.perf_counter()
        report = run_flow(flow, state, RunOptions(dry_run=True))
        mapped = sum(report.counts.values())
        _report(
            "engine dry run (map, hash, link lookups)", mapped, client.calls, minimum - 1, time.perf_counter() - started
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of the connector's process: {peak_mb:.0f} MB (target under 150 MB)")


def _report(label: str, records: int, calls: int, minimum: int, seconds: float) -> None:
    floor = minimum * LATENCY
    print(
        f"  {label}: {records} records, {calls} Intacct calls (minimum {minimum}, {calls / minimum:.2f}x), "
        f"{records / seconds:,.0f} records/s, {seconds:.2f} s against a latency floor of {floor:.2f} s"
    )


if __name__ == "__main__":
    main()
