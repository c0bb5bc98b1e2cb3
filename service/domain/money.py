"""Money is Decimal with two places, in an ISO 4217 currency; never float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_CURRENCIES = frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in _CURRENCIES


def parse_amount(value: object) -> Decimal:
    """Read an amount from a string or number; refuse anything finer than a cent.

    Rounding silently would change what the user typed, so a third decimal is an error.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("Not a number.")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("Not a number.") from None
    if not amount.is_finite():
        raise ValueError("Not a finite number.")
    if amount != amount.quantize(CENT):
        raise ValueError("At most two decimal places.")
    return amount.quantize(CENT)


def as_text(amount: Decimal) -> str:
    """The wire form: a string with exactly two decimals, so JSON never rounds it."""
    return str(amount.quantize(CENT))
