"""The engine Reader: keyset pages on (updated_at, entity_id), the raw cursor, the overlap window, the page-number
fallback, a server that ignores the keyset filter, and fetch by key."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.http import HttpPolicy, RetryPolicy
from mlconnector.systems.commerce import CommerceClient, CommerceReader, ParseError
from mlconnector.systems.commerce.incremental import max_timestamp, since_filter
from tests.unit.commerce.commerce_fakes import Call, FakeCommerce, orders, paas, search_handler

ORDERS = "/rest/default/V1/orders"


def reader(fake: FakeCommerce, **kwargs: Any) -> CommerceReader:
    client = CommerceClient(
        paas(),
        None,
        transport=fake,
        clock=fake.clock,
        sleep=lambda _s: None,
        jitter=lambda: 0.0,
        http=HttpPolicy(retry=RetryPolicy(max_attempts=2)),
    )
    return CommerceReader(client, "orders", "increment_id", **kwargs)


def filters_of(call: Call) -> list[tuple[str, str, str]]:
    out = []
    for key, value in call.params.items():
        if key.endswith("[field]") and "filter_groups" in key:
            prefix = key.removesuffix("[field]")
            out.append((value, call.params[prefix + "[value]"], call.params[prefix + "[condition_type]"]))
    return out


def test_since_filter_and_cursor_are_raw_commerce_timestamps() -> None:
    window = since_filter("2024-03-01 00:02:00", 300)
    assert window is not None
    assert (window.field, window.value, window.condition) == ("updated_at", "2024-02-29 23:57:00", "gteq")
    assert since_filter(None) is None
    rows: list[dict[str, Any]] = [
        {"updated_at": "2024-03-01 09:00:00"},
        {"updated_at": "2024-03-01 10:00:00"},
        {"updated_at": None},
    ]
    assert max_timestamp(rows, "2024-03-01 09:30:00") == "2024-03-01 10:00:00"
    assert max_timestamp(rows[:1], "2024-03-01 09:30:00") == "2024-03-01 09:30:00"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        since_filter("03/01/2024 00:00:00")


def test_keyset_pages_read_everything_once_across_shared_seconds() -> None:
    rows = orders(23)  # pairs of orders share an updated_at second
    fake = FakeCommerce()
    fake.handlers[("GET", ORDERS)] = search_handler(rows)
    pages = list(reader(fake, page_size=5).pages(None))
    keys = [r.key for p in pages for r in p.records]
    assert keys == [row["increment_id"] for row in rows]
    assert pages[-1].cursor == rows[-1]["updated_at"]
    assert [p.cursor for p in pages] == sorted(p.cursor for p in pages if p.cursor)
    assert all(c.params["searchCriteria[currentPage]"] == "1" for c in fake.calls)
    assert len(fake.calls) == 5
    second = filters_of(fake.calls[1])
    last_of_first = rows[4]
    assert ("updated_at", last_of_first["updated_at"], "gteq") in second
    assert ("updated_at", last_of_first["updated_at"], "gt") in second
    assert ("entity_id", "5", "gt") in second


def test_incremental_read_starts_overlap_before_the_cursor() -> None:
    rows = orders(10)
    fake = FakeCommerce()
    fake.handlers[("GET", ORDERS)] = search_handler(rows)
    cursor = rows[6]["updated_at"]  # 2024-01-01 00:03:00
    pages = list(reader(fake, overlap_seconds=60).pages(cursor))
    assert ("updated_at", "2024-01-01 00:02:00", "gteq") in filters_of(fake.calls[0])
    keys = [r.key for p in pages for r in p.records]
    assert keys == [row["increment_id"] for row in rows if row["updated_at"] >= "2024-01-01 00:02:00"]
    assert pages[-1].cursor == rows[-1]["updated_at"]


def test_no_changes_costs_one_call_and_keeps_the_cursor() -> None:
    fake = FakeCommerce()
    fake.handlers[("GET", ORDERS)] = search_handler(orders(4))
    assert list(reader(fake).pages("2030-01-01 00:00:00")) == []
    assert len(fake.calls) == 1


def test_a_record_updated_while_paging_does_not_hide_another() -> None:
    rows = orders(12)
    fake = FakeCommerce()
    inner = search_handler(rows)

    def touching(call: Call) -> Any:
        answer = inner(call)
        if len(fake.calls) == 1:  # after the first page, order 2 is edited and moves to the end
            rows[1]["updated_at"] = "2024-01-01 01:00:00"
        return answer

    fake.handlers[("GET", ORDERS)] = touching
    keys = [r.key for p in reader(fake, page_size=4).pages(None) for r in p.records]
    assert set(keys) == {row["increment_id"] for row in rows}
    assert keys.count("000000002") == 2  # read before and after the edit; the hash check makes that free


def test_page_number_fallback_reads_everything_and_stops_on_total_count() -> None:
    rows = orders(11)
    fake = FakeCommerce()
    fake.handlers[("GET", ORDERS)] = search_handler(rows, repeat_last_page=True)
    pages = list(reader(fake, page_size=5, paging="page").pages(None))
    assert [r.key for p in pages for r in p.records] == [row["increment_id"] for row in rows]
    assert [c.params["searchCriteria[currentPage]"] for c in fake.calls] == ["1", "2", "3"]


def test_a_server_ignoring_the_keyset_filter_cannot_make_the_reader_loop() -> None:
    rows = orders(10)
    fake = FakeCommerce()
    inner = search_handler(rows)

    def ignoring(call: Call) -> Any:
        kept = {k: v for k, v in call.params.items() if "filter_groups" not in k}
        return inner(Call(call.request, call.method, call.path, kept, None))

    fake.handlers[("GET", ORDERS)] = ignoring
    with pytest.raises(ParseError, match="paging='page'"):
        list(reader(fake, page_size=4).pages(None))
    assert len(fake.calls) == 2


def test_fetch_by_key_uses_in_and_eq_for_keys_with_commas() -> None:
    rows = [*orders(5), {"entity_id": 99, "increment_id": "A,B", "updated_at": "2024-01-02 00:00:00"}]
    fake = FakeCommerce()
    fake.handlers[("GET", ORDERS)] = search_handler(rows)
    found = reader(fake).fetch(["000000002", "000000004", "missing", "A,B"])
    assert sorted(r.key for r in found) == ["000000002", "000000004", "A,B"]
    conditions = [f[2] for c in fake.calls for f in filters_of(c)]
    assert conditions == ["in", "eq"]


def test_reader_checks_its_settings() -> None:
    fake = FakeCommerce()
    with pytest.raises(ValueError, match=r"1\.\.300"):
        reader(fake, page_size=500)
    with pytest.raises(ValueError, match="unknown Commerce entity"):
        CommerceReader(reader(fake).client, "shipments", "increment_id")
