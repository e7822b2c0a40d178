"""A flow is one or more streams run in order (e.g. companies before their leads)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlconnector.engine.ports import Reader, Writer
from mlconnector.engine.records import SourceRecord

Mapping_ = Callable[[SourceRecord], dict[str, Any]]
Notes = Callable[[], Sequence[str]]


@dataclass(frozen=True)
class Stream:
    name: str
    source_system: str
    source_object: str
    destination_system: str
    reader: Reader
    mapping: Mapping_
    # None while the destination's client does not exist yet: such a stream can only be dry-run.
    writer: Writer | None
    notes: Notes = field(default=lambda: ())
    """What the operator should know about this stream's run (e.g. where its records came from): called after
    the stream ran and copied into its StreamReport."""


@dataclass(frozen=True)
class Flow:
    name: str
    streams: Sequence[Stream]
    api_calls: Callable[[], Mapping[str, int]] = field(default=lambda: {})
