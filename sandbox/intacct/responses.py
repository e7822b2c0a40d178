"""Building gateway responses: control block, authentication block, results, error messages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sandbox.core.messages import SimResponse
from sandbox.intacct.envelope import ControlEcho
from sandbox.intacct.errors import IntacctError
from sandbox.intacct.xmlwrite import element

CONTENT_TYPE = 'text/xml; encoding="UTF-8"'
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class FunctionResult:
    function: str
    controlid: str
    status: str = "success"  # success | failure | aborted | "" (no <status>: a §5.2 duplicate shape)
    data: str | None = None  # a rendered <data> element
    errors: tuple[IntacctError, ...] = ()


@dataclass(frozen=True)
class AuthBlock:
    status: str
    userid: str = ""
    companyid: str = ""
    locationid: str | None = None
    sessiontimestamp: str | None = None
    sessiontimeout: str | None = None


def errors_xml(errors: Iterable[IntacctError]) -> str:
    parts = [
        "<error>"
        + element("errorno", error.errorno)
        + element("description", error.description)
        + element("description2", error.description2)
        + element("correction", error.correction)
        + "</error>"
        for error in errors
    ]
    return "<errormessage>" + "".join(parts) + "</errormessage>"


def _control(status: str, echo: ControlEcho) -> str:
    return (
        "<control>"
        + element("status", status)
        + element("senderid", echo.senderid)
        + element("controlid", echo.controlid)
        + element("uniqueid", echo.uniqueid)
        + element("dtdversion", echo.dtdversion)
        + "</control>"
    )


def authentication_xml(auth: AuthBlock) -> str:
    parts = [element("status", auth.status), element("userid", auth.userid), element("companyid", auth.companyid)]
    if auth.locationid is not None:
        parts.append(element("locationid", auth.locationid))
    if auth.sessiontimestamp is not None:
        parts.append(element("sessiontimestamp", auth.sessiontimestamp))
    if auth.sessiontimeout is not None:
        parts.append(element("sessiontimeout", auth.sessiontimeout))
    return "<authentication>" + "".join(parts) + "</authentication>"


def result_xml(result: FunctionResult) -> str:
    parts = [element("status", result.status)] if result.status else []
    parts += [element("function", result.function), element("controlid", result.controlid)]
    if result.data is not None:
        parts.append(result.data)
    if result.errors:
        parts.append(errors_xml(result.errors))
    return "<result>" + "".join(parts) + "</result>"


def operation_xml(auth: AuthBlock, results: Sequence[FunctionResult], errors: Sequence[IntacctError] = ()) -> str:
    """An operation; when authentication failed: its errors and no results."""
    inner = authentication_xml(auth)
    inner += errors_xml(errors) if errors else "".join(result_xml(result) for result in results)
    return "<operation>" + inner + "</operation>"


def _document(inner: str) -> bytes:
    return (_DECLARATION + "<response>" + inner + "</response>").encode("utf-8")


def control_failure(echo: ControlEcho, errors: Sequence[IntacctError], status: int = 200) -> SimResponse:
    body = _document(_control("failure", echo) + errors_xml(errors))
    return SimResponse(status=status, headers={"Content-Type": CONTENT_TYPE}, body=body)


def success(echo: ControlEcho, operations: Sequence[str]) -> SimResponse:
    body = _document(_control("success", echo) + "".join(operations))
    return SimResponse(status=200, headers={"Content-Type": CONTENT_TYPE}, body=body)
