"""The bench's same-work floor (``bench/same_work_floor.py``) must write what our route writes,
or its ratio compares unlike work: the same state, one record entry that verifies with the
service's key, one outbox row, the same next deadline; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from sqlalchemy import select

from bench.same_work_floor import create_same_work_floor_app
from service.adapters.orm import engagements, events, feedback_requests, outbox
from service.application.record import verify_record
from service.application.runtime import Runtime
from tests.conftest import Api, FakeClock

BODY = {"trigger": "receive_feedback", "data": {"summary": "Approved, with two changes"}, "note": "by phone"}


def awaiting_feedback(api: Api) -> int:
    engagement_id = api.create_engagement()["id"]
    asked = api.fire(engagement_id, "request_feedback", subject="Approve the plan")
    assert asked.status_code == 200, asked.json
    return engagement_id


def written(app: Flask, engagement_id: int) -> dict[str, Any]:
    """What a transition leaves behind, with the engagement's own id and hashes taken out."""
    with app.extensions["sql_engine"].connect() as c:
        row = c.execute(select(engagements).where(engagements.c.id == engagement_id)).one()
        last = c.execute(
            select(events).where(events.c.engagement_id == engagement_id).order_by(events.c.seq.desc())
        ).first()
        request = c.execute(
            select(feedback_requests).where(feedback_requests.c.engagement_id == engagement_id)
        ).one()
        bodies = [json.loads(b) for b in c.execute(select(outbox.c.body)).scalars()]
    assert last is not None
    announced = [
        b for b in bodies if b["data"]["engagement_id"] == engagement_id and b["data"]["seq"] == last.seq
    ]
    for body in announced:
        del body["data"]["engagement_id"], body["data"]["hash"]
    return {
        "engagement": {k: row._mapping[k] for k in ("state", "version", "record_seq", "next_deadline")},
        "entry": (last.seq, last.type, last.occurred_at, last.payload),
        "feedback_request": (request.answered_at, request.days_late, request.next_reminder_on),
        "announcements": announced,
    }


def test_the_floor_writes_what_our_route_writes(
    app: Flask, api: Api, runtime: Runtime, clock: FakeClock
) -> None:
    ours_id, floor_id = awaiting_feedback(api), awaiting_feedback(api)
    clock.advance(days=5)  # two days past the request's answer-by day: days_late counts
    floor = create_same_work_floor_app(
        app.config["DATABASE_URL"], clock=clock, signing_key=app.config["RECORD_SIGNING_KEY"]
    ).test_client()

    assert api.post(f"/v1/engagements/{ours_id}/transitions", json=BODY).status_code == 200
    answer = floor.post(f"/floor/engagements/{floor_id}/transitions", json=BODY, headers=api.headers)
    assert answer.status_code == 200, answer.json

    ours, theirs = written(app, ours_id), written(app, floor_id)
    assert theirs == ours
    assert theirs["engagement"]["state"] == "active" and len(theirs["announcements"]) == 1
    assert verify_record(runtime, api.tenant_id, floor_id).valid


def test_the_floor_refuses_what_our_route_refuses(app: Flask, api: Api, clock: FakeClock) -> None:
    """Its hand-written checks stand for our schema and auth: without them it would do less."""
    engagement_id = awaiting_feedback(api)
    floor = create_same_work_floor_app(
        app.config["DATABASE_URL"], clock=clock, signing_key=app.config["RECORD_SIGNING_KEY"]
    ).test_client()
    path = f"/floor/engagements/{engagement_id}/transitions"
    assert floor.post(path, json=BODY, headers={"Authorization": "Bearer wrong"}).status_code == 401
    too_long = {"trigger": "receive_feedback", "data": {"summary": "x" * 5001}}
    refused = floor.post(path, json=too_long, headers=api.headers)
    assert refused.status_code == 422 and "data.summary" in refused.json["detail"]
    assert floor.post(path, json={"trigger": "close"}, headers=api.headers).status_code == 422
    with app.extensions["sql_engine"].connect() as c:
        assert c.execute(
            select(engagements.c.state).where(engagements.c.id == engagement_id)
        ).scalar_one() == ("awaiting_feedback")
