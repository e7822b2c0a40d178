"""The destination ids of the records one stream wrote, for the streams that link to them (a contact to its
account, a user to its organization): this run's writes first, then the stream's links (one BatchGetItem per
100 keys), so a run never reads back what it has just written."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from mlconnector.state.links import LinkStore


@dataclass
class DestinationIds:
    links: LinkStore
    flow: str
    stream: str
    written: dict[str, str] = field(default_factory=dict)
    """Source key -> destination id of what this run wrote (the writer fills it)."""

    def resolve(self, keys: Collection[str]) -> dict[str, str]:
        """The destination id of each key that has one (keys never written are absent)."""
        found = {key: self.written[key] for key in keys if key in self.written}
        rest = [key for key in keys if key not in found]
        for key, link in self.links.get_many(self.flow, self.stream, rest).items():
            if link.destination_id is not None:
                found[key] = link.destination_id
        return found
