"""Canned gateway replies and a small fake gateway for the Intacct client's unit tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from mlconnector.http import HttpReply, HttpRequest
from mlconnector.systems.intacct.credentials import IntacctCredentials

LOGIN_URL = "https://api.intacct.com/ia/xml/xmlgw.phtml"
SESSION_URL = "https://api-session.intacct.com/ia/xml/xmlgw.phtml"
XML_TYPE = 'text/xml; encoding="UTF-8"'
SENDER_PASSWORD = "s3nder-Pa55word"
USER_PASSWORD = "us3r-Pa55word"


def credentials(**overrides: object) -> IntacctCredentials:
    values: dict[str, object] = {
        "sender_id": "SENDER",
        "sender_password": SENDER_PASSWORD,
        "company_id": "ACME",
        "user_id": "WS_USER",
        "user_password": USER_PASSWORD,
    }
    values.update(overrides)
    return IntacctCredentials(**values)  # type: ignore[arg-type]


def reply(
    body: str, status: int = 200, content_type: str = XML_TYPE, headers: dict[str, str] | None = None
) -> HttpReply:
    return HttpReply(status=status, content_type=content_type, body=body.encode(), headers=headers or {})


def errors_xml(*errors: tuple[str, str, str, str]) -> str:
    items = "".join(
        f"<error><errorno>{no}</errorno><description>{d}</description>"
        f"<description2>{d2}</description2><correction>{c}</correction></error>"
        for no, d, d2, c in errors
    )
    return f"<errormessage>{items}</errormessage>"


def result_xml(function: str, controlid: str, *, status: str = "success", data: str = "", errors: str = "") -> str:
    status_xml = f"<status>{status}</status>" if status else ""
    return (
        f"<result>{status_xml}<function>{function}</function><controlid>{controlid}</controlid>{data}{errors}</result>"
    )


def auth_xml(status: str = "success", *, timestamp: str = "", timeout: str = "") -> str:
    extra = ""
    if timestamp:
        extra += f"<sessiontimestamp>{timestamp}</sessiontimestamp>"
    if timeout:
        extra += f"<sessiontimeout>{timeout}</sessiontimeout>"
    return (
        f"<authentication><status>{status}</status><userid>WS_USER</userid><companyid>ACME</companyid>"
        f"<locationid></locationid>{extra}</authentication>"
    )


def response_xml(*results: str, auth: str | None = None, controlid: str = "req-1") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><response><control><status>success</status>'
        f"<senderid>SENDER</senderid><controlid>{controlid}</controlid><uniqueid>false</uniqueid>"
        f"<dtdversion>3.0</dtdversion></control><operation>{auth or auth_xml()}{''.join(results)}</operation>"
        "</response>"
    )


def control_failure_xml(errorno: str, description2: str = "", description: str = "") -> str:
    return (
        "<response><control><status>failure</status><senderid>SENDER</senderid><controlid>req-1</controlid>"
        "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
        f"{errors_xml((errorno, description, description2, ''))}</response>"
    )


def auth_failure_xml(errorno: str = "XL03000006", description2: str = "Invalid session") -> str:
    return (
        "<response><control><status>success</status><senderid>SENDER</senderid><controlid>req-1</controlid>"
        "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control><operation>"
        "<authentication><status>failure</status><userid></userid><companyid></companyid></authentication>"
        f"{errors_xml((errorno, '', description2, ''))}</operation></response>"
    )


def session_result(controlid: str, session_id: str, endpoint: str) -> str:
    api = f"<sessionid>{session_id}</sessionid><endpoint>{endpoint}</endpoint><locationid></locationid>"
    data = f"<data><api>{api}</api></data>"
    return result_xml("getAPISession", controlid, data=data)


def records_xml(tag: str, records: list[dict[str, str]]) -> str:
    return "".join(f"<{tag}>{''.join(f'<{k}>{v}</{k}>' for k, v in r.items())}</{tag}>" for r in records)


Handler = Callable[[ET.Element, str], str]
"""(function's inner element, controlid) -> the <result> XML."""


@dataclass
class FakeGateway:
    """Answers like the gateway: getAPISession logs in, session ids are checked, each function goes to a
    handler keyed by its element name. `faults` are returned (or raised) first, one per request."""

    session_endpoint: str = SESSION_URL
    session_timestamp: str = "2024-10-04T01:38:10+00:00"
    session_timeout: str = "2024-10-04T07:38:10+00:00"
    handlers: dict[str, Handler] = field(default_factory=dict)
    faults: list[HttpReply | Exception] = field(default_factory=list)
    refuse_sessions: int = 0
    """Number of upcoming session-authenticated requests to answer with "Invalid session"."""
    login_error: str | None = None
    logins: int = 0
    requests: list[tuple[str, ET.Element]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    sessions: set[str] = field(default_factory=set)

    def send(self, http: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        assert http.method == "POST"
        assert http.headers["Content-Type"] == "application/xml"
        assert http.body is not None
        url, body = http.url, http.body
        assert timeout[0] > 0
        assert timeout[1] > 0
        self.bodies.append(body)
        request = ET.fromstring(body)
        self.requests.append((url, request))
        if self.faults:
            fault = self.faults.pop(0)
            if isinstance(fault, Exception):
                raise fault
            return fault
        auth = request.find("operation/authentication")
        assert auth is not None
        functions = request.findall("operation/content/function")
        if auth.find("login") is not None:
            return self._login(functions)
        session_id = auth.findtext("sessionid") or ""
        if self.refuse_sessions > 0 or session_id not in self.sessions:
            self.refuse_sessions = max(0, self.refuse_sessions - 1)
            return reply(auth_failure_xml())
        results = [self._call(f) for f in functions]
        return reply(
            response_xml(*results, auth=auth_xml(timestamp=self.session_timestamp, timeout=self.session_timeout))
        )

    def _login(self, functions: list[ET.Element]) -> HttpReply:
        self.logins += 1
        if self.login_error:
            return reply(auth_failure_xml("XL03000006", self.login_error))
        assert len(functions) == 1
        assert functions[0].find("getAPISession") is not None
        session_id = f"SESSION-{self.logins}"
        self.sessions.add(session_id)
        auth = auth_xml(timestamp=self.session_timestamp, timeout=self.session_timeout)
        return reply(
            response_xml(
                session_result(functions[0].get("controlid", ""), session_id, self.session_endpoint), auth=auth
            )
        )

    def _call(self, function: ET.Element) -> str:
        inner = function[0]
        controlid = function.get("controlid", "")
        handler = self.handlers.get(inner.tag)
        assert handler is not None, f"no handler for {inner.tag}"
        return handler(inner, controlid)

    def function_requests(self, name: str) -> list[ET.Element]:
        return [f for _, r in self.requests for f in r.findall(f"operation/content/function/{name}")]


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class SleepRecorder:
    """Injected sleep: records the waits and advances the fake clock instead of sleeping."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.waits: list[float] = []
        self.clock = clock

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)
