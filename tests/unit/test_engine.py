"""The workflow engine over pure domain objects: guards, routing, documents, start-up checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import transitions

from service.config import ROOT
from service.domain.engine import WorkflowEngine
from service.domain.errors import GuardBlocked, InvalidInput, InvalidTrigger
from service.domain.model import ApprovalRequest, Engagement, Incident
from service.domain.sayings import say
from service.domain.workflow import WorkflowError, load_workflow
from tests.ladder import ladder
from tests.unit.builders import NOW, engagement, invoice

WORKFLOW = load_workflow(ROOT / "workflows" / "engagement.yaml")
KINDS = WORKFLOW.document_kinds() | {"contract"}
SPEC_TRIGGERS = {
    "request_feedback",
    "remind_feedback",
    "receive_feedback",
    "mark_payment_overdue",
    "pause_work",
    "resume",
    "issue_conduct_warning",
    "send_formal_demand",
    "send_final_notice",  # issue 15: the last date an unresponsive client is given
    "begin_offboarding",
    "close",
    "waive_interest",  # issue 30: a waiver of the interest claimed is the user's recorded act
}


@pytest.fixture(scope="module")
def engine() -> WorkflowEngine:
    return WorkflowEngine(WORKFLOW, KINDS)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def test_workflow_file_holds_every_state_and_trigger_of_the_spec() -> None:
    assert set(WORKFLOW.state_names) == {
        "active", "awaiting_feedback", "payment_overdue", "paused", "offboarding", "closed",
    }  # fmt: skip
    assert WORKFLOW.initial == "active"
    assert set(WORKFLOW.triggers) == SPEC_TRIGGERS


def test_unknown_guard_name_fails_start_up_naming_it() -> None:
    broken = replace(
        WORKFLOW,
        transitions=(replace(WORKFLOW.transitions[0], guards=("client_is_nice",)),),
    )
    with pytest.raises(WorkflowError, match="guard 'client_is_nice'"):
        WorkflowEngine(broken, KINDS)


def test_unknown_document_kind_fails_start_up_naming_it() -> None:
    with pytest.raises(WorkflowError, match="document kind 'feedback_request'"):
        WorkflowEngine(WORKFLOW, KINDS - {"feedback_request"})


def test_firing_never_builds_a_new_machine(engine: WorkflowEngine, monkeypatch) -> None:
    built = []
    original = transitions.Machine.__init__
    monkeypatch.setattr(transitions.Machine, "__init__", lambda *a, **k: built.append(1) or original(*a, **k))
    e = engagement()
    engine.fire(e, "request_feedback", NOW, {"subject": "Approve the plan"})
    engine.fire(e, "receive_feedback", NOW, {})
    assert built == []


def test_request_feedback_needs_a_subject_and_says_so(engine: WorkflowEngine) -> None:
    e = engagement()
    with pytest.raises(InvalidInput) as refused:
        engine.fire(e, "request_feedback", NOW, {"subject": "  "})
    assert list(refused.value.errors) == ["data.subject"]
    assert refused.value.errors["data.subject"][0].startswith(
        "Required by 'request_feedback': What the client"
    )
    assert e.state == "active" and e.feedback_requests == []


def test_input_a_trigger_does_not_declare_is_refused_by_name(engine: WorkflowEngine) -> None:
    with pytest.raises(InvalidInput) as refused:
        engine.fire(engagement(), "request_feedback", NOW, {"subject": "Plan", "details": "x"})
    assert refused.value.errors == {
        "data.details": ["'request_feedback' does not take 'details'; it takes subject."]
    }


def test_an_offboarding_reason_outside_the_declared_choices_is_bad_input(engine: WorkflowEngine) -> None:
    with pytest.raises(InvalidInput) as refused:
        engine.fire(engagement(), "begin_offboarding", NOW, {"reason": "bored"})
    assert refused.value.errors == {
        "data.reason": ["Must be one of: unresponsive, controlling, non_payment, mutual, other."]
    }


def test_text_input_longer_than_declared_is_refused(engine: WorkflowEngine) -> None:
    with pytest.raises(InvalidInput) as refused:
        engine.fire(engagement(), "request_feedback", NOW, {"subject": "x" * 501})
    assert refused.value.errors == {"data.subject": ["Longer than 500 characters."]}
    engine.fire(engagement(), "request_feedback", NOW, {"subject": "x" * 500})  # the limit itself fits


def test_request_then_receive_records_due_date_in_business_days_and_lateness(
    engine: WorkflowEngine,
) -> None:
    e = engagement()
    friday = datetime(2026, 12, 4, 9, tzinfo=UTC)
    outcome = engine.fire(e, "request_feedback", friday, {"subject": "Approve the plan"})
    assert (outcome.source, outcome.dest, outcome.documents) == (
        "active",
        "awaiting_feedback",
        ("feedback_request",),
    )
    # 3 business days after a Friday: Mon 7, Wed 9 (Tue 8 is the Immacolata), Thu 10.
    assert outcome.payload["due_on"] == "2026-12-10"
    answered = engine.fire(e, "receive_feedback", at(date(2026, 12, 12)), {})
    assert e.state == "active"
    assert answered.payload["days_late"] == 2


def test_trigger_from_the_wrong_state_is_invalid(engine: WorkflowEngine) -> None:
    with pytest.raises(InvalidTrigger, match="while the engagement is active"):
        engine.fire(engagement(), "receive_feedback", NOW, {})


def test_unknown_trigger_is_bad_input_naming_the_field(engine: WorkflowEngine) -> None:
    with pytest.raises(InvalidInput) as refused:
        engine.fire(engagement(), "fire_the_client", NOW, {})
    assert list(refused.value.errors) == ["trigger"]
    assert refused.value.errors["trigger"][0].startswith(
        "'fire_the_client' is not a trigger of this workflow"
    )


def test_a_trigger_is_fired_only_by_whom_the_workflow_names(engine: WorkflowEngine) -> None:
    e = engagement(state="payment_overdue", invoices=[invoice(date(2026, 12, 1))])
    with pytest.raises(InvalidTrigger, match="fired by the user, not by the clock"):
        engine.fire(e, "begin_offboarding", NOW, {"reason": "non_payment"}, firer="clock")
    with pytest.raises(InvalidTrigger, match="fired by the payment or the user, not by the clock"):
        engine.fire(e, "resume", NOW, {}, firer="clock")


def test_feedback_reminders_wait_for_the_deadline_then_repeat(engine: WorkflowEngine) -> None:
    e = engagement()
    engine.fire(e, "request_feedback", at(date(2026, 12, 1)), {"subject": "Plan"})  # due Fri 4th
    with pytest.raises(GuardBlocked, match="cannot happen yet") as blocked:
        engine.fire(e, "remind_feedback", at(date(2026, 12, 4)), {})
    assert "next reminder is due on 2026-12-07" in blocked.value.reasons[0]
    first = engine.fire(e, "remind_feedback", at(date(2026, 12, 7)), {})
    assert first.payload["reminder_number"] == 1
    assert first.payload["next_reminder_on"] == "2026-12-11"  # Tue 8 is the Immacolata
    with pytest.raises(GuardBlocked):
        engine.fire(e, "remind_feedback", at(date(2026, 12, 10)), {})
    assert engine.fire(e, "remind_feedback", at(date(2026, 12, 11)), {}).documents == ("feedback_reminder",)


def test_payment_ladder_overdue_then_pause_after_grace(engine: WorkflowEngine) -> None:
    e = engagement(invoices=[invoice(date(2026, 12, 1))])
    for trigger, day in ladder(date(2026, 12, 1)):
        with pytest.raises(GuardBlocked, match="cannot happen yet"):
            engine.fire(e, trigger, at(day - timedelta(days=1)), {})
        engine.fire(e, trigger, at(day), {})
    assert (e.state, e.paused_at) == ("paused", at(date(2026, 12, 9)))


def test_during_the_grace_period_pausing_names_its_last_day(engine: WorkflowEngine) -> None:
    e = engagement(state="payment_overdue", invoices=[invoice(date(2026, 12, 1), reminded_at=NOW)])
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(e, "pause_work", at(date(2026, 12, 8)), {})
    assert blocked.value.reasons == ["The grace period for the overdue invoice runs until 2026-12-08."]


def test_pause_needs_a_reminder_on_record(engine: WorkflowEngine) -> None:
    e = engagement(state="payment_overdue", invoices=[invoice(date(2026, 12, 1))])
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(e, "pause_work", at(date(2026, 12, 20)), {})
    assert blocked.value.reasons == ["No payment reminder has been sent for the overdue invoice yet."]


def test_resume_is_blocked_while_anything_is_overdue_and_names_it(engine: WorkflowEngine) -> None:
    e = engagement(state="paused", invoices=[invoice(date(2026, 12, 1), paid_amount=Decimal("200"))])
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(e, "resume", at(date(2026, 12, 20)), {})
    assert blocked.value.reasons == [
        "Invoice 'Fee 2026-12' still has 1000.00 EUR outstanding (due 2026-12-01)."
    ]


@pytest.mark.parametrize(
    ("source", "feedback_open", "policy", "dest", "documents"),
    [
        ("paused", False, "remind_only", "active", ("resume_notice",)),
        ("paused", True, "remind_only", "awaiting_feedback", ("resume_notice",)),
        ("payment_overdue", False, "remind_only", "active", ()),
        ("paused", False, "require_prepayment", "active", ("resume_notice", "contract_amendment")),
        (
            "payment_overdue",
            True,
            "require_prepayment",
            "awaiting_feedback",
            ("contract_amendment",),
        ),
    ],
)
def test_resume_routes_back_and_picks_documents(
    engine: WorkflowEngine, source, feedback_open, policy, dest, documents
) -> None:
    e = engagement(state=source, late_payment_policy=policy)
    if feedback_open:
        e.state = "active"
        engine.fire(e, "request_feedback", NOW, {"subject": "Plan"})
        e.state = source
    outcome = engine.fire(e, "resume", NOW, {})
    assert (outcome.dest, outcome.documents) == (dest, documents)


def test_conduct_warning_needs_an_incident_or_an_approval_overrun(engine: WorkflowEngine) -> None:
    e = engagement()
    with pytest.raises(GuardBlocked, match="cannot happen yet"):
        engine.fire(e, "issue_conduct_warning", NOW, {})
    e.incidents.append(Incident("micromanagement", date(2026, 11, 30), "Rewrote every post", NOW))
    outcome = engine.fire(e, "issue_conduct_warning", NOW, {})
    assert (outcome.dest, e.conduct_warnings) == ("active", 1)


@pytest.mark.parametrize(("rounds", "allowed"), [(2, False), (3, True)])
def test_an_approval_beyond_the_agreed_rounds_is_evidence_for_a_conduct_warning(
    engine: WorkflowEngine, rounds: int, allowed: bool
) -> None:
    """No incident on record: only the approval's rounds decide (two are agreed)."""
    e = engagement(approvals=[ApprovalRequest("Logo", NOW, rounds=rounds)])
    assert engine.allows(e, "issue_conduct_warning", NOW) is allowed


@pytest.mark.parametrize(
    ("reason", "missing"),
    [
        ("unresponsive", "0 of 2 unanswered feedback reminders are on record."),
        ("controlling", "A conduct warning must be issued before ending the engagement for controlling conduct."),
        ("non_payment", "Work has never been paused and no invoice is overdue beyond the grace period."),
        ("mutual", "Explain the reason for ending in 'explanation': the client will read it."),
        ("other", "Explain the reason for ending in 'explanation': the client will read it."),
    ],
)  # fmt: skip
def test_each_offboarding_reason_says_what_is_missing(engine, reason, missing) -> None:
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(engagement(), "begin_offboarding", NOW, {"reason": reason})
    assert blocked.value.reasons == [missing]


def test_offboarding_for_unresponsiveness_once_reminders_are_on_record(engine) -> None:
    e = engagement()
    engine.fire(e, "request_feedback", at(date(2026, 12, 1)), {"subject": "Plan"})
    engine.fire(e, "remind_feedback", at(date(2026, 12, 7)), {})
    engine.fire(e, "remind_feedback", at(date(2026, 12, 11)), {})  # Tue 8 is the Immacolata
    engine.fire(e, "send_final_notice", at(date(2026, 12, 11)), {})  # until Fri 18 December
    outcome = engine.fire(e, "begin_offboarding", at(date(2026, 12, 19)), {"reason": "unresponsive"})
    assert outcome.documents == ("termination_notice", "handover_checklist", "final_report")
    assert len(e.handover_items) == 4  # one account × four actions


def _overdue(**changes) -> Engagement:
    """Paused since 9 December for the 1,200.00 due on 1 December."""
    return engagement(
        state="paused", paused_at=at(date(2026, 12, 9)), invoices=[invoice(date(2026, 12, 1))], **changes
    )


@pytest.mark.parametrize(
    ("jurisdiction", "language", "sent_on", "days", "deadline"),
    [
        # 10 Dec + 15 = Fri 25 Dec (Christmas); Sat 26 (Santo Stefano); Sun 27: Mon 28.
        ("IT", "it", date(2026, 12, 10), None, date(2026, 12, 28)),
        # 11 Dec + 14 = Fri 25 Dec; Sat 26; Sun 27; Mon 28 (Boxing Day, substitute): Tue 29.
        ("GB", "en", date(2026, 12, 11), None, date(2026, 12, 29)),
        # An EU engagement of an English-writing tenant names no country: weekends only.
        ("EU", "en", date(2026, 12, 10), None, date(2026, 12, 25)),
        # 2 Dec + 20 = Tue 22 Dec: a working day stays as it is.
        ("IT", "it", date(2026, 12, 2), 20, date(2026, 12, 22)),
        # 10 Dec + 16 = Sat 26 Dec: Mon 28.
        ("IT", "it", date(2026, 12, 10), 16, date(2026, 12, 28)),
    ],
)  # fmt: skip
def test_a_formal_demand_records_a_deadline_moved_past_weekends_and_holidays(
    engine, jurisdiction, language, sent_on, days, deadline
) -> None:
    e = _overdue(jurisdiction=jurisdiction, language=language)
    outcome = engine.fire(e, "send_formal_demand", at(sent_on), {} if days is None else {"days": days})
    assert (outcome.dest, outcome.documents) == ("paused", ("formal_demand",))
    assert (e.formal_demand_on, e.formal_demand_deadline) == (sent_on, deadline)
    assert outcome.payload["deadline"] == deadline.isoformat()


@pytest.mark.parametrize(
    ("jurisdiction", "days", "reason"),
    [
        ("IT", 14, "A formal demand under IT law gives the client at least 15 days to pay; 14 is too few."),
        ("EU", 10, "A formal demand under EU law gives the client at least 15 days to pay; 10 is too few."),
        ("GB", 13, "A formal demand under GB law gives the client at least 14 days to pay; 13 is too few."),
    ],
)  # fmt: skip
def test_a_formal_demand_shorter_than_the_jurisdiction_allows_is_refused(engine, jurisdiction, days, reason):
    e = _overdue(jurisdiction=jurisdiction)
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(e, "send_formal_demand", at(date(2026, 12, 10)), {"days": days})
    assert blocked.value.reasons == [reason]
    assert e.formal_demand_deadline is None


@pytest.mark.parametrize(("jurisdiction", "days"), [("IT", 15), ("EU", 15), ("GB", 14)])
def test_a_formal_demand_giving_exactly_the_legal_minimum_is_accepted(engine, jurisdiction, days) -> None:
    e = _overdue(jurisdiction=jurisdiction)
    outcome = engine.fire(e, "send_formal_demand", at(date(2026, 12, 2)), {"days": days})
    assert outcome.documents == ("formal_demand",)
    assert e.formal_demand_on == date(2026, 12, 2)


def test_a_formal_demand_needs_something_overdue(engine) -> None:
    e = _overdue()
    e.invoices[0].paid_amount = e.invoices[0].amount
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(e, "send_formal_demand", at(date(2026, 12, 10)), {})
    assert blocked.value.reasons == ["No invoice is unpaid after its due date."]


def test_ending_for_non_payment_needs_a_formal_demand_first(engine) -> None:
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(
            _overdue(jurisdiction="IT"),
            "begin_offboarding",
            at(date(2026, 12, 20)),
            {"reason": "non_payment"},
        )
    assert blocked.value.reasons == [
        "Send a formal demand (send_formal_demand) first: ending for non-payment needs its deadline, "
        "at least 15 days away, to pass unpaid."
    ]


def test_ending_for_non_payment_waits_until_the_day_after_the_demands_deadline(engine) -> None:
    e = _overdue(jurisdiction="IT")
    engine.fire(e, "send_formal_demand", at(date(2026, 12, 10)), {})
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(e, "begin_offboarding", at(date(2026, 12, 28)), {"reason": "non_payment"})
    assert blocked.value.reasons == [
        "The formal demand of 2026-12-10 gives the client until 2026-12-28 to pay; "
        "the engagement can end for non-payment from 2026-12-29."
    ]
    outcome = engine.fire(e, "begin_offboarding", at(date(2026, 12, 29)), {"reason": "non_payment"})
    assert outcome.payload["balance_due"] == "1200.00"
    assert (outcome.payload["formal_demand_on"], outcome.payload["formal_demand_deadline"]) == (
        "2026-12-10",
        "2026-12-28",
    )


def test_a_demand_met_in_time_leaves_no_ground_to_end_for_non_payment(engine) -> None:
    e = _overdue(jurisdiction="IT")
    engine.fire(e, "send_formal_demand", at(date(2026, 12, 10)), {})
    e.invoices[0].paid_amount = e.invoices[0].amount
    with pytest.raises(GuardBlocked) as blocked:
        engine.fire(e, "begin_offboarding", at(date(2026, 12, 29)), {"reason": "non_payment"})
    assert blocked.value.reasons == ["Nothing is overdue any more: the formal demand was met."]


def test_close_needs_every_handover_item_resolved(engine) -> None:
    e = engagement()
    engine.fire(e, "begin_offboarding", NOW, {"reason": "mutual", "explanation": "Budget cut."})
    with pytest.raises(GuardBlocked, match="cannot happen yet") as blocked:
        engine.fire(e, "close", NOW, {})
    assert blocked.value.reasons[0].startswith("4 handover item(s) are neither completed nor waived")
    # Each item in words, never its code ("export_content on instagram"), in the client's language.
    reason = blocked.value.reasons[0]
    assert "“Export content and reports” (" in reason and "export_content" not in reason
    italian = say(reason, "it")
    assert "«Esportare contenuti e report» (" in italian and " e «" in italian
    for item in e.handover_items:
        item.status = "waived"
    assert engine.fire(e, "close", NOW + timedelta(days=1), {}).dest == "closed"


def test_status_lists_every_trigger_from_the_state_with_reasons(engine) -> None:
    statuses = {s.trigger: s for s in engine.status(engagement(), NOW)}
    assert set(statuses) == {
        "request_feedback", "mark_payment_overdue", "issue_conduct_warning", "begin_offboarding",
        "waive_interest",
    }  # fmt: skip
    assert statuses["request_feedback"].allowed
    assert statuses["mark_payment_overdue"].blocked_by == ("No invoice is unpaid after its due date.",)
    assert statuses["mark_payment_overdue"].automatic
