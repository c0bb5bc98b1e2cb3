"""The clock: the sweep that takes every automatic step due (a sandbox's own time: ``sandbox_clock``).

The sweep works in passes. Each pass visits every tenant with a step due, in turn, and gives
each one a bounded slice (``Budget``): a tenant with a backlog of thousands of steps gets its
slice and waits for the next pass, so it delays another tenant's due step by one slice at most.
Within a slice each engagement is taken in its own transaction under its row lock, re-read
there: several sweepers can run at once, each skipping the rows another holds, and no step is
ever taken twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from service.application import retention, sandbox_clock
from service.application.deadlines import refresh_deadline, take_calendar_step
from service.application.loading import load_for_reading
from service.application.runtime import Runtime
from service.application.transitions import apply_trigger
from service.application.unit_of_work import UnitOfWork
from service.domain import amendments, schedule
from service.domain.errors import NotFound, SenderIncomplete, Unavailable
from service.domain.model import Engagement, Tenant
from service.domain.schedule import Step, run_due

BATCH = 200
FORECAST_REACH = timedelta(days=5 * 366)  # a simulation has to stop somewhere
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Budget:
    """Steps one pass may take: per engagement, and per tenant (its slice)."""

    per_engagement: int = 50
    per_tenant: int = 200


# A tick answers one tenant's request: a bigger slice, still bounded (the rest is the sweeper's).
TICK_BUDGET = Budget(per_engagement=1_000, per_tenant=2_000)


@dataclass(frozen=True)
class Taken:
    engagement_id: int
    trigger: str
    at: datetime
    seq: int


@dataclass(frozen=True)
class Failure:
    engagement_id: int
    error: str
    missing_sender: tuple[str, ...] = ()  # the step would write a letter the account cannot sign yet


@dataclass
class Pass:
    taken: list[Taken] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    more: bool = False  # some slice ran out while steps were still due


def take_due_steps(
    rt: Runtime,
    uow: UnitOfWork,
    tenant: Tenant,
    engagement: Engagement,
    now: datetime,
    limit: int | None = None,
) -> list[Taken]:
    """The steps due by ``now`` in date order (at most ``limit``), each dated when it fell due.

    Stopping after ``limit`` leaves the engagement consistent: the steps taken are complete and
    the next one is still due, for the next pass.
    """

    def take(step: Step, at: datetime) -> Taken:
        if step.trigger == schedule.TERMS_IN_FORCE or step.invoice is not None:
            event = take_calendar_step(uow, engagement, step, at)
        else:
            event = apply_trigger(rt, uow, tenant, engagement, step.trigger, at, actor="clock").event
        return Taken(engagement.id or 0, step.trigger, at, event.seq)

    return run_due(engagement, rt.workflow, now, uow.record.last_at(engagement), take, limit=limit)


def sweep(rt: Runtime, *, as_of: datetime | None = None, budget: Budget = Budget()) -> list[Taken]:
    """Passes over every tenant until nothing is due (what cron or ``tick --every`` runs), then
    what the retention allows to forget is pruned (``retention.py``: delivered webhooks, old
    idempotency answers; never the record).

    ``as_of`` (an operator's) stands for live tenants only: a sandbox lives at its own time.
    """
    taken: list[Taken] = []
    while True:
        done = sweep_pass(rt, as_of=as_of, budget=budget)
        taken += done.taken
        if not done.more:
            break
    retention.prune(rt)  # housekeeping rides on the same schedule
    return taken


def sweep_pass(
    rt: Runtime, *, as_of: datetime | None = None, tenant_id: int | None = None, budget: Budget = Budget()
) -> Pass:
    """One round-robin pass: each tenant with a step due gets one slice of ``budget``."""
    with rt.reader() as uow:
        tenants = uow.engagements.tenants_due(as_of or rt.clock(), rt.clock(), tenant_id)
    result = Pass()
    for due_tenant, horizon in tenants:
        _tenant_slice(rt, due_tenant, horizon, budget, result)
    return result


def _tenant_slice(rt: Runtime, tenant_id: int, horizon: datetime, budget: Budget, result: Pass) -> None:
    left, after = budget.per_tenant, None
    while True:
        with rt.reader() as uow:
            batch = uow.engagements.due(tenant_id, horizon, BATCH, after)
        for _, engagement_id in batch:
            if left <= 0:
                result.more = True
                return
            limit = min(left, budget.per_engagement)
            taken = _advance(rt, engagement_id, horizon, limit, result)
            result.taken += taken
            left -= len(taken)
            result.more = result.more or len(taken) == limit
        if len(batch) < BATCH:
            return
        after = batch[-1]  # keyset: an engagement stuck in the past is not read again this pass


def _advance(rt: Runtime, engagement_id: int, horizon: datetime, limit: int, result: Pass) -> list[Taken]:
    try:
        with rt.writer() as uow:
            engagement = uow.engagements.claim_due(engagement_id, horizon)
            if engagement is None:
                return []  # another sweeper holds it, or has just taken its steps
            tenant = uow.tenants.get(engagement.tenant_id)
            assert tenant is not None, "engagements belong to a tenant"
            taken = take_due_steps(rt, uow, tenant, engagement, horizon, limit)
            refresh_deadline(rt.workflow, engagement)  # also when nothing turned out to be due
            uow.commit()
            return taken
    except SenderIncomplete as error:
        # Not a fault: the account has to set its sender details first. Nothing of this
        # engagement's steps was kept; they stay due and are taken once the details are set.
        logger.warning(
            "sweep: engagement %s waits for its account's sender details (%s); its steps stay due",
            engagement_id,
            ", ".join(error.missing),
        )
        result.failures.append(Failure(engagement_id, type(error).__name__, tuple(error.missing)))
        return []
    except Exception as error:
        # One broken engagement must not hold up the others; it stays due and is retried.
        logger.exception("sweep: engagement %s failed", engagement_id)
        result.failures.append(Failure(engagement_id, type(error).__name__))
        return []


def forecast(rt: Runtime, tenant_id: int, engagement_id: int, until: date) -> dict[str, Any]:
    """What the clock will do by the end of ``until`` if nothing changes; writes nothing."""
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        engagement = loaded.engagement
        until = min(until, engagement.day_of(loaded.now) + FORECAST_REACH)
        end = engagement.start_of(until + timedelta(days=1)) - timedelta(microseconds=1)
        steps = [
            _forecast_view(engagement, s)
            for s in schedule.forecast(engagement, rt.workflow, end, uow.record.last_at(engagement))
        ]
    return {"until": until, "steps": sorted(steps, key=lambda s: s["at"])}


def _forecast_view(engagement: Engagement, step: schedule.Forecast) -> dict[str, Any]:
    view: dict[str, Any] = {"trigger": step.trigger, "at": step.at, "documents": list(step.documents)}
    if step.trigger == schedule.ISSUE_INVOICE:
        view["amount"] = amendments.fee_on(engagement, engagement.day_of(step.at))  # the fee that day
    return view


def tick(rt: Runtime, tenant_id: int, as_of: datetime | None) -> dict[str, Any]:
    """The caller's sweep; a sandbox tenant may first move its clock forward to ``as_of``.

    A failure answers 503 naming it (the steps taken before it stay taken); steps beyond the
    tick's budget are left to the background sweeper and ``more_due`` says so.
    """
    with rt.writer() as uow:
        tenant = uow.tenants.get(tenant_id, lock=True)
        if tenant is None:
            raise NotFound("account", tenant_id)
        if as_of is not None:
            sandbox_clock.move_forward(rt, tenant, as_of)
            uow.commit()
        now = rt.now_for(tenant)
    done = sweep_pass(rt, tenant_id=tenant_id, budget=TICK_BUDGET)
    if done.failures and all(f.missing_sender for f in done.failures):  # one account: one list
        raise _waiting_for_sender(list(done.failures[0].missing_sender), done)
    if done.failures:
        failed = ", ".join(f"engagement {f.engagement_id} ({f.error})" for f in done.failures)
        raise Unavailable(
            f"The clock could not take the steps due for {failed}; {len(done.taken)} other step(s) "
            "were taken and kept. The failed ones stay due and are retried by the next tick."
        )
    return {"as_of": now, "steps": done.taken, "more_due": done.more}


def _waiting_for_sender(missing: list[str], done: Pass) -> SenderIncomplete:
    """The tick's own fault to fix (422, naming each field), with what was kept said plainly."""
    error = SenderIncomplete(missing)
    held = ", ".join(str(f.engagement_id) for f in done.failures)
    error.args = (
        f"The steps due for engagement(s) {held} write letters, and your sender details are "
        f"incomplete (missing: {', '.join(missing)}); those steps stay due and are taken once you "
        f"set them with PATCH /v1/tenant. {len(done.taken)} other step(s) were taken and kept.",
    )
    return error
