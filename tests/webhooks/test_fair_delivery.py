"""Fair webhook delivery (issue 31, finding 5): each tenant's deliveries get a bounded share of
each round, round-robin, and a receiver that hangs costs the other tenants one timeout a round."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import insert, select

from service.adapters.orm import outbox, webhook_deliveries
from service.adapters.webhook_http import WebhookHttp
from service.application.dispatcher import SHARE, deliver_round
from service.application.runtime import Runtime
from tests.conftest import Api, FakeClock
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver

BACKLOG = 10_000


@pytest.fixture
def hanging_url() -> Iterator[str]:
    """A receiver that takes connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"http://127.0.0.1:{server.getsockname()[1]}/hook"


def _seed_backlog(app: Flask, tenant_id: int, endpoint_id: int, clock: FakeClock) -> None:
    """BACKLOG pending deliveries to the endpoint, all older than anything else: two inserts."""
    long_ago = clock() - timedelta(hours=1)
    with app.extensions["sql_engine"].begin() as connection:
        rows = [
            {
                "tenant_id": tenant_id,
                "type": "engagement.created",
                "body": "{}",
                "created_at": long_ago,
                "dispatched_at": long_ago,
            }
            for _ in range(BACKLOG)
        ]
        connection.execute(insert(outbox), rows)
        ids = connection.execute(select(outbox.c.id).where(outbox.c.tenant_id == tenant_id)).scalars().all()
        deliveries = [
            {
                "tenant_id": tenant_id,
                "endpoint_id": endpoint_id,
                "outbox_id": outbox_id,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": long_ago,
                "created_at": long_ago,
            }
            for outbox_id in ids
        ]
        connection.execute(insert(webhook_deliveries), deliveries)


def test_a_tenants_event_leaves_within_two_rounds_beside_a_hanging_backlog(
    app: Flask,
    runtime: Runtime,
    api: Api,
    other_api: Api,
    receiver: Receiver,
    hanging_url: str,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    http = WebhookHttp(allow_private=True, timeout=0.3)
    monkeypatch.setattr(runtime, "webhook_http", http)
    hanging = subscribe(other_api, hanging_url)
    _seed_backlog(app, other_api.tenant_id, hanging["id"], clock)
    subscribe(api, receiver.url)
    api.create_engagement()  # announces engagement.created to tenant A's receiver

    rounds = 0
    while not receiver.requests:
        assert rounds < 2, "tenant A's event waited more than two rounds"
        assert deliver_round(runtime).attempted <= 2 * SHARE
        rounds += 1
    http.close()

    with app.extensions["sql_engine"].connect() as connection:
        tried = connection.execute(
            select(webhook_deliveries.c.id).where(
                webhook_deliveries.c.endpoint_id == hanging["id"], webhook_deliveries.c.attempts > 0
            )
        ).all()
    assert len(tried) == rounds  # the hanging receiver was given one try a round, not its share
