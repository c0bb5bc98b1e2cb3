"""Webhook figures: the dispatcher against a bare posting loop, and what subscribing costs a transition.

Throughput: the same announcements go to the same loopback receiver twice, once through the
dispatcher (fan-out, leased claims, signing, posting, the outcome and its attempt written
back) and once through a bare loop that posts the same bodies and headers with the same httpx
client and stores nothing. Rounds alternate so both meet the same machine load.

Transition cost: receive_feedback through the test client, in rounds alternating between a
tenant with one endpoint subscribed to everything and none (the outbox row is written either
way; fan-out is the dispatcher's work, not the transition's).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from bench.common import BENCH_CONFIG, Seeded, median_ms
from bench.inprocess import timed_receive
from service import create_app
from service.adapters.database import close_connections
from service.application.dispatcher import deliver_until_idle
from service.domain import webhooks
from service.domain.webhooks import OutboxMessage
from tests.webhooks.receiver import running_receiver

CONFIG = {**BENCH_CONFIG, "WEBHOOK_ALLOW_PRIVATE_TARGETS": True}


def throughput(url: str, tenant_id: int, rounds: int = 3, per_round: int = 500) -> tuple[float, float]:
    """(dispatcher, bare loop) deliveries per second."""
    app = create_app({**CONFIG, "DATABASE_URL": url})
    rt = app.extensions["runtime"]
    ours = bare = 0.0
    with running_receiver() as receiver:
        with rt.writer() as uow:
            endpoint = webhooks.WebhookEndpoint(
                tenant_id, receiver.url, ["*"], "bench", webhooks.new_secret(), rt.clock()
            )
            uow.webhooks.add_endpoint(endpoint)
            uow.commit()
        deliver_until_idle(rt)  # the seeded engagement's own announcements
        for round_number in range(rounds + 1):
            bodies = _announce(rt, tenant_id, per_round)
            started = time.perf_counter()
            done = deliver_until_idle(rt)
            mine = time.perf_counter() - started
            assert done.succeeded == per_round, done
            headers = {"content-type": "application/json", "user-agent": "bench"}
            started = time.perf_counter()
            for n, body in enumerate(bodies):
                sent = rt.webhook_http.client.post(
                    receiver.url,
                    content=body.encode(),
                    headers={
                        **headers,
                        "webhook-id": f"bare_{n}",
                        "webhook-timestamp": "0",
                        "webhook-signature": "v1,x",
                    },
                )
                assert sent.status_code == 204
            theirs = time.perf_counter() - started
            if round_number:  # the first round warms connections and caches
                ours += mine
                bare += theirs
    close_connections(app)
    total = rounds * per_round
    return total / ours, total / bare


def _announce(rt: object, tenant_id: int, count: int) -> list[str]:
    now = rt.clock()  # type: ignore[attr-defined]
    bodies = [webhooks.body("engagement.transitioned", now, {"n": n, "pad": "x" * 400}) for n in range(count)]
    with rt.writer() as uow:  # type: ignore[attr-defined]
        for body in bodies:
            uow.webhooks.announce(OutboxMessage(tenant_id, "engagement.transitioned", body, now))
        uow.commit()
    return bodies


def transition_with_endpoint(
    seeded: Seeded, ids: Iterator[int], rounds: int = 8, per_round: int = 40
) -> tuple[float, float]:
    """Median ms of a transition with one endpoint subscribed to every event, and with none."""
    app = create_app({**CONFIG, "DATABASE_URL": seeded.url})
    client = app.test_client()
    subscribed: list[float] = []
    alone: list[float] = []
    path = "/v1/engagements/{}/transitions"
    hook = {"url": "http://127.0.0.1:9/hooks", "events": ["*"]}
    for round_number in range(rounds + 1):
        created = client.post("/v1/webhook-endpoints", json=hook, headers=seeded.headers).get_json()
        with_one = [timed_receive(client, path.format(next(ids)), seeded) for _ in range(per_round)]
        client.delete(f"/v1/webhook-endpoints/{created['id']}", headers=seeded.headers)
        with_none = [timed_receive(client, path.format(next(ids)), seeded) for _ in range(per_round)]
        if round_number:
            subscribed += with_one
            alone += with_none
    close_connections(app)
    return median_ms(subscribed), median_ms(alone)
