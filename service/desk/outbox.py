"""The outbox: each message with what approving or discarding it does; one click each."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for

from service.application import messages
from service.desk.base import desk, local_path, page, refusal, runtime, tenant_id
from service.domain.errors import DomainError


@desk.get("/outbox")
def outbox() -> Any:
    status = request.args.get("status") or "draft"
    listed = messages.list_messages(runtime(), tenant_id(), status, 50, None)
    return page("outbox.html", messages=listed["items"], status=status)


@desk.get("/messages/<int:message_id>")
def message(message_id: int) -> Any:
    return page("message.html", message=messages.get_message(runtime(), tenant_id(), message_id))


@desk.post("/messages/<int:message_id>/<any(approve, discard):action>")
def act_on_message(message_id: int, action: str) -> Any:
    try:
        if action == "approve":
            messages.approve_message(runtime(), tenant_id(), message_id)
        else:
            reason = request.form.get("reason") or "discarded from the desk"
            messages.discard_message(runtime(), tenant_id(), message_id, reason)
    except DomainError as refused:
        shown = messages.get_message(runtime(), tenant_id(), message_id)
        return page("message.html", 409, message=shown, problem=refusal(refused))
    return redirect(local_path(request.form.get("back"), url_for("desk.outbox")), code=303)
