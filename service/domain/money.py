"""Money is Decimal with two places, in an ISO 4217 currency; never float."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import list_currencies

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CURRENCIES = tuple(sorted(list_currencies()))
_KNOWN = frozenset(CURRENCIES)


def is_currency(code: str) -> bool:
    return code in _KNOWN


def as_text(amount: Decimal) -> str:
    """The wire form: a string with exactly two decimals, so JSON never rounds it."""
    return str(amount.quantize(CENT))
