"""Redacting request and response XML before it is logged: credentials, session ids, ids of the
API user, tax ids and bank/card fields become REDACTED (as the SDKs' log formatters do, plus more)."""

from __future__ import annotations

import re

REDACTED = "REDACTED"
SENSITIVE_ELEMENTS = (
    "password",
    "sessionid",
    "senderid",
    "userid",
    "taxid",
    "ssn",
    "cardnum",
    "accountnumber",
    "achaccountnumber",
    "achbankroutingnumber",
    "wireaccountnumber",
    "wirebankroutingnumber",
    "bankaccountno",
    "routingno",
)

_ELEMENT = re.compile(
    r"<(?P<tag>(?:" + "|".join(SENSITIVE_ELEMENTS) + r"))(?P<attrs>\s[^>]*)?>.*?</(?P=tag)\s*>",
    re.IGNORECASE | re.DOTALL,
)


def redact_xml(text: str) -> str:
    """Replace the content of every sensitive element; empty and self-closing elements stay as they are."""
    return _ELEMENT.sub(lambda m: f"<{m['tag']}{m['attrs'] or ''}>{REDACTED}</{m['tag']}>", text)
