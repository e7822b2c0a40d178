"""Fault injection: rules that match requests and turn them into failures, configurable per run.

A rule matches on the request path (a glob), on ``match`` (a function/operation name the simulator
reports, or the words ``write`` / ``read``) and on an optional Python predicate. It fires ``times``
times (None = without limit), each time with ``probability`` drawn from the plan's seeded RNG, after
letting ``skip`` matching requests through. The first rule that fires wins; one fault per request.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from sandbox.core.messages import SimResponse
from sandbox.core.pages import cloudflare_page, html_error_page, reason_phrase


class FaultKind(StrEnum):
    """Fault kinds every simulator supports; simulators add their own (plain strings)."""

    STATUS = "status"  # answer with status/body at once; nothing is processed
    CLOUDFLARE = "cloudflare"  # like STATUS with a Cloudflare error page (default 502)
    STATUS_AFTER_COMMIT = "status_after_commit"  # process (commit), then answer status (default 524)
    DELAY = "delay"  # sleep ``seconds``, then process normally
    DROP_BEFORE = "drop_before"  # close the socket without processing or answering
    DROP_AFTER = "drop_after"  # process (commit), then close the socket without answering
    TRUNCATE = "truncate"  # process, then send only the first half of the body
    MALFORMED = "malformed"  # process, then send a body that is not well-formed


GENERIC_KINDS = frozenset(kind.value for kind in FaultKind)
PROCESS_THEN_FAIL = frozenset(
    {FaultKind.STATUS_AFTER_COMMIT, FaultKind.DROP_AFTER, FaultKind.TRUNCATE, FaultKind.MALFORMED}
)


@dataclass(frozen=True)
class RequestInfo:
    """What a simulator tells the framework about a request, for fault matching and call counting.

    ``parsed`` carries the simulator's own parse result so the body is parsed only once.
    """

    operations: tuple[str, ...] = ()
    write: bool = False
    tenant: str | None = None
    parsed: object = None


_JSON_FIELDS = (
    "kind", "match", "path", "times", "probability", "skip",
    "status", "body", "content_type", "headers", "seconds",
)  # fmt: skip


@dataclass
class FaultRule:
    kind: str
    match: str | None = None
    path: str | None = None
    times: int | None = 1
    probability: float = 1.0
    skip: int = 0
    status: int | None = None
    body: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    predicate: Callable[[RequestInfo], bool] | None = field(default=None, compare=False)
    id: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if self.times is not None and self.times < 0:
            raise ValueError("times must be >= 0 or None")
        if self.skip < 0 or self.seconds < 0:
            raise ValueError("skip and seconds must be >= 0")

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.times <= 0

    def matches(self, path: str, info: RequestInfo) -> bool:
        if self.path is not None and not fnmatch.fnmatchcase(path, self.path):
            return False
        if self.match is not None and not _matches_operation(self.match, info):
            return False
        return self.predicate is None or self.predicate(info)

    def error_response(self) -> SimResponse:
        """The HTTP answer for the status-like kinds (STATUS, CLOUDFLARE, STATUS_AFTER_COMMIT)."""
        if self.kind == FaultKind.STATUS:
            status = self.status or 503
            default_body = html_error_page(status)
        else:
            status = self.status or (524 if self.kind == FaultKind.STATUS_AFTER_COMMIT else 502)
            default_body = cloudflare_page(status)
        headers = {"Content-Type": self.content_type or "text/html; charset=UTF-8", **self.headers}
        body = default_body if self.body is None else self.body
        return SimResponse(status=status, headers=headers, body=body.encode(), reason=reason_phrase(status))

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _JSON_FIELDS}
        data.update(id=self.id, fired=self.fired, has_predicate=self.predicate is not None)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultRule:
        unknown = set(data) - set(_JSON_FIELDS)
        if unknown:
            raise ValueError(f"unknown fault rule keys: {sorted(unknown)}")
        if "kind" not in data:
            raise ValueError("a fault rule needs a kind")
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def _matches_operation(match: str, info: RequestInfo) -> bool:
    wanted = match.lower()
    if wanted == "write":
        return info.write
    if wanted == "read":
        return not info.write
    return any(op.lower() == wanted for op in info.operations)


@dataclass(frozen=True)
class FiredFault:
    rule_id: int
    kind: str
    path: str
    operations: tuple[str, ...]


class FaultPlan:
    """The ordered, thread-safe set of fault rules of one simulator."""

    def __init__(self, seed: int = 0, kinds: Iterable[str] = GENERIC_KINDS) -> None:
        self._rng = random.Random(seed)
        self._kinds = frozenset(kinds)
        self._rules: list[FaultRule] = []
        self._fired: list[FiredFault] = []
        self._next_id = 1
        self._lock = threading.Lock()

    @property
    def kinds(self) -> frozenset[str]:
        return self._kinds

    def add(self, rule: FaultRule | str, **options: Any) -> FaultRule:
        """Add a rule: ``plan.add("status", status=503, match="query", times=2)`` or a FaultRule."""
        new = rule if isinstance(rule, FaultRule) else FaultRule(kind=rule, **options)
        if new.kind not in self._kinds:
            raise ValueError(f"unknown fault kind {new.kind!r}; known: {sorted(self._kinds)}")
        with self._lock:
            new.id = self._next_id
            self._next_id += 1
            self._rules.append(new)
        return new

    def add_json(self, payload: Any) -> list[FaultRule]:
        """Add one rule (a JSON object) or several (``{"rules": [...]}`` or a list)."""
        items = payload.get("rules", [payload]) if isinstance(payload, dict) else payload
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ValueError("expected a fault rule object, a list of them, or {'rules': [...]}")
        rules = [FaultRule.from_json(item) for item in items]
        for rule in rules:  # validate every kind before adding any
            if rule.kind not in self._kinds:
                raise ValueError(f"unknown fault kind {rule.kind!r}; known: {sorted(self._kinds)}")
        return [self.add(rule) for rule in rules]

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [rule for rule in self._rules if rule.id != rule_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._rng.seed(seed)

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    @property
    def fired(self) -> list[FiredFault]:
        with self._lock:
            return list(self._fired)

    def pick(self, path: str, info: RequestInfo) -> FaultRule | None:
        """The rule that fires for this request, if any (consumes one of its ``times``)."""
        with self._lock:
            for rule in self._rules:
                if rule.exhausted or not rule.matches(path, info):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                rule.fired += 1
                self._fired.append(FiredFault(rule.id, rule.kind, path, info.operations))
                return rule
        return None
