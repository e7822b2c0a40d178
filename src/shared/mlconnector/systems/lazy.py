"""Lazy package exports (PEP 562): `from mlconnector.systems.commerce import CommerceClient` keeps working, but
importing the package (for its spec, say) no longer imports the client, its auth and their dependencies."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports `package.<module>` the first time one of its exported names is used.
    `exports` maps each exported name to the submodule defining it."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # later look-ups skip __getattr__
        return value

    return __getattr__
