"""The poller's event: the schedule's Input, {"integration": ..., "connection": ..., "dry_run": ...}."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlconnector.config import ConfigurationError, check_connection_name
from mlconnector.flows.registry import get_integration


@dataclass(frozen=True)
class PollRequest:
    integration: str
    connection: str
    dry_run: bool = False

    @classmethod
    def parse(cls, event: Mapping[str, Any]) -> PollRequest:
        if not isinstance(event, Mapping):
            raise ConfigurationError("poller event must be a JSON object with integration and connection")
        integration = event.get("integration")
        if not isinstance(integration, str):
            raise ConfigurationError("poller event has no integration name")
        get_integration(integration)
        connection = event.get("connection", "default")
        if not isinstance(connection, str):
            raise ConfigurationError("poller event's connection must be a string")
        dry_run = event.get("dry_run", False)
        if not isinstance(dry_run, bool):
            raise ConfigurationError("poller event's dry_run must be true or false")
        return cls(integration, check_connection_name(connection), dry_run)
