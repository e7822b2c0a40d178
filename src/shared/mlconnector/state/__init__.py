"""Durable state in DynamoDB (pynamodb): tokens, cursors, leases, links, failures, audit ledger, run summaries."""

from __future__ import annotations

from dataclasses import dataclass

from mlconnector.state.audit import AuditLedger
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.cursors import CursorStore
from mlconnector.state.failures import FailureStore
from mlconnector.state.leases import LeaseStore
from mlconnector.state.links import LinkStore
from mlconnector.state.runs import RunStore
from mlconnector.state.tokens import TokenStore


@dataclass(frozen=True)
class ConnectionState:
    """Every store, scoped to one connection: nothing here can read or write another connection's items."""

    connection: str
    tokens: TokenStore
    cursors: CursorStore
    leases: LeaseStore
    links: LinkStore
    failures: FailureStore
    audit: AuditLedger
    runs: RunStore

    @classmethod
    def open(cls, connection: str, *, retention_days: int, clock: Clock = system_clock) -> ConnectionState:
        return cls(
            connection=connection,
            tokens=TokenStore(connection),
            cursors=CursorStore(connection, clock),
            leases=LeaseStore(connection, clock),
            links=LinkStore(connection, clock),
            failures=FailureStore(connection, clock),
            audit=AuditLedger(connection, retention_days, clock),
            runs=RunStore(connection, retention_days, clock),
        )
