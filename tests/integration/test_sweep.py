"""Several sweepers sharing the work exactly once, on both backends.

That the sweep agrees with the forecast is the application's: tests/unit/application/test_clock.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from tests.conftest import Api
from tests.seeding import copy_engagement

# Three of the sweep's batches of 200 (service/application/clock.py BATCH) and three passes of
# each sweeper (Budget.per_tenant 200), so that both sweepers read the same due list and page past
# it while the other is taking steps from it; 2,000 steps took 45-65 s a backend and proved no
# more. That the two really overlapped is asserted (each takes some of the steps; they split about
# 300/300), which the 2,000-step version never checked. Mutation check: sweepers whose claim took
# no lock, did not re-check the deadline and had no version check still took each step once, at
# 600 steps and (SQLite) at 2,000: on PostgreSQL they collided from the first engagements and the
# record's unique (engagement_id, seq) refused every second copy. What this proves is the property
# held end to end, not that the claim alone holds it; more steps would not change that.
STEPS = 600

FLASK = str(Path(sys.executable).with_name("flask"))


def test_two_sweepers_take_each_of_600_steps_exactly_once(app: Flask, api: Api, database_url: str) -> None:
    """PostgreSQL shares the work with SKIP LOCKED; SQLite takes turns (one writer at a time)."""
    engine = app.extensions["sql_engine"]
    e = api.create_engagement()  # 1 December: its invoice is overdue from the 2nd
    with engine.begin() as connection:
        copy_engagement(connection, e["id"], STEPS - 1)
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
    assert (total, engagements, due_left) == (STEPS, STEPS, 0)
    counts = [int(out.strip().splitlines()[-1].split()[0]) for out in outputs]
    assert sum(counts) == STEPS
    # Both sweepers worked at once: a run where one finished before the other began proves nothing.
    assert min(counts) > 0, f"steps taken by each sweeper: {counts}"
    print(f"steps taken by each sweeper: {counts}")
