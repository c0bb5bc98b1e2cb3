"""The request's one transaction behaves as separate units of work would, then commits once."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from service.adapters import request_transaction
from service.application.runtime import Runtime
from service.application.tenants import create_tenant
from service.domain.errors import Conflict
from service.domain.model import StoredResponse
from tests.conftest import FakeClock


def _answer(tenant_id: int, key: str, clock: FakeClock) -> StoredResponse:
    return StoredResponse(tenant_id=tenant_id, key=key, fingerprint="f", created_at=clock.now)


def _keys(app: Flask) -> set[str]:
    """The keys stored, as another connection (another request) sees them."""
    with app.extensions["sql_engine"].connect() as connection:
        rows = connection.execute(text("SELECT key FROM stored_responses WHERE key IN ('a', 'b', 'c')"))
        return {key for (key,) in rows}


def test_units_commit_their_own_work_a_failed_one_only_its_own_and_nothing_is_seen_before_the_end(
    app: Flask, runtime: Runtime, clock: FakeClock
) -> None:
    tenant = create_tenant(runtime, "T")[0].id or 0
    with runtime.writer() as uow:
        uow.responses.add(_answer(tenant, "taken", clock))
        uow.commit()
    request_transaction.begin()
    try:
        with runtime.writer() as uow:
            uow.responses.add(_answer(tenant, "a", clock))
            uow.commit()
        with pytest.raises(Conflict), runtime.writer() as uow:
            uow.responses.add(_answer(tenant, "b", clock))
            uow.responses.add(_answer(tenant, "taken", clock))  # the unique key: the flush fails
            uow.commit()
        with runtime.writer() as uow:
            uow.responses.add(_answer(tenant, "c", clock))  # left uncommitted: discarded on leaving
        with runtime.reader() as uow:  # a read in the request sees the request's writes
            assert uow.responses.get(tenant, "a") is not None and uow.responses.get(tenant, "b") is None
        assert _keys(app) == set()  # nothing is visible outside before the end
    finally:
        request_transaction.end(commit=True)
    assert _keys(app) == {"a"}


def test_a_request_ended_without_commit_leaves_nothing(
    app: Flask, runtime: Runtime, clock: FakeClock
) -> None:
    tenant = create_tenant(runtime, "T")[0].id or 0
    request_transaction.begin()
    with runtime.writer() as uow:
        uow.responses.add(_answer(tenant, "a", clock))
        uow.commit()
    request_transaction.end(commit=False)
    request_transaction.end(commit=False)  # twice is harmless: the teardown's call after settle's
    assert _keys(app) == set()
