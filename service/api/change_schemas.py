"""The body of PATCH /v1/engagements/{id}: the creation schema's groups, every field optional."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from service.api.fields import CalendarDate, Line, Money
from service.api.schemas import (
    TERM_GROUPS,
    AccountSchema,
    ApprovalTermsSchema,
    ClientSchema,
    FeedbackTermsSchema,
    PaymentTermsSchema,
    StrictSchema,
    TerminationTermsSchema,
)


# The same fields for a change, loaded partially (no defaults: only what is sent changes).
class ClientChangeSchema(ClientSchema):
    pass


class PaymentTermsChangeSchema(PaymentTermsSchema):
    class Meta(PaymentTermsSchema.Meta):
        # A clause the client signed: changing it takes a new contract, not an amendment.
        exclude = ("express_termination",)


class FeedbackTermsChangeSchema(FeedbackTermsSchema):
    class Meta(FeedbackTermsSchema.Meta):
        # A clause the client signed: changing it takes a new contract, not an amendment.
        exclude = ("feedback_essential",)


class ApprovalTermsChangeSchema(ApprovalTermsSchema):
    pass


class TerminationTermsChangeSchema(TerminationTermsSchema):
    pass


class EngagementPatchSchema(StrictSchema):
    """Only what is sent changes. Terms need ``effective_on``; language, currency and start date
    are fixed for an engagement's life."""

    client = fields.Nested(ClientChangeSchema(partial=True))
    monthly_fee = Money()
    payment_terms = fields.Nested(PaymentTermsChangeSchema(partial=True))
    feedback_terms = fields.Nested(FeedbackTermsChangeSchema(partial=True))
    approval_terms = fields.Nested(ApprovalTermsChangeSchema(partial=True))
    termination_terms = fields.Nested(TerminationTermsChangeSchema(partial=True))
    effective_on = CalendarDate(
        metadata={"description": "With any change of terms: the day they apply from (today or later)"}
    )
    services = fields.List(Line(300, min_length=1), validate=validate.Length(max=50))
    accounts = fields.List(fields.Nested(AccountSchema), validate=validate.Length(max=50))

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Send the fields to change.", field_name="_body")

    @post_load
    def _flatten(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        flat = {f"client_{name}": value for name, value in data.pop("client", {}).items()}
        for group in TERM_GROUPS:
            flat.update(data.pop(group, {}))
        flat.update(data)
        return flat
