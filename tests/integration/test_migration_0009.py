"""Migration 0009 on a database that already holds data: jurisdictions and time zones follow
each account's language, and existing invoices are numbered per account and year in the order
they were issued, with the counters continuing from there."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    create_engine,
    text,
)

from service.adapters.migrations import upgrade


def _insert(connection: Connection, metadata: MetaData, table: str, **values: Any) -> None:
    """A row with every other required column at a neutral value of its type."""
    neutral = {Integer: 0, Boolean: False, Date: date(2026, 1, 1), Numeric: 0, JSON: []}
    row = {}
    for column in metadata.tables[table].columns:
        if column.nullable or column.primary_key or column.name in values:
            continue
        if isinstance(column.type, DateTime):
            row[column.name] = datetime(2026, 1, 1, tzinfo=UTC)
        else:
            row[column.name] = next((v for t, v in neutral.items() if isinstance(column.type, t)), "")
    connection.execute(metadata.tables[table].insert().values(**row, **values))


def test_existing_rows_get_jurisdiction_time_zone_and_numbers(fresh_url: str) -> None:
    upgrade(fresh_url, "0005")
    engine = create_engine(fresh_url)
    try:
        old = MetaData()
        old.reflect(engine)
        with engine.begin() as c:
            _insert(c, old, "tenants", id=1, name="Studio", language="it")
            _insert(c, old, "tenants", id=2, name="Agency", language="en")
            for engagement_id, tenant_id in ((1, 1), (2, 1), (3, 2)):
                _insert(c, old, "engagements", id=engagement_id, tenant_id=tenant_id, language="it")
            issued = [
                (1, 1, datetime(2026, 3, 1, 9, tzinfo=UTC)),
                (2, 2, datetime(2025, 12, 1, 9, tzinfo=UTC)),
                (3, 1, datetime(2026, 1, 1, 9, tzinfo=UTC)),
                (4, 3, datetime(2026, 2, 1, 9, tzinfo=UTC)),
                (5, 2, datetime(2026, 2, 1, 9, tzinfo=UTC)),
            ]
            for invoice_id, engagement_id, at in issued:
                _insert(c, old, "invoices", id=invoice_id, engagement_id=engagement_id, issued_at=at)

        upgrade(fresh_url)

        with engine.connect() as c:
            tenants = c.execute(text("SELECT id, jurisdiction, timezone FROM tenants ORDER BY id")).all()
            assert [tuple(t) for t in tenants] == [(1, "IT", "Europe/Rome"), (2, "GB", "Europe/London")]
            engagements = c.execute(text("SELECT id, jurisdiction FROM engagements ORDER BY id")).all()
            assert [tuple(e) for e in engagements] == [(1, "IT"), (2, "IT"), (3, "GB")]
            invoices = c.execute(text("SELECT id, tenant_id, number FROM invoices ORDER BY id")).all()
            assert [tuple(i) for i in invoices] == [
                (1, 1, "2026-0003"),
                (2, 1, "2025-0001"),
                (3, 1, "2026-0001"),
                (4, 2, "2026-0001"),
                (5, 1, "2026-0002"),
            ]
            counters = c.execute(
                text("SELECT tenant_id, year, last_number FROM invoice_counters ORDER BY 1, 2")
            )
            assert [tuple(r) for r in counters] == [(1, 2025, 1), (1, 2026, 3), (2, 2026, 1)]
    finally:
        engine.dispose()
