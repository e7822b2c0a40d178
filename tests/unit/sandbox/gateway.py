"""Hand-written gateway requests and response helpers for the simulator tests (no client library)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import requests

from sandbox.intacct import IntacctSimConfig, IntacctSimulator

XML = {"Content-Type": "application/xml"}


def envelope(
    config: IntacctSimConfig,
    auth: str,
    functions: str,
    *,
    uniqueid: str | None = "false",
    transaction: str | None = None,
    controlid: str = "req-1",
    sender_password: str | None = None,
) -> bytes:
    password = config.sender_password if sender_password is None else sender_password
    unique = f"<uniqueid>{uniqueid}</uniqueid>" if uniqueid is not None else ""
    tx = f' transaction="{transaction}"' if transaction is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<request><control>'
        f"<senderid>{config.sender_id}</senderid><password>{password}</password>"
        f"<controlid>{controlid}</controlid>{unique}<dtdversion>3.0</dtdversion>"
        "<includewhitespace>false</includewhitespace></control>"
        f"<operation{tx}><authentication>{auth}</authentication><content>{functions}</content></operation>"
        "</request>"
    ).encode()


def login(config: IntacctSimConfig, *, password: str | None = None, location: str | None = None) -> str:
    loc = f"<locationid>{location}</locationid>" if location is not None else ""
    pw = config.user_password if password is None else password
    return (
        f"<login><userid>{config.user_id}</userid><companyid>{config.company_id}</companyid>"
        f"<password>{pw}</password>{loc}</login>"
    )


def session(sessionid: str) -> str:
    return f"<sessionid>{sessionid}</sessionid>"


def fn(controlid: str, body: str) -> str:
    return f'<function controlid="{controlid}">{body}</function>'


def query(obj: str, fields: list[str], *, filter_xml: str = "", extra: str = "") -> str:
    select = "".join(f"<field>{name}</field>" for name in fields)
    filt = f"<filter>{filter_xml}</filter>" if filter_xml else ""
    return f"<query><object>{obj}</object><select>{select}</select>{filt}{extra}</query>"


def parse(response: requests.Response) -> ET.Element:
    return ET.fromstring(response.content)


def results(root: ET.Element) -> list[ET.Element]:
    return root.findall("./operation/result")


def errornos(node: ET.Element) -> list[str]:
    return [error.findtext("errorno", "") for error in node.findall("./errormessage/error")]


def descriptions(node: ET.Element) -> str:
    return " ".join(
        f"{e.findtext('description', '')} {e.findtext('description2', '')} {e.findtext('correction', '')}"
        for e in node.findall("./errormessage/error")
    )


@dataclass
class Gateway:
    """Posts hand-written requests to a running simulator over loopback (one connection per call,
    closed right away, so a test leaves no client sockets behind)."""

    sim: IntacctSimulator

    @property
    def config(self) -> IntacctSimConfig:
        return self.sim.config

    def post(
        self, body: bytes, url: str | None = None, headers: dict[str, str] | None = None, timeout: float = 10
    ) -> requests.Response:
        return requests.post(url or self.sim.gateway_url, data=body, headers=headers or XML, timeout=timeout)

    def login_call(
        self, functions: str, *, uniqueid: str | None = "false", transaction: str | None = None
    ) -> ET.Element:
        body = envelope(self.config, login(self.config), functions, uniqueid=uniqueid, transaction=transaction)
        response = self.post(body)
        assert response.status_code == 200
        return parse(response)

    def open_session(self) -> tuple[str, str]:
        root = self.login_call(fn("s", "<getAPISession/>"))
        api = root.find("./operation/result/data/api")
        assert api is not None
        return api.findtext("sessionid", ""), api.findtext("endpoint", "")

    def session_call(self, sessionid: str, endpoint: str, functions: str) -> ET.Element:
        response = self.post(envelope(self.config, session(sessionid), functions), url=endpoint)
        assert response.status_code == 200
        return parse(response)
