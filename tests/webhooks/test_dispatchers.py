"""The outbox is written with the change, and dispatchers deliver it at least once, never lost.

Every test runs on SQLite (claims serialised by the writer lock) and PostgreSQL (FOR UPDATE
SKIP LOCKED) through the parametrised app fixture.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from service.adapters.orm import outbox
from service.application.dispatcher import (
    LEASE,
    POSTING_BUDGET,
    SHARE,
    Round,
    deliver_round,
    deliver_until_idle,
)
from service.application.runtime import Runtime
from service.domain import webhooks
from service.domain.webhooks import OutboxMessage
from tests.conftest import ROOT, Api, FakeClock
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver

ANNOUNCEMENTS = 1_000


def _outbox_count(app: Flask) -> int:
    with app.extensions["sql_engine"].connect() as connection:
        return connection.execute(select(func.count()).select_from(outbox)).scalar_one()


def _announce(runtime: Runtime, tenant_id: int, count: int) -> None:
    now = runtime.clock()
    with runtime.writer() as uow:
        for n in range(count):
            body = webhooks.body("engagement.transitioned", now, {"n": n})
            uow.webhooks.announce(OutboxMessage(tenant_id, "engagement.transitioned", body, now))
        uow.commit()


def test_an_announced_change_and_its_outbox_row_commit_together(app: Flask, api: Api) -> None:
    engagement = api.create_engagement()
    before = _outbox_count(app)
    # Refused (no reason given): nothing changes, so nothing may be announced.
    refused = api.fire(engagement["id"], "begin_offboarding")
    assert refused.status_code == 422
    assert _outbox_count(app) == before
    assert api.fire(engagement["id"], "request_feedback", subject="Approve the plan").status_code == 200
    # The transition and its feedback_request document: two entries, two announcements.
    assert _outbox_count(app) == before + 2


def test_an_entry_without_an_event_type_is_not_announced(app: Flask, api: Api, clock: FakeClock) -> None:
    engagement = api.create_engagement()
    before = _outbox_count(app)
    work = {"date": clock.now.date().isoformat(), "summary": "Plan", "category": "content"}
    assert api.post(f"/v1/engagements/{engagement['id']}/work-log", json=work).status_code == 201
    assert _outbox_count(app) == before


def test_two_dispatchers_deliver_a_thousand_announcements_once_each(
    runtime: Runtime, api: Api, receiver: Receiver
) -> None:
    subscribe(api, receiver.url)
    _announce(runtime, api.tenant_id, ANNOUNCEMENTS)
    rounds = [Round(), Round()]
    errors: list[BaseException] = []

    def dispatcher(n: int) -> None:
        try:
            rounds[n] = deliver_until_idle(runtime, batch=10)
        except BaseException as exc:  # surfaced below: a thread's exception would vanish
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors
    ids = receiver.webhook_ids()
    assert len(ids) == ANNOUNCEMENTS and len(set(ids)) == ANNOUNCEMENTS
    assert sum(r.succeeded for r in rounds) == ANNOUNCEMENTS
    # Both took part (SKIP LOCKED let neither wait on the other): fanning out or delivering. Which
    # of the two delivers how much depends on the threads' timing, so neither is required to post.
    assert all(r.fanned_out + r.attempted > 0 for r in rounds), rounds


def test_a_dispatcher_killed_mid_batch_loses_nothing(
    app: Flask, runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    subscribe(api, receiver.url)
    _announce(runtime, api.tenant_id, ANNOUNCEMENTS)
    reached, release = threading.Event(), threading.Event()
    seen = 0

    def hold_the_thirtieth(_request: object) -> None:
        nonlocal seen
        seen += 1
        if seen == 30:
            reached.set()
            release.wait(timeout=60)

    receiver.on_request = hold_the_thirtieth
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "WEBHOOK_ALLOW_PRIVATE_TARGETS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "service", "deliver"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert reached.wait(timeout=120), process.stderr.read() if process.poll() is not None else ""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        receiver.on_request = None
        release.set()
        if process.poll() is None:
            process.kill()
        process.stderr.close()  # type: ignore[union-attr]

    # Restarted once the killed dispatcher's lease has run out (its rows are not taken before).
    # That dispatcher was a real process and leased its rows on the system clock, so this one
    # reads it too, the only wall-clock read of these tests (the rows themselves are dated on the
    # pinned day, and the hand-over holds on any day: `make test-on` runs it on another).
    clock.now = datetime.now(UTC) + LEASE + timedelta(seconds=1)
    deliver_until_idle(runtime)

    by_id: dict[str, set[bytes]] = {}
    for request in receiver.requests:
        by_id.setdefault(request.headers["webhook-id"], set()).add(request.body)
    assert len(by_id) == ANNOUNCEMENTS  # nothing lost
    assert all(len(bodies) == 1 for bodies in by_id.values())  # a repeat is the same message
    repeats = Counter(receiver.webhook_ids())
    # Only the killed round's posts are resent: one tenant's share of a round, the 30th its 10th.
    assert 30 % SHARE <= sum(n - 1 for n in repeats.values()) <= SHARE
    assert [json.loads(next(iter(b)))["data"]["n"] for b in by_id.values()].count(0) == 1


def test_a_slow_batch_stops_posting_before_its_lease_runs_out(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    subscribe(api, receiver.url)
    _announce(runtime, api.tenant_id, 5)

    def slow(_request: object) -> None:
        clock.advance(seconds=POSTING_BUDGET.total_seconds() + 1)  # as if the first post took that long

    receiver.on_request = slow
    first = deliver_round(runtime)
    assert (first.attempted, len(receiver.requests)) == (1, 1)
    receiver.on_request = None
    # The four it did not post were let go at once, not held until the lease ran out.
    assert deliver_round(runtime).attempted == 4
    assert len(set(receiver.webhook_ids())) == 5


def test_the_deliver_command_runs_one_round_and_says_what_it_did(
    app: Flask, api: Api, receiver: Receiver
) -> None:
    subscribe(api, receiver.url, ["engagement.created"])
    api.create_engagement()
    result = app.test_cli_runner().invoke(args=["deliver"])
    assert result.exit_code == 0, result.output
    assert "1 delivery attempt(s), 1 succeeded; 0 message(s) handed to SMTP." in result.output
    assert [json.loads(r.body)["type"] for r in receiver.requests] == ["engagement.created"]
