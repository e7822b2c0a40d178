"""Every knob of the Mailchimp simulator. Defaults follow the references (mailchimp.md, verified-2026-12.md §1);
facts marked UNVERIFIED there are knobs here, defaulting to the most likely reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sandbox.core.credentials import Credentials

MERGE_TYPES = frozenset(
    {"text", "number", "address", "phone", "date", "url", "imageurl", "radio", "dropdown", "birthday", "zip"}
)
ThrottleStyle = Literal["problem", "empty_429", "empty_403"]
BatchProgress = Literal["per_get", "clock", "immediate"]

# Addresses Mailchimp refuses as "looks fake or invalid" (fnmatch patterns on the lower-cased address). The bare
# reserved domains are refused; their subdomains (acme.example.com, which the Intacct sandbox seeds) are accepted,
# so the connector's sandbox data passes. UNVERIFIED: Mailchimp's real list is private and larger.
DEFAULT_FAKE_EMAILS = (
    "*@example.com",
    "*@example.net",
    "*@example.org",
    "test@*",
    "*@test.com",
    "*@mailinator.com",
    "*@yopmail.com",
)


@dataclass(frozen=True)
class MergeFieldSpec:
    """A merge field the seeded audience has besides FNAME, LNAME, ADDRESS and PHONE."""

    tag: str
    name: str
    type: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()  # radio / dropdown

    def __post_init__(self) -> None:
        if self.type not in MERGE_TYPES:
            raise ValueError(f"unknown merge field type {self.type!r}; known: {sorted(MERGE_TYPES)}")


@dataclass
class MailchimpSimConfig:
    # The account: its data centre, API key (32 hex + "-" + dc) and OAuth tokens (sandbox-only values).
    dc: str = "us6"
    api_key: str = field(default="5a4dbc0ffee0c0ffee0c0ffee0c0ffee-us6", repr=False)
    extra_api_keys: tuple[str, ...] = field(default=(), repr=False)  # more keys of the same account
    oauth_tokens: tuple[str, ...] = field(default=("sbx0oauth0token00000000000000001",), repr=False)
    account_id: str = "8d3a3db4d97663a9074efcc16"
    account_name: str = "ML Connector Sandbox"
    login_email: str = "owner@mlc-sandbox.example.com"
    login_id: str = "31456761"
    user_id: int = 31456761
    # UNVERIFIED (reference §1.1): a known key whose "-dc" suffix is not this dc gets 401 "API Key Invalid"
    # (default, detail names the wrong datacenter) or 403 "Wrong Datacenter" (the glossary's other reading).
    wrong_dc_status: int = 401
    # A disabled key: 401 "API Key Invalid" with detail "API key has been disabled" (3P capture).
    key_disabled: bool = False
    # UNVERIFIED (verified §1.5): an API key sent as "Bearer <key>" is accepted (a production target does so).
    accept_api_key_as_bearer: bool = True

    # Problem documents: newer responses often omit "type" (verified §1.4); True keeps it (older captures).
    problem_type: bool = True

    # Limits: simultaneous connections per account (429 beyond); at very high volume Mailchimp's edge answers
    # 429/403 without a body ("empty_429" / "empty_403"); "problem" is the documented problem+json 429.
    max_connections: int = 10
    throttle_style: ThrottleStyle = "problem"
    max_batch_subscribe: int = 500
    max_pending_batches: int = 500
    default_count: int = 10
    max_count: int = 1000

    # Members. UNVERIFIED (reference §5.3): a PUT creating a member needs status_if_new (a "status" alone is
    # refused); False: "status" alone creates it.
    put_requires_status_if_new: bool = True
    fake_email_patterns: tuple[str, ...] = DEFAULT_FAKE_EMAILS
    # Merge fields of the seeded audience besides FNAME, LNAME, ADDRESS, PHONE (UNVERIFIED defaults, §7.1).
    extra_merge_fields: tuple[MergeFieldSpec, ...] = (MergeFieldSpec("COMPANY", "Company"),)

    # /batches. The status moves pending -> preprocessing -> started -> finalizing -> finished: one step per
    # GET of the batch ("per_get"), one step per batch_stage_seconds of simulator time ("clock"), or at once
    # ("immediate"). Operations run when the batch reaches "started".
    batch_progress: BatchProgress = "per_get"
    batch_stage_seconds: float = 2.0
    # UNVERIFIED archive layout: results split into files of this many operations, plus one empty file (an
    # empty file is a verified quirk parsers must skip).
    batch_results_per_file: int = 100
    batch_empty_file: bool = True
    # UNVERIFIED retention: a batch (and its archive) is gone this many simulator seconds after it finished
    # (GET -> 404, verified behaviour once expired). None: kept until deleted or expired by the admin endpoint.
    batch_retention_s: float | None = None

    # E-commerce. Customer ids longer than this answer 404 (verified report). Product PUT (upsert) exists in the
    # newer spec only; False answers 405 like SDK 3.0.80's spec.
    max_customer_id_length: int = 50
    product_put: bool = True

    # The seeded audience.
    list_name: str = "ML Connector Sandbox Audience"

    def __post_init__(self) -> None:
        if not self.api_key.endswith(f"-{self.dc}"):
            raise ValueError(f"api_key must end with -{self.dc}")
        if self.wrong_dc_status not in (401, 403):
            raise ValueError("wrong_dc_status must be 401 or 403")
        if self.throttle_style not in ("problem", "empty_429", "empty_403"):
            raise ValueError("throttle_style must be problem, empty_429 or empty_403")
        if self.batch_progress not in ("per_get", "clock", "immediate"):
            raise ValueError("batch_progress must be per_get, clock or immediate")

    @property
    def api_keys(self) -> tuple[str, ...]:
        return (self.api_key, *self.extra_api_keys)

    def credentials(self, base_url: str, list_id: str) -> Credentials:
        """What a connection's Mailchimp secret holds. ``base_url`` is the local stand-in for
        ``https://<dc>.api.mailchimp.com`` (no ``/3.0``, like the OAuth metadata's ``api_endpoint``)."""
        return Credentials(
            public={"base_url": base_url, "list_id": list_id},
            secret={"api_key": self.api_key},
        )
