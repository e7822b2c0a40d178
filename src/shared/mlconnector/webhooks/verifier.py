"""The webhook verifier, for any registered sender: `POST /webhooks/{system}/{connection}` picks the sender's spec
(registry.py), verifies the signature over the raw body by the spec's strategy, deduplicates by event id and
enqueues the delivery's claim to SQS. A rejected delivery gets 401, an audit entry and a quarantine record under
the spec's quarantine flow (re-driven by `mlc replay`, see redrive.py).

Deduplication state lives in the StateTable (pk `WEBHOOK#<connection>#<system>`, sk = Powertools' hashed key,
TTL on `expires_at`): no extra table, key, backup or IAM grant, and a connection's records stay in its partition.

It imports no flow and no API client (not even connection.py): a cold verifier loads what verifying and
enqueueing need, and the spec of the sender that called, nothing more.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

import boto3
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from mlconnector.config import ConfigurationError, SecretReader, Settings, check_connection_name
from mlconnector.engine.observability import count_now, logger
from mlconnector.state import ConnectionState
from mlconnector.state.audit import AuditEntry
from mlconnector.state.failures import Failure
from mlconnector.state.tables import bind_tables
from mlconnector.webhooks.config import WebhookConfig, WebhookConfigError, WebhookSecrets
from mlconnector.webhooks.delivery import Delivery, DeliveryError, claimed_entity
from mlconnector.webhooks.gateway import MalformedEventError, headers, path_parameter, raw_body
from mlconnector.webhooks.queue import DeliveryQueue, QueueMessage
from mlconnector.webhooks.registry import UnknownSender, spec_for
from mlconnector.webhooks.spec import WebhookSpec
from mlconnector.webhooks.verification import Rejected, RejectReason, Verified, verify_delivery

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


def webhook_settings(
    secret: Mapping[str, Any], signature: WebhookConfig | None = None
) -> tuple[WebhookConfig, WebhookSecrets]:
    """The route's settings and key material from a sender's webhook secret (`commerce-webhook`, ...):
    `{"public_key_pem": ..., "hmac_secret": ..., "settings": {"schemes": ["rsa"], "hmac_header": ..., ...}}`.
    `settings` overrides fields of the sender's `signature` strategy (Commerce's when None); an unknown one is a
    configuration error."""
    raw = dict(secret.get("settings") or {})
    if "schemes" in raw:
        raw["schemes"] = tuple(raw["schemes"])
    try:
        config = replace(signature or WebhookConfig(), **raw)
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
        spec = _path_sender(event)
        if spec is None:
            return http_response(404, "unknown sender")
        name = _path_connection(event)
        if name is None:
            return http_response(404, "unknown connection")
        secrets = self.secrets or SecretReader(self.settings.secret_prefix, region=self.settings.region)
        request_id = str(getattr(context, "aws_request_id", "") or uuid.uuid4().hex[:16])
        try:
            verdict = self._verify(spec, secrets, name, event)
        except (ConfigurationError, WebhookConfigError) as error:  # ours to fix, not the sender's
            logger.error(
                "webhook route is not configured",
                extra={"system": spec.system, "connection": name, "reason": str(error)},
            )
            return http_response(503, "not configured")
        if isinstance(verdict, Rejected):
            count_now("WebhooksRejected", system=spec.system)  # first: counted even if the audit write fails
            _reject(spec, self._state(name), request_id, verdict, event)
            return http_response(verdict.http_status, "rejected")
        return self._accept(spec, name, verdict.payload, event, context)

    def _state(self, connection: str) -> ConnectionState:
        """The connection's stores (what Connection.open builds, without importing every system's client)."""
        bind_tables(self.settings.tables, region=self.settings.region)
        return ConnectionState.open(connection, retention_days=self.settings.audit_retention_days, clock=self.clock)

    def _verify(
        self, spec: WebhookSpec, secrets: SecretReader, connection: str, event: Mapping[str, Any]
    ) -> Verified | Rejected:
        """Verify against the kept secret; when that rejects the signature, re-read the secret (rate-limited) and,
        if it changed, verify once more."""
        secret = secrets.get(connection, spec.secret)
        verdict = verify_delivery(event, *webhook_settings(secret, spec.signature), now=self.clock())
        if not (isinstance(verdict, Rejected) and verdict.reason in _KEY_REASONS):
            return verdict
        fresh = secrets.reread(
            connection,
            spec.secret,
            older_than=self.reread_after_seconds,
            not_within=self.reread_every_seconds,
        )
        if fresh is None or fresh == secret:
            return verdict
        logger.info(
            "webhook secret changed since it was read; verifying again",
            extra={"system": spec.system, "connection": connection},
        )
        return verify_delivery(event, *webhook_settings(fresh, spec.signature), now=self.clock())

    def _accept(
        self, spec: WebhookSpec, connection: str, payload: Mapping[str, Any], event: Mapping[str, Any], context: Any
    ) -> dict[str, Any]:
        where = {"system": spec.system, "connection": connection}
        try:
            delivery = spec.read_delivery(payload, headers(event))
        except DeliveryError as error:
            logger.warning("verified delivery is unusable", extra={**where, "reason": str(error)})
            return http_response(400, "unusable")
        if delivery.entity_type not in spec.processed_types:
            logger.info("delivery ignored", extra={**where, "entity_type": delivery.entity_type})
            return http_response(202, "ignored")
        try:
            self._enqueue_once(spec, connection, delivery, context)
        except IdempotencyAlreadyInProgressError:
            return http_response(409, "in progress")  # the first copy is still being enqueued; retry later
        count_now("WebhooksAccepted", system=spec.system)
        return http_response(202, "accepted")

    def _enqueue_once(self, spec: WebhookSpec, connection: str, delivery: Delivery, context: Any) -> None:
        config = IdempotencyConfig(
            event_key_jmespath="event_id", raise_on_no_idempotency_key=True, expires_after_seconds=DEDUPE_SECONDS
        )
        if context is not None:
            config.register_lambda_context(context)  # a timed-out attempt's record expires with the invocation
        persistence = DynamoDBPersistenceLayer(
            table_name=self.settings.tables.state,
            key_attr="pk",
            sort_key_attr="sk",
            static_pk_value=spec.dedupe_partition(connection),
            expiry_attr="expires_at",
            boto3_client=self.dynamodb or boto3.client("dynamodb", region_name=self.settings.region),
        )
        message = QueueMessage(
            connection, delivery.entity_type, delivery.entity_id, delivery.event_id, system=spec.system
        )
        queue = self.queue

        def send(message: dict[str, str]) -> dict[str, str]:
            return {"message_id": queue.send(QueueMessage(**message))}

        enqueue: Callable[..., dict[str, str]] = idempotent_function(
            send, data_keyword_argument="message", persistence_store=persistence, config=config
        )
        enqueue(message=asdict(message))


def _reject(
    spec: WebhookSpec, state: ConnectionState, request_id: str, verdict: Rejected, event: Mapping[str, Any]
) -> None:
    """Audit the refusal and quarantine the claimed entity, so an operator can re-drive it by id."""
    claimed = claimed_entity(spec.read_delivery, _raw_body_or_empty(event), headers(event))
    entity_type, entity_id = claimed if claimed is not None else ("unknown", None)
    reason = f"{verdict.reason.value}: {verdict.detail}"
    logger.warning("webhook rejected", extra={"system": spec.system, "reason": reason, "claimed_entity_id": entity_id})
    flow = spec.quarantine_flow
    state.audit.record(
        [
            AuditEntry(
                run_id=request_id,
                flow=flow,
                stream=entity_type,
                source_system=spec.system,
                source_object=entity_type,
                source_key=entity_id or "unidentified",
                destination_system="connector",
                action="rejected",
                error=reason,
            )
        ]
    )
    if entity_id is not None:  # nothing to re-drive without an id
        payload = {"entity_type": entity_type, "entity_id": entity_id, "reason": verdict.reason.value}
        state.failures.put_many(
            [Failure(flow, entity_type, spec.system, entity_type, entity_id, reason, request_id, payload)]
        )


def _raw_body_or_empty(event: Mapping[str, Any]) -> bytes:
    try:
        return raw_body(event)
    except MalformedEventError:
        return b""


def _path_sender(event: Mapping[str, Any]) -> WebhookSpec | None:
    system = path_parameter(event, "system")
    try:
        return spec_for(system) if system is not None else None
    except UnknownSender:
        return None


def _path_connection(event: Mapping[str, Any]) -> str | None:
    value = path_parameter(event, "connection")
    try:
        return check_connection_name(value) if value is not None else None
    except ConfigurationError:
        return None
