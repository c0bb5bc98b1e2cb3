"""A closed engagement's record is complete: it takes no new entries, and refusing leaves nothing."""

from __future__ import annotations

from datetime import date

import pytest

from service.application.entries import log_work, record_incident, request_approval
from service.application.handover import handover_step
from service.application.runtime import Runtime
from service.application.transitions import fire_transition
from service.domain.errors import Conflict
from tests.unit.application.conftest import stored
from tests.unit.application.test_billing import pay
from tests.unit.application.test_handover import offboard
from tests.unit.fakes import FakeDatabase

CLOSED = "The engagement is closed; its record is complete and takes no new entries."


@pytest.fixture
def closed_id(rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int) -> int:
    pay(rt, tenant_id, engagement_id, "1200.00", date(2026, 12, 1))
    for item_id in offboard(rt, database, tenant_id, engagement_id).values():
        handover_step(rt, tenant_id, engagement_id, item_id, step="complete", reason="")
    fire_transition(rt, tenant_id, engagement_id, "close", data={}, note=None)
    assert stored(database, engagement_id).state == "closed"
    return engagement_id


def test_new_entries_are_refused(rt: Runtime, database: FakeDatabase, tenant_id: int, closed_id: int) -> None:
    before = database.committed
    writes = [
        lambda: log_work(
            rt, tenant_id, closed_id, day=date(2026, 12, 1), summary="After", hours=None, category="general"
        ),
        lambda: record_incident(
            rt, tenant_id, closed_id, kind="scope", occurred_on=date(2026, 12, 1), description="Late"
        ),
        lambda: request_approval(rt, tenant_id, closed_id, item="Post 12", description=""),
    ]
    for write in writes:
        with pytest.raises(Conflict, match=CLOSED):
            write()
    assert database.committed is before


def test_no_trigger_leaves_the_closed_state(
    rt: Runtime, database: FakeDatabase, tenant_id: int, closed_id: int
) -> None:
    before = database.committed
    requests = (
        ("request_feedback", {"subject": "x"}),
        ("begin_offboarding", {"reason": "mutual", "explanation": "x"}),
        ("resume", {}),
    )
    for trigger, data in requests:
        with pytest.raises(Conflict, match="record is complete"):
            fire_transition(rt, tenant_id, closed_id, trigger, data=data, note=None)
    assert database.committed is before
