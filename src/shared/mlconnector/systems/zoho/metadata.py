"""Module and field metadata: `GET /crm/v8/settings/modules` and `GET /crm/v8/settings/fields?module=X` (reference
§3.4, §4; verified §2.2), read into small frozen shapes.

A module is usable through the API when it is listed with `api_supported` true and is not `system_hidden` (older
versions say `visible: false`). Keys missing from a listing take the permissive value (listed = usable): which keys a
given org's reply omits is UNVERIFIED.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlconnector.systems.zoho.errors import ParseError

_API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")


def is_api_name(value: object) -> bool:
    """A module or field API name (letters, digits, underscores): it may become part of a URL or a query."""
    return isinstance(value, str) and bool(_API_NAME.fullmatch(value))


@dataclass(frozen=True)
class ModuleInfo:
    api_name: str
    module_name: str = ""
    singular_label: str = ""
    plural_label: str = ""
    api_supported: bool = True
    creatable: bool = True
    editable: bool = True
    viewable: bool = True
    deletable: bool = True
    status: str = ""
    """visible, user_hidden or system_hidden ("" when not given)."""
    visible: bool = True
    generated_type: str = ""
    """default, custom, web, linking, subform, ..."""

    @property
    def available(self) -> bool:
        """Usable through the API for this org: listed, api_supported, not hidden by Zoho (`status`, or for older
        replies without one, `visible`)."""
        shown = self.status != "system_hidden" if self.status else self.visible
        return self.api_supported and shown


@dataclass(frozen=True)
class FieldInfo:
    api_name: str
    label: str = ""
    data_type: str = ""
    """text, email, phone, picklist, multiselectpicklist, lookup, ownerlookup, integer, bigint, currency, ..."""
    json_type: str = ""
    length: int | None = None
    custom: bool = False
    unique: bool = False
    """"Do not allow duplicate values", or an external-id field (always unique): usable in duplicate_check_fields."""
    mandatory: bool = False
    system_mandatory: bool = False
    read_only: bool = False
    picklist: tuple[str, ...] = ()
    """The values to write (`actual_value`) of a picklist or multi-select picklist."""
    lookup_module: str | None = None
    """The module a lookup field points to (`Accounts` for Parent_Account)."""

    @property
    def required(self) -> bool:
        return self.mandatory or self.system_mandatory


def parse_modules(data: object, *, what: str) -> dict[str, ModuleInfo]:
    """Modules by API name."""
    return {info.api_name: info for info in (_module(item) for item in _list(data, "modules", what)) if info}


def parse_fields(data: object, *, what: str) -> dict[str, FieldInfo]:
    """Fields by API name."""
    return {info.api_name: info for info in (_field(item) for item in _list(data, "fields", what)) if info}


def _list(data: object, key: str, what: str) -> list[Mapping[str, Any]]:
    if data is None:  # 204: nothing listed
        return []
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ParseError(f"{what}: Zoho's reply has no {key} list")
    return [item for item in items if isinstance(item, dict)]


def _module(item: Mapping[str, Any]) -> ModuleInfo | None:
    api_name = _text(item, "api_name")
    if not api_name:
        return None
    return ModuleInfo(
        api_name=api_name,
        module_name=_text(item, "module_name"),
        singular_label=_text(item, "singular_label"),
        plural_label=_text(item, "plural_label"),
        api_supported=_flag(item, "api_supported"),
        creatable=_flag(item, "creatable"),
        editable=_flag(item, "editable"),
        viewable=_flag(item, "viewable"),
        deletable=_flag(item, "deletable"),
        status=_text(item, "status"),
        visible=_flag(item, "visible"),
        generated_type=_text(item, "generated_type"),
    )


def _field(item: Mapping[str, Any]) -> FieldInfo | None:
    api_name = _text(item, "api_name")
    if not api_name:
        return None
    length = item.get("length")
    return FieldInfo(
        api_name=api_name,
        label=_text(item, "field_label") or _text(item, "display_label"),
        data_type=_text(item, "data_type"),
        json_type=_text(item, "json_type"),
        length=length if isinstance(length, int) and not isinstance(length, bool) else None,
        custom=_flag(item, "custom_field", default=False),
        unique=_set(item.get("unique")) or _set(item.get("external")),
        mandatory=_flag(item, "mandatory", default=False),
        system_mandatory=_flag(item, "system_mandatory", default=False),
        read_only=_flag(item, "read_only", default=False),
        picklist=_picklist(item.get("pick_list_values")),
        lookup_module=_lookup_module(item.get("lookup")),
    )


def _picklist(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    found = (_text(v, "actual_value") or _text(v, "display_value") for v in values if isinstance(v, dict))
    return tuple(value for value in found if value)


def _lookup_module(lookup: object) -> str | None:
    """`lookup.module.api_name` (older replies: `lookup.module` as a name)."""
    module = lookup.get("module") if isinstance(lookup, dict) else None
    if isinstance(module, dict):
        return _text(module, "api_name") or None
    return module if isinstance(module, str) and module else None


def _set(value: object) -> bool:
    """Zoho marks a unique (or external) field with a non-empty object; `{}` or null means not."""
    return bool(value) if isinstance(value, dict | bool) else False


def _flag(item: Mapping[str, Any], key: str, *, default: bool = True) -> bool:
    value = item.get(key)
    return value if isinstance(value, bool) else default


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""
