"""What an account's invoices carry besides the fee, decided once when each invoice is issued and
kept on it: an Italian account's taxes under its profile (``domain.tax``), a UK VAT-registered
account's VAT, or nothing. Every reader (balance, ladder, interest, statements, letters, the
FatturaPA file) then takes the invoice's own amount payable, never recomputes it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal
from typing import Any

from service.domain.tax import (
    CENT,
    HUNDRED,
    ROUND_HALF_UP,
    STAMP_PAYERS,
    InvoiceLines,
    TaxProfile,
    compute,
    profile_from,
)

# The UK standard rate (VAT Act 1994, s. 2), the one a freelancer's services carry.
UK_STANDARD_RATE = Decimal("20.00")
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Invoicing:
    """An account's rules for the invoices it issues, read from the account at issue time."""

    tax_profile: dict[str, Any] | None = None  # an Italian account's stored profile
    uk_vat_number: str = ""  # a GB account registered for VAT

    def lines(self, fee: Decimal, client_vat_number: str) -> InvoiceLines | None:
        """The invoice's lines, or None when the account's invoices carry nothing but the fee."""
        if self.tax_profile is not None:
            profile = profile_from(self.tax_profile)
            return compute(profile, fee, client_has_vat_number=bool(client_vat_number.strip()))
        if self.uk_vat_number:
            return uk_vat(fee, self.uk_vat_number)
        return None


NO_TAXES = Invoicing()


def invoicing_of(jurisdiction: str, vat_number: str, tax_profile: dict[str, Any] | None) -> Invoicing:
    """An account's rules: its tax profile (Italian), else UK VAT when a GB account gives a VAT
    number; a GB account without one is not registered and charges none."""
    if tax_profile is not None:
        return Invoicing(tax_profile=tax_profile)
    if jurisdiction == "GB" and vat_number.strip():
        return Invoicing(uk_vat_number=vat_number.strip())
    return NO_TAXES


def uk_vat(fee: Decimal, vat_number: str) -> InvoiceLines:
    """A UK VAT invoice's amounts: the fee, VAT at the standard rate, the total the client pays.
    The supplier's VAT number is kept on the lines, as the invoice must show it."""
    fee = fee.quantize(CENT, rounding=ROUND_HALF_UP)
    vat = (fee * UK_STANDARD_RATE / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    return InvoiceLines(
        fee=fee,
        surcharge=_ZERO,
        taxable=fee,
        vat_rate=UK_STANDARD_RATE,
        vat=vat,
        nature=None,
        stamp=_ZERO,
        stamp_charged=_ZERO,
        withholding=_ZERO,
        total_document=fee + vat,
        payable=fee + vat,
        vat_number=vat_number,
    )


def stored(lines: InvoiceLines) -> dict[str, Any]:
    """The lines as the invoice row keeps them (amounts as strings, exact)."""
    return {k: v if v is None or isinstance(v, str) else str(v) for k, v in asdict(lines).items()}


_TEXT_FIELDS = {"nature", "vat_number", "regime", "surcharge_fund"}


def from_stored(data: dict[str, Any]) -> InvoiceLines:
    known = {f.name for f in fields(InvoiceLines)}
    return InvoiceLines(
        **{k: v if k in _TEXT_FIELDS or v is None else Decimal(v) for k, v in data.items() if k in known}
    )


def credit_note_lines(lines: InvoiceLines, credited: Decimal, current: TaxProfile) -> InvoiceLines:
    """A credit note's lines. Taking off all the invoice asked for, they are the invoice's own.
    Taking off part (a part payment came first), they are an invoice of the fee's share that the
    credited amount is of the amount payable, under the terms the invoice was issued with; its
    amount payable can then differ from the amount credited by rounding, a cent."""
    if credited == lines.payable:
        return lines
    fee = (lines.fee * credited / lines.payable).quantize(CENT, rounding=ROUND_HALF_UP)
    issued = replace(
        current,
        regime=lines.regime or current.regime,
        vat_rate=None if lines.nature else lines.vat_rate,
        surcharge_fund=lines.surcharge_fund,
        surcharge_rate=lines.surcharge_rate,
        withholding_rate=lines.withholding_rate,
        stamp_payer=STAMP_PAYERS[0] if lines.stamp_charged else current.stamp_payer,
    )
    # The withholding applied only if the client was a business (domain.tax.compute).
    return compute(issued, fee, client_has_vat_number=bool(lines.withholding))
