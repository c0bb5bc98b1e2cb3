"""Engagements: create, read, list; and their record."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from service.api.auth import tenant_id
from service.api.change_schemas import EngagementPatchSchema
from service.api.common import IF_MATCH, etag, if_match_version, operation_ref, runtime
from service.api.fields import ID
from service.api.schemas import (
    EngagementCreateSchema,
    EngagementPageSchema,
    EngagementSchema,
    EventSchema,
    ListQuerySchema,
    VerificationSchema,
    before_id,
)
from service.application import changes as changes_use_case
from service.application import engagements, record

blp = Blueprint("engagements", __name__, url_prefix="/v1", description="Client engagements")


# OpenAPI links: what a client (or schemathesis' stateful runs) can do with a new engagement.
ENGAGEMENT_LINKS = {
    name: {"operationRef": operation_ref(path, method), "parameters": {"engagement_id": "$response.body#/id"}}
    for name, path, method in (
        ("GetEngagement", "/v1/engagements/{engagement_id}", "get"),
        ("ListTransitions", "/v1/engagements/{engagement_id}/transitions", "get"),
        ("FireTransition", "/v1/engagements/{engagement_id}/transitions", "post"),
        ("ListDocuments", "/v1/engagements/{engagement_id}/documents", "get"),
        ("ListEvents", "/v1/engagements/{engagement_id}/events", "get"),
        ("VerifyRecord", "/v1/engagements/{engagement_id}/events/verify", "get"),
    )
}


@blp.route("/engagements")
class Engagements(MethodView):
    @blp.arguments(ListQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, EngagementPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List engagements, newest first, a page at a time."""
        items, next_cursor = engagements.list_engagements(
            runtime(),
            tenant_id(),
            state=query.get("state"),
            client=query.get("client"),
            health_level=query.get("health"),
            before_id=before_id(query),
            limit=query["limit"],
        )
        return {"items": items, "next_cursor": str(next_cursor) if next_cursor else None}

    @blp.arguments(EngagementCreateSchema())
    @blp.response(201, EngagementSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.doc(responses={201: {"links": ENGAGEMENT_LINKS}})  # int: merged into the 201 above
    def post(self, terms: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Create an engagement with its terms; its contract is drafted at once."""
        view = engagements.create_engagement(runtime(), tenant_id(), terms)
        location = url_for("engagements.Engagement", engagement_id=view["id"])
        return view, 201, {"Location": location, "ETag": etag(view["version"])}


@blp.route(f"/engagements/<{ID}:engagement_id>")
class Engagement(MethodView):
    @blp.response(200, EngagementSchema)
    @blp.alt_response(404, schema=None)
    def get(self, engagement_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
        """One engagement, with its state, version (also as ETag) and what is owed."""
        view = engagements.get_engagement(runtime(), tenant_id(), engagement_id)
        return view, 200, {"ETag": etag(view["version"])}

    @blp.arguments(EngagementPatchSchema())
    @blp.doc(parameters=[{**IF_MATCH, "required": True}])
    @blp.response(200, EngagementSchema)
    @blp.alt_response(409, description="The engagement is closed")
    @blp.alt_response(412, description="If-Match named an older version")
    @blp.alt_response(422, description="Bad input, or a change of terms without a valid effective_on")
    @blp.alt_response(428, description="If-Match is missing")
    def patch(
        self, changes: dict[str, Any], engagement_id: int
    ) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Correct client details and accounts (at once, recorded field by field), or amend the
        terms from a day (a contract_amendment letter quotes them as agreed and as amended)."""
        view = changes_use_case.change_engagement(
            runtime(), tenant_id(), engagement_id, changes, if_match_version()
        )
        return view, 200, {"ETag": etag(view["version"])}


@blp.route(f"/engagements/<{ID}:engagement_id>/events")
@blp.response(200, EventSchema(many=True))
@blp.alt_response(409, description="An entry was altered in storage so that it cannot be listed; see verify")
def events(engagement_id: int) -> list[Any]:
    """The record, oldest first: each entry's hash covers the one before it."""
    return list(record.list_events(runtime(), tenant_id(), engagement_id))


@blp.route(f"/engagements/<{ID}:engagement_id>/events/verify")
@blp.response(200, VerificationSchema)
def verify(engagement_id: int) -> dict[str, Any]:
    """Recompute the chain and name the first entry that does not fit."""
    result = record.verify_record(runtime(), tenant_id(), engagement_id)
    broken = None
    if not result.valid:
        broken = {"seq": result.first_broken_seq, "problem": result.problem}
    return {
        "valid": result.valid,
        "count": result.count,
        "head": result.head,
        "first_broken": broken,
    }
