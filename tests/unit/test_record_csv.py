"""record.csv: spreadsheet cells that would run as formulas are neutralised (OWASP CSV
injection), and every entry reads as a line in the engagement's language, from the wording."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from service.application.record_csv import neutralised, summary
from service.config import ROOT
from service.domain import record
from service.domain.model import LANGUAGES, Event
from tests.unit.builders import NOW


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-100.00", "-100.00"),  # a plain number is no formula
        ("Piano = ok", "Piano = ok"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_evaluate_get_an_apostrophe(cell: str, shown: str) -> None:
    assert neutralised(cell) == shown


def _constants(trees: list[ast.Module]) -> dict[str, str]:
    """Module-level ``NAME = "text"`` across service/: an entry type may be handed over by name."""
    return {
        node.targets[0].id: node.value.value
        for tree in trees
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _written_entry_types() -> set[str]:
    """Every entry type a use case writes: the literal (or module constant) handed to
    ``append_entry`` (third argument) or to ``messages._change`` (fourth), read from the source."""
    found = set()
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in (ROOT / "service").rglob("*.py")]
    constants = _constants(trees)
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                position = {"append_entry": 2, "_change": 3}.get(node.func.id)
                if position is not None and len(node.args) > position:
                    argument = node.args[position]
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        found.add(argument.value)
                    elif isinstance(argument, ast.Name) and argument.id in constants:
                        found.add(constants[argument.id])
    return found


WRITTEN = _written_entry_types()


def test_the_scan_finds_the_entry_types_of_every_kind_of_use_case() -> None:
    assert set(record.WRITTEN_TYPES) | {"message_approved", "message_sent", "pec_receipt"} <= WRITTEN


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entry_type", sorted(WRITTEN))
def test_every_entry_type_has_a_line_of_its_own_in_every_language(entry_type: str, language: str) -> None:
    line = summary(Event(1, 1, entry_type, NOW, {}, "", ""), language)
    assert line != entry_type.replace("_", " ")  # the fallback for a type without wording


ENTRIES = [
    ("engagement_created", {"client_name": "Bottega Rossi", "monthly_fee": "1200.00", "currency": "EUR"},
     "Incarico creato per Bottega Rossi: 1.200,00\xa0€ al mese",
     "Engagement created for Bottega Rossi: 1200.00 EUR a month"),
    ("message_discarded", {"message_id": 4, "reason": "sent by hand"},
     "Messaggio 4 scartato: sent by hand", "Message 4 discarded: sent by hand"),
    ("pec_receipt", {"message_id": 4, "kind": "accettazione", "issued_at": "2026-12-02T10:00:00+00:00"},
     "Ricevuta PEC del messaggio 4: accettazione, emessa il 2 dicembre 2026, 11:00",
     "PEC receipt for message 4: accettazione, issued 2026-12-02T10:00:00+00:00"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("entry_type", "payload", "italian", "english"), ENTRIES, ids=[e[0] for e in ENTRIES]
)
def test_an_italian_engagements_record_reads_in_italian(
    entry_type: str, payload: dict[str, Any], italian: str, english: str
) -> None:
    # Italian: amounts as the letters write them, instants in the tenant's zone in words (issue 30,
    # list 9); English keeps the API's own forms.
    entry = Event(1, 1, entry_type, NOW, payload, "", "")
    said = [summary(entry, language, currency="EUR", zone="Europe/Rome") for language in ("it", "en")]
    assert said == [italian, english]


def test_a_summary_stays_one_line_and_leaves_out_what_the_payload_lacks() -> None:
    entry = Event(1, 1, "work_logged", NOW, {"summary": "Piano\n\n  rivisto", "extra": "ignored"}, "", "")
    assert summary(entry, "it") == "Lavoro svolto il : Piano rivisto"
