"""Dates, money and payment-day phrases for the engagement's language (Babel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from service.domain.sayings import Day

MONTH_FORMAT = "MMMM y"
LAST_DAY = 31  # a due_day of 31 means the last day of every month
# Dates and amounts are single words on the page: a line never breaks inside "1 dicembre 2026"
# or "1.200,00 €" (Babel already joins an amount to its symbol with one).
NBSP = "\xa0"

_ENGLISH_SUFFIXES = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
_PAYMENT_DAY = {
    "en": ("on the {day} of each month", "on the last day of each month"),
    "it": ("il giorno {day} di ogni mese", "l'ultimo giorno di ogni mese"),
}


def ordinal(day: int, language: str) -> str:
    """'1st', '22nd' in English; Italian states the number, the first as an ordinal ('il giorno
    1°', 'il giorno 15'), as it writes dates."""
    if language == "en":
        return f"{day}{_ENGLISH_SUFFIXES.get(day, 'th')}"
    return "1°" if day == 1 else str(day)


def payment_day_phrase(due_day: int, language: str) -> str:
    every_month, last_day = _PAYMENT_DAY[language]
    if due_day >= LAST_DAY:
        return last_day
    return every_month.format(day=ordinal(due_day, language))


@dataclass(frozen=True)
class Formatter:
    language: str
    currency: str

    def date(self, day: date) -> str:
        # "1° dicembre 2026" / "1 December 2026": the one way the service writes a day in words.
        return Day(day).text(self.language).replace(" ", NBSP)

    def month(self, day: date) -> str:
        return format_date(day, format=MONTH_FORMAT, locale=self.language).replace(" ", NBSP)

    def money(self, amount: Decimal) -> str:
        return format_currency(amount, self.currency, locale=self.language)

    def number(self, value: Decimal) -> str:
        return format_decimal(value, format="#,##0.##", locale=self.language)

    def percent(self, rate: Decimal) -> str:
        """A tax rate as invoices print it: "22%", "4%", "20%" (decimals only when there are)."""
        return f"{self.number(rate)}%"

    def payment_day(self, due_day: int) -> str:
        return payment_day_phrase(due_day, self.language)
