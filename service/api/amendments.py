"""Proposed amendments of the terms: the client's acceptance, or the proposal's withdrawal; and
the client's signature of a mutual termination agreement, recorded the same way."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, CalendarDate, Text
from service.api.schemas import EventSchema, StrictSchema
from service.application import agreements
from service.application import amendments as amendment_cases
from service.domain.amendments import ACCEPTANCE_METHODS

blp = Blueprint("amendments", __name__, url_prefix="/v1", description="Amendments of the terms")

AMENDMENT = f"/engagements/<{ID}:engagement_id>/amendments/<{ID}:amendment_id>"


class AcceptanceSchema(StrictSchema):
    accepted_by = Text(
        300, required=True, min_length=1, metadata={"description": "Who accepted, and in what role"}
    )
    accepted_on = CalendarDate(
        required=True,
        metadata={
            "description": (
                "The day the client accepted (YYYY-MM-DD), at the latest the amendment's effective_on"
            )
        },
    )
    method = fields.String(
        required=True,
        validate=validate.OneOf(ACCEPTANCE_METHODS),
        metadata={
            "description": (
                "How the acceptance reached you: the countersigned letter, "
                "a PEC or e-mail reply, or your portal"
            )
        },
    )
    note = Text(2000, load_default="", metadata={"description": "Anything else for the record"})


class WithdrawalSchema(StrictSchema):
    reason = Text(
        2000, required=True, min_length=1, metadata={"description": "Why the proposal is withdrawn; recorded"}
    )


class AmendmentSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["proposed", "accepted", "withdrawn", "by_notice"]})
    effective_on = fields.String(metadata={"description": "The day the terms apply from (YYYY-MM-DD)"})
    changes = fields.Dict(metadata={"description": "Per term: from, to"})
    in_force = fields.Boolean()
    acceptance = fields.Dict(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)


@blp.route(f"{AMENDMENT}/acceptance", methods=["POST"])
@blp.arguments(AcceptanceSchema())
@blp.response(201, AmendmentSchema)
@blp.alt_response(404, description="No such engagement or amendment")
@blp.alt_response(409, description="Not a pending proposal, its day has passed, or the engagement is closed")
def acceptance(body: dict[str, Any], engagement_id: int, amendment_id: int) -> tuple[dict[str, Any], int]:
    """Record the client's acceptance of a proposed amendment: it binds from its effective_on
    (at 00:00 that day, or at once when that day has come), and the record says who, when, how."""
    view = amendment_cases.accept_amendment(runtime(), tenant_id(), engagement_id, amendment_id, body)
    return view, 201


@blp.route(f"{AMENDMENT}/withdrawal", methods=["POST"])
@blp.arguments(WithdrawalSchema())
@blp.response(201, AmendmentSchema)
@blp.alt_response(404, description="No such engagement or amendment")
@blp.alt_response(409, description="Not a pending proposal, or the engagement is closed")
def withdrawal(body: dict[str, Any], engagement_id: int, amendment_id: int) -> tuple[dict[str, Any], int]:
    """Withdraw a proposed amendment the client has not accepted; recorded with its reason."""
    view = amendment_cases.withdraw_amendment(
        runtime(), tenant_id(), engagement_id, amendment_id, body["reason"]
    )
    return view, 201


class SignatureSchema(AcceptanceSchema):
    accepted_by = Text(
        300,
        required=True,
        min_length=1,
        metadata={"description": "Who signed for the client, and in what role"},
    )
    accepted_on = CalendarDate(
        required=True,
        metadata={
            "description": "The day the client signed (YYYY-MM-DD), not before the agreement was written"
        },
    )


class SignedSchema(Schema):
    document_id = fields.Integer(metadata={"description": "The termination agreement signed"})
    document_sha256 = fields.String(metadata={"description": "Its sha256: the text the client signed"})
    ends_on = fields.String(allow_none=True, metadata={"description": "The agreed last day (YYYY-MM-DD)"})
    accepted_by = fields.String()
    accepted_on = fields.String()
    method = fields.String()
    note = fields.String()
    event = fields.Nested(
        EventSchema, metadata={"description": "The record entry (termination_agreement_signed)"}
    )


@blp.route(f"/engagements/<{ID}:engagement_id>/termination-agreement/acceptance", methods=["POST"])
@blp.arguments(SignatureSchema())
@blp.response(201, SignedSchema)
@blp.alt_response(404, description="No such engagement")
@blp.alt_response(
    409, description="No termination agreement to sign, signed already, or the engagement is closed"
)
def termination_acceptance(body: dict[str, Any], engagement_id: int) -> tuple[dict[str, Any], int]:
    """Record the client's signature of the mutual termination agreement: who signed, when and
    how, as a record entry tied to the agreement's document and its sha256."""
    return agreements.sign_termination_agreement(runtime(), tenant_id(), engagement_id, body), 201
