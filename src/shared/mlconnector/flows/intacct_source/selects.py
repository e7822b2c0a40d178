"""Select lists that read an Intacct contact block: a CONTACT's own fields, or a customer's or vendor's display
contact under `DISPLAYCONTACT.` (the client hands related fields over under their dotted names)."""

from __future__ import annotations

ADDRESS = ("MAILADDRESS.ADDRESS1", "MAILADDRESS.CITY", "MAILADDRESS.STATE", "MAILADDRESS.ZIP", "MAILADDRESS.COUNTRY")
PERSON = ("FIRSTNAME", "LASTNAME", "EMAIL1", "PHONE1")


def contact_block(prefix: str = "", *names: str) -> tuple[str, ...]:
    """The contact fields `names` (default: the person and the mailing address), each under `prefix`."""
    return tuple(prefix + name for name in (names or (*PERSON, *ADDRESS)))
