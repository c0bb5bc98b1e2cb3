"""`make bench-scale` seeds in SQL from rows made through the use cases: when a use case starts
refusing the seed's data (as the sender-details rule of issue 16 once did), the bench breaks
only after minutes of set-up on a quiet machine. This runs the same seeding at a tiny size.

PostgreSQL only: the seed uses ``generate_series``, and the bench measures the production backend.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from bench.scale import list_figure
from bench.scale_seed import CREATED, long_record, seed_deployment
from service import create_app
from service.adapters.database import close_connections
from service.adapters.migrations import upgrade
from service.application.record import verify_record
from tests.conftest import throwaway_postgresql


@pytest.fixture
def empty_postgresql() -> Iterator[str]:
    with throwaway_postgresql("seed") as url:
        upgrade(url)
        yield url


def test_the_scale_seed_makes_what_it_promises_at_a_tiny_size(empty_postgresql: str) -> None:
    seeded = seed_deployment(
        empty_postgresql, engagement_count=40, tenant_count=4, big_tenant=20, due=5, delivered=30
    )
    engine = create_engine(empty_postgresql)
    with engine.connect() as c:
        count = lambda sql: c.execute(text(sql)).scalar_one()  # noqa: E731
        assert count("SELECT count(*) FROM tenants") == 4
        assert count("SELECT count(*) FROM engagements") == 40
        # Tenant 1 holds the template and the first 20 copies: the deep list the figures page through.
        assert count("SELECT count(*) FROM engagements WHERE tenant_id = 1") >= 21
        assert seeded.template_id == 1
        # Every copied tenant can write letters: the sender details came with the copy.
        assert count("SELECT count(*) FROM tenants WHERE signatory = '' OR sender_address = ''") == 0
        assert count("SELECT count(*) FROM outbox WHERE dispatched_at IS NOT NULL") == 30
        assert count("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'") == 30
        assert count("SELECT count(*) FROM engagements WHERE next_deadline < '2099-01-01'") == 5
    engine.dispose()


def test_a_long_record_seeded_in_bulk_still_verifies(empty_postgresql: str) -> None:
    """On the seed's own clock, as ``make bench-scale`` runs it: on the wall clock the engagement
    (starting 1 December 2026) wrote one more entry on any later day, and the count went wrong."""
    app = create_app({"DATABASE_URL": empty_postgresql, "TESTING": True, "CLOCK": lambda: CREATED})
    seeded = seed_deployment(
        empty_postgresql, engagement_count=2, tenant_count=1, big_tenant=1, due=1, delivered=0
    )
    rt = app.extensions["runtime"]
    engagement_id = long_record(rt, 1, entries=60, document_count=5)
    report = verify_record(rt, 1, engagement_id)
    assert report.valid, report
    assert report.count == 60
    assert seeded.template_id == 1
    close_connections(app)


def test_the_list_figure_reads_the_plan_of_the_page_query(empty_postgresql: str) -> None:
    """The list figure explains the page's own SELECT: when the statement's shape changed (the
    tenant's zone read alongside), it found none and the bench stopped after seeding."""
    seeded = seed_deployment(
        empty_postgresql, engagement_count=90, tenant_count=2, big_tenant=80, due=1, delivered=0
    )
    figure = list_figure(seeded, 1, None)
    # the template and its 80 copies: a deep list of four pages
    assert figure["rows"] == 81 and figure["pages"] == 4
    assert figure["first_page_plan"] and figure["plan"], figure
    assert all(isinstance(node, str) and node for node in figure["plan"])
