"""Each clock trigger's rule is written once, as a due rule (``@RULES.due_rule``, giving a
``rules.Due``): the schedule takes its day, and the registry derives the trigger's guard from it.
Here the rule's day is checked against days worked out by hand, and then, on every day from late
November to mid April (a year end, Christmas and Easter holidays, the spring DST change in Rome
and London), that the engine lets the trigger fire from exactly that local day and says the
rule's reasons before it: a regression net for the derivation, the zone and the routing. A clock
trigger added to the workflow without scenarios here fails by name, and a clock rule cannot be
written a second time as a guard (the last tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
import yaml

from service.config import ROOT
from service.domain.engine import WorkflowEngine
from service.domain.model import Engagement
from service.domain.rules import Due, RuleRegistry, TransitionContext
from service.domain.workflow import WorkflowError, load_workflow, parse_workflow
from tests.unit.builders import NOW, engagement, invoice

WORKFLOW = load_workflow(ROOT / "workflows" / "engagement.yaml")
ENGINE = WorkflowEngine(WORKFLOW, WORKFLOW.document_kinds() | {"contract"})
FIRST_DAY, LAST_DAY = date(2026, 11, 25), date(2027, 4, 15)
DAYS = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
PAID = Decimal("1200.00")
ROME = {"timezone": "Europe/Rome", "jurisdiction": "IT"}
LONDON = {"timezone": "Europe/London", "jurisdiction": "GB", "language": "en"}


def _asked(day: date, reminders: int = 0, **changes: object) -> Engagement:
    """Waiting for feedback asked for on ``day``, with ``reminders`` already sent."""
    e = engagement(**changes)
    ENGINE.fire(e, "request_feedback", e.start_of(day), {"subject": "Plan"})
    for _ in range(reminders):
        due = e.open_feedback_request.next_reminder_on  # type: ignore[union-attr]
        ENGINE.fire(e, "remind_feedback", e.start_of(due), {})
    return e


def _overdue(*invoices: object, **changes: object) -> Engagement:
    return engagement(state="payment_overdue", invoices=list(invoices), **{**ROME, **changes})


# Per clock trigger: scenario -> (the engagement, the first day by hand, None: no day foreseeable).
SCENARIOS: dict[str, dict[str, tuple[Callable[[], Engagement], date | None]]] = {
    "remind_feedback": {
        # 3 working days to answer (Wed-Fri, due Fri 4), the reminder the next working day.
        "asked on a Tuesday in Rome": (lambda: _asked(date(2026, 12, 1), **ROME), date(2026, 12, 7)),
        # Due Mon 28 (25, 26 and the weekend skipped), reminded Tue 29; the next one 3 working
        # days on, over New Year's Day and a weekend.
        "asked before Christmas, one reminder sent": (
            lambda: _asked(date(2026, 12, 22), reminders=1, **ROME),
            date(2027, 1, 4),
        ),
        # Good Friday (26 March) and Easter Monday (29) are English holidays, and the clocks go
        # forward on the 28th: due Thursday 1 April, reminded Friday 2.
        "asked in London before the clocks change": (
            lambda: _asked(date(2027, 3, 25), **LONDON),
            date(2027, 4, 2),
        ),
        "reminders agreed all sent": (lambda: _asked(date(2026, 12, 1), reminders=2, **ROME), None),
        "nothing asked": (lambda: engagement(state="awaiting_feedback", **ROME), None),
    },
    "mark_payment_overdue": {
        "one unpaid invoice": (
            lambda: engagement(invoices=[invoice(date(2026, 12, 1))], **ROME),
            date(2026, 12, 2),
        ),
        "partly paid, due the day before DST, London": (
            lambda: engagement(invoices=[invoice(date(2027, 3, 27), paid_amount=Decimal("1.00"))], **LONDON),
            date(2027, 3, 28),
        ),
        "newest listed first, the oldest paid": (
            lambda: engagement(
                invoices=[invoice(date(2027, 1, 31)), invoice(date(2026, 12, 31), paid_amount=PAID)], **ROME
            ),
            date(2027, 2, 1),
        ),
        "waiting for feedback, due at the year end": (
            lambda: _asked(date(2026, 12, 1), invoices=[invoice(date(2026, 12, 31))], **ROME),
            date(2027, 1, 1),
        ),
        "nothing owed": (
            lambda: engagement(invoices=[invoice(date(2026, 12, 1), paid_amount=PAID)], **ROME),
            None,
        ),
    },
    "pause_work": {
        # Seven days of grace run to 8 December; work stops on the 9th.
        "reminded, seven days of grace": (
            lambda: _overdue(invoice(date(2026, 12, 1), reminded_at=NOW)),
            date(2026, 12, 9),
        ),
        "reminded, no grace, London in March": (
            lambda: _overdue(invoice(date(2027, 3, 27), reminded_at=NOW), grace_days=0, **LONDON),
            date(2027, 3, 28),
        ),
        "two reminded, the older first": (
            lambda: _overdue(
                invoice(date(2027, 1, 1), reminded_at=NOW), invoice(date(2026, 12, 1), reminded_at=NOW)
            ),
            date(2026, 12, 9),
        ),
        "never reminded": (lambda: _overdue(invoice(date(2026, 12, 1))), None),
        "paid since": (lambda: _overdue(invoice(date(2026, 12, 1), reminded_at=NOW, paid_amount=PAID)), None),
    },
}
CASES = [(trigger, name) for trigger, named in SCENARIOS.items() for name in named]


def test_every_clock_trigger_has_scenarios() -> None:
    assert set(WORKFLOW.fired_by("clock")) == set(SCENARIOS)


@pytest.mark.parametrize(("trigger", "scenario"), CASES)
def test_the_rule_gives_the_day_worked_out_by_hand(trigger: str, scenario: str) -> None:
    build, expected = SCENARIOS[trigger][scenario]
    assert ENGINE.due_rule(trigger)(build()).day == expected


@pytest.mark.parametrize(("trigger", "scenario"), CASES)
def test_the_trigger_fires_from_exactly_its_rules_local_day(trigger: str, scenario: str) -> None:
    build, _ = SCENARIOS[trigger][scenario]
    e = build()
    due = ENGINE.due_rule(trigger)(e)
    assert due.day is None or FIRST_DAY < due.day < LAST_DAY, f"{scenario}: due {due.day}, outside the days"
    disagree = [
        day.isoformat()
        for day in DAYS
        if ENGINE.allows(e, trigger, e.start_of(day)) != (due.day is not None and day >= due.day)
        # and not a moment earlier: the last instant of the day before is still that day
        or ENGINE.allows(e, trigger, e.start_of(day) - timedelta(microseconds=1))
        != (due.day is not None and day > due.day)
    ]
    assert disagree == [], f"the rule says {due.day}; the engine disagrees on {disagree[:5]}"
    before = e.start_of(due.day) - timedelta(microseconds=1) if due.day else e.start_of(LAST_DAY)
    [status] = [s for s in ENGINE.status(e, before) if s.trigger == trigger]
    assert list(status.blocked_by) == list(due.why_not)  # the rule's own sentences, said as they are


def test_the_formal_demand_takes_its_guard_from_the_same_rule() -> None:
    """A manual trigger names the clock rule as a guard and gets the derived one."""
    e = _overdue(invoice(date(2026, 12, 1), reminded_at=NOW))
    rule = ENGINE.due_rule("mark_payment_overdue")
    assert "invoice_past_due" in next(
        t.guards for t in WORKFLOW.transitions if t.trigger == "send_formal_demand"
    )
    assert ENGINE.allows(e, "send_formal_demand", e.start_of(rule(e).day))  # type: ignore[arg-type]
    assert not ENGINE.allows(e, "send_formal_demand", e.start_of(date(2026, 12, 1)))


def test_the_loader_gives_each_clock_transition_its_due_rule_as_its_only_guard() -> None:
    for spec in WORKFLOW.transitions:
        due_at = WORKFLOW.triggers[spec.trigger].due_at
        if due_at is not None:
            assert spec.guards == (due_at,)


def test_a_clock_transition_naming_a_guard_of_its_own_is_refused_when_the_file_loads() -> None:
    data = yaml.safe_load((ROOT / "workflows" / "engagement.yaml").read_text(encoding="utf-8"))
    [pause] = [t for t in data["transitions"] if t["trigger"] == "pause_work"]
    pause["guards"] = ["nothing_overdue"]
    with pytest.raises(WorkflowError, match="'pause_work' is a clock trigger: its guard is its due_at rule"):
        parse_workflow(data)


def test_a_guard_written_beside_a_due_rule_under_its_name_stops_start_up() -> None:
    rules = RuleRegistry()

    @rules.due_rule
    def second_reminder_due(engagement: Engagement) -> Due:
        return Due.never("never")

    def second_reminder_due_by_hand(ctx: TransitionContext) -> list[str]:
        return []

    second_reminder_due_by_hand.__name__ = "second_reminder_due"
    with pytest.raises(ValueError, match="The guard 'second_reminder_due' is defined twice"):
        rules.guard(second_reminder_due_by_hand)


def test_a_due_rule_must_say_why_not() -> None:
    with pytest.raises(ValueError, match="must say why"):
        Due(date(2026, 12, 1), ())
