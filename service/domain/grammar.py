"""Plural forms chosen by the language's CLDR rules (Babel), never by ``n == 1``.

A wording entry that depends on a number holds its forms by CLDR category (``one``,
``other``, and for languages that have them ``few``, ``many``...), optionally with exact
matches first, as ICU MessageFormat writes them: ``"=0"`` for "no accounts" where the
category alone would read "all 0 accounts". ``other`` is required: every language has it,
and it is the fallback for a category the entry does not spell out (Italian's ``many``, for
a million, reads as ``other`` unless the entry says otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache

from babel import Locale


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def plural_category(language: str, n: int | Decimal) -> str:
    """The CLDR plural category of ``n`` in ``language``: 'one', 'other', 'many'..."""
    return str(_locale(language).plural_form(abs(n)))


def choose_form(forms: Mapping[str, str], language: str, n: int | Decimal) -> str:
    """The form for ``n``: an exact match (``"=0"``) first, then its category, then ``other``."""
    exact = forms.get(f"={n}")
    if exact is not None:
        return exact
    category = plural_category(language, n)
    if category in forms:
        return forms[category]
    if "other" not in forms:
        raise KeyError(f"Plural forms {sorted(forms)} lack 'other', the fallback of every language.")
    return forms["other"]


# Italian elides an article or articulated preposition before a day that starts with a vowel
# sound (otto, undici): "l'8 dicembre", "dell'11 dicembre", never "il 8" or "del 11". The
# wording writes "entro il {{ date }}"; the date is only known when the letter is written.
_MONTHS_IT = "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
_BEFORE_VOWEL_DAY = re.compile(rf"\b(il|Il|del|al|dal|nel|sul)[ \u00a0](8|11)(?=[ \u00a0](?:{_MONTHS_IT})\b)")
_ELIDED = {
    "il": "l'",
    "Il": "L'",
    "del": "dell'",
    "al": "all'",
    "dal": "dall'",
    "nel": "nell'",
    "sul": "sull'",
}


def elide(text: str, language: str) -> str:
    """``text`` with the elisions its language requires before a date (Italian only)."""
    if language != "it":
        return text
    return _BEFORE_VOWEL_DAY.sub(lambda m: _ELIDED[m[1]] + m[2], text)
