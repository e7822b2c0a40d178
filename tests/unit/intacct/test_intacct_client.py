"""The client over a fake gateway: paging, chunking, writes, retries, deadline, secrets."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import pytest
import requests

from mlconnector.http import HttpPolicy, HttpRequest, RetryPolicy
from mlconnector.systems.intacct.client import IntacctClient
from mlconnector.systems.intacct.controlids import deterministic_controlid
from mlconnector.systems.intacct.errors import (
    DuplicateControlId,
    RateLimited,
    ResultError,
    TransientError,
    UnknownOutcome,
)
from mlconnector.systems.intacct.functions import ApiFunction, Create, Update
from mlconnector.systems.intacct.functions.filters import equalto
from mlconnector.systems.intacct.session import InMemorySessionCache
from tests.unit.intacct.intacct_fakes import (
    SENDER_PASSWORD,
    SESSION_URL,
    USER_PASSWORD,
    FakeClock,
    FakeGateway,
    SleepRecorder,
    control_failure_xml,
    credentials,
    errors_xml,
    records_xml,
    reply,
    result_xml,
)

VENDORS = [{"RECORDNO": str(i), "VENDORID": f"V{i:03d}", "NAME": f"Vendor {i}"} for i in range(1, 6)]


def query_handler(element: ET.Element, controlid: str) -> str:
    """Serves VENDORS with offset paging, honouring pagesize and offset."""
    pagesize = int(element.findtext("pagesize") or 100)
    offset = int(element.findtext("offset") or 0)
    page = VENDORS[offset : offset + pagesize]
    remaining = max(0, len(VENDORS) - offset - len(page))
    data = (
        f'<data listtype="VENDOR" totalcount="{len(VENDORS)}" offset="{offset}" count="{len(page)}" '
        f'numremaining="{remaining}">{records_xml("VENDOR", page)}</data>'
    )
    return result_xml("query", controlid, data=data)


class ReadByQueryHandlers:
    """readByQuery + readMore over VENDORS, lowercase record elements as the gateway sends them."""

    def __init__(self, pagesize: int) -> None:
        self.pagesize = pagesize
        self.position = 0

    def page(self, function: str, controlid: str) -> str:
        page = VENDORS[self.position : self.position + self.pagesize]
        self.position += len(page)
        remaining = len(VENDORS) - self.position
        data = (
            f'<data listtype="vendor" count="{len(page)}" totalcount="{len(VENDORS)}" numremaining="{remaining}" '
            f'resultId="RID-1">{records_xml("vendor", page)}</data>'
        )
        return result_xml(function, controlid, data=data)

    def read_by_query(self, element: ET.Element, controlid: str) -> str:
        return self.page("readByQuery", controlid)

    def read_more(self, element: ET.Element, controlid: str) -> str:
        assert element.findtext("resultId") == "RID-1"
        return self.page("readMore", controlid)


def created_handler(element: ET.Element, controlid: str) -> str:
    """Echoes each created/updated object with a RECORDNO; VENDORID 'BAD' fails validation."""
    objects = list(element)
    if any(o.findtext("VENDORID") == "BAD" for o in objects):
        errors = errors_xml(("BL01001973", "", "Could not create Vendor record!", ""))
        return result_xml(element.tag, controlid, status="failure", errors=errors)
    rows = "".join(
        f"<vendor><RECORDNO>{100 + i}</RECORDNO><VENDORID>{o.findtext('VENDORID')}</VENDORID></vendor>"
        for i, o in enumerate(objects)
    )
    return result_xml(element.tag, controlid, data=f'<data listtype="objects" count="{len(objects)}">{rows}</data>')


def read_by_name_handler(element: ET.Element, controlid: str) -> str:
    keys = (element.findtext("keys") or "").split(",")
    return result_xml(
        "readByName",
        controlid,
        data=f'<data listtype="VENDOR" count="{len(keys)}">{records_xml("VENDOR", [{"VENDORID": k} for k in keys])}'
        "</data>",
    )


def make(
    gateway: FakeGateway | None = None, *, deadline: object = None, policy: RetryPolicy | None = None
) -> tuple[IntacctClient, FakeGateway, SleepRecorder]:
    gateway = gateway or FakeGateway()
    gateway.handlers.setdefault("query", query_handler)
    gateway.handlers.setdefault("create", created_handler)
    gateway.handlers.setdefault("update", created_handler)
    gateway.handlers.setdefault("readByName", read_by_name_handler)
    clock = FakeClock()
    sleep = SleepRecorder(clock)
    client = IntacctClient(
        credentials(),
        InMemorySessionCache(),
        transport=gateway,
        clock=clock,
        sleep=sleep,
        jitter=lambda: 0.5,
        deadline=deadline,  # type: ignore[arg-type]
        http=HttpPolicy(retry=policy or RetryPolicy(base=1, cap=60, max_attempts=4, floor=0)),
    )
    client.ping()  # log in up front so the tests below count only their own requests
    gateway.requests.clear()
    client.calls = 0
    return client, gateway, sleep


def control_of(request: ET.Element, name: str) -> str | None:
    return request.findtext(f"control/{name}")


def test_query_pages_offset_to_the_end_in_a_stable_order() -> None:
    client, gateway, _ = make()
    pages = list(client.query_pages("VENDOR", ["RECORDNO", "VENDORID"], equalto("STATUS", "active"), pagesize=2))
    assert [p.offset for p in pages] == [0, 2, 4]
    assert [r["VENDORID"] for p in pages for r in p.records] == [v["VENDORID"] for v in VENDORS]
    assert [p.numremaining for p in pages] == [3, 1, 0]
    assert {p.totalcount for p in pages} == {5}
    queries = gateway.function_requests("query")
    assert [q.findtext("offset") for q in queries] == ["0", "2", "4"]
    assert all(q.findtext("orderby/order[last()]/field") == "RECORDNO" for q in queries)
    assert all(q.findtext("options/showprivate") == "true" for q in queries)
    assert all(control_of(r, "uniqueid") == "false" for _, r in gateway.requests)
    assert client.calls == 3


def test_read_by_query_pages_follow_the_result_id() -> None:
    handlers = ReadByQueryHandlers(pagesize=2)
    gateway = FakeGateway(handlers={"readByQuery": handlers.read_by_query, "readMore": handlers.read_more})
    client, gateway, _ = make(gateway)
    pages = list(client.read_by_query_pages("VENDOR", ["RECORDNO", "VENDORID"], "STATUS = 'active'", pagesize=2))
    assert [r["VENDORID"] for p in pages for r in p.records] == [v["VENDORID"] for v in VENDORS]
    assert [p.offset for p in pages] == [0, 2, 4]
    assert len(gateway.function_requests("readByQuery")) == 1
    assert len(gateway.function_requests("readMore")) == 2


def test_read_more_is_not_retried_when_it_may_have_run() -> None:
    handlers = ReadByQueryHandlers(pagesize=2)
    gateway = FakeGateway(handlers={"readByQuery": handlers.read_by_query, "readMore": handlers.read_more})
    client, gateway, sleep = make(gateway)
    pages = client.read_by_query_pages("VENDOR", pagesize=2)
    next(pages)
    gateway.faults.append(reply("<html>bad gateway</html>", 502, "text/html"))
    with pytest.raises(TransientError):
        next(pages)
    assert sleep.waits == []


def test_read_more_is_retried_after_a_rate_limit() -> None:
    handlers = ReadByQueryHandlers(pagesize=2)
    gateway = FakeGateway(handlers={"readByQuery": handlers.read_by_query, "readMore": handlers.read_more})
    client, gateway, sleep = make(gateway)
    pages = client.read_by_query_pages("VENDOR", pagesize=2)
    next(pages)
    gateway.faults.append(reply(control_failure_xml("GW-0010", "Rate limit"), 429, "text/xml", {"Retry-After": "8"}))
    assert [r["VENDORID"] for r in next(pages).records] == ["V003", "V004"]
    assert sleep.waits == [8.0]


def test_read_by_name_is_chunked_by_100_keys() -> None:
    client, gateway, _ = make()
    keys = [f"V{i}" for i in range(250)]
    records = client.read_by_name("VENDOR", keys, ["VENDORID"])
    assert [r["VENDORID"] for r in records] == keys
    chunks = gateway.function_requests("readByName")
    assert [len((c.findtext("keys") or "").split(",")) for c in chunks] == [100, 100, 50]
    assert client.calls == 1  # three functions in one request


def test_create_sends_a_unique_write_with_the_given_controlid() -> None:
    client, gateway, _ = make()
    controlid = deterministic_controlid("commerce-intacct", "vendor", "V100", "create")
    result = client.create("VENDOR", [{"VENDORID": "V100", "DISPLAYCONTACT": {"EMAIL1": "ap@x.example"}}], controlid)
    assert result.records == [{"RECORDNO": "100", "VENDORID": "V100"}]
    [(_, request)] = gateway.requests
    assert control_of(request, "uniqueid") == "true"
    function = request.find("operation/content/function")
    assert function is not None
    assert function.get("controlid") == controlid
    assert function.findtext("create/VENDOR/DISPLAYCONTACT/EMAIL1") == "ap@x.example"


def test_create_raises_the_functions_error() -> None:
    client, _, _ = make()
    with pytest.raises(ResultError, match="Could not create Vendor record"):
        client.create("VENDOR", [{"VENDORID": "BAD"}], "c-1")


def test_execute_writes_returns_one_outcome_per_function() -> None:
    client, _, _ = make()
    functions: list[ApiFunction] = [
        Create("VENDOR", ({"VENDORID": "V1"},), controlid="w-1"),
        Create("VENDOR", ({"VENDORID": "BAD"},), controlid="w-2"),
        Update("VENDOR", ({"VENDORID": "V3", "NAME": "New"},), controlid="w-3"),
    ]
    outcomes = client.execute_writes(functions)
    assert [(o.controlid, o.ok) for o in outcomes] == [("w-1", True), ("w-2", False), ("w-3", True)]
    assert isinstance(outcomes[1].error, ResultError)
    assert outcomes[2].records == [{"RECORDNO": "100", "VENDORID": "V3"}]
    assert client.calls == 1


def test_duplicate_controlid_is_reported_for_read_back() -> None:
    def duplicate(element: ET.Element, controlid: str) -> str:
        return result_xml(
            "create",
            controlid,
            status="failure",
            errors=errors_xml(("SIM-DUPLICATE-CONTROLID", "", "Control ID already used", "")),
        )

    client, _, _ = make(FakeGateway(handlers={"create": duplicate}))
    [outcome] = client.execute_writes([Create("VENDOR", ({"VENDORID": "V1"},), controlid="w-1")])
    assert isinstance(outcome.error, DuplicateControlId)
    with pytest.raises(DuplicateControlId):
        client.create("VENDOR", [{"VENDORID": "V1"}], "w-1")


@pytest.mark.parametrize(
    "fault",
    [
        reply("<html>origin timeout</html>", 524, "text/html"),
        requests.ReadTimeout("read timed out"),
        requests.ConnectionError("Connection aborted."),
        reply("<response><control><status>succ", 200),
    ],
    ids=["524", "read-timeout", "dropped", "truncated-xml"],
)
def test_unknown_outcome_on_a_write_is_never_retried(fault: object) -> None:
    client, gateway, sleep = make()
    gateway.faults.append(fault)  # type: ignore[arg-type]
    with pytest.raises(UnknownOutcome):
        client.create("APBILL", [{"VENDORID": "V1", "RECORDID": "INV-1"}], "bill-1")
    assert client.calls == 1
    assert sleep.waits == []


def test_write_after_5xx_is_retried_with_the_same_body_and_controlid() -> None:
    client, gateway, sleep = make()
    gateway.faults.append(reply("<html>503</html>", 503, "text/html"))
    client.create("VENDOR", [{"VENDORID": "V1"}], "vendor-V1")
    assert client.calls == 2
    assert gateway.bodies[-1] == gateway.bodies[-2]
    assert sleep.waits == [0.5]


def test_read_retries_transient_failures_with_backoff() -> None:
    client, gateway, sleep = make()
    gateway.faults.extend(
        [requests.ConnectionError("reset"), reply("<html>502</html>", 502, "text/html"), reply("not xml", 200)]
    )
    [page] = list(client.query_pages("VENDOR", ["RECORDNO"], pagesize=2000))
    assert len(page.records) == 5
    assert client.calls == 4
    assert sleep.waits == [0.5, 1.0, 2.0]


def test_rate_limit_waits_for_retry_after_with_a_floor() -> None:
    client, gateway, sleep = make()
    gateway.faults.extend(
        [
            reply("Too many requests", 429, "text/plain", {"Retry-After": "12"}),
            reply(control_failure_xml("GW-0010", "Rate limit exceeded"), 429, "text/xml"),
        ]
    )
    list(client.query_pages("VENDOR", ["RECORDNO"]))
    assert sleep.waits == [12.0, 5.0]  # the second has no Retry-After: the 5 s floor beats the 1 s backoff


def test_outage_result_is_retried_with_a_longer_wait() -> None:
    calls = {"n": 0}

    def flaky_query(element: ET.Element, controlid: str) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            errors = errors_xml(("XL03000001", "", "The Service is Temporarily Off-line", "Please Try Again Later"))
            return result_xml("query", controlid, status="failure", errors=errors)
        return query_handler(element, controlid)

    client, _, sleep = make(FakeGateway(handlers={"query": flaky_query}))
    list(client.query_pages("VENDOR", ["RECORDNO"]))
    assert sleep.waits == [30.0]


def test_retries_stop_at_the_deadline() -> None:
    left = {"s": 20.0}
    client, gateway, sleep = make(deadline=lambda: left["s"])
    gateway.faults.append(reply("slow down", 429, "text/plain", {"Retry-After": "30"}))
    with pytest.raises(RateLimited):
        list(client.query_pages("VENDOR", ["RECORDNO"]))
    assert sleep.waits == []
    assert client.calls == 1


def test_read_timeout_is_cut_to_the_deadline() -> None:
    seen: list[tuple[float, float]] = []
    gateway = FakeGateway()
    client, gateway, _ = make(gateway, deadline=lambda: 7.0)
    original = gateway.send

    def spy(request: HttpRequest, *, timeout: tuple[float, float]):  # type: ignore[no-untyped-def]
        seen.append(timeout)
        return original(request, timeout=timeout)

    gateway.send = spy  # type: ignore[method-assign]
    list(client.query_pages("VENDOR", ["RECORDNO"]))
    assert seen == [(5.0, 7.0)]


def test_ping_logs_in_and_returns_the_session_endpoint() -> None:
    client, gateway, _ = make()
    assert client.ping() == SESSION_URL
    assert gateway.logins == 2
    assert client.calls == 1


def test_secrets_never_reach_logs_or_messages(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="mlconnector.systems.intacct")
    client, gateway, _ = make()
    gateway.faults.append(reply("<html>502</html>", 502, "text/html"))
    client.create("VENDOR", [{"VENDORID": "V1", "NAME": "Ac\x01me"}], "c-1")
    client.ping()
    gateway.refuse_sessions = 2
    with pytest.raises(Exception) as caught:
        client.lookup("VENDOR")
    logged = caplog.text + str(caught.value) + repr(client._credentials)
    for secret in (SENDER_PASSWORD, USER_PASSWORD, "SESSION-1", "SESSION-2", "SESSION-3"):
        assert secret not in logged
    assert "REDACTED" in caplog.text
    assert "/VENDOR/NAME" in caplog.text  # the stripped field is named, not its value


def test_missing_result_on_a_write_is_an_unknown_outcome() -> None:
    def no_result(element: ET.Element, controlid: str) -> str:
        return result_xml("create", "someone-else")

    client, _, _ = make(FakeGateway(handlers={"create": no_result}))
    with pytest.raises(UnknownOutcome, match="no result for controlid w-1"):
        client.create("VENDOR", [{"VENDORID": "V1"}], "w-1")
