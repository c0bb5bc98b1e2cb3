"""The fake unit of work keeps the promises the use cases rely on, like the real one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.application.engagements import create_engagement
from service.application.runtime import Runtime
from service.domain.model import Tenant
from tests.unit.application.conftest import stored, terms
from tests.unit.fakes import FakeDatabase


def test_nothing_is_kept_without_a_commit(rt: Runtime, database: FakeDatabase) -> None:
    with pytest.raises(RuntimeError), rt.writer() as uow:
        uow.tenants.add(Tenant(name="Half made"))
        uow.flush()
        raise RuntimeError("the use case fails after its flush")
    with rt.reader() as uow:
        assert uow.tenants.get(1) is None  # the id its flush gave it
    assert database.committed.commits == 0


def test_flush_assigns_ids_and_commit_keeps_them(rt: Runtime) -> None:
    with rt.writer() as uow:
        first, second = Tenant(name="A"), Tenant(name="B")
        uow.tenants.add(first)
        uow.tenants.add(second)
        assert first.id is None
        uow.flush()
        assert (first.id, second.id) == (1, 2)
        uow.commit()
    with rt.reader() as uow:
        found = uow.tenants.get(2)
        assert found is not None and found.name == "B" and found is not second  # a copy per unit of work


def test_the_deadline_hook_runs_before_the_write(rt: Runtime, database: FakeDatabase, tenant_id: int) -> None:
    """Wired as in create_app: a use case never sets next_deadline itself."""
    created = create_engagement(rt, tenant_id, terms())
    midnight = datetime(2026, 12, 1, 23, tzinfo=UTC)  # overdue from the 2nd, midnight in Rome
    assert created["next_deadline"] == midnight  # already in the view built before the commit
    assert stored(database, created["id"]).next_deadline == midnight
