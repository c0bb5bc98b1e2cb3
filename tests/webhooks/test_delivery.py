"""Webhooks reach a real receiver signed as Standard Webhooks says, and retry as promised."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from service.application.dispatcher import deliver_until_idle
from service.application.runtime import Runtime
from tests.conftest import Api, FakeClock
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Received, Receiver


def _payloads(receiver: Receiver) -> list[dict]:
    return [json.loads(r.body) for r in receiver.requests]


def _walk_schedule(runtime: Runtime, api: Api, endpoint_id: int, clock: FakeClock) -> dict[str, Any]:
    """Deliver, then move the clock to each next try, until the only delivery is finished."""
    while True:
        deliver_until_idle(runtime)
        [log] = api.get(f"/v1/webhook-endpoints/{endpoint_id}/deliveries").json["items"]
        if log["next_attempt_at"] is None:
            return log
        clock.now = datetime.fromisoformat(log["next_attempt_at"])


def test_every_delivery_verifies_with_the_standard_webhooks_library(
    runtime: Runtime, api: Api, receiver: Receiver
) -> None:
    endpoint = subscribe(api, receiver.url)
    engagement = api.create_engagement()
    assert api.fire(engagement["id"], "request_feedback", subject="Approve the plan").status_code == 200

    deliver_until_idle(runtime)

    assert receiver.requests
    verifier = Webhook(endpoint["secret"])
    for request in receiver.requests:
        assert verifier.verify(request.body, request.headers)["type"] == json.loads(request.body)["type"]
    types = [p["type"] for p in _payloads(receiver)]
    assert types[0] == "engagement.created"
    assert "engagement.transitioned" in types and "document.generated" in types


def test_a_wrong_secret_fails_verification(runtime: Runtime, api: Api, receiver: Receiver) -> None:
    subscribe(api, receiver.url)
    other = subscribe(api, receiver.url + "/other")  # a real secret, but not this endpoint's
    api.create_engagement()
    deliver_until_idle(runtime)
    first = next(r for r in receiver.requests if r.path == "/hooks")
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(other["secret"]).verify(first.body, first.headers)


def test_a_timestamp_five_minutes_off_fails_verification(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    endpoint = subscribe(api, receiver.url)
    api.create_engagement()
    clock.advance(minutes=-6)  # the dispatcher's clock runs six minutes behind the receiver's
    deliver_until_idle(runtime)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(endpoint["secret"]).verify(receiver.requests[0].body, receiver.requests[0].headers)


def test_the_body_orders_events_and_matches_the_record(
    runtime: Runtime, api: Api, receiver: Receiver
) -> None:
    subscribe(api, receiver.url, ["engagement.created", "engagement.transitioned", "document.generated"])
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Approve the plan")
    api.post(f"/v1/engagements/{engagement['id']}/transitions", json={"trigger": "receive_feedback"})
    deliver_until_idle(runtime)

    received = sorted((p["data"] for p in _payloads(receiver)), key=lambda d: d["seq"])
    record = {e["seq"]: e for e in api.get(f"/v1/engagements/{engagement['id']}/events").json}
    assert [d["seq"] for d in received] == sorted(
        s
        for s, e in record.items()
        if e["type"] in ("engagement_created", "transition", "document_generated")
    )
    for data in received:
        assert data["hash"] == record[data["seq"]]["hash"]
        assert data["engagement_id"] == engagement["id"]
    transitions = [d for d in received if "trigger" in d]
    assert [(d["trigger"], d["from"], d["to"]) for d in transitions] == [
        ("request_feedback", "active", "awaiting_feedback"),
        ("receive_feedback", "awaiting_feedback", "active"),
    ]
    assert transitions[-1]["state"] == "active"
    assert transitions[-1]["version"] == api.get(f"/v1/engagements/{engagement['id']}").json["version"]
    assert all(len(r.body) < 20_000 for r in receiver.requests)


def test_only_subscribed_event_types_are_sent(runtime: Runtime, api: Api, receiver: Receiver) -> None:
    subscribe(api, receiver.url, ["engagement.transitioned"])
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Approve the plan")
    deliver_until_idle(runtime)
    assert [p["type"] for p in _payloads(receiver)] == ["engagement.transitioned"]


def test_a_500_is_tried_again_after_the_backoff_with_the_same_id(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    endpoint = subscribe(api, receiver.url, ["engagement.created"])
    receiver.answers = [(500, {})]
    api.create_engagement()
    deliver_until_idle(runtime, rng=random.Random(1))
    [log] = api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json["items"]
    assert log["status"] == "pending" and [a["status_code"] for a in log["attempts"]] == [500]
    wait = (datetime.fromisoformat(log["next_attempt_at"]) - clock.now).total_seconds()
    assert 4.5 <= wait <= 5.5  # 5 s, give or take the 10 % jitter

    clock.advance(seconds=3)
    deliver_until_idle(runtime)
    assert len(receiver.requests) == 1  # not due yet
    clock.advance(seconds=3)
    deliver_until_idle(runtime)
    assert receiver.webhook_ids() == [receiver.webhook_ids()[0]] * 2
    [log] = api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json["items"]
    assert log["status"] == "succeeded" and [a["status_code"] for a in log["attempts"]] == [500, 204]
    assert log["webhook_id"] == receiver.webhook_ids()[0]


def test_429_waits_as_long_as_retry_after_says(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    subscribe(api, receiver.url, ["engagement.created"])
    receiver.answers = [(429, {"Retry-After": "120"})]
    api.create_engagement()
    deliver_until_idle(runtime)
    clock.advance(seconds=119)
    deliver_until_idle(runtime)
    assert len(receiver.requests) == 1
    clock.advance(seconds=1)
    deliver_until_idle(runtime)
    assert len(receiver.requests) == 2


def test_a_redirect_is_a_failure_and_is_not_followed(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    endpoint = subscribe(api, receiver.url, ["engagement.created"])
    receiver.answers = [(302, {"Location": receiver.url + "/elsewhere"})]
    api.create_engagement()
    deliver_until_idle(runtime)
    assert [r.path for r in receiver.requests] == ["/hooks"]
    [log] = api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json["items"]
    assert log["status"] == "pending" and log["attempts"][0]["status_code"] == 302


def test_410_disables_the_endpoint_and_tells_the_others(
    runtime: Runtime, api: Api, receiver: Receiver
) -> None:
    gone = subscribe(api, receiver.url + "/gone", ["engagement.created", "engagement.transitioned"])
    subscribe(api, receiver.url, ["webhook_endpoint.disabled"])
    receiver.answers = [(410, {})]
    engagement = api.create_engagement()
    deliver_until_idle(runtime)

    after = api.get(f"/v1/webhook-endpoints/{gone['id']}").json
    assert after["enabled"] is False and "410" in after["disabled_reason"]
    notices = [json.loads(r.body) for r in receiver.requests if r.path == "/hooks"]
    assert [n["type"] for n in notices] == ["webhook_endpoint.disabled"]
    assert notices[0]["data"]["endpoint_id"] == gone["id"]
    api.fire(engagement["id"], "request_feedback", subject="Approve the plan")
    deliver_until_idle(runtime)
    assert [r.path for r in receiver.requests].count("/hooks/gone") == 1  # nothing more sent there


def test_three_days_of_failures_disable_the_endpoint(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    failing = subscribe(api, receiver.url + "/down", ["engagement.created", "engagement.transitioned"])
    receiver.answers = [(500, {})] * 30
    engagement = api.create_engagement()
    started = clock.now
    log = _walk_schedule(runtime, api, failing["id"], clock)
    assert log["status"] == "failed" and len(log["attempts"]) == 10
    assert timedelta(hours=43) < clock.now - started < timedelta(hours=53)  # ten tries, about two days
    assert api.get(f"/v1/webhook-endpoints/{failing['id']}").json["enabled"] is True

    clock.now = started + timedelta(hours=71, minutes=59)
    api.fire(engagement["id"], "request_feedback", subject="Approve the plan")
    deliver_until_idle(runtime)
    assert api.get(f"/v1/webhook-endpoints/{failing['id']}").json["enabled"] is True  # not yet 3 days
    clock.now = started + timedelta(days=3)
    api.post(f"/v1/engagements/{engagement['id']}/transitions", json={"trigger": "receive_feedback"})
    deliver_until_idle(runtime)
    after = api.get(f"/v1/webhook-endpoints/{failing['id']}").json
    assert after["enabled"] is False
    assert (
        after["disabled_reason"] == "Tutte le consegne sono fallite per 3 giorni."
    )  # the account's language


def test_rotation_signs_with_both_secrets_for_a_day(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    endpoint = subscribe(api, receiver.url, ["engagement.created"])
    rotated = api.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret").json
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != endpoint["secret"]
    api.create_engagement()
    deliver_until_idle(runtime)
    request = receiver.requests[-1]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(endpoint["secret"]).verify(request.body, request.headers)
    Webhook(rotated["secret"]).verify(request.body, request.headers)

    clock.advance(hours=24, seconds=1)
    api.create_engagement()
    deliver_until_idle(runtime)
    request = receiver.requests[-1]
    # A day on, the library's own wall-clock check would refuse the timestamp: compare signatures.
    assert request.headers["webhook-signature"] == _signature(rotated["secret"], request)
    assert _signature(endpoint["secret"], request) not in request.headers["webhook-signature"]


def _signature(secret: str, request: Received) -> str:
    moment = datetime.fromtimestamp(int(request.headers["webhook-timestamp"]), UTC)
    return Webhook(secret).sign(request.headers["webhook-id"], moment, request.body.decode())


def test_a_failed_delivery_can_be_retried_by_hand(
    runtime: Runtime, api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    endpoint = subscribe(api, receiver.url, ["engagement.created"])
    receiver.answers = [(500, {})] * 10
    api.create_engagement()
    log = _walk_schedule(runtime, api, endpoint["id"], clock)
    assert log["status"] == "failed"

    retried = api.post(f"/v1/webhook-deliveries/{log['id']}/retry")
    assert retried.status_code == 202 and retried.json["status"] == "pending"
    deliver_until_idle(runtime)
    [log] = api.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json["items"]
    assert log["status"] == "succeeded" and len(log["attempts"]) == 11
    assert len(set(receiver.webhook_ids())) == 1
