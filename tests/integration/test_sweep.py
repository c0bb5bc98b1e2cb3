"""The sweep: agreement with the forecast, and several sweepers sharing the work exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from tests.conftest import Api, FakeClock
from tests.seeding import copy_engagement

FLASK = str(Path(sys.executable).with_name("flask"))


def test_the_forecast_is_what_the_ticks_then_do(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement()
    api.post(
        f"/v1/engagements/{e['id']}/payments",
        json={"amount": "1200.00", "received_on": "2026-12-01", "reference": "December"},
    )
    api.fire(e["id"], "request_feedback", subject="Approve the plan")
    forecast = api.get(f"/v1/engagements/{e['id']}/forecast?until=2027-03-31").json
    predicted = [(s["trigger"], s["at"]) for s in forecast["steps"]]
    # Reminders every 3 business days, then January unpaid: overdue, paused, more invoices.
    assert [t for t, _ in predicted].count("remind_feedback") == 7
    assert predicted[7] == ("issue_invoice", "2027-01-01T00:00:00+00:00")
    assert forecast["steps"][8] == {
        "trigger": "mark_payment_overdue",
        "at": "2027-01-02T00:00:00+00:00",
        "documents": ["payment_reminder"],
    }
    transitions = [
        ev for ev in api.get(f"/v1/engagements/{e['id']}/events").json if ev["type"] == "transition"
    ]
    assert transitions[-1]["payload"]["trigger"] == "request_feedback"  # forecasting wrote nothing

    taken = []
    while clock.now.date().isoformat() < "2027-03-31":
        clock.advance(days=3)
        response = api.post("/v1/clock/tick", json={})
        taken += [(s["trigger"], s["at"]) for s in response.json["steps"]]
    assert [step for step in taken if step[1] < "2027-04-01"] == predicted


def test_two_sweepers_take_each_of_2000_steps_exactly_once(app: Flask, api: Api, database_url: str) -> None:
    """PostgreSQL shares the work with SKIP LOCKED; SQLite takes turns (one writer at a time)."""
    engine = app.extensions["sql_engine"]
    e = api.create_engagement()  # 1 December: its invoice is overdue from the 2nd
    with engine.begin() as connection:
        copy_engagement(connection, e["id"], 1999)
    command = [FLASK, "--app", "service", "tick", "--as-of", "2026-12-03T12:00:00Z"]
    env = {**os.environ, "DATABASE_URL": database_url}
    sweepers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [sweeper.communicate(timeout=600)[0] for sweeper in sweepers]
    assert [s.returncode for s in sweepers] == [0, 0]
    with engine.connect() as connection:
        total, engagements = connection.execute(
            text("SELECT count(*), count(DISTINCT engagement_id) FROM events WHERE type = 'transition'")
        ).one()
        due_left = connection.execute(
            text("SELECT count(*) FROM engagements WHERE next_deadline <= '2026-12-03T12:00:00Z'")
        ).scalar()
    assert (total, engagements, due_left) == (2000, 2000, 0)
    counts = [int(out.strip().splitlines()[-1].split()[0]) for out in outputs]
    assert sum(counts) == 2000
    print(f"steps taken by each sweeper: {counts}")
