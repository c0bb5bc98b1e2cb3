"""Fairness across tenants: one tenant's backlog cannot hold up another's due step beyond a pass.

Time is the injected clock; "within two passes" is counted in passes, not seconds.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from service.adapters.orm import engagements, tenants
from service.application.clock import Budget, sweep_pass
from tests.api.test_billing import pay
from tests.conftest import Api, FakeClock
from tests.seeding import copy_engagement

BACKLOG = 10_000
SLICE = Budget(per_engagement=5, per_tenant=20)  # small slices keep the test quick; the rule is the same


def _due(app: Flask, tenant_id: int, now: datetime) -> int:
    query = select(func.count()).where(
        engagements.c.tenant_id == tenant_id, engagements.c.next_deadline <= now
    )
    with app.extensions["sql_engine"].connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_a_live_step_is_taken_within_two_passes_behind_a_backlog_of_10000(
    app: Flask, api: Api, other_api: Api, clock: FakeClock
) -> None:
    # Tenant A: 10,000 engagements, each overdue from 2 December (one step each, due first).
    backlog = api.create_engagement()
    with app.extensions["sql_engine"].begin() as connection:
        copy_engagement(connection, backlog["id"], BACKLOG - 1)
    # Tenant B: paid up, waiting for feedback; its first reminder falls due a few days later.
    waiting = other_api.create_engagement()
    assert pay(other_api, waiting["id"], "1200.00", "2026-12-01").status_code == 201
    assert other_api.fire(waiting["id"], "request_feedback", subject="Approve the plan").status_code == 200
    forecast = other_api.get(f"/v1/engagements/{waiting['id']}/forecast?until=2026-12-31").json
    reminder_due = datetime.fromisoformat(forecast["steps"][0]["at"])
    assert reminder_due > datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    rt = app.extensions["runtime"]

    clock.now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    first = sweep_pass(rt, budget=SLICE)
    assert Counter(t.engagement_id > waiting["id"] for t in first.taken) == {False: SLICE.per_tenant}
    assert first.more

    clock.now = reminder_due  # B's step falls due mid-backlog
    second = sweep_pass(rt, budget=SLICE)
    assert [(t.engagement_id, t.trigger) for t in second.taken if t.engagement_id == waiting["id"]] == [
        (waiting["id"], "remind_feedback")
    ]
    assert len(second.taken) == SLICE.per_tenant + 1  # A's slice, and B's step
    assert _due(app, api.tenant_id, clock.now) == BACKLOG - 2 * SLICE.per_tenant  # still being worked off
    assert _due(app, other_api.tenant_id, clock.now) == 0


def test_an_engagements_own_backlog_is_taken_in_slices_and_then_finished(
    app: Flask, sandbox_api: Api, clock: FakeClock
) -> None:
    """A sandbox a year ahead of real time: the background sweeper works at the sandbox's time,
    a slice per pass, until nothing is due; each step once."""
    e = sandbox_api.create_engagement()
    assert sandbox_api.fire(e["id"], "request_feedback", subject="Approve the plan").status_code == 200
    forecast = sandbox_api.get(f"/v1/engagements/{e['id']}/forecast?until=2027-12-01").json["steps"]
    with app.extensions["sql_engine"].begin() as connection:  # moved without its tick's sweep
        connection.execute(
            tenants.update()
            .where(tenants.c.id == sandbox_api.tenant_id)
            .values(clock_at=datetime(2027, 12, 1, 9, 0, tzinfo=UTC))
        )
    rt = app.extensions["runtime"]
    passes = []
    while not passes or passes[-1].more:
        passes.append(sweep_pass(rt, budget=SLICE))
        assert len(passes) < 100
    sizes = [len(p.taken) for p in passes]
    assert all(size <= SLICE.per_engagement for size in sizes)
    assert len(passes) > 2  # a year of reminders and invoices does not fit one slice
    taken = [(t.trigger, t.at.isoformat()) for p in passes for t in p.taken]
    assert taken == [(s["trigger"], s["at"]) for s in forecast if s["at"] <= "2027-12-01T09:00:00+00:00"]
    assert _due(app, sandbox_api.tenant_id, datetime(2027, 12, 1, 9, 0, tzinfo=UTC)) == 0
