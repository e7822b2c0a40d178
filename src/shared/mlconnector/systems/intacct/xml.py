"""Building request XML as text, deterministically.

Every text value is first stripped of the characters XML 1.0 forbids (and of the C1 controls
U+007F-U+009F), then escaped. Forbidden characters are never written as numeric references:
`&#1;` is as illegal as the raw byte, so the gateway would reject the whole request (XL03000003).
Element names are checked against a conservative XML name pattern (the gateway's field names are ASCII).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

# XML 1.0 §2.2 forbids U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, surrogates, U+FFFE, U+FFFF.
# U+007F-U+009F are legal but discouraged; finance data never needs them, so they go too.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

Scalar = str | int | Decimal | bool | date | datetime
"""Values the builders accept. Floats are refused on purpose: money goes as Decimal or str."""


class InvalidElementName(ValueError):
    pass


def strip_forbidden(text: str) -> str:
    """Remove characters that may not appear in an XML 1.0 document (plus C1 controls)."""
    return _FORBIDDEN.sub("", text)


def has_forbidden(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def escape_text(text: str) -> str:
    """Strip, then escape for element content. A CR is kept as `&#13;` (a parser would turn a raw one into LF)."""
    return strip_forbidden(text).translate(_TEXT_ESCAPES)


def escape_attr(text: str) -> str:
    """Strip, then escape for a double-quoted attribute value."""
    return strip_forbidden(text).translate(_ATTR_ESCAPES)


def check_name(name: str) -> str:
    """Return `name` if it is a valid element name for the gateway, else raise InvalidElementName."""
    if not _NAME.match(name) or name.lower().startswith("xml"):
        raise InvalidElementName(f"not a valid XML element name: {name!r}")
    return name


def format_value(value: Scalar) -> str:
    """Intacct's text form: booleans `true`/`false`, dates `MM/DD/YYYY`, timestamps `MM/DD/YYYY HH:MM:SS`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%m/%d/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"unsupported value type for Intacct XML: {type(value).__name__}")


@dataclass(frozen=True)
class Element:
    """An immutable XML element: text or children (not both), attributes in the order given."""

    tag: str
    children: tuple[Element, ...] = ()
    text: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        check_name(self.tag)
        for name, _ in self.attrs:
            check_name(name)
        if self.text is not None and self.children:
            raise ValueError(f"element {self.tag} cannot have both text and children")


def el(tag: str, *children: Element, text: Scalar | None = None, attrs: dict[str, str] | None = None) -> Element:
    """Shorthand: `el("object", text="VENDOR")`, `el("select", el("field", text="RECORDNO"))`."""
    return Element(
        tag,
        children,
        None if text is None else format_value(text),
        tuple((attrs or {}).items()),
    )


def render(element: Element) -> str:
    """Compact XML text for one element (no whitespace between elements; `<tag/>` when empty)."""
    parts: list[str] = []
    _render_into(element, parts)
    return "".join(parts)


def _render_into(element: Element, parts: list[str]) -> None:
    attrs = "".join(f' {name}="{escape_attr(value)}"' for name, value in element.attrs)
    if element.children:
        parts.append(f"<{element.tag}{attrs}>")
        for child in element.children:
            _render_into(child, parts)
        parts.append(f"</{element.tag}>")
        return
    text = escape_text(element.text or "")
    parts.append(f"<{element.tag}{attrs}>{text}</{element.tag}>" if text else f"<{element.tag}{attrs}/>")


def render_document(element: Element) -> str:
    return XML_DECLARATION + render(element)


def forbidden_paths(element: Element, prefix: str = "") -> list[str]:
    """Paths (tags only, never values) of elements whose text loses characters to stripping,
    so the caller can log which fields were changed."""
    path = f"{prefix}/{element.tag}"
    found = [path] if element.text is not None and has_forbidden(element.text) else []
    for child in element.children:
        found.extend(forbidden_paths(child, path))
    return found
