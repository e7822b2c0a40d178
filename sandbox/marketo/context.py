"""What an operation gets (configuration, database, the call's timestamp) and what it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.marketo.codes import ApiFailure, blank, invalid_parameter
from sandbox.marketo.config import MarketoSimConfig
from sandbox.marketo.store import Database


@dataclass(frozen=True)
class ApiContext:
    config: MarketoSimConfig
    db: Database
    now: str  # this call's timestamp, e.g. 2026-01-31T12:00:00Z


@dataclass(frozen=True)
class Reply:
    result: list[dict[str, Any]]
    more: dict[str, Any] = field(default_factory=dict)  # paging members of the envelope


def batch_input(body: Mapping[str, Any], max_batch: int) -> list[Any]:
    """The ``input`` array of a write: required, at most ``max_batch`` records (else 1003)."""
    records = body.get("input")
    if records is None or records == []:
        raise ApiFailure(blank("input"))
    if not isinstance(records, list):
        raise ApiFailure(invalid_parameter("input must be an array"))
    if len(records) > max_batch:
        raise ApiFailure(invalid_parameter(f"Batch size exceeds the maximum of {max_batch} records"))
    return records


def choice(body: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = body.get(name)
    if value is None or value == "":
        return default
    if value not in allowed:
        raise ApiFailure(invalid_parameter(f"Invalid {name} '{value}'"))
    return str(value)
