"""A webhook delivery that cannot be posted fails alone (issue 31, "the dispatcher catches,
records and backs off per message"): a tenant's endpoint whose stored secret is unreadable gets
a failed attempt with the reason and a retry, and another tenant's event in the round goes out.
The bad value is written straight into the database, as a row stored before input was checked."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from service.adapters.orm import webhook_endpoints
from service.application.dispatcher import deliver_round
from service.application.runtime import Runtime
from tests.conftest import Api
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver


def test_a_delivery_that_cannot_be_signed_fails_alone_and_is_tried_again(
    app: Flask, runtime: Runtime, api: Api, other_api: Api, receiver: Receiver
) -> None:
    broken = subscribe(other_api, receiver.url + "/broken", ["engagement.created"])
    subscribe(api, receiver.url, ["engagement.created"])
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(
            update(webhook_endpoints)
            .where(webhook_endpoints.c.id == broken["id"])
            .values(secret="whsec_not base64!")
        )
    other_api.create_engagement()  # the older event: posted first in the round
    api.create_engagement()

    done = deliver_round(runtime)

    assert done.attempted == 2 and done.succeeded == 1
    assert [r.path for r in receiver.requests] == ["/hooks"]  # only tenant A's event went out
    [delivery] = other_api.get(f"/v1/webhook-endpoints/{broken['id']}/deliveries").json["items"]
    [attempt] = delivery["attempts"]
    assert delivery["status"] == "pending" and delivery["next_attempt_at"] is not None
    assert attempt["status_code"] is None and attempt["error"].startswith("Error: ")  # binascii.Error
    assert other_api.get(f"/v1/webhook-endpoints/{broken['id']}").json["disabled_at"] is None
