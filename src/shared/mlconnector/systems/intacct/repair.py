"""Getting past characters XML 1.0 forbids in a response, without losing track of the records they were in.

Whether the real gateway escapes a control character stored in a record (a vendor name typed with a bell,
`\\x07`) is UNVERIFIED. If it sends it raw, or as `&#7;`, the response is not well-formed and no parser reads
it; refusing it would fail every run that reads the record and block every other change behind it. So a
response that fails to parse *and* holds such characters is parsed again with them taken out. Each one is first
replaced by a marker character that the body does not otherwise contain; after parsing, the markers are removed
from the text and each record element that held one is tagged with the fields concerned (see `SANITIZED`), so
the response layer can name the records to the caller and the audit.

Only the characters XML forbids are handled: a response broken in any other way (truncated, hostile) is not
touched here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET

SANITIZED = "{urn:ml-connector}sanitized"
"""Attribute set on a record element whose text lost forbidden characters: its field paths, comma-separated.
Namespaced, so no attribute from the wire can carry the same name."""

_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_MARKERS = tuple(chr(c) for c in range(0xE000, 0xE100))


def _forbidden_code_point(code: int) -> bool:
    return (
        code in (0xFFFE, 0xFFFF)
        or 0xD800 <= code <= 0xDFFF
        or code > 0x10FFFF
        or (code < 0x20 and code not in (0x09, 0x0A, 0x0D))
    )


def mark_forbidden(body: bytes) -> tuple[bytes, str] | None:
    """The body with each forbidden character (raw or as a numeric reference) replaced by a marker, and the
    marker; None when the body holds none (or is not UTF-8, or uses every candidate marker)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    marker = next((m for m in _MARKERS if m not in text), None)
    if marker is None:
        return None
    found = False

    def reference(match: re.Match[str]) -> str:
        nonlocal found
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if not _forbidden_code_point(code):
            return match.group(0)
        found = True
        return marker

    marked = _REFERENCE.sub(reference, text)
    marked, raw = _RAW.subn(marker, marked)
    if not found and not raw:
        return None
    return marked.encode("utf-8"), marker


def unmark(root: StdET.Element, marker: str, record_parents: tuple[str, ...] = ("data",)) -> None:
    """Remove the markers from every text and tail; tag the records (children of `data`) that held one."""
    for parent in root.iter():
        if str(parent.tag).lower() in record_parents:
            for record in parent:
                paths = _unmark_record(record, marker)
                if paths:
                    record.set(SANITIZED, ",".join(paths))
    for element in root.iter():
        if element.text and marker in element.text:
            element.text = element.text.replace(marker, "")
        if element.tail and marker in element.tail:
            element.tail = element.tail.replace(marker, "")


def _unmark_record(record: StdET.Element, marker: str) -> list[str]:
    paths: list[str] = []

    def walk(element: StdET.Element, path: tuple[str, ...]) -> None:
        if element.text and marker in element.text:
            element.text = element.text.replace(marker, "")
            paths.append(".".join(path) or str(record.tag).upper())
        for child in element:
            walk(child, (*path, str(child.tag).upper()))

    walk(record, ())
    return sorted(set(paths))
