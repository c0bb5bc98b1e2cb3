"""The traps of adding a trigger (issue 29): each gap stops start-up, or fails a test, naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from service.config import ROOT
from service.documents import DocumentRenderer, DocumentSetupError
from service.domain import said_keys
from service.domain.engine import WorkflowEngine
from service.domain.said_keys import unworded
from service.domain.workflow import WorkflowError, load_workflow

WORDING = ROOT / "contract_templates" / "wording"
WORKFLOW = load_workflow(ROOT / "workflows" / "engagement.yaml")


def _parent(data: dict[str, Any], key: str) -> tuple[dict[str, Any], str]:
    *parents, last = key.split(".")
    for part in parents:
        data = data[part]
    return data, last


def wording_copy(folder: Path, drop: dict[str, str] | None = None, add: dict[str, str] | None = None) -> Path:
    """The service's wording files, with a dotted key dropped from (or a letter added to) a language."""
    folder.mkdir(parents=True)
    for language in ("it", "en"):
        data = yaml.safe_load((WORDING / f"{language}.yaml").read_text("utf-8"))
        if (drop or {}).get(language):
            node, last = _parent(data, (drop or {})[language])
            del node[last]
        if (add or {}).get(language):
            node, last = _parent(data, (add or {})[language])
            node[last] = {"subject": "Status", "clause": "", "body": ["Work goes on."]}
        (folder / f"{language}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return folder


def rules_module(folder: Path, text: str) -> Path:
    (folder / "service").mkdir(parents=True)
    (folder / "service" / "rules.py").write_text(text, "utf-8")
    return folder / "service"


def test_every_sentence_the_service_can_say_is_worded_in_every_language() -> None:
    assert unworded() == ()


def test_a_guard_saying_a_key_no_wording_holds_is_named_with_each_language(tmp_path: Path) -> None:
    source = rules_module(
        tmp_path / "code",
        'from service.domain.sayings import Said\n\n\ndef g(ctx):\n    return [Said("guards.brand_new")]\n',
    )
    assert unworded(source, wording_copy(tmp_path / "wording")) == (
        "service/rules.py:5: 'guards.brand_new' is not in it.yaml (messages.guards.brand_new)",
        "service/rules.py:5: 'guards.brand_new' is not in en.yaml (messages.guards.brand_new)",
    )


def test_a_key_worded_in_one_language_only_names_the_other(tmp_path: Path) -> None:
    source = rules_module(tmp_path / "code", 'Said("guards.explain")\n')
    wording = wording_copy(tmp_path / "wording", drop={"en": "messages.guards.explain"})
    assert unworded(source, wording) == (
        "service/rules.py:1: 'guards.explain' is not in en.yaml (messages.guards.explain)",
    )


def test_a_key_built_at_run_time_cannot_be_checked_and_is_refused(tmp_path: Path) -> None:
    source = rules_module(tmp_path / "code", 'reason = "explain"\nSaid(f"guards.{reason}")\n')
    assert unworded(source, WORDING) == (
        "service/rules.py:2: Said needs its key as a literal, so it can be checked",
    )


def test_start_up_stops_naming_a_sentence_missing_from_the_wording(tmp_path: Path, monkeypatch) -> None:
    source = rules_module(tmp_path / "code", 'Said("guards.brand_new")\n')
    monkeypatch.setattr(said_keys, "unworded", lambda: unworded(source, WORDING))
    with pytest.raises(WorkflowError, match=r"'guards\.brand_new' is not in it\.yaml"):
        WorkflowEngine(WORKFLOW, DocumentRenderer().kinds)


def test_a_notice_worded_in_one_language_only_stops_start_up_naming_it(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    wording_copy(templates / "wording", add={"it": "notices.status_update"})
    with pytest.raises(DocumentSetupError, match=r"en\.yaml lacks notices\.status_update\.$"):
        DocumentRenderer(templates)
