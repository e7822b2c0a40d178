"""One owner per destination key: when several source records map to one destination record (the contacts of
two vendors sharing an email, and Marketo leads keyed by email), exactly one of them writes it. (Mailchimp
members merge every claimant of an email instead: flows/intacct_mailchimp/member_source.py reads by email.)

The rule is deterministic and the same in every run, so the destination record never flip-flops: among every
source record that claims the value (not only those read in this run), the claim of the lowest rank wins. The
others are skipped with a reason that names the winner; the audit keeps it (`mlc audit --key`).

It works as a reader wrapped around the stream's reader, so mappings stay pure:
- For each page, the claims on the page's values are looked up in the source (`ClaimIndex`): a query for the
  page's values, or the whole index once per run on a first sync (every record is read then anyway) or a page
  too large for value queries.
- Losers carry the winner's label in their data under `OWNER`; `owned()` turns that into a skip before the
  mapping runs. A value's other claimants join the page (a loser as its bare claim, a new winner read in full),
  so a record that takes a value from another, or gives one up, moves the destination record in the same run.
  A claimant whose decision did not change hashes the same as before and costs nothing.
- Winners of shared values are remembered between runs (`OwnerBook`): a winner that changes its value gives up
  the old one, and the old value's next claimant takes over although only the winner was read.

Left as is: a winner deleted in the source keeps its value until a claimant of it changes (deletions are not
visible to an incremental read).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mlconnector.engine.flow import Mapping_
from mlconnector.engine.ports import Reader
from mlconnector.engine.records import Page, SkipRecord, SourceRecord
from mlconnector.state.links import Link, LinkStore

OWNER = "__owner__"
"""Key in a losing record's data: the label of the claim that owns the value."""


@dataclass(frozen=True)
class Claim:
    key: str
    """The source record's key."""
    value: str
    """The destination key it maps to, normalised (a lower-cased email)."""
    rank: tuple[str, ...]
    """Lowest wins (e.g. VENDORID, then CONTACTNAME)."""
    label: str
    """How the skip reason names it: "CONTACT Jane Doe of vendor V100"."""


class ClaimIndex(Protocol):
    def claims(self, values: Collection[str] | None) -> list[Claim]:
        """Every source record's claim on these values, as the source has them now; None: on every value."""
        ...


def owned(mapping: Mapping_, reason: str) -> Mapping_:
    """The mapping, for records that own their value. A loser is skipped: `reason` names the winner and the rule,
    e.g. "its email belongs to {winner}'s lead (the lowest VENDORID wins)"."""

    def checked(record: SourceRecord) -> dict[str, Any]:
        winner = record.data.get(OWNER)
        if winner is not None:
            raise SkipRecord(reason.format(winner=winner))
        return mapping(record)

    return checked


@dataclass
class OwnerBook:
    """Winners of shared values (winner key -> value), kept between runs as links of their own namespace:
    a handful of items, loaded with one Query per run and written only when an owner changes."""

    links: LinkStore
    flow: str
    namespace: str
    persist: bool = True
    """False for a dry run: changes stay in memory."""
    _owners: dict[str, str] | None = field(default=None, init=False)

    def owners(self) -> dict[str, str]:
        if self._owners is None:
            stored = self.links.all(self.flow, self.namespace)
            self._owners = {key: link.destination_id or "" for key, link in stored.items()}
        return self._owners

    def update(self, won: Mapping[str, str], lost: Collection[str], run_id: str = "owners") -> None:
        owners = self.owners()
        won = {k: v for k, v in won.items() if owners.get(k) != v}
        lost = [k for k in lost if k in owners and k not in won]
        owners.update(won)
        for key in lost:
            del owners[key]
        if self.persist and won:
            self.links.put_many(self.flow, self.namespace, [Link(k, v, "owner") for k, v in won.items()], run_id)
        if self.persist and lost:
            self.links.delete_many(self.flow, self.namespace, lost)


@dataclass
class OneOwnerPerValue:
    """A Reader: the wrapped reader's pages, decided so that each value has one owner."""

    reader: Reader
    index: ClaimIndex
    claim_of: Callable[[SourceRecord], Claim | None]
    book: OwnerBook
    full_scan_above: int = 500
    """A page with more distinct values than this reads the whole index once (cheaper than value queries)."""
    _everything: list[Claim] | None = field(default=None, init=False)
    _said: dict[str, str | None] = field(default_factory=dict, init=False)
    """This run's decisions so far (key -> the owner's label for a loser, None for an owner): a claimant is added
    to a later page only when its decision changed, so each record is decided once per run unless it must move
    (and a dry run counts what the real run does)."""

    @property
    def system(self) -> str:
        return str(getattr(self.reader, "system", ""))

    @property
    def object(self) -> str:
        return str(getattr(self.reader, "object", ""))

    def pages(self, since: str | None) -> Iterator[Page]:
        self._everything, self._said = None, {}
        for page in self.reader.pages(since):
            yield Page(self._decide(page.records, first_sync=since is None), page.cursor)

    def fetch(self, keys: Sequence[str]) -> list[SourceRecord]:
        self._said = {}
        return self._decide(self.reader.fetch(keys), first_sync=False)

    def _decide(self, records: Sequence[SourceRecord], *, first_sync: bool) -> list[SourceRecord]:
        mine = {r.key: c for r in records if (c := self.claim_of(r)) is not None}
        owners = self.book.owners()
        given_up = {owners[r.key] for r in records if r.key in owners}  # values these owners held
        values = {c.value for c in mine.values()} | given_up
        if not values:
            return list(records)
        page_keys = {r.key for r in records}
        groups = self._groups(values, mine, page_keys, full=first_sync)
        winners = {value: min(group, key=lambda c: (c.rank, c.key)) for value, group in groups.items()}
        shared = {value for value, group in groups.items() if len(group) > 1}
        losers = {c.key: winners[v].label for v in shared for c in groups[v] if c.key != winners[v].key}
        decided = [
            SourceRecord(r.key, {**r.data, OWNER: losers[r.key]}, r.warnings) if r.key in losers else r
            for r in records
            if not (r.key in losers and self._said.get(r.key, "") == losers[r.key])  # already skipped in this run
        ]
        extra_losers = [
            SourceRecord(key, {OWNER: label})
            for key, label in losers.items()
            if key not in page_keys and self._said.get(key, "") != label
        ]
        # An owner outside the page is read in full when it takes a value over (a shared value it did not own, or
        # one another record gave up: it was skipped until now). Not on a first sync: every record comes anyway.
        taken_over = shared | {v for v in owners.values() if v in values}
        new_owners = [
            w.key
            for v, w in winners.items()
            if v in taken_over and w.key not in page_keys and owners.get(w.key) != v and w.key not in self._said
        ]
        fetched = self.reader.fetch(new_owners) if new_owners and not first_sync else []
        self._said.update({r.key: losers.get(r.key) for r in [*decided, *extra_losers, *fetched]})
        won = {winners[v].key: v for v in shared}
        lost = [key for key, value in owners.items() if value in values and won.get(key) != value]
        self.book.update(won, lost)
        return [*decided, *extra_losers, *fetched]

    def _groups(
        self, values: set[str], mine: Mapping[str, Claim], page_keys: set[str], *, full: bool
    ) -> dict[str, list[Claim]]:
        """The claims on `values`: the source's, with this page's records as they are now."""
        if full or len(values) > self.full_scan_above or self._everything is not None:
            if self._everything is None:
                self._everything = self.index.claims(None)
            found = [c for c in self._everything if c.value in values]
        else:
            found = self.index.claims(values)
        groups: dict[str, list[Claim]] = {}
        for claim in [*(c for c in found if c.key not in page_keys), *mine.values()]:
            if claim.value in values:
                groups.setdefault(claim.value, []).append(claim)
        return groups
