"""The cursor-based incremental ticket export: start_time once then the cursor, pages to end_of_stream, the client's
own 10-a-minute window never exceeded (fake clock), a 429 still honoured, the deadline a clean stop, admins only."""

from __future__ import annotations

from typing import Any

import pytest

from mlconnector.systems.zendesk.errors import ParseError, PermissionDenied, RetryLater
from mlconnector.systems.zendesk.export import TicketPage
from tests.conftest import FakeClock
from tests.unit.zendesk.zendesk_fakes import Call, FakeZendesk, error, make

PATH = "/incremental/tickets/cursor"
START = 1_789_000_000


class Export:
    """`pages` pages of `per_page` tickets; opaque cursors; the last page has end_of_stream and still a cursor."""

    def __init__(self, fake: FakeZendesk, pages: int, per_page: int = 1000) -> None:
        self.pages = pages
        self.per_page = per_page
        fake.handlers[("GET", PATH)] = self.page

    def page(self, call: Call) -> Any:
        if "start_time" in call.params:
            assert "cursor" not in call.params
            number = 0
        else:
            number = int(call.params["cursor"].removeprefix("cur-"))
        assert "page[size]" not in call.params
        tickets = [{"id": number * self.per_page + i + 1} for i in range(self.per_page)]
        return {
            "tickets": tickets,
            "after_cursor": f"cur-{number + 1}",
            "after_url": f"https://acme.zendesk.com/api/v2{PATH}.json?cursor=cur-{number + 1}",
            "before_cursor": None,
            "before_url": None,
            "end_of_stream": number + 1 >= self.pages,
        }


@pytest.fixture
def fake(clock: FakeClock) -> FakeZendesk:
    return FakeZendesk(clock)


def test_pages_follow_after_cursor_until_end_of_stream(fake: FakeZendesk) -> None:
    Export(fake, pages=3)
    client, _ = make(fake)
    pages = list(client.export_tickets(START, None))
    assert [len(p.tickets) for p in pages] == [1000, 1000, 1000]
    assert [p.end_of_stream for p in pages] == [False, False, True]
    assert pages[-1].after_cursor == "cur-3"  # kept for the next run
    calls = fake.api_calls(PATH)
    side = {"include": "users,organizations"}  # each ticket's requester and organization in the same reply
    assert calls[0].params == {"start_time": str(START), **side}
    assert [c.params for c in calls[1:]] == [{"cursor": "cur-1", **side}, {"cursor": "cur-2", **side}]
    assert calls[0].request.url == "https://acme.zendesk.com/api/v2/incremental/tickets/cursor"


def test_a_later_run_resumes_from_the_cursor_without_start_time(fake: FakeZendesk) -> None:
    Export(fake, pages=5)
    client, _ = make(fake)
    pages = list(client.export_tickets(None, "cur-3"))
    assert len(pages) == 2
    assert all("start_time" not in c.params for c in fake.api_calls(PATH))


def test_the_ten_a_minute_window_is_never_exceeded(fake: FakeZendesk) -> None:
    Export(fake, pages=35, per_page=1)
    client, sleep = make(fake)
    pages = list(client.export_tickets(START, None))
    assert len(pages) == 35
    times = [c.at for c in fake.api_calls(PATH)]
    for i, start in enumerate(times):
        in_window = [t for t in times[i:] if t < start + 60.0]
        assert len(in_window) <= 10
    assert sum(sleep.waits) >= 180.0  # 35 requests: three full windows waited for


def test_the_window_follows_the_high_volume_add_on_when_configured(fake: FakeZendesk) -> None:
    Export(fake, pages=30, per_page=1)
    client, sleep = make(fake, export_per_minute=30)
    list(client.export_tickets(START, None))
    assert sleep.waits == []


def test_a_429_is_still_honoured_and_pauses_the_window(fake: FakeZendesk) -> None:
    Export(fake, pages=2, per_page=1)
    client, sleep = make(fake)
    client.token()
    fake.faults = [
        error(
            429,
            "APIRateLimitExceeded",
            "Number of allowed incremental export API requests per minute exceeded",
            headers={"Retry-After": "17"},
        )
    ]
    assert len(list(client.export_tickets(START, None))) == 2
    assert sleep.waits[0] == 17.0


def test_a_window_that_frees_up_after_the_deadline_is_a_clean_stop(fake: FakeZendesk) -> None:
    Export(fake, pages=20, per_page=1)
    ends = fake.clock() + 30.0
    client, _ = make(fake, deadline=lambda: ends - fake.clock())
    pages: list[TicketPage] = []
    with pytest.raises(RetryLater, match="the next one resumes"):
        pages.extend(client.export_tickets(START, None))
    assert len(pages) == 10
    assert pages[-1].after_cursor == "cur-10"


def test_the_export_needs_an_admin(fake: FakeZendesk) -> None:
    fake.handlers[("GET", PATH)] = lambda _call: error(403, "Forbidden", "You do not have access to this page")
    client, _ = make(fake)
    with pytest.raises(PermissionDenied, match="needs an admin"):
        list(client.export_tickets(START, None))


def test_arguments_are_checked_before_any_request(fake: FakeZendesk) -> None:
    client, _ = make(fake)
    with pytest.raises(ValueError, match="either start_time"):
        client.export_tickets(START, "cur-1")
    with pytest.raises(ValueError, match="either start_time"):
        client.export_tickets(None, None)
    with pytest.raises(ValueError, match="a minute in the past"):
        client.export_tickets(int(fake.clock()), None)
    assert fake.calls == []


def test_a_page_repeating_its_cursor_before_the_end_is_refused(fake: FakeZendesk) -> None:
    page = {"tickets": [], "after_cursor": "same", "end_of_stream": False}
    fake.handlers[("GET", PATH)] = lambda _call: page
    client, _ = make(fake)
    with pytest.raises(ParseError, match="no new after_cursor"):
        list(client.export_tickets(START, None))


def test_tickets_by_ids_is_one_show_many_of_at_most_100(fake: FakeZendesk) -> None:
    fake.handlers[("GET", "/tickets/show_many")] = lambda call: {
        "tickets": [{"id": int(i)} for i in call.params["ids"].split(",")]
    }
    client, _ = make(fake)
    assert [t["id"] for t in client.tickets_by_ids([3, 1, 2])] == [3, 1, 2]
    assert fake.api_calls("/tickets/show_many")[0].params == {"ids": "3,1,2", "include": "users,organizations"}
    with pytest.raises(ValueError, match="at most 100"):
        client.tickets_by_ids(list(range(1, 102)))
