"""OAuth scopes: ``Service.group[.resource].OPERATION`` (``ZohoCRM.modules.ALL``, ``ZohoCRM.modules.accounts.READ``,
``ZohoCRM.settings.fields.READ``, ``ZohoSearch.securesearch.READ``). A granted scope covers a need when service and
group match, it names no resource or the same one, and its operation is one the need accepts. Compared
case-insensitively (UNVERIFIED: "case-insensitive in practice")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

READ = frozenset({"ALL", "READ"})
WRITE = frozenset({"ALL", "WRITE", "CREATE"})


@dataclass(frozen=True)
class Need:
    service: str
    group: str
    resource: str | None
    operations: frozenset[str]

    def covered_by(self, scope: str) -> bool:
        parts = scope.strip().split(".")
        if len(parts) not in (3, 4):
            return False
        service, group, *middle, operation = (part.lower() for part in parts)
        resource = middle[0] if middle else None
        if (service, group) != (self.service.lower(), self.group.lower()):
            return False
        if resource is not None and resource != (self.resource or "").lower():
            return False
        return operation.upper() in self.operations


def module_need(module: str, operations: frozenset[str]) -> Need:
    return Need("ZohoCRM", "modules", module, operations)


SEARCH_NEED = Need("ZohoSearch", "securesearch", None, READ)
MODULES_META_NEED = Need("ZohoCRM", "settings", "modules", READ)
FIELDS_META_NEED = Need("ZohoCRM", "settings", "fields", READ)
USERS_NEED = Need("ZohoCRM", "users", None, READ)
ORG_NEED = Need("ZohoCRM", "org", None, READ)
COQL_NEED = Need("ZohoCRM", "coql", None, READ)


def granted(scopes: Iterable[str], needs: Iterable[Need]) -> bool:
    held = list(scopes)
    return all(any(need.covered_by(scope) for scope in held) for need in needs)
