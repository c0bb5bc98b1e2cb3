"""The handover checklist: each account given back, or waived with a reason."""

from __future__ import annotations

from typing import Any

from service.application.documents import issue_documents
from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import require_engagement
from service.application.views import handover_view
from service.domain.entry_rules import resolve_handover
from service.domain.errors import NotFound
from service.domain.money import as_text

CHECKLIST = "handover_checklist"  # the document kind that lists the handover items


def list_handover(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        return [handover_view(i) for i in engagement.handover_items]


def handover_step(
    rt: Runtime, tenant_id: int, engagement_id: int, item_id: int, *, step: str, reason: str
) -> dict[str, Any]:
    """Complete or waive one item; the record keeps who was owed what at that moment.

    After closing, completing the last item withheld until payment also writes the updated
    checklist (one for all of them).
    """
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id, after_close=True)
        engagement, now = change.engagement, change.now
        item = next((i for i in engagement.handover_items if i.id == item_id), None)
        if item is None:
            raise NotFound("handover item", item_id)
        closed = rt.workflow.definition.has_role(engagement.state, "record_complete")
        resolve_handover(engagement, item, step, reason, now, closed=closed)
        payload = {
            "handover_item_id": item.id,
            "platform": item.platform,
            "handle": item.handle,
            "action": item.action,
            "status": item.status,
            "reason": reason,
            "balance_due": as_text(engagement.balance_due),
        }
        event = append_entry(uow, engagement, "handover_step", payload, now)
        # One updated checklist, and one message, when the last account withheld for payment is
        # handed over: the client's position changes then (full access, nothing withheld), and
        # that is the letter a professional sends, not one per account as each is given back.
        # The steps before it are in the record, each with its own entry.
        if closed and not any(i.withheld_until_paid for i in engagement.handover_items):
            issue_documents(rt, uow, change.tenant, engagement, (CHECKLIST,), event, now)
        view = handover_view(item)
        uow.commit()
        return view
