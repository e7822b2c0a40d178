"""What the Commerce webhook Lambdas do: the verifier (verify, dedupe, enqueue) and the processor (post each order
or invoice through the same engine path as the poller).

With bills from orders an order delivery posts that order and an invoice delivery its order; with bills from
invoices (posting bill_source = "invoices") an invoice delivery posts that invoice and an order delivery each of
the order's invoices (see `bill_sources`).

Schedule and webhooks together post once: the processor runs its records through the bills stream's `StreamRun`,
so the link check, hash-skip, audit and the bill's deterministic controlid are the poller's own. No lease is
taken: a webhook must not wait for (or block) a 15-minute poll, and two writers of one order are already safe
(a repeated controlid or RECORDID is refused by Intacct and read back, see flows/commerce_intacct/bills.py).

Deduplication state lives in the StateTable (pk `WEBHOOK#<connection>#commerce`, sk = Powertools' hashed key,
TTL on `expires_at`): no extra table, key, backup or IAM grant, and a connection's records stay in its partition.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import boto3
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from mlconnector.config import ConfigurationError, SecretReader, Settings, check_connection_name
from mlconnector.connection import Connection
from mlconnector.engine.flow import Stream
from mlconnector.engine.observability import logger
from mlconnector.engine.pipeline import StreamRun
from mlconnector.engine.records import Action, Outcome, SourceRecord
from mlconnector.engine.report import RunReport
from mlconnector.flows.commerce_intacct import flow as commerce_intacct
from mlconnector.flows.commerce_intacct.invoice_reader import InvoiceReader
from mlconnector.state import ConnectionState
from mlconnector.state.audit import AuditEntry
from mlconnector.state.clock import iso_utc
from mlconnector.state.failures import Failure
from mlconnector.systems.commerce import CommerceReader
from mlconnector.webhooks.commerce_delivery import Delivery, DeliveryError, claimed_entity_id, parse_delivery
from mlconnector.webhooks.config import WebhookConfig, WebhookConfigError, WebhookSecrets
from mlconnector.webhooks.gateway import MalformedEventError, raw_body
from mlconnector.webhooks.verification import Rejected, RejectReason, Verified, verify_delivery

QUEUE_URL_VARIABLE = "MLC_WEBHOOK_QUEUE_URL"
WEBHOOK_SECRET_SYSTEM = "commerce-webhook"  # noqa: S105 - a secret name's system part, not a secret
QUARANTINE_FLOW = "commerce-webhooks"
"""Rejected deliveries: audited and kept (stream = entity type, key = claimed entity id) for a re-drive by id."""
PROCESSED_TYPES = frozenset({"order", "invoice"})
"""Entity types with a stream to post through; others are acknowledged and ignored. What an order or an invoice
posts depends on the connection's bills stream (posting bill_source): see `bill_sources`."""
DEDUPE_SECONDS = 86_400
"""How long an event id is remembered. Later redeliveries are still harmless: the engine's hash-skip stops them."""
REREAD_AFTER_SECONDS = 5.0
"""A signature that fails against key material kept longer than this re-reads the secret once: it may have been
rotated, and a rotation must not reject good deliveries until the cache expires."""
REREAD_EVERY_SECONDS = 30.0
"""At most one such re-read per this many seconds (per container), however many forged deliveries arrive."""
_KEY_REASONS = frozenset({RejectReason.MISSING_SIGNATURE, RejectReason.BAD_SIGNATURE})
"""Rejections a changed secret can explain (new key material, or new schemes and header names)."""

Clock = Callable[[], float]


class MessageError(ValueError):
    """A queue message is not what the verifier sends (never retried: it would fail the same way)."""


@dataclass(frozen=True)
class QueueMessage:
    """What the verifier enqueues: the delivery's claim, never its body (the processor fetches the truth)."""

    connection: str
    entity_type: str
    entity_id: str
    event_id: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> QueueMessage:
        try:
            data = json.loads(text)
            message = cls(**{k: str(data[k]) for k in ("connection", "entity_type", "entity_id", "event_id")})
        except (ValueError, TypeError, KeyError):
            raise MessageError("the queue message is not a webhook delivery message") from None
        check_connection_name(message.connection)
        return message


def webhook_settings(secret: Mapping[str, Any]) -> tuple[WebhookConfig, WebhookSecrets]:
    """The route's settings and key material from the `commerce-webhook` secret:
    `{"public_key_pem": ..., "hmac_secret": ..., "settings": {"schemes": ["rsa"], "hmac_header": ..., ...}}`.
    `settings` takes WebhookConfig's fields; an unknown one is a configuration error."""
    raw = dict(secret.get("settings") or {})
    if "schemes" in raw:
        raw["schemes"] = tuple(raw["schemes"])
    try:
        config = WebhookConfig(**raw)
    except TypeError:
        raise WebhookConfigError("the webhook secret's settings hold an unknown key") from None
    keys = WebhookSecrets(
        hmac_secret=secret.get("hmac_secret") or None, public_key_pem=secret.get("public_key_pem") or None
    )
    keys.require_for(config.schemes)
    return config, keys


def queue_url_from_env(env: Mapping[str, str] | None = None) -> str:
    url = (os.environ if env is None else env).get(QUEUE_URL_VARIABLE, "").strip()
    if not url:
        raise ConfigurationError(f"environment variable {QUEUE_URL_VARIABLE} is not set (template.yaml sets it)")
    return url


@dataclass
class DeliveryQueue:
    url: str
    client: Any = None

    def send(self, message: QueueMessage) -> str:
        if self.client is None:
            self.client = boto3.client("sqs")
        response = self.client.send_message(QueueUrl=self.url, MessageBody=message.to_json())
        return str(response["MessageId"])


def http_response(status: int, outcome: str) -> dict[str, Any]:
    """A short JSON answer: the sender learns the outcome, never why a signature failed."""
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"status": outcome}),
    }


# ---------------------------------------------------------------------------------------------- verifier


@dataclass
class Verifier:
    settings: Settings
    queue: DeliveryQueue
    secrets: SecretReader | None = None
    """Kept by a warm container (SecretReader.for_container); None reads the secret afresh per delivery."""
    clock: Clock = time.time
    dynamodb: Any = None
    """The client the idempotency layer uses (built from the settings' region when None)."""
    reread_after_seconds: float = REREAD_AFTER_SECONDS
    reread_every_seconds: float = REREAD_EVERY_SECONDS

    def handle(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        name = _path_connection(event)
        if name is None:
            return http_response(404, "unknown connection")
        connection = Connection.open(name, self.settings, secrets=self.secrets, clock=self.clock)
        request_id = str(getattr(context, "aws_request_id", "") or uuid.uuid4().hex[:16])
        try:
            verdict = self._verify(connection.secrets, name, event)
        except (ConfigurationError, WebhookConfigError) as error:  # ours to fix, not the sender's
            logger.error("webhook route is not configured", extra={"connection": name, "reason": str(error)})
            return http_response(503, "not configured")
        if isinstance(verdict, Rejected):
            _reject(connection.state, request_id, verdict, _raw_body_or_empty(event))
            return http_response(verdict.http_status, "rejected")
        return self._accept(connection.name, verdict.payload, context)

    def _verify(self, secrets: SecretReader, connection: str, event: Mapping[str, Any]) -> Verified | Rejected:
        """Verify against the kept secret; when that rejects the signature, re-read the secret (rate-limited) and,
        if it changed, verify once more."""
        secret = secrets.get(connection, WEBHOOK_SECRET_SYSTEM)
        verdict = verify_delivery(event, *webhook_settings(secret), now=self.clock())
        if not (isinstance(verdict, Rejected) and verdict.reason in _KEY_REASONS):
            return verdict
        fresh = secrets.reread(
            connection,
            WEBHOOK_SECRET_SYSTEM,
            older_than=self.reread_after_seconds,
            not_within=self.reread_every_seconds,
        )
        if fresh is None or fresh == secret:
            return verdict
        logger.info("webhook secret changed since it was read; verifying again", extra={"connection": connection})
        return verify_delivery(event, *webhook_settings(fresh), now=self.clock())

    def _accept(self, connection: str, payload: Mapping[str, Any], context: Any) -> dict[str, Any]:
        try:
            delivery = parse_delivery(payload)
        except DeliveryError as error:
            logger.warning("verified delivery is unusable", extra={"connection": connection, "reason": str(error)})
            return http_response(400, "unusable")
        if delivery.entity_type not in PROCESSED_TYPES:
            logger.info("delivery ignored", extra={"connection": connection, "entity_type": delivery.entity_type})
            return http_response(202, "ignored")
        try:
            self._enqueue_once(connection, delivery, context)
        except IdempotencyAlreadyInProgressError:
            return http_response(409, "in progress")  # the first copy is still being enqueued; retry later
        return http_response(202, "accepted")

    def _enqueue_once(self, connection: str, delivery: Delivery, context: Any) -> None:
        config = IdempotencyConfig(
            event_key_jmespath="event_id", raise_on_no_idempotency_key=True, expires_after_seconds=DEDUPE_SECONDS
        )
        if context is not None:
            config.register_lambda_context(context)  # a timed-out attempt's record expires with the invocation
        persistence = DynamoDBPersistenceLayer(
            table_name=self.settings.tables.state,
            key_attr="pk",
            sort_key_attr="sk",
            static_pk_value=f"WEBHOOK#{connection}#commerce",
            expiry_attr="expires_at",
            boto3_client=self.dynamodb or boto3.client("dynamodb", region_name=self.settings.region),
        )
        message = QueueMessage(connection, delivery.entity_type, delivery.entity_id, delivery.event_id)
        queue = self.queue

        def send(message: dict[str, str]) -> dict[str, str]:
            return {"message_id": queue.send(QueueMessage(**message))}

        enqueue: Callable[..., dict[str, str]] = idempotent_function(
            send, data_keyword_argument="message", persistence_store=persistence, config=config
        )
        enqueue(message=asdict(message))


def _reject(state: ConnectionState, request_id: str, verdict: Rejected, body: bytes) -> None:
    """Audit the refusal and quarantine the claimed entity, so an operator can re-drive it by id."""
    claimed = claimed_entity_id(body)
    entity_type = _claimed_type(body) if claimed else None
    reason = f"{verdict.reason.value}: {verdict.detail}"
    logger.warning("webhook rejected", extra={"reason": reason, "claimed_entity_id": claimed})
    stream = entity_type or "unknown"
    state.audit.record(
        [
            AuditEntry(
                run_id=request_id,
                flow=QUARANTINE_FLOW,
                stream=stream,
                source_system="commerce",
                source_object=stream,
                source_key=claimed or "unidentified",
                destination_system="connector",
                action="rejected",
                error=reason,
            )
        ]
    )
    if claimed is not None:  # nothing to re-drive without an id
        payload = {"entity_type": stream, "entity_id": claimed, "reason": verdict.reason.value}
        state.failures.put_many(
            [Failure(QUARANTINE_FLOW, stream, "commerce", stream, claimed, reason, request_id, payload)]
        )


def _claimed_type(body: bytes) -> str | None:
    try:
        return parse_delivery(json.loads(body)).entity_type
    except (ValueError, RecursionError, TypeError, AttributeError):
        return None


def _raw_body_or_empty(event: Mapping[str, Any]) -> bytes:
    try:
        return raw_body(event)
    except MalformedEventError:
        return b""


def _path_connection(event: Mapping[str, Any]) -> str | None:
    params = event.get("pathParameters")
    value = params.get("connection") if isinstance(params, Mapping) else None
    try:
        return check_connection_name(value) if isinstance(value, str) else None
    except ConfigurationError:
        return None


# ---------------------------------------------------------------------------------------------- processor


@dataclass(frozen=True)
class BillSources:
    """What the bills stream posts for one delivered entity: records keyed as the stream's reader keys them or,
    when there is none, why (audited as skipped under `missing_key`)."""

    records: list[SourceRecord]
    why: str = ""
    missing_key: str = ""


def post_delivery(connection: Connection, message: QueueMessage, run_id: str | None = None) -> RunReport:
    """Fetch what the delivery names (the truth now, not the delivery) and run it through the bills stream.

    A record that fails is audited and kept for replay by the engine; an exception here (Commerce or Intacct
    unreachable, an unknown write outcome) is an infrastructure error and fails the queue message."""
    if message.entity_type not in PROCESSED_TYPES:
        raise MessageError(f"no stream posts {message.entity_type} deliveries")
    run = bills_run(connection, run_id or uuid.uuid4().hex[:16])
    sources = bill_sources(connection, run.stream, message.entity_type, message.entity_id)
    if sources.records:
        post_records(run, sources.records)
    else:
        run.record_outcomes([Outcome(sources.missing_key, Action.SKIPPED, error=sources.why)])
    return run.report


def post_records(run: StreamRun, records: list[SourceRecord]) -> None:
    """Run records `bill_sources` returned through the bills stream (link check, hash-skip, exactly-once post)."""
    run.process(records)
    run.flush()


def bills_run(connection: Connection, run_id: str) -> StreamRun:
    """A run of the connection's bills stream (bills from orders or from invoices), outside any scheduled run."""
    flow = commerce_intacct.build(connection)
    (stream,) = [s for s in flow.streams if s.name in commerce_intacct.BILL_STREAMS]
    report = RunReport(run_id, flow.name, connection.name, False, iso_utc(time.time()))
    return StreamRun(flow.name, stream, connection.state, run_id, False, report)


def bill_sources(connection: Connection, stream: Stream, entity_type: str, entity_id: str) -> BillSources:
    """What `stream` posts for a delivered order or invoice (by entity id), as Commerce has it now:
    - bills from orders: the order; for an invoice, the invoice's order;
    - bills from invoices: the invoice; for an order, each of its invoices (one invoices search; an order not
      invoiced yet has none, and its invoices come with their own deliveries or the next poll)."""
    commerce = connection.commerce()
    if stream.name == commerce_intacct.INVOICE_BILLS:
        reader = InvoiceReader(commerce)
        if entity_type == "invoice":
            return _found(
                reader.by_ids([entity_id]), f"invoice {entity_id} is not in Commerce", f"entity_id:{entity_id}"
            )
        invoices = reader.of_orders([entity_id])
        return _found(invoices, f"order {entity_id} has no invoices in Commerce", f"order:{entity_id}")
    order_id = entity_id
    if entity_type == "invoice":
        invoices = CommerceReader(commerce, "invoices", key_field="entity_id").fetch([entity_id])
        order_id = str(invoices[0].data.get("order_id") or "") if invoices else ""
        if not order_id:
            return BillSources([], f"invoice {entity_id} is not in Commerce", f"invoice:{entity_id}")
    by_id = CommerceReader(commerce, "orders", key_field="entity_id")
    orders = [SourceRecord(_order_key(r), r.data) for r in by_id.fetch([order_id])]
    return _found(orders, f"order {order_id} is not in Commerce", f"entity_id:{order_id}")


def _found(records: list[SourceRecord], why: str, missing_key: str) -> BillSources:
    return BillSources(records) if records else BillSources([], why, missing_key)


def _order_key(record: SourceRecord) -> str:
    """The bills stream's key (increment id), as its reader would key the same order."""
    increment_id = record.data.get("increment_id")
    return str(increment_id) if increment_id not in (None, "") else f"entity_id:{record.key}"


@dataclass
class Processor:
    open_connection: Callable[[str], Connection]

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        connections: dict[str, Connection] = {}

        def record_handler(record: SQSRecord) -> None:
            try:
                message = QueueMessage.from_json(record.body)
            except (MessageError, ConfigurationError) as error:
                logger.error("queue message dropped", extra={"message_id": record.message_id, "reason": str(error)})
                return  # acknowledged: a retry would fail the same way
            if message.connection not in connections:
                connections[message.connection] = self.open_connection(message.connection)
            report = post_delivery(connections[message.connection], message)
            logger.info("webhook processed", extra={"event_id": message.event_id, "counts": report.counts})

        processor = BatchProcessor(event_type=EventType.SQS)
        return dict(process_partial_response(event, record_handler, processor, context))
