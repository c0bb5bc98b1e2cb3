"""One transaction for a whole request: what an idempotent request changes and its stored answer
commit together, in one COMMIT, or not at all.

An answer stored in a transaction of its own, after the effect's, left a window: a worker killed
between the two left the effect applied and its key unanswered, and the retry after the claim's
lease applied the payment again (issue 31). Between ``begin`` and ``end`` every unit of work a request
opens is a savepoint of one transaction: its ``commit`` releases the savepoint, leaving it
without committing discards only its own changes (as closing a unit of work does), and a read
after a write sees that write. ``finish`` commits the lot, the answer included.

The request's units are found through a context variable, set by the API's idempotency hooks
(``begin``, ``end``) and read by the factories ``Runtime.reader`` and ``Runtime.writer`` are
built with (``sharing``): use cases need no change and do not know.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Self

from sqlalchemy.orm import SessionTransaction

from service.adapters.unit_of_work import SqlAlchemyUnitOfWork

Factory = Callable[[], SqlAlchemyUnitOfWork]


class RequestTransaction:
    """The transaction a request's units of work share; begun by its first writer."""

    def __init__(self) -> None:
        self.outer: SqlAlchemyUnitOfWork | None = None

    @property
    def begun(self) -> bool:
        return self.outer is not None

    def unit(self, writer: Factory) -> SavepointUnitOfWork:
        """A unit of work in the transaction; ``writer`` (the process's own) begins it."""
        if self.outer is None:
            self.outer = writer().__enter__()
        return SavepointUnitOfWork(self.outer)

    def finish(self, *, commit: bool) -> None:
        """Commit (or roll back) everything the request's units committed, and end it."""
        if self.outer is None:
            return
        outer, self.outer = self.outer, None
        try:
            if commit:
                outer.commit()
        finally:
            outer.__exit__(None, None, None)  # closing rolls back whatever was not committed


class SavepointUnitOfWork:
    """A unit of work inside the request's transaction: a savepoint its ``commit`` releases."""

    def __init__(self, outer: SqlAlchemyUnitOfWork) -> None:
        self._outer = outer
        self._savepoint: SessionTransaction | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._outer, name)  # the repositories, ``touch`` and ``session``

    def __enter__(self) -> Self:
        self._savepoint = self._outer.session.begin_nested()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # What was not committed is discarded, as on close; after a failed flush too (the
        # savepoint is then inactive but still the session's, and must be rolled back).
        if self._savepoint is not None and self._outer.session.get_nested_transaction() is self._savepoint:
            self._savepoint.rollback()
        self._savepoint = None

    def flush(self) -> None:
        self._outer.flush()

    def commit(self) -> None:
        assert self._savepoint is not None, "commit outside the unit of work's block"
        self._outer.flush()  # conflicts (a newer version, a taken key) surface here, as at a commit
        self._savepoint.commit()
        self._savepoint = self._outer.session.begin_nested()  # work after a commit is a new unit


_CURRENT: ContextVar[RequestTransaction | None] = ContextVar("request_transaction", default=None)


def sharing(factory: Factory, *, writes: bool) -> Callable[[], SqlAlchemyUnitOfWork | SavepointUnitOfWork]:
    """``factory``, except inside a request transaction: writers always join it, readers once it
    has begun (a read before the first write needs no transaction of its own to join)."""

    def make() -> SqlAlchemyUnitOfWork | SavepointUnitOfWork:
        current = _CURRENT.get()
        if current is None or not (writes or current.begun):
            return factory()
        return current.unit(factory)

    return make


def begin() -> None:
    """From here to ``end``, the units of work this context opens share one transaction."""
    _CURRENT.set(RequestTransaction())


def end(*, commit: bool) -> None:
    """Leave the request's transaction: commit it or roll it back. Idempotent."""
    transaction = _CURRENT.get()
    _CURRENT.set(None)
    if transaction is not None:
        transaction.finish(commit=commit)
