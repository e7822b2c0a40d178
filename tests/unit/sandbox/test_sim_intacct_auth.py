"""Login, getAPISession, the session endpoint (login URL by default, another port as an option), expiry and
sliding timeout."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import requests

from sandbox.core import SimClock
from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, descriptions, envelope, errornos, fn, login, parse, query

READ = fn("q", query("VENDOR", ["VENDORID"]))
START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _frozen(start_sim: StartSim, lifetime: float = 2.0) -> tuple[IntacctSimulator, Gateway]:
    sim = start_sim(config=IntacctSimConfig(session_lifetime_s=lifetime), clock=SimClock(START, frozen=True))
    return sim, Gateway(sim)


def _session_ok(gw: Gateway, sessionid: str, endpoint: str) -> bool:
    root = gw.session_call(sessionid, endpoint, READ)
    return root.findtext("./operation/authentication/status") == "success"


def test_wrong_login_fails_the_operation_without_results(gw: Gateway) -> None:
    root = parse(gw.post(envelope(gw.config, login(gw.config, password="nope"), READ)))
    assert root.findtext("./control/status") == "success"
    operation = root.find("./operation")
    assert operation is not None
    assert operation.findtext("./authentication/status") == "failure"
    assert errornos(operation) == ["XL03000006"]
    assert "Sign-in information is incorrect" in descriptions(operation)
    assert operation.findall("./result") == []


def test_unknown_login_location_is_refused(gw: Gateway) -> None:
    root = parse(gw.post(envelope(gw.config, login(gw.config, location="NOWHERE"), READ)))
    assert root.findtext("./operation/authentication/status") == "failure"
    assert (
        parse(gw.post(envelope(gw.config, login(gw.config, location="110"), READ))).findtext(
            "./operation/authentication/locationid"
        )
        == "110"
    )


def test_sender_not_authorized_for_company(start_sim: StartSim) -> None:
    sim = start_sim(config=IntacctSimConfig(sender_authorized=False))
    root = Gateway(sim).login_call(READ)
    operation = root.find("./operation")
    assert operation is not None
    assert "Invalid Web Services Authorization" in descriptions(operation)


def _api(root: ET.Element) -> tuple[str, str]:
    result = root.find("./operation/result")
    assert result is not None
    assert result.findtext("function") == "getAPISession"
    assert result.findtext("controlid") == "s"
    assert result.findtext("./data/api/locationid") == ""
    return result.findtext("./data/api/sessionid", ""), result.findtext("./data/api/endpoint", "")


def _port(url: str) -> str:
    return url.split("/ia/", maxsplit=1)[0].rsplit(":", 1)[1]


def test_get_api_session_returns_the_login_url_by_default(gw: Gateway) -> None:
    """Reference §3.2/§3.3: the returned endpoint normally is the login URL."""
    assert gw.config.session_endpoint_mode == "login"
    sessionid, endpoint = _api(gw.login_call(fn("s", "<getAPISession/>")))
    assert sessionid
    assert endpoint == gw.sim.gateway_url == gw.sim.session_gateway_url


def test_by_default_a_client_that_keeps_the_login_url_works(gw: Gateway) -> None:
    sessionid, _ = gw.open_session()
    for _ in range(3):  # several calls after login, all on the login URL
        root = gw.session_call(sessionid, gw.sim.gateway_url, READ)
        assert root.findtext("./operation/authentication/status") == "success"
        assert root.findtext("./operation/result/status") == "success"
        assert root.findall("./operation/result/data/VENDOR")
    # The second listener does not know this session.
    assert not _session_ok(gw, sessionid, gw.sim.second_listener_url)


def test_session_mode_hands_out_an_endpoint_on_another_port(start_sim: StartSim) -> None:
    gw = Gateway(start_sim(config=IntacctSimConfig(session_endpoint_mode="session")))
    sessionid, endpoint = _api(gw.login_call(fn("s", "<getAPISession/>")))
    assert sessionid
    assert endpoint.endswith("/ia/xml/xmlgw.phtml")
    assert endpoint == gw.sim.session_gateway_url == gw.sim.second_listener_url
    assert _port(endpoint) != _port(gw.sim.gateway_url)
    assert _session_ok(gw, sessionid, endpoint)
    assert not _session_ok(gw, sessionid, gw.sim.gateway_url)  # right id, wrong endpoint


def test_session_mode_refuses_the_session_at_the_login_url_as_invalid(start_sim: StartSim) -> None:
    gw = Gateway(start_sim(config=IntacctSimConfig(session_endpoint_mode="session")))
    sessionid, endpoint = gw.open_session()
    root = gw.session_call(sessionid, gw.sim.gateway_url, READ)
    operation = root.find("./operation")
    assert operation is not None
    assert operation.findtext("./authentication/status") == "failure"
    assert errornos(operation) == ["XL03000006"]
    assert "Invalid session" in descriptions(operation)
    assert operation.findall("./result") == []
    assert _session_ok(gw, sessionid, endpoint)  # the refusal did not end it


def test_a_session_keeps_its_endpoint_when_the_mode_changes(gw: Gateway) -> None:
    login_session, _ = gw.open_session()
    gw.config.session_endpoint_mode = "session"
    other_session, endpoint = gw.open_session()
    assert endpoint == gw.sim.second_listener_url
    assert _session_ok(gw, login_session, gw.sim.gateway_url)
    assert _session_ok(gw, other_session, endpoint)
    assert not _session_ok(gw, other_session, gw.sim.gateway_url)


def test_session_endpoint_mode_is_editable_over_admin(gw: Gateway) -> None:
    url = gw.sim.url + "/_sandbox/config"
    assert requests.get(url, timeout=5).json()["session_endpoint_mode"] == "login"
    assert requests.patch(url, json={"session_endpoint_mode": "elsewhere"}, timeout=5).status_code == 400
    assert requests.patch(url, json={"session_endpoint_mode": "session"}, timeout=5).status_code == 200
    assert gw.open_session()[1] == gw.sim.second_listener_url


def test_unknown_session_is_invalid_with_no_results(gw: Gateway) -> None:
    _, endpoint = gw.open_session()
    root = gw.session_call("not-a-session", endpoint, READ)
    operation = root.find("./operation")
    assert operation is not None
    assert operation.findtext("./authentication/status") == "failure"
    assert errornos(operation) == ["XL03000006"]
    assert "Invalid session" in descriptions(operation)
    assert operation.findall("./result") == []
    assert "not-a-session" not in descriptions(operation)


def test_session_expires_after_its_lifetime(start_sim: StartSim) -> None:
    sim, gw = _frozen(start_sim)
    sessionid, endpoint = gw.open_session()
    sim.clock.advance(1.9)
    assert _session_ok(gw, sessionid, endpoint)
    sim.clock.advance(2.1)
    assert not _session_ok(gw, sessionid, endpoint)


def test_timeout_slides_on_every_use(start_sim: StartSim) -> None:
    sim, gw = _frozen(start_sim)
    sessionid, endpoint = gw.open_session()
    for _ in range(3):  # 4.5 s in total, each step within the 2 s lifetime
        sim.clock.advance(1.5)
        assert _session_ok(gw, sessionid, endpoint)
    root = gw.session_call(sessionid, endpoint, READ)
    auth = root.find("./operation/authentication")
    assert auth is not None
    stamp = datetime.fromisoformat(auth.findtext("sessiontimestamp", ""))
    timeout = datetime.fromisoformat(auth.findtext("sessiontimeout", ""))
    assert stamp == START + timedelta(seconds=4)  # 4.5 s, printed to the second
    assert timeout == START + timedelta(seconds=6)  # now + 2 s lifetime

    sim.clock.advance(2.5)
    assert not _session_ok(gw, sessionid, endpoint)


def test_every_response_carries_the_authentication_block(start_sim: StartSim) -> None:
    sim, gw = _frozen(start_sim, lifetime=6 * 3600)
    auth = gw.login_call(READ).find("./operation/authentication")
    assert auth is not None
    assert auth.findtext("userid") == sim.config.user_id
    assert auth.findtext("companyid") == sim.config.company_id
    stamp = datetime.fromisoformat(auth.findtext("sessiontimestamp", ""))
    assert stamp == START
    assert datetime.fromisoformat(auth.findtext("sessiontimeout", "")) - stamp == timedelta(hours=6)


def test_get_api_session_must_be_alone(gw: Gateway) -> None:
    root = gw.login_call(fn("s", "<getAPISession/>") + READ)
    first, second = root.findall("./operation/result")
    assert first.findtext("status") == "failure"
    assert errornos(first) == ["Get API Session Failed"]
    assert second.findtext("status") == "success"


def test_entity_session(gw: Gateway) -> None:
    root = gw.login_call(fn("s", "<getAPISession><locationid>210</locationid></getAPISession>"))
    assert root.findtext("./operation/result/data/api/locationid") == "210"
    sessionid = root.findtext("./operation/result/data/api/sessionid", "")
    endpoint = root.findtext("./operation/result/data/api/endpoint", "")
    assert gw.session_call(sessionid, endpoint, READ).findtext("./operation/authentication/locationid") == "210"
    bad = gw.login_call(fn("s", "<getAPISession><locationid>999</locationid></getAPISession>"))
    assert bad.findtext("./operation/result/status") == "failure"


def test_expire_all_sessions(gw: Gateway) -> None:
    sessionid, endpoint = gw.open_session()
    assert sessionid not in repr(gw.sim.sessions.peek(sessionid))
    assert gw.sim.expire_sessions() == 1
    assert not _session_ok(gw, sessionid, endpoint)
