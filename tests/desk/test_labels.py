"""The desk names states and triggers as a person reads them, in the account's language: labels
from its wording, keyed by the workflow's names, and none missing (start-up refuses)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask

from service.desk.wording import FOLDER, DeskWording
from tests.conftest import Api
from tests.desk.conftest import Desk


def _shown_text(page: str) -> str:
    """What a reader sees: no tags or attributes, and not the diagram's ids (its labels stay)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'(<pre class="mermaid".*?</pre>)', lambda m: html.unescape(m.group(1)), page, flags=re.S)
    page = re.sub(r'^ +state "[^"]*" as \S+$', " ", page, flags=re.M)  # the ids Mermaid draws by
    page = re.sub(r"^ +(\S+) --> (\S+)(: )?", " ", page, flags=re.M)
    page = re.sub(r"^ +(classDef|class) .*$", " ", page, flags=re.M)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _names(app: Flask) -> set[str]:
    definition = app.extensions["runtime"].workflow.definition
    return set(definition.state_names) | set(definition.triggers)


def test_no_page_shows_a_state_or_trigger_by_its_name(desk: Desk, api: Api, app: Flask) -> None:
    engagement_id = api.create_engagement()["id"]
    api.fire(engagement_id, "request_feedback", subject="Piano")
    pages = [
        "/app/today",
        "/app/engagements",
        f"/app/engagements/{engagement_id}",
        "/app/outbox",
        *[f"/app/messages/{m['id']}" for m in api.get("/v1/messages?status=draft").json["items"]],
    ]
    for path in pages:
        shown = _shown_text(desk.get(path).get_data(as_text=True))
        assert {n for n in _names(app) if re.search(rf"\b{n}\b", shown)} == set(), path
    engagement = _shown_text(desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True))
    assert "In attesa del riscontro del cliente" in engagement  # the state, in the account's Italian
    assert "Registra il riscontro del cliente" in engagement  # a trigger the state allows
    assert "Chiedi un riscontro al cliente" in engagement  # in the timeline: the step that led here


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("kind", ["state", "trigger"])
def test_start_up_refuses_a_workflow_name_without_its_label_in_any_language(
    app: Flask, tmp_path: Path, language: str, kind: str
) -> None:
    definition = app.extensions["runtime"].workflow.definition
    name = (definition.state_names if kind == "state" else sorted(definition.triggers))[1]
    for file in FOLDER.glob("*.yaml"):
        shutil.copy(file, tmp_path / file.name)
    wording = DeskWording.load(tmp_path)
    wording.require_workflow_labels(definition.state_names, definition.triggers)  # as shipped: all there
    del wording.texts[language][f"workflow.{kind}.{name}"]
    with pytest.raises(ValueError, match=rf"{language}: workflow\.{kind}\.{name}"):
        wording.require_workflow_labels(definition.state_names, definition.triggers)
