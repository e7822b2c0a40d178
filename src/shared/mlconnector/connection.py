"""The composition root for one connection: its state, its secrets, and its API clients built on first use."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlconnector.config import SecretReader, Settings, check_connection_name
from mlconnector.engine.budget import TimeBudget
from mlconnector.state import ConnectionState
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.read_only import ReadOnlyCache
from mlconnector.state.tables import bind_tables
from mlconnector.state.token_cache import StoredTokenCache
from mlconnector.systems.commerce import AccessToken as CommerceToken
from mlconnector.systems.commerce import CommerceClient, CommerceCredentials
from mlconnector.systems.commerce import TokenCache as CommerceTokenCache
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.credentials import IntacctCredentials
from mlconnector.systems.intacct.session import CachedSession, SessionCache
from mlconnector.systems.intacct.session_cache import TokenStoreSessionCache
from mlconnector.systems.marketo import AccessToken, CallBudget, MarketoClient, MarketoCredentials, TokenCache


@dataclass
class Connection:
    name: str
    settings: Settings
    state: ConnectionState
    secrets: SecretReader
    budget: TimeBudget = field(default_factory=TimeBudget.unlimited)
    read_only: bool = False
    """A dry run's connection: clients keep new sessions and tokens in memory, never in DynamoDB."""
    sleep: Callable[[float], None] = time.sleep
    """How clients wait between retries (tests record the waits instead of sleeping)."""
    monotonic: Callable[[], float] = time.monotonic
    """The clock rate limiters wait on (tests pass one that their `sleep` advances)."""
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def open(
        cls,
        name: str,
        settings: Settings,
        *,
        budget: TimeBudget | None = None,
        secrets: SecretReader | None = None,
        clock: Clock = system_clock,
        read_only: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> Connection:
        bind_tables(settings.tables, region=settings.region)
        return cls(
            name=check_connection_name(name),
            settings=settings,
            state=ConnectionState.open(name, retention_days=settings.audit_retention_days, clock=clock),
            secrets=secrets or SecretReader(settings.secret_prefix, region=settings.region),
            budget=budget or TimeBudget.unlimited(),
            read_only=read_only,
            sleep=sleep,
            monotonic=monotonic,
        )

    def intacct(self) -> IntacctClient:
        return self._client("intacct", self._new_intacct)

    def _new_intacct(self) -> IntacctClient:
        credentials = IntacctCredentials.from_secret(
            self.secrets.get(self.name, "intacct"), allowed_sandbox_hosts=self.settings.sandbox_hosts
        )
        cache: SessionCache = TokenStoreSessionCache(self.state.tokens)
        if self.read_only:
            cache = ReadOnlyCache[CachedSession](cache)
        return IntacctClient(credentials, cache, deadline=self.budget.seconds_left, sleep=self.sleep)

    def marketo(self) -> MarketoClient:
        return self._client("marketo", self._new_marketo)

    def marketo_settings(self) -> dict[str, Any]:
        """The non-secret part of the Marketo secret (custom field mapping)."""
        return dict(self.secrets.get(self.name, "marketo").get("custom_fields") or {})

    def _new_marketo(self) -> MarketoClient:
        credentials = MarketoCredentials.from_secret(
            self.secrets.get(self.name, "marketo"), allowed_sandbox_hosts=self.settings.sandbox_hosts
        )
        cache: TokenCache = StoredTokenCache(self.state.tokens, "marketo", AccessToken)
        if self.read_only:
            cache = ReadOnlyCache[AccessToken](cache)
        # One call budget per connection and run: Marketo's limits are per instance, shared by every stream.
        budget = CallBudget(clock=self.monotonic, sleep=self.sleep)
        return MarketoClient(credentials, cache, budget=budget, deadline=self.budget.seconds_left, sleep=self.sleep)

    def api_calls(self) -> dict[str, int]:
        """API calls made so far by each client this connection built."""
        return {system: int(client.calls) for system, client in self._clients.items()}

    def commerce(self) -> CommerceClient:
        return self._client("commerce", self._new_commerce)

    def commerce_settings(self) -> dict[str, Any]:
        """The non-secret part of the Commerce secret: its "posting", "adjustments" and "vendor_master" objects."""
        secret = self.secrets.get(self.name, "commerce")
        return {key: secret.get(key) or {} for key in ("posting", "adjustments", "vendor_master")}

    def _new_commerce(self) -> CommerceClient:
        credentials = CommerceCredentials.from_secret(
            self.secrets.get(self.name, "commerce"), allowed_sandbox_hosts=self.settings.sandbox_hosts
        )
        cache: CommerceTokenCache = StoredTokenCache(self.state.tokens, "commerce", CommerceToken)
        if self.read_only:
            cache = ReadOnlyCache[CommerceToken](cache)
        return CommerceClient(credentials, cache, deadline=self.budget.seconds_left, sleep=self.sleep)

    def _client[T](self, system: str, build: Callable[[], T]) -> T:
        if system not in self._clients:
            self._clients[system] = build()
        client: T = self._clients[system]
        return client
