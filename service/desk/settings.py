"""Settings: the sender details (and which ones a live account still lacks), API keys (a new key
is shown once, on the answer that made it, never again) and the account's users."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, request, url_for
from marshmallow import ValidationError

from service.api.keys import KeyCreateSchema
from service.api.tenant import TenantPatchSchema
from service.application import keys, tenants
from service.desk.base import desk, page, people, refusal, refused_fields, runtime, t, tenant_id
from service.domain.errors import DomainError, NotFound
from service.domain.sender import SENDER_DETAILS, missing_sender_details

# The sender details the desk edits, by their API names, in the order the form shows them.
SENDER_FORM = ("name", "address", "email", "signatory", "vat_number", "city", "pec", "iban", "bic")
KEYS_SHOWN = 100


def _settings(status: int = 200, **context: Any) -> Any:
    rt, tenant = runtime(), tenant_id()
    account = tenants.get_tenant(rt, tenant)
    saved = {name: getattr(account, SENDER_DETAILS.get(name, name)) or "" for name in SENDER_FORM}
    listed, _ = keys.list_keys(rt, tenant, before_id=None, limit=KEYS_SHOWN)
    return page(
        "settings.html",
        status,
        **{
            "account": account,
            "missing": missing_sender_details(account),
            "values": saved,
            "errors": {},
            "keys": listed,
            "users": people().list_users(tenant),
            "new_key": None,
            **context,
        },
    )


@desk.get("/settings")
def settings() -> Any:
    return _settings()


@desk.post("/settings/sender")
def save_sender() -> Any:
    values = {name: request.form.get(name, "").strip() for name in SENDER_FORM}
    try:
        # A blank field is left as it was: the API's schema refuses blank names and addresses.
        changes = TenantPatchSchema().load({k: v for k, v in values.items() if v})
    except ValidationError as refused:
        return _settings(422, values=values, errors=refused_fields(refused))
    renamed = {SENDER_DETAILS.get(name, name): value for name, value in changes.items()}
    tenants.update_tenant(runtime(), tenant_id(), renamed)
    return redirect(url_for("desk.settings", _anchor="sender"), code=303)


@desk.post("/settings/keys")
def create_key() -> Any:
    try:
        body = KeyCreateSchema().load({"name": request.form.get("name", "").strip()})
    except ValidationError as refused:
        return _settings(422, problem=" ".join(refused_fields(refused).get("name", [])))
    made = keys.create_key(runtime(), tenant_id(), body["name"])
    return _settings(201, new_key=made)  # no redirect: the secret lives in this one answer only


@desk.post("/settings/keys/<int:key_id>/revoke")
def revoke_key(key_id: int) -> Any:
    try:
        keys.revoke_key(runtime(), key_id, tenant_id())
    except NotFound:
        raise
    except DomainError as refused:
        return _settings(409, problem=refusal(refused))
    return redirect(url_for("desk.settings", _anchor="keys"), code=303)


@desk.post("/settings/users/<int:user_id>/disable")
def disable_user(user_id: int) -> Any:
    if user_id == g.desk_user.id:
        return _settings(409, problem=t("settings.not_yourself"))
    people().disable_user(tenant_id(), user_id)
    return redirect(url_for("desk.settings", _anchor="users"), code=303)
