"""Shared by every figure: databases, a seeded tenant, engagements ready for a trigger, timing."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service import create_app  # noqa: E402
from service.adapters.database import close_connections  # noqa: E402
from service.adapters.migrations import upgrade  # noqa: E402
from service.adapters.orm import feedback_requests  # noqa: E402
from service.application.tenants import create_tenant  # noqa: E402
from tests.conftest import engagement_body, throwaway_postgresql, with_sender  # noqa: E402
from tests.seeding import copy_engagement  # noqa: E402

# The bench measures the service, not the limiter's refusals.
BENCH_CONFIG = {"RATE_LIMIT": "1000000 per minute", "TESTING": True}


@dataclass(frozen=True)
class Seeded:
    url: str
    key: str
    tenant_id: int
    ready: list[int]  # engagements awaiting feedback: each takes one receive_feedback

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}


@contextmanager
def database(backend: str) -> Iterator[str]:
    """A fresh migrated database: a SQLite file in a temp dir, or a throwaway PostgreSQL one."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            upgrade(url)
            yield url
        return
    with throwaway_postgresql("bench") as url:
        upgrade(url)
        yield url


def seed(url: str, count: int) -> Seeded:
    """One engagement asked for feedback through the API, then copied in SQL ``count - 1`` times
    with its open feedback request, so every copy can take ``receive_feedback`` once."""
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": url})
    rt = app.extensions["runtime"]
    tenant, key = create_tenant(rt, "Bench")
    assert tenant.id is not None
    with_sender(rt, tenant.id)  # a live account writes no letter without it
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    first = client.post("/v1/engagements", json=engagement_body(), headers=headers).get_json()["id"]
    asked = client.post(
        f"/v1/engagements/{first}/transitions",
        json={"trigger": "request_feedback", "data": {"subject": "Approve the plan"}},
        headers=headers,
    )
    assert asked.status_code == 200, asked.get_json()
    engine = app.extensions["sql_engine"]
    with engine.begin() as connection:
        copy_engagement(connection, first, count - 1)
        columns = [c.name for c in feedback_requests.c if c.name not in ("id", "engagement_id")]
        connection.execute(
            text(
                f"INSERT INTO feedback_requests (engagement_id, {', '.join(columns)}) "
                f"SELECT e.id, {', '.join('f.' + c for c in columns)} FROM engagements e "
                "JOIN feedback_requests f ON f.engagement_id = :id WHERE e.id > :id"
            ),
            {"id": first},
        )
        ids = [row[0] for row in connection.execute(text("SELECT id FROM engagements ORDER BY id"))]
    close_connections(app)
    return Seeded(url, key, tenant.id, ids)


def service_app(url: str) -> Flask:
    return create_app({**BENCH_CONFIG, "DATABASE_URL": url})


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started
