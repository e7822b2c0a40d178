"""Which Mailchimp failures are retried, raised at once, or given to one record (reference §3, verified §1.4).

| reply                                           | becomes                                                   |
|-------------------------------------------------|-----------------------------------------------------------|
| 401                                             | AuthenticationError: fail fast                            |
| 403 with a problem body                         | PermissionDenied: fail fast                               |
| 403 without one (edge throttling)               | RateLimited: back off (Mailchimp's own plugin does too)   |
| 429 (10 connections, 500 pending batches)       | RateLimited: back off, Retry-After honoured               |
| 5xx, 408, lost connection, timeout, bad JSON    | TransientError: back off with jitter                      |
| 404                                             | NotFound (run-level calls: ConfigurationError naming id)  |
| 400, 405, anything else                         | RecordError: that record's failure, Mailchimp's reason    |
| 400 Member Exists, "…provided ID already exists" | AlreadyExists: read back or PATCH                         |
| 400 compliance state, forgotten, fake address   | RecordError(permanent=True)                               |

The HTTP part is `HTTP_STATUS` (with `WITHOUT_PROBLEM` for body-less replies); the text part is `RECORD_RULES`,
matched on the title or on phrases of the detail (titles can come localised, so both are tried). The same rules
classify a member's entry in a batch subscribe's `errors` and an operation's response in a batch archive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mlconnector import request_core
from mlconnector.errors import Rule, StatusTable
from mlconnector.http import HttpReply, retry_after_from
from mlconnector.systems.mailchimp.errors import (
    AlreadyExists,
    AuthenticationError,
    FieldError,
    MailchimpError,
    NotFound,
    PermissionDenied,
    RateLimited,
    RecordError,
    TransientError,
    scrub,
)
from mlconnector.systems.mailchimp.problem import Problem, parse_problem

ERRORS = request_core.SystemErrors("Mailchimp", TransientError)

RATE_LIMIT_MIN_WAIT = 2.0
"""The shortest pause after a 429 or a body-less 403 (Mailchimp names no pause; UNVERIFIED)."""

HTTP_STATUS = StatusTable(
    {
        400: Rule(RecordError, "refused"),
        401: Rule(AuthenticationError, "API key or access token refused; check api_key in the Mailchimp secret"),
        403: Rule(PermissionDenied, "forbidden: the key's user may not do this"),
        404: Rule(NotFound, "not found"),
        405: Rule(RecordError, "method not allowed"),
        408: Rule(TransientError, "timed out"),
        429: Rule(RateLimited, "too many connections at once or too many pending batches"),
        "5xx": Rule(TransientError, "server error"),
    },
    default=Rule(RecordError, "refused"),
)
WITHOUT_PROBLEM: Mapping[int, Rule] = {
    403: Rule(RateLimited, "throttled: 403 without a problem body"),
}
"""Where a reply without a problem body means something else than the same status with one."""


@dataclass(frozen=True)
class TextRule:
    """A refusal recognised by its title or by a phrase of its detail (lower case)."""

    kind: type[RecordError]
    titles: frozenset[str]
    phrases: tuple[str, ...]
    permanent: bool = False
    refusal: str = ""

    def matches(self, title: str, text: str) -> bool:
        lowered = text.lower()
        return title in self.titles or any(phrase in lowered for phrase in self.phrases)


RECORD_RULES: tuple[TextRule, ...] = (
    TextRule(
        AlreadyExists,
        frozenset({"Member Exists"}),
        ("is already a list member", "with the provided id already exists"),
        refusal="already_exists",
    ),
    TextRule(
        RecordError,
        frozenset({"Member In Compliance State"}),
        ("is in a compliance state",),
        permanent=True,
        refusal="compliance_state",
    ),
    TextRule(
        RecordError,
        frozenset({"Forgotten Email Not Subscribed"}),
        ("was permanently deleted",),
        permanent=True,
        refusal="forgotten_email",
    ),
    TextRule(
        RecordError,
        frozenset(),
        ("looks fake or invalid", "please provide a valid email address"),
        permanent=True,
        refusal="fake_email",
    ),
    TextRule(RecordError, frozenset(), ("signed up to a lot of lists very recently",), refusal="too_many_signups"),
)
ALREADY_EXISTS_CODES = frozenset({"ERROR_CONTACT_EXISTS"})
"""A batch subscribe's `error_code` for a member that exists (with update_existing false)."""


def http_failure(reply: HttpReply, *, what: str, now: float, secrets: Sequence[str]) -> MailchimpError | None:
    """None for a 2xx reply, else its error."""
    if 200 <= reply.status < 300:
        return None
    retry_after = retry_after_from(reply.headers, now=now)
    return status_failure(reply.status, parse_problem(reply.body), what=what, secrets=secrets, retry_after=retry_after)


def status_failure(
    status: int, problem: Problem | None, *, what: str, secrets: Sequence[str], retry_after: float | None = None
) -> MailchimpError:
    """The error for a non-2xx status and its problem (None: no problem body)."""
    rule = (WITHOUT_PROBLEM.get(status) if problem is None else None) or HTTP_STATUS.rule(status)
    title, detail, fields = _scrubbed(problem, secrets)
    kind, note = rule.kind, rule.note
    said = f"{title} {detail}".lower().replace("data center", "datacenter")
    if issubclass(kind, AuthenticationError) and "datacenter" in said:
        note = "the API key's data centre does not match its account: copy the whole key again"
    context = f"{what}: HTTP {status} from Mailchimp ({note})"
    if issubclass(kind, TransientError):
        wait = RATE_LIMIT_MIN_WAIT if issubclass(kind, RateLimited) else 0.0
        return kind(context, status=status, title=title, detail=detail, retry_after=retry_after, min_wait=wait)
    if kind is RecordError:  # refined by the refusal texts
        return refusal(context, title=title, detail=detail, field_errors=fields, status=status)
    if not issubclass(kind, MailchimpError):
        raise TypeError(f"HTTP_STATUS names {kind.__name__}, not a MailchimpError")  # a bug in the table
    return kind(context, status=status, title=title, detail=detail, field_errors=fields)


def refusal(
    context: str,
    *,
    title: str = "",
    detail: str = "",
    field_errors: Sequence[FieldError] = (),
    status: int = 0,
    code: str = "",
) -> RecordError:
    """A record's refusal, refined by `RECORD_RULES` (already exists, permanent refusals); `code` is a batch
    subscribe's `error_code`."""
    if code in ALREADY_EXISTS_CODES:
        return AlreadyExists(
            context, status=status, title=title, detail=detail, field_errors=field_errors, refusal="already_exists"
        )
    for rule in RECORD_RULES:
        if rule.matches(title, detail):
            return rule.kind(
                context,
                status=status,
                title=title,
                detail=detail,
                field_errors=field_errors,
                permanent=rule.permanent,
                refusal=rule.refusal,
            )
    return RecordError(context, status=status, title=title, detail=detail, field_errors=field_errors)


def _scrubbed(problem: Problem | None, secrets: Sequence[str]) -> tuple[str, str, tuple[FieldError, ...]]:
    if problem is None:
        return "", "", ()
    fields = tuple(FieldError(scrub(e.field, secrets), scrub(e.message, secrets)) for e in problem.errors)
    return scrub(problem.title, secrets), scrub(problem.detail, secrets), fields
