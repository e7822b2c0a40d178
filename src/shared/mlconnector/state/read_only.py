"""A dry run writes nothing anywhere: a cache wrapper that reads the shared cache and keeps new entries in memory."""

from __future__ import annotations

from typing import Protocol


class Cache[T](Protocol):
    def get(self, key: str) -> T | None: ...

    def put(self, key: str, value: T) -> None: ...

    def delete(self, key: str) -> None: ...


class ReadOnlyCache[T]:
    """Reuses what the shared (DynamoDB) cache holds; whatever this run creates or drops stays in this process."""

    def __init__(self, shared: Cache[T]) -> None:
        self._shared = shared
        self._local: dict[str, T] = {}
        self._dropped: set[str] = set()

    def get(self, key: str) -> T | None:
        if key in self._local:
            return self._local[key]
        if key in self._dropped:
            return None
        return self._shared.get(key)

    def put(self, key: str, value: T) -> None:
        self._local[key] = value
        self._dropped.discard(key)

    def delete(self, key: str) -> None:
        self._local.pop(key, None)
        self._dropped.add(key)
