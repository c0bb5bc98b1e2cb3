"""The API key lookup runs outside any transaction, on both backends.

How many statements a transition runs is no longer pinned (issue 14: a test of structure fails
on refactors no caller sees); `make bench` holds the speed those statements bought."""

from __future__ import annotations

from typing import Any

from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event

from tests.conftest import Api


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
