"""Several messages approved or discarded at once: each through the same use case as one at a
time, in its own transaction, so a message that cannot go is reported and the others still go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request

from service.application import messages
from service.desk.base import desk, refusal, runtime, tenant_id
from service.desk.outbox import outbox
from service.domain.errors import DomainError

DEFAULT_REASON = "discarded from the desk"  # as one discard without a reason is recorded


@dataclass(frozen=True)
class Outcome:
    message_id: int
    subject: str
    refused: str | None  # None: done


def _one(message_id: int, action: str, reason: str) -> Outcome:
    try:
        if action == "approve":
            done = messages.approve_message(runtime(), tenant_id(), message_id)
        else:
            done = messages.discard_message(runtime(), tenant_id(), message_id, reason)
    except DomainError as refused:
        subject = _subject(message_id)
        return Outcome(message_id, subject, refusal(refused))
    return Outcome(message_id, str(done.get("subject", "")), None)


def _subject(message_id: int) -> str:
    """The refused message's subject, to name it; one of another account names nothing."""
    try:
        return str(messages.get_message(runtime(), tenant_id(), message_id)["subject"])
    except DomainError:
        return f"#{message_id}"


@desk.post("/outbox/bulk")
def act_on_messages() -> Any:
    action = request.form.get("action")
    picked = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    if action not in ("approve", "discard") or not picked:
        return outbox(problem_key="outbox.bulk.none_picked", status=422)
    reason = request.form.get("reason", "").strip() or DEFAULT_REASON
    outcomes = [_one(message_id, action, reason) for message_id in dict.fromkeys(picked)]
    return outbox(outcomes=outcomes, action=action)
