"""Money is Decimal with two places, in an ISO 4217 currency; never float."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, list_currencies

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CURRENCIES = tuple(sorted(list_currencies()))
_KNOWN = frozenset(CURRENCIES)


def is_currency(code: str) -> bool:
    return code in _KNOWN


def as_text(amount: Decimal) -> str:
    """The wire form: a string with exactly two decimals, so JSON never rounds it."""
    return str(amount.quantize(CENT))


def formatted(amount: Decimal, currency: str) -> str:
    """An amount with its currency for a sentence a person reads (e.g. "€1,200.00")."""
    return format_currency(amount, currency, locale="en")
