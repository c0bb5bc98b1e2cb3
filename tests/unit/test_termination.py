"""Ending a contract, rule by rule over pure domain objects: the final notice an unresponsive
client must have let pass, the notice period of mutual and other endings, the day each ground
ends the contract, and prepayment applied from the day a late payment is settled. Every date
and sentence is written out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from service.config import ROOT
from service.domain.billing import next_monthly_invoice
from service.domain.engine import WorkflowEngine
from service.domain.errors import GuardBlocked
from service.domain.model import Engagement
from service.domain.schedule import issue_monthly
from service.domain.workflow import load_workflow
from tests.unit.builders import engagement, invoice

WORKFLOW = load_workflow(ROOT / "workflows" / "engagement.yaml")


@pytest.fixture(scope="module")
def engine() -> WorkflowEngine:
    return WorkflowEngine(WORKFLOW, WORKFLOW.document_kinds() | {"contract"})


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def reminded(engine: WorkflowEngine, **changes: object) -> Engagement:
    """A request of Tue 1 Dec due Fri 4, reminded on Mon 7 and Fri 11 December (Tue 8 is the
    Immacolata, so three business days after the 7th are 9, 10 and 11), unanswered."""
    e = engagement(**changes)
    engine.fire(e, "request_feedback", at(date(2026, 12, 1)), {"subject": "Plan"})
    engine.fire(e, "remind_feedback", at(date(2026, 12, 7)), {})
    engine.fire(e, "remind_feedback", at(date(2026, 12, 11)), {})
    return e


def blocked(engine: WorkflowEngine, e: Engagement, trigger: str, day: date, data: dict) -> list[str]:
    with pytest.raises(GuardBlocked) as refused:
        engine.fire(e, trigger, at(day), data)
    return refused.value.reasons


UNRESPONSIVE = {"reason": "unresponsive"}


def test_a_final_notice_needs_the_reminders_the_contract_promised(engine: WorkflowEngine) -> None:
    e = engagement()
    engine.fire(e, "request_feedback", at(date(2026, 12, 1)), {"subject": "Plan"})
    engine.fire(e, "remind_feedback", at(date(2026, 12, 7)), {})
    assert blocked(engine, e, "send_final_notice", date(2026, 12, 8), {}) == [
        "1 of 2 unanswered feedback reminders are on record."
    ]


def test_the_reminders_alone_no_longer_end_the_contract(engine: WorkflowEngine) -> None:
    e = reminded(engine)
    assert blocked(engine, e, "begin_offboarding", date(2026, 12, 11), UNRESPONSIVE) == [
        "Send a final notice (send_final_notice) first: ending for an unresponsive client needs "
        "the date it names to pass unanswered."
    ]


def test_the_final_notice_names_a_date_and_ending_waits_until_it_has_passed(
    engine: WorkflowEngine,
) -> None:
    e = reminded(engine)
    # Fri 11 Dec + 7 days = Fri 18 Dec, a working day.
    sent = engine.fire(e, "send_final_notice", at(date(2026, 12, 11)), {})
    assert sent.documents == ("final_notice",)
    assert e.state == "awaiting_feedback" and e.final_notice_deadline == date(2026, 12, 18)
    assert blocked(engine, e, "begin_offboarding", date(2026, 12, 18), UNRESPONSIVE) == [
        "The final notice of 2026-12-11 gives the client until 2026-12-18 to answer; the engagement "
        "can end for an unresponsive client from 2026-12-19."
    ]
    ended = engine.fire(e, "begin_offboarding", at(date(2026, 12, 19)), UNRESPONSIVE)
    # The default path is a withdrawal: the notice period runs from the termination, 19 Dec + 15.
    assert e.state == "offboarding" and e.ends_on == date(2027, 1, 3)
    assert ended.payload["final_notice_path"] == "withdrawal"


def test_a_formal_demand_for_feedback_ends_the_italian_contract_at_its_term(engine: WorkflowEngine) -> None:
    e = reminded(engine, jurisdiction="IT", feedback_essential=True)
    # Fri 11 Dec + 15 = Sat 26 Dec (Santo Stefano), Sun 27: the term ends Mon 28 December.
    engine.fire(e, "send_final_notice", at(date(2026, 12, 11)), {"path": "formal_demand"})
    assert e.final_notice_deadline == date(2026, 12, 28) and e.final_notice_path == "formal_demand"
    ended = engine.fire(e, "begin_offboarding", at(date(2026, 12, 29)), UNRESPONSIVE)
    assert e.ends_on == date(2026, 12, 28)  # art. 1454 c.c.: ended by law when the term expired
    assert "notice_days" not in ended.payload


def test_a_formal_demand_for_feedback_needs_the_clause_and_fifteen_days(engine: WorkflowEngine) -> None:
    plain = reminded(engine)
    assert blocked(engine, plain, "send_final_notice", date(2026, 12, 11), {"path": "formal_demand"}) == [
        "The contract does not make the client's feedback essential (feedback_terms.feedback_essential): "
        "their silence is no breach a formal demand can rest on. Send the final notice on the withdrawal "
        "path (path withdrawal)."
    ]
    essential = reminded(engine, feedback_essential=True)
    short = {"path": "formal_demand", "days": 14}
    assert blocked(engine, essential, "send_final_notice", date(2026, 12, 11), short) == [
        "A formal demand for missing feedback gives the client at least 15 days from receipt; the term "
        "given (14) is too short."
    ]


def test_a_final_notice_date_on_a_holiday_moves_to_the_next_working_day(engine: WorkflowEngine) -> None:
    e = reminded(engine)
    # Sent Fri 18 Dec + 7 = Fri 25 Dec (Christmas); Sat 26 (Santo Stefano), Sun 27.
    engine.fire(e, "send_final_notice", at(date(2026, 12, 18)), {"days": 7})
    assert e.final_notice_deadline == date(2026, 12, 28)


def test_an_answer_after_the_final_notice_means_starting_over(engine: WorkflowEngine) -> None:
    e = reminded(engine)
    engine.fire(e, "send_final_notice", at(date(2026, 12, 11)), {"days": 3})  # until Mon 14 Dec
    engine.fire(e, "receive_feedback", at(date(2026, 12, 14), hour=16), {"summary": "Approved"})
    assert blocked(engine, e, "begin_offboarding", date(2026, 12, 21), UNRESPONSIVE) == [
        "The client answered on 2026-12-14, after the final notice of 2026-12-11: if they fall "
        "silent again, send the reminders and a new final notice."
    ]


@pytest.mark.parametrize(
    ("reason", "notice_days", "ends_on"),
    [
        ("other", 15, date(2026, 12, 26)),  # 11 Dec + 15: the day the notice period ends
        ("other", 30, date(2027, 1, 10)),
        ("other", 1, date(2026, 12, 12)),
    ],
)
def test_a_withdrawal_ends_after_the_notice_period(
    engine: WorkflowEngine, reason: str, notice_days: int, ends_on: date
) -> None:
    e = engagement(termination_notice_days=notice_days)
    data = {"reason": reason, "explanation": "Budget cut"}
    outcome = engine.fire(e, "begin_offboarding", at(date(2026, 12, 11)), data)
    assert e.ends_on == ends_on
    assert outcome.payload["ends_on"] == ends_on.isoformat()
    assert outcome.payload["notice_days"] == str(notice_days)


@pytest.mark.parametrize(
    ("start", "ends_on"),
    [
        (date(2026, 10, 1), date(2026, 12, 11)),  # under way: the day both agree, today
        (date(2027, 3, 1), date(2027, 3, 1)),  # not begun: never before the contract's start
    ],
)
def test_a_mutual_ending_is_an_agreement_with_one_day_never_before_the_start(
    engine: WorkflowEngine, start: date, ends_on: date
) -> None:
    e = engagement(termination_notice_days=15, start_date=start)
    data = {"reason": "mutual", "explanation": "Budget cut"}
    outcome = engine.fire(e, "begin_offboarding", at(date(2026, 12, 11)), data)
    assert e.ends_on == ends_on and outcome.payload["ends_on"] == ends_on.isoformat()
    assert "notice_days" not in outcome.payload
    assert "termination_agreement" in outcome.documents and "termination_notice" not in outcome.documents


def test_under_an_italian_demand_the_contract_ended_when_its_term_expired(engine: WorkflowEngine) -> None:
    e = engagement(
        jurisdiction="IT",
        state="paused",
        paused_at=at(date(2026, 12, 9)),
        invoices=[invoice(date(2026, 12, 1))],
        formal_demand_on=date(2026, 12, 10),
        formal_demand_deadline=date(2026, 12, 28),
    )
    engine.fire(e, "begin_offboarding", at(date(2026, 12, 29)), {"reason": "non_payment"})
    assert e.ends_on == date(2026, 12, 28)


@pytest.mark.parametrize("jurisdiction", ["GB", "EU"])
def test_elsewhere_a_termination_for_non_payment_ends_on_receipt(
    engine: WorkflowEngine, jurisdiction: str
) -> None:
    e = engagement(
        jurisdiction=jurisdiction,
        state="paused",
        paused_at=at(date(2026, 12, 9)),
        invoices=[invoice(date(2026, 12, 1))],
        formal_demand_on=date(2026, 12, 10),
        formal_demand_deadline=date(2026, 12, 28),
    )
    engine.fire(e, "begin_offboarding", at(date(2026, 12, 29)), {"reason": "non_payment"})
    assert e.ends_on is None


def test_prepayment_applies_from_the_day_the_late_payment_is_settled(engine: WorkflowEngine) -> None:
    e = engagement(
        due_day=10,
        late_payment_policy="require_prepayment",
        state="payment_overdue",
        invoices=[invoice(date(2026, 12, 10), period="2026-12", paid_amount=Decimal("1200.00"))],
    )
    outcome = engine.fire(e, "resume", at(date(2026, 12, 15)), {})
    assert outcome.payload["prepayment_from"] == "2026-12-15"
    assert outcome.payload["due_day"] == {"from": 10, "to": 1}
    assert "contract_amendment" in outcome.documents
    assert e.due_day == 1
    january = next_monthly_invoice(e)
    assert (january.period, january.issue_on, january.due_on) == (
        "2027-01",
        date(2027, 1, 1),
        date(2027, 1, 1),
    )


def test_invoices_issued_before_the_prepayment_day_keep_their_due_day(engine: WorkflowEngine) -> None:
    """The due day is read on each invoice's issue day: an invoice the clock issues late for a
    month before the change is still due on the old day."""
    e = engagement(
        start_date=date(2026, 11, 1),
        created_at=at(date(2026, 11, 1)),
        due_day=10,
        late_payment_policy="require_prepayment",
        state="payment_overdue",
        invoices=[invoice(date(2026, 11, 10), period="2026-11", paid_amount=Decimal("1200.00"))],
    )
    engine.fire(e, "resume", at(date(2026, 12, 15)), {})
    december = next_monthly_invoice(e)  # issued on 1 December, before the change of 15 December
    assert (december.period, december.due_on) == ("2026-12", date(2026, 12, 10))
    issue_monthly(e, december, at(date(2026, 12, 15)))
    assert next_monthly_invoice(e).due_on == date(2027, 1, 1)


def test_under_remind_only_resuming_changes_no_due_day(engine: WorkflowEngine) -> None:
    e = engagement(
        due_day=10,
        state="payment_overdue",
        invoices=[invoice(date(2026, 12, 10), period="2026-12", paid_amount=Decimal("1200.00"))],
    )
    outcome = engine.fire(e, "resume", at(date(2026, 12, 15)), {})
    assert "prepayment_from" not in outcome.payload and e.due_day == 10 and e.term_changes == []
    assert next_monthly_invoice(e).due_on == date(2027, 1, 10)
