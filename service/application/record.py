"""Appending to and reading the hash-chained record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork, require_engagement
from service.domain import record
from service.domain.errors import RecordTampered
from service.domain.model import Engagement, Event


def append_entry(
    uow: UnitOfWork, engagement: Engagement, type_: str, payload: dict[str, Any], at: datetime
) -> Event:
    """Append an entry in the current transaction. Not flushed here: the commit writes it, and
    whoever needs its id first (a document citing it) flushes."""
    uow.touch(engagement)
    event = record.append(engagement, type_, payload, at)
    uow.record.add(event)
    return event


def list_events(rt: Runtime, tenant_id: int, engagement_id: int) -> list[Event]:
    """The entries, oldest first. One whose payload is no longer an object was altered in the
    database: the answer is the verification's finding, not a listing that cannot describe it."""
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        events = list(uow.record.events(engagement.id or 0))
        if not all(isinstance(event.payload, dict) for event in events):
            found = record.verify(events, engagement)
            raise RecordTampered(
                f"The record fails verification: {found.problem}. GET .../events/verify names the "
                "first broken entry; the export carries the record as stored."
            )
        return events


def verify_record(rt: Runtime, tenant_id: int, engagement_id: int) -> record.Verification:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        return record.verify(uow.record.events(engagement.id or 0), engagement)
