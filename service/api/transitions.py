"""Triggers: what could happen now, and making it happen."""

from __future__ import annotations

import re
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import tenant_id
from service.api.common import etag, operation_ref, runtime
from service.api.fields import ID
from service.api.schemas import (
    TransitionListSchema,
    TransitionRequestSchema,
    TransitionResultSchema,
)
from service.application import transitions

blp = Blueprint("transitions", __name__, url_prefix="/v1", description="Workflow transitions")

DOCUMENT_LINKS = {
    "GetFirstDocument": {
        "operationRef": operation_ref("/v1/documents/{document_id}", "get"),
        "parameters": {"document_id": "$response.body#/documents/0/id"},
    },
    "GetFirstDocumentContent": {
        "operationRef": operation_ref("/v1/documents/{document_id}/content", "get"),
        "parameters": {"document_id": "$response.body#/documents/0/id"},
    },
}

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag you last saw (e.g. "7"), or *; a stale, weak or malformed one answers 412',
}


# One strong entity tag naming a version: "7". Versions are BIGINTs, so 18 digits at most; the
# bound also keeps int() clear of Python's 4,300-digit limit (a ValueError, so a 500).
STRONG_VERSION_TAG = re.compile(r'"([0-9]{1,18})"')
MATCHES_NO_VERSION = -1  # versions start at 0: a precondition no engagement satisfies


def if_match_version() -> int | None:
    """The version If-Match names, or None when absent or ``*`` (any current version applies).

    RFC 9110 compares If-Match strongly: a weak tag (``W/"7"``) never matches, and neither does
    anything that is not one of our tags (garbage, an absurd number), so each answers 412 rather
    than being treated as absent. A list of tags is not matched member by member: it answers 412.
    """
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    tag = STRONG_VERSION_TAG.fullmatch(raw.strip())
    return int(tag.group(1)) if tag else MATCHES_NO_VERSION


@blp.route(f"/engagements/<{ID}:engagement_id>/transitions")
class Transitions(MethodView):
    @blp.response(200, TransitionListSchema)
    def get(self, engagement_id: int) -> dict[str, Any]:
        """Every trigger from the current state: allowed now, or the reasons it is blocked."""
        return transitions.trigger_statuses(runtime(), tenant_id(), engagement_id)

    @blp.arguments(TransitionRequestSchema())
    @blp.doc(parameters=[IF_MATCH])
    @blp.response(200, TransitionResultSchema)
    @blp.doc(responses={"200": {"links": DOCUMENT_LINKS}})
    @blp.alt_response(409, description="The trigger cannot happen from the current state")
    @blp.alt_response(412, description="If-Match did not name the current version")
    @blp.alt_response(422, description="Bad input, or a guard blocked it (see blocked_by)")
    def post(self, body: dict[str, Any], engagement_id: int) -> tuple[Any, int, dict[str, str]]:
        """Fire a trigger; the record entry and documents are written in the same transaction."""
        result = transitions.fire_transition(
            runtime(),
            tenant_id(),
            engagement_id,
            body["trigger"],
            data=body["data"],
            note=body["note"],
            if_match=if_match_version(),
        )
        return result, 200, {"ETag": etag(result["engagement"]["version"])}
