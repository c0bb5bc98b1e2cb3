"""Plural forms by CLDR category (Babel), exact matches first; sentences said per language."""

from __future__ import annotations

from decimal import Decimal

import pytest

from service.domain.grammar import choose_form, plural_category
from service.domain.sayings import Money, Said, say

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
