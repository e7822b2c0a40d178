"""The "modules" object of the Zoho secret: each module's external-id field, the unique field every upsert of that
module names in `duplicate_check_fields` (before Zoho's system duplicate field: Accounts would otherwise merge
same-named customers by Account_Name).

    "modules": {"Accounts": {"external_id": "Intacct_ID"}, "Vendors": "Intacct_Vendor_ID"}

Only Single Line, Email, Phone, Number, Long Integer and URL fields can be unique (verified §2.1): the field must be
one of those with "Do not allow duplicate values" (ping checks it). Unknown keys are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from mlconnector.systems.zoho.errors import ConfigurationError

DEFAULT_EXTERNAL_ID = "Intacct_ID"
DEFAULT_EXTERNAL_IDS: Mapping[str, str] = MappingProxyType(
    {"Accounts": DEFAULT_EXTERNAL_ID, "Contacts": DEFAULT_EXTERNAL_ID, "Vendors": DEFAULT_EXTERNAL_ID}
)
"""The modules the connector writes, each with the field an admin adds for it (a unique Single Line field)."""
_API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")


def external_id_fields(modules: object) -> dict[str, str]:
    """Module -> external-id field: the defaults, overridden per module by the "modules" option."""
    if modules in (None, ""):
        modules = {}
    if not isinstance(modules, Mapping):
        raise ConfigurationError('Zoho "modules" option must be an object of module API names')
    fields = dict(DEFAULT_EXTERNAL_IDS)
    for module, value in modules.items():
        fields[check_api_name(module, "module")] = _external_id(module, value)
    return fields


def _external_id(module: str, value: Any) -> str:
    if isinstance(value, str):
        return check_api_name(value, f"{module} external_id")
    if isinstance(value, Mapping):
        unknown = set(value) - {"external_id"}
        if unknown:
            raise ConfigurationError(f'Zoho "modules" option for {module}: unknown keys {sorted(unknown)}')
        return check_api_name(value.get("external_id") or DEFAULT_EXTERNAL_ID, f"{module} external_id")
    raise ConfigurationError(f'Zoho "modules" option for {module} must name its external_id field')


def is_api_name(value: object) -> bool:
    """A module or field API name (letters, digits, underscores): it becomes part of a URL or a query."""
    return isinstance(value, str) and bool(_API_NAME.fullmatch(value))


def check_api_name(value: object, what: str) -> str:
    if not is_api_name(value):
        raise ConfigurationError(f"Zoho {what} {str(value)[:40]!r} is not an API name (letters, digits, underscores)")
    return str(value)
