"""One SQLite writer at a time across threads and processes, queued on a file lock.

SQLite makes a second writer wait in its busy handler, which sleeps 1, 2, 5, 10 ... 100 ms
between tries: under two busy workers that backoff, not the work, was the slow tail. A writer
here first takes an exclusive ``flock`` on ``<database>.writer-lock`` and is handed the lock
within a fraction of a millisecond of its release; the busy handler is left for writers
outside this service. The lock is released when the DBAPI transaction ends, after the COMMIT.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import sqlite3
import time

from sqlalchemy.exc import OperationalError

POLL_SECONDS = (0.0001, 0.0002, 0.0005, 0.001)  # then every millisecond until the timeout


class SerialisedWriterConnection(sqlite3.Connection):
    """A sqlite3 connection that can hold the writer lock for one transaction."""

    lock_path: str | None = None
    lock_timeout = 10.0
    _lock_fd: int | None = None
    _holding = False

    def hold_writer_lock(self) -> None:
        if self.lock_path is None or self._holding:
            return
        if self._lock_fd is None:
            # Each connection opens the file itself: flock conflicts between open files, so
            # threads of one process queue as well as processes do.
            self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.lock_timeout
        for attempt in itertools.count():
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._holding = True
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError(
                        "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
                    ) from None
                time.sleep(POLL_SECONDS[min(attempt, len(POLL_SECONDS) - 1)])

    def _release(self) -> None:
        if self._holding and self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._holding = False

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
