"""Countries: Commerce stores ISO 3166-1 alpha-2 codes (country_id), Intacct mailing addresses hold country names.

The party keeps the code. UNVERIFIED: the exact names an Intacct company's country list uses; the table holds the
common ones (edit it when a tenant spells a country differently). A name not in the table stays as it is, so it
still round-trips; a Commerce address refuses it (see party.py).
"""

from __future__ import annotations

import re

INTACCT_NAMES: dict[str, str] = {
    "US": "United States",
    "CA": "Canada",
    "MX": "Mexico",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "FR": "France",
    "DE": "Germany",
    "NL": "Netherlands",
    "BE": "Belgium",
    "ES": "Spain",
    "PT": "Portugal",
    "IT": "Italy",
    "CH": "Switzerland",
    "AT": "Austria",
    "SE": "Sweden",
    "NO": "Norway",
    "DK": "Denmark",
    "FI": "Finland",
    "PL": "Poland",
    "JP": "Japan",
    "CN": "China",
    "IN": "India",
    "SG": "Singapore",
    "AU": "Australia",
    "NZ": "New Zealand",
    "BR": "Brazil",
    "ZA": "South Africa",
}
# Other spellings read from Intacct (never written).
ALIASES: dict[str, str] = {
    "usa": "US",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
}
_BY_NAME = {name.casefold(): code for code, name in INTACCT_NAMES.items()} | ALIASES
_CODE = re.compile(r"[A-Za-z]{2}")


def country_code(value: str | None) -> str | None:
    """The ISO code of a code or a known name; an unknown name is returned unchanged."""
    if value is None:
        return None
    if _CODE.fullmatch(value):
        return value.upper()
    return _BY_NAME.get(value.casefold(), value)


def intacct_country(code: str | None) -> str | None:
    """The name Intacct shows for an ISO code; anything else unchanged."""
    if code is None:
        return None
    return INTACCT_NAMES.get(code, code)


def is_iso_code(value: str | None) -> bool:
    return value is not None and _CODE.fullmatch(value) is not None and value.isupper()
