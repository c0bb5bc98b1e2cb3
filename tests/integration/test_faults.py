"""Faults on real processes: racing writers, a sweeper killed mid-run. Nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from tests.conftest import Api, FakeClock
from tests.seeding import copy_engagement

FLASK = str(Path(sys.executable).with_name("flask"))
AS_OF = "2026-12-03T12:00:00Z"


def _count(app: Flask, sql: str) -> int:
    with app.extensions["sql_engine"].connect() as connection:
        return int(connection.execute(text(sql)).scalar() or 0)


def _wait_for(condition, seconds: float = 120) -> None:
    """Poll a condition on the database: waiting for a state, not timing anything."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def test_a_sweeper_killed_mid_run_loses_and_doubles_nothing(app: Flask, api: Api, database_url: str) -> None:
    e = api.create_engagement()  # its December invoice is overdue from the 2nd
    with app.extensions["sql_engine"].begin() as connection:
        copy_engagement(connection, e["id"], 299)
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [FLASK, "--app", "service", "tick", "--as-of", AS_OF]
    transitions = "SELECT count(*) FROM events WHERE type = 'transition'"
    victim = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _wait_for(lambda: _count(app, transitions) >= 20)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    done_before_the_kill = _count(app, transitions)
    assert 20 <= done_before_the_kill < 300

    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)
    per_engagement = (
        "SELECT count(*) FROM (SELECT engagement_id FROM events WHERE type = 'transition' "
        "GROUP BY engagement_id HAVING count(*) = 1) one_each"
    )
    assert _count(app, transitions) == 300
    assert _count(app, per_engagement) == 300
    assert _count(app, "SELECT count(*) FROM documents WHERE kind = 'payment_reminder'") == 300
    assert _count(app, f"SELECT count(*) FROM engagements WHERE next_deadline <= '{AS_OF}'") == 0


RACER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from service import create_app
    from service.application.transitions import fire_transition
    from service.domain.errors import Conflict, InvalidTrigger

    day = datetime.fromisoformat(sys.argv[1])  # the test's day, not the wall clock's
    app = create_app({"TESTING": True, "CLOCK": lambda: day})
    runtime = app.extensions["runtime"]
    tenant, ids = int(sys.argv[2]), [int(i) for i in sys.argv[3:]]
    applied = 0
    for engagement in ids:
        try:
            fire_transition(runtime, tenant, engagement, "receive_feedback", data={}, note=None)
            applied += 1
        except (Conflict, InvalidTrigger):
            pass
    print(applied)
    """
)


def test_two_processes_racing_the_same_transitions_apply_each_once(
    api: Api, database_url: str, clock: FakeClock
) -> None:
    ids = []
    for n in range(60):
        e = api.create_engagement()
        assert api.fire(e["id"], "request_feedback", subject=f"Question {n}").status_code == 200
        ids.append(str(e["id"]))
    env = {**os.environ, "DATABASE_URL": database_url}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, clock.now.isoformat(), str(api.tenant_id), *order],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for order in (ids, ids[::-1])
    ]
    applied = [int(racer.communicate(timeout=600)[0].strip()) for racer in racers]
    assert sum(applied) == 60, applied
    for engagement in ids:
        record = api.get(f"/v1/engagements/{engagement}/events").json
        triggers = [ev["payload"]["trigger"] for ev in record if ev["type"] == "transition"]
        assert triggers == ["request_feedback", "receive_feedback"]
        assert api.get(f"/v1/engagements/{engagement}/events/verify").json["valid"] is True
