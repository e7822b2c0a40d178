"""The lead writer knows the companies this run wrote from the run: it reads back from DynamoDB only the others."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from mlconnector.engine.report import RunStatus
from mlconnector.flows.intacct_marketo.flow import COMPANIES
from mlconnector.service import sync
from mlconnector.state.links import Link, LinkStore
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration


@pytest.fixture
def company_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every read of company links, one list of keys per read."""
    reads: list[list[str]] = []
    real = LinkStore.get_many

    def get_many(self: LinkStore, flow: str, stream: str, source_keys: Iterable[str]) -> dict[str, Link]:
        keys = list(source_keys)
        if stream == COMPANIES:
            reads.append(keys)
        return real(self, flow, stream, keys)

    monkeypatch.setattr(LinkStore, "get_many", get_many)
    return reads


def test_companies_written_in_the_run_are_not_read_back(both: Stack, company_reads: list[list[str]]) -> None:
    first = sync("intacct-marketo", both.connection())
    assert first.status is RunStatus.COMPLETED, first.error
    assert first.stream("leads").counts["created"] > 0
    vendors = first.stream("companies").counts["created"]
    read = [key for keys in company_reads for key in keys]
    assert len(read) == len(set(read)) == vendors  # each vendor's link read once, by the companies stream itself

    # A contact changes, its vendor does not: its company was not written in this run, so its link is read.
    company_reads.clear()
    both.clock.advance(60)
    both.simulator.clock.advance(60)
    contact = next(c for c in both.simulator.store.all("CONTACT") if c.get("EMAIL1") and c.get("VENDORID"))
    both.simulator.update_record("CONTACT", str(contact["CONTACTNAME"]), {"FIRSTNAME": "Renamed"})
    second = sync("intacct-marketo", both.connection())
    assert second.status is RunStatus.COMPLETED, second.error
    assert second.stream("leads").counts["updated"] == 1
    assert [str(contact["VENDORID"])] in company_reads
