"""How long a live tenant's due step waits while another tenant's 10,000-step backlog is swept.

    .venv/bin/python -m bench.fairness

Tenant A has 10,000 engagements overdue (one step each, all due before B's); tenant B has one
engagement whose step falls due. The figure is the wall time from the start of the sweep to B's
step being taken, beside one pass's time with nothing but B's step due; the target is that B's
step is taken within two passes (the default ``Budget``), whatever A's backlog. Prints; asserts nothing.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime

from bench.common import BENCH_CONFIG
from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from service.api.schemas import EngagementCreateSchema
from service.application.clock import Budget, sweep_pass
from service.application.engagements import create_engagement
from service.application.tenants import create_tenant
from tests.conftest import engagement_body, with_sender
from tests.seeding import copy_engagement

BACKLOG = 10_000
CREATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SWEEP_AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _live_step_wait(url: str, backlog: int) -> tuple[float, int]:
    """(ms until B's step was taken, passes it took) with ``backlog`` steps of A's due first."""
    upgrade(url)
    now = [CREATED]
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": url, "CLOCK": lambda: now[0]})
    rt = app.extensions["runtime"]
    body = EngagementCreateSchema().load(engagement_body())
    tenant_a, _ = create_tenant(rt, "Backlog")
    tenant_b, _ = create_tenant(rt, "Live")
    assert tenant_a.id is not None and tenant_b.id is not None
    with_sender(rt, tenant_a.id)  # live accounts write no letter without it
    with_sender(rt, tenant_b.id)
    if backlog:
        first = create_engagement(rt, tenant_a.id, body)
        with app.extensions["sql_engine"].begin() as connection:
            copy_engagement(connection, first["id"], backlog - 1)
    live = create_engagement(rt, tenant_b.id, body)["id"]
    now[0] = SWEEP_AT
    started, passes = time.perf_counter(), 0
    while True:
        passes += 1
        done = sweep_pass(rt, budget=Budget())
        if any(t.engagement_id == live for t in done.taken):
            elapsed = time.perf_counter() - started
            close_connections(app)
            return elapsed * 1000, passes


def live_step_wait() -> tuple[float, float, int]:
    """(ms with the backlog, ms without it, passes with the backlog), on fresh SQLite files."""
    with tempfile.TemporaryDirectory() as tmp:
        alone, _ = _live_step_wait(f"sqlite:///{tmp}/alone.sqlite3", 0)
        behind, passes = _live_step_wait(f"sqlite:///{tmp}/behind.sqlite3", BACKLOG)
    return behind, alone, passes


def main() -> None:
    behind, alone, passes = live_step_wait()
    print(
        f"live step taken after {behind:.0f} ms in pass {passes} behind {BACKLOG} steps; alone {alone:.0f} ms"
    )


if __name__ == "__main__":
    main()
