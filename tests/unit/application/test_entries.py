"""Work log, incidents and approvals: each one an entry of the record, in time order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service.application.engagements import create_engagement
from service.application.entries import decide_approval, log_work, record_incident, request_approval
from service.application.runtime import Runtime
from service.domain.errors import Conflict, InvalidInput
from tests.conftest import FakeClock
from tests.unit.application.conftest import record, terms
from tests.unit.fakes import FakeDatabase


def test_approval_rounds_count_against_the_agreed_ones(
    rt: Runtime, database: FakeDatabase, tenant_id: int
) -> None:
    eid = create_engagement(rt, tenant_id, terms(revision_rounds=1))["id"]
    approval = request_approval(rt, tenant_id, eid, item="Post 12 December", description="")
    assert (approval["status"], approval["rounds"], approval["agreed_rounds"]) == ("pending", 0, 1)

    def decide(decision: str, comment: str = "") -> dict:
        return decide_approval(rt, tenant_id, approval["id"], decision=decision, comment=comment)

    first = decide("changes_requested", "Other photo")
    assert (first["rounds"], first["beyond_agreed_rounds"]) == (1, False)
    second = decide("changes_requested")
    assert (second["rounds"], second["beyond_agreed_rounds"]) == (2, True)
    approved = decide("approved")
    assert (approved["status"], approved["rounds"]) == ("approved", 2)
    before = database.committed
    with pytest.raises(Conflict, match="already approved"):
        decide("changes_requested")
    assert database.committed is before
    decided = [e.payload for e in record(database, eid) if e.type == "approval_decided"]
    assert [(p["decision"], p["comment"], p["beyond_agreed_rounds"]) for p in decided] == [
        ("changes_requested", "Other photo", False),
        ("changes_requested", "", True),
        ("approved", "", True),
    ]


def test_an_invoice_whose_day_came_is_recorded_before_the_entry(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    clock.advance(days=35)  # Tue 5 January: January's fee was due on the 1st
    record_incident(rt, tenant_id, engagement_id, kind="other", occurred_on=date(2027, 1, 4), description="x")
    last_two = record(database, engagement_id)[-2:]
    assert [(e.type, e.occurred_at) for e in last_two] == [
        ("invoice_issued", datetime(2026, 12, 31, 23, tzinfo=UTC)),  # 1 January begins in Rome
        ("incident_recorded", datetime(2027, 1, 5, 9, tzinfo=UTC)),
    ]
    assert last_two[0].payload["period"] == "2027-01"


def test_work_done_after_today_is_refused_and_leaves_nothing(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    before = database.committed
    with pytest.raises(InvalidInput) as refused:
        log_work(
            rt, tenant_id, engagement_id, day=date(2026, 12, 2), summary="x", hours=None, category="general"
        )
    assert set(refused.value.errors) == {"date"}
    assert database.committed is before
