"""Firing a trigger: state, record entry and documents in one commit, or nothing at all."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service.application.entries import record_incident
from service.application.runtime import Runtime
from service.application.transitions import fire_transition
from service.documents import DocumentRenderError
from service.domain.errors import GuardBlocked, InvalidInput, InvalidTrigger, PreconditionFailed
from tests.conftest import FakeClock
from tests.unit.application.conftest import record, stored
from tests.unit.fakes import FakeDatabase


def fire(rt: Runtime, tenant_id: int, engagement_id: int, trigger: str, **data: object) -> dict:
    return fire_transition(rt, tenant_id, engagement_id, trigger, data=data, note=None)


def test_a_transition_commits_its_state_entry_and_documents_together(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    commits = database.committed.commits
    fired = fire(rt, tenant_id, engagement_id, "request_feedback", subject="Approve the December plan")
    assert database.committed.commits == commits + 1  # one commit for all of it
    engagement = stored(database, engagement_id)
    assert (engagement.state, engagement.version) == ("awaiting_feedback", 2)
    *_, transition, generated = record(database, engagement_id)
    assert (transition.type, transition.payload["trigger"], transition.payload["to"]) == (
        "transition",
        "request_feedback",
        "awaiting_feedback",
    )
    [document] = [d for d in database.committed.documents if d.event_id == transition.id]
    assert (document.kind, document.event_seq) == ("feedback_request", transition.seq)
    assert (generated.type, generated.payload["document_id"]) == ("document_generated", document.id)
    assert fired["event"]["seq"] == transition.seq and fired["engagement"]["version"] == 2


def test_a_blocked_guard_leaves_nothing_behind(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    before = database.committed
    with pytest.raises(GuardBlocked) as blocked:
        fire(rt, tenant_id, engagement_id, "begin_offboarding", reason="unresponsive")
    assert blocked.value.reasons  # sentences saying why
    assert database.committed is before  # no commit: not a state, not an entry, not a document


def test_controlling_conduct_needs_a_warning_even_with_an_incident_on_record(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    record_incident(
        rt, tenant_id, engagement_id, kind="micromanagement", occurred_on=date(2026, 12, 1), description="All"
    )
    with pytest.raises(GuardBlocked) as blocked:
        fire(rt, tenant_id, engagement_id, "begin_offboarding", reason="controlling")
    assert blocked.value.reasons == [
        "A conduct warning must be issued before ending the engagement for controlling conduct."
    ]
    # Tue 1 Dec + 7 days = Tue 8 Dec, a public holiday in Italy (Immacolata): Wed 9 Dec.
    fire(rt, tenant_id, engagement_id, "issue_conduct_warning", summary="Please let us work as agreed.")
    assert stored(database, engagement_id).comply_by == date(2026, 12, 9)
    with pytest.raises(GuardBlocked) as blocked:
        fire(rt, tenant_id, engagement_id, "begin_offboarding", reason="controlling")
    assert blocked.value.reasons == [
        "The conduct warning gives the client until 2026-12-09 to comply; the engagement can end for "
        "controlling conduct from 2026-12-10, or after a second warning.",
        "No incident has been recorded since the conduct warning of 2026-12-01: record one, or issue a "
        "second warning.",
    ]
    clock.advance(days=9)  # Thu 10 Dec: the time to comply is over, but nothing new happened
    with pytest.raises(GuardBlocked) as blocked:
        fire(rt, tenant_id, engagement_id, "begin_offboarding", reason="controlling")
    assert blocked.value.reasons == [
        "No incident has been recorded since the conduct warning of 2026-12-01: record one, or issue a "
        "second warning."
    ]
    record_incident(
        rt,
        tenant_id,
        engagement_id,
        kind="micromanagement",
        occurred_on=date(2026, 12, 10),
        description="Again",
    )
    fire(rt, tenant_id, engagement_id, "begin_offboarding", reason="controlling")
    engagement = stored(database, engagement_id)
    assert (engagement.state, engagement.offboarding_reason) == ("offboarding", "controlling")


def test_a_second_conduct_warning_allows_ending_at_once(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    record_incident(
        rt, tenant_id, engagement_id, kind="micromanagement", occurred_on=date(2026, 12, 1), description="All"
    )
    fire(rt, tenant_id, engagement_id, "issue_conduct_warning", days_to_comply=20)
    assert stored(database, engagement_id).comply_by == date(2026, 12, 21)  # Mon 21 Dec
    fire(rt, tenant_id, engagement_id, "issue_conduct_warning")
    fire(rt, tenant_id, engagement_id, "begin_offboarding", reason="controlling")
    assert stored(database, engagement_id).state == "offboarding"


def test_a_document_that_cannot_be_written_undoes_the_transition(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(request: object) -> object:
        raise DocumentRenderError("the template is missing")

    monkeypatch.setattr(rt, "renderer", type("Broken", (), {"render": staticmethod(broken)})())
    before = database.committed
    with pytest.raises(InvalidInput) as refused:
        fire(rt, tenant_id, engagement_id, "request_feedback", subject="Plan")
    assert refused.value.errors == {"documents": ["feedback_request: the template is missing"]}
    assert database.committed is before


def test_a_trigger_not_from_the_state_changes_nothing(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    before = database.committed
    with pytest.raises(InvalidTrigger):
        fire(rt, tenant_id, engagement_id, "receive_feedback")
    assert database.committed is before


def test_a_stale_version_is_refused_before_any_due_invoice_is_issued(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    clock.advance(days=35)  # January's fee fell due on the 1st
    before = database.committed
    with pytest.raises(PreconditionFailed):
        fire_transition(
            rt, tenant_id, engagement_id, "request_feedback", data={"subject": "Plan"}, note=None, if_match=0
        )
    assert database.committed is before


def test_a_change_on_a_due_engagement_issues_the_invoice_first(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    """The record stays in time order: January's invoice (1 Jan) before the transition (5 Jan)."""
    clock.advance(days=35)
    fire(rt, tenant_id, engagement_id, "request_feedback", subject="Plan")
    entries = [(e.type, e.occurred_at) for e in record(database, engagement_id)]
    assert entries[-3:] == [
        ("invoice_issued", datetime(2026, 12, 31, 23, tzinfo=UTC)),  # 1 January begins in Rome
        ("transition", datetime(2027, 1, 5, 9, tzinfo=UTC)),
        ("document_generated", datetime(2027, 1, 5, 9, tzinfo=UTC)),
    ]


def test_feedback_is_due_in_business_days_and_its_lateness_recorded(
    rt: Runtime, database: FakeDatabase, clock: FakeClock, tenant_id: int, engagement_id: int
) -> None:
    asked = fire(rt, tenant_id, engagement_id, "request_feedback", subject="Approve the December plan")
    assert asked["event"]["payload"]["due_on"] == "2026-12-04"  # Tue 1 Dec + 3 business days
    assert [d["kind"] for d in asked["documents"]] == ["feedback_request"]
    clock.advance(days=6)  # Mon 7 Dec
    answered = fire(rt, tenant_id, engagement_id, "receive_feedback")
    assert answered["engagement"]["state"] == "active"
    assert answered["event"]["payload"]["days_late"] == 3


def test_the_note_and_data_are_kept_in_the_record_after_what_creation_wrote(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    fire_transition(
        rt,
        tenant_id,
        engagement_id,
        "request_feedback",
        data={"subject": "Plan"},
        note="Asked by phone too",
    )
    entries = record(database, engagement_id)
    assert [(e.seq, e.type) for e in entries] == [
        (1, "engagement_created"),
        (2, "document_generated"),  # the contract
        (3, "invoice_issued"),  # December's fee, due on the start date
        (4, "transition"),
        (5, "document_generated"),  # the feedback request
    ]
    assert (entries[3].payload["note"], entries[3].payload["data"]) == (
        "Asked by phone too",
        {"subject": "Plan"},
    )
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
