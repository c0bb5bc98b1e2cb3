"""What a transition asks of the database: each row written once, nothing read that is not used."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event

from tests.conftest import Api, FakeClock


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(" ".join(statement.split()))

    engine = app.extensions["sql_engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _writes(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.startswith((f"UPDATE {table} ", f"INSERT INTO {table} "))]


def test_a_transition_writes_the_engagement_once_and_its_entry_once(app: Flask, api: Api) -> None:
    e = api.create_engagement()
    api.fire(e["id"], "request_feedback", subject="Plan")
    with statements(app) as seen:
        assert api.fire(e["id"], "receive_feedback").status_code == 200
    # State, version and record head in one UPDATE: a second one would mean a flush mid-change.
    assert len(_writes(seen, "engagements")) == 1, seen
    assert len(_writes(seen, "events")) == 1, seen
    assert len(_writes(seen, "feedback_requests")) == 1, seen
    # Nothing is due, so the record's last date is not looked up for due invoices.
    assert not [s for s in seen if s.startswith("SELECT events.")], seen


def test_a_change_reads_each_collection_once_before_it_writes(app: Flask, api: Api) -> None:
    """Invoices and feedback requests are loaded with the locked row, never lazily mid-change."""
    e = api.create_engagement()
    api.fire(e["id"], "request_feedback", subject="Plan")
    with statements(app) as seen:
        assert api.fire(e["id"], "receive_feedback").status_code == 200
    first_write = next(n for n, s in enumerate(seen) if s.startswith(("UPDATE ", "INSERT ")))
    for table in ("invoices", "feedback_requests"):
        reads = [n for n, s in enumerate(seen) if s.startswith("SELECT") and f"FROM {table} " in s]
        assert len(reads) == 1 and reads[0] < first_write, (table, seen)


def test_a_transition_on_a_due_engagement_still_issues_the_invoice_first(
    app: Flask, api: Api, clock: FakeClock
) -> None:
    e = api.create_engagement()
    clock.advance(days=35)  # January's fee fell due on the 1st
    assert api.fire(e["id"], "request_feedback", subject="Plan").status_code == 200
    types = [ev["type"] for ev in api.get(f"/v1/engagements/{e['id']}/events").json]
    assert types[-3:] == ["invoice_issued", "transition", "document_generated"]


def test_the_key_lookup_runs_outside_any_transaction(app: Flask, api: Api) -> None:
    """One statement needs none: no BEGIN and no ROLLBACK (round trips on PostgreSQL, our own
    BEGIN statement on SQLite)."""
    engine = app.extensions["sql_engine"]
    in_transaction: list[bool] = []

    def observe(conn: Any, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("SELECT api_keys."):
            dbapi = conn.connection.dbapi_connection
            if engine.dialect.name == "postgresql":
                in_transaction.append(dbapi.info.transaction_status != TransactionStatus.IDLE)
            else:
                in_transaction.append(dbapi.in_transaction)

    # Every engine: on PostgreSQL the lookup has its own (see make_lookup_engine).
    event.listen(Engine, "after_cursor_execute", observe)
    try:
        assert api.get("/v1/engagements").status_code == 200
    finally:
        event.remove(Engine, "after_cursor_execute", observe)
    assert in_transaction == [False]
