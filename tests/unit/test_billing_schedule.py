"""Billing and the clock's schedule, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from service.domain.billing import (
    add_invoice,
    apply_payment,
    back_dated_months,
    days_late,
    next_monthly_invoice,
    too_far_back,
)
from service.domain.engine import WorkflowEngine
from service.domain.model import Engagement
from service.domain.schedule import forecast, issue_monthly, next_step
from service.domain.workflow import load_workflow
from tests.conftest import ROOT
from tests.ladder import ladder
from tests.unit.builders import NOW, engagement, invoice


@pytest.fixture(scope="module")
def engine() -> WorkflowEngine:
    workflow = load_workflow(ROOT / "workflows" / "engagement.yaml")
    return WorkflowEngine(workflow, workflow.document_kinds() | {"contract"})


def issue_all(e: Engagement, until: str) -> list[tuple[str | None, date]]:
    while (monthly := next_monthly_invoice(e)) and monthly.issue_on.isoformat() <= until:
        issue_monthly(e, monthly, NOW)
    return [(i.period, i.due_on) for i in e.invoices]


def test_due_day_31_is_clamped_to_each_months_last_day() -> None:
    e = engagement(start_date=date(2027, 1, 1), due_day=31)
    assert issue_all(e, "2028-04-01")[:4] == [
        ("2027-01", date(2027, 1, 31)),
        ("2027-02", date(2027, 2, 28)),
        ("2027-03", date(2027, 3, 31)),
        ("2027-04", date(2027, 4, 30)),
    ]
    assert ("2028-02", date(2028, 2, 29)) in issue_all(e, "2028-04-01")


def test_a_mid_month_start_is_billed_on_the_start_date_and_never_due_before_it() -> None:
    e = engagement(start_date=date(2026, 12, 15), due_day=1)
    first = next_monthly_invoice(e)
    assert first is not None and (first.issue_on, first.due_on) == (date(2026, 12, 15), date(2026, 12, 15))
    issue_monthly(e, first, NOW)
    second = next_monthly_invoice(e)
    assert second is not None and (second.issue_on, second.due_on) == (date(2027, 1, 1), date(2027, 1, 1))


def test_months_before_the_engagement_was_entered_are_billed_from_the_start_on_entry() -> None:
    e = engagement(start_date=date(2026, 6, 10))  # entered on 1 December, due on the 1st
    monthly = next_monthly_invoice(e)
    # June, issued on entry and due that day: never due before it is issued (issue 30).
    assert (monthly.period, monthly.issue_on, monthly.due_on) == (
        "2026-06",
        date(2026, 12, 1),
        date(2026, 12, 1),
    )
    assert [m.period for m in back_dated_months(e)] == [
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
    ]


def test_payments_settle_the_oldest_first_and_the_rest_is_credit() -> None:
    e = engagement()
    older, newer = invoice(date(2026, 11, 1)), invoice(date(2026, 12, 1))
    e.invoices += [newer, older]
    allocations = apply_payment(e, Decimal("1500.00"), date(2026, 12, 3))
    assert [(a.invoice, a.amount) for a in allocations] == [
        (older, Decimal("1200.00")),
        (newer, Decimal("300.00")),
    ]
    assert (older.paid_on, newer.paid_on, e.credit) == (date(2026, 12, 3), None, Decimal("0.00"))
    apply_payment(e, Decimal("1000.00"), date(2026, 12, 4))
    assert e.credit == Decimal("100.00")
    later = add_invoice(e, "Extra", Decimal("250.00"), date(2027, 1, 5), NOW, None)
    assert (later.paid_amount, e.credit) == (Decimal("100.00"), Decimal("0.00"))


def test_days_late_counts_until_paid_or_until_today() -> None:
    unpaid = invoice(date(2026, 12, 1))
    assert days_late(unpaid, date(2026, 12, 11)) == 10
    paid = invoice(date(2026, 12, 1), paid_amount=Decimal("1200.00"), paid_on=date(2026, 12, 4))
    assert days_late(paid, date(2027, 3, 1)) == 3
    assert days_late(invoice(date(2026, 12, 20)), date(2026, 12, 11)) == 0


def test_next_step_follows_the_ladder(engine: WorkflowEngine) -> None:
    e = engagement()
    step = next_step(e, engine)
    assert step is not None and (step.trigger, step.at) == (
        "issue_invoice",
        datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert step.invoice is not None
    issue_monthly(e, step.invoice, NOW)
    step = next_step(e, engine)
    assert step is not None and (step.trigger, step.at.date()) == ("mark_payment_overdue", date(2026, 12, 2))
    e.state = "closed"
    assert next_step(e, engine) is None


def test_the_forecast_changes_nothing(engine: WorkflowEngine) -> None:
    e = engagement()
    steps = forecast(e, engine, datetime(2027, 1, 31, tzinfo=UTC), NOW)
    assert [(s.trigger, e.day_of(s.at)) for s in steps] == [
        ("issue_invoice", NOW.date()),
        *ladder(date(2026, 12, 1)),
        ("issue_invoice", date(2027, 1, 1)),
    ]
    assert steps[0].at == NOW  # never dated before the last record entry
    assert (e.state, e.invoices) == ("active", [])


def test_a_credit_larger_than_the_new_invoice_settles_it_and_the_rest_stays_credit() -> None:
    e = engagement(credit=Decimal("2000.00"))
    issued = add_invoice(e, "December", Decimal("1200.00"), date(2026, 12, 1), NOW, "2026-12")
    assert (issued.paid_amount, issued.outstanding, issued.paid_on) == (
        Decimal("1200.00"),
        Decimal("0.00"),
        date(2026, 12, 1),
    )
    assert e.credit == Decimal("800.00")


@pytest.mark.parametrize(
    ("start", "today", "refused"),
    [
        (date(2025, 12, 9), date(2026, 12, 9), False),  # exactly a year back
        (date(2025, 12, 8), date(2026, 12, 9), True),
        (date(2024, 2, 29), date(2025, 2, 28), False),  # from the shorter month's last day
        (date(2024, 2, 28), date(2025, 2, 28), False),
        (date(2024, 2, 27), date(2025, 2, 28), True),
        (date(2026, 1, 31), date(2027, 1, 31), False),
        (date(2026, 1, 30), date(2027, 1, 31), True),
    ],
)
def test_a_start_may_be_dated_back_a_year_and_no_further(start: date, today: date, refused: bool) -> None:
    assert too_far_back(start, today) is refused
