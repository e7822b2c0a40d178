"""Metadata: ``GET /crm/v8/settings/modules[/{module}]``, ``GET /crm/v8/settings/fields?module=...``, the current user
(``GET /crm/v8/users?type=CurrentUser``, which the official SDK calls right after minting a token) and
``GET /crm/v8/org`` (``license_details.paid_type`` tells the edition). Below ``vendors_min_edition`` Vendors is
absent from the module list or listed with ``api_supported: false``, and Contacts hides ``Vendor_Name``."""

from __future__ import annotations

from sandbox.zoho.context import ApiContext, Call, Reply
from sandbox.zoho.errors import invalid_module, module_not_supported, required_param
from sandbox.zoho.fields import FieldSpec
from sandbox.zoho.schema import MODULES, VENDORS, canonical_module
from sandbox.zoho.values import Json


def module_view(ctx: ApiContext, name: str, sequence: int) -> Json:
    available = ctx.module_available(name)
    module = MODULES[name]
    return {
        "api_name": name,
        "module_name": name,
        "singular_label": module.singular,
        "plural_label": name,
        "id": ctx.out_id(ctx.db.module_ids[name]),
        "api_supported": available,
        "status": "visible",
        "visible": True,
        "generated_type": "default",
        "creatable": available,
        "editable": available,
        "viewable": available,
        "deletable": available,
        "global_search_supported": available,
        "show_as_tab": True,
        "sequence_number": sequence,
        "profiles": [{"name": "Administrator", "id": ctx.out_id(ctx.db.org_id)}],
    }


def listed_modules(ctx: ApiContext) -> list[str]:
    hide_vendors = not ctx.config.vendors_available and ctx.config.vendors_unavailable == "absent"
    return [name for name in MODULES if not (name == VENDORS and hide_vendors)]


def list_modules(ctx: ApiContext, call: Call) -> Reply:
    del call
    return Reply(
        {"modules": [module_view(ctx, name, position) for position, name in enumerate(listed_modules(ctx), 1)]}
    )


def get_module(ctx: ApiContext, call: Call) -> Reply:
    """By API name (the docs) or by module id (what the official SDK's get_module sends)."""
    by_id = {module_id: name for name, module_id in ctx.db.module_ids.items()}
    name = by_id.get(call.module) or canonical_module(call.module)
    listed = listed_modules(ctx)
    if name is None or name not in listed:
        raise invalid_module()
    return Reply({"modules": [module_view(ctx, name, listed.index(name) + 1)]})


def checked_module(ctx: ApiContext, raw: str) -> str:
    """A module a call names: unknown -> INVALID_MODULE; not in the edition -> the configured refusal."""
    name = canonical_module(raw)
    in_data = ctx.config.invalid_module_in_data
    if name is None:
        raise invalid_module(in_data=in_data)
    if not ctx.module_available(name):
        if ctx.config.vendors_unavailable_code == "NOT_SUPPORTED":
            raise module_not_supported(in_data=in_data)
        raise invalid_module(in_data=in_data)
    return name


def field_view(ctx: ApiContext, module: str, spec: FieldSpec, sequence: int) -> Json:
    field_id = ctx.out_id(ctx.db.field_ids[(module, spec.api_name)])
    unused = ctx.db.unused_values.get((module, spec.api_name), set())
    data: Json = {
        "api_name": spec.api_name,
        "field_label": spec.display_label,
        "display_label": spec.display_label,
        "data_type": spec.data_type,
        "json_type": spec.json_type,
        "length": spec.max_length,
        "custom_field": spec.custom,
        "system_mandatory": spec.mandatory,
        "read_only": spec.read_only,
        "field_read_only": spec.read_only,
        "visible": True,
        "id": field_id,
        "sequence_number": sequence,
        "unique": {"casesensitive": "false"} if spec.unique else {},
        "lookup": {},
        "pick_list_values": [
            {
                "display_value": value,
                "actual_value": value,
                "reference_value": value,
                "id": ctx.out_id(f"{ctx.db.field_ids[(module, spec.api_name)][:-3]}{position:03d}"),
                "sequence_number": position,
                "colour_code": None,
                "type": "unused" if value in unused else "used",
            }
            for position, value in enumerate(spec.options, 1)
        ],
    }
    if spec.lookup_module is not None:
        target = spec.lookup_module
        data["lookup"] = {
            "display_label": MODULES[target].singular,
            "api_name": spec.api_name,
            "module": {"api_name": target, "id": ctx.out_id(ctx.db.module_ids[target])},
            "id": field_id,
        }
    return data


def list_fields(ctx: ApiContext, call: Call) -> Reply:
    raw = call.query.get("module", "").strip()
    if not raw:
        raise required_param("module")
    module = checked_module(ctx, raw)
    specs = ctx.visible_fields(module)
    return Reply({"fields": [field_view(ctx, module, spec, position) for position, spec in enumerate(specs, 1)]})


def user_view(ctx: ApiContext) -> Json:
    first, _, last = ctx.config.user_name.partition(" ")
    return {
        "id": ctx.out_id(ctx.db.user_id),
        "zuid": ctx.db.zuid,
        "full_name": ctx.config.user_name,
        "first_name": first,
        "last_name": last or first,
        "email": ctx.config.user_email,
        "status": "active",
        "confirm": True,
        "role": {"name": "CEO", "id": ctx.out_id(ctx.db.org_id)},
        "profile": {"name": "Administrator", "id": ctx.out_id(ctx.db.org_id)},
        "time_zone": "Etc/UTC",
        "locale": "en_US",
    }


def list_users(ctx: ApiContext, call: Call) -> Reply:
    del call  # every type (CurrentUser, AllUsers, ActiveUsers ...) has the one user
    return Reply({"users": [user_view(ctx)], "info": {"per_page": 200, "count": 1, "page": 1, "more_records": False}})


def get_org(ctx: ApiContext, call: Call) -> Reply:
    del call
    edition = ctx.config.current_edition
    license_details = {
        "paid": edition.paid_type is not None,
        "paid_type": edition.paid_type,
        "paid_expiry": None,
        "users_license_purchased": ctx.config.user_licenses,
        "trial_type": None,
        "trial_expiry": None,
        "trial_action": None,
    }
    org = {
        "id": ctx.out_id(ctx.db.org_id),
        "company_name": ctx.config.org_name,
        "primary_email": ctx.config.user_email,
        "time_zone": "Etc/UTC",
        "currency": "US Dollar - USD",
        "iso_code": "USD",
        "zgid": ctx.db.zuid,
        "domain_name": f"org{ctx.db.zuid}",
        "max_per_page": ctx.config.max_per_page,
        "license_details": license_details,
    }
    return Reply({"org": [org]})
