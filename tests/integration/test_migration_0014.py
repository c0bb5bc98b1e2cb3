"""Migration 0014 on both backends: the retention indexes are built over existing rows, and on
PostgreSQL concurrently, outside any transaction (writers are not locked out of big tables)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, event, inspect, text

from service.adapters.migrations import upgrade
from tests.integration.test_migration_0009 import _insert

NEW_INDEXES = {
    "engagements": "ix_engagements_tenant_id_id",
    "outbox": "ix_outbox_dispatched_at",
    "webhook_deliveries": "ix_webhook_deliveries_outbox_id",
}


@pytest.fixture
def statements() -> Iterator[list[tuple[str, bool]]]:
    """Every statement any engine runs meanwhile, with whether its connection was in autocommit."""
    seen: list[tuple[str, bool]] = []

    def record(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        driver = conn.connection.dbapi_connection
        seen.append((statement, bool(getattr(driver, "autocommit", False))))

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def _indexes(engine: Engine, table: str) -> dict[str, list[str | None]]:
    return {i["name"]: i["column_names"] for i in inspect(engine).get_indexes(table) if i["name"]}


def test_the_retention_indexes_are_built_over_existing_rows(
    fresh_url: str, statements: list[tuple[str, bool]]
) -> None:
    upgrade(fresh_url, "0013")  # the revision before 0014
    engine = create_engine(fresh_url)
    try:
        old = MetaData()
        old.reflect(engine)
        with engine.begin() as c:
            _insert(c, old, "tenants", id=1, name="Studio", language="en")
            for n in range(1, 4):
                dispatched = None if n == 3 else datetime(2026, 11, 2, 9, tzinfo=UTC)
                _insert(c, old, "outbox", id=n, tenant_id=1, dispatched_at=dispatched)
        statements.clear()
        upgrade(fresh_url, "0014")  # only this revision's statements: later ones make indexes of their own
        for table, name in NEW_INDEXES.items():
            assert name in _indexes(engine, table), table
        with engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 3
        if engine.dialect.name == "postgresql":
            creates = [(s, autocommit) for s, autocommit in statements if s.startswith("CREATE INDEX")]
            assert len(creates) == len(NEW_INDEXES)
            for created, autocommit in creates:
                assert created.startswith("CREATE INDEX CONCURRENTLY"), created
                assert autocommit, created
            with engine.connect() as c:
                valid = c.execute(
                    text(
                        "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        "WHERE c.relname IN ('ix_engagements_tenant_id_id', 'ix_outbox_dispatched_at', "
                        "'ix_webhook_deliveries_outbox_id')"
                    )
                ).all()
            assert sorted(valid) == [
                ("ix_engagements_tenant_id_id", True),
                ("ix_outbox_dispatched_at", True),
                ("ix_webhook_deliveries_outbox_id", True),
            ]
    finally:
        engine.dispose()


def test_an_invalid_index_left_by_a_failed_concurrent_build_is_rebuilt(fresh_url: str) -> None:
    if not fresh_url.startswith("postgresql"):
        pytest.skip("only PostgreSQL builds indexes concurrently")
    upgrade(fresh_url, "0014")  # 0014 runs again below: later migrations must not
    engine = create_engine(fresh_url)
    try:
        with engine.begin() as c:
            # What a build cancelled half-way leaves behind: the index, marked invalid.
            c.execute(
                text(
                    "UPDATE pg_index SET indisvalid = false WHERE indexrelid = "
                    "'ix_outbox_dispatched_at'::regclass"
                )
            )
            c.execute(text("UPDATE alembic_version SET version_num = '0013'"))
        upgrade(fresh_url, "0014")
        with engine.connect() as c:
            valid = c.execute(
                text(
                    "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = 'ix_outbox_dispatched_at'::regclass"
                )
            ).scalar_one()
        assert valid is True
    finally:
        engine.dispose()
