"""Related fields in one shape, `record["DISPLAYCONTACT.EMAIL1"]`, whether the gateway sent them flat or nested."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.intacct.dotted import flatten, normalise

SELECT = ("VENDORID", "NAME", "DISPLAYCONTACT.EMAIL1", "DISPLAYCONTACT.MAILADDRESS.CITY")
FLAT: dict[str, Any] = {
    "VENDORID": "V1",
    "NAME": "Acme",
    "DISPLAYCONTACT.EMAIL1": "ap@acme.example",
    "DISPLAYCONTACT.MAILADDRESS.CITY": "Austin",
}
NESTED: dict[str, Any] = {
    "VENDORID": "V1",
    "NAME": "Acme",
    "DISPLAYCONTACT": {"EMAIL1": "ap@acme.example", "MAILADDRESS": {"CITY": "Austin"}},
}


@pytest.mark.parametrize("record", [FLAT, NESTED], ids=["flat", "nested"])
def test_a_select_list_gives_one_shape_for_both(record: dict[str, Any]) -> None:
    assert normalise(record, SELECT) == FLAT


def test_a_selected_field_missing_from_a_nested_group_is_none_not_a_group() -> None:
    record = {"VENDORID": "V1", "DISPLAYCONTACT": {"MAILADDRESS": {"CITY": "Austin"}}}
    assert normalise(record, ("VENDORID", "DISPLAYCONTACT.EMAIL1", "DISPLAYCONTACT.MAILADDRESS.CITY")) == {
        "VENDORID": "V1",
        "DISPLAYCONTACT.EMAIL1": None,
        "DISPLAYCONTACT.MAILADDRESS.CITY": "Austin",
    }


def test_a_select_of_one_deep_field_unfolds_a_group_with_a_single_child() -> None:
    record = {"DISPLAYCONTACT": {"MAILADDRESS": {"CITY": "Austin"}}}
    assert normalise(record, ("DISPLAYCONTACT.MAILADDRESS.CITY",)) == {"DISPLAYCONTACT.MAILADDRESS.CITY": "Austin"}


def test_an_empty_flat_element_stays_empty() -> None:
    assert normalise({**FLAT, "DISPLAYCONTACT.EMAIL1": ""}, SELECT)["DISPLAYCONTACT.EMAIL1"] == ""


def test_plain_selects_are_left_alone() -> None:
    record = {"VENDORID": "V1", "NAME": "Acme"}
    assert normalise(record, ("VENDORID", "NAME")) == record


@pytest.mark.parametrize("fields", [(), ("*",)])
def test_reading_everything_unfolds_related_groups_but_keeps_owned_lines(fields: tuple[str, ...]) -> None:
    one_line = {"APBILLITEM": {"ACCOUNTNO": "6000", "TRX_AMOUNT": "10"}}
    two_lines = {"APBILLITEM": [{"ACCOUNTNO": "6000"}, {"ACCOUNTNO": "6100"}]}
    record = {"RECORDNO": "5", **NESTED, "APBILLITEMS": one_line, "OTHERITEMS": two_lines}
    assert normalise(record, fields) == {"RECORDNO": "5", **FLAT, "APBILLITEMS": one_line, "OTHERITEMS": two_lines}


def test_a_written_record_flattens_to_the_shape_it_is_read_back_in() -> None:
    assert flatten(NESTED) == FLAT
