"""Per-record results, 1018, local pre-checks, body splitting, describe and envelope parsing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from mlconnector.systems.marketo.describe import parse_describe
from mlconnector.systems.marketo.envelope import parse_envelope
from mlconnector.systems.marketo.errors import ErrorDetail, ParseError
from mlconnector.systems.marketo.payload import encode_json, split_to_fit
from mlconnector.systems.marketo.records import (
    CRM_MANAGED,
    NON_ASCII_EMAIL,
    VALUE_TOO_LONG,
    RecordResult,
    company_problem,
    is_crm_managed,
    lead_problem,
    results_in_input_order,
)
from tests.unit.marketo.marketo_fakes import COMPANY_DESCRIBE, LEAD_DESCRIBE


def test_company_results_are_ordered_by_seq() -> None:
    raw = [
        {"seq": 2, "status": "skipped", "reasons": [{"code": "1036", "message": "Duplicate object found in input"}]},
        {"seq": 0, "status": "updated", "id": 1232},
        {"seq": 1, "status": "created", "id": 1323},
    ]
    results = results_in_input_order(raw, 3, by_seq=True)
    assert [(r.index, r.status, r.id) for r in results] == [
        (0, "updated", 1232),
        (1, "created", 1323),
        (2, "skipped", None),
    ]
    assert results[2].reasons == (ErrorDetail("1036", "Duplicate object found in input"),)
    assert [r.ok for r in results] == [True, True, False]


def test_lead_results_keep_input_order() -> None:
    raw: list[dict[str, Any]] = [
        {"id": 50, "status": "created"},
        {"status": "skipped", "reasons": [{"code": 1005, "message": "exists"}]},
    ]
    results = results_in_input_order(raw, 2, by_seq=False)
    assert [(r.index, r.status, r.id) for r in results] == [(0, "created", 50), (1, "skipped", None)]
    assert results[1].reason_codes == ("1005",)  # numeric codes become strings


@pytest.mark.parametrize(
    "raw",
    [
        [{"seq": 0, "status": "created"}],  # too few
        [{"seq": 0, "status": "created"}, {"seq": 0, "status": "created"}],  # repeated seq
        [{"seq": 0, "status": "created"}, {"seq": 2, "status": "created"}],  # out of range
        [{"seq": 0, "status": "created"}, {"status": "created"}],  # missing seq
        [{"seq": 0, "status": "created"}, {"seq": 1}],  # no status
    ],
)
def test_results_that_do_not_match_the_input_are_parse_errors(raw: list[dict[str, object]]) -> None:
    with pytest.raises(ParseError):
        results_in_input_order(raw, 2, by_seq=True)


def test_crm_managed_is_recognised() -> None:
    crm = RecordResult(0, "skipped", None, (ErrorDetail("1018", "CRM Enabled"),))
    other = RecordResult(1, "skipped", None, (ErrorDetail("1036", "Duplicate"),))
    assert CRM_MANAGED == "1018"
    assert is_crm_managed(crm)
    assert not is_crm_managed(other)
    assert not is_crm_managed(RecordResult(2, "created", 7))


def test_local_pre_checks() -> None:
    assert lead_problem({"email": "ap@acme.example"}) is None
    problem = lead_problem({"email": "jürgen@acme.example"})
    assert problem is not None
    assert problem.code == NON_ASCII_EMAIL
    assert company_problem({"externalCompanyId": "V" * 100}) is None
    long_id = company_problem({"externalCompanyId": "V" * 101})
    assert long_id is not None
    assert long_id.code == VALUE_TOO_LONG


def test_split_to_fit_halves_until_every_part_fits_and_reports_oversized_items() -> None:
    items = ["a" * 10, "b" * 10, "c" * 50, "d" * 10, "e" * 10]

    def size(part: Sequence[str]) -> int:
        return sum(len(i) for i in part)

    parts, oversized = split_to_fit(items, size, 30)
    assert oversized == ["c" * 50]
    assert all(size(p) <= 30 for p in parts)
    assert [i for p in parts for i in p] == [i for i in items if len(i) < 50]  # order kept
    assert split_to_fit(items, size, 1000) == ([items], [])
    assert split_to_fit([], size, 10) == ([], [])


def test_encode_json_is_compact_utf8() -> None:
    assert encode_json({"company": "Café"}) == '{"company":"Café"}'.encode()


def test_object_style_describe() -> None:
    described = parse_describe(COMPANY_DESCRIBE["result"], default_name="Company")
    assert described.name == "Company"
    assert described.dedupe_fields == ("externalCompanyId",)
    assert described.searchable_fields == (("externalCompanyId",), ("id",), ("company",))
    assert described.id_field == "id"
    assert described.fields["company"].length == 255
    assert described.fields["annualRevenue"].data_type == "currency"
    assert described.fields["id"].length is None
    assert described.updateable() == {"company", "annualRevenue"}


def test_field_per_entry_describe_for_leads() -> None:
    described = parse_describe(LEAD_DESCRIBE["result"], default_name="Lead", default_dedupe=("email",))
    assert set(described.fields) == {"email", "id"}  # the SOAP-only field is left out
    assert described.fields["email"].updateable
    assert not described.fields["id"].updateable
    assert described.dedupe_fields == ("email",)


def test_empty_describe_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_describe([], default_name="Company")


def test_envelope_fields() -> None:
    body = {
        "requestId": "e42b#1",
        "success": True,
        "result": [{"id": 1}],
        "nextPageToken": "NPT",
        "moreResult": True,
        "warnings": ["plain", {"code": 1, "message": "object"}],
    }
    envelope = parse_envelope(json.dumps(body).encode(), what="w")
    assert envelope.result == [{"id": 1}]
    assert (envelope.next_page_token, envelope.more_result, envelope.request_id) == ("NPT", True, "e42b#1")
    assert envelope.warnings == ("plain", "object")


def test_envelope_without_result_is_empty() -> None:
    envelope = parse_envelope(b'{"success": true, "warnings": ["No assets found"]}', what="w")
    assert envelope.result == []
    assert envelope.next_page_token is None


def test_failed_envelope_carries_string_codes() -> None:
    envelope = parse_envelope(b'{"success": false, "errors": [{"code": 606, "message": "Max rate"}]}', what="w")
    assert not envelope.success
    assert envelope.errors == (ErrorDetail("606", "Max rate"),)


@pytest.mark.parametrize(
    "body", [b"<html>", b"[]", b'{"result": []}', b'{"success": true, "result": {"a": 1}}', b"\xff"]
)
def test_malformed_envelopes(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_envelope(body, what="w")
