"""Appending to and reading the hash-chained record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork, require_engagement
from service.domain import record
from service.domain.model import Engagement, Event
from service.domain.webhooks import OutboxMessage, entry_announcement


def append_entry(
    uow: UnitOfWork, engagement: Engagement, type_: str, payload: dict[str, Any], at: datetime
) -> Event:
    """Append an entry in the current transaction. Not flushed here: the commit writes it, and
    whoever needs its id first (a document citing it) flushes.

    Every entry passes here, so this is where the announced ones join the outbox: in the same
    transaction, so an announcement exists exactly when its change does."""
    uow.touch(engagement)
    event = record.append(engagement, type_, payload, at)
    uow.record.add(event)
    announcement = entry_announcement(engagement, event)
    if announcement is not None:
        event_type, body = announcement
        uow.webhooks.announce(OutboxMessage(engagement.tenant_id, event_type, body, at))
    return event


def list_events(rt: Runtime, tenant_id: int, engagement_id: int) -> list[Event]:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        return list(uow.record.events(engagement.id or 0))


def verify_record(rt: Runtime, tenant_id: int, engagement_id: int) -> record.Verification:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        return record.verify(uow.record.events(engagement.id or 0), engagement)
