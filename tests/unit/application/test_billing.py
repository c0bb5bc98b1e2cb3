"""Payments: the oldest invoice first; a payment that leaves nothing overdue resumes the work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from service.application.billing import add_invoice, list_invoices, record_payment
from service.application.clock import forecast, sweep, tick
from service.application.engagements import create_engagement
from service.application.runtime import Runtime
from service.application.tenants import create_tenant
from service.domain.errors import InvalidInput
from tests.conftest import FakeClock
from tests.ladder import ladder
from tests.unit.application.conftest import record, stored, terms
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
    assert paid["resume_event"]["payload"]["trigger"] == "resume"
    engagement = stored(database, engagement_id)
    # January's fee falls due today, so it is owed but not overdue: the work resumes.
    assert (engagement.state, engagement.balance_due) == ("active", Decimal("1200.00"))
    assert paid["event"]["occurred_at"] == datetime(2027, 1, 1, 9, tzinfo=UTC)


def test_an_overpayment_becomes_credit_for_the_next_invoice(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    pay(rt, tenant_id, engagement_id, "1500.00", date(2026, 12, 1))
    engagement = stored(database, engagement_id)
    assert (engagement.credit, engagement.balance_due) == (Decimal("300.00"), Decimal("0.00"))
    clock.advance(days=31)
    assert [t.trigger for t in sweep(rt)] == ["issue_invoice"]
    engagement = stored(database, engagement_id)
    january = engagement.invoices[1]
    assert (january.paid_amount, january.outstanding, engagement.credit) == (
        Decimal("300.00"),
        Decimal("900.00"),
        Decimal("0.00"),
    )
    assert record(database, engagement_id)[-1].payload["paid_from_credit"] == "300.00"


def test_a_payment_in_another_currency_or_from_the_future_is_refused_naming_the_field(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    before = database.committed
    body = {
        "amount": Decimal("1200.00"),
        "received_on": date(2026, 12, 2),
        "reference": "",
        "currency": "USD",
    }
    with pytest.raises(InvalidInput) as refused:
        record_payment(rt, tenant_id, engagement_id, body)
    assert set(refused.value.errors) == {"currency", "received_on"}
    assert "billed in EUR, not USD" in refused.value.errors["currency"][0]
    assert database.committed is before


def test_a_one_off_invoice_goes_overdue_after_its_own_due_date(
    rt: Runtime, clock: FakeClock, tenant_id: int
) -> None:
    created = create_engagement(rt, tenant_id, terms(due_day=20, grace_days=5))
    extra = {"description": "Extra campaign", "amount": Decimal("250.00"), "due_on": date(2026, 12, 5)}
    assert add_invoice(rt, tenant_id, created["id"], extra)["period"] is None
    clock.advance(days=9)  # Thu 10 December
    listed = {i["description"]: i for i in list_invoices(rt, tenant_id, created["id"])}
    assert (listed["Extra campaign"]["days_late"], listed["Extra campaign"]["status"]) == (5, "overdue")
    assert [(t.trigger, t.at) for t in sweep(rt)] == [
        ("mark_payment_overdue", datetime(2026, 12, 5, 23, tzinfo=UTC)),  # 6 Dec begins in Rome
    ]


def test_due_day_31_is_the_last_day_of_short_months(rt: Runtime) -> None:
    sandbox, _ = create_tenant(rt, "Rehearsal", sandbox=True)
    assert sandbox.id is not None
    created = create_engagement(rt, sandbox.id, terms(start_date=date(2027, 1, 15), due_day=31))
    assert list_invoices(rt, sandbox.id, created["id"]) == []  # billed from the start date
    pay(rt, sandbox.id, created["id"], "20000.00", date(2026, 12, 1))  # paid ahead: no reminders
    for as_of in (datetime(2027, 12, 1, 8, tzinfo=UTC), datetime(2028, 4, 1, 8, tzinfo=UTC)):
        tick(rt, sandbox.id, as_of)  # a sandbox clock moves at most 400 days a tick
    due = [(i["period"], i["due_on"]) for i in list_invoices(rt, sandbox.id, created["id"])]
    assert due[:4] == [
        ("2027-01", date(2027, 1, 31)),
        ("2027-02", date(2027, 2, 28)),
        ("2027-03", date(2027, 3, 31)),
        ("2027-04", date(2027, 4, 30)),
    ]
    assert ("2028-02", date(2028, 2, 29)) in due


def test_a_start_mid_month_is_billed_from_the_start_date(rt: Runtime, tenant_id: int) -> None:
    created = create_engagement(rt, tenant_id, terms(start_date=date(2026, 12, 15)))
    assert created["next_deadline"] == datetime(2026, 12, 14, 23, tzinfo=UTC)  # midnight in Rome
    steps = forecast(rt, tenant_id, created["id"], date(2027, 1, 2))["steps"]
    rome = ZoneInfo("Europe/Rome")
    assert [(s["trigger"], s["at"].astimezone(rome).date()) for s in steps] == [
        ("issue_invoice", date(2026, 12, 15)),  # due the same day: never before it is issued
        *ladder(date(2026, 12, 15)),
        ("issue_invoice", date(2027, 1, 1)),
    ]
