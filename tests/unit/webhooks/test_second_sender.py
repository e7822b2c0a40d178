"""A second webhook sender, registered here only: one spec (Zendesk's signature strategy, its own envelope and
stream) is all the verifier, the processor and the re-drive need; each sender keeps its own secret, quarantine
and idempotency partition. Not the Zendesk integration: a stand-in named `helpdesk`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

import boto3
import pytest

from mlc.lambda_context import LocalLambdaContext
from mlconnector.config import SecretReader, Settings, secret_name
from mlconnector.connection import Connection
from mlconnector.engine.records import Outcome, SourceRecord
from mlconnector.state import ConnectionState
from mlconnector.webhooks import registry
from mlconnector.webhooks.config import WebhookConfig, WebhookSecrets
from mlconnector.webhooks.delivery import Delivery, DeliveryError, Headers
from mlconnector.webhooks.processor import Processor
from mlconnector.webhooks.queue import DeliveryQueue, QueueMessage
from mlconnector.webhooks.redrive import redrive_quarantined
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE
from mlconnector.webhooks.spec import Sources, WebhookSpec
from mlconnector.webhooks.verification import Rejected, RejectReason, Verified, verify_delivery
from mlconnector.webhooks.verifier import Verifier
from sandbox.commerce.webhooks import hmac_signature
from tests.conftest import TABLES, FakeClock
from tests.unit.webhooks.webhook_fixtures import http_api_event, order_body

PREFIX = "ml-connector/unit"
CONNECTION = "acme"
SECRET = "helpdesk-signing-secret-41b7"
SIGNATURE = "x-zendesk-webhook-signature"
TIMESTAMP = "x-zendesk-webhook-signature-timestamp"
INVOCATION = "x-zendesk-webhook-invocation-id"

ZENDESK_SIGNATURE = WebhookConfig(
    schemes=("hmac",),
    hmac_header=SIGNATURE,
    hmac_encoding="base64",
    hmac_message="timestamp+body",
    timestamp_header=TIMESTAMP,
    require_timestamp=True,
)
"""Zendesk's strategy (reference zendesk.md §7.2, verified-2026-12 §3.3): base64 HMAC-SHA256 over timestamp+body."""


def read_helpdesk(payload: Mapping[str, Any], headers: Headers) -> Delivery:
    """An event-subscription envelope: `{"type": "zen:event-type:ticket.updated", "detail": {"id": ...}}`; the
    invocation id header is the event id."""
    detail = payload.get("detail")
    event_id = headers.get(INVOCATION)
    if not isinstance(detail, Mapping) or "id" not in detail or not event_id:
        raise DeliveryError("delivery has no detail.id or no invocation id")
    event_type = str(payload.get("type", ""))
    entity_type = "ticket" if ":ticket." in event_type else "other"
    return Delivery(event_id, "sender", event_type, entity_type, str(detail["id"]), None)


@dataclass
class FakeReport:
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class FakeStream:
    source_object: str = "ticket"


@dataclass
class FakeRun:
    """Stands in for the sender's StreamRun: records what it was asked to post."""

    posted: list[SourceRecord] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    stream: FakeStream = field(default_factory=FakeStream)
    report: FakeReport = field(default_factory=FakeReport)

    def process(self, records: list[SourceRecord]) -> None:
        self.posted.extend(records)
        self.report.counts["created"] = self.report.counts.get("created", 0) + len(records)

    def flush(self) -> None:
        pass

    def record_outcomes(self, outcomes: list[Outcome]) -> None:
        self.outcomes.extend(outcomes)


@dataclass
class TicketPosting:
    noun: str = "ticket"
    runs: list[FakeRun] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)

    def open_run(self, connection: Connection, run_id: str) -> Any:
        self.runs.append(FakeRun())
        return self.runs[-1]

    def sources(self, connection: Connection, run: Any, entity_type: str, entity_id: str) -> Sources:
        self.asked.append((entity_type, entity_id))
        return Sources([SourceRecord(entity_id, {"id": entity_id})])


POSTING = TicketPosting()
HELPDESK = WebhookSpec(
    system="helpdesk",
    integration="intacct-helpdesk",
    read_delivery=read_helpdesk,
    processed_types=frozenset({"ticket"}),
    posting=lambda: POSTING,
    signature=ZENDESK_SIGNATURE,
)


def zendesk_headers(body: bytes, timestamp: str, secret: str = SECRET, invocation: str = "inv-1") -> dict[str, str]:
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return {SIGNATURE: base64.b64encode(digest).decode(), TIMESTAMP: timestamp, INVOCATION: invocation}


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------ the signature strategy, on Zendesk's vectors


def test_zendesk_reference_vector_verifies_over_timestamp_then_body() -> None:
    body = b'{"event":"ticket.updated","id":123}'
    headers = {
        SIGNATURE: "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM=",
        TIMESTAMP: "2021-03-25T05:09:27Z",
    }
    now = datetime(2021, 3, 25, 5, 9, 57, tzinfo=UTC).timestamp()
    secrets = WebhookSecrets(hmac_secret="dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==")  # used as-is, not decoded
    verdict = verify_delivery(http_api_event(body, headers), ZENDESK_SIGNATURE, secrets, now=now)
    assert isinstance(verdict, Verified)
    assert verdict.timestamp == datetime(2021, 3, 25, 5, 9, 27, tzinfo=UTC).timestamp()


def test_the_older_docs_body_then_timestamp_vector_is_refused() -> None:
    """The older copy of Zendesk's page signs body+timestamp; its vector must not verify (order is timestamp+body)."""
    body = b'{"say": "hello"}'
    headers = {SIGNATURE: "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=", TIMESTAMP: "2021-07-25T10:00:00Z"}
    now = datetime(2021, 7, 25, 10, 0, 5, tzinfo=UTC).timestamp()
    secrets = WebhookSecrets(hmac_secret="HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=")
    verdict = verify_delivery(http_api_event(body, headers), ZENDESK_SIGNATURE, secrets, now=now)
    assert isinstance(verdict, Rejected)
    assert verdict.reason is RejectReason.BAD_SIGNATURE


def test_the_older_docs_vector_is_named_in_the_refusal_and_verifies_once_the_setting_says_so() -> None:
    body = b'{"say": "hello"}'
    headers = {SIGNATURE: "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=", TIMESTAMP: "2021-07-25T10:00:00Z"}
    now = datetime(2021, 7, 25, 10, 0, 5, tzinfo=UTC).timestamp()
    secrets = WebhookSecrets(hmac_secret="HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=")
    refused = verify_delivery(http_api_event(body, headers), ZENDESK_SIGNATURE, secrets, now=now)
    assert isinstance(refused, Rejected)
    assert "set hmac_message to body+timestamp" in refused.detail
    legacy = replace(ZENDESK_SIGNATURE, hmac_message="body+timestamp")
    assert isinstance(verify_delivery(http_api_event(body, headers), legacy, secrets, now=now), Verified)
    reference = {SIGNATURE: "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM=", TIMESTAMP: "2021-03-25T05:09:27Z"}
    current = verify_delivery(
        http_api_event(b'{"event":"ticket.updated","id":123}', reference),
        legacy,
        WebhookSecrets(hmac_secret="dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="),
        now=datetime(2021, 3, 25, 5, 9, 57, tzinfo=UTC).timestamp(),
    )
    assert isinstance(current, Rejected)  # the setting picks one order: the other is never accepted with it
    assert "matches an HMAC over timestamp+body" in current.detail


def test_the_zendesk_sender_uses_this_strategy() -> None:
    assert registry.spec_for("zendesk").signature == ZENDESK_SIGNATURE


def test_the_signed_timestamp_is_required_and_cannot_be_swapped() -> None:
    body, now = b'{"detail": {"id": 7}}', 1_790_000_000.0
    secrets = WebhookSecrets(hmac_secret=SECRET)
    headers = zendesk_headers(body, iso(now - 5))
    missing = {k: v for k, v in headers.items() if k != TIMESTAMP}
    verdict = verify_delivery(http_api_event(body, missing), ZENDESK_SIGNATURE, secrets, now=now)
    assert isinstance(verdict, Rejected)
    assert verdict.reason is RejectReason.MISSING_SIGNATURE
    swapped = headers | {TIMESTAMP: iso(now - 4)}  # a fresher timestamp than the one signed
    verdict = verify_delivery(http_api_event(body, swapped), ZENDESK_SIGNATURE, secrets, now=now)
    assert isinstance(verdict, Rejected)
    assert verdict.reason is RejectReason.BAD_SIGNATURE
    stale = zendesk_headers(body, iso(now - 3600))  # signed, but an hour old
    verdict = verify_delivery(http_api_event(body, stale), ZENDESK_SIGNATURE, secrets, now=now)
    assert isinstance(verdict, Rejected)
    assert verdict.reason is RejectReason.STALE_TIMESTAMP


# ------------------------------------------------------------------ one route, two senders


@dataclass
class Route:
    verifier: Verifier
    queue_url: str
    clock: FakeClock

    def receive(self, system: str, body: bytes, headers: dict[str, str]) -> int:
        event = http_api_event(body, headers) | {"pathParameters": {"system": system, "connection": CONNECTION}}
        return int(self.verifier.handle(event, LocalLambdaContext("webhook-verifier"))["statusCode"])

    def enqueued(self) -> list[dict[str, Any]]:
        client = boto3.client("sqs", region_name="us-east-1")
        messages = client.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    def state(self) -> ConnectionState:
        return ConnectionState.open(CONNECTION, retention_days=30)


def _put_secret(system: str, secret: dict[str, Any]) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    client.create_secret(Name=secret_name(PREFIX, CONNECTION, system), SecretString=json.dumps(secret))


@pytest.fixture
def route(aws: None, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Route:
    monkeypatch.setitem(registry.SENDERS, HELPDESK.system, HELPDESK)  # the one registry line, in a test
    POSTING.runs.clear()
    POSTING.asked.clear()
    queue_url = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="webhooks")["QueueUrl"]
    _put_secret(HELPDESK.secret, {"hmac_secret": SECRET})
    _put_secret(COMMERCE.secret, {"hmac_secret": SECRET, "settings": {"schemes": ["hmac"]}})
    settings = Settings(TABLES, PREFIX, 30, region="us-east-1")
    queue = DeliveryQueue(queue_url, boto3.client("sqs", region_name="us-east-1"))
    return Route(Verifier(settings, queue, SecretReader(PREFIX, region="us-east-1"), clock), queue_url, clock)


def ticket_body(ticket_id: int = 123, event: str = "zen:event-type:ticket.updated") -> bytes:
    return json.dumps({"type": event, "detail": {"id": ticket_id, "subject": "Invoice question"}}).encode()


def test_each_sender_verifies_by_its_own_rules_on_the_one_route(route: Route) -> None:
    body = ticket_body()
    assert route.receive("helpdesk", body, zendesk_headers(body, iso(route.clock()))) == 202
    (message,) = route.enqueued()
    assert message == {
        "connection": CONNECTION,
        "system": "helpdesk",
        "entity_type": "ticket",
        "entity_id": "123",
        "event_id": "inv-1",
    }
    # The same secret, Commerce's way (HMAC over the body alone, in x-adobe-signature): refused by the helpdesk
    # route, accepted by Commerce's.
    commerce_signed = {"x-adobe-signature": hmac_signature(body, SECRET)}
    assert route.receive("helpdesk", body, commerce_signed) == 401
    order = order_body()
    assert route.receive("commerce", order, {"x-adobe-signature": hmac_signature(order, SECRET)}) == 202
    assert [m["system"] for m in route.enqueued()] == ["commerce"]


def test_unregistered_senders_get_404_and_nothing_is_read(route: Route) -> None:
    body = ticket_body()
    assert route.receive("mailchimp", body, zendesk_headers(body, iso(route.clock()))) == 404
    assert route.enqueued() == []


def test_a_rejected_delivery_is_quarantined_under_its_sender_and_re_driven_through_its_stream(route: Route) -> None:
    body = ticket_body(ticket_id=555)
    assert route.receive("helpdesk", body, zendesk_headers(body, iso(route.clock()), secret="guessed")) == 401
    state = route.state()
    (kept,) = state.failures.pending(HELPDESK.quarantine_flow)
    assert (kept.flow, kept.stream, kept.source_system, kept.source_key) == (
        "helpdesk-webhooks",
        "ticket",
        "helpdesk",
        "555",
    )
    assert state.failures.pending(COMMERCE.quarantine_flow) == []
    (entry,) = state.audit.history("helpdesk", "ticket", "555")
    assert entry.action == "rejected"

    connection = cast(Connection, _FakeConnection(CONNECTION, state))
    report = redrive_quarantined(connection, HELPDESK)
    assert POSTING.asked == [("ticket", "555")]
    assert [(r.entity_id, r.outcome) for r in report.results] == [("555", "redriven")]
    assert report.to_dict()["tickets"] == {"created": 1}
    assert report.to_dict()["flow"] == "helpdesk-webhooks"
    assert state.failures.pending(HELPDESK.quarantine_flow) == []


def test_the_processor_posts_each_message_through_its_senders_stream(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.SENDERS, HELPDESK.system, HELPDESK)
    POSTING.runs.clear()
    POSTING.asked.clear()
    bodies = [
        QueueMessage(CONNECTION, "ticket", "77", "inv-9", system="helpdesk").to_json(),
        QueueMessage(CONNECTION, "ticket", "78", "inv-10", system="nobody").to_json(),  # unregistered: dropped
    ]
    event = {
        "Records": [
            {"messageId": f"m{i}", "receiptHandle": "r", "body": body, "attributes": {}, "messageAttributes": {},
             "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
             "awsRegion": "us-east-1"}
            for i, body in enumerate(bodies)
        ]
    }  # fmt: skip
    opened: list[str] = []

    def open_connection(name: str) -> Connection:
        opened.append(name)
        return cast(Connection, _FakeConnection(name, None))

    assert Processor(open_connection).handle(event, LocalLambdaContext("webhook-verifier")) == {"batchItemFailures": []}
    assert POSTING.asked == [("ticket", "77")]
    assert [record.key for run in POSTING.runs for record in run.posted] == ["77"]
    assert opened == [CONNECTION]


def test_a_message_from_before_the_system_field_is_commerces() -> None:
    legacy = '{"connection": "acme", "entity_type": "order", "entity_id": "42", "event_id": "e1"}'
    assert QueueMessage.from_json(legacy).system == "commerce"


def test_every_registered_sender_is_complete() -> None:
    """What a new sender must declare (a test that fails if a registered spec lacks a part)."""
    for spec in registry.senders():
        assert registry.spec_for(spec.system) is spec
        assert spec.integration
        assert spec.processed_types
        assert spec.secret
        assert callable(spec.read_delivery)
        posting = spec.posting()
        assert posting.noun
        assert callable(posting.open_run)
        assert callable(posting.sources)


@dataclass
class _FakeConnection:
    name: str
    state: ConnectionState | None
