"""The sweep: every step that fell due, in order, each dated when it fell due; never twice."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from service.application.clock import forecast, sweep
from service.application.runtime import Runtime
from service.application.transitions import fire_transition
from tests.conftest import FakeClock
from tests.ladder import ladder
from tests.unit.application.conftest import record, stored
from tests.unit.application.test_billing import pay
from tests.unit.fakes import FakeDatabase

ROME = ZoneInfo("Europe/Rome")  # the tenant writes in Italian: its days are Rome's


def midnight(year: int, month: int, day: int) -> datetime:
    """Midnight in Rome (23:00 UTC the day before in winter): when a dated step falls due."""
    return datetime(year, month, day, tzinfo=ROME)


def test_one_sweep_a_month_late_takes_each_step_dated_when_it_fell_due(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, engagement_id: int
) -> None:
    created = stored(database, engagement_id).record_seq
    clock.advance(days=31)  # Fri 1 Jan 2027, 09:00; December's fee was due on Tue 1 Dec
    due_on = date(2026, 12, 1)
    taken = sweep(rt)
    assert [(t.engagement_id, t.trigger, t.at) for t in taken] == [
        *(
            (engagement_id, trigger, midnight(day.year, day.month, day.day))
            for trigger, day in ladder(due_on)
        ),
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
    assert [t.trigger for t in sweep(rt)] == [trigger for trigger, _ in ladder(date(2026, 12, 1))]
    after_first = database.committed
    assert sweep(rt) == []
    assert database.committed is after_first


def test_the_sweep_leaves_what_is_not_due_yet(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, engagement_id: int
) -> None:
    clock.advance(hours=13)  # Tue 1 Dec, 23:00 in Rome: the fee is due today, overdue from tomorrow
    before = database.committed
    assert sweep(rt) == []
    assert database.committed is before
    assert stored(database, engagement_id).next_deadline == midnight(2026, 12, 2)


def test_the_forecast_is_what_the_sweeps_then_do(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    pay(rt, tenant_id, engagement_id, "1200.00", date(2026, 12, 1))
    fire_transition(rt, tenant_id, engagement_id, "request_feedback", data={"subject": "Plan"}, note=None)
    before = database.committed
    predicted = [
        (s["trigger"], s["at"]) for s in forecast(rt, tenant_id, engagement_id, date(2027, 3, 31))["steps"]
    ]
    assert database.committed is before  # forecasting writes nothing
    # The 2 agreed reminders, 3 business days apart in Italy's calendar (7 and 11 December: the
    # Immacolata skipped), then no more (issue 30); then January unpaid: overdue, paused.
    reminders = [at for t, at in predicted if t == "remind_feedback"]
    assert reminders == [midnight(2026, 12, d) for d in (7, 11)]
    assert predicted[2:4] == [
        ("issue_invoice", midnight(2027, 1, 1)),
        ("mark_payment_overdue", midnight(2027, 1, 2)),
    ]
    taken = []
    while clock.now.date() < date(2027, 3, 31):
        clock.advance(days=3)
        taken += [(t.trigger, t.at) for t in sweep(rt)]
    assert [step for step in taken if step[1] < midnight(2027, 4, 1)] == predicted
