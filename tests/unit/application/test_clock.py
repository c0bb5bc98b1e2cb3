"""The sweep: every step that fell due, in order, each dated when it fell due; never twice."""

from __future__ import annotations

from datetime import UTC, datetime

from service.application.clock import sweep
from service.application.runtime import Runtime
from tests.conftest import FakeClock
from tests.unit.application.conftest import record, stored
from tests.unit.fakes import FakeDatabase


def midnight(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def test_one_sweep_a_month_late_takes_each_step_dated_when_it_fell_due(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, engagement_id: int
) -> None:
    created = stored(database, engagement_id).record_seq
    clock.advance(days=31)  # Fri 1 Jan 2027, 09:00; December's fee was due on Tue 1 Dec
    taken = sweep(rt)
    assert [(t.engagement_id, t.trigger, t.at) for t in taken] == [
        (engagement_id, "mark_payment_overdue", midnight(2026, 12, 2)),
        (engagement_id, "pause_work", midnight(2026, 12, 9)),  # the seven days of grace are over
        (engagement_id, "issue_invoice", midnight(2027, 1, 1)),
    ]
    later = [(e.type, e.occurred_at) for e in record(database, engagement_id)[created:]]
    assert later == [
        ("transition", midnight(2026, 12, 2)),
        ("document_generated", midnight(2026, 12, 2)),  # the payment reminder, dated then
        ("transition", midnight(2026, 12, 9)),
        ("document_generated", midnight(2026, 12, 9)),  # the stop-work notice
        ("invoice_issued", midnight(2027, 1, 1)),
    ]
    engagement = stored(database, engagement_id)
    assert (engagement.state, engagement.next_deadline) == ("paused", midnight(2027, 2, 1))


def test_a_second_sweep_at_the_same_time_takes_nothing(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, engagement_id: int
) -> None:
    clock.advance(days=10)
    assert [t.trigger for t in sweep(rt)] == ["mark_payment_overdue", "pause_work"]
    after_first = database.committed
    assert sweep(rt) == []
    assert database.committed is after_first


def test_the_sweep_leaves_what_is_not_due_yet(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, engagement_id: int
) -> None:
    clock.advance(hours=14)  # Tue 1 Dec, 23:00: the fee is due today, overdue from tomorrow
    before = database.committed
    assert sweep(rt) == []
    assert database.committed is before
    assert stored(database, engagement_id).next_deadline == midnight(2026, 12, 2)
