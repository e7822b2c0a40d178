"""Transport and envelope rules of the gateway: method, content type, XML parsing, sender."""

from __future__ import annotations

import requests

from sandbox.intacct import IntacctSimConfig, IntacctSimulator
from tests.unit.sandbox.conftest import StartSim
from tests.unit.sandbox.gateway import Gateway, envelope, errornos, fn, login, parse, query

READ = fn("q", query("VENDOR", ["VENDORID"]))


def _control_failure(response: requests.Response) -> tuple[list[str], str]:
    root = parse(response)
    assert root.findtext("./control/status") == "failure"
    assert root.find("./operation") is None
    return errornos(root), root.findtext("./errormessage/error/description2", "")


def test_control_fields_are_echoed(gw: Gateway) -> None:
    body = envelope(gw.config, login(gw.config), READ, controlid="ctl-42", uniqueid="false")
    root = parse(gw.post(body))
    control = root.find("./control")
    assert control is not None
    assert control.findtext("status") == "success"
    assert control.findtext("senderid") == gw.config.sender_id
    assert control.findtext("controlid") == "ctl-42"
    assert control.findtext("uniqueid") == "false"
    assert control.findtext("dtdversion") == "3.0"
    assert gw.config.sender_password not in gw.post(body).text


def test_only_post_is_accepted(gw: Gateway) -> None:
    response = requests.get(gw.sim.gateway_url, timeout=5)
    assert response.status_code == 405
    numbers, _ = _control_failure(response)
    assert numbers == ["SIM-METHOD-NOT-ALLOWED"]


def test_unknown_path_is_404(gw: Gateway) -> None:
    response = gw.post(envelope(gw.config, login(gw.config), READ), url=gw.sim.urls["login"] + "/ia/xml/other.phtml")
    assert response.status_code == 404


def test_content_type_must_be_xml(gw: Gateway) -> None:
    body = envelope(gw.config, login(gw.config), READ)
    refused = gw.post(body, headers={"Content-Type": "application/json"})
    assert refused.status_code == 200
    assert _control_failure(refused)[0] == ["XL03000003"]
    accepted = parse(gw.post(body, headers={"Content-Type": "text/xml; charset=UTF-8"}))
    assert accepted.findtext("./control/status") == "success"


def test_malformed_xml_is_a_control_failure_with_a_parser_message(gw: Gateway) -> None:
    body = envelope(gw.config, login(gw.config), READ).replace(b"</senderid>", b"</sender>")
    response = gw.post(body)
    assert response.status_code == 200
    numbers, message = _control_failure(response)
    assert numbers == ["XL03000003"]
    assert message.startswith("XML Parse schema error:")
    assert "mismatched tag" in message
    assert "Line: 2" in message


def test_forbidden_control_characters_are_rejected(gw: Gateway) -> None:
    raw = envelope(gw.config, login(gw.config), fn("q", query("VENDOR", ["VENDORID"], filter_xml=(
        "<equalto><field>NAME</field><value>bad\x01value</value></equalto>"))))  # fmt: skip
    as_reference = raw.replace(b"\x01", b"&#1;")
    for body in (raw, as_reference):
        numbers, message = _control_failure(gw.post(body))
        assert numbers == ["XL03000003"]
        assert "Fatal Error" in message


def test_billion_laughs_and_external_entities_are_refused(gw: Gateway) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE request [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        b"<request><control><senderid>&d;</senderid></control></request>"
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE request [<!ENTITY x SYSTEM "file:///nonexistent/secret.txt">]>'
        b"<request><control><senderid>&x;</senderid></control></request>"
    )
    for body in (laughs, external):
        response = gw.post(body)
        numbers, message = _control_failure(response)
        assert numbers == ["XL03000003"]
        assert "not allowed" in message
        assert "lollol" not in response.text


def test_schema_rules_of_the_envelope(gw: Gateway) -> None:
    good = envelope(gw.config, login(gw.config), READ)
    broken = {
        "function without controlid": good.replace(b'<function controlid="q">', b"<function>"),
        "control out of order": good.replace(
            b"<controlid>req-1</controlid><uniqueid>false</uniqueid>",
            b"<uniqueid>false</uniqueid><controlid>req-1</controlid>",
        ),
        "bad boolean": good.replace(b"<uniqueid>false</uniqueid>", b"<uniqueid>yes</uniqueid>"),
        "no content": good.replace(b"<content>", b"<contents>").replace(b"</content>", b"</contents>"),
        "wrong root": good.replace(b"<request>", b"<requests>").replace(b"</request>", b"</requests>"),
    }
    for label, body in broken.items():
        numbers, message = _control_failure(gw.post(body))
        assert numbers == ["XL03000003"], label
        assert "XML Parse schema error" in message, label


def test_bad_sender_credentials(gw: Gateway) -> None:
    response = gw.post(envelope(gw.config, login(gw.config), READ, sender_password="wrong"))
    assert response.status_code == 200
    numbers, message = _control_failure(response)
    assert numbers == ["XL03000006"]
    assert message == "Incorrect Intacct XML Partner ID or password."
    assert gw.sim.calls.count("query") == 1  # counted as a call, but nothing ran


def test_http401_mode_for_bad_credentials(start_sim: StartSim) -> None:
    sim: IntacctSimulator = start_sim(config=IntacctSimConfig(auth_failure_mode="http401"))
    gateway = Gateway(sim)
    for body in (
        envelope(sim.config, login(sim.config), READ, sender_password="wrong"),
        envelope(sim.config, login(sim.config, password="wrong"), READ),
    ):
        response = gateway.post(body)
        assert response.status_code == 401
        assert response.headers["Content-Type"].startswith("text/xml")
        numbers, _ = _control_failure(response)
        assert numbers == ["XMLGW_JPP0002"]
