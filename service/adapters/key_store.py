"""Where a presented API key is looked up: every request asks, before anything else.

A read model in the cosmicpython sense: one Core statement on a connection of its own, outside
any unit of work, since a Session and its transaction cost more than the read itself. Nothing
is cached between requests, so a revoked key fails on its next request on every worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine, bindparam, or_, select, update
from sqlalchemy.exc import DBAPIError

from service.adapters.orm import api_keys
from service.domain.repositories import StoredKey

T = TypeVar("T")
LAST_USED_PRECISION = timedelta(minutes=1)

_BY_PREFIX = select(
    api_keys.c.id, api_keys.c.tenant_id, api_keys.c.key_hash, api_keys.c.expires_at, api_keys.c.last_used_at
).where(api_keys.c.prefix == bindparam("prefix"), api_keys.c.revoked_at.is_(None))

# Conditional, so two workers seeing the same stale time write it once between them.
_TOUCH = (
    update(api_keys)
    .where(
        api_keys.c.id == bindparam("key_id"),
        or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at < bindparam("stale_before")),
    )
    .values(last_used_at=bindparam("now"))
)


class SqlKeyStore:
    def __init__(self, engine: Engine, writer: Engine) -> None:
        self._engine = engine  # from make_lookup_engine
        self._writer = writer  # takes SQLite's writer lock like every other write

    def candidates(self, prefix: str) -> list[StoredKey]:
        """Every unrevoked key whose prefix matches."""
        return self._retrying(lambda: self._read(prefix))

    def mark_used(self, key: StoredKey, now: datetime) -> None:
        """Record the use, at most once a minute per key: a write on every request would cost
        more than the lookup itself."""
        if key.last_used_at is not None and now - key.last_used_at < LAST_USED_PRECISION:
            return
        params = {"key_id": key.id, "now": now, "stale_before": now - LAST_USED_PRECISION}
        with self._writer.begin() as connection:
            connection.execute(_TOUCH, params)

    def _read(self, prefix: str) -> list[StoredKey]:
        with self._engine.connect() as connection:
            return [StoredKey(*row) for row in connection.execute(_BY_PREFIX, {"prefix": prefix})]

    @staticmethod
    def _retrying(read: Callable[[], T]) -> T:
        try:
            return read()
        except DBAPIError as error:
            # Lookups skip the pre-ping (make_lookup_engine): a connection the server dropped
            # fails once, after which the pool holds none older. A read is safe to repeat.
            if not error.connection_invalidated:
                raise
            return read()
