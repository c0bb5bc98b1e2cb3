"""The schema as migrated matches the mapping; the stored record resists tampering."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text

from service.adapters.orm import metadata
from tests.conftest import Api


def test_migrations_produce_exactly_the_mapped_schema(app: Flask) -> None:
    with app.extensions["sql_engine"].connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_every_child_table_is_indexed_on_its_engagement(app: Flask) -> None:
    """An engagement's rows are loaded by engagement_id: without an index that is a full scan."""
    schema = inspect(app.extensions["sql_engine"])
    children = [t for t in metadata.sorted_tables if "engagement_id" in t.c]
    unindexed = [
        table.name
        for table in children
        if not any(
            (index["column_names"] or [None])[0] == "engagement_id"
            for index in [*schema.get_indexes(table.name), *schema.get_unique_constraints(table.name)]
        )
    ]
    assert len(children) == 10  # messages joined the nine
    assert unindexed == []


def test_each_backend_runs_with_its_safe_settings(app: Flask) -> None:
    """SQLite: WAL and foreign keys on. PostgreSQL: psycopg 3 at READ COMMITTED."""
    engine = app.extensions["sql_engine"]
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        else:
            assert engine.dialect.driver == "psycopg"
            assert connection.exec_driver_sql("SHOW transaction_isolation").scalar() == "read committed"


def _tamper(app: Flask, sql: str, **params: object) -> None:
    with app.extensions["sql_engine"].begin() as connection:
        connection.execute(text(sql), params)


def _engagement_with_record(api: Api) -> int:
    """An engagement with eight record entries (transitions and their documents)."""
    e = api.create_engagement()
    api.fire(e["id"], "request_feedback", subject="Plan")
    api.fire(e["id"], "receive_feedback")
    api.fire(e["id"], "request_feedback", subject="Second plan")
    assert api.get(f"/v1/engagements/{e['id']}/events/verify").json["count"] == 8
    return e["id"]


def test_altered_stored_event_is_named(app: Flask, api: Api) -> None:
    eid = _engagement_with_record(api)
    _tamper(app, "UPDATE events SET type = 'edited' WHERE engagement_id = :e AND seq = 3", e=eid)
    result = api.get(f"/v1/engagements/{eid}/events/verify").json
    assert result["valid"] is False
    assert result["first_broken"] == {
        "seq": 3,
        "problem": "entry 3 was altered after it was written",
    }


def test_deleted_stored_event_is_named(app: Flask, api: Api) -> None:
    eid = _engagement_with_record(api)
    _tamper(app, "DELETE FROM documents WHERE engagement_id = :e", e=eid)
    _tamper(app, "DELETE FROM events WHERE engagement_id = :e AND seq = 2", e=eid)
    result = api.get(f"/v1/engagements/{eid}/events/verify").json
    assert (result["valid"], result["first_broken"]["seq"]) == (False, 2)


def test_deleted_last_event_is_named(app: Flask, api: Api) -> None:
    eid = _engagement_with_record(api)
    _tamper(app, "DELETE FROM documents WHERE engagement_id = :e", e=eid)
    _tamper(app, "DELETE FROM events WHERE engagement_id = :e AND seq = 8", e=eid)
    result = api.get(f"/v1/engagements/{eid}/events/verify").json
    assert result["first_broken"] == {"seq": 8, "problem": "entry 8 is missing"}


def test_reordered_stored_events_are_caught(app: Flask, api: Api) -> None:
    eid = _engagement_with_record(api)
    _tamper(app, "UPDATE events SET seq = 99 WHERE engagement_id = :e AND seq = 2", e=eid)
    _tamper(app, "UPDATE events SET seq = 2 WHERE engagement_id = :e AND seq = 3", e=eid)
    _tamper(app, "UPDATE events SET seq = 3 WHERE engagement_id = :e AND seq = 99", e=eid)
    result = api.get(f"/v1/engagements/{eid}/events/verify").json
    assert (result["valid"], result["first_broken"]["seq"]) == (False, 2)
