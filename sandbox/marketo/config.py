"""Every knob of the Marketo simulator. Defaults follow the reference; UNVERIFIED facts are knobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from sandbox.core.credentials import Credentials

DATA_TYPES = frozenset(
    {"string", "text", "email", "url", "phone", "integer", "float", "currency", "boolean", "date", "datetime"}
)


@dataclass(frozen=True)
class FieldSpec:
    """One field of the Company or Lead schema: what describe shows and what sync validates."""

    name: str
    data_type: str = "string"
    length: int | None = 255
    display_name: str = ""
    updateable: bool = True

    def __post_init__(self) -> None:
        if self.data_type not in DATA_TYPES:
            raise ValueError(f"unknown dataType {self.data_type!r}; known: {sorted(DATA_TYPES)}")

    @property
    def label(self) -> str:
        return self.display_name or self.name[:1].upper() + self.name[1:]


UnknownCompanyMode = Literal["skip", "accept", "create"]


@dataclass
class MarketoSimConfig:
    # The instance and its LaunchPoint custom service (sandbox-only values).
    munchkin_id: str = "123-ABC-456"
    client_id: str = "mlc-sandbox-client"
    client_secret: str = field(default="sandbox-client-secret", repr=False)
    # The API-only user owning the service; the token response's "scope".
    api_user: str = "mlc-api@sandbox.example"
    # More custom services on the same instance (client id -> secret); each has its own token.
    extra_clients: dict[str, str] = field(default_factory=dict, repr=False)

    # Tokens: lifetime on the simulator clock; the pod tag after ":" in the token value.
    token_lifetime_s: float = 3600
    pod_tag: str = "sb"
    # Query-parameter access_token is being removed (reference §2.2): refused with 601 unless True.
    accept_query_token: bool = False
    # No token at all: 600 "Empty access token" (Adobe KB ka-28813; absent from the developer docs).
    empty_auth_code: str = "600"

    # Limits, per instance, measured on the simulator clock (reference §5).
    rate_limit_calls: int = 100
    rate_limit_window_s: float = 20
    concurrency_limit: int = 10
    daily_quota: int = 50_000
    quota_timezone: str = "America/Chicago"  # the quota resets at midnight US Central
    max_batch: int = 300
    max_filter_values: int = 300
    max_query_matches: int = 1000  # Get Leads by Filter Type: more matches -> 1003
    max_body_bytes: int = 1_048_576
    max_uri_bytes: int = 8192

    # Native CRM sync: Company writes are skipped with 1018 "CRM Enabled".
    crm_enabled: bool = False
    # Custom fields. The default company field is the one the connector's install guide asks for.
    company_custom_fields: tuple[FieldSpec, ...] = (
        FieldSpec("intacctVendorStatus", "string", 255, "Intacct Vendor Status"),
    )
    lead_custom_fields: tuple[FieldSpec, ...] = ()
    partitions: tuple[str, ...] = ("Default",)

    # UNVERIFIED (reference §6.3): reasons of createOnly on an existing / updateOnly on a missing company.
    company_exists_code: str = "1017"
    company_missing_code: str = "1013"
    # UNVERIFIED (reference §6.5): a lead naming an externalCompanyId that does not exist.
    # "skip": reason 1003 (the default: it catches leads synced before their company);
    # "accept": keep the value, link nothing; "create": create an empty company and link it.
    unknown_company_mode: UnknownCompanyMode = "skip"
    # Company fields sent on a lead linked to a company -> 1021 (reference §6.5). False: stored but
    # shadowed by the company's values, as the UI shows them.
    reject_company_fields_on_linked_leads: bool = True

    def __post_init__(self) -> None:
        ZoneInfo(self.quota_timezone)  # fail early on an unknown zone

    def clients(self) -> dict[str, str]:
        """Every custom service of the instance: client id -> secret."""
        return {**self.extra_clients, self.client_id: self.client_secret}

    def credentials(self, base_url: str) -> Credentials:
        """``base_url`` is the local override; in production the client builds it from munchkin_id."""
        return Credentials(
            public={"munchkin_id": self.munchkin_id, "client_id": self.client_id, "base_url": base_url},
            secret={"client_secret": self.client_secret},
        )
