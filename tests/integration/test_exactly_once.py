"""A payment is applied once: a worker killed between the commit and the answer (issue 31, finding 3).

A real process serves one request with an Idempotency-Key and is SIGKILLed right after its
first commit after the key's claim: the commit that makes the effect durable. The client never
got an answer, so it retries with the same key after the claim's lease. The effect exists
exactly once, and the retry is answered with the first request's stored answer. Before the fix
the answer was stored in a transaction of its own after the effect's, and the retry applied
the payment (created the engagement, fired the trigger) a second time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from service.application import clock as clock_module
from service.application.idempotency import CLAIM_LEASE
from tests.api.test_hostile_input import Targets
from tests.bodies import valid_bodies
from tests.conftest import Api, FakeClock, engagement_body

# The child: the same app, its clock at the test's instant; it dies right after its second
# database COMMIT (the first is the Idempotency-Key's claim), before any answer leaves.
WORKER = textwrap.dedent(
    """
    import json, os, signal, sys
    from datetime import datetime
    from sqlalchemy import event
    from sqlalchemy.orm import Session
    from service import create_app

    now = datetime.fromisoformat(sys.argv[1])
    key, path, body = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    app = create_app({"TESTING": True, "CLOCK": lambda: now, "FAILED_AUTH_LIMIT": "1000 per minute"})
    commits = []

    @event.listens_for(Session, "after_commit")
    def _die_after_the_effect(session):
        if session.in_nested_transaction():
            return  # a savepoint released: nothing is durable yet
        commits.append(1)
        if len(commits) == 2:
            os.kill(os.getpid(), signal.SIGKILL)

    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "pay-once"}
    client.post(path, json=body, headers=headers)
    print("answered: the worker was not killed")
    """
)


def _count(app: Flask, sql: str) -> int:
    with app.extensions["sql_engine"].connect() as connection:
        return int(connection.execute(text(sql)).scalar() or 0)


def _killed_between_commit_and_answer(
    api: Api, clock: FakeClock, database_url: str, path: str, body: Any
) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    worker = subprocess.run(
        [sys.executable, "-c", WORKER, clock.now.isoformat(), api.key, path, json.dumps(body)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == -signal.SIGKILL, (worker.returncode, worker.stdout, worker.stderr[-2000:])


CASES: dict[str, tuple[Callable[[dict[str, Any]], str], Any, str]] = {
    "payment": (
        lambda e: f"/v1/engagements/{e['id']}/payments",
        {"amount": "100.00", "received_on": "2026-12-01", "reference": "Transfer 1"},
        "SELECT count(*) FROM events WHERE type = 'payment_received'",
    ),
    "engagement creation": (
        lambda e: "/v1/engagements",
        engagement_body(),
        "SELECT count(*) FROM engagements",
    ),
    "transition": (
        lambda e: f"/v1/engagements/{e['id']}/transitions",
        {"trigger": "request_feedback", "data": {"subject": "Plan"}},
        "SELECT count(*) FROM events WHERE type = 'transition'",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_a_worker_killed_between_commit_and_answer_applies_once(
    app: Flask, api: Api, clock: FakeClock, database_url: str, case: str
) -> None:
    url_of, body, effects = CASES[case]
    engagement = api.create_engagement()
    path = url_of(engagement)
    before = _count(app, effects)
    _killed_between_commit_and_answer(api, clock, database_url, path, body)
    assert _count(app, effects) == before + 1  # the effect committed; its answer never left

    clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)  # a claim left unanswered is taken over now
    retry = api.post(path, json=body, headers={"Idempotency-Key": "pay-once"})
    assert retry.status_code in (200, 201), retry.json
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert _count(app, effects) == before + 1
    again = api.post(path, json=body, headers={"Idempotency-Key": "pay-once"})
    assert (again.status_code, again.json) == (retry.status_code, retry.json)
    assert api.get(f"/v1/engagements/{engagement['id']}/events/verify").json["valid"] is True


POSTS = sorted(path for method, path in valid_bodies() if method == "post")


@pytest.mark.parametrize("path", POSTS)
def test_every_post_with_a_key_answers_as_without_one_and_replays_it(api: Api, path: str) -> None:
    """Every POST runs in one transaction with its stored answer: none of them needs a second
    transaction of its own, or breaks inside the shared one (a 5xx), and each replays."""
    # No delivery exists to retry: its 404 is an answer to replay like any other.
    url = path.format(delivery_id=1) if "{delivery_id}" in path else Targets(api).url(path)[0]
    body = valid_bodies()[("post", path)]
    if isinstance(body, bytes):
        send = {"data": body, "headers": {"Content-Type": "message/rfc822", "Idempotency-Key": "each-post"}}
    else:
        send = {"json": body, "headers": {"Idempotency-Key": "each-post"}}
    first = api.post(url, **send)
    assert first.status_code < 500, first.json
    again = api.post(url, **send)
    assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_tick_with_a_key_keeps_the_steps_it_took_before_a_failure(
    api: Api, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tick commits step by step on purpose (a failure keeps what was taken): its request does
    not become one transaction, and its retry takes only what is still due."""
    healthy, broken = api.create_engagement(), api.create_engagement()
    real_apply = clock_module.apply_trigger

    def failing(rt: Any, uow: Any, tenant: Any, engagement: Any, *args: Any, **kwargs: Any) -> Any:
        if engagement.id == broken["id"]:
            raise RuntimeError("the renderer fell over")
        return real_apply(rt, uow, tenant, engagement, *args, **kwargs)

    monkeypatch.setattr(clock_module, "apply_trigger", failing)
    clock.advance(days=1)
    failed = api.post("/v1/clock/tick", json={}, headers={"Idempotency-Key": "tick-1"})
    assert failed.status_code == 503
    assert api.get(f"/v1/engagements/{healthy['id']}").json["state"] != "active"  # kept
    monkeypatch.setattr(clock_module, "apply_trigger", real_apply)
    retried = api.post("/v1/clock/tick", json={}, headers={"Idempotency-Key": "tick-1"})
    assert retried.status_code == 200  # a 503 released the key: the retry ran
    assert [s["engagement_id"] for s in retried.json["steps"]] == [broken["id"]]
