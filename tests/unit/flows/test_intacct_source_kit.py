"""The Intacct-source kit's custom fields: lookups select what they read, in the client's one record shape."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from mlconnector.config import ConfigurationError
from mlconnector.engine.records import MappingError, SourceRecord
from mlconnector.flows.intacct_source.custom_fields import (
    custom_values,
    is_source,
    load_lookup_tables,
    lookups,
    select_with,
)


@dataclass
class Page:
    records: list[dict[str, Any]]


@dataclass
class FakeIntacct:
    rows: dict[str, list[dict[str, Any]]]
    asked: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def query_pages(self, obj: str, fields: Sequence[str]) -> Iterator[Page]:
        self.asked.append((obj, tuple(fields)))
        yield Page(self.rows[obj])


SOURCES = {"apTitle": "GLACCOUNT[APACCOUNT].TITLE", "ownerEmail": "CUSTOMER[PARENTID].DISPLAYCONTACT.EMAIL1"}


def test_a_lookup_selects_the_whole_attribute_path_and_reads_it_flat() -> None:
    intacct = FakeIntacct(
        {
            "GLACCOUNT": [{"RECORDNO": "1", "ACCOUNTNO": "2000", "TITLE": "Accounts Payable"}],
            "CUSTOMER": [{"RECORDNO": "9", "CUSTOMERID": "C1", "DISPLAYCONTACT.EMAIL1": "ap@c1.example"}],
        }
    )
    tables = load_lookup_tables(intacct, lookups(SOURCES.values()))  # type: ignore[arg-type]
    assert dict(intacct.asked)["CUSTOMER"] == ("CUSTOMERID", "DISPLAYCONTACT.EMAIL1", "RECORDNO")
    record = SourceRecord("V1", {"APACCOUNT": "2000", "PARENTID": "C1"})
    assert custom_values(record, SOURCES, tables) == {"apTitle": "Accounts Payable", "ownerEmail": "ap@c1.example"}


def test_a_key_naming_nothing_fails_the_record_and_an_empty_key_maps_to_none() -> None:
    tables = {"GLACCOUNT": {"2000": {"TITLE": "AP"}}}
    with pytest.raises(MappingError, match="APACCOUNT '9999' names no GLACCOUNT"):
        custom_values(SourceRecord("V1", {"APACCOUNT": "9999"}), {"t": "GLACCOUNT[APACCOUNT].TITLE"}, tables)
    assert custom_values(SourceRecord("V2", {"APACCOUNT": ""}), {"t": "GLACCOUNT[APACCOUNT].TITLE"}, tables) == {
        "t": None
    }


def test_sources_are_fields_or_known_lookups() -> None:
    assert is_source("DISPLAYCONTACT.MAILADDRESS.CITY")
    assert not is_source("not a field")
    with pytest.raises(ConfigurationError, match="VENDOR is not one of"):
        is_source("VENDOR[PARENTID].NAME")
    assert select_with(("VENDORID",), SOURCES.values()) == ("VENDORID", "APACCOUNT", "PARENTID")
