"""Engagements: the list, the form that creates one, and the engagement's own page, whose forms
fire the same use cases as the API."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import redirect, request, send_file, url_for
from marshmallow import Schema, ValidationError, fields

from service.api.billing_schemas import PaymentCreateSchema
from service.api.documents import DOCX_TYPE
from service.api.schemas import EngagementCreateSchema
from service.application import billing, documents, engagements, transitions
from service.desk.base import (
    desk,
    language,
    page,
    refusal,
    refused_fields,
    runtime,
    tenant_id,
    wants_fragment,
)
from service.desk.engagement_page import engagement
from service.domain.errors import DomainError, InvalidInput, InvalidTrigger
from service.domain.sayings import say
from service.domain.workflow import InputField

PAGE_SIZE = 25


def _typed(schema: Schema, body: dict[str, Any]) -> dict[str, Any]:
    """A form sends text; the API's schemas take integers strictly, so whole numbers become ints
    where the schema declares an integer (anything else is left for the schema to refuse)."""
    for name, value in body.items():
        field = schema.fields.get(name)
        if isinstance(field, fields.Nested) and isinstance(value, dict):
            _typed(field.schema, value)
        elif (
            isinstance(field, fields.Integer)
            and isinstance(value, str)
            and value.strip().lstrip("-").isdigit()
        ):
            body[name] = int(value)
    return body


def _nested(form: dict[str, str], schema: Schema) -> dict[str, Any]:
    """``client.name`` → ``{"client": {"name": …}}``; empty fields are left out, so defaults apply."""
    body: dict[str, Any] = {}
    for name, value in form.items():
        if name == "csrf_token" or value.strip() == "":
            continue
        *groups, field = name.split(".")
        target = body
        for group in groups:
            target = target.setdefault(group, {})
        target[field] = (
            [line.strip() for line in value.splitlines() if line.strip()] if field == "services" else value
        )
    return _typed(schema, body)


@desk.get("/engagements")
def engagement_list() -> Any:
    cursor = request.args.get("cursor", type=int)
    items, next_cursor = engagements.list_engagements(
        runtime(),
        tenant_id(),
        state=request.args.get("state") or None,
        client=request.args.get("client") or None,
        before_id=cursor,
        limit=PAGE_SIZE,
    )
    states = list(runtime().workflow.definition.state_names)
    return page("engagements.html", items=items, next_cursor=next_cursor, states=states, args=request.args)


@desk.get("/engagements/new")
def new_engagement() -> Any:
    return page("new_engagement.html", errors={}, values={})


@desk.post("/engagements")
def create_engagement() -> Any:
    values = request.form.to_dict()
    try:
        schema = EngagementCreateSchema()
        terms = schema.load(_nested(values, schema))
        created = engagements.create_engagement(runtime(), tenant_id(), terms)
    except ValidationError as refused:
        return page("new_engagement.html", 422, errors=refused_fields(refused), values=values)
    except InvalidInput as refused:  # the domain's refusals (a FatturaPA check), in the desk's language
        said = {field: [say(m, language()) for m in messages] for field, messages in refused.errors.items()}
        return page("new_engagement.html", 422, errors=said, values=values)
    return redirect(url_for("desk.engagement", engagement_id=created["id"]), code=303)


def _input_value(field: InputField, raw: str) -> Any:
    return int(raw) if field.type == "integer" and raw.lstrip("-").isdigit() else raw


@desk.post("/engagements/<int:engagement_id>/transitions")
def fire(engagement_id: int) -> Any:
    rt, trigger = runtime(), request.form.get("trigger", "")
    spec = rt.workflow.definition.triggers.get(trigger)
    fields = spec.input if spec else ()
    data = {f.name: _input_value(f, request.form[f.name]) for f in fields if request.form.get(f.name)}
    try:
        transitions.fire_transition(
            rt, tenant_id(), engagement_id, trigger, data=data, note=request.form.get("note") or None
        )
    except DomainError as refused:
        return engagement(
            engagement_id, 409 if isinstance(refused, InvalidTrigger) else 422, refusal(refused)
        )
    if wants_fragment():  # htmx: the page's new main part in place, with no redirect to follow
        return engagement(engagement_id)
    return redirect(url_for("desk.engagement", engagement_id=engagement_id), code=303)


@desk.post("/engagements/<int:engagement_id>/payments")
def record_payment(engagement_id: int) -> Any:
    try:
        schema = PaymentCreateSchema()
        body = schema.load(_nested(request.form.to_dict(), schema))
        billing.record_payment(runtime(), tenant_id(), engagement_id, body)
    except ValidationError as refused:
        named = refused_fields(refused)
        return engagement(engagement_id, 422, "; ".join(f"{k}: {' '.join(v)}" for k, v in named.items()))
    except DomainError as refused:
        return engagement(engagement_id, 422, refusal(refused))
    return redirect(url_for("desk.engagement", engagement_id=engagement_id), code=303)


@desk.get("/documents/<int:document_id>")
def document_file(document_id: int) -> Any:
    stored = documents.get_document(runtime(), tenant_id(), document_id)
    return send_file(
        BytesIO(stored.content),
        mimetype=DOCX_TYPE,
        as_attachment=True,
        download_name=stored.download_name,
    )
