"""The sender rule at in-memory speed: every use case that writes a document goes through
``issue_documents``, which refuses a live account without its sender details; nothing commits."""

from __future__ import annotations

import pytest

from service.application.documents import regenerate_document
from service.application.engagements import create_engagement
from service.application.runtime import Runtime
from service.application.tenants import create_tenant, update_tenant
from service.domain.errors import SenderIncomplete
from tests.unit.application.conftest import terms
from tests.unit.fakes import FakeDatabase


def test_creating_an_engagement_for_a_live_account_without_a_sender_commits_nothing(
    rt: Runtime, database: FakeDatabase
) -> None:
    tenant, _ = create_tenant(rt, "Studio Verdi")
    commits = database.committed.commits
    with pytest.raises(SenderIncomplete) as refused:
        create_engagement(rt, tenant.id or 0, terms())
    assert refused.value.missing == ["address", "email", "signatory"]
    assert set(refused.value.errors) == {"tenant.address", "tenant.email", "tenant.signatory"}
    assert database.committed.commits == commits
    assert database.committed.engagements == [] and database.committed.documents == []


def test_regenerating_commits_nothing_once_a_detail_is_removed(
    rt: Runtime, database: FakeDatabase, tenant_id: int, engagement_id: int
) -> None:
    update_tenant(rt, tenant_id, {"sender_email": "  "})  # blank is as good as missing
    documents, events = len(database.committed.documents), len(database.committed.events)
    with pytest.raises(SenderIncomplete) as refused:
        regenerate_document(rt, tenant_id, engagement_id, "contract")
    assert refused.value.missing == ["email"]
    assert (len(database.committed.documents), len(database.committed.events)) == (documents, events)


def test_a_sandbox_is_let_through(rt: Runtime, database: FakeDatabase) -> None:
    tenant, _ = create_tenant(rt, "Rehearsal", sandbox=True)
    created = create_engagement(rt, tenant.id or 0, terms())
    assert [d.kind for d in database.committed.documents if d.engagement_id == created["id"]] == ["contract"]
