"""The clock's view of an engagement: its next automatic step, when it falls due, and a forecast.

A step is either issuing the next monthly invoice or one of the workflow's clock triggers
(``by: [clock]``), due on the day its named ``due_at`` rule gives (the rule is its guard too).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from typing import Any, TypeVar

from service.domain.amendments import bring_into_force, fee_on, next_in_force_on
from service.domain.billing import MonthlyInvoice, add_invoice, monthly_description, next_monthly_invoice
from service.domain.engine import WorkflowEngine
from service.domain.invoicing import NO_TAXES, Invoicing
from service.domain.model import Engagement, Invoice

T = TypeVar("T")
ISSUE_INVOICE = "issue_invoice"  # a clock step that is not a workflow trigger: it changes no state
# Binding amended terms coming into force: a step at 00:00 of their day, before any other step
# of that day, so every letter of that day quotes the terms in force on it.
TERMS_IN_FORCE = "terms_in_force"
EVERY_CLOCK_TRIGGER = None


@dataclass(frozen=True)
class Step:
    trigger: str
    at: datetime  # the moment it became (or will become) due
    invoice: MonthlyInvoice | None = None


def next_step(
    engagement: Engagement,
    engine: WorkflowEngine,
    triggers: Collection[str] | None = EVERY_CLOCK_TRIGGER,
) -> Step | None:
    """The earliest automatic step; on a tie, amended terms first, then invoices, then the
    workflow file's order.

    ``triggers`` narrows the clock triggers considered (empty: only terms and invoices).
    """
    definition = engine.definition
    candidates = []
    amended_on = next_in_force_on(engagement)
    if amended_on is not None:
        candidates.append(Step(TERMS_IN_FORCE, engagement.start_of(amended_on)))
    if definition.has_role(engagement.state, "billable"):
        monthly = next_monthly_invoice(engagement)
        candidates.append(Step(ISSUE_INVOICE, engagement.start_of(monthly.issue_on), monthly))
    for name in definition.fired_by("clock"):
        if triggers is not None and name not in triggers:
            continue
        day = engine.due_rule(name)(engagement).day if engine.can_leave(engagement.state, name) else None
        # A dated step falls due when its day begins in the tenant's zone (stored in UTC). Its
        # guard is the same rule; asking the engine still applies the entries' routing.
        if day is not None and engine.allows(engagement, name, engagement.start_of(day)):
            candidates.append(Step(name, engagement.start_of(day)))
    return min(candidates, key=lambda s: s.at, default=None)


def run_due(
    engagement: Engagement,
    engine: WorkflowEngine,
    until: datetime,
    not_before: datetime | None,
    perform: Callable[[Step, datetime], T],
    triggers: Collection[str] | None = EVERY_CLOCK_TRIGGER,
    limit: int | None = None,
) -> list[T]:
    """Take every step due by ``until`` in date order, ``perform`` applying each one.

    A step is dated when it fell due, but never before ``not_before`` (the last record entry)
    nor before the step taken just before it, so the record stays in time order. The sweep
    and the forecast both go through here, so they cannot disagree.
    """
    done = []
    previous = None
    while (limit is None or len(done) < limit) and (
        (step := next_step(engagement, engine, triggers)) is not None and step.at <= until
    ):
        if step == previous:
            raise RuntimeError(f"The step {step.trigger} due {step.at} was not applied.")
        not_before = step.at if not_before is None else max(step.at, not_before)
        done.append(perform(step, not_before))
        previous = step
    return done


def issue_monthly(
    engagement: Engagement, monthly: MonthlyInvoice, at: datetime, invoicing: Invoicing = NO_TAXES
) -> Invoice:
    return add_invoice(
        engagement,
        monthly_description(engagement, monthly.period),
        fee_on(engagement, monthly.issue_on),
        monthly.due_on,
        at,
        monthly.period,
        invoicing,
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
        if step.trigger == TERMS_IN_FORCE:
            bring_into_force(copy, copy.day_of(step.at))
            return Forecast(step.trigger, at, ())
        if step.invoice is not None:
            issue_monthly(copy, step.invoice, at)
            return Forecast(step.trigger, at, ())
        return Forecast(step.trigger, at, engine.fire(copy, step.trigger, at, firer="clock").documents)

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
