"""The caller's own account: the sender details every letterhead and signature uses."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import Bic, EmailAddress, Iban, Line, StrictBoolean, Text, TimeZone
from service.api.schemas import StrictSchema
from service.application import smtp_accounts, tenants
from service.domain.calendar import JURISDICTIONS
from service.domain.messages import CHANNELS, DELIVERY_MODES
from service.domain.model import LANGUAGES, PAYMENT_ALLOCATIONS, Tenant
from service.domain.tax import REGIMES, STAMP_PAYERS, profile_from

blp = Blueprint("tenant", __name__, url_prefix="/v1", description="Your account")


@blp.before_request
def _require_body() -> None:
    # An empty PATCH is almost always a client bug (a lost body), not a request to change nothing.
    if request.method == "PATCH" and not request.get_data():
        abort(422, messages={"json": {"_body": ["Send a JSON object with the fields to change."]}})


class SurchargeSchema(StrictSchema):
    fund = fields.String(
        required=True,
        validate=validate.OneOf(("INPS", *(f"TC{n:02d}" for n in range(1, 23)))),
        metadata={"description": "INPS (gestione separata), or a FatturaPA TipoCassa code TC01-TC22"},
    )
    rate = fields.Decimal(required=True, as_string=True, places=2, metadata={"description": "0-100 %"})


class WithholdingSchema(StrictSchema):
    rate = fields.Decimal(as_string=True, places=2, metadata={"description": "20.00 when omitted"})


class TaxProfileSchema(StrictSchema):
    tax_regime = fields.String(required=True, validate=validate.OneOf(REGIMES))
    vat_rate = fields.Decimal(
        as_string=True,
        places=2,
        allow_none=True,
        metadata={"description": "22.00 by default for RF01; none for RF19"},
    )
    pension_surcharge = fields.Nested(SurchargeSchema, allow_none=True)
    withholding = fields.Nested(
        WithholdingSchema,
        allow_none=True,
        metadata={
            "description": "RF01: {rate: 20.00} by default, applied to clients with a VAT number; null: none"
        },
    )
    stamp_duty = fields.String(
        validate=validate.OneOf(STAMP_PAYERS), metadata={"description": "who bears the 2.00"}
    )


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
    delivery_mode = fields.String()
    tax_code = fields.String(metadata={"description": "Codice fiscale"})
    tax_profile = fields.Dict(
        allow_none=True, metadata={"description": "Italian tax profile (docs/legal.md)"}
    )
    payment_allocation = fields.String(metadata={"description": "The order payments are applied in"})
    interest_holds_resume = fields.Boolean(
        metadata={"description": "Whether claimed interest still unpaid keeps work suspended"}
    )


class TenantPatchSchema(StrictSchema):
    name = Line(200, min_length=1)
    address = Text(500)
    email = EmailAddress()
    vat_number = Line(50)
    signatory = Line(200)
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    jurisdiction = fields.String(
        validate=validate.OneOf(JURISDICTIONS),
        metadata={"description": "Interest regime, holidays and governing law of new engagements"},
    )
    timezone = TimeZone()
    iban = Iban()
    bic = Bic()
    city = Line(200)
    pec = EmailAddress(metadata={"description": "Certified e-mail (PEC)"})
    delivery_mode = fields.String(
        validate=validate.OneOf(DELIVERY_MODES),
        metadata={
            "description": "approve (default): notices wait for your approval; auto: they are sent at "
            "once; manual: the service never sends, you download the .eml"
        },
    )
    tax_code = Line(50, metadata={"description": "Codice fiscale, on FatturaPA files"})
    tax_profile = fields.Nested(
        TaxProfileSchema,
        allow_none=True,
        metadata={"description": "Italian accounts: regime and taxes of every invoice; null removes it"},
    )
    payment_allocation = fields.String(
        validate=validate.OneOf(PAYMENT_ALLOCATIONS),
        metadata={
            "description": "capital_first (default): a payment settles the invoices, then the interest "
            "and compensation claimed, so work resumes once the invoices are paid; statutory: the "
            "claim first, then the invoices (art. 1194 c.c.). The letters name the order applied."
        },
    )
    interest_holds_resume = StrictBoolean(
        metadata={
            "description": "false (default): work resumes once no invoice is overdue, the claim stays "
            "due apart; true: it resumes only once the claimed interest and compensation are paid too"
        }
    )


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
        "delivery_mode": tenant.delivery_mode,
        "tax_code": tenant.tax_code,
        "tax_profile": tenant.tax_profile,
        "payment_allocation": tenant.payment_allocation,
        "interest_holds_resume": tenant.interest_holds_resume,
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
        if changes.get("tax_profile") is not None:  # defaults filled, forbidden combinations refused
            changes["tax_profile"] = profile_from(changes["tax_profile"]).as_stored()
        renamed = {
            {"address": "sender_address", "email": "sender_email"}.get(k, k): v for k, v in changes.items()
        }
        return _view(tenants.update_tenant(runtime(), tenant_id(), renamed))


class SmtpAccountSchema(Schema):
    host = fields.String()
    port = fields.Integer()
    security = fields.String(metadata={"description": "starttls or tls (implicit, e.g. port 465)"})
    username = fields.String()
    password_set = fields.Boolean(metadata={"description": "The password itself is never shown"})
    channel = fields.String(metadata={"description": "email, or pec for a PEC mailbox"})
    from_address = fields.String()
    updated_at = fields.DateTime()


class SmtpAccountPutSchema(StrictSchema):
    host = Line(255, required=True, min_length=1)
    port = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=65535))
    security = fields.String(required=True, validate=validate.OneOf(("starttls", "tls")))
    username = Line(320, required=True, min_length=1)
    password = Text(500, required=True, min_length=1, load_only=True)
    channel = fields.String(load_default="email", validate=validate.OneOf(CHANNELS))
    from_address = EmailAddress()


@blp.route("/tenant/smtp")
class SmtpAccountResource(MethodView):
    @blp.response(200, SmtpAccountSchema)
    def get(self) -> dict[str, Any]:
        """Your own SMTP account (a PEC mailbox is one), without its password."""
        return smtp_accounts.get_account(runtime(), tenant_id())

    @blp.arguments(SmtpAccountPutSchema())
    @blp.response(200, SmtpAccountSchema)
    @blp.alt_response(503, description="The deployment has no SMTP_SECRET_KEYS to seal the password with")
    def put(self, account: dict[str, Any]) -> dict[str, Any]:
        """Send your messages through your own mailbox; the password is stored encrypted."""
        return smtp_accounts.put_account(runtime(), tenant_id(), account)

    @blp.response(204)
    def delete(self) -> None:
        """Forget your SMTP account; messages go through the deployment's relay again."""
        smtp_accounts.delete_account(runtime(), tenant_id())
