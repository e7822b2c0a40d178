"""Parsing a gateway request: defusedxml (no DTDs, no entities), then the envelope's schema rules.

Anything wrong with the XML or the envelope raises EnvelopeError, which the app turns into a
control-level failure XL03000003 (HTTP 200) as the gateway does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

MAX_CONTROLID = 256
DTD_VERSIONS = frozenset({"2.1", "3.0"})
CONTROL_SEQUENCE = (
    ("senderid", True), ("password", True), ("controlid", True), ("uniqueid", False), ("dtdversion", False),
    ("policyid", False), ("debug", False), ("includewhitespace", False), ("showadditionalerrorinfo", False),
)  # fmt: skip
LOGIN_SEQUENCE = (
    ("userid", True), ("companyid", True), ("password", True), ("clientid", False), ("locationid", False),
)  # fmt: skip


@dataclass(frozen=True)
class ControlEcho:
    """The control values echoed in every response (whatever could be read)."""

    senderid: str = ""
    controlid: str = ""
    uniqueid: str = ""
    dtdversion: str = ""


class EnvelopeError(Exception):
    def __init__(self, message: str, echo: ControlEcho | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.echo = echo or ControlEcho()


@dataclass(frozen=True)
class ControlBlock:
    senderid: str
    password: str = field(repr=False)
    controlid: str = ""
    uniqueid: bool = True  # omitted = true (per the docs)
    dtdversion: str = "3.0"
    includewhitespace: bool = True

    @property
    def echo(self) -> ControlEcho:
        return ControlEcho(self.senderid, self.controlid, "true" if self.uniqueid else "false", self.dtdversion)


@dataclass(frozen=True)
class LoginAuth:
    userid: str
    companyid: str
    password: str = field(repr=False)
    locationid: str = ""


@dataclass(frozen=True)
class SessionAuth:
    sessionid: str = field(repr=False)


@dataclass(frozen=True)
class FunctionCall:
    controlid: str
    name: str
    element: Element


@dataclass(frozen=True)
class Operation:
    transaction: bool
    auth: LoginAuth | SessionAuth
    functions: tuple[FunctionCall, ...]


@dataclass(frozen=True)
class GatewayRequest:
    control: ControlBlock
    operations: tuple[Operation, ...]

    @property
    def function_names(self) -> tuple[str, ...]:
        return tuple(call.name for op in self.operations for call in op.functions)


def parse_xml(body: bytes) -> Element:
    """The document root, via defusedxml; EnvelopeError with a parser-style message otherwise."""
    try:
        root: Element = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise EnvelopeError(
            f"Fatal Error: DTDs and entity declarations are not allowed ({type(exc).__name__})."
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(": line ")[0]
        raise EnvelopeError(f"Fatal Error {exc.code}: {reason}. Line: {line}, column: {column}.") from exc
    return root


def parse_request(body: bytes) -> GatewayRequest:
    root = parse_xml(body)
    if root.tag != "request":
        raise EnvelopeError(f"Element '{root.tag}': No matching global declaration available for the validation root.")
    children = list(root)
    if not children or children[0].tag != "control":
        raise EnvelopeError("Element 'request': Missing child element(s). Expected is ( control ).")
    control = _control(children[0])
    operations = children[1:]
    if not operations:
        raise EnvelopeError("Element 'request': Missing child element(s). Expected is ( operation ).", control.echo)
    for extra in operations:
        if extra.tag != "operation":
            _unexpected(extra.tag, "operation", control.echo)
    return GatewayRequest(control, tuple(_operation(op, control.echo) for op in operations))


def _text(element: Element | None) -> str:
    return "" if element is None or element.text is None else element.text


def _unexpected(tag: str, expected: str, echo: ControlEcho | None = None) -> None:
    raise EnvelopeError(f"Element '{tag}': This element is not expected. Expected is ( {expected} ).", echo)


def _sequence(parent: Element, sequence: Sequence[tuple[str, bool]], echo: ControlEcho | None) -> dict[str, str]:
    """Children must follow ``sequence`` in order, required ones present, nothing else, no nesting."""
    values: dict[str, str] = {}
    position = 0
    for child in parent:
        names = [name for name, _ in sequence[position:]]
        if child.tag not in names:
            _unexpected(child.tag, " | ".join(names) or "nothing", echo)
        skipped = sequence[position : position + names.index(child.tag)]
        for name, required in skipped:
            if required:
                _unexpected(child.tag, name, echo)
        if len(child):
            _unexpected(child[0].tag, "text content", echo)
        values[child.tag] = _text(child)
        position += names.index(child.tag) + 1
    for name, required in sequence:
        if required and name not in values:
            raise EnvelopeError(f"Element '{parent.tag}': Missing child element(s). Expected is ( {name} ).", echo)
    return values


def _boolean(value: str | None, name: str, default: bool, echo: ControlEcho | None) -> bool:
    if value is None:
        return default
    if value.strip() not in ("true", "false"):
        raise EnvelopeError(f"Element '{name}': '{value}' is not a valid value of the atomic type 'xs:boolean'.", echo)
    return value.strip() == "true"


def _control(element: Element) -> ControlBlock:
    partial = ControlEcho(
        senderid=_text(element.find("senderid")),
        controlid=_text(element.find("controlid")),
        uniqueid=_text(element.find("uniqueid")),
        dtdversion=_text(element.find("dtdversion")),
    )
    values = _sequence(element, CONTROL_SEQUENCE, partial)
    if len(values["controlid"]) > MAX_CONTROLID:
        raise EnvelopeError("Element 'controlid': [facet 'maxLength'] The value has a length > 256.", partial)
    dtdversion = values.get("dtdversion", "3.0").strip()
    if dtdversion not in DTD_VERSIONS:
        raise EnvelopeError(
            f"Element 'dtdversion': '{dtdversion}' is not an element of the set {{'2.1', '3.0'}}.", partial
        )
    return ControlBlock(
        senderid=values["senderid"],
        password=values["password"],
        controlid=values["controlid"],
        uniqueid=_boolean(values.get("uniqueid"), "uniqueid", True, partial),
        dtdversion=dtdversion,
        includewhitespace=_boolean(values.get("includewhitespace"), "includewhitespace", True, partial),
    )


def _operation(element: Element, echo: ControlEcho) -> Operation:
    transaction = _boolean(element.get("transaction"), "transaction", False, echo)
    children = list(element)
    if not children or children[0].tag != "authentication":
        raise EnvelopeError("Element 'operation': Missing child element(s). Expected is ( authentication ).", echo)
    rest = [child for child in children[1:] if child.tag != "preferences"]
    if len(rest) != 1 or rest[0].tag != "content":
        raise EnvelopeError("Element 'operation': Missing child element(s). Expected is ( content ).", echo)
    functions = tuple(_function(child, echo) for child in rest[0])
    if not functions:
        raise EnvelopeError("Element 'content': Missing child element(s). Expected is ( function ).", echo)
    return Operation(transaction, _authentication(children[0], echo), functions)


def _authentication(element: Element, echo: ControlEcho) -> LoginAuth | SessionAuth:
    children = list(element)
    if len(children) != 1 or children[0].tag not in ("login", "sessionid"):
        raise EnvelopeError("Element 'authentication': Expected is exactly one of ( login | sessionid ).", echo)
    child = children[0]
    if child.tag == "sessionid":
        return SessionAuth(_text(child))
    values = _sequence(child, LOGIN_SEQUENCE, echo)
    return LoginAuth(values["userid"], values["companyid"], values["password"], values.get("locationid", ""))


def _function(element: Element, echo: ControlEcho) -> FunctionCall:
    if element.tag != "function":
        _unexpected(element.tag, "function", echo)
    controlid = element.get("controlid")
    if controlid is None:
        raise EnvelopeError("Element 'function': The attribute 'controlid' is required but missing.", echo)
    if len(controlid) > MAX_CONTROLID:
        raise EnvelopeError("Element 'function', attribute 'controlid': The value has a length > 256.", echo)
    children = list(element)
    if len(children) != 1:
        raise EnvelopeError("Element 'function': Expected is exactly one API call element.", echo)
    return FunctionCall(controlid, children[0].tag, children[0])
