"""A letter added only in the wording, with its trigger, runs on the in-memory fakes as in the app."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from service.application.engagements import create_engagement
from service.application.entries import log_work
from service.application.runtime import workflow_engine
from service.application.transitions import fire_transition
from service.documents import DocumentRenderer
from tests.api.test_workflow_as_data import extended_workflow
from tests.conftest import FakeClock
from tests.unit.application.conftest import terms
from tests.unit.fakes import FakeDatabase, fake_runtime


def test_a_letter_only_the_wording_defines_is_issued_by_the_fakes(
    tmp_path: Path, database: FakeDatabase, clock: FakeClock, tenant_id: int
) -> None:
    """The fakes take their kinds from the renderer (``workflow_engine``), as create_app does: a
    narrower list would refuse this workflow at start-up."""
    overrides = extended_workflow(tmp_path)
    renderer = DocumentRenderer(overrides["TEMPLATES_DIR"])
    rt = fake_runtime(database, clock, workflow_engine(overrides["WORKFLOW_FILE"], renderer), renderer)
    engagement_id = create_engagement(rt, tenant_id, terms())["id"]
    log_work(
        rt, tenant_id, engagement_id, day=date(2026, 12, 1), summary="Reels", hours=None, category="content"
    )
    fired = fire_transition(
        rt, tenant_id, engagement_id, "send_status_update", data={"highlights": "Reach up"}, note=None
    )
    assert [d["kind"] for d in fired["documents"]] == ["status_update"]
