"""The links the vendor-master writers keep besides the engine's own: the mirror link in the other direction's
stream (loop prevention, see vendor_master.py) and the VendorMatcher's customer → vendor link (bills follow it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mlconnector.engine.hashing import content_hash
from mlconnector.flows.commerce_intacct.party import Party
from mlconnector.flows.intacct_destination.payee import Customer
from mlconnector.flows.intacct_destination.vendors import LINK_STREAM
from mlconnector.state.links import Link, LinkStore


def matcher_customer(customer_id: str) -> Customer:
    """The VendorMatcher's view of a registered customer (key "customer:<id>", as mapping.customer_of makes it):
    its key gives the link and the deterministic VENDORID."""
    return Customer(f"customer:{customer_id}", None, f"Customer {customer_id}")


def matcher_link(customer_id: str, vendor_id: str) -> Link:
    """Exactly the link VendorMatcher writes when it matches or creates a vendor."""
    return Link(matcher_customer(customer_id).key, vendor_id, content_hash({"vendor": vendor_id}))


def mirror_link(source_key: str, destination_id: str, as_read_back: Party) -> Link:
    """The other stream's link for a record this writer just wrote: keyed by that record as the other stream reads
    it, hashed as the other stream will map it."""
    return Link(source_key, destination_id, content_hash(as_read_back.payload()))


@dataclass(frozen=True)
class LinkBook:
    links: LinkStore
    flow: str
    mirror_stream: str
    run_id: str = ""

    def matcher_links(self, customer_ids: Iterable[str]) -> dict[str, str]:
        """Customer id → the VENDORID the VendorMatcher has for it."""
        by_id = {matcher_customer(i).key: i for i in customer_ids}
        stored = self.links.get_many(self.flow, LINK_STREAM, by_id)
        return {by_id[key]: link.destination_id for key, link in stored.items() if link.destination_id}

    def record(self, mirrors: Sequence[Link], matcher: Sequence[Link] = ()) -> None:
        self.links.put_many(self.flow, self.mirror_stream, _last_per_key(mirrors), self.run_id)
        self.links.put_many(self.flow, LINK_STREAM, _last_per_key(matcher), self.run_id)


def _last_per_key(links: Sequence[Link]) -> list[Link]:
    """A batch write may not name one key twice: the later link wins."""
    return list({link.source_key: link for link in links}.values())
