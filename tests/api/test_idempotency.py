"""Idempotency-Key on POST: a retry returns the first answer and changes nothing."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import text

from service.adapters.repository import StoredResponseRepository
from service.application.clock import sweep
from service.application.idempotency import CLAIM_LEASE, claim, fingerprint
from service.application.runtime import Retention, Runtime
from tests.conftest import Api, FakeClock, engagement_body, post_together


def create(api: Api, key: str, **changes: object):
    return api.post("/v1/engagements", json=engagement_body(**changes), headers={"Idempotency-Key": key})


def count(api: Api) -> int:
    return len(api.get("/v1/engagements").json["items"])


def test_a_retry_returns_the_first_answer_and_changes_nothing(api: Api) -> None:
    first = create(api, "create-rossi-1")
    again = create(api, "create-rossi-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(api) == 1


def test_same_key_with_another_body_is_422_naming_the_header(api: Api) -> None:
    create(api, "k1")
    other = create(api, "k1", monthly_fee="900.00")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json["errors"]
    assert count(api) == 1


def test_an_error_answer_is_replayed_too(api: Api) -> None:
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/transitions"
    body = {"trigger": "receive_feedback"}
    first = api.post(path, json=body, headers={"Idempotency-Key": "t1"})
    api.fire(e["id"], "request_feedback", subject="Plan")  # now receive_feedback could fire
    again = api.post(path, json=body, headers={"Idempotency-Key": "t1"})
    assert first.status_code == again.status_code == 409
    assert api.get(f"/v1/engagements/{e['id']}").json["state"] == "awaiting_feedback"


def test_a_retry_while_the_first_still_runs_is_409(api: Api, runtime: Runtime) -> None:
    raw = json.dumps(engagement_body()).encode()
    # The first attempt has claimed the key and is still running (it has stored no answer yet).
    assert claim(runtime, api.tenant_id, "busy", fingerprint("POST", "/v1/engagements?", raw)) is None
    retry = api.post(
        "/v1/engagements", data=raw, headers={"Content-Type": "application/json", "Idempotency-Key": "busy"}
    )
    assert retry.status_code == 409
    assert "still being processed" in retry.json["detail"]
    assert count(api) == 0


def test_keys_expire_after_24_hours(api: Api, clock: FakeClock) -> None:
    create(api, "daily")
    clock.advance(hours=24, minutes=1)
    assert create(api, "daily", monthly_fee="900.00").status_code == 201
    assert count(api) == 2


def test_keys_belong_to_one_tenant(api: Api, other_api: Api) -> None:
    create(api, "shared-name")
    theirs = other_api.post(
        "/v1/engagements", json=engagement_body(), headers={"Idempotency-Key": "shared-name"}
    )
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers


def test_ten_concurrent_requests_with_one_key_have_one_effect(app: Flask, api: Api) -> None:
    headers = {**api.headers, "Idempotency-Key": "burst"}
    statuses = post_together(app, 10, "/v1/engagements", engagement_body(), headers)
    assert count(api) == 1
    assert set(Counter(statuses)) <= {201, 409}, statuses
    assert Counter(statuses)[201] >= 1


def test_too_long_key_is_422(api: Api) -> None:
    assert create(api, "k" * 256).status_code == 422


def test_a_key_whose_request_died_is_released_once_its_lease_runs_out(
    api: Api, runtime: Runtime, clock: FakeClock
) -> None:
    raw = json.dumps(engagement_body()).encode()
    # A request claimed the key, then its worker was killed: no answer was ever stored.
    assert claim(runtime, api.tenant_id, "crashed", fingerprint("POST", "/v1/engagements?", raw)) is None
    headers = {"Content-Type": "application/json", "Idempotency-Key": "crashed"}
    clock.advance(seconds=CLAIM_LEASE.total_seconds() - 1)
    assert api.post("/v1/engagements", data=raw, headers=headers).status_code == 409  # it may still run
    clock.advance(seconds=2)
    retry = api.post("/v1/engagements", data=raw, headers=headers)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers
    again = api.post("/v1/engagements", data=raw, headers=headers)
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
    assert count(api) == 1


def test_the_sweeper_purges_answers_older_than_24_hours_in_batches(
    app: Flask, api: Api, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        create(api, f"old-{n}", client={"name": f"Client {n}", "email": f"c{n}@example.com"})
    clock.advance(hours=23)
    create(api, "recent")
    clock.advance(hours=1, seconds=1)
    batches: list[int] = []
    original = StoredResponseRepository.delete_older_than

    def counted(self: StoredResponseRepository, cutoff: datetime, limit: int) -> int:
        batches.append(original(self, cutoff, limit))
        return batches[-1]

    monkeypatch.setattr(StoredResponseRepository, "delete_older_than", counted)
    runtime = app.extensions["runtime"]
    monkeypatch.setattr(runtime, "retention", Retention(batch=2))
    sweep(runtime)
    assert batches == [2, 2, 1]
    with app.extensions["sql_engine"].connect() as connection:
        keys = connection.execute(text("SELECT key FROM stored_responses")).scalars().all()
    assert keys == ["recent"]
