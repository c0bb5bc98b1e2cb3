"""Webhook endpoints (Standard Webhooks): where announcements go, and the log of each delivery."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields, validate, validates

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, MAX_ID, Text
from service.api.schemas import StrictSchema
from service.application import webhook_endpoints as use_case
from service.domain.webhooks import EVENT_TYPES

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/v1",
    description="Signed webhooks (Standard Webhooks): endpoints, secrets and the delivery log",
)

EVENTS_DOC = 'Event types to receive, or ["*"] for all: ' + ", ".join(EVENT_TYPES)


@blp.before_request
def _require_body() -> None:
    if request.method == "PATCH" and not request.get_data():
        abort(422, messages={"json": {"_body": ["Send a JSON object with the fields to change."]}})


def _events_field(**kwargs: Any) -> Any:
    return fields.List(
        fields.String(validate=validate.OneOf(("*", *EVENT_TYPES))),
        validate=validate.Length(min=1, max=len(EVENT_TYPES) + 1),
        metadata={"description": EVENTS_DOC},
        **kwargs,
    )


URL_DOC = {
    "format": "uri",
    "pattern": "^https?://",
    "description": "http(s) URL on a public address; redirects are not followed",
}


def _url_field(**kwargs: Any) -> Any:
    return fields.Url(
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=2000),
        metadata=URL_DOC,
        **kwargs,
    )


class EndpointCreateSchema(StrictSchema):
    url = _url_field(required=True)
    events = _events_field(required=True)
    description = Text(500, load_default="")

    @validates("events")
    def _no_duplicates(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Name each event type once.")


class EndpointPatchSchema(EndpointCreateSchema):
    url = _url_field()
    events = _events_field()
    description = Text(500)
    enabled = fields.Boolean(metadata={"description": "true enables a disabled endpoint again"})


class EndpointSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    description = fields.String()
    enabled = fields.Boolean()
    disabled_at = fields.DateTime(allow_none=True)
    disabled_reason = fields.String(allow_none=True)
    failing_since = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class EndpointWithSecretSchema(EndpointSchema):
    secret = fields.String(metadata={"description": "whsec_…: shown only in this answer; keep it safe"})
    previous_secret_expires_at = fields.DateTime(
        metadata={"description": "After a rotation: until then deliveries carry both signatures"}
    )


class AttemptSchema(Schema):
    at = fields.DateTime()
    status_code = fields.Integer(allow_none=True)
    latency_ms = fields.Integer()
    error = fields.String(allow_none=True)


class DeliverySchema(Schema):
    id = fields.Integer()
    endpoint_id = fields.Integer()
    webhook_id = fields.String(metadata={"description": "The webhook-id header: the same on every try"})
    event_type = fields.String()
    status = fields.String(metadata={"description": "pending, succeeded or failed"})
    attempts = fields.List(fields.Nested(AttemptSchema))
    next_attempt_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class DeliveryPageSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema))
    next_cursor = fields.String(allow_none=True)


class DeliveryQuerySchema(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(
        validate=validate.Regexp(r"^[0-9]{1,10}$", error="Not a cursor this service issued.")
    )


@blp.route("/webhook-endpoints")
class Endpoints(MethodView):
    @blp.response(200, EndpointSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Your webhook endpoints (secrets are never shown again)."""
        return use_case.list_endpoints(runtime(), tenant_id())

    @blp.arguments(EndpointCreateSchema())
    @blp.response(201, EndpointWithSecretSchema, headers={"Location": {"schema": {"type": "string"}}})
    def post(self, body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Register an endpoint; the answer carries its signing secret, once."""
        view = use_case.create_endpoint(runtime(), tenant_id(), body)
        return view, 201, {"Location": url_for("webhooks.Endpoint", endpoint_id=view["id"])}


@blp.route(f"/webhook-endpoints/<{ID}:endpoint_id>")
class Endpoint(MethodView):
    @blp.response(200, EndpointSchema)
    def get(self, endpoint_id: int) -> dict[str, Any]:
        """One endpoint."""
        return use_case.get_endpoint(runtime(), tenant_id(), endpoint_id)

    @blp.arguments(EndpointPatchSchema())
    @blp.response(200, EndpointSchema)
    def patch(self, changes: dict[str, Any], endpoint_id: int) -> dict[str, Any]:
        """Change the URL, the events or the description; enable a disabled endpoint again."""
        return use_case.update_endpoint(runtime(), tenant_id(), endpoint_id, changes)

    @blp.response(204)
    def delete(self, endpoint_id: int) -> None:
        """Remove the endpoint and its delivery log."""
        use_case.delete_endpoint(runtime(), tenant_id(), endpoint_id)


@blp.route(f"/webhook-endpoints/<{ID}:endpoint_id>/rotate-secret", methods=["POST"])
@blp.response(200, EndpointWithSecretSchema)
def rotate_secret(endpoint_id: int) -> dict[str, Any]:
    """A new signing secret; the old one keeps signing beside it for 24 hours."""
    return use_case.rotate_secret(runtime(), tenant_id(), endpoint_id)


@blp.route(f"/webhook-endpoints/<{ID}:endpoint_id>/deliveries")
@blp.arguments(DeliveryQuerySchema(), location="query")
@blp.response(200, DeliveryPageSchema)
def deliveries(query: dict[str, Any], endpoint_id: int) -> dict[str, Any]:
    """Deliveries to this endpoint, newest first: each try's status code and latency, the next try."""
    cursor = query.get("cursor")
    before = min(int(cursor), MAX_ID) if cursor else None
    return use_case.list_deliveries(runtime(), tenant_id(), endpoint_id, query["limit"], before)


@blp.route(f"/webhook-deliveries/<{ID}:delivery_id>/retry", methods=["POST"])
@blp.response(202, DeliverySchema)
def retry(delivery_id: int) -> dict[str, Any]:
    """Try this delivery again at the dispatcher's next round."""
    return use_case.retry_delivery(runtime(), tenant_id(), delivery_id)
