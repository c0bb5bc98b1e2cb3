"""Leaving well: the handover checklist, the difficult-client signals and the evidence export."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.wsgi import wrap_file

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, Text
from service.api.records import CLOSED_409
from service.api.schemas import StrictSchema
from service.application import export
from service.application import handover as handover_cases
from service.application import health as health_cases
from service.domain.entry_rules import HANDOVER_STEPS
from service.domain.health import LEVELS
from service.domain.model import HANDOVER_ACTIONS

blp = Blueprint("handover", __name__, url_prefix="/v1", description="Handover, health and evidence")

ZIP_TYPE = "application/zip"


class HandoverItemSchema(Schema):
    id = fields.Integer()
    platform = fields.String()
    handle = fields.String()
    action = fields.String(metadata={"enum": list(HANDOVER_ACTIONS)})
    grants_access = fields.Boolean(metadata={"description": "Completing it gives the client access"})
    status = fields.String(metadata={"enum": ["open", "completed", "waived"]})
    reason = fields.String()
    resolved_at = fields.DateTime(allow_none=True)


class HandoverStepSchema(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(HANDOVER_STEPS))
    reason = Text(2000, load_default="", metadata={"description": "Required to waive; recorded"})


class SignalSchema(Schema):
    level = fields.String(metadata={"enum": list(LEVELS)})
    summary = fields.String()
    evidence = fields.List(fields.Dict(), metadata={"description": "The entries behind the level"})


class EngagementHealthSchema(Schema):
    unresponsive = fields.Nested(SignalSchema)
    controlling = fields.Nested(SignalSchema)
    late_payment = fields.Nested(SignalSchema)
    recommendation = fields.String()


@blp.route(f"/engagements/<{ID}:engagement_id>/handover")
@blp.response(200, HandoverItemSchema(many=True))
def handover(engagement_id: int) -> list[dict[str, Any]]:
    """The checklist made when offboarding began: one item per account and action."""
    return handover_cases.list_handover(runtime(), tenant_id(), engagement_id)


@blp.route(f"/engagements/<{ID}:engagement_id>/handover/<{ID}:item_id>", methods=["POST"])
@blp.arguments(HandoverStepSchema())
@blp.response(200, HandoverItemSchema)
@blp.alt_response(409, description=f"Already resolved, access while money is owed, or {CLOSED_409}")
@blp.alt_response(422, description="Invalid input; waiving needs a reason")
def handover_step(body: dict[str, Any], engagement_id: int, item_id: int) -> dict[str, Any]:
    """Complete an item, or waive it with a reason; access is handed over only when nothing is owed."""
    return handover_cases.handover_step(
        runtime(), tenant_id(), engagement_id, item_id, step=body["action"], reason=body["reason"]
    )


@blp.route(f"/engagements/<{ID}:engagement_id>/health")
@blp.response(200, EngagementHealthSchema)
def health(engagement_id: int) -> dict[str, Any]:
    """The three difficult-client signals, with the evidence behind each, and what to do next."""
    return health_cases.engagement_health(runtime(), tenant_id(), engagement_id)


@blp.route(f"/engagements/<{ID}:engagement_id>/export")
@blp.doc(
    responses={
        "200": {
            "description": "A zip: documents/, record.json, record.csv and manifest.json (sha256 sums)",
            "content": {ZIP_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def export_zip(engagement_id: int) -> Response:
    """Everything needed as evidence, in one file."""
    bundle = export.export_engagement(runtime(), tenant_id(), engagement_id)
    # Streamed from its spooled file, which closes when the answer is done.
    response = Response(
        wrap_file(request.environ, bundle.content), mimetype=ZIP_TYPE, direct_passthrough=True
    )
    response.content_length = bundle.size
    response.headers["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
    return response
