"""The clock's view of an engagement: its next automatic step, when it falls due, and a forecast.

A step is either issuing the next monthly invoice or one of the workflow's automatic triggers
whose guard will start to hold on a date computable from the data. ``resume`` is automatic
too but driven by payments, not by the date, so it has no entry in ``STARTS``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from service.domain.amendments import fee_on
from service.domain.billing import MonthlyInvoice, add_invoice, monthly_description, next_monthly_invoice
from service.domain.calendar import start_of_day
from service.domain.engine import WorkflowEngine
from service.domain.model import Engagement, Invoice

T = TypeVar("T")
ISSUE_INVOICE = "issue_invoice"  # a clock step that is not a workflow trigger: it changes no state


def _overdue_from(engagement: Engagement) -> date | None:
    unpaid = [i.due_on for i in engagement.invoices if i.outstanding > 0]
    return min(unpaid) + timedelta(days=1) if unpaid else None


def _pause_from(engagement: Engagement) -> date | None:
    unpaid = [i for i in engagement.invoices if i.outstanding > 0]
    if not any(i.reminded_at for i in unpaid):
        return None  # the client must have been reminded before work stops
    return min(i.due_on for i in unpaid) + timedelta(days=engagement.grace_days + 1)


def _reminder_from(engagement: Engagement) -> date | None:
    request = engagement.open_feedback_request
    return request.next_reminder_on if request else None


# The first day each clock trigger's guard holds if nothing else changes (see guards.py).
STARTS: dict[str, Callable[[Engagement], date | None]] = {
    "mark_payment_overdue": _overdue_from,
    "pause_work": _pause_from,
    "remind_feedback": _reminder_from,
}


@dataclass(frozen=True)
class Step:
    trigger: str
    at: datetime  # the moment it became (or will become) due
    invoice: MonthlyInvoice | None = None


def next_step(
    engagement: Engagement, engine: WorkflowEngine, triggers: Collection[str] = tuple(STARTS)
) -> Step | None:
    """The earliest automatic step; on a tie, invoices first, then the workflow file's order.

    ``triggers`` narrows the clock triggers considered (none: only invoices to issue).
    """
    candidates = []
    monthly = next_monthly_invoice(engagement)
    if monthly is not None:
        candidates.append(Step(ISSUE_INVOICE, start_of_day(monthly.issue_on), monthly))
    seen = set()
    for spec in engine.definition.transitions:
        if not spec.automatic or spec.trigger not in triggers or spec.trigger in seen:
            continue
        seen.add(spec.trigger)
        day = STARTS[spec.trigger](engagement) if engagement.state in spec.source else None
        if day is not None and engine.allows(engagement, spec.trigger, start_of_day(day)):
            candidates.append(Step(spec.trigger, start_of_day(day)))
    return min(candidates, key=lambda s: s.at, default=None)


def run_due(
    engagement: Engagement,
    engine: WorkflowEngine,
    until: datetime,
    not_before: datetime | None,
    perform: Callable[[Step, datetime], T],
    triggers: Collection[str] = tuple(STARTS),
) -> list[T]:
    """Take every step due by ``until`` in date order, ``perform`` applying each one.

    A step is dated when it fell due, but never before ``not_before`` (the last record entry)
    nor before the step taken just before it, so the record stays in time order. The sweep
    and the forecast both go through here, so they cannot disagree.
    """
    done = []
    previous = None
    while (step := next_step(engagement, engine, triggers)) is not None and step.at <= until:
        if step == previous:
            raise RuntimeError(f"The step {step.trigger} due {step.at} was not applied.")
        not_before = step.at if not_before is None else max(step.at, not_before)
        done.append(perform(step, not_before))
        previous = step
    return done


def issue_monthly(engagement: Engagement, monthly: MonthlyInvoice, at: datetime) -> Invoice:
    return add_invoice(
        engagement,
        monthly_description(engagement, monthly.period),
        fee_on(engagement, monthly.issue_on),
        monthly.due_on,
        at,
        monthly.period,
    )


@dataclass(frozen=True)
class Forecast:
    trigger: str
    at: datetime
    documents: tuple[str, ...]


def forecast(
    engagement: Engagement, engine: WorkflowEngine, until: datetime, not_before: datetime | None
) -> list[Forecast]:
    """The steps the clock will take by ``until`` if nothing else happens, simulated on a copy."""
    copy = clone(engagement)

    def simulate(step: Step, at: datetime) -> Forecast:
        if step.invoice is not None:
            issue_monthly(copy, step.invoice, at)
            return Forecast(step.trigger, at, ())
        return Forecast(step.trigger, at, engine.fire(copy, step.trigger, at).documents)

    return run_due(copy, engine, until, not_before, simulate)


def clone(value: Any) -> Any:
    """A deep copy of domain objects as new, unattached instances: a simulation writes nothing."""
    if is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{f.name: clone(getattr(value, f.name)) for f in fields(value) if f.init})
    if isinstance(value, list):
        return [clone(v) for v in value]
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    return value
