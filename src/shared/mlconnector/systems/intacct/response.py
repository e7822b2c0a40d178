"""Parsing gateway responses with defusedxml and finding failures at every level.

Failure levels: control (nothing ran) and authentication (no function ran) raise here; each
`<result>` carries its own status and, when it failed, a classified error, so one failed function
never hides the others. HTTP 200 says nothing about success.

Records: every element child of `<data>` is one record, whatever its name or case (`<vendor>`,
`<VENDOR>`, `<api>`), and records always come as a list. A record is a dict keyed by the UPPERCASE
element name; a child with children becomes a nested dict; a name repeated among siblings becomes a
list; an empty element is "". Attributes inside records are ignored. The client then gives related
fields one shape, `record["DISPLAYCONTACT.EMAIL1"]`, whether they came flat or nested (dotted.py).

Refusals: a response with a DTD, an entity or an external reference is refused as hostile (HostileResponse,
worth one more try at most: a gateway that sent one will send it again). A response that is not well-formed
only because it holds characters XML forbids is read without them (repair.py), and the records that held them
say so in `ResultData.sanitized`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as StdET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

# defusedxml ships no type information (types-defusedxml is not installed).
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from mlconnector.systems.intacct.classify import (
    DEFAULT_RULES,
    ErrorRules,
    authentication_failure,
    control_failure,
    result_failure,
)
from mlconnector.systems.intacct.dotted import normalise
from mlconnector.systems.intacct.errors import ErrorDetail, HostileResponse, IntacctError, ParseError
from mlconnector.systems.intacct.repair import SANITIZED, mark_forbidden, unmark

Record = dict[str, Any]
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class AuthenticationInfo:
    status: str
    user_id: str
    company_id: str
    location_id: str
    session_timestamp: str | None
    session_timeout: str | None


@dataclass(frozen=True)
class ResultData:
    listtype: str
    count: int | None
    totalcount: int | None
    numremaining: int | None
    offset: int | None
    result_id: str | None
    records: tuple[Record, ...] = field(repr=False)
    sanitized: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Record index -> the fields that lost characters XML forbids (the gateway sent them raw)."""
    attributes: tuple[Mapping[str, str], ...] = field(default=(), repr=False)
    """The attributes of each record element, names lower-cased (`lookup`'s `<Type Name>`, `inspect`'s
    `<type typename>`); records themselves never carry attributes."""


@dataclass(frozen=True)
class Result:
    """One `<result>`. `data` is hidden from repr: it can hold session ids and bank details."""

    function: str
    controlid: str
    status: str
    errors: tuple[ErrorDetail, ...] = ()
    data: ResultData | None = field(default=None, repr=False)
    key: str | None = None
    """Legacy create_*/update_* functions return the new key here instead of data."""
    error: IntacctError | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "success"

    @property
    def records(self) -> list[Record]:
        return list(self.data.records) if self.data is not None else []

    def sanitized_fields(self, index: int) -> tuple[str, ...]:
        """The fields of record `index` that lost characters XML forbids; () for a clean record."""
        return self.data.sanitized.get(index, ()) if self.data is not None else ()

    def raise_for_status(self) -> None:
        if self.error is not None:
            raise self.error


@dataclass(frozen=True)
class Response:
    controlid: str
    authentication: AuthenticationInfo
    results: tuple[Result, ...]

    def by_controlid(self) -> dict[str, Result]:
        return {r.controlid: r for r in self.results}


def parse_xml(body: bytes) -> StdET.Element:
    """Parse untrusted XML: any DTD, entity declaration or external reference is refused. A body that is not
    well-formed only because of characters XML forbids is parsed without them (see repair.py)."""
    try:
        return _parse(body)
    except StdET.ParseError as exc:
        marked = mark_forbidden(body)
        if marked is None:
            raise ParseError(f"Intacct response is not well-formed XML ({exc})") from None
    repaired, marker = marked
    try:
        root = _parse(repaired)
    except StdET.ParseError as exc:
        raise ParseError(f"Intacct response is not well-formed XML ({exc})") from None
    unmark(root, marker)
    return root


def _parse(body: bytes) -> StdET.Element:
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HostileResponse(
            "Intacct response refused as hostile XML: the gateway sent a construct the connector never accepts "
            f"(a DTD, an entity or an external reference: {type(exc).__name__})"
        ) from None
    if not isinstance(root, StdET.Element):
        raise ParseError("Intacct response has no root element")
    return root


def parse_response(
    body: bytes,
    *,
    used_session: bool,
    uniqueid: bool,
    http_status: int = 200,
    retry_after: float | None = None,
    rules: ErrorRules = DEFAULT_RULES,
    secrets: Sequence[str] = (),
) -> Response:
    """Raise the classified error for a control or authentication failure; else return all results."""
    root = parse_xml(body)
    if _tag(root) != "response":
        raise ParseError(f"Intacct response root is <{root.tag}>, expected <response>")
    control = _child(root, "control")
    if control is None:
        raise ParseError("Intacct response has no control block")
    if _text(control, "status") != "success":
        errors = _errors(_child(root, "errormessage"), secrets)
        raise control_failure(errors, http_status=http_status, retry_after=retry_after, rules=rules)
    operation = _child(root, "operation")
    if operation is None:
        raise ParseError("Intacct response has no operation block")
    auth = _authentication(operation)
    if auth.status != "success":
        errors = _errors(_child(operation, "errormessage"), secrets)
        raise authentication_failure(errors, used_session=used_session, rules=rules)
    results = tuple(_result(r, uniqueid=uniqueid, rules=rules, secrets=secrets) for r in _children(operation, "result"))
    if not results:
        raise ParseError("Intacct response has no result")
    return Response(controlid=_text(control, "controlid"), authentication=auth, results=results)


def element_value(element: StdET.Element) -> Any:
    """A leaf's text, or a dict of its children (repeated names become lists)."""
    children = list(element)
    if not children:
        return element.text or ""
    value: Record = {}
    for child in children:
        name = _tag(child).upper()
        item = element_value(child)
        if name not in value:
            value[name] = item
        elif isinstance(value[name], _Repeated):
            value[name].append(item)
        else:
            value[name] = _Repeated([value[name], item])
    return {k: list(v) if isinstance(v, _Repeated) else v for k, v in value.items()}


class _Repeated(list[Any]):
    """Marks lists made from repeated elements, so a single list-valued child is never mistaken."""


def _authentication(operation: StdET.Element) -> AuthenticationInfo:
    auth = _child(operation, "authentication")
    if auth is None:
        raise ParseError("Intacct response has no authentication block")
    return AuthenticationInfo(
        status=_text(auth, "status"),
        user_id=_text(auth, "userid"),
        company_id=_text(auth, "companyid"),
        location_id=_text(auth, "locationid"),
        session_timestamp=_text(auth, "sessiontimestamp") or None,
        session_timeout=_text(auth, "sessiontimeout") or None,
    )


def _result(element: StdET.Element, *, uniqueid: bool, rules: ErrorRules, secrets: Sequence[str]) -> Result:
    controlid = _text(element, "controlid")
    if not controlid:
        raise ParseError("Intacct result has no controlid")
    function = _text(element, "function")
    status = _text(element, "status")
    errors = _errors(_child(element, "errormessage"), secrets)
    data_element = _child(element, "data")
    key = _child(element, "key")
    error = None
    if status != "success":
        error = result_failure(
            errors, function=function, controlid=controlid, status=status, uniqueid=uniqueid, rules=rules
        )
    return Result(
        function=function,
        controlid=controlid,
        status=status,
        errors=errors,
        data=_data(data_element) if data_element is not None else None,
        key=(key.text or "") if key is not None else None,
        error=error,
    )


def _data(element: StdET.Element) -> ResultData:
    attrs = {k.lower(): v for k, v in element.attrib.items()}
    records = []
    attributes: list[Mapping[str, str]] = []
    sanitized: dict[int, tuple[str, ...]] = {}
    for index, child in enumerate(element):
        attributes.append(MappingProxyType({k.lower(): v for k, v in child.attrib.items() if k != SANITIZED}))
        value = element_value(child)
        records.append(value if isinstance(value, dict) else {_tag(child).upper(): value})
        if child.get(SANITIZED):
            sanitized[index] = tuple(child.get(SANITIZED, "").split(","))
    return ResultData(
        listtype=attrs.get("listtype", ""),
        count=_int(attrs.get("count")),
        totalcount=_int(attrs.get("totalcount")),
        numremaining=_int(attrs.get("numremaining")),
        offset=_int(attrs.get("offset")),
        result_id=attrs.get("resultid") or None,
        records=tuple(records),
        sanitized=MappingProxyType(sanitized),
        attributes=tuple(attributes),
    )


def sanitized_warning(fields: Sequence[str]) -> str:
    """The audit note of a record that lost characters XML forbids (the text names fields, never values)."""
    return f"Intacct sent characters XML forbids in {', '.join(fields)}: removed, the record synced without them"


def selected(function: object) -> tuple[str, ...]:
    """The field list a read function asked for (`query` select, `fields` of the others); () when none."""
    for name in ("select", "fields"):
        found = getattr(function, name, None)
        if isinstance(found, tuple):
            return tuple(str(f) for f in found)
    return ()


def with_dotted_fields(result: Result, fields: Sequence[str]) -> Result:
    """`result` with its records' related fields under dotted names, however the gateway shaped them."""
    if result.data is None or not result.data.records:
        return result
    records = tuple(normalise(record, fields) for record in result.data.records)
    return replace(result, data=replace(result.data, records=records))


def _errors(errormessage: StdET.Element | None, secrets: Sequence[str]) -> tuple[ErrorDetail, ...]:
    if errormessage is None:
        return ()
    return tuple(
        ErrorDetail(
            errorno=_clean(_text(e, "errorno"), secrets),
            description=_clean(_text(e, "description"), secrets),
            description2=_clean(_text(e, "description2"), secrets),
            correction=_clean(_text(e, "correction"), secrets),
        )
        for e in _children(errormessage, "error")
    )


def _clean(text: str, secrets: Sequence[str]) -> str:
    """Error text as the SDKs show it (tags stripped, entities decoded), with our secrets removed."""
    text = " ".join(html.unescape(_TAGS.sub(" ", text)).split())
    for secret in secrets:
        if secret:
            text = text.replace(secret, "REDACTED")
    return text


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        raise ParseError(f"Intacct data attribute is not a number: {value!r}") from None


def _tag(element: StdET.Element) -> str:
    return str(element.tag).lower()


def _children(parent: StdET.Element, name: str) -> list[StdET.Element]:
    return [c for c in parent if _tag(c) == name]


def _child(parent: StdET.Element, name: str) -> StdET.Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _text(parent: StdET.Element, name: str) -> str:
    child = _child(parent, name)
    return (child.text or "").strip() if child is not None else ""
