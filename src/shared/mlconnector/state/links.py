"""Links: for each source record, the destination id and the hash of the payload last written.

An unchanged record (same hash) costs no destination call and no write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mlconnector.state import keys
from mlconnector.state.background import BackgroundWrites
from mlconnector.state.clock import Clock, system_clock
from mlconnector.state.models import LinkItem


@dataclass(frozen=True)
class Link:
    source_key: str
    destination_id: str | None
    content_hash: str


class LinkStore:
    def __init__(self, connection: str, clock: Clock = system_clock) -> None:
        self.connection = connection
        self._clock = clock

    def get_many(self, flow: str, stream: str, source_keys: Iterable[str]) -> dict[str, Link]:
        """One BatchGetItem per 100 keys (DynamoDB's limit; pynamodb chunks)."""
        pk = keys.link_pk(self.connection, flow, stream)
        wanted = sorted(set(source_keys))
        if not wanted:
            return {}
        return {
            item.sk: Link(item.sk, item.destination_id, item.content_hash)
            for item in LinkItem.batch_get([(pk, key) for key in wanted])
        }

    def put_many(
        self,
        flow: str,
        stream: str,
        links: Sequence[Link],
        run_id: str,
        *,
        background: BackgroundWrites | None = None,
        tag: int = 0,
    ) -> None:
        """BatchWriteItem in chunks of 25 (DynamoDB's limit; pynamodb chunks and retries unprocessed items); with
        `background`, in its worker threads (durable once its `wait` covers `tag`)."""
        if not links:
            return
        pk = keys.link_pk(self.connection, flow, stream)
        now = self._clock()
        items = [
            LinkItem(
                pk,
                link.source_key,
                destination_id=link.destination_id,
                content_hash=link.content_hash,
                run_id=run_id,
                updated_at=now,
            )
            for link in links
        ]
        if background is not None:
            background.save(LinkItem, items, tag=tag, keys={link.source_key for link in links})
            return
        with LinkItem.batch_write() as batch:
            for item in items:
                batch.save(item)

    def all(self, flow: str, stream: str) -> dict[str, Link]:
        """Every link of a stream (one Query, paged by pynamodb): only for small namespaces."""
        pk = keys.link_pk(self.connection, flow, stream)
        return {item.sk: Link(item.sk, item.destination_id, item.content_hash) for item in LinkItem.query(pk)}

    def delete_many(self, flow: str, stream: str, source_keys: Iterable[str]) -> None:
        pk = keys.link_pk(self.connection, flow, stream)
        with LinkItem.batch_write() as batch:
            for key in sorted(set(source_keys)):
                batch.delete(LinkItem(pk, key))

    def get(self, flow: str, stream: str, source_key: str) -> Link | None:
        return self.get_many(flow, stream, [source_key]).get(source_key)
