"""Listing and firing triggers: one transaction covers the state, the record and the documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from service.application.documents import issue_documents
from service.application.loading import load_for_change, load_for_reading
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.application.views import document_view, engagement_view, event_view
from service.domain.messages import IN_FLIGHT
from service.domain.model import Document, Engagement, Event, Tenant
from service.domain.sayings import say


@dataclass(frozen=True)
class Fired:
    event: Event
    documents: list[Document]


def trigger_statuses(
    rt: Runtime, tenant_id: int, engagement_id: int, reason: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """Each trigger's status; its reasons said in the engagement's language, or by ``reason``
    (the desk says them in its own language, naming states and triggers by their labels)."""
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        engagement = loaded.engagement
        said = reason or (lambda r: say(r, engagement.language))
        statuses = [
            replace(s, blocked_by=tuple(said(r) for r in s.blocked_by))
            for s in rt.workflow.status(engagement, loaded.now)
        ]
        return {"state": engagement.state, "version": engagement.version, "transitions": statuses}


def apply_trigger(
    rt: Runtime,
    uow: UnitOfWork,
    tenant: Tenant,
    engagement: Engagement,
    trigger: str,
    now: datetime,
    *,
    data: dict[str, Any] | None = None,
    note: str | None = None,
    actor: str = "user",
) -> Fired:
    """Fire inside the caller's transaction; shared by the API, payments and the clock."""
    outcome = rt.workflow.fire(engagement, trigger, now, data, firer=actor)
    payload = {
        "trigger": trigger,
        "from": outcome.source,
        "to": outcome.dest,
        "by": actor,
        "data": data or {},
        "note": note,
        **outcome.payload,
    }
    if rt.workflow.definition.has_role(outcome.dest, "record_complete"):
        # Closing does not wait for the mail server: it names the messages still on their way,
        # whose delivery reports the record takes after closing.
        payload["messages_in_flight"] = [
            m.id for m in uow.messages.for_engagement(engagement.id or 0) if m.status in IN_FLIGHT
        ]
    event = append_entry(uow, engagement, "transition", payload, now)
    documents = issue_documents(rt, uow, tenant, engagement, outcome.documents, event, now)
    return Fired(event, documents)


def fire_transition(
    rt: Runtime,
    tenant_id: int,
    engagement_id: int,
    trigger: str,
    *,
    data: dict[str, Any] | None,
    note: str | None,
    if_match: int | None = None,
) -> dict[str, Any]:
    rt.workflow.check_input(trigger, data)  # bad input is 422 before anything is read or locked
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id, expected_version=if_match)
        engagement = change.engagement
        fired = apply_trigger(rt, uow, change.tenant, engagement, trigger, change.now, data=data, note=note)
        uow.commit()  # one flush for the whole change; the loaded objects stay readable after it
        return {
            "engagement": engagement_view(engagement),
            "event": event_view(fired.event),
            "documents": [document_view(d) for d in fired.documents],
        }
