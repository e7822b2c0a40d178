"""The connection's e-commerce store: created if missing, never re-bound, and its backfill flag (is_syncing).

While is_syncing is on, Mailchimp's order automations send nothing: a backfill of old bills must not email
vendors order confirmations or invoices. The flag is turned on before the first order of a backfill is written
and off by the flow's finish step, once every stream finished. A run that dies leaves it on; the next run sees
it on at its start and turns it off when it finishes.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlconnector.config import ConfigurationError
from mlconnector.engine.observability import logger
from mlconnector.flows.intacct_mailchimp.config import StoreConfig
from mlconnector.systems.mailchimp.client import MailchimpClient


@dataclass
class StoreGuard:
    client: MailchimpClient
    config: StoreConfig
    list_id: str
    read_only: bool = False
    syncing: bool = False
    """Whether the store's is_syncing is on (as read at the start of the run, then as this run set it)."""

    def ensure(self) -> None:
        """Preflight: the store exists and is bound to the configured audience."""
        store = self.client.store(self.config.id)
        if store is None:
            if self.read_only:
                return
            body = {
                "id": self.config.id,
                "list_id": self.list_id,
                "name": self.config.name,
                "currency_code": self.config.currency_code,
                "is_syncing": False,
            }
            if self.config.domain:
                body["domain"] = self.config.domain
            self.client.create_store(body)
            logger.info("Mailchimp store created", extra={"store": self.config.id, "audience": self.list_id})
            return
        bound = store.get("list_id")
        if bound != self.list_id:
            raise ConfigurationError(
                f"Mailchimp store {self.config.id!r} is bound to audience {bound!r}, not {self.list_id!r} (a store "
                "never changes audience): set store.id in the Mailchimp secret to a new store id"
            )
        self.syncing = bool(store.get("is_syncing"))

    def begin_backfill(self) -> None:
        if not self.syncing and not self.read_only:
            self.client.update_store(self.config.id, {"is_syncing": True})
            self.syncing = True

    def finish(self) -> None:
        """Finish step: the backfill is over (this run's, or one a dead run left on)."""
        if self.syncing and not self.read_only:
            self.client.update_store(self.config.id, {"is_syncing": False})
            self.syncing = False
