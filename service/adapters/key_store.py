"""Where a presented API key is looked up: every request asks, before anything else.

A read model in the cosmicpython sense: one Core statement on a connection of its own, outside
any unit of work, since a Session and its transaction cost more than the read itself.
"""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.exc import DBAPIError

from service.adapters.orm import api_keys

_BY_PREFIX = select(api_keys.c.tenant_id, api_keys.c.key_hash).where(api_keys.c.prefix == bindparam("prefix"))


class SqlKeyStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine  # from make_lookup_engine

    def hashes_with_prefix(self, prefix: str) -> list[tuple[int, str]]:
        """(tenant id, key digest) of every key whose prefix matches."""
        try:
            return self._read(prefix)
        except DBAPIError as error:
            # Lookups skip the pre-ping (make_lookup_engine): a connection the server dropped
            # fails once, after which the pool holds none older. A read is safe to repeat.
            if not error.connection_invalidated:
                raise
            return self._read(prefix)

    def _read(self, prefix: str) -> list[tuple[int, str]]:
        with self._engine.connect() as connection:
            return [(row[0], row[1]) for row in connection.execute(_BY_PREFIX, {"prefix": prefix})]
