"""The Commerce webhook verifier: verify the signature over the raw body, deduplicate by event id, enqueue the
delivery's claim to SQS. A rejected delivery gets 401, an audit entry and a quarantine record (re-driven by
`mlc replay`, see redrive.py).

Deduplication state lives in the StateTable (pk `WEBHOOK#<connection>#commerce`, sk = Powertools' hashed key,
TTL on `expires_at`): no extra table, key, backup or IAM grant, and a connection's records stay in its partition.

It imports no flow: a cold verifier loads what verifying and enqueueing need, nothing more.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import boto3
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from mlconnector.config import ConfigurationError, SecretReader, Settings, check_connection_name
from mlconnector.connection import Connection
from mlconnector.engine.observability import logger
from mlconnector.state import ConnectionState
from mlconnector.state.audit import AuditEntry
from mlconnector.state.failures import Failure
from mlconnector.webhooks.commerce_delivery import Delivery, DeliveryError, claimed_entity_id, parse_delivery
from mlconnector.webhooks.config import WebhookConfig, WebhookConfigError, WebhookSecrets
from mlconnector.webhooks.gateway import MalformedEventError, raw_body
from mlconnector.webhooks.queue import PROCESSED_TYPES, DeliveryQueue, QueueMessage
from mlconnector.webhooks.verification import Rejected, RejectReason, Verified, verify_delivery

WEBHOOK_SECRET_SYSTEM = "commerce-webhook"  # noqa: S105 - a secret name's system part, not a secret
QUARANTINE_FLOW = "commerce-webhooks"
"""Rejected deliveries: audited and kept (stream = entity type, key = claimed entity id) for a re-drive by id."""
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


def http_response(status: int, outcome: str) -> dict[str, Any]:
    """A short JSON answer: the sender learns the outcome, never why a signature failed."""
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"status": outcome}),
    }


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
