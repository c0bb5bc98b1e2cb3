"""Payments: the oldest invoice first; a payment that leaves nothing overdue resumes the work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from service.application.billing import record_payment
from service.application.clock import sweep
from service.application.runtime import Runtime
from tests.conftest import FakeClock
from tests.unit.application.conftest import record, stored
from tests.unit.fakes import FakeDatabase


def pay(rt: Runtime, tenant_id: int, engagement_id: int, amount: str, on: date) -> dict:
    body = {"amount": Decimal(amount), "received_on": on, "reference": "bank transfer"}
    return record_payment(rt, tenant_id, engagement_id, body)


def test_a_payment_that_clears_what_is_overdue_resumes_in_the_same_commit(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    clock.advance(days=8)  # Wed 9 Dec: overdue since the 2nd, paused once the grace ran out
    sweep(rt)
    assert stored(database, engagement_id).state == "paused"

    partial = pay(rt, tenant_id, engagement_id, "500.00", date(2026, 12, 9))
    assert partial["resume_event"] is None
    assert (stored(database, engagement_id).state, stored(database, engagement_id).balance_due) == (
        "paused",
        Decimal("700.00"),
    )

    commits = database.committed.commits
    full = pay(rt, tenant_id, engagement_id, "700.00", date(2026, 12, 9))
    assert database.committed.commits == commits + 1
    engagement = stored(database, engagement_id)
    assert (engagement.state, engagement.balance_due) == ("active", Decimal("0.00"))
    [invoice] = engagement.invoices
    assert (invoice.paid_on, invoice.outstanding) == (date(2026, 12, 9), Decimal("0.00"))
    resumed = full["resume_event"]
    assert (resumed["payload"]["trigger"], resumed["payload"]["by"]) == ("resume", "payment")
    types = [(e.type, e.payload.get("trigger")) for e in record(database, engagement_id)[-4:]]
    assert types == [
        ("payment_received", None),
        ("payment_received", None),
        ("transition", "resume"),
        ("document_generated", None),  # the resume notice
    ]


def test_a_payment_that_leaves_an_overdue_invoice_does_not_resume(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    clock.advance(days=40)  # Sun 10 Jan 2027: December and January both overdue, work paused
    sweep(rt)
    paid = pay(rt, tenant_id, engagement_id, "1200.00", date(2027, 1, 10))
    assert paid["resume_event"] is None
    engagement = stored(database, engagement_id)
    assert (engagement.state, engagement.balance_due) == ("paused", Decimal("1200.00"))
    # The oldest invoice is settled first.
    assert [(i.period, i.outstanding) for i in engagement.invoices] == [
        ("2026-12", Decimal("0.00")),
        ("2027-01", Decimal("1200.00")),
    ]


def test_a_payment_leaving_only_an_invoice_not_yet_due_resumes(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    clock.advance(days=31)  # Fri 1 Jan 2027, 09:00: December overdue and paused; January issued
    sweep(rt)
    paid = pay(rt, tenant_id, engagement_id, "1200.00", date(2027, 1, 1))
    assert paid["resume_event"] is not None
    engagement = stored(database, engagement_id)
    # January's fee falls due today, so it is owed but not overdue: the work resumes.
    assert (engagement.state, engagement.balance_due) == ("active", Decimal("1200.00"))
    assert paid["event"]["occurred_at"] == datetime(2027, 1, 1, 9, tzinfo=UTC)
