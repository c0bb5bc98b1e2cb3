"""Each clock trigger's rule is written twice, as its guard (may it fire now?) and as its due rule
(the first day it may): here they must agree on every day from late November to mid April (a
year end and the spring DST change in Rome and London), in every scenario below. A clock trigger
added to the workflow without scenarios here fails by name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from service.config import ROOT
from service.domain.engine import WorkflowEngine
from service.domain.model import Engagement
from service.domain.workflow import load_workflow
from tests.unit.builders import NOW, engagement, invoice

WORKFLOW = load_workflow(ROOT / "workflows" / "engagement.yaml")
ENGINE = WorkflowEngine(WORKFLOW, WORKFLOW.document_kinds() | {"contract"})
FIRST_DAY, LAST_DAY = date(2026, 11, 25), date(2027, 4, 15)
DAYS = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
PAID = Decimal("1200.00")


def _asked(day: date, reminders: int = 0, **changes: object) -> Engagement:
    """Waiting for feedback asked for on ``day``, with ``reminders`` already sent."""
    e = engagement(**changes)
    ENGINE.fire(e, "request_feedback", e.start_of(day), {"subject": "Plan"})
    for _ in range(reminders):
        due = e.open_feedback_request.next_reminder_on  # type: ignore[union-attr]
        ENGINE.fire(e, "remind_feedback", e.start_of(due), {})
    return e


def _overdue(*invoices: object, **changes: object) -> Engagement:
    return engagement(state="payment_overdue", invoices=list(invoices), **changes)


SCENARIOS: dict[str, dict[str, Callable[[], Engagement]]] = {
    "remind_feedback": {
        "asked on a Tuesday in Rome": lambda: _asked(date(2026, 12, 1)),
        "asked before Christmas, one reminder sent": lambda: _asked(date(2026, 12, 22), reminders=1),
        "asked in London before the clocks change": lambda: _asked(date(2027, 3, 25), language="en"),
        "nothing asked": lambda: engagement(state="awaiting_feedback"),
    },
    "mark_payment_overdue": {
        "one unpaid invoice": lambda: engagement(invoices=[invoice(date(2026, 12, 1))]),
        "partly paid, due the day before DST, London": lambda: engagement(
            language="en", invoices=[invoice(date(2027, 3, 27), paid_amount=Decimal("1.00"))]
        ),
        "newest listed first, the oldest paid": lambda: engagement(
            invoices=[invoice(date(2027, 1, 31)), invoice(date(2026, 12, 31), paid_amount=PAID)]
        ),
        "waiting for feedback, due at the year end": lambda: _asked(
            date(2026, 12, 1), invoices=[invoice(date(2026, 12, 31))]
        ),
        "nothing owed": lambda: engagement(invoices=[invoice(date(2026, 12, 1), paid_amount=PAID)]),
    },
    "pause_work": {
        "reminded, seven days of grace": lambda: _overdue(invoice(date(2026, 12, 1), reminded_at=NOW)),
        "reminded, no grace, London in March": lambda: _overdue(
            invoice(date(2027, 3, 20), reminded_at=NOW), grace_days=0, language="en"
        ),
        "two reminded, the older first": lambda: _overdue(
            invoice(date(2027, 1, 1), reminded_at=NOW), invoice(date(2026, 12, 1), reminded_at=NOW)
        ),
        "never reminded": lambda: _overdue(invoice(date(2026, 12, 1))),
        "paid since": lambda: _overdue(invoice(date(2026, 12, 1), reminded_at=NOW, paid_amount=PAID)),
    },
}
CASES = [(trigger, name) for trigger, named in SCENARIOS.items() for name in named]


def test_every_clock_trigger_has_scenarios() -> None:
    assert set(WORKFLOW.fired_by("clock")) == set(SCENARIOS)


@pytest.mark.parametrize(("trigger", "scenario"), CASES)
def test_the_guard_holds_exactly_from_the_day_the_due_rule_gives(trigger: str, scenario: str) -> None:
    e = SCENARIOS[trigger][scenario]()
    due = ENGINE.due_rule(trigger)(e) if ENGINE.can_leave(e.state, trigger) else None
    assert due is None or FIRST_DAY < due < LAST_DAY, f"{scenario}: due {due}, outside the days checked"
    disagree = [
        day.isoformat()
        for day in DAYS
        if ENGINE.allows(e, trigger, e.start_of(day)) != (due is not None and day >= due)
        # and not a moment earlier: the last instant of the day before is still that day
        or ENGINE.allows(e, trigger, e.start_of(day) - timedelta(microseconds=1))
        != (due is not None and day > due)
    ]
    assert disagree == [], f"due rule says {due}; the guard disagrees on {disagree[:5]}"
