"""Plural forms by CLDR category (Babel), exact matches first; sentences said per language."""

from __future__ import annotations

from decimal import Decimal

import pytest

from service.domain.grammar import choose_form, elide, plural_category
from service.domain.model import HANDOVER_ACTIONS
from service.domain.sayings import Money, Said, handover_item, handover_status, say

FORMS = {"=0": "nessun giorno", "one": "{n} giorno", "other": "{n} giorni"}


@pytest.mark.parametrize(
    ("language", "n", "category"),
    [
        ("it", 0, "other"),
        ("it", 1, "one"),
        ("it", 2, "other"),
        ("it", 1_000_000, "many"),  # "un milione di giorni": CLDR's many, which falls back to other
        ("en", 0, "other"),
        ("en", 1, "one"),
        ("en", 3, "other"),
        ("en", Decimal("1.5"), "other"),
    ],
)
def test_plural_category_follows_cldr(language: str, n: int, category: str) -> None:
    assert plural_category(language, n) == category


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (0, "nessun giorno"),
        (1, "{n} giorno"),
        (2, "{n} giorni"),
        (3, "{n} giorni"),
        (1_000_000, "{n} giorni"),
    ],
)
def test_choose_form_takes_the_exact_match_then_the_category_then_other(n: int, form: str) -> None:
    assert choose_form(FORMS, "it", n) == form


def test_without_an_exact_match_zero_is_other_in_english() -> None:
    assert choose_form({"one": "1 account", "other": "n accounts"}, "en", 0) == "n accounts"


def test_forms_without_other_are_refused() -> None:
    with pytest.raises(KeyError, match="other"):
        choose_form({"one": "giorno"}, "it", 2)


def test_a_said_sentence_is_english_as_a_string_and_italian_when_said_so() -> None:
    said = Said("guards.reminders_short", count=1, sent=1, required=2)
    assert said == "1 of 2 unanswered feedback reminders are on record."
    assert say(said, "it") == "Risulta 1 sollecito senza risposta su 2 richiesti."
    assert say(Said("guards.reminders_short", count=3, sent=3, required=4), "it") == (
        "Risultano 3 solleciti senza risposta su 4 richiesti."
    )
    assert say("plain text stays as it is", "it") == "plain text stays as it is"


def test_money_in_a_sentence_follows_the_language() -> None:
    said = Said("conflicts.access_while_owed", what="x", owed=Money(Decimal("1200"), "EUR"))
    assert "€1,200.00 is still owed" in said
    assert "restano da saldare 1.200,00\xa0€" in say(said, "it")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("entro il 8\u00a0dicembre 2026", "entro l'8\u00a0dicembre 2026"),
        ("Il 11 gennaio 2027 scade", "L'11 gennaio 2027 scade"),
        ("la diffida del 11 dicembre 2026", "la diffida dell'11 dicembre 2026"),
        ("dal 8 marzo al 11 aprile", "dall'8 marzo all'11 aprile"),
        ("nel 8 maggio; sul 11 giugno", "nell'8 maggio; sull'11 giugno"),
        # Neighbours that must stay: other days, a count of days, 18 and 28, the 1° form.
        ("entro il 18 dicembre e il 28 dicembre", "entro il 18 dicembre e il 28 dicembre"),
        ("il 1° dicembre 2026", "il 1° dicembre 2026"),
        ("entro il 8 giorni", "entro il 8 giorni"),
        ("del 81 dicembre", "del 81 dicembre"),
    ],
)
def test_italian_elides_before_a_day_that_starts_with_a_vowel(written: str, read: str) -> None:
    assert elide(written, "it") == read


def test_english_is_never_elided() -> None:
    assert elide("on il 8 dicembre", "en") == "on il 8 dicembre"


@pytest.mark.parametrize("language", ["en", "it"])
def test_every_handover_action_and_status_is_worded(language: str) -> None:
    # The keys are built from the item's codes, so the start-up scan of Said literals cannot see them.
    for action in HANDOVER_ACTIONS:
        phrase = say(handover_item(action, "instagram", "@acme"), language)
        assert action not in phrase and phrase.endswith("(instagram @acme)"), phrase
    italian = [say(handover_status(status), "it") for status in ("open", "completed", "waived")]
    assert italian == ["aperta", "completata", "tralasciata"]
