"""The caller's own account: the sender details every letterhead and signature uses."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import Bic, Iban, Text, TimeZone
from service.api.schemas import StrictSchema
from service.application import tenants
from service.domain.calendar import JURISDICTIONS
from service.domain.model import LANGUAGES, Tenant

blp = Blueprint("tenant", __name__, url_prefix="/v1", description="Your account")


@blp.before_request
def _require_body() -> None:
    # An empty PATCH is almost always a client bug (a lost body), not a request to change nothing.
    if request.method == "PATCH" and not request.get_data():
        abort(422, messages={"json": {"_body": ["Send a JSON object with the fields to change."]}})


class TenantSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String()
    email = fields.String()
    vat_number = fields.String()
    signatory = fields.String()
    language = fields.String()
    jurisdiction = fields.String(metadata={"description": "IT, GB or EU: the default for new engagements"})
    timezone = fields.String(metadata={"description": "IANA time zone of every day rule"})
    iban = fields.String()
    bic = fields.String()
    city = fields.String(metadata={"description": "The place in the letters' place-and-date line"})
    pec = fields.String(metadata={"description": "Certified e-mail address (PEC)"})
    sandbox = fields.Boolean()
    clock_at = fields.DateTime(allow_none=True)


class TenantPatchSchema(StrictSchema):
    name = Text(200, min_length=1)
    address = Text(500)
    email = fields.Email(validate=validate.Length(max=320))
    vat_number = Text(50)
    signatory = Text(200)
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    jurisdiction = fields.String(
        validate=validate.OneOf(JURISDICTIONS),
        metadata={"description": "Interest regime, holidays and governing law of new engagements"},
    )
    timezone = TimeZone()
    iban = Iban()
    bic = Bic()
    city = Text(200)
    pec = fields.Email(validate=validate.Length(max=320), metadata={"description": "Certified e-mail (PEC)"})


def _view(tenant: Tenant) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "name": tenant.name,
        "address": tenant.sender_address,
        "email": tenant.sender_email,
        "vat_number": tenant.vat_number,
        "signatory": tenant.signatory,
        "language": tenant.language,
        "jurisdiction": tenant.jurisdiction,
        "timezone": tenant.timezone,
        "iban": tenant.iban,
        "bic": tenant.bic,
        "city": tenant.city,
        "pec": tenant.pec,
        "sandbox": tenant.sandbox,
        "clock_at": tenant.clock_at,
    }


@blp.route("/tenant")
class TenantResource(MethodView):
    @blp.response(200, TenantSchema)
    def get(self) -> dict[str, Any]:
        """Your sender details, default language and whether you are a sandbox."""
        return _view(tenants.get_tenant(runtime(), tenant_id()))

    @blp.arguments(TenantPatchSchema())
    @blp.response(200, TenantSchema)
    def patch(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Change sender details; the next documents carry them."""
        renamed = {
            {"address": "sender_address", "email": "sender_email"}.get(k, k): v for k, v in changes.items()
        }
        return _view(tenants.update_tenant(runtime(), tenant_id(), renamed))
