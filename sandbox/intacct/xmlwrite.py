"""Writing response XML as strings: fast, and escaping is explicit in one place."""

from __future__ import annotations

from collections.abc import Mapping


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    return escape(text).replace('"', "&quot;")


def element(tag: str, text: str | None) -> str:
    """``<tag>text</tag>``; an empty value is written ``<tag></tag>`` as the gateway does."""
    return f"<{tag}>{escape(text or '')}</{tag}>"


def data_element(inner: str, attributes: Mapping[str, str | int] | None = None) -> str:
    attrs = "".join(f' {name}="{escape_attr(str(value))}"' for name, value in (attributes or {}).items())
    if not inner:
        return f"<data{attrs}/>"
    return f"<data{attrs}>{inner}</data>"
