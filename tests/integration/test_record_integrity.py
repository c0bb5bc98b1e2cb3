"""The record under load and under attack: long histories verify; any altered entry is named."""

from __future__ import annotations

import random

from flask import Flask
from sqlalchemy import select, update

from service.adapters.orm import events
from tests.conftest import Api, FakeClock

OPERATIONS = 1000


def _random_history(api: Api, clock: FakeClock, rng: random.Random) -> list[int]:
    """OPERATIONS random valid-or-refused calls over three engagements; returns their ids."""
    ids = [api.create_engagement()["id"] for _ in range(3)]
    for _ in range(OPERATIONS):
        clock.advance(hours=rng.randint(1, 30))
        engagement = rng.choice(ids)
        action = rng.random()
        if action < 0.45:
            api.fire(engagement, "request_feedback", subject=f"Question {rng.randint(1, 999)}")
        elif action < 0.9:
            api.fire(engagement, "receive_feedback")
        else:
            api.fire(engagement, "begin_offboarding", reason="unresponsive")  # refused: no reminders
    return ids


def test_a_thousand_random_operations_leave_a_record_that_verifies(api: Api, clock: FakeClock) -> None:
    ids = _random_history(api, clock, random.Random(7))
    for engagement in ids:
        result = api.get(f"/v1/engagements/{engagement}/events/verify").json
        assert result["valid"] is True, result
        listed = api.get(f"/v1/engagements/{engagement}/events").json
        assert [e["seq"] for e in listed] == list(range(1, result["count"] + 1))


def _flip_one_character(value: str, rng: random.Random) -> str:
    position = rng.randrange(len(value))
    replacement = "0" if value[position] != "0" else "1"
    return value[:position] + replacement + value[position + 1 :]


def test_flipping_one_character_in_any_of_20_stored_events_is_named(
    app: Flask, api: Api, clock: FakeClock
) -> None:
    rng = random.Random(11)
    engagement = api.create_engagement()["id"]
    for n in range(30):
        clock.advance(hours=5)
        api.fire(engagement, "request_feedback", subject=f"Question {n}")
        api.fire(engagement, "receive_feedback")
    engine = app.extensions["sql_engine"]
    with engine.connect() as connection:
        rows = connection.execute(select(events).where(events.c.engagement_id == engagement)).mappings().all()
    for row in rng.sample(list(rows), 20):
        column = rng.choice(["type", "hash", "prev_hash", "payload"])
        if column == "payload":
            payload = dict(row["payload"])
            key = rng.choice(sorted(k for k, v in payload.items() if isinstance(v, str) and v))
            payload[key] = _flip_one_character(payload[key], rng)
            changed: object = payload
        else:
            changed = _flip_one_character(row[column], rng)
        with engine.begin() as connection:
            connection.execute(update(events).where(events.c.id == row["id"]).values({column: changed}))
        result = api.get(f"/v1/engagements/{engagement}/events/verify").json
        with engine.begin() as connection:
            connection.execute(update(events).where(events.c.id == row["id"]).values({column: row[column]}))
        assert result["valid"] is False, (column, row["seq"])
        assert result["first_broken"]["seq"] == row["seq"], (column, result)
    assert api.get(f"/v1/engagements/{engagement}/events/verify").json["valid"] is True
