"""SQLite writers queue on a file lock (PostgreSQL has row locks; this is SQLite's own path)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from service.adapters.database import make_engine
from service.adapters.sqlite_writer import SerialisedWriterConnection


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    return engine


def _other_writer_can_start(engine: Engine) -> bool:
    """Try for the writer lock on a second connection without waiting."""
    raw = engine.raw_connection()
    try:
        dbapi = raw.dbapi_connection
        assert isinstance(dbapi, SerialisedWriterConnection)
        dbapi.lock_timeout = 0
        try:
            dbapi.hold_writer_lock()
        except OperationalError:
            return False
        dbapi.rollback()  # ends the (empty) transaction and lets the lock go
        return True
    finally:
        raw.close()


@pytest.mark.parametrize("ending", ["commit", "rollback", "error"])
def test_a_writer_holds_the_lock_until_its_transaction_ends(engine: Engine, ending: str) -> None:
    writer = engine.connect().execution_options(sqlite_write=True)
    transaction = writer.begin()
    writer.execute(text("UPDATE counter SET n = n + 1"))
    assert not _other_writer_can_start(engine)
    if ending == "commit":
        transaction.commit()
    elif ending == "rollback":
        transaction.rollback()
    else:
        with pytest.raises(OperationalError):
            writer.execute(text("UPDATE no_such_table SET n = 1"))
        transaction.rollback()
    writer.close()
    assert _other_writer_can_start(engine)


def test_readers_do_not_take_the_writer_lock(engine: Engine) -> None:
    with engine.connect() as reader, reader.begin():
        assert reader.execute(text("SELECT n FROM counter")).scalar() == 0
        assert _other_writer_can_start(engine)


def test_a_writer_that_cannot_get_the_lock_in_time_is_told_the_database_is_locked(engine: Engine) -> None:
    with engine.connect().execution_options(sqlite_write=True) as writer, writer.begin():
        raw = engine.raw_connection()
        dbapi = raw.dbapi_connection
        assert isinstance(dbapi, SerialisedWriterConnection)
        dbapi.lock_timeout = 0
        with pytest.raises(OperationalError, match="database is locked"):
            dbapi.hold_writer_lock()
        raw.close()
