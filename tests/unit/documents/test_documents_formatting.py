from datetime import date
from decimal import Decimal

import pytest

from service.documents.formatting import Formatter, ordinal, payment_day_phrase


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("it", 1, "1°\xa0dicembre\xa02026"),
        ("it", 2, "2\xa0dicembre\xa02026"),
        ("en", 1, "1\xa0December\xa02026"),
    ],
)
def test_dates_are_long_localised_and_unbreakable(language: str, day: int, expected: str) -> None:
    # No-break spaces: a line never ends inside a date; Italian writes the 1st as "1°".
    assert Formatter(language, "EUR").date(date(2026, 12, day)) == expected


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("it", "1200", "1.200,00\xa0€"),
        ("en", "1200", "€1,200.00"),
        ("it", "0.5", "0,50\xa0€"),
        ("en", "1234567.89", "€1,234,567.89"),
    ],
)
def test_money_follows_the_locale(language: str, amount: str, expected: str) -> None:
    assert Formatter(language, "EUR").money(Decimal(amount)) == expected


def test_other_currencies_keep_their_symbol() -> None:
    assert Formatter("en", "USD").money(Decimal("10")) == "$10.00"
    assert Formatter("it", "CHF").money(Decimal("10")) == "10,00\xa0CHF"


def test_month_names() -> None:
    assert Formatter("it", "EUR").month(date(2026, 10, 1)) == "ottobre\xa02026"
    assert Formatter("en", "EUR").month(date(2026, 10, 1)) == "October\xa02026"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (24, "24th"),
        (30, "30th"),
    ],
)
def test_english_ordinals(day: int, expected: str) -> None:
    assert ordinal(day, "en") == expected


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (1, "en", "on the 1st of each month"),
        (2, "en", "on the 2nd of each month"),
        (3, "en", "on the 3rd of each month"),
        (11, "en", "on the 11th of each month"),
        (21, "en", "on the 21st of each month"),
        (22, "en", "on the 22nd of each month"),
        (23, "en", "on the 23rd of each month"),
        (31, "en", "on the last day of each month"),
        (1, "it", "il giorno 1° di ogni mese"),
        (15, "it", "il giorno 15 di ogni mese"),
        (31, "it", "l'ultimo giorno di ogni mese"),
    ],
)
def test_payment_day_phrases(day: int, language: str, expected: str) -> None:
    assert payment_day_phrase(day, language) == expected
