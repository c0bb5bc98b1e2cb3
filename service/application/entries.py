"""The record of work done, of problems met and of approval requests; each entry is also an event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork, require_engagement
from service.application.views import approval_view, incident_view, work_log_view
from service.domain.entry_rules import decide, ensure_not_future
from service.domain.errors import NotFound
from service.domain.model import ApprovalRequest, Engagement, Incident, WorkLogEntry


def writable_engagement(
    rt: Runtime, uow: UnitOfWork, tenant_id: int, engagement_id: int
) -> tuple[Engagement, datetime]:
    """The tenant's engagement, locked, still open; and the tenant's current time."""
    change = load_for_change(rt, uow, tenant_id, engagement_id)
    return change.engagement, change.now


def _listed(
    rt: Runtime, tenant_id: int, engagement_id: int, view: Callable[[Engagement], list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    with rt.reader() as uow:
        return view(require_engagement(uow, tenant_id, engagement_id))


def log_work(
    rt: Runtime,
    tenant_id: int,
    engagement_id: int,
    *,
    day: date,
    summary: str,
    hours: Decimal | None,
    category: str,
) -> dict[str, Any]:
    with rt.writer() as uow:
        engagement, now = writable_engagement(rt, uow, tenant_id, engagement_id)
        ensure_not_future("date", day, engagement.day_of(now))
        entry = WorkLogEntry(day=day, summary=summary, hours=hours, category=category, recorded_at=now)
        engagement.work_log.append(entry)
        uow.flush()
        payload = {
            "work_log_id": entry.id,
            "date": day.isoformat(),
            "summary": summary,
            "hours": None if hours is None else str(hours),
            "category": category,
        }
        append_entry(uow, engagement, "work_logged", payload, now)
        view = work_log_view(entry)
        uow.commit()
        return view


def list_work_log(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    return _listed(rt, tenant_id, engagement_id, lambda e: [work_log_view(w) for w in e.work_log])


def record_incident(
    rt: Runtime, tenant_id: int, engagement_id: int, *, kind: str, occurred_on: date, description: str
) -> dict[str, Any]:
    with rt.writer() as uow:
        engagement, now = writable_engagement(rt, uow, tenant_id, engagement_id)
        ensure_not_future("occurred_on", occurred_on, engagement.day_of(now))
        incident = Incident(kind=kind, occurred_on=occurred_on, description=description, recorded_at=now)
        engagement.incidents.append(incident)
        uow.flush()
        payload = {
            "incident_id": incident.id,
            "kind": kind,
            "occurred_on": occurred_on.isoformat(),
            "description": description,
        }
        append_entry(uow, engagement, "incident_recorded", payload, now)
        view = incident_view(incident)
        uow.commit()
        return view


def list_incidents(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    return _listed(rt, tenant_id, engagement_id, lambda e: [incident_view(i) for i in e.incidents])


def request_approval(
    rt: Runtime, tenant_id: int, engagement_id: int, *, item: str, description: str
) -> dict[str, Any]:
    with rt.writer() as uow:
        engagement, now = writable_engagement(rt, uow, tenant_id, engagement_id)
        approval = ApprovalRequest(item=item, description=description, sent_at=now)
        engagement.approvals.append(approval)
        uow.flush()
        payload = {"approval_id": approval.id, "item": item, "description": description}
        append_entry(uow, engagement, "approval_requested", payload, now)
        view = approval_view(approval, engagement.revision_rounds)
        uow.commit()
        return view


def list_approvals(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    return _listed(
        rt,
        tenant_id,
        engagement_id,
        lambda e: [approval_view(a, e.revision_rounds) for a in e.approvals],
    )


def decide_approval(
    rt: Runtime, tenant_id: int, approval_id: int, *, decision: str, comment: str
) -> dict[str, Any]:
    """The client's answer; rounds beyond the agreed ones are flagged in the record (SPEC §1)."""
    with rt.writer() as uow:
        engagement_id = uow.engagements.owner_of_approval(tenant_id, approval_id)
        if engagement_id is None:
            raise NotFound("approval request", approval_id)
        engagement, now = writable_engagement(rt, uow, tenant_id, engagement_id)
        approval = next(a for a in engagement.approvals if a.id == approval_id)
        view = apply_decision(uow, engagement, approval, decision, comment, now)
        uow.commit()
        return view


def apply_decision(
    uow: UnitOfWork,
    engagement: Engagement,
    approval: ApprovalRequest,
    decision: str,
    comment: str,
    now: datetime,
) -> dict[str, Any]:
    """The decision and its record entry in the caller's transaction (the API's and the portal's)."""
    decide(approval, decision, now)
    view = approval_view(approval, engagement.revision_rounds)
    payload = {
        "approval_id": approval.id,
        "item": approval.item,
        "decision": decision,
        "comment": comment,
        "rounds": approval.rounds,
        "agreed_rounds": engagement.revision_rounds,
        "beyond_agreed_rounds": view["beyond_agreed_rounds"],
    }
    append_entry(uow, engagement, "approval_decided", payload, now)
    return view
