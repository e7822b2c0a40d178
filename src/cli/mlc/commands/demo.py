"""`mlc demo`: the product end to end on the embedded default, in one process.

Starts moto and the simulators, provisions them like a stack, pings the integration, invokes the poller
Lambda handler (unchanged) with a dry-run schedule event, and shows what the first sync would write.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from typing import Any

from mlc import render
from mlc.embedded import DEFAULT_CONNECTION, LocalEnvironment
from mlc.handlers import FUNCTIONS_DIR, load_handler
from mlc.lambda_context import LocalLambdaContext
from mlconnector.config import Settings
from mlconnector.connection import Connection
from mlconnector.service import ping
from mlconnector.state.models import AuditEntryItem, LinkItem, TokenItem

INTEGRATION = "intacct-marketo"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("demo", parents=[common], help="run the product end to end on the embedded default")
    parser.add_argument("--size", type=int, default=200, help="vendors to seed")
    parser.add_argument("--show", type=int, default=8, help="records to show from the preview")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with LocalEnvironment(size=args.size) as local:
        _step("1. Local environment (moto for AWS, simulators for the APIs), provisioned like a stack")
        print(f"   embedded AWS: {local.aws_endpoint}")
        for system, url in sorted(local.sandbox_urls.items()):
            print(f"   {system} simulator: {url} ({args.size} vendors seeded)")

        settings = Settings.from_env()
        _step(f"2. mlc ping {INTEGRATION}")
        results = ping(INTEGRATION, Connection.open(DEFAULT_CONNECTION, settings, read_only=True))
        rows = [{**r.__dict__, "ok": "ok" if r.ok else "not yet"} for r in results]
        render.table(rows, ["system", "ok", "latency_ms", "detail"])

        _step("3. The poller Lambda handler, invoked with events/poller-schedule.json (a dry run)")
        event = json.loads((FUNCTIONS_DIR.parents[1] / "events" / "poller-schedule.json").read_text())
        print(f"   event: {json.dumps(event)}")
        handler = load_handler("poller")
        emitted = io.StringIO()
        with contextlib.redirect_stdout(emitted):  # the handler's EMF metrics (CloudWatch reads them from stdout)
            response = handler(event, LocalLambdaContext("ml-connector-poller"))
        _print_response(response, args.show)
        _print_metrics(emitted.getvalue())

        _step("4. A dry run writes nothing: items in the connector's tables")
        counts = {"tokens": TokenItem.count(), "links": LinkItem.count(), "audit": AuditEntryItem.count()}
        print("   " + ", ".join(f"{name} {n}" for name, n in counts.items()))
        print("\nThe Marketo writer lands with its issue; until then a sync of this integration is a dry run.")
    return 0 if response["status"] == "completed" and not any(counts.values()) else 1


def _print_response(response: dict[str, Any], show: int) -> None:
    counts = response["counts"]
    print(
        f"   run {response['run_id']}: {response['status']}; "
        f"{counts['created']} companies would be created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
    )
    print(f"   API calls: {response['api_calls']}; {response['duration_ms']} ms")
    rows = response.get("preview", [])[:show]
    print(f"   first {len(rows)} of what would be written to Marketo:")
    render.table([_company_row(row) for row in rows], PREVIEW_COLUMNS)


PREVIEW_COLUMNS = ["action", "externalCompanyId", "company", "billingCity", "billingCountry", "intacctVendorStatus"]


def _company_row(row: dict[str, Any]) -> dict[str, Any]:
    return {"action": row["action"], **(row["payload"] or {"company": row["error"]})}


def _print_metrics(stdout: str) -> None:
    for line in stdout.splitlines():
        blob = json.loads(line) if line.startswith("{") else {}
        for directive in blob.get("_aws", {}).get("CloudWatchMetrics", []):
            names = ", ".join(f"{m['Name']}={blob[m['Name']][0]:g}" for m in directive["Metrics"])
            print(f"   EMF metrics in namespace {directive['Namespace']}: {names}")


def _step(title: str) -> None:
    print(f"\n{title}")
