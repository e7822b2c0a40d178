"""`mlc demo`: the product end to end on the embedded default, in one process.

Starts moto and the simulators, provisioned like a stack; pings the integration; invokes the poller Lambda
handler (unchanged) for a dry run, then an initial sync; changes a few vendors in the Intacct sandbox and
syncs again (updates written, unchanged records skipped); prints the audit trail of one vendor and the runs.
Then Commerce -> Intacct: ping, orders to bills, B2B purchase orders, credit memos and the vendor master both
ways; a change on each side is synced once and not echoed back. Then Intacct -> Mailchimp: ping, the first sync
(members, e-commerce customers, products, orders, payments; the store's backfill flag on, then off), a bill paid
in Intacct moves exactly its order to paid, and a rerun writes nothing. Then Intacct -> Zoho CRM: ping, the first
sync (accounts with their hierarchy, vendors, contacts on their account or vendor), a customer moved to another
parent updates exactly that account, and a rerun writes nothing. Then Intacct <-> Zendesk: ping, the first sync
(vendors to organizations with their financial context, contacts to end-users), tickets opened by vendor contacts
stored in Intacct by the poller, a signed webhook delivery through the verifier and processor handlers (and a forged
one refused), and a rerun that writes nothing. Last, every integration runs once from the one stack's schedules
(the local environment's, in moto), and `mlc runs` lists the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import boto3

from mlc import render
from mlc.embedded import DEFAULT_CONNECTION, LocalEnvironment
from mlc.handlers import FUNCTIONS_DIR, load_handler, sqs_event
from mlc.lambda_context import LocalLambdaContext
from mlconnector.config import Settings, secret_name
from mlconnector.connection import Connection
from mlconnector.engine.observability import logger
from mlconnector.flows.commerce_intacct import flow as commerce_intacct
from mlconnector.flows.intacct_mailchimp import flow as intacct_mailchimp
from mlconnector.flows.intacct_zendesk import flow as intacct_zendesk
from mlconnector.flows.intacct_zendesk.config import DEFAULT_FIELDS
from mlconnector.flows.intacct_zoho import flow as intacct_zoho
from mlconnector.service import ping
from mlconnector.webhooks.queue import QUEUE_URL_VARIABLE
from mlconnector.webhooks.senders.zendesk import SPEC as ZENDESK_WEBHOOKS

INTEGRATION = "intacct-marketo"
EVENTS = FUNCTIONS_DIR.parents[1] / "events"
CHANGES: dict[str, dict[str, object]] = {
    "V101": {"NAME": "Acme Supplies (renamed)"},
    "V102": {"DISPLAYCONTACT.MAILADDRESS.CITY": "Lisbon", "DISPLAYCONTACT.MAILADDRESS.COUNTRY": "Portugal"},
    "V103": {"STATUS": "inactive"},
}
PREVIEW_COLUMNS = ["stream", "action", "key", "payload"]
COMMERCE_WRITES = ("customers.create", "customers.update", "companies.create", "companies.update")
INTACCT_WRITES = ("create", "update", "create_potransaction", "create_apadjustment")
CHIMP_READS = ("get", "list", "list_all", "archive")
ZENDESK_WRITES = ("create_many", "update_many", "create_or_update_many", "create_or_update")


def run(args: argparse.Namespace) -> int:
    logger.setLevel("ERROR")  # failed records are shown as tables below, not as JSON log lines
    environment = LocalEnvironment(size=args.size)
    local = environment.start()
    try:
        assert environment.sandbox is not None
        intacct, marketo = environment.sandbox.intacct, environment.sandbox.marketo
        _step("1. Local environment: moto for AWS, simulators for the APIs, provisioned like a stack")
        print(f"   embedded AWS: {local.aws_endpoint}")
        for system, url in sorted(local.sandbox_urls.items()):
            print(f"   {system} simulator: {url}")
        print(f"   Intacct seeded with {args.size} vendors and {intacct.store.count('CONTACT')} contacts")

        _step(f"2. mlc ping {INTEGRATION}")
        connection = Connection.open(DEFAULT_CONNECTION, Settings.from_env(), read_only=True)
        render.table([asdict(r) for r in ping(INTEGRATION, connection)], ["system", "ok", "latency_ms", "detail"])

        handler = load_handler("poller")
        _step("3. Poller handler with events/poller-schedule.json: a dry run shows what would be written")
        dry = _invoke(handler, "poller-schedule.json")
        rows = [{**row, "payload": row["payload"] or row["error"]} for row in dry.get("preview", [])[: args.show]]
        render.table(rows, PREVIEW_COLUMNS)

        _step("4. Poller handler with events/poller-intacct-marketo.json: the initial sync")
        first = _invoke(handler, "poller-intacct-marketo.json")
        print(f"   Marketo now has {len(marketo.companies)} companies and {len(marketo.leads)} leads")

        _step(f"5. Three vendors change in Intacct ({', '.join(CHANGES)}); the schedule fires again")
        for vendor_id, fields in CHANGES.items():
            intacct.clock.advance(1)
            intacct.update_record("VENDOR", vendor_id, dict(fields))
        marketo.calls.reset()
        second = _invoke(handler, "poller-intacct-marketo.json")
        writes = {name: marketo.calls.count(name) for name in ("companies.sync", "leads.sync")}
        print(f"   Marketo write calls in this run: {writes}")
        print(f"   V103 in Marketo: intacctVendorStatus = {marketo.companies['V103']['intacctVendorStatus']}")

        _step("6. mlc audit --key V101: the audit trail of one vendor")
        state = Connection.open(DEFAULT_CONNECTION, Settings.from_env()).state
        history = [asdict(e) for e in state.audit.history("intacct", "VENDOR", "V101")]
        render.table(history, ["at", "run_id", "stream", "action", "destination_id", "content_hash"])

        _step("7. mlc runs")
        render.table([asdict(r) for r in state.runs.recent()], ["started_at", "run_id", "status", "dry_run", "counts"])

        marketo_ok = first["status"] == second["status"] == "completed" and second["counts"]["updated"] == len(CHANGES)
        commerce_ok = _commerce_intacct(environment.sandbox, handler, connection, state, args.show)
        mailchimp_ok = _intacct_mailchimp(environment.sandbox, handler, connection)
        zoho_ok = _intacct_zoho(environment.sandbox, handler, connection)
        zendesk_ok = _intacct_zendesk(environment.sandbox, handler, connection)
        scheduled_ok = _one_stack(local.outputs, local.region, handler, state)
        ok = scheduled_ok and zendesk_ok and zoho_ok and mailchimp_ok and commerce_ok and marketo_ok
    finally:
        environment.stop()
    return 0 if ok else 1


def _commerce_intacct(sandbox: Any, handler: Any, connection: Connection, state: Any, show: int) -> bool:
    """Steps 8-11: Commerce -> Intacct with the vendor master both ways; True when every check held."""
    intacct, commerce = sandbox.intacct, sandbox.commerce
    _step(f"8. mlc ping {commerce_intacct.NAME}")
    checks = ping(commerce_intacct.NAME, connection)
    render.table([asdict(r) for r in checks], ["system", "ok", "latency_ms", "detail"])

    _step("9. Poller handler with events/poller-commerce-intacct.json: Commerce -> Intacct, and the vendor master")
    orders = _invoke(handler, "poller-commerce-intacct.json")
    bills = [b for b in intacct.store.all("APBILL") if str(b.get("RECORDID", "")).startswith("MC-")]
    print(f"   Intacct now has {len(bills)} bills from Commerce orders (RECORDID MC-<increment id>),")
    print(f"   {intacct.store.count('PODOCUMENT')} purchase orders from B2B orders placed through one,")
    print(f"   and Commerce has {len(commerce.companies)} B2B companies, Intacct vendors among them")
    print("   records kept for replay, each with its reason (mlc audit --failed):")
    failed = [asdict(f) for f in state.failures.pending(commerce_intacct.NAME)]
    render.table(failed[:show], ["stream", "source_key", "error"])
    if len(failed) > show:
        print(f"   ... and {len(failed) - show} more")

    _step("10. V104 changes in Intacct and a customer in Commerce; the schedule fires again")
    intacct.clock.advance(1)
    intacct.update_record("VENDOR", "V104", {"DISPLAYCONTACT.PHONE1": "555-0104"})
    commerce.update_customer(max(commerce.customers), {"lastname": "Renamed"})
    commerce.reset_calls()
    intacct.reset_calls()
    changed = _invoke(handler, "poller-commerce-intacct.json")
    print(f"   Commerce writes: {_commerce_writes(commerce)}; Intacct writes: {_intacct_writes(intacct)}")

    _step("11. The same schedule again: nothing new, nothing posted twice, no change echoed back")
    commerce.reset_calls()
    intacct.reset_calls()
    again = _invoke(handler, "poller-commerce-intacct.json")
    print(f"   Commerce writes: {_commerce_writes(commerce)}; Intacct writes: {_intacct_writes(intacct)}")
    return (
        orders["status"] == changed["status"] == again["status"] == "completed"
        and changed["counts"]["updated"] >= 2
        and again["counts"]["created"] == again["counts"]["updated"] == 0
        and sum(_commerce_writes(commerce).values()) == 0
        and sum(_intacct_writes(intacct).values()) == 0
    )


def _intacct_mailchimp(sandbox: Any, handler: Any, connection: Connection) -> bool:
    """Steps 12-15: Intacct -> Mailchimp; True when every check held."""
    intacct, mailchimp = sandbox.intacct, sandbox["mailchimp"]
    _step(f"12. mlc ping {intacct_mailchimp.NAME}")
    checks = ping(intacct_mailchimp.NAME, connection)
    render.table([asdict(r) for r in checks], ["system", "ok", "latency_ms", "detail"])

    _step("13. Poller handler with events/poller-intacct-mailchimp.json: the first sync, a backfill")
    first = _invoke(handler, "poller-intacct-mailchimp.json")
    store = mailchimp.store("intacct")
    statuses = Counter(m["status"] for m in mailchimp.members().values())
    print(f"   Mailchimp audience members by status: {dict(statuses)} (nobody subscribed by the connector)")
    print(f"   store 'intacct': {len(store['customers'])} customers, {len(store['products'])} products (GL accounts),")
    print(f"   {len(store['orders'])} orders (AP bills); is_syncing {store['is_syncing']} (on during the backfill)")

    _step("14. A bill is paid in Intacct; the schedule fires again")
    unpaid = next(o for _, o in sorted(store["orders"].items()) if o["financial_status"] == "pending")
    bill = intacct.store.get("APBILL", int(unpaid["id"].removeprefix("bill-")))
    intacct.clock.advance(1)
    intacct.update_record("APBILL", str(bill["RECORDNO"]), {"STATE": "Paid", "TOTALPAID": bill["TOTALENTERED"]})
    mailchimp.calls.reset()
    paid = _invoke(handler, "poller-intacct-mailchimp.json")
    after = mailchimp.store("intacct")["orders"][unpaid["id"]]["financial_status"]
    print(f"   order {unpaid['id']}: {unpaid['financial_status']} -> {after}")
    print(f"   Mailchimp writes in this run: {_chimp_writes(mailchimp)}")

    _step("15. The same schedule again: nothing changed, nothing written")
    mailchimp.calls.reset()
    again = _invoke(handler, "poller-intacct-mailchimp.json")
    print(f"   Mailchimp writes: {_chimp_writes(mailchimp)}")
    return (
        first["status"] == paid["status"] == again["status"] == "completed"
        and after == "paid"
        and not store["is_syncing"]
        and sum(_chimp_writes(mailchimp).values()) == 0
    )


def _intacct_zoho(sandbox: Any, handler: Any, connection: Connection) -> bool:
    """Steps 16-19: Intacct -> Zoho CRM; True when every check held."""
    intacct, zoho = sandbox.intacct, sandbox["zoho"]
    _step(f"16. mlc ping {intacct_zoho.NAME}")
    checks = ping(intacct_zoho.NAME, connection)
    render.table([asdict(r) for r in checks], ["system", "ok", "latency_ms", "detail"])

    _step("17. Poller handler with events/poller-intacct-zoho.json: the first sync")
    first = _invoke(handler, "poller-intacct-zoho.json")
    accounts = {r["Intacct_ID"]: r for r in zoho.records("Accounts").values()}
    children = sum(1 for r in accounts.values() if r.get("Parent_Account"))
    print(f"   Zoho now has {zoho.counts()} records; {children} accounts have a Parent_Account")

    child = next(c for c in intacct.store.all("CUSTOMER") if c.get("PARENTID"))
    root = next(c for c in intacct.store.all("CUSTOMER") if not c.get("PARENTID") and c is not child)
    _step(f"18. Customer {child['CUSTOMERID']} moves under {root['CUSTOMERID']} in Intacct; the schedule fires again")
    intacct.clock.advance(1)
    intacct.update_record("CUSTOMER", str(child["CUSTOMERID"]), {"PARENTID": root["CUSTOMERID"]})
    zoho.calls.reset()
    moved = _invoke(handler, "poller-intacct-zoho.json")
    parent = {r["Intacct_ID"]: r for r in zoho.records("Accounts").values()}[child["CUSTOMERID"]]["Parent_Account"]
    print(f"   its Parent_Account is now {root['CUSTOMERID']}'s id: {parent == accounts[root['CUSTOMERID']]['id']}")
    print(f"   Zoho upserts in this run: {zoho.calls.count('records.upsert')}")

    _step("19. The same schedule again: nothing changed, nothing written")
    zoho.calls.reset()
    again = _invoke(handler, "poller-intacct-zoho.json")
    print(f"   Zoho upserts: {zoho.calls.count('records.upsert')}")
    statuses = {first["status"], moved["status"], again["status"]}
    return (
        statuses == {"completed"}
        and parent == accounts[root["CUSTOMERID"]]["id"]
        and not zoho.calls.count("records.upsert")
    )


def _intacct_zendesk(sandbox: Any, handler: Any, connection: Connection) -> bool:
    """Steps 20-24: Intacct <-> Zendesk; True when every check held."""
    intacct, zendesk = sandbox.intacct, sandbox["zendesk"]
    _step(f"20. An admin adds the organization fields in Zendesk; mlc ping {intacct_zendesk.NAME}")
    kinds = {"intacct_on_hold": "checkbox", "intacct_open_balance": "decimal", "intacct_last_payment": "date"}
    for key in DEFAULT_FIELDS:
        zendesk.add_organization_field(key, kinds.get(key, "text"), key.replace("_", " ").title())
    checks = ping(intacct_zendesk.NAME, connection)
    render.table([asdict(r) for r in checks], ["system", "ok", "latency_ms", "detail"])

    _step("21. Poller handler with events/poller-intacct-zendesk.json: the first sync")
    first = _invoke(handler, "poller-intacct-zendesk.json")
    orgs = {o["external_id"]: o for o in zendesk.organizations().values() if o.get("external_id")}
    print(f"   Zendesk now has {len(orgs)} organizations from vendors and {zendesk.counts()['users']} users")

    _step("22. Vendor contacts open three tickets in Zendesk; the schedule fires a minute later")
    tickets = [
        zendesk.add_ticket(organization_external_id=vendor, requester_email=f"ap@{vendor.lower()}.example",
                           subject=subject)
        for vendor, subject in (("V100", "Invoice 1001 not received"), ("V101", "Remittance advice"),
                                ("V102", "Bank details changed"))
    ]  # fmt: skip
    zendesk.clock.advance(61)  # the export leaves out the last minute's changes
    polled = _invoke(handler, "poller-intacct-zendesk.json")
    stored = {r["NAME"]: r for r in intacct.custom_records("zendesk_ticket")}
    columns = ["NAME", "ZD_STATUS", "ZD_SUBJECT", "R_ZENDESK_TICKET_VENDOR.VENDORID"]
    render.table([{k: r[k] for k in columns} for r in stored.values()], columns)

    _step("23. A ticket is solved; Zendesk's signed webhook goes through the verifier and processor handlers")
    zendesk.update_ticket(tickets[1], status="solved")
    accepted, forged, processed = _zendesk_webhook(zendesk, tickets[1])
    print(f"   verifier: signed delivery {accepted}, forged delivery {forged}; processor: {processed}")
    after = {r["NAME"]: r["ZD_STATUS"] for r in intacct.custom_records("zendesk_ticket")}
    print(f"   ZD-{tickets[1]} in Intacct: {after[f'ZD-{tickets[1]}']}")

    _step("24. The schedule fires again with nothing new")
    intacct.calls.reset()
    zendesk.calls.reset()
    again = _invoke(handler, "poller-intacct-zendesk.json")
    zendesk_writes = sum(n for name, n in zendesk.calls.by_name.items() if name.split(".")[-1] in ZENDESK_WRITES)
    print(f"   Intacct writes: {_intacct_writes(intacct)}; Zendesk writes: {zendesk_writes}")
    return (
        first["status"] == polled["status"] == again["status"] == "completed"
        and all(result.ok for result in checks)
        and {f"ZD-{t}" for t in tickets} <= set(stored)
        and (accepted, forged, processed) == (202, 401, "1 message, 0 failed")
        and after[f"ZD-{tickets[1]}"] == "solved"
        and sum(_intacct_writes(intacct).values()) == zendesk_writes == 0
    )


def _one_stack(outputs: dict[str, str], region: str, handler: Any, state: Any) -> bool:
    """Steps 25-26: every integration runs from the one stack's schedules (locally: each schedule's input fed to the
    poller once, as PollerLoop's first round would), then `mlc runs`; True when every run completed."""
    from mlc.commands.runs import listing, show  # noqa: PLC0415
    from mlconnector.schedules import ScheduleService  # noqa: PLC0415

    _step("25. mlc schedule list: one stack, a schedule per integration; each fires once (locally: one invocation)")
    schedules = ScheduleService.connect(outputs, region=region).list_schedules()
    render.table([s.to_dict() for s in schedules], ["integration", "connection", "expression", "enabled", "name"])
    statuses: dict[str, str] = {}
    for schedule in schedules:
        event = {"integration": schedule.integration, "connection": schedule.connection, "return_failures": True}
        with contextlib.redirect_stdout(io.StringIO()):
            response = handler(event, LocalLambdaContext("ml-connector-poller"))
        statuses[schedule.integration] = f"{response['status']} (work left: {response['work_left']})"
    render.table([{"integration": k, "run": v} for k, v in statuses.items()], ["integration", "run"])

    _step("26. mlc runs")
    show(*listing(state, 12))
    return len(schedules) == len(statuses) == 5 and all(v.startswith("completed") for v in statuses.values())


def _zendesk_webhook(zendesk: Any, ticket_id: int) -> tuple[int, int, str]:
    """One signed delivery (and a forged copy) into the verifier handler, as API Gateway would pass it (the shape of
    events/webhook-zendesk-delivery.json); then what it queued into the processor handler, as SQS would."""
    from sandbox.zendesk.webhooks import signature, ticket_event  # noqa: PLC0415 - the sandbox, for the demo only

    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="ml-connector-local-webhooks")["QueueUrl"]
    os.environ[QUEUE_URL_VARIABLE] = queue_url
    secret = zendesk.config.webhook_secret
    boto3.client("secretsmanager").create_secret(
        Name=secret_name(Settings.from_env().secret_prefix, DEFAULT_CONNECTION, ZENDESK_WEBHOOKS.secret),
        SecretString=json.dumps({"hmac_secret": secret}),
    )
    ticket = zendesk.ticket(ticket_id)
    body = json.dumps(ticket_event(zendesk.config.account_id, ticket, "ticket.status_changed", zendesk.clock.now(), {}))
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    verifier = load_handler("webhook_verifier")

    def deliver(signed_with: str, invocation: str) -> int:
        event = json.loads((EVENTS / "webhook-zendesk-delivery.json").read_text())
        event["body"] = body
        event["headers"].update({
            "x-zendesk-webhook-signature": signature(signed_with, stamp, body.encode()),
            "x-zendesk-webhook-signature-timestamp": stamp,
            "x-zendesk-webhook-invocation-id": invocation,
        })  # fmt: skip
        with contextlib.redirect_stdout(io.StringIO()):
            return int(verifier(event, LocalLambdaContext("ml-connector-webhook-verifier"))["statusCode"])

    accepted, forged = deliver(secret, "demo-1"), deliver("not-the-signing-secret", "demo-2")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    event = sqs_event(messages, "arn:aws:sqs:us-east-1:000000000000:ml-connector-local-webhooks")
    processor = load_handler("webhook_processor")
    with contextlib.redirect_stdout(io.StringIO()):
        answer = processor(event, LocalLambdaContext("ml-connector-webhook-processor"))
    return accepted, forged, f"{len(event['Records'])} message, {len(answer['batchItemFailures'])} failed"


def _chimp_writes(mailchimp: Any) -> dict[str, int]:
    return {name: n for name, n in mailchimp.calls.by_name.items() if name.split(".")[-1] not in CHIMP_READS and n}


def _commerce_writes(commerce: Any) -> dict[str, int]:
    return {op: commerce.calls.count(op) for op in COMMERCE_WRITES}


def _intacct_writes(intacct: Any) -> dict[str, int]:
    return {function: intacct.calls.count(function) for function in INTACCT_WRITES}


def _invoke(handler: Any, event_file: str) -> dict[str, Any]:
    event = json.loads((EVENTS / event_file).read_text())
    emitted = io.StringIO()
    with contextlib.redirect_stdout(emitted):  # the handler's EMF metrics (CloudWatch reads them from stdout)
        response: dict[str, Any] = handler(event, LocalLambdaContext("ml-connector-poller"))
    for name, stream in response["streams"].items():
        counts = ", ".join(f"{action} {n}" for action, n in sorted(stream["counts"].items())) or "nothing new"
        print(f"   {name}: {counts}")
        for note in stream.get("notes", []):
            print(f"     note: {note}")
    print(f"   run {response['run_id']}: {response['status']}; API calls {response['api_calls']}")
    _print_metrics(emitted.getvalue())
    return response


def _print_metrics(stdout: str) -> None:
    for line in stdout.splitlines():
        blob = json.loads(line) if line.startswith("{") else {}
        for directive in blob.get("_aws", {}).get("CloudWatchMetrics", []):
            names = ", ".join(f"{m['Name']}={blob[m['Name']][0]:g}" for m in directive["Metrics"])
            print(f"   EMF metrics ({directive['Namespace']}): {names}")


def _step(title: str) -> None:
    print(f"\n{title}")
