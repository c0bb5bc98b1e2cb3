"""Retention on both backends: delivered outbox rows and old idempotency answers are pruned in
batches, exactly the rows past their age; pending rows, pending deliveries and the record stay."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, select

from service.adapters.orm import events, outbox, stored_responses, webhook_attempts, webhook_deliveries
from service.adapters.webhook_repository import WebhookRepository
from service.application.clock import sweep
from service.application.retention import prune
from service.application.runtime import Retention, Runtime
from service.application.tenants import create_tenant
from service.domain import webhooks
from tests.conftest import Api, FakeClock

DAY = timedelta(days=1)


def _engine(app: Flask) -> Any:
    return app.extensions["sql_engine"]


def _tenant_and_endpoint(runtime: Runtime, clock: FakeClock) -> tuple[int, int]:
    tenant, _ = create_tenant(runtime, "Studio")
    assert tenant.id is not None
    with runtime.writer() as uow:
        endpoint = webhooks.WebhookEndpoint(
            tenant.id, "https://hooks.example.com/in", ["*"], "", webhooks.new_secret(), clock()
        )
        uow.webhooks.add_endpoint(endpoint)
        uow.commit()
    assert endpoint.id is not None
    return tenant.id, endpoint.id


def _outbox_row(app: Flask, tenant_id: int, created: datetime, dispatched: datetime | None) -> int:
    with _engine(app).begin() as connection:
        row = {"tenant_id": tenant_id, "type": "engagement.transitioned", "body": "{}", "created_at": created}
        inserted = connection.execute(insert(outbox).values(**row, dispatched_at=dispatched))
        return int(inserted.inserted_primary_key[0])


def _delivery(app: Flask, tenant_id: int, endpoint_id: int, outbox_id: int, status: str, at: datetime) -> int:
    with _engine(app).begin() as connection:
        inserted = connection.execute(
            insert(webhook_deliveries).values(
                tenant_id=tenant_id,
                endpoint_id=endpoint_id,
                outbox_id=outbox_id,
                status=status,
                attempts=1,
                next_attempt_at=at if status == "pending" else None,
                completed_at=None if status == "pending" else at,
                created_at=at,
            )
        )
        delivery_id = int(inserted.inserted_primary_key[0])
        connection.execute(
            insert(webhook_attempts).values(
                delivery_id=delivery_id, attempted_at=at, status_code=200, latency_ms=5, error=None
            )
        )
        return delivery_id


def _ids(app: Flask, column: Any) -> list[int]:
    with _engine(app).connect() as connection:
        return sorted(connection.execute(select(column)).scalars())


def test_delivered_rows_past_the_age_go_with_their_deliveries_and_the_row_at_the_limit_stays(
    app: Flask, runtime: Runtime, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "retention", Retention(delivered_webhooks=30 * DAY))
    tenant_id, endpoint_id = _tenant_and_endpoint(runtime, clock)
    now = clock()
    limit = now - 30 * DAY
    past = _outbox_row(app, tenant_id, limit - DAY, limit - timedelta(microseconds=1))
    at_limit = _outbox_row(app, tenant_id, limit - DAY, limit)
    recent = _outbox_row(app, tenant_id, now - DAY, now - DAY)
    pending = _outbox_row(app, tenant_id, now - 90 * DAY, None)  # never fanned out: kept at any age
    gone = _delivery(app, tenant_id, endpoint_id, past, "succeeded", limit - DAY)
    kept = [
        _delivery(app, tenant_id, endpoint_id, row, "succeeded", limit - DAY) for row in (at_limit, recent)
    ]

    pruned = prune(runtime)

    assert pruned.delivered_webhooks == 1
    assert _ids(app, outbox.c.id) == sorted([at_limit, recent, pending])
    assert _ids(app, webhook_deliveries.c.id) == sorted(kept)
    assert gone not in _ids(app, webhook_attempts.c.delivery_id)
    assert _ids(app, webhook_attempts.c.delivery_id) == sorted(kept)


def test_a_row_with_a_delivery_still_pending_is_kept_whole(
    app: Flask, runtime: Runtime, clock: FakeClock
) -> None:
    tenant_id, endpoint_id = _tenant_and_endpoint(runtime, clock)
    old = clock() - 90 * DAY
    row = _outbox_row(app, tenant_id, old, old)
    done = _delivery(app, tenant_id, endpoint_id, row, "succeeded", old)
    _, second = _tenant_and_endpoint(runtime, clock)
    retrying = _delivery(app, tenant_id, second, row, "pending", old)

    assert prune(runtime).delivered_webhooks == 0
    assert _ids(app, outbox.c.id) == [row]
    assert _ids(app, webhook_deliveries.c.id) == sorted([done, retrying])


def test_delivered_rows_are_pruned_in_batches(
    app: Flask, runtime: Runtime, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "retention", Retention(batch=2))
    tenant_id, endpoint_id = _tenant_and_endpoint(runtime, clock)
    old = clock() - 60 * DAY
    for _ in range(5):
        _delivery(app, tenant_id, endpoint_id, _outbox_row(app, tenant_id, old, old), "failed", old)
    chosen: list[int] = []
    original = WebhookRepository.prune_delivered

    def counted(self: WebhookRepository, cutoff: datetime, limit: int) -> tuple[int, int]:
        found = original(self, cutoff, limit)
        chosen.append(found[0])
        return found

    monkeypatch.setattr(WebhookRepository, "prune_delivered", counted)
    assert prune(runtime).delivered_webhooks == 5
    assert chosen == [2, 2, 1]
    assert _ids(app, outbox.c.id) == []
    assert _ids(app, webhook_deliveries.c.id) == []


def _stored(app: Flask, tenant_id: int, key: str, created: datetime) -> None:
    with _engine(app).begin() as connection:
        connection.execute(
            insert(stored_responses).values(
                tenant_id=tenant_id,
                key=key,
                fingerprint="f" * 64,
                created_at=created,
                status=201,
                content_type="application/json",
                body=b"{}",
            )
        )


def _keys(app: Flask) -> list[str]:
    with _engine(app).connect() as connection:
        return sorted(connection.execute(select(stored_responses.c.key)).scalars())


@pytest.mark.parametrize("hours", [24, 48])
def test_idempotency_answers_past_the_configured_age_go_and_the_one_at_the_limit_stays(
    app: Flask, runtime: Runtime, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, hours: int
) -> None:
    monkeypatch.setattr(runtime, "retention", Retention(idempotency_keys=timedelta(hours=hours)))
    tenant, _ = create_tenant(runtime, "Studio")
    assert tenant.id is not None
    limit = clock() - timedelta(hours=hours)
    _stored(app, tenant.id, "past", limit - timedelta(microseconds=1))
    _stored(app, tenant.id, "at-limit", limit)
    _stored(app, tenant.id, "thirty-hours", clock() - timedelta(hours=30))

    assert prune(runtime).idempotency_keys == (2 if hours == 24 else 1)
    assert _keys(app) == (["at-limit"] if hours == 24 else ["at-limit", "thirty-hours"])


def test_idempotency_answers_cannot_be_kept_less_than_their_24_hours() -> None:
    with pytest.raises(ValueError, match="24 hours"):
        Retention(idempotency_keys=timedelta(hours=23))


def test_the_record_is_never_pruned(app: Flask, api: Api, runtime: Runtime, clock: FakeClock) -> None:
    engagement = api.create_engagement()
    assert api.fire(engagement["id"], "request_feedback", subject="Plan").status_code == 200
    with _engine(app).connect() as connection:
        entries = connection.execute(select(events.c.id)).scalars().all()
    with runtime.writer() as uow:
        assert uow.webhooks.fan_out(clock(), 500) >= 1  # no endpoint: fanned out to nobody
        uow.commit()
    clock.advance(days=400)

    assert prune(runtime).delivered_webhooks >= 1

    assert _ids(app, outbox.c.id) == []
    with _engine(app).connect() as connection:
        assert connection.execute(select(events.c.id)).scalars().all() == entries


def test_the_clock_prunes_after_its_tick(app: Flask, runtime: Runtime, clock: FakeClock) -> None:
    tenant_id, endpoint_id = _tenant_and_endpoint(runtime, clock)
    old = clock() - 31 * DAY
    _delivery(app, tenant_id, endpoint_id, _outbox_row(app, tenant_id, old, old), "succeeded", old)
    _stored(app, tenant_id, "old", clock() - 2 * DAY)

    sweep(runtime)

    assert _ids(app, outbox.c.id) == []
    assert _keys(app) == []
