"""What a change asks of the database, where it is behaviour: the record's order, no transaction
around the key lookup. How many statements a transition runs is not pinned here (issue 14: a
test of structure fails on harmless refactors); `make bench` holds the speed that bought."""

from __future__ import annotations

from typing import Any

from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event

from tests.conftest import Api, FakeClock


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
