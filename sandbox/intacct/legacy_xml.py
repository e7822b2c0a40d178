"""Reading the legacy object-specific functions (``create_apadjustment``, ``create_potransaction``):
lowercase elements in a fixed schema sequence and dates split into ``<year><month><day>``.

A child out of sequence, unknown, repeated or missing fails the function with XL03000003 (the
gateway validates these functions against its schema; whether it fails the function or the
whole request is UNVERIFIED).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from sandbox.intacct.errors import FunctionFailure, IntacctError, invalid_value, schema_error, unsupported

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # type only: parsing goes through defusedxml

Step = tuple[tuple[str, ...], bool]
"""One position of a schema sequence: the element names allowed there (a choice) and whether it is required."""

_DATE_SEQUENCE: tuple[Step, ...] = ((("year",), True), (("month",), True), (("day",), True))


def steps(spec: str) -> tuple[Step, ...]:
    """``"vendorid! datecreated! dateposted exchratetype|exchrate"``: ``!`` = required, ``|`` = choice."""
    return tuple((tuple(token.rstrip("!").split("|")), token.endswith("!")) for token in spec.split())


def _not_expected(tag: str, expected: Iterable[str]) -> FunctionFailure:
    names = " | ".join(expected) or "nothing"
    return FunctionFailure(schema_error(f"Element '{tag}': This element is not expected. Expected is ( {names} )."))


def read_sequence(element: Element, sequence: Sequence[Step]) -> dict[str, Element]:
    """The children of ``element`` by tag, checked against ``sequence``."""
    found: dict[str, Element] = {}
    position = 0
    for child in element:
        index = next((i for i in range(position, len(sequence)) if child.tag in sequence[i][0]), None)
        if index is None:
            raise _not_expected(child.tag, [name for names, _ in sequence[position:] for name in names])
        for names, required in sequence[position:index]:
            if required:
                raise _not_expected(child.tag, names)
        found[child.tag] = child
        position = index + 1
    for names, required in sequence[position:]:
        if required:
            expected = " | ".join(names)
            raise FunctionFailure(
                schema_error(f"Element '{element.tag}': Missing child element(s). Expected is ( {expected} ).")
            )
    return found


def text(found: dict[str, Element], name: str) -> str:
    """The stripped text of a leaf child; "" when absent."""
    child = found.get(name)
    return "" if child is None else (child.text or "").strip()


def legacy_date(found: dict[str, Element], name: str, errors: list[IntacctError]) -> str:
    """A split date as ``MM/DD/YYYY``; "" when absent. An impossible date adds an error."""
    child = found.get(name)
    if child is None:
        return ""
    parts = read_sequence(child, _DATE_SEQUENCE)
    year, month, day = (text(parts, part) for part in ("year", "month", "day"))
    try:
        return date(int(year), int(month), int(day)).strftime("%m/%d/%Y")
    except ValueError:
        errors.append(invalid_value(name, f"{year}-{month}-{day}", "a valid date (year, month, day)"))
        return ""


def children(found: dict[str, Element], container: str, tag: str) -> list[Element]:
    """The repeated items of a container (``apadjustmentitems`` -> ``lineitem``)."""
    parent = found.get(container)
    items = list(parent) if parent is not None else []
    for item in items:
        if item.tag != tag:
            raise _not_expected(item.tag, [tag])
    return items


def refuse_unsimulated(found: dict[str, Element], names: Iterable[str], function: str) -> None:
    """Elements the sandbox does not model fail the function when they carry a value."""
    for name in names:
        child = found.get(name)
        if child is not None and (len(child) or (child.text or "").strip()):
            raise FunctionFailure(unsupported(f"<{name}> in {function}"))
