"""The workflow file drives the API: what each trigger needs is listed, and a trigger added to
the file (with its guard, effect and wording) runs end to end with no other code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from service import create_app
from service.adapters.database import close_connections
from service.application.tenants import create_tenant
from service.config import ROOT
from service.domain.rules import RULES, TransitionContext
from service.domain.workflow import WorkflowError
from tests.api.test_documents import text_of
from tests.conftest import Api, FakeClock, empty_tables, with_sender


def test_listing_names_the_input_each_trigger_still_needs(api: Api) -> None:
    e = api.create_engagement()
    listed = {t["trigger"]: t for t in api.get(f"/v1/engagements/{e['id']}/transitions").json["transitions"]}
    offboarding = listed["begin_offboarding"]
    assert [n["name"] for n in offboarding["needs"]] == ["reason"]
    assert offboarding["needs"][0]["choices"] == [
        "unresponsive",
        "controlling",
        "non_payment",
        "mutual",
        "other",
    ]
    assert [n["name"] for n in listed["request_feedback"]["needs"]] == ["subject"]
    assert listed["request_feedback"]["needs"][0]["max_length"] == 500
    assert listed["issue_conduct_warning"]["needs"] == []  # its summary is optional
    assert listed["mark_payment_overdue"]["by"] == ["clock", "user"]
    assert listed["mark_payment_overdue"]["automatic"] is True


def test_input_that_does_not_fit_the_trigger_is_422_naming_the_field(api: Api) -> None:
    e = api.create_engagement()
    missing = api.fire(e["id"], "request_feedback")
    assert missing.status_code == 422
    assert list(missing.json["errors"]) == ["data.subject"]
    foreign = api.fire(e["id"], "request_feedback", subject="Plan", reason="mutual")
    assert foreign.status_code == 422
    assert foreign.json["errors"] == {
        "data.reason": ["'request_feedback' does not take 'reason'; it takes subject."]
    }
    assert api.get(f"/v1/engagements/{e['id']}").json["version"] == e["version"]


# A trigger the shipped workflow does not have, as a user would add it: one YAML entry, one
# guard, one effect and one wording entry per language. Its letter needs no builder.
NEW_TRIGGER = {
    "by": ["user"],
    "input": {
        "highlights": {
            "type": "text",
            "required": True,
            "max_length": 1000,
            "description": "What went well this month, in a sentence or two.",
        }
    },
}
NEW_TRANSITION = {
    "trigger": "send_status_update",
    "source": ["active", "awaiting_feedback"],
    "dest": "same",
    "guards": ["work_logged_for_the_update"],
    "effects": ["count_status_update"],
    "documents": ["status_update"],
}
WORDING = {
    "en": {
        "subject": "This month's update for {{ client }}",
        "clause": "services",
        "body": ["Here is what went well this month: {{ highlights }}", "Thank you for your trust."],
    },
    "it": {
        "subject": "Aggiornamento del mese per {{ client }}",
        "clause": "services",
        "body": ["Ecco cosa è andato bene questo mese: {{ highlights }}", "Grazie per la fiducia."],
    },
}


@RULES.guard
def work_logged_for_the_update(ctx: TransitionContext) -> list[str]:
    return [] if ctx.engagement.work_log else ["Log the work done before sending an update about it."]


@RULES.effect
def count_status_update(ctx: TransitionContext) -> None:
    ctx.payload["highlights_length"] = len((ctx.data or {})["highlights"])


def extended_workflow(folder: Path) -> dict[str, Any]:
    workflow = yaml.safe_load((ROOT / "workflows" / "engagement.yaml").read_text(encoding="utf-8"))
    workflow["triggers"]["send_status_update"] = NEW_TRIGGER
    workflow["transitions"].append(NEW_TRANSITION)
    (folder / "workflow.yaml").write_text(yaml.safe_dump(workflow, allow_unicode=True), encoding="utf-8")
    wording = folder / "templates" / "wording"
    wording.mkdir(parents=True)
    for language, entry in WORDING.items():
        texts = yaml.safe_load(
            (ROOT / "contract_templates" / "wording" / f"{language}.yaml").read_text("utf-8")
        )
        texts["notices"]["status_update"] = entry
        (wording / f"{language}.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    desk = folder / "desk"  # the desk names the new trigger too, or the service does not start
    desk.mkdir()
    for language in WORDING:
        texts = yaml.safe_load(
            (ROOT / "service" / "desk" / "wording" / f"{language}.yaml").read_text("utf-8")
        )
        texts["workflow"]["trigger"]["send_status_update"] = "Status update"
        (desk / f"{language}.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    return {
        "WORKFLOW_FILE": folder / "workflow.yaml",
        "TEMPLATES_DIR": folder / "templates",
        "DESK_WORDING_DIR": desk,
    }


@pytest.fixture
def extended_app(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Flask]:
    overrides = extended_workflow(tmp_path)
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, **overrides})
    empty_tables(app)
    app.extensions["runtime"].clock = clock
    yield app
    close_connections(app)


def test_a_trigger_added_to_the_workflow_file_runs_through_the_api(extended_app: Flask) -> None:
    tenant, key = create_tenant(extended_app.extensions["runtime"], "Studio Bianchi", language="en")
    with_sender(extended_app.extensions["runtime"], tenant.id or 0)
    api = Api(extended_app.test_client(), key, tenant.id or 0)
    eid = api.create_engagement(language="en")["id"]
    listed = {t["trigger"]: t for t in api.get(f"/v1/engagements/{eid}/transitions").json["transitions"]}
    assert listed["send_status_update"]["allowed"] is False
    assert listed["send_status_update"]["blocked_by"] == [
        "Log the work done before sending an update about it."
    ]
    assert [n["name"] for n in listed["send_status_update"]["needs"]] == ["highlights"]
    assert api.fire(eid, "send_status_update").json["errors"].keys() == {"data.highlights"}

    api.post(f"/v1/engagements/{eid}/work-log", json={"date": "2026-12-01", "summary": "Reels"})
    highlights = "Reach up 40% & 3 <new> clients"
    fired = api.fire(eid, "send_status_update", highlights=highlights)
    assert fired.status_code == 200, fired.json
    assert fired.json["engagement"]["state"] == "active"
    assert fired.json["event"]["payload"]["highlights_length"] == len(highlights)
    [document] = fired.json["documents"]
    assert document["kind"] == "status_update"
    text = text_of(api.get(f"/v1/documents/{document['id']}/content").data)
    assert f"Here is what went well this month: {highlights}" in text
    assert "This month's update for Bottega Rossi S.r.l." in text
    generated = extended_app.test_cli_runner().invoke(args=["openapi", "print", "--format=yaml"])
    data = yaml.safe_load(generated.output)["components"]["schemas"]["TransitionRequest"]["properties"][
        "data"
    ]["properties"]
    assert data["highlights"]["maxLength"] == 1000


def test_a_letter_added_only_in_the_wording_is_a_kind_the_documents_api_knows(extended_app: Flask) -> None:
    """Filtering and regenerating take the app's kinds (its renderer's), not a list fixed in code."""
    tenant, key = create_tenant(extended_app.extensions["runtime"], "Studio Bianchi", language="en")
    with_sender(extended_app.extensions["runtime"], tenant.id or 0)
    api = Api(extended_app.test_client(), key, tenant.id or 0)
    eid = api.create_engagement(language="en")["id"]
    api.post(f"/v1/engagements/{eid}/work-log", json={"date": "2026-12-01", "summary": "Reels"})
    [sent] = api.fire(eid, "send_status_update", highlights="Reach up 40%").json["documents"]
    regenerated = api.post(f"/v1/engagements/{eid}/documents", json={"kind": "status_update"})
    assert regenerated.status_code == 201, regenerated.json
    listed = api.get("/v1/documents?kind=status_update")
    assert listed.status_code == 200, listed.json
    assert [d["id"] for d in listed.json["items"]] == [regenerated.json["id"], sent["id"]]
    unknown = api.get("/v1/documents?kind=thank_you_card")
    assert unknown.status_code == 422
    assert "status_update" in unknown.json["errors"]["kind"][0]


def test_a_document_kind_with_neither_builder_nor_wording_stops_start_up(tmp_path: Path) -> None:
    workflow = yaml.safe_load((ROOT / "workflows" / "engagement.yaml").read_text(encoding="utf-8"))
    workflow["transitions"][0]["documents"] = ["feedback_request", "thank_you_card"]
    (tmp_path / "workflow.yaml").write_text(yaml.safe_dump(workflow), encoding="utf-8")
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "TESTING": True}
    with pytest.raises(WorkflowError, match="names unknown document kind 'thank_you_card'"):
        create_app({**config, "WORKFLOW_FILE": tmp_path / "workflow.yaml"})
