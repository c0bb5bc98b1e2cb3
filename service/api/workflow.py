"""The workflow itself, as data and as a Mermaid diagram."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from service.api.auth import tenant_id
from service.api.common import runtime
from service.application.engagements import get_engagement
from service.domain.workflow import WorkflowDefinition

blp = Blueprint("workflow", __name__, url_prefix="/v1", description="The engagement workflow")


class WorkflowSchema(Schema):
    name = fields.String()
    version = fields.String()
    initial = fields.String()
    states = fields.List(fields.Dict(), metadata={"description": "Each with its roles (billable, ...)"})
    triggers = fields.Dict(metadata={"description": "Per trigger: who fires it, its input, its due rule"})
    transitions = fields.List(fields.Dict())


class DiagramQuery(Schema):
    engagement = fields.Integer(
        validate=validate.Range(1, 2147483647), metadata={"description": "Highlight this engagement's state"}
    )


@blp.route("/workflow")
@blp.response(200, WorkflowSchema)
def workflow() -> dict[str, Any]:
    """States, transitions, guards and documents, exactly as loaded."""
    return runtime().workflow.definition.as_dict()


@blp.route("/workflow/diagram")
@blp.arguments(DiagramQuery(), location="query", unknown=RAISE)
@blp.response(200, {"type": "string"}, content_type="text/plain")
def diagram(query: dict[str, Any]) -> Response:
    """A Mermaid stateDiagram-v2; with ?engagement=ID its current state is highlighted."""
    current = None
    if "engagement" in query:
        current = get_engagement(runtime(), tenant_id(), query["engagement"])["state"]
    text = mermaid(runtime().workflow.definition, current)
    return Response(text, mimetype="text/plain")


def mermaid(
    workflow: WorkflowDefinition, current: str | None = None, label: Callable[[str], str] | None = None
) -> str:
    """The diagram's text; with ``label`` (the desk's) states and steps show as a person reads
    them, while the diagram's own ids stay the workflow's names."""
    lines = ["stateDiagram-v2"]
    if label:
        # A label is wording, never a client's text; a double quote would end Mermaid's string.
        lines += [
            f'    state "{label(s.name).replace(chr(34), chr(39))}" as {s.name}' for s in workflow.states
        ]
    lines.append(f"    [*] --> {workflow.initial}")
    seen = set()
    for t in workflow.transitions:
        for source in t.source:
            edge = (source, t.dest_from(source), t.trigger)
            if edge not in seen:
                seen.add(edge)
                lines.append(f"    {edge[0]} --> {edge[1]}: {label(edge[2]) if label else edge[2]}")
    lines += [f"    {s.name} --> [*]" for s in workflow.states if s.final]
    if current:
        lines += [
            "    classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px",
            f"    class {current} current",
        ]
    return "\n".join(lines) + "\n"
