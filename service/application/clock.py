"""The clock: the sweep that takes every automatic step due, and the sandbox's own time.

The sweep reads due engagements through the deadline index in batches, then takes each one
in its own transaction under its row lock, re-reading it there: several sweepers can run at
once, each skipping the rows another holds, and no step is ever taken twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from service.application.deadlines import bring_terms_into_force, issue_invoice_step, refresh_deadline
from service.application.loading import load_for_reading
from service.application.runtime import Runtime
from service.application.transitions import apply_trigger
from service.application.unit_of_work import UnitOfWork
from service.domain import amendments, schedule
from service.domain.calendar import start_of_day
from service.domain.errors import Conflict, Forbidden, NotFound
from service.domain.model import Engagement, Tenant
from service.domain.schedule import Step, run_due

BATCH = 200
FORECAST_REACH = timedelta(days=5 * 366)  # a simulation has to stop somewhere
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Taken:
    engagement_id: int
    trigger: str
    at: datetime
    seq: int


def take_due_steps(
    rt: Runtime, uow: UnitOfWork, tenant: Tenant, engagement: Engagement, now: datetime
) -> list[Taken]:
    """Every step due by ``now``, in date order, each dated when it fell due."""

    def take(step: Step, at: datetime) -> Taken:
        if step.invoice is not None:
            event = issue_invoice_step(uow, engagement, step, at)
        else:
            event = apply_trigger(rt, uow, tenant, engagement, step.trigger, at, actor="clock").event
        return Taken(engagement.id or 0, step.trigger, at, event.seq)

    taken = run_due(engagement, rt.workflow, now, uow.record.last_at(engagement), take)
    in_force = bring_terms_into_force(uow, engagement, now)
    return taken + [Taken(engagement.id or 0, e.type, e.occurred_at, e.seq) for e in in_force]


def sweep(rt: Runtime, *, as_of: datetime | None = None, tenant_id: int | None = None) -> list[Taken]:
    """Take the due steps of every engagement (of one tenant, if given) due by ``as_of``."""
    horizon = as_of or rt.clock()
    taken: list[Taken] = []
    after = None
    while True:
        with rt.reader() as uow:
            batch = uow.engagements.due(tenant_id, horizon, BATCH, after)
        for _, engagement_id in batch:
            taken += _advance(rt, engagement_id, horizon, as_of)
        if len(batch) < BATCH:
            return taken
        after = batch[-1]  # keyset: an engagement stuck in the past is not read again


def _advance(rt: Runtime, engagement_id: int, horizon: datetime, as_of: datetime | None) -> list[Taken]:
    try:
        with rt.writer() as uow:
            engagement = uow.engagements.claim_due(engagement_id, horizon)
            if engagement is None:
                return []  # another sweeper holds it, or has just taken its steps
            tenant = uow.tenants.get(engagement.tenant_id)
            assert tenant is not None, "engagements belong to a tenant"
            # A sandbox lives at its own time; an operator's --as-of stands for live tenants only.
            now = rt.now_for(tenant) if tenant.sandbox or as_of is None else as_of
            taken = take_due_steps(rt, uow, tenant, engagement, now)
            refresh_deadline(rt.workflow, engagement)  # also when nothing turned out to be due
            uow.commit()
            return taken
    except Exception:
        # One broken engagement must not hold up the others; it stays due and is retried.
        logger.exception("sweep: engagement %s failed", engagement_id)
        return []


def forecast(rt: Runtime, tenant_id: int, engagement_id: int, until: date) -> dict[str, Any]:
    """What the clock will do by the end of ``until`` if nothing changes; writes nothing."""
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        engagement = loaded.engagement
        until = min(until, loaded.now.date() + FORECAST_REACH)
        end = start_of_day(until + timedelta(days=1)) - timedelta(microseconds=1)
        steps = [
            _forecast_view(engagement, s)
            for s in schedule.forecast(engagement, rt.workflow, end, uow.record.last_at(engagement))
        ]
        # Amendments of the terms come into force on their day too (see domain/amendments.py).
        for pending in amendments.pending(engagement):
            effective_on = date.fromisoformat(pending["effective_on"])
            if effective_on <= until:
                steps.append({"trigger": "terms_in_force", "at": start_of_day(effective_on), "documents": []})
    return {"until": until, "steps": sorted(steps, key=lambda s: s["at"])}


def _forecast_view(engagement: Engagement, step: schedule.Forecast) -> dict[str, Any]:
    view: dict[str, Any] = {"trigger": step.trigger, "at": step.at, "documents": list(step.documents)}
    if step.trigger == schedule.ISSUE_INVOICE:
        view["amount"] = amendments.fee_on(engagement, step.at.date())  # the fee in force that day
    return view


def tick(rt: Runtime, tenant_id: int, as_of: datetime | None) -> dict[str, Any]:
    """The caller's sweep; a sandbox tenant may first move its clock forward to ``as_of``."""
    with rt.writer() as uow:
        tenant = uow.tenants.get(tenant_id, lock=True)
        if tenant is None:
            raise NotFound("account", tenant_id)
        if as_of is not None:
            _move_clock(rt, tenant, as_of)
            uow.commit()
        now = rt.now_for(tenant)
    return {"as_of": now, "steps": sweep(rt, as_of=now, tenant_id=tenant_id)}


def _move_clock(rt: Runtime, tenant: Tenant, as_of: datetime) -> None:
    if not tenant.sandbox:
        raise Forbidden("Only a sandbox account can set its clock; a live account runs on real time.")
    current = rt.now_for(tenant)
    if as_of < current:
        raise Conflict(
            f"The sandbox clock is at {current.isoformat()}; it only moves forward, "
            f"so it cannot go back to {as_of.isoformat()}."
        )
    tenant.clock_at = as_of
