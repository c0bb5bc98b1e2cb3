"""The handover checklist: each account given back, or waived with a reason."""

from __future__ import annotations

from typing import Any

from service.application.entries import writable_engagement
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import require_engagement
from service.application.views import handover_view
from service.domain.entry_rules import resolve_handover
from service.domain.errors import NotFound
from service.domain.money import as_text


def list_handover(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        return [handover_view(i) for i in engagement.handover_items]


def handover_step(
    rt: Runtime, tenant_id: int, engagement_id: int, item_id: int, *, step: str, reason: str
) -> dict[str, Any]:
    """Complete or waive one item; the record keeps who was owed what at that moment."""
    with rt.writer() as uow:
        engagement, now = writable_engagement(rt, uow, tenant_id, engagement_id)
        item = next((i for i in engagement.handover_items if i.id == item_id), None)
        if item is None:
            raise NotFound("handover item", item_id)
        resolve_handover(engagement, item, step, reason, now)
        payload = {
            "handover_item_id": item.id,
            "platform": item.platform,
            "handle": item.handle,
            "action": item.action,
            "status": item.status,
            "reason": reason,
            "balance_due": as_text(engagement.balance_due),
        }
        append_entry(uow, engagement, "handover_step", payload, now)
        view = handover_view(item)
        uow.commit()
        return view
