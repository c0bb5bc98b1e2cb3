"""What needs the user today, in one list ordered by deadline: messages to approve, deliveries
that failed, and the steps the clock will take in the coming days if nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from service.application.clock import forecast
from service.application.loading import load_for_reading
from service.application.runtime import Runtime

HORIZON = timedelta(days=7)
MOST_ENGAGEMENTS = 50  # forecast per engagement: the page shows the nearest ones


@dataclass(frozen=True)
class Item:
    kind: str  # approve_message | delivery_failed | clock_step: the wording key of its sentences
    at: datetime
    engagement_id: int
    client: str
    what: str  # the message's subject, or the trigger the clock will fire
    message_id: int | None = None
    letters: tuple[str, ...] = ()


def today_items(rt: Runtime, tenant_id: int) -> list[Item]:
    with rt.reader() as uow:
        tenant = uow.tenants.get(tenant_id)
        now = rt.now_for(tenant) if tenant else rt.clock()
        clients: dict[int, str] = {}

        def client(engagement_id: int) -> str:
            if engagement_id not in clients:
                clients[engagement_id] = load_for_reading(
                    rt, uow, tenant_id, engagement_id
                ).engagement.client_name
            return clients[engagement_id]

        items = [
            Item(
                "approve_message" if status == "draft" else "delivery_failed",
                m.created_at,
                m.engagement_id,
                client(m.engagement_id),
                m.subject,
                message_id=m.id,
            )
            for status in ("draft", "failed")
            for m in uow.messages.page(tenant_id, status, MOST_ENGAGEMENTS, None)
        ]
        due = uow.engagements.due(tenant_id, now + HORIZON, MOST_ENGAGEMENTS, None)
        for _, engagement_id in due:
            until = load_for_reading(rt, uow, tenant_id, engagement_id).engagement.day_of(now + HORIZON)
            name = client(engagement_id)
            items += [
                Item("clock_step", s["at"], engagement_id, name, s["trigger"], letters=tuple(s["documents"]))
                for s in forecast(rt, tenant_id, engagement_id, until)["steps"]
            ]
    return sorted(items, key=lambda item: (item.at, item.engagement_id))
