"""Sentences for the person at the API (guards' ``blocked_by``, 409/422 details), said in the
engagement's language from the wording files' ``messages`` section: one lookup, ``say``.

A rule returns ``Said(key, **values)``: a ``str`` whose text is the English sentence, so
logs, tests and callers that only know strings read it as before, and which keeps its key
and values so the API can say it again in the engagement's language. Values are plain
(dates in ISO form, as the API writes them, in words outside English) except ``Money``, formatted for the
language ("€1,200.00" / "1.200,00 €"), a ``Said`` (a phrase said in the same language, such as
"3 days"), and a ``Listing`` of them ("a, b and c" / "a, b e c"). An entry may hold plural forms
(``one``/``other``, chosen by ``count`` with the language's CLDR rules, see ``grammar``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency

from service.domain.grammar import choose_form, elide
from service.domain.yaml_files import read_yaml

WORDING_DIR = Path(__file__).resolve().parents[2] / "contract_templates" / "wording"
ENGLISH = "en"
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def text(self, language: str) -> str:
        return format_currency(self.amount, self.currency, locale=language)


@dataclass(frozen=True)
class Month:
    """A calendar month as the language names it: "dicembre 2026" / "December 2026", never
    "2026-12" (an invoice's period read by a person)."""

    first_day: date

    def text(self, language: str) -> str:
        return format_date(self.first_day, format="MMMM y", locale=language)


@dataclass(frozen=True)
class Day:
    """A day as a sentence writes it: "1° dicembre 2026" / "1 December 2026", never ISO; Italian
    writes the first of a month as an ordinal. The documents' dates are these, kept on one line."""

    day: date

    def text(self, language: str) -> str:
        text = format_date(self.day, format="d MMMM y", locale=language)
        return "1°" + text[1:] if language == "it" and self.day.day == 1 else text


@cache
def _messages(language: str) -> dict[str, Any]:
    with (WORDING_DIR / f"{language}.yaml").open(encoding="utf-8") as file:
        return dict(read_yaml(file)["messages"])


@dataclass(frozen=True)
class Listing:
    """Phrases joined as a sentence lists them, with the language's own "and" (``messages.lists``);
    ``capitalised`` for a listing that opens a sentence."""

    items: tuple[Any, ...]
    capitalised: bool = False

    def text(self, language: str) -> str:
        words = _messages(language)["lists"]
        parts = [_shown(item, language) for item in self.items]
        joined = parts[-1]
        if len(parts) > 1:
            joined = words["between"].join(parts[:-1]) + words["last"] + joined
        return joined[:1].upper() + joined[1:] if self.capitalised else joined


def entry(language: str, key: str) -> Any:
    """The wording file's entry ``messages.<key>`` as written, its placeholders unfilled."""
    node: Any = _messages(language)
    for part in key.split("."):
        node = node[part]
    return node


def sentence(language: str, key: str, values: dict[str, Any], *, blank_missing: bool = False) -> str:
    """The entry ``key`` with its values; ``blank_missing`` leaves out a value the caller does not
    have (a record entry's payload) instead of failing."""
    node = entry(language, key)
    if isinstance(node, dict):  # plural forms
        node = choose_form(node, language, values["count"])
    shown = {k: _shown(v, language) for k, v in values.items()}
    said = _PLACEHOLDER.sub(
        lambda m: shown.get(m[1], "") if blank_missing else shown[m[1]], " ".join(str(node).split())
    )
    return elide(said, language)  # "dell'11 dicembre", never "del 11", once the day is in words


def _shown(value: Any, language: str) -> str:
    if isinstance(value, Money | Listing | Month | Day):
        return value.text(language)
    if isinstance(value, Said):
        return sentence(language, value.key, value.values)
    if language != ENGLISH and _is_day(value):
        # A day the rules pass (a date, or its ISO form) reads in words outside English: Italian
        # text never writes "2026-12-01" (issue 30); English keeps the API's own form.
        return Day(date.fromisoformat(str(value))).text(language)
    if language != ENGLISH and isinstance(value, str) and _ISO_MONTH.fullmatch(value):
        return Month(date.fromisoformat(f"{value}-01")).text(language)  # a period: "dicembre 2026"
    return str(value)


def _is_day(value: Any) -> bool:
    if isinstance(value, date):
        return not isinstance(value, datetime)
    return isinstance(value, str) and _ISO_DAY.fullmatch(value) is not None


class Said(str):
    """A sentence with its wording key: English as a ``str``, any language through ``say``."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, **values: Any) -> Said:
        said = super().__new__(cls, sentence(ENGLISH, key, values))
        said.key, said.values = key, values
        return said

    def __reduce__(self) -> Any:  # copies and pickles keep the key
        return (_rebuild, (self.key, self.values))


def handover_item(action: str, platform: str, handle: str) -> Said:
    """A handover item as a reader names it: “Export content and reports” (instagram @acme)."""
    return Said("handover.item", action=Said(f"handover.actions.{action}"), platform=platform, handle=handle)


def handover_status(status: str) -> Said:
    """An item's status in words ("completed" / "completata"), never its code."""
    return Said(f"handover.statuses.{status}")


def _rebuild(key: str, values: dict[str, Any]) -> Said:
    return Said(key, **values)


def say(text: str, language: str | None) -> str:
    """``text`` in ``language`` when it is a ``Said`` and the language has wording; else as is."""
    if isinstance(text, Said) and language and language != ENGLISH:
        try:
            return sentence(language, text.key, text.values)
        except (OSError, KeyError):
            return str(text)
    return str(text)
