"""Strip-then-escape, element names and deterministic rendering."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal

import pytest

from mlconnector.systems.intacct.xml import (
    Element,
    InvalidElementName,
    check_name,
    el,
    escape_attr,
    escape_text,
    forbidden_paths,
    format_value,
    render,
    strip_forbidden,
)

FORBIDDEN = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]] + [
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
]
KEPT = ["\t", "\n", " ", "é", "\u00a0", "\ud7ff", "\ue000", "\ufffd", "😀", "日本"]


@pytest.mark.parametrize("char", FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_forbidden_characters_are_stripped(char: str) -> None:
    assert strip_forbidden(f"a{char}b") == "ab"


@pytest.mark.parametrize("char", KEPT, ids=lambda c: f"U+{ord(c[0]):04X}")
def test_allowed_characters_are_kept(char: str) -> None:
    assert strip_forbidden(f"a{char}b") == f"a{char}b"


def test_strip_happens_before_escape_and_no_numeric_reference_is_emitted() -> None:
    value = "Acme\x00 & <Sons>\x1f\x85 Ltd" + "".join(FORBIDDEN)
    text = escape_text(value)
    assert text == "Acme &amp; &lt;Sons&gt; Ltd"
    rendered = render(el("NAME", text=value + "\r"))
    references = re.findall(r"&#(x[0-9a-fA-F]+|\d+);", rendered)
    assert references == ["13"]  # only the CR, which XML allows
    assert ET.fromstring(rendered).text == "Acme & <Sons> Ltd\r"


def test_every_code_point_below_0xA0_renders_to_parseable_xml() -> None:
    value = "".join(chr(c) for c in range(0xA0))
    parsed = ET.fromstring(render(el("V", text=value)))
    assert parsed.text == "\t\n\r" + "".join(chr(c) for c in range(0x20, 0x7F))


def test_carriage_return_survives_a_parser() -> None:
    rendered = render(el("MEMO", text="line1\r\nline2"))
    assert rendered == "<MEMO>line1&#13;\nline2</MEMO>"
    assert ET.fromstring(rendered).text == "line1\r\nline2"


def test_attribute_values_escape_quotes() -> None:
    assert escape_attr("a\"b'c<&>\x01") == "a&quot;b&apos;c&lt;&amp;&gt;"
    element = ET.fromstring(render(el("function", el("x"), attrs={"controlid": "q\"'\n1"})))
    assert element.get("controlid") == "q\"'\n1"


@pytest.mark.parametrize("name", ["VENDOR", "readByQuery", "_x", "CUSTOM_FIELD_1", "a.b", "a-b"])
def test_valid_names(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["", "1ABC", "A B", "a/b", "a:b", "xmlThing", "XMLX", "<x>", "é", "a&b"])
def test_invalid_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidElementName):
        check_name(name)
    with pytest.raises(InvalidElementName):
        el(name, text="v")


def test_format_value() -> None:
    assert format_value(True) == "true"
    assert format_value(False) == "false"
    assert format_value(7) == "7"
    assert format_value(Decimal("1000.50")) == "1000.50"
    assert format_value(Decimal("1E+3")) == "1000"
    assert format_value(date(2024, 1, 5)) == "01/05/2024"
    assert format_value(datetime(2024, 1, 5, 7, 8, 9)) == "01/05/2024 07:08:09"
    with pytest.raises(TypeError):
        format_value(1.5)  # type: ignore[arg-type]


def test_render_is_compact_and_deterministic() -> None:
    tree = el("a", el("b", text="1"), el("c"), el("d", text=""), el("e", text="\x01"), attrs={"z": "1", "y": "2"})
    assert render(tree) == '<a z="1" y="2"><b>1</b><c/><d/><e/></a>'
    assert render(tree) == render(tree)


def test_element_cannot_have_text_and_children() -> None:
    with pytest.raises(ValueError):
        Element("a", (el("b"),), "text")


def test_forbidden_paths_name_the_fields_without_values() -> None:
    tree = el(
        "VENDOR", el("NAME", text="Ac\x0bme"), el("DISPLAYCONTACT", el("EMAIL1", text="x\x00@y")), el("OK", text="fine")
    )
    assert forbidden_paths(tree) == ["/VENDOR/NAME", "/VENDOR/DISPLAYCONTACT/EMAIL1"]
