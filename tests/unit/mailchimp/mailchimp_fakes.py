"""A fake Mailchimp for the client's unit tests: a transport with handlers keyed by method and path (relative to
/3.0), problem+json replies, scripted faults, the OAuth metadata endpoint, batch archives, and a count of the
requests in flight at once."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mlconnector.http import HttpPolicy, HttpReply, HttpRequest, RetryPolicy
from mlconnector.systems.mailchimp.credentials import MailchimpCredentials
from tests.conftest import FakeClock
from tests.unit.marketo.marketo_fakes import SleepRecorder

if TYPE_CHECKING:
    from mlconnector.systems.mailchimp.client import MailchimpClient

KEY = "f00dfeedc0ffee00f00dfeedc0ffee00-us6"
TOKEN = "oauth-S3cret-access-token-0001"
HOST = "us6.api.mailchimp.com"
ROOT = f"https://{HOST}/3.0"
LIST_ID = "1a2df69511"
STORE_ID = "intacct-store"
ARCHIVE_URL = "https://mailchimp-api-batch.s3.amazonaws.com/b1-response.tar.gz?AWSAccessKeyId=AK&Signature=x"
JSON = "application/json; charset=utf-8"
PROBLEM = "application/problem+json; charset=utf-8"


def credentials(**overrides: Any) -> MailchimpCredentials:
    values: dict[str, Any] = {"api_key": KEY, "list_id": LIST_ID}
    values.update(overrides)
    return MailchimpCredentials(**values)


def reply(
    body: Any = None, status: int = 200, headers: dict[str, str] | None = None, content_type: str = JSON
) -> HttpReply:
    raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    return HttpReply(status=status, content_type=content_type, body=raw, headers=headers or {})


def problem(
    status: int,
    title: str,
    detail: str = "",
    errors: Sequence[Mapping[str, str]] = (),
    *,
    with_type: bool = False,
    headers: dict[str, str] | None = None,
) -> HttpReply:
    """A problem+json reply; `type` only when asked (newer replies omit it)."""
    body: dict[str, Any] = {"title": title, "status": status, "detail": detail, "instance": "8cf2c011-a212"}
    if with_type:
        body["type"] = "https://mailchimp.com/developer/marketing/docs/errors/"
    if errors:
        body["errors"] = list(errors)
    return reply(body, status, headers, PROBLEM)


@dataclass
class Call:
    request: HttpRequest
    method: str
    path: str
    """Relative to /3.0 for API calls; the full path otherwise."""
    host: str
    params: dict[str, str]
    json: Any

    @property
    def authorization(self) -> str | None:
        return self.request.headers.get("Authorization")


Handler = Callable[[Call], HttpReply | Any]


@dataclass
class FakeMailchimp:
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    faults: list[HttpReply | Exception] = field(default_factory=list)
    """Answers (or raises) for the next requests, one each, before any handler."""
    delay: float = 0.0
    """Real seconds each request takes (to measure how many are in flight at once)."""
    calls: list[Call] = field(default_factory=list)
    in_flight: int = 0
    peak: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, request: HttpRequest, *, timeout: tuple[float, float]) -> HttpReply:
        assert timeout[0] > 0
        assert timeout[1] > 0
        parts = urlsplit(request.url)
        path = parts.path.removeprefix("/3.0") if parts.hostname == HOST else parts.path
        body = json.loads(request.body) if request.body else None
        call = Call(request, request.method, path or "/", parts.hostname or "", dict(request.params), body)
        with self._lock:
            self.calls.append(call)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            fault = self.faults.pop(0) if self.faults else None
        try:
            if self.delay:
                time.sleep(self.delay)
            if isinstance(fault, Exception):
                raise fault
            if fault is not None:
                return fault
            handler = self.handlers.get((request.method, call.path))
            assert handler is not None, f"no handler for {request.method} {call.path}"
            answer = handler(call)
            return answer if isinstance(answer, HttpReply) else reply(answer)
        finally:
            with self._lock:
                self.in_flight -= 1

    def paths(self, method: str | None = None) -> list[str]:
        return [c.path for c in self.calls if method is None or c.method == method]


def make(
    fake: FakeMailchimp,
    *,
    creds: MailchimpCredentials | None = None,
    clock: FakeClock | None = None,
    deadline: float | None = None,
    max_attempts: int = 4,
    **kwargs: Any,
) -> tuple[MailchimpClient, SleepRecorder]:
    """jitter 0: every wait asserted is a floor, a minimum wait or a Retry-After."""
    from mlconnector.systems.mailchimp.client import MailchimpClient  # noqa: PLC0415

    clock = clock or FakeClock()
    sleep = SleepRecorder(clock)
    client = MailchimpClient(
        creds or credentials(),
        transport=fake,
        clock=clock,
        sleep=sleep,
        jitter=lambda: 0.0,
        deadline=(lambda: deadline) if deadline is not None else None,
        http=HttpPolicy(retry=RetryPolicy(base=1.0, cap=8.0, max_attempts=max_attempts)),
        **kwargs,
    )
    return client, sleep


def archive(files: Mapping[str, bytes | list[dict[str, Any]]]) -> bytes:
    """A gzipped tar of JSON files (bytes are written as given: empty files, broken JSON)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        directory = tarfile.TarInfo("b1-response")
        directory.type = tarfile.DIRTYPE
        tar.addfile(directory)
        for name, content in files.items():
            data = content if isinstance(content, bytes) else json.dumps(content).encode()
            info = tarfile.TarInfo(f"b1-response/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def entry(operation_id: str, status: int, response: Any) -> dict[str, Any]:
    """One archive entry: `response` is JSON in a string, as Mailchimp writes it."""
    text = response if isinstance(response, str) else json.dumps(response)
    return {"status_code": status, "operation_id": operation_id, "response": text}
