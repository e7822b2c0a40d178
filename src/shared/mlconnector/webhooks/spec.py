"""A webhook sender, declared once: everything the verifier, the processor and the re-drive need to know about it.

- `system`: the route's `{system}` segment (`POST /webhooks/{system}/{connection}`) and the audit's source system.
- `integration`: the flow whose stream posts the deliveries; `mlc replay <integration>` re-drives its quarantine.
- `signature`: the signature strategy (schemes HMAC and/or RSA, header names, what the HMAC covers, timestamps);
  the secret's `settings` may override any field for one connection.
- `read_delivery`: the claimed entity and the event id, read from a verified delivery's body and headers.
- `processed_types`: the entity types a stream posts; others are acknowledged (202) and left to the poller.
- `posting`: loads what posts a delivery (its stream's run, and what to fetch by id). Only the processor and the
  re-drive call it: the verifier never imports a flow or a client.
- the secret: `ml-connector/<stack>/<connection>/<secret_system>` (by default `<system>-webhook`), holding
  `hmac_secret` and/or `public_key_pem` and optional `settings`.

Adding a sender is one module defining `SPEC` and one line in registry.SENDERS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from mlconnector.webhooks.config import WebhookConfig
from mlconnector.webhooks.delivery import DeliveryReader

if TYPE_CHECKING:
    from mlconnector.connection import Connection
    from mlconnector.engine.pipeline import StreamRun
    from mlconnector.engine.records import SourceRecord


@dataclass(frozen=True)
class Sources:
    """What a stream posts for one delivered entity: records keyed as the stream's reader keys them or, when there
    is none, why (audited as skipped under `missing_key`)."""

    records: list[SourceRecord]
    why: str = ""
    missing_key: str = ""


class Posting(Protocol):
    """How a sender's deliveries are posted: through a stream's own pipeline, from the source's current record."""

    noun: str
    """What one posted record is called in a re-drive's detail ("bill")."""

    def open_run(self, connection: Connection, run_id: str) -> StreamRun:
        """A run of the stream that posts deliveries, outside any scheduled run (no lease)."""
        ...

    def sources(self, connection: Connection, run: StreamRun, entity_type: str, entity_id: str) -> Sources:
        """What `run`'s stream posts for the delivered entity, fetched from the source by id (never the body)."""
        ...


@dataclass(frozen=True)
class WebhookSpec:
    system: str
    integration: str
    read_delivery: DeliveryReader
    processed_types: frozenset[str]
    posting: Callable[[], Posting]
    signature: WebhookConfig = field(default_factory=WebhookConfig)
    secret_system: str = ""
    """The secret name's system part; empty means `<system>-webhook`."""

    @property
    def secret(self) -> str:
        return self.secret_system or f"{self.system}-webhook"

    @property
    def quarantine_flow(self) -> str:
        """The flow name rejected deliveries are audited and kept under (stream = entity type, key = entity id)."""
        return f"{self.system}-webhooks"

    def dedupe_partition(self, connection: str) -> str:
        """The StateTable partition of this sender's idempotency records on one connection."""
        return f"WEBHOOK#{connection}#{self.system}"
