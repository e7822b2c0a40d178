"""Customers in hierarchy order: every parent before its children, so an Account's Parent_Account exists in Zoho
by the time the child is written.

The reader collects what changed (a first sync: every customer), then orders it by depth within that set: a root,
or a customer whose parent is not in the set (already in Zoho, or never coming), is depth 0; a child is one deeper
than its parent. The engine writes batches in that order, so a parent written earlier in the run is known to the
writer when its children come, across pages. Customers on a cycle of PARENTIDs carry CYCLE in their data (the
mapping fails them naming the cycle); nothing loops on them. Only the last page carries the cursor: an earlier
one would skip the records ordered after it if the run stopped there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import batched
from typing import ClassVar

from mlconnector.engine.records import Page, SourceRecord
from mlconnector.flows.fields import field
from mlconnector.systems.intacct.reader import IntacctReader

CYCLE = "__cycle__"
"""Key in the data of a customer whose PARENTID chain loops: the chain, e.g. "C1 -> C2 -> C1"."""


@dataclass
class ParentsFirst:
    """An engine Reader of an Intacct object with a parent field, in parent-first order."""

    system: ClassVar[str] = "intacct"
    reader: IntacctReader
    parent_field: str = "PARENTID"
    page_size: int = 2000

    @property
    def object(self) -> str:
        return self.reader.object

    def pages(self, since: str | None) -> Iterator[Page]:
        records: list[SourceRecord] = []
        cursor = since
        for page in self.reader.pages(since):
            records.extend(page.records)
            cursor = page.cursor or cursor
        ordered = parents_first(records, self.parent_field)
        chunks = list(batched(ordered, self.page_size, strict=False)) or [()]
        for index, chunk in enumerate(chunks):
            yield Page(list(chunk), cursor if index == len(chunks) - 1 else None)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        return parents_first(self.reader.fetch(keys), self.parent_field)


def parents_first(records: Sequence[SourceRecord], parent_field: str = "PARENTID") -> list[SourceRecord]:
    """The records ordered by depth within this set (stable within a depth); those on a cycle marked with CYCLE."""
    by_key = {record.key: record for record in records}
    parents = {record.key: field(record.data, parent_field) for record in records}
    depth: dict[str, int] = {}
    cycles: dict[str, str] = {}
    for key in by_key:
        _depth(key, parents, by_key, depth, cycles)
    ordered = sorted(records, key=lambda r: depth[r.key])
    return [replace(r, data={**r.data, CYCLE: cycles[r.key]}) if r.key in cycles else r for r in ordered]


def _depth(
    key: str,
    parents: Mapping[str, str | None],
    by_key: Mapping[str, SourceRecord],
    depth: dict[str, int],
    cycles: dict[str, str],
) -> int:
    """Iterative walk up the chain (hierarchies can be deep); a chain that meets itself is a cycle."""
    chain: list[str] = []
    node: str | None = key
    while node is not None and node in by_key and node not in depth:
        if node in chain:
            loop = chain[chain.index(node) :]
            for member in loop:
                cycles[member] = " -> ".join([*loop[loop.index(member) :], *loop[: loop.index(member)], member])
                depth[member] = 0
            break
        chain.append(node)
        node = parents.get(node)
    base = depth.get(node, -1) if node is not None and node in by_key else -1
    for member in reversed(chain):
        if member not in depth:
            base += 1
            depth[member] = base
        else:
            base = depth[member]
    return depth[key]
