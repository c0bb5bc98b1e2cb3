"""How long a tick takes as engagements grow while the work due stays the same.

    .venv/bin/python -m bench.tick_scale                                  # SQLite, in a temp dir
    .venv/bin/python -m bench.tick_scale postgresql://postgres@127.0.0.1:5432/postgres

`make bench` uses ``tick_ms`` (SQLite) for its tick figure.

For each size, a fresh database holds N engagements of which 100 are due (an invoice overdue
since the day before); the figure is the wall time of one sweep. Prints; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
from sqlalchemy import update

from bench.common import BENCH_CONFIG
from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from service.adapters.orm import engagements
from service.api.schemas import EngagementCreateSchema
from service.application.clock import sweep
from service.application.engagements import create_engagement
from service.application.tenants import create_tenant
from tests.conftest import engagement_body, with_sender
from tests.seeding import copy_engagement

SIZES = (1_000, 100_000)
DUE = 100
CREATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SWEEP_AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
NOT_DUE = datetime(2099, 1, 1, tzinfo=UTC)


def measure(url: str, total: int) -> float:
    upgrade(url)
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": url, "CLOCK": lambda: CREATED})
    rt = app.extensions["runtime"]
    tenant, _ = create_tenant(rt, "Bench")
    assert tenant.id is not None
    with_sender(rt, tenant.id)  # a live account writes no letter without it
    view = create_engagement(rt, tenant.id, EngagementCreateSchema().load(engagement_body()))
    engine = app.extensions["sql_engine"]
    with engine.begin() as connection:
        copy_engagement(connection, view["id"], total - 1)
        connection.execute(
            update(engagements).where(engagements.c.id >= view["id"] + DUE).values(next_deadline=NOT_DUE)
        )
    started = time.perf_counter()
    taken = sweep(rt, as_of=SWEEP_AT)
    elapsed = time.perf_counter() - started
    assert len(taken) == DUE, len(taken)
    close_connections(app)
    return elapsed


def tick_ms(size: int) -> float:
    """One tick over ``size`` engagements (100 due) in a fresh SQLite database, in ms."""
    with tempfile.TemporaryDirectory() as tmp:
        return measure(f"sqlite:///{tmp}/bench-{size}.sqlite3", size) * 1000


def databases(admin_url: str | None) -> Iterator[tuple[int, str]]:
    """A fresh database per size: a SQLite file, or a throwaway PostgreSQL database."""
    if admin_url is None:
        with tempfile.TemporaryDirectory() as tmp:
            for size in SIZES:
                yield size, f"sqlite:///{tmp}/bench-{size}.sqlite3"
        return
    base = admin_url.rpartition("/")[0]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for size in SIZES:
            name = f"engagement_bench_{uuid.uuid4().hex[:8]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                yield size, f"{base}/{name}"
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    admin_url = sys.argv[1] if len(sys.argv) > 1 else None
    for size, url in databases(admin_url):
        seconds = measure(url, size)
        print(f"{url.partition(':')[0]:10} {size:>7} engagements, {DUE} due: tick {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
