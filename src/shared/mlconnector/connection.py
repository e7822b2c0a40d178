"""The composition root for one connection: its state, its secrets, and its API clients built on first use.

Clients are built by their system's spec (systems/registry.py): `connection.client(INTACCT)` is an IntacctClient,
and a system's client module is imported only when a flow or a ping first asks for it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, overload

from mlconnector.config import SecretReader, Settings, check_connection_name
from mlconnector.engine.budget import TimeBudget
from mlconnector.state import ConnectionState
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.tables import bind_tables
from mlconnector.systems.plugin import Client, ClientContext, SystemSpec
from mlconnector.systems.registry import SYSTEMS


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
    _clients: dict[str, Client] = field(default_factory=dict, repr=False)

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

    @overload
    def client[C: Client](self, system: SystemSpec[C]) -> C: ...

    @overload
    def client(self, system: str) -> Client: ...

    def client(self, system: SystemSpec[Any] | str) -> Any:
        """This connection's client of a system (by spec, typed; or by registered name), built on first use."""
        spec = SYSTEMS[system] if isinstance(system, str) else system
        if spec.name not in self._clients:
            self._clients[spec.name] = spec.client(self._client_context(spec))
        return self._clients[spec.name]

    def secret(self, system: SystemSpec[Any] | str) -> dict[str, Any]:
        """The system's secret for this connection (a copy)."""
        return self.secrets.get(self.name, system if isinstance(system, str) else system.name)

    def options(self, system: SystemSpec[Any]) -> dict[str, Any]:
        """The non-secret part of a system's secret: each of its spec's `options` objects ({} when absent)."""
        secret = self.secret(system)
        return {key: secret.get(key) or {} for key in system.options}

    def api_calls(self) -> dict[str, int]:
        """API calls made so far by each client this connection built."""
        return {system: int(client.calls) for system, client in self._clients.items()}

    def _client_context(self, spec: SystemSpec[Any]) -> ClientContext:
        return ClientContext(
            system=spec.name,
            secret=self.secret(spec),
            sandbox_hosts=tuple(self.settings.sandbox_hosts),
            tokens=self.state.tokens,
            read_only=self.read_only,
            deadline=self.budget.seconds_left,
            sleep=self.sleep,
            monotonic=self.monotonic,
        )
