"""The body of POST /transitions, generated from the workflow file's trigger inputs.

Only the shape is documented here; what each trigger takes is checked in the domain
(``domain.trigger_input``), so a new trigger's input needs no code in this layer.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from service.api.fields import Text
from service.api.schemas import StrictSchema
from service.domain.text import ONE_LINE_TEXT, XML_LEGAL_TEXT
from service.domain.workflow import InputField, WorkflowDefinition


def _property(field: InputField, users: list[str]) -> dict[str, Any]:
    described = {"description": f"{field.description} (used by {', '.join(users)})".strip()}
    if field.type == "text":
        pattern = ONE_LINE_TEXT if field.one_line else XML_LEGAL_TEXT
        return {"type": "string", "maxLength": field.max_length, "pattern": pattern, **described}
    if field.type == "choice":
        return {"type": "string", "enum": list(field.choices), **described}
    bounds = {k: v for k, v in (("minimum", field.minimum), ("maximum", field.maximum)) if v is not None}
    return {"type": "integer", **bounds, **described}


def transition_request_schema(definition: WorkflowDefinition) -> Schema:
    users: dict[str, list[str]] = {}
    for name, trigger in definition.triggers.items():
        for field in trigger.input:
            users.setdefault(field.name, []).append(name)
    properties = {name: _property(f, users[name]) for name, f in definition.input_fields().items()}
    schema = type(
        "TransitionRequestSchema",
        (StrictSchema,),
        {
            "trigger": Text(
                64,
                required=True,
                min_length=1,
                metadata={"description": "One of the workflow's triggers (GET /v1/workflow)"},
            ),
            "data": fields.Dict(
                load_default=dict,
                metadata={
                    "description": "The trigger's input; GET .../transitions lists what each one needs",
                    "properties": properties,
                    "additionalProperties": False,
                },
            ),
            "note": Text(2000, load_default=None, allow_none=True),
        },
    )
    return schema()
