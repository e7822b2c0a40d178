"""A flow is one or more streams, each run after the streams it depends on (companies before their leads).

Building a flow does no I/O beyond reading its configuration: what needs a system (describe calls, field-map
checks, lookup tables, guards) is a `preflight` step the runner calls inside the run, and `PlannedFlow` defers
even the build to the run, so a bad secret or an unknown field is a recorded FAILED run with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlconnector.engine.ports import Reader, Writer
from mlconnector.engine.records import SourceRecord

Mapping_ = Callable[[SourceRecord], dict[str, Any]]
Notes = Callable[[], Sequence[str]]
Preflight = Callable[[], None]
ApiCalls = Callable[[], Mapping[str, int]]


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
    depends_on: tuple[str, ...] = ()
    """Streams that must run before this one when the flow has them (a lead needs its company in Marketo first)."""

    @classmethod
    def declare(
        cls,
        name: str,
        *,
        reader: Reader,
        mapping: Mapping_,
        writer: Writer,
        depends_on: tuple[str, ...] = (),
        notes: Notes | None = None,
    ) -> Stream:
        """A stream declared by keyword. Its systems and the source object come from its reader (`system`, `object`)
        and writer (`system`), so the audit names them as the clients do."""
        return cls(
            name,
            _declared(reader, "system", name),
            _declared(reader, "object", name),
            _declared(writer, "system", name),
            reader,
            mapping,
            writer,
            notes=notes or (lambda: ()),
            depends_on=depends_on,
        )


def _declared(side: object, attribute: str, stream: str) -> str:
    value = getattr(side, attribute, None)
    if not isinstance(value, str) or not value:
        raise TypeError(f"stream {stream!r}: {type(side).__name__} declares no {attribute!r}")
    return value


@dataclass(frozen=True)
class Flow:
    name: str
    streams: Sequence[Stream]
    api_calls: ApiCalls = field(default=lambda: {})
    preflight: Sequence[Preflight] = ()
    """Checks that need a system, run inside the run after the lease: a failure stops the run as FAILED with its
    reason, recorded like any other run."""
    finish: Sequence[Preflight] = ()
    """Steps run once every stream has finished (not after a run that stopped early or failed), such as turning a
    store's backfill flag off; a failure fails the run like a preflight's."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "streams", tuple(in_dependency_order(self.streams)))


@dataclass(frozen=True)
class PlannedFlow:
    """A flow whose build runs inside the run (reading the configuration it needs, building clients)."""

    name: str
    build: Callable[[], Flow]
    api_calls: ApiCalls = field(default=lambda: {})


def in_dependency_order(streams: Sequence[Stream]) -> list[Stream]:
    """The streams, each after those it depends on; otherwise in the order given. A dependency the flow does not
    have is ignored (an optional stream switched off); a cycle is refused."""
    by_name = {stream.name: stream for stream in streams}
    ordered: list[Stream] = []
    placed: set[str] = set()
    visiting: list[str] = []

    def place(stream: Stream) -> None:
        if stream.name in placed:
            return
        if stream.name in visiting:
            cycle = " -> ".join([*visiting[visiting.index(stream.name) :], stream.name])
            raise ValueError(f"streams depend on each other in a cycle: {cycle}")
        visiting.append(stream.name)
        for name in stream.depends_on:
            if name in by_name:
                place(by_name[name])
        visiting.pop()
        placed.add(stream.name)
        ordered.append(stream)

    for stream in streams:
        place(stream)
    return ordered
