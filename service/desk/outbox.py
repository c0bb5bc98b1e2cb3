"""The outbox: each message with whom it is for, the engagement's state, the letter it carries,
and what approving or discarding it does; one click each, and an edit form for drafts."""

from __future__ import annotations

import re
from typing import Any

from flask import redirect, request, url_for
from marshmallow import ValidationError

from service.api.messages import MessagePatchSchema
from service.application import messages
from service.application import outbox as placed
from service.desk.base import (
    desk,
    fragment,
    local_path,
    page,
    refusal,
    refused_fields,
    runtime,
    t,
    tenant_id,
    wants_fragment,
)
from service.desk.previews import preview_states
from service.domain.errors import DomainError

EDITED = ("to", "cc", "body")  # the desk edits these; the subject names the letter, as drafted
_ADDRESS_SPLIT = re.compile(r"[,;\s]+")


@desk.get("/outbox")
def outbox(status: int = 200, problem_key: str | None = None, **report: Any) -> Any:
    """The messages of one status; after several were acted on at once, with what became of each."""
    shown = request.args.get("status") or "draft"
    listed = messages.list_messages(runtime(), tenant_id(), shown, 50, None)
    in_context = placed.in_context(runtime(), tenant_id(), listed["items"])
    problem = t(problem_key) if problem_key else None
    return page(
        "outbox.html",
        status,
        messages=in_context,
        shown=shown,
        problem=problem,
        previews=_previews(in_context, ask=False),
        **report,
    )


def _in_context(message_id: int) -> dict[str, Any]:
    [shown] = placed.in_context(
        runtime(), tenant_id(), [messages.get_message(runtime(), tenant_id(), message_id)]
    )
    return shown


def _message_page(message_id: int, status: int = 200, **context: Any) -> Any:
    shown = _in_context(message_id)
    context = {"errors": {}, "values": {}, "previews": _previews([shown]), **context}
    return page("message.html", status, message=shown, **context)


@desk.get("/messages/<int:message_id>")
def message(message_id: int) -> Any:
    return _message_page(message_id)


@desk.post("/messages/<int:message_id>/<any(approve, discard):action>")
def act_on_message(message_id: int, action: str) -> Any:
    try:
        if action == "approve":
            messages.approve_message(runtime(), tenant_id(), message_id)
        else:
            reason = request.form.get("reason") or "discarded from the desk"
            messages.discard_message(runtime(), tenant_id(), message_id, reason)
    except DomainError as refused:
        if wants_fragment():
            return _list_item(message_id, 409, problem_here=refusal(refused))
        return _message_page(message_id, 409, problem=refusal(refused))
    if wants_fragment():  # htmx: only this message's part of the list, with what became of it
        return _list_item(message_id, done=action)
    return redirect(local_path(request.form.get("back"), url_for("desk.outbox")), code=303)


def _list_item(message_id: int, status: int = 200, **context: Any) -> Any:
    shown = _in_context(message_id)
    return fragment("outbox_item.html", status, m=shown, previews=_previews([shown]), **context)


def _previews(shown: list[dict[str, Any]], ask: bool = True) -> dict[int, Any]:
    """Where each attached letter's PDF stands, for its first page's picture; the list of up to
    50 only reads, a message's own page asks for its letter's PDF."""
    return preview_states((m["document_id"] for m in shown if m["document_id"]), ask=ask)


@desk.post("/messages/<int:message_id>/edit")
def edit_message(message_id: int) -> Any:
    values = {name: request.form.get(name, "") for name in EDITED}
    body: dict[str, Any] = {
        "to": [a for a in _ADDRESS_SPLIT.split(values["to"]) if a],
        "cc": [a for a in _ADDRESS_SPLIT.split(values["cc"]) if a],
        "body": values["body"].replace("\r\n", "\n"),
    }
    try:
        changes = MessagePatchSchema().load(body)
        messages.update_message(runtime(), tenant_id(), message_id, changes)
    except ValidationError as refused:
        named = {key.split(".")[0]: texts for key, texts in refused_fields(refused).items()}
        return _message_page(message_id, 422, errors=named, values=values)
    except DomainError as refused:
        return _message_page(message_id, 409, problem=refusal(refused), values=values)
    return redirect(url_for("desk.message", message_id=message_id), code=303)
