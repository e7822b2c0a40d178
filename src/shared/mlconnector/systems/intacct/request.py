"""The request envelope: control block, authentication (login or session) and the functions.

Element order follows the gateway's schema (v3.0 api.xsd); it validates order, so do not reorder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mlconnector.systems.intacct.functions.base import ApiFunction, check_controlid
from mlconnector.systems.intacct.xml import Element, el, render_document

DTD_VERSION = "3.0"


@dataclass(frozen=True)
class ControlBlock:
    sender_id: str
    sender_password: str = field(repr=False)
    controlid: str
    uniqueid: bool
    """Send it always: the gateway treats a missing uniqueid as true. Reads false, writes true."""
    dtdversion: str = DTD_VERSION
    include_whitespace: bool = False

    def to_element(self) -> Element:
        return el(
            "control",
            el("senderid", text=self.sender_id),
            el("password", text=self.sender_password),
            el("controlid", text=check_controlid(self.controlid)),
            el("uniqueid", text=self.uniqueid),
            el("dtdversion", text=self.dtdversion),
            el("includewhitespace", text=self.include_whitespace),
        )


@dataclass(frozen=True)
class LoginAuth:
    user_id: str
    company_id: str
    password: str = field(repr=False)
    location_id: str | None = None
    """Entity id in a multi-entity company; None logs in at the top level."""

    def to_element(self) -> Element:
        parts = [
            el("userid", text=self.user_id),
            el("companyid", text=self.company_id),
            el("password", text=self.password),
        ]
        if self.location_id:
            parts.append(el("locationid", text=self.location_id))
        return el("authentication", el("login", *parts))


@dataclass(frozen=True)
class SessionAuth:
    session_id: str = field(repr=False)

    def to_element(self) -> Element:
        return el("authentication", el("sessionid", text=self.session_id))


Authentication = LoginAuth | SessionAuth


def function_element(function: ApiFunction) -> Element:
    """`<function controlid="…">` wrapping exactly one API call."""
    return el("function", function.to_element(), attrs={"controlid": check_controlid(function.controlid)})


def build_request(
    control: ControlBlock,
    auth: Authentication,
    functions: Sequence[ApiFunction],
    *,
    transaction: bool = False,
) -> str:
    """The full request document. Function controlids must be unique: results are matched on them."""
    if not functions:
        raise ValueError("a request needs at least one function")
    controlids = [f.controlid for f in functions]
    if len(set(controlids)) != len(controlids):
        raise ValueError("function controlids must be unique within a request")
    operation = el(
        "operation",
        auth.to_element(),
        el("content", *(function_element(f) for f in functions)),
        attrs={"transaction": "true" if transaction else "false"},
    )
    return render_document(el("request", control.to_element(), operation))
