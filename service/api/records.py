"""The record of work done, of problems met and of approval requests."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, CalendarDate, Line, Text
from service.api.schemas import StrictSchema
from service.application import entries
from service.domain.entry_rules import APPROVAL_DECISIONS
from service.domain.model import INCIDENT_KINDS
from service.domain.money import as_text

blp = Blueprint("records", __name__, url_prefix="/v1", description="Work log, incidents and approvals")

CLOSED_409 = "The engagement is closed: its record takes no new entries"

# More than 0 and at most 24 hours in a day, in hundredths: the same rule the OpenAPI document states.
HOURS = re.compile(r"(0\.(0[1-9]|[1-9][0-9]?)|([1-9]|1[0-9]|2[0-3])(\.[0-9]{1,2})?|24(\.00?)?)")


class Hours(fields.Field):
    """Hours worked on one day as a decimal string ("2.50"), like money: never a float."""

    def __init__(self, **kwargs: Any) -> None:
        doc = {"type": "string", "pattern": f"^{HOURS.pattern}$", "maxLength": 5, "example": "2.50"}
        super().__init__(metadata=doc, **kwargs)

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else as_text(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if not isinstance(value, str) or not HOURS.fullmatch(value):
            raise ValidationError(
                'Hours as a string above 0 and at most 24, two decimals at most, e.g. "2.50".'
            )
        return Decimal(value)


class WorkLogCreateSchema(StrictSchema):
    day = CalendarDate(required=True, data_key="date", metadata={"description": "When the work was done"})
    summary = Text(5000, required=True, min_length=1, metadata={"description": "Feeds the final report"})
    hours = Hours(load_default=None)
    category = Line(100, load_default="general", min_length=1, metadata={"example": "content"})


class WorkLogSchema(Schema):
    id = fields.Integer()
    date = fields.Date()
    summary = fields.String()
    hours = Hours(allow_none=True)
    category = fields.String()
    recorded_at = fields.DateTime()


class IncidentCreateSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(INCIDENT_KINDS))
    occurred_on = CalendarDate(required=True)
    description = Text(
        5000, required=True, min_length=1, metadata={"description": "What happened, factually"}
    )


class IncidentSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(INCIDENT_KINDS)})
    occurred_on = fields.Date()
    description = fields.String()
    recorded_at = fields.DateTime()


class ApprovalCreateSchema(StrictSchema):
    item = Line(500, required=True, min_length=1, metadata={"example": "Instagram post 12 December"})
    description = Text(5000, load_default="")


class DecisionSchema(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(APPROVAL_DECISIONS))
    comment = Text(2000, load_default="")


class ApprovalSchema(Schema):
    id = fields.Integer()
    engagement_id = fields.Integer()
    item = fields.String()
    description = fields.String()
    status = fields.String(metadata={"enum": ["pending", *APPROVAL_DECISIONS]})
    rounds = fields.Integer(metadata={"description": "Times the client asked for changes"})
    agreed_rounds = fields.Integer()
    beyond_agreed_rounds = fields.Boolean()
    sent_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


@blp.route(f"/engagements/<{ID}:engagement_id>/work-log")
class WorkLog(MethodView):
    @blp.response(200, WorkLogSchema(many=True))
    def get(self, engagement_id: int) -> list[dict[str, Any]]:
        """What was done, by day: the final report is built from it."""
        return entries.list_work_log(runtime(), tenant_id(), engagement_id)

    @blp.arguments(WorkLogCreateSchema())
    @blp.response(201, WorkLogSchema)
    @blp.alt_response(409, description=CLOSED_409)
    @blp.alt_response(422, description="Invalid input, or a date after today")
    def post(self, body: dict[str, Any], engagement_id: int) -> dict[str, Any]:
        """Log work done; the entry joins the hash-chained record."""
        return entries.log_work(runtime(), tenant_id(), engagement_id, **body)


@blp.route(f"/engagements/<{ID}:engagement_id>/incidents")
class Incidents(MethodView):
    @blp.response(200, IncidentSchema(many=True))
    def get(self, engagement_id: int) -> list[dict[str, Any]]:
        """Documented problems, oldest first."""
        return entries.list_incidents(runtime(), tenant_id(), engagement_id)

    @blp.arguments(IncidentCreateSchema())
    @blp.response(201, IncidentSchema)
    @blp.alt_response(409, description=CLOSED_409)
    @blp.alt_response(422, description="Invalid input, or a date after today")
    def post(self, body: dict[str, Any], engagement_id: int) -> dict[str, Any]:
        """Document a problem (unanswered questions, micromanagement, late payment, ...)."""
        return entries.record_incident(runtime(), tenant_id(), engagement_id, **body)


@blp.route(f"/engagements/<{ID}:engagement_id>/approvals")
class Approvals(MethodView):
    @blp.response(200, ApprovalSchema(many=True))
    def get(self, engagement_id: int) -> list[dict[str, Any]]:
        """Items sent for approval, with the revision rounds each one took."""
        return entries.list_approvals(runtime(), tenant_id(), engagement_id)

    @blp.arguments(ApprovalCreateSchema())
    @blp.response(201, ApprovalSchema)
    @blp.alt_response(409, description=CLOSED_409)
    def post(self, body: dict[str, Any], engagement_id: int) -> dict[str, Any]:
        """Record an item sent to the client for approval."""
        return entries.request_approval(runtime(), tenant_id(), engagement_id, **body)


@blp.route(f"/approvals/<{ID}:approval_id>/decision", methods=["POST"])
@blp.arguments(DecisionSchema())
@blp.response(200, ApprovalSchema)
@blp.alt_response(409, description="Already approved, or the engagement is closed")
def decision(body: dict[str, Any], approval_id: int) -> dict[str, Any]:
    """The client's decision; each request for changes counts one revision round."""
    return entries.decide_approval(runtime(), tenant_id(), approval_id, **body)
