"""Fault injection against the Intacct simulator, from Python and through the admin endpoint."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET

import pytest
import requests

from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, descriptions, envelope, errornos, fn, login, parse, query

READ = fn("q", query("VENDOR", ["VENDORID"]))


def _create_request(gw: Gateway, vendor_id: str) -> bytes:
    body = fn(
        f"create-{vendor_id}", f"<create><VENDOR><VENDORID>{vendor_id}</VENDORID><NAME>N</NAME></VENDOR></create>"
    )
    return envelope(gw.config, login(gw.config), body, uniqueid="true")


def test_rate_limit_is_http_429_with_gw_0010(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.faults.add("rate_limit", headers={"Retry-After": "5"})
    response = gw.post(_create_request(gw, "VRL"))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "5"
    root = parse(response)
    assert root.findtext("./control/status") == "failure"
    assert errornos(root) == ["GW-0010"]
    assert sim.get_record("VENDOR", "VRL") is None
    assert gw.post(_create_request(gw, "VRL")).status_code == 200


def test_invalid_request_is_http_400_with_gw_0011(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.faults.add("invalid_request")
    response = gw.post(envelope(gw.config, login(gw.config), READ))
    assert response.status_code == 400
    assert errornos(parse(response)) == ["GW-0011"]


def test_html_error_pages(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.faults.add("status", status=502)
    sim.faults.add("cloudflare", status=503)
    first = gw.post(envelope(gw.config, login(gw.config), READ))
    second = gw.post(envelope(gw.config, login(gw.config), READ))
    assert first.status_code == 502
    assert first.headers["Content-Type"].startswith("text/html")
    assert second.status_code == 503
    assert "cf-error-details" in second.text
    assert "<response>" not in first.text


def test_524_after_commit_then_a_retry_with_the_same_controlid(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.faults.add("status_after_commit", match="write")
    assert gw.post(_create_request(gw, "V524")).status_code == 524
    assert sim.get_record("VENDOR", "V524") is not None  # committed although the caller saw 524
    retry = parse(gw.post(_create_request(gw, "V524")))
    assert errornos(retry.find("./operation/result")) == ["SIM-DUPLICATE-CONTROLID"]  # type: ignore[arg-type]
    assert sum(1 for r in sim.store.all("VENDOR") if r["VENDORID"] == "V524") == 1


@pytest.mark.parametrize(("kind", "committed"), [("drop_before", False), ("drop_after", True)])
def test_dropped_connection_on_a_write(sim: IntacctSimulator, gw: Gateway, kind: str, committed: bool) -> None:
    sim.faults.add(kind, match="create")
    with pytest.raises(requests.ConnectionError):
        gw.post(_create_request(gw, "VDROP"))
    assert (sim.get_record("VENDOR", "VDROP") is not None) is committed


@pytest.mark.parametrize("kind", ["truncate", "malformed"])
def test_unparseable_responses(sim: IntacctSimulator, gw: Gateway, kind: str) -> None:
    sim.faults.add(kind, match="query")
    response = gw.post(envelope(gw.config, login(gw.config), READ))
    assert response.status_code == 200
    with pytest.raises(ET.ParseError):
        parse(response)
    assert parse(gw.post(envelope(gw.config, login(gw.config), READ))).findtext("./control/status") == "success"


def test_slow_response_beyond_the_client_timeout(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.faults.add("delay", seconds=5, match="query")
    with pytest.raises(requests.ReadTimeout):
        gw.post(envelope(gw.config, login(gw.config), READ), timeout=0.2)


def test_invalidate_session(sim: IntacctSimulator, gw: Gateway) -> None:
    sessionid, endpoint = gw.open_session()
    sim.faults.add("invalidate_session")
    operation = gw.session_call(sessionid, endpoint, READ).find("./operation")
    assert operation is not None
    assert "Invalid session" in descriptions(operation)
    assert sim.sessions.peek(sessionid) is None


@pytest.mark.parametrize(
    ("kind", "text"),
    [("try_again_later", "Please Try Again Later"), ("offline", "The Service is Temporarily Off-line")],
)
def test_service_side_result_failures(sim: IntacctSimulator, gw: Gateway, kind: str, text: str) -> None:
    sim.faults.add(kind)
    result = parse(gw.post(_create_request(gw, "VOUT"))).find("./operation/result")
    assert result is not None
    assert result.findtext("status") == "failure"
    assert text in descriptions(result)
    assert sim.get_record("VENDOR", "VOUT") is None
    again = parse(gw.post(_create_request(gw, "VOUT"))).find("./operation/result")
    assert again is not None
    assert again.findtext("status") == "success"  # the outage did not consume the controlid


def test_matching_by_function_and_counting_calls(sim: IntacctSimulator, gw: Gateway) -> None:
    sim.faults.add("status", status=503, match="readByQuery", times=2)
    rbq = fn("r", "<readByQuery><object>VENDOR</object><fields>RECORDNO</fields><query></query></readByQuery>")
    assert gw.post(envelope(gw.config, login(gw.config), READ)).status_code == 200
    codes = [gw.post(envelope(gw.config, login(gw.config), rbq)).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert sim.calls.count("readByQuery") == 3
    assert sim.calls.count("query") == 1
    assert sim.calls.requests == 4
    assert sim.calls.faults == {"status": 2}
    sim.reset_calls()
    assert sim.calls.requests == 0


def test_faults_through_the_admin_endpoint(sim: IntacctSimulator, gw: Gateway) -> None:
    admin = sim.urls["login"] + "/_sandbox"
    rules = {"rules": [{"kind": "rate_limit", "match": "write"}, {"kind": "status", "status": 500, "match": "query"}]}
    assert requests.post(admin + "/faults", json=rules, timeout=5).status_code == 201
    assert gw.post(_create_request(gw, "VADM")).status_code == 429
    assert gw.post(envelope(gw.config, login(gw.config), READ)).status_code == 500
    listed = requests.get(admin + "/faults", timeout=5).json()
    assert [rule["fired"] for rule in listed["rules"]] == [1, 1]
    assert "invalidate_session" in listed["kinds"]
    assert requests.get(admin + "/calls", timeout=5).json()["by_name"] == {"create": 1, "query": 1}


def test_concurrency_limit_per_company(start_sim: StartSim) -> None:
    sim = start_sim(config=IntacctSimConfig(concurrency_limit=1))
    sim.faults.add("delay", seconds=5, times=1)
    gw, other = Gateway(sim), Gateway(sim)
    outcome: dict[str, int] = {}
    slow = threading.Thread(
        target=lambda: outcome.update(slow=gw.post(envelope(gw.config, login(gw.config), READ)).status_code)
    )
    slow.start()
    for _ in range(500):
        if sim.in_flight() == 1:
            break
        threading.Event().wait(0.01)
    assert sim.in_flight() == 1
    refused = other.post(envelope(gw.config, login(gw.config), READ))
    assert refused.status_code == 429
    assert errornos(parse(refused)) == ["GW-0010"]
    sim.wake()  # cut the delay short instead of waiting for it
    slow.join(10)
    assert outcome == {"slow": 200}
    assert sim.in_flight() == 0
    assert other.post(envelope(gw.config, login(gw.config), READ)).status_code == 200
