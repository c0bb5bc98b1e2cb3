"""Engine set-up: SQLite (WAL, foreign keys, one writer at a time, queued) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from service.adapters.sqlite_writer import SerialisedWriterConnection

SQLITE_BUSY_TIMEOUT_MS = 10_000
# PostgreSQL's default (4) prices a random read as on a spinning disk. Under it the planner pages
# a large tenant's engagements by walking the primary key down from the newest row of every
# tenant, filtering (1.7 s for a first page among a million rows, `make bench-scale`), instead of
# reading the tenant's own (tenant_id, id) index. 1.1 is the usual value for SSD storage.
RANDOM_PAGE_COST = 1.1


def make_engine(url: str, **options: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **options)
    if parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))  # psycopg 3, not psycopg2
    if "options" not in parsed.query:  # a URL's own ?options=-c... is the operator's to set
        options.setdefault("connect_args", {"options": f"-c random_page_cost={RANDOM_PAGE_COST}"})
    return create_engine(url, **{"pool_pre_ping": True, **options})


def unreachable(url: str) -> str | None:
    """Why the database at ``url`` does not answer now, or None when it does: the supervisor
    asks before it starts a dead process again."""
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        return f"the database does not answer ({type(cause).__name__}: {str(cause).strip()[:300]})"
    finally:
        engine.dispose()
    return None


def make_lookup_engine(engine: Engine) -> Engine:
    """For single-statement reads (the API key on every request).

    A single read needs no transaction. On PostgreSQL that spares a BEGIN and a ROLLBACK, and
    skipping the pre-ping spares one more round trip: a connection the server dropped then
    fails its statement once, SQLAlchemy replaces every older pooled connection, and the
    caller retries (``SqlKeyStore``). On SQLite it spares our BEGIN (see ``_begin``).
    """
    if is_sqlite(engine):
        return engine.execution_options(single_statement=True)
    return make_engine(
        engine.url.render_as_string(hide_password=False), pool_pre_ping=False, isolation_level="AUTOCOMMIT"
    )


def _sqlite_engine(url: str, **options: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "factory": SerialisedWriterConnection}
    engine = create_engine(url, connect_args=connect_args, **options)
    lock_path = f"{database}.writer-lock" if database and database != ":memory:" else None

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.lock_path = lock_path
        dbapi_connection.lock_timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        # pysqlite's own BEGIN handling is off so that ours below decides the lock mode.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writer takes the write lock up front (BEGIN IMMEDIATE): it then waits its turn on
        # the busy timeout instead of failing when a read transaction tries to upgrade.
        # Writers of this service also queue on a file lock first (see sqlite_writer.py).
        options = connection.get_execution_options()
        if options.get("single_statement"):
            return  # sqlite3 runs the statement in its own implicit transaction
        writer = options.get("sqlite_write")
        if writer:
            connection.connection.dbapi_connection.hold_writer_lock()
        connection.exec_driver_sql(f"BEGIN {'IMMEDIATE' if writer else 'DEFERRED'}")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def close_connections(app: Flask) -> None:
    """Return every pooled connection the app holds (the key lookup has a pool of its own on
    PostgreSQL); the app opens new ones if it serves again."""
    app.extensions["sql_engine"].dispose()
    app.extensions["key_lookup_sql_engine"].dispose()
