"""Every knob of the Zoho CRM simulator. Defaults follow the references (zoho-crm.md, verified-2026-12.md §2, the
v8 OpenAPI examples); facts marked UNVERIFIED there are knobs here, defaulting to the most likely reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sandbox.core.credentials import Credentials
from sandbox.zoho.editions import Edition, edition
from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.schema import ACCOUNTS, CONTACTS, MODULES, VENDORS

DATA_CENTRES = ("US", "EU", "IN", "AU", "JP", "CA", "SA", "CN")
DEFAULT_SCOPES = (
    "ZohoCRM.modules.ALL",
    "ZohoCRM.settings.ALL",
    "ZohoCRM.users.READ",
    "ZohoCRM.org.READ",
    "ZohoCRM.coql.READ",
    "ZohoSearch.securesearch.READ",
)

ForeignClient = Literal["invalid_client", "multi_dc"]
VendorsListing = Literal["absent", "api_unsupported"]
ModuleRefusal = Literal["INVALID_MODULE", "NOT_SUPPORTED"]
SameCallDuplicates = Literal["duplicate_data", "sequential"]
UnknownFields = Literal["ignore", "invalid_data"]
IdsAs = Literal["string", "number"]
MissingRecord = Literal["no_content", "invalid_data"]
SearchEquals = Literal["contains", "exact"]

_STATUS = ("Active", "Inactive")
_DEPARTMENTS = ("Sales", "Engineering", "Finance", "Operations")


def _default_custom_fields() -> dict[str, tuple[FieldSpec, ...]]:
    """The fields an admin adds for the connector: a unique Intacct id ("do not allow duplicates", Single Line),
    a status, and a picklist for dimension mapping (UNVERIFIED names: each org chooses its own)."""
    intacct_id = FieldSpec("Intacct_ID", "text", "Intacct ID", length=50, unique=True)
    status = FieldSpec("Intacct_Status", "picklist", "Intacct Status", options=_STATUS)
    department = FieldSpec("Department", "picklist", "Department", options=_DEPARTMENTS)
    return {
        ACCOUNTS: (intacct_id, status, department),
        CONTACTS: (intacct_id, status),
        VENDORS: (intacct_id, status, department),
    }


@dataclass
class ZohoSimConfig:
    # ---- The org's data centre and its OAuth client (sandbox-only values).
    data_centre: str = "US"
    client_id: str = "1000.SBX0MLC0CONNECTOR0SANDBOX0001"
    client_secret: str = field(default="5a4dbc0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c1", repr=False)
    refresh_token: str = field(
        default="1000.5a4dbc0ffee0c0ffee0c0ffee0c0ffee.0c0ffee0c0ffee0c0ffee0c0ffee0c0ff", repr=False
    )
    scopes: tuple[str, ...] = DEFAULT_SCOPES  # what the refresh token was granted
    # The token response's api_domain; None: this simulator's own origin (the official SDK and the connector follow
    # it). Set a foreign URL to test that a client refuses an api_domain outside Zoho.
    api_domain: str | None = None
    # A refresh response may omit api_domain (verified 3P): clients keep the last one.
    api_domain_in_token_response: bool = True
    token_lifetime_s: float = 3600.0
    # Older responses said expires_in in milliseconds plus expires_in_sec (the SDK handles both).
    legacy_expires_in_ms: bool = False
    # Mint limit per refresh token: at most mint_limit tokens in any mint_window_s (reference: 10 per 10 minutes).
    mint_limit: int = 10
    mint_window_s: float = 600.0
    # Token-endpoint errors come back as HTTP 200 with {"error": ...} (verified); the "Access Denied" answer of the
    # mint limit is UNVERIFIED: 200 by default, 400 is the other reading.
    token_error_status: int = 200
    mint_limit_status: int = 200
    # SECONDARY: at most 30 live access tokens per refresh token; the 31st invalidates the oldest. None: no limit.
    max_live_tokens: int | None = 30
    # A client registered in this DC calling another DC's accounts server: invalid_client (verified captures), or
    # "multi_dc": the other DC mints a token, which this DC's API host then refuses (INVALID_TOKEN).
    foreign_dc_client: ForeignClient = "invalid_client"
    # UNVERIFIED whether "Authorization: Bearer <token>" is accepted; False: only "Zoho-oauthtoken <token>".
    accept_bearer: bool = False
    # OAS v8 example: OAUTH_SCOPE_MISMATCH says "Unauthorized" (older pages: "... does not have the required scope.").
    scope_mismatch_message: str = "Unauthorized"

    # ---- Edition and limits.
    edition: str = "professional"
    user_licenses: int = 3
    addon_credits: int = 0
    credits_per_day: int | None = None  # overrides the edition's allowance (None: the edition's formula)
    concurrency_limit: int | None = None  # overrides the edition's (Free 5 ... Ultimate 25, verified)
    sub_concurrency_limit: int = 10  # heavy calls (search, upsert of >10 records, sorted reads), verified "typically"
    # SECONDARY: X-API-CREDITS-REMAINING once this share of the window is used (None: never sent).
    credits_header_threshold: float | None = 0.5
    # UNVERIFIED: credit exhaustion answers 429 TOO_MANY_REQUESTS like concurrency, or 400 LIMIT_REACHED.
    credits_exhausted_status: int = 429
    credits_exhausted_code: str = "TOO_MANY_REQUESTS"
    # UNVERIFIED: the lowest edition with Vendors; below it settings/modules omits Vendors ("absent") or lists it
    # with api_supported false, and Vendors calls answer INVALID_MODULE (reference §3.5) or NOT_SUPPORTED.
    vendors_min_edition: str = "professional"
    vendors_unavailable: VendorsListing = "absent"
    vendors_unavailable_code: ModuleRefusal = "INVALID_MODULE"
    # UNVERIFIED: the v8 OAS upsert example wraps INVALID_MODULE in data[]; its other examples do not.
    invalid_module_in_data: bool = False

    # ---- Upsert.
    max_upsert_records: int = 100
    # UNVERIFIED statuses: mixed results 207 and all failed 400 (OAS examples); all succeeded is 200.
    upsert_mixed_status: int = 207
    upsert_failed_status: int = 400
    # UNVERIFIED: an insert says duplicate_field null (reference); True names the first duplicate-check field.
    duplicate_field_on_insert: bool = False
    # UNVERIFIED: a record matching one written earlier in the same call gets DUPLICATE_DATA ("duplicate_data"), or
    # the calls' records are applied one after the other, the later updating the earlier ("sequential").
    same_call_duplicates: SameCallDuplicates = "duplicate_data"
    # UNVERIFIED: fields the module does not have are ignored, or refused with INVALID_DATA.
    unknown_fields: UnknownFields = "ignore"
    # UNVERIFIED: a Parent_Account that makes a record its own ancestor is refused with this code and message.
    allow_parent_cycles: bool = False
    parent_cycle_code: str = "INVALID_DATA"
    parent_cycle_message: str = "invalid data"

    # ---- Reads.
    ids_as: IdsAs = "string"  # record ids in answers: JSON strings (reference §7.8) or numbers
    missing_record: MissingRecord = "no_content"  # UNVERIFIED: GET of an unknown id -> 204, or 400 INVALID_DATA
    max_per_page: int = 200
    discrete_page_limit: int = 2_000  # page/per_page reach this many records; beyond needs page_token (OAS)
    page_token_lifetime_s: float = 86_400.0  # UNVERIFIED lifetime of a page_token
    max_fields: int = 50
    search_equals: SearchEquals = "contains"  # reference §5.1: "equals" behaves like "contains"
    search_cap: int = 2_000
    search_index_lag_s: float = 0.0  # records changed this recently are not found by search yet
    search_needs_securesearch_scope: bool = True
    # COQL (reference §5.2, v7 limits): rows per call, rows reachable with offset paging, selected fields, and whether
    # a where clause is required (older versions require one).
    coql_max_limit: int = 200
    coql_max_rows: int = 10_000
    coql_max_fields: int = 50
    coql_where_required: bool = True

    # ---- The org.
    custom_fields: dict[str, tuple[FieldSpec, ...]] = field(default_factory=_default_custom_fields)
    org_name: str = "ML Connector Sandbox"
    user_name: str = "Sandbox Admin"
    user_email: str = "admin@mlc-sandbox.example.com"

    def __post_init__(self) -> None:
        self.data_centre = self.data_centre.upper()
        if self.data_centre not in DATA_CENTRES:
            raise ValueError(f"data_centre must be one of {DATA_CENTRES}")
        edition(self.edition)
        edition(self.vendors_min_edition)
        unknown = set(self.custom_fields) - set(MODULES)
        if unknown:
            raise ValueError(f"custom_fields for unknown modules: {sorted(unknown)}")
        for module, specs in self.custom_fields.items():
            names = {spec.api_name for spec in MODULES[module].fields}
            clashes = [spec.api_name for spec in specs if spec.api_name in names]
            if clashes:
                raise ValueError(f"{module} already has system fields {clashes}")

    @property
    def current_edition(self) -> Edition:
        return edition(self.edition)

    @property
    def vendors_available(self) -> bool:
        return self.current_edition.rank() >= edition(self.vendors_min_edition).rank()

    @property
    def credit_allowance(self) -> int | None:
        """Credits per rolling 24 hours (None: unlimited)."""
        if self.credits_per_day is not None:
            return self.credits_per_day
        return self.current_edition.credits(self.user_licenses, self.addon_credits)

    @property
    def max_concurrency(self) -> int:
        return self.concurrency_limit if self.concurrency_limit is not None else self.current_edition.concurrency

    def credentials(self, accounts_url: str) -> Credentials:
        """What a connection's Zoho secret holds: the OAuth client and its refresh token (secret), the accounts server
        (here: this simulator's origin, the stand-in for https://accounts.zoho.com) and the data centre."""
        return Credentials(
            public={"accounts_url": accounts_url, "data_centre": self.data_centre},
            secret={
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": self.refresh_token,
            },
        )
