"""What the converter waits on between rounds: woken as soon as a PDF job is queued, or after its
poll interval at the latest (the safety net). A wake is only a hint; the claim's query decides.

PostgreSQL: ``LISTEN`` on its own autocommit connection; ``PdfRepository.request`` sends
``NOTIFY`` in the enqueuing transaction, delivered at commit.
SQLite (one host): no server to notify through, and nothing new to run. The waiter reads
``PRAGMA data_version`` every 50 ms, which changes only when another connection commits (read from
the WAL index in shared memory: no disk I/O), and only then asks whether any job is pending, on
the partial index. So the converter's claim, which takes the writer lock, runs only when there is
a job, and a job waits at most ~50 ms to be seen. A socket or FIFO under var/ would wake it sooner
but needs both processes to agree on a path; 50 ms is small beside a conversion.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Protocol

import psycopg
from sqlalchemy import Engine

from service.adapters.pdf_repository import CHANNEL

SQLITE_GLANCE = 0.05  # seconds between two looks at data_version


class JobWake(Protocol):
    def wait(self, seconds: float) -> None:
        """Return when a job may have been queued, or after ``seconds``."""
        ...

    def close(self) -> None: ...


class Listening:
    """PostgreSQL: LISTEN, then wait on the connection's socket for a notification."""

    def __init__(self, engine: Engine) -> None:
        self.conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.connection: psycopg.Connection | None = None
        self._listen()

    def _listen(self) -> None:
        try:
            self.connection = psycopg.connect(self.conninfo, autocommit=True)
            self.connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.OperationalError:
            self.connection = None  # the database is away: the poll interval carries on meanwhile

    def wait(self, seconds: float) -> None:
        if self.connection is None or self.connection.closed:
            self._listen()
        if self.connection is None:
            time.sleep(seconds)
            return
        try:
            # The first notification ends the wait; any others already arrived are drained with it.
            for _ in self.connection.notifies(timeout=seconds, stop_after=1):
                pass
        except psycopg.OperationalError:
            self.close()  # listen again next time; the claim runs anyway

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Glancing:
    """SQLite: wait until another connection commits while a job is pending (see the module)."""

    def __init__(self, engine: Engine) -> None:
        database = engine.url.database
        assert database, "an SQLite file: a converter in another process cannot see :memory:"
        self.connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, check_same_thread=False)
        self.version = self._version()

    def _version(self) -> int:
        return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def _pending(self) -> bool:
        query = "SELECT 1 FROM document_pdfs WHERE status = 'pending' LIMIT 1"
        found = self.connection.execute(query).fetchone() is not None
        self.connection.rollback()  # no read transaction left open to pin the WAL
        return found

    def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            version = self._version()
            if version != self.version:
                self.version = version
                if self._pending():
                    return
            time.sleep(min(SQLITE_GLANCE, max(0.0, deadline - time.monotonic())))

    def close(self) -> None:
        self.connection.close()


def job_wake(engine: Engine) -> JobWake:
    return Listening(engine) if engine.dialect.name == "postgresql" else Glancing(engine)
