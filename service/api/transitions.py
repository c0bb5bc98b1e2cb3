"""Triggers: what could happen now, and making it happen."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import tenant_id
from service.api.common import IF_MATCH, etag, if_match_version, operation_ref, runtime
from service.api.fields import ID
from service.api.schemas import TransitionListSchema, TransitionResultSchema
from service.api.trigger_input import transition_request_schema
from service.application import transitions
from service.domain.workflow import WorkflowDefinition

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


def make_blueprint(definition: WorkflowDefinition) -> Blueprint:
    """The transitions routes for one workflow: the request schema states each trigger's input."""
    blp = Blueprint("transitions", __name__, url_prefix="/v1", description="Workflow transitions")
    request_schema = transition_request_schema(definition)

    @blp.route(f"/engagements/<{ID}:engagement_id>/transitions")
    class Transitions(MethodView):
        @blp.response(200, TransitionListSchema)
        def get(self, engagement_id: int) -> dict[str, Any]:
            """Every trigger from the current state: allowed now or why not, and the input it needs."""
            return transitions.trigger_statuses(runtime(), tenant_id(), engagement_id)

        @blp.arguments(request_schema)
        @blp.doc(parameters=[IF_MATCH])
        @blp.response(200, TransitionResultSchema)
        @blp.doc(responses={200: {"links": DOCUMENT_LINKS}})  # int: merged into the 200 above
        @blp.alt_response(409, description="The trigger cannot happen from the current state, or not by hand")
        @blp.alt_response(412, description="If-Match named an older version")
        @blp.alt_response(
            422, description="Unknown trigger, bad input, or a guard blocked it (see blocked_by)"
        )
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

    return blp
