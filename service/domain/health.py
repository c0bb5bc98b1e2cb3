"""The three difficult-client signals, read from the record. Thresholds: docs/health-signals.md.

Every summary and recommendation is a ``sayings.Said`` (``messages.health`` in the wording
files): English as a ``str``, and said again in the engagement's language by the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import median
from typing import Any

from service.domain.billing import days_late
from service.domain.calendar import as_utc
from service.domain.model import Engagement, Event
from service.domain.money import ZERO, as_text
from service.domain.sayings import Listing, Money, Said
from service.domain.workflow import WorkflowDefinition

LEVELS = ("ok", "watch", "act")

# unresponsive: a median delay is a pattern only over a few answers.
MIN_ANSWERS_FOR_MEDIAN = 2
MEDIAN_DELAY_WATCH_DAYS = 2
MEDIAN_DELAY_ACT_DAYS = 5
# controlling: the incident kinds that mean "does not let us do the agreed work".
CONTROLLING_KINDS = ("micromanagement", "scope", "abuse")
CONTROLLING_INCIDENTS_ACT = 3
OVERRUNS_ACT = 2
# late payment: a few days late is noise; a delay that grows over consecutive invoices is not.
LATE_TOLERANCE_DAYS = 3
TREND_INVOICES = 3
PAUSES_ACT = 2

Evidence = dict[str, Any]


@dataclass(frozen=True)
class Signal:
    level: str
    summary: Said
    evidence: list[Evidence]


@dataclass(frozen=True)
class Health:
    unresponsive: Signal
    controlling: Signal
    late_payment: Signal
    recommendation: Said


def _level(act: bool, watch: bool) -> str:
    return "act" if act else "watch" if watch else "ok"


def _summary(clauses: list[Said], all_clear: Said) -> Said:
    """The clauses as one sentence, or the signal's all-clear when there are none."""
    if not clauses:
        return all_clear
    return Said("health.summary", clauses=Listing(tuple(clauses), capitalised=True))


def _name(signal: str) -> Said:
    """A signal's name in a sentence (keys are literals, so the start-up check can read them)."""
    if signal == "unresponsive":
        return Said("health.names.unresponsive")
    if signal == "controlling":
        return Said("health.names.controlling")
    return Said("health.names.late_payment")


def _days(count: float) -> Said:
    return Said("health.days", count=int(count) if count == int(count) else count, shown=f"{count:g}")


def _warnings(events: list[Event], definition: WorkflowDefinition) -> list[Event]:
    warning_triggers = definition.triggers_with_effect("count_conduct_warning")
    return [e for e in events if e.type == "transition" and e.payload.get("trigger") in warning_triggers]


def _pauses(events: list[Event], definition: WorkflowDefinition) -> list[Event]:
    """Entries where work stopped (moving between two stopped states is not a new pause)."""
    stopped = definition.states_with("work_stopped")
    return [
        e
        for e in events
        if e.type == "transition" and e.payload.get("to") in stopped and e.payload.get("from") not in stopped
    ]


def unresponsive(engagement: Engagement, today: date) -> Signal:
    required = engagement.reminders_before_offboarding
    evidence, clauses = [], []
    for r in engagement.feedback_requests:
        late = r.days_late if not r.is_open else max(0, (today - r.due_on).days)
        if late or r.reminders_sent:
            evidence.append(
                {
                    "type": "feedback_request",
                    "id": r.id,
                    "subject": r.subject,
                    "due_on": r.due_on.isoformat(),
                    "answered": not r.is_open,
                    "days_late": late,
                    "reminders_sent": r.reminders_sent,
                }
            )
    request = engagement.open_feedback_request
    overdue = request is not None and today > request.due_on
    if request is not None and overdue:
        clauses.append(
            Said(
                "health.unresponsive.past_deadline",
                subject=request.subject,
                late=_days((today - request.due_on).days),
                sent=request.reminders_sent,
                required=required,
            )
        )
    delays = [r.days_late or 0 for r in engagement.feedback_requests if not r.is_open]
    typical = median(delays) if len(delays) >= MIN_ANSWERS_FOR_MEDIAN else 0
    if typical:
        clauses.append(Said("health.unresponsive.median", late=_days(typical), count=len(delays)))
    ignored = request is not None and request.reminders_sent >= required
    level = _level(ignored or typical >= MEDIAN_DELAY_ACT_DAYS, overdue or typical >= MEDIAN_DELAY_WATCH_DAYS)
    return Signal(level, _summary(clauses, Said("health.unresponsive.fine")), evidence)


def controlling(engagement: Engagement, events: list[Event], definition: WorkflowDefinition) -> Signal:
    incidents = [i for i in engagement.incidents if i.kind in CONTROLLING_KINDS]
    overruns = engagement.approval_overruns()
    warnings = _warnings(events, definition)
    evidence: list[Evidence] = [
        {
            "type": "incident",
            "id": i.id,
            "kind": i.kind,
            "occurred_on": i.occurred_on.isoformat(),
            "description": i.description,
        }
        for i in incidents
    ]
    evidence += [
        {
            "type": "approval",
            "id": a.id,
            "item": a.item,
            "rounds": a.rounds,
            "agreed_rounds": engagement.revision_rounds,
        }
        for a in overruns
    ]
    evidence += [
        {"type": "conduct_warning", "seq": w.seq, "occurred_at": w.occurred_at.isoformat()} for w in warnings
    ]
    # A warning that changed nothing is the spec's cue to leave: count what came after it.
    since: list[datetime | None] = [i.recorded_at for i in incidents] + [a.decided_at for a in overruns]
    unheeded = bool(warnings) and any(t is not None and t > warnings[-1].occurred_at for t in since)
    clauses = []
    if incidents:
        clauses.append(Said("health.controlling.incidents", count=len(incidents)))
    if overruns:
        agreed = engagement.revision_rounds
        clauses.append(Said("health.controlling.overruns", count=len(overruns), agreed=agreed))
    if warnings:
        clauses.append(Said("health.controlling.warnings", count=len(warnings)))
    if unheeded:
        clauses.append(Said("health.controlling.unheeded"))
    act = unheeded or len(incidents) >= CONTROLLING_INCIDENTS_ACT or len(overruns) >= OVERRUNS_ACT
    level = _level(act, bool(incidents or overruns or warnings))
    return Signal(level, _summary(clauses, Said("health.controlling.fine")), evidence)


def late_payment(
    engagement: Engagement, today: date, events: list[Event], definition: WorkflowDefinition
) -> Signal:
    invoices = sorted(engagement.invoices, key=lambda i: i.due_on)
    # An invoice not due yet says nothing about how this client pays.
    delays = [(i, days_late(i, today)) for i in invoices if i.outstanding <= ZERO or today > i.due_on]
    late = [(i, d) for i, d in delays if d > LATE_TOLERANCE_DAYS or (i.outstanding > ZERO and d > 0)]
    pauses = _pauses(events, definition)
    evidence: list[Evidence] = [
        {
            "type": "invoice",
            "id": i.id,
            "description": i.description,
            "due_on": i.due_on.isoformat(),
            "days_late": d,
            "outstanding": as_text(i.outstanding),
        }
        for i, d in late
    ]
    evidence += [{"type": "pause", "seq": p.seq, "occurred_at": p.occurred_at.isoformat()} for p in pauses]
    recent = [d for _, d in delays[-TREND_INVOICES:]]
    worsening = len(recent) == TREND_INVOICES and all(a < b for a, b in pairwise(recent))
    overdue = engagement.overdue_invoices(today)
    work_stopped = definition.has_role(engagement.state, "work_stopped")
    clauses = []
    paid_late = [d for i, d in late if i.outstanding <= ZERO]
    if paid_late:
        worst = _days(max(paid_late))
        clauses.append(Said("health.late_payment.paid_late", count=len(paid_late), worst=worst))
    if worsening:
        growth = ", ".join(map(str, recent))
        clauses.append(Said("health.late_payment.worsening", invoices=TREND_INVOICES, growth=growth))
    if pauses:
        clauses.append(Said("health.late_payment.pauses", count=len(pauses)))
    if overdue:
        owed = sum((i.outstanding for i in overdue), ZERO)
        clauses.append(Said("health.late_payment.overdue", amount=Money(owed, engagement.currency)))
    act = work_stopped or bool(engagement.beyond_grace(today)) or len(pauses) >= PAUSES_ACT
    level = _level(act, bool(late or worsening or pauses))
    return Signal(level, _summary(clauses, Said("health.late_payment.fine")), evidence)


def _after_pause(engagement: Engagement) -> Said:
    deadline = engagement.formal_demand_deadline
    if deadline is None:
        return Said("health.advice.paused")
    return Said("health.advice.paused_demanded", deadline=deadline.isoformat())


def _after_warning(engagement: Engagement, today: date) -> Said:
    """The next step after a conduct warning, as begin_offboarding's guard will judge it: a second
    warning, or the first one's time to comply passed with an incident recorded after it."""
    changed_nothing = Said("health.advice.warning_changed_nothing")
    comply_by, warned_at = engagement.comply_by, engagement.conduct_warned_at
    if engagement.conduct_warnings >= 2 or comply_by is None or warned_at is None:
        return changed_nothing
    if today <= comply_by:
        first_day = (comply_by + timedelta(days=1)).isoformat()
        return Said("health.advice.complying", comply_by=comply_by.isoformat(), first_day=first_day)
    if not any(as_utc(i.recorded_at) > as_utc(warned_at) for i in engagement.incidents):
        return Said("health.advice.complied_quietly", comply_by=comply_by.isoformat())
    return changed_nothing


def recommendation(
    engagement: Engagement, signals: dict[str, Signal], definition: WorkflowDefinition, today: date
) -> Said:
    if definition.has_role(engagement.state, "record_complete"):
        return Said("health.advice.closed")
    if definition.has_role(engagement.state, "winding_down"):
        return Said("health.advice.winding_down")
    if signals["late_payment"].level == "act":
        if definition.has_role(engagement.state, "work_stopped"):
            return _after_pause(engagement)
        return Said("health.advice.pause")
    if signals["unresponsive"].level == "act":
        return Said("health.advice.unresponsive")
    if signals["controlling"].level == "act":
        if engagement.conduct_warnings:
            return _after_warning(engagement, today)
        return Said("health.advice.warn")
    watched = [_name(name) for name, s in signals.items() if s.level == "watch"]
    if watched:
        return Said("health.advice.watch", signals=Listing(tuple(watched)))
    return Said("health.advice.nothing")


def assess(
    engagement: Engagement, today: date, events: list[Event], definition: WorkflowDefinition
) -> Health:
    """``events`` is the engagement's record, oldest first (warnings and pauses are read from it)."""
    signals = {
        "unresponsive": unresponsive(engagement, today),
        "controlling": controlling(engagement, events, definition),
        "late_payment": late_payment(engagement, today, events, definition),
    }
    return Health(**signals, recommendation=recommendation(engagement, signals, definition, today))
