"""Which objects a request can name: the standard ones, plus the custom objects installed in the company
(Platform Services). Everything that resolves an object name from a request goes through ``find_object``."""

from __future__ import annotations

from collections.abc import Mapping

from sandbox.intacct.config import IntacctSimConfig
from sandbox.intacct.custom_objects import CUSTOM_OBJECTS, custom_definition, installed_objects
from sandbox.intacct.schema import OBJECTS, ObjectDef, lookup
from sandbox.intacct.supdoc_records import SUPDOC_OBJECTS


def find_object(config: IntacctSimConfig, name: str) -> ObjectDef | None:
    """A standard object, or an installed custom object; None otherwise (case-insensitive)."""
    obj = lookup(name)
    if obj is not None:
        return obj
    custom = custom_definition(name)
    return custom if custom is not None and custom in installed_objects(config) else None


def visible_objects(config: IntacctSimConfig) -> list[ObjectDef]:
    """What ``inspect`` lists."""
    return [*OBJECTS.values(), *installed_objects(config)]


def store_definitions() -> Mapping[str, ObjectDef]:
    """Every table the store keeps: standard, custom (installed or not) and the attachment tables."""
    return {**OBJECTS, **CUSTOM_OBJECTS, **SUPDOC_OBJECTS}


def any_object(name: str) -> ObjectDef | None:
    """For Python accessors and admin endpoints: any table by name, whatever the configuration."""
    return store_definitions().get(name.strip().upper())
