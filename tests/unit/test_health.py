"""The difficult-client signals on crafted records: each reaches watch and act as documented."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from service.config import ROOT
from service.domain import health
from service.domain.model import ApprovalRequest, Event, FeedbackRequest, Incident
from service.domain.sayings import say
from service.domain.workflow import load_workflow
from tests.unit.builders import NOW, engagement, invoice

WORKFLOW = load_workflow(ROOT / "workflows" / "engagement.yaml")

TODAY = date(2026, 12, 15)


# Where each trigger these tests fire leads, as the record entry says.
MOVES = {"pause_work": ("payment_overdue", "paused"), "issue_conduct_warning": ("active", "active")}


def fired(trigger: str, seq: int, days_after_now: int = 0) -> Event:
    source, dest = MOVES[trigger]
    return Event(
        engagement_id=1,
        seq=seq,
        type="transition",
        occurred_at=NOW + timedelta(days=days_after_now),
        payload={"trigger": trigger, "from": source, "to": dest},
        prev_hash="",
        hash="",
    )


def request(due_on: date, **changes: Any) -> FeedbackRequest:
    return FeedbackRequest(subject="Approve the plan", requested_at=NOW, due_on=due_on, **changes)


def answered(days_late: int) -> FeedbackRequest:
    return request(date(2026, 12, 4), answered_at=NOW, days_late=days_late)


def test_a_quiet_record_is_ok_everywhere() -> None:
    result = health.assess(engagement(), TODAY, [], WORKFLOW)
    assert [s.level for s in (result.unresponsive, result.controlling, result.late_payment)] == ["ok"] * 3
    assert result.recommendation.startswith("Nothing needs attention")


def test_unresponsive_watch_when_a_request_is_past_due() -> None:
    signal = health.unresponsive(engagement(feedback_requests=[request(date(2026, 12, 10))]), TODAY)
    assert signal.level == "watch"
    assert (
        signal.summary == "'Approve the plan' is 5 days past its deadline with 0 of 2 reminders unanswered."
    )
    assert signal.evidence[0]["type"] == "feedback_request" and signal.evidence[0]["days_late"] == 5


def test_unresponsive_act_when_the_agreed_reminders_went_unanswered() -> None:
    e = engagement(feedback_requests=[request(date(2026, 12, 10), reminders_sent=2)])
    result = health.assess(e, TODAY, [], WORKFLOW)
    assert result.unresponsive.level == "act"
    assert "begin offboarding for unresponsive" in result.recommendation


def test_unresponsive_median_delay_thresholds() -> None:
    watch = health.unresponsive(engagement(feedback_requests=[answered(2), answered(3)]), TODAY)
    assert (watch.level, watch.summary) == (
        "watch",
        "Answers arrive a median of 2.5 days late over 2 requests.",
    )
    act = health.unresponsive(engagement(feedback_requests=[answered(5), answered(6), answered(0)]), TODAY)
    assert act.level == "act"
    single = health.unresponsive(engagement(feedback_requests=[answered(9)]), TODAY)
    assert single.level == "ok"  # one late answer is not yet a pattern


def incident(kind: str = "micromanagement", days_after_now: int = 0) -> Incident:
    when = NOW + timedelta(days=days_after_now)
    return Incident(
        kind=kind, occurred_on=when.date(), description="Asked to approve every story", recorded_at=when
    )


def test_controlling_watch_then_act_by_incident_count() -> None:
    watch = health.controlling(engagement(incidents=[incident(), incident("late_payment")]), [], WORKFLOW)
    assert watch.level == "watch"
    assert [e["type"] for e in watch.evidence] == ["incident"]  # late payment is another signal
    act = health.controlling(
        engagement(incidents=[incident(), incident("scope"), incident("abuse")]), [], WORKFLOW
    )
    assert act.level == "act"


def test_controlling_approvals_beyond_the_agreed_rounds() -> None:
    overrun = ApprovalRequest(item="Post 12", sent_at=NOW, rounds=3, id=7)
    signal = health.controlling(engagement(approvals=[overrun]), [], WORKFLOW)
    assert signal.level == "watch"
    assert signal.evidence == [
        {"type": "approval", "id": 7, "item": "Post 12", "rounds": 3, "agreed_rounds": 2}
    ]
    assert signal.summary == "1 approval beyond the 2 agreed rounds."


def test_controlling_act_when_a_warning_changed_nothing() -> None:
    e = engagement(incidents=[incident(), incident(days_after_now=5)], conduct_warnings=1)
    warned = [fired("issue_conduct_warning", seq=3, days_after_now=1)]
    result = health.assess(e, TODAY, warned, WORKFLOW)
    assert result.controlling.level == "act"
    assert result.controlling.summary.endswith("new problems since the last warning.")
    assert result.recommendation == "The conduct warning changed nothing: begin offboarding for controlling."
    quiet = engagement(incidents=[incident()], conduct_warnings=1)
    assert health.controlling(quiet, warned, WORKFLOW).level == "watch"


def warned(**changes: Any) -> Any:
    """Warned on 2 December, with until 9 December to comply (as issue_conduct_warning stores it)."""
    values: dict[str, Any] = dict(conduct_warnings=1, conduct_warned_at=NOW + timedelta(days=1))
    return engagement(comply_by=date(2026, 12, 9), **{**values, **changes})


WAIT = (
    "The conduct warning gives the client until 2026-12-09 to comply: keep recording incidents; "
    "from 2026-12-10, with one recorded since the warning, begin offboarding for controlling "
    "(or issue a second warning)."
)
CHANGED_NOTHING = "The conduct warning changed nothing: begin offboarding for controlling."


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 12, 8), WAIT), (date(2026, 12, 9), WAIT), (date(2026, 12, 10), CHANGED_NOTHING)],
)
def test_ending_for_conduct_is_recommended_only_once_the_time_to_comply_has_passed(
    today: date, expected: str
) -> None:
    e = warned(incidents=[incident(), incident(days_after_now=5)])  # the second after the warning
    result = health.assess(e, today, [fired("issue_conduct_warning", seq=3, days_after_now=1)], WORKFLOW)
    assert result.controlling.level == "act"
    assert result.recommendation == expected


def test_after_the_time_to_comply_an_incident_since_the_warning_is_still_needed() -> None:
    before_warning = [incident(), incident("scope"), incident("abuse")]  # act on the count alone
    e = warned(incidents=before_warning)
    result = health.assess(
        e, date(2026, 12, 10), [fired("issue_conduct_warning", seq=3, days_after_now=1)], WORKFLOW
    )
    assert result.controlling.level == "act"
    assert result.recommendation == (
        "The time to comply ended on 2026-12-09 and no incident has been recorded since the warning: "
        "record any new problem as an incident, then begin offboarding for controlling "
        "(or issue a second warning)."
    )


def test_a_second_warning_needs_no_wait() -> None:
    e = warned(incidents=[incident(), incident(days_after_now=5)], conduct_warnings=2)
    warnings = [fired("issue_conduct_warning", seq=3, days_after_now=1)]
    assert health.assess(e, date(2026, 12, 8), warnings, WORKFLOW).recommendation == CHANGED_NOTHING


def paid(due_on: date, days_late: int) -> Any:
    return invoice(due_on, paid_amount=Decimal("1200.00"), paid_on=due_on + timedelta(days=days_late))


def test_late_payment_worsening_trend_is_watch() -> None:
    invoices = [paid(date(2026, 9, 1), 0), paid(date(2026, 10, 1), 2), paid(date(2026, 11, 1), 6)]
    signal = health.late_payment(engagement(invoices=invoices), TODAY, [], WORKFLOW)
    assert signal.level == "watch"
    assert "the delay grew over the last 3 invoices (0, 2, 6 days)" in signal.summary
    assert [e["days_late"] for e in signal.evidence] == [6]  # 2 days is within tolerance


def test_late_payment_act_when_overdue_beyond_grace_or_paused() -> None:
    overdue = engagement(invoices=[invoice(date(2026, 12, 1))])
    beyond = health.assess(overdue, TODAY, [], WORKFLOW)
    assert beyond.late_payment.level == "act"
    assert beyond.late_payment.summary == "€1,200.00 is overdue now."
    assert beyond.recommendation.startswith("Pause work until the overdue amount is paid")
    within = health.late_payment(overdue, date(2026, 12, 5), [], WORKFLOW)
    assert within.level == "watch"
    paused = engagement(invoices=[invoice(date(2026, 12, 1))], state="paused")
    result = health.assess(paused, TODAY, [fired("pause_work", seq=5)], WORKFLOW)
    assert result.late_payment.level == "act"
    assert {"type": "pause", "seq": 5, "occurred_at": NOW.isoformat()} in result.late_payment.evidence
    assert result.recommendation == (
        "Work is paused until payment; if it does not arrive, send a formal demand "
        "(send_formal_demand) with a deadline to pay."
    )
    paused.formal_demand_deadline = date(2026, 12, 28)
    demanded = health.assess(paused, TODAY, [fired("pause_work", seq=5)], WORKFLOW)
    assert demanded.recommendation == (
        "Work is paused until payment; the formal demand gives the client until 2026-12-28: "
        "if nothing arrives by then, begin offboarding for non_payment."
    )


def test_repeated_pauses_are_act_even_when_paid_up() -> None:
    pauses = [fired("pause_work", seq=3), fired("pause_work", seq=9)]
    signal = health.late_payment(engagement(invoices=[paid(date(2026, 11, 1), 10)]), TODAY, pauses, WORKFLOW)
    assert signal.level == "act"
    assert signal.summary == "1 invoice paid late (up to 10 days) and work was paused 2 times."
    assert say(signal.summary, "it") == (
        "1 fattura pagata in ritardo (fino a 10 giorni) e il lavoro è stato sospeso 2 volte."
    )


def test_an_italian_engagements_health_reads_in_italian() -> None:
    e = engagement(incidents=[incident(), incident(days_after_now=5)], conduct_warnings=1)
    result = health.assess(e, TODAY, [fired("issue_conduct_warning", seq=3, days_after_now=1)], WORKFLOW)
    assert say(result.controlling.summary, "it") == (
        "2 episodi di ingerenza registrati, 1 richiamo inviato e nuovi problemi dopo l'ultimo richiamo."
    )
    assert say(result.recommendation, "it") == (
        "Il richiamo non ha cambiato nulla: avviate la conclusione dell'incarico per ingerenze (controlling)."
    )
    overdue = health.late_payment(engagement(invoices=[invoice(date(2026, 12, 1))]), TODAY, [], WORKFLOW)
    assert say(overdue.summary, "it") == "Un importo di 1.200,00\xa0€ è scaduto e non pagato."
