"""What an account's invoices carry besides the fee (domain.invoicing), each amount a hand
computation, and the amount payable fixed on the invoice when it is issued."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

from service.domain.billing import add_invoice
from service.domain.invoicing import NO_TAXES, from_stored, invoicing_of, stored
from tests.unit.builders import engagement as make_engagement

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)
INPS = {"tax_regime": "RF01", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}}


def test_a_gb_account_with_a_vat_number_adds_vat_at_20_percent() -> None:
    lines = invoicing_of("GB", "GB123456789", None).lines(D("333.33"), "")
    # 333.33 x 20 % = 66.666 -> 66.67; total and payable 333.33 + 66.67 = 400.00.
    assert lines is not None
    assert (lines.vat_rate, lines.vat, lines.payable) == (D("20.00"), D("66.67"), D("400.00"))
    assert (lines.withholding, lines.vat_number) == (D("0.00"), "GB123456789")


def test_only_a_gb_account_with_a_vat_number_or_a_tax_profile_adds_anything() -> None:
    assert invoicing_of("GB", "  ", None) is NO_TAXES
    assert invoicing_of("IT", "IT01234567890", None) is NO_TAXES
    assert invoicing_of("EU", "DE123456789", None) is NO_TAXES
    assert NO_TAXES.lines(D("1000.00"), "09876543210") is None


def test_the_lines_keep_the_rates_they_were_computed_with_and_read_back_the_same() -> None:
    lines = invoicing_of("IT", "", INPS).lines(D("1000.00"), "09876543210")
    assert lines is not None
    assert (lines.regime, lines.surcharge_fund, lines.surcharge_rate, lines.withholding_rate) == (
        "RF01",
        "INPS",
        D("4.00"),
        D("20.00"),
    )
    assert from_stored(stored(lines)) == lines


def test_credit_left_over_settles_the_amount_payable_not_the_fee() -> None:
    engagement = make_engagement(client_vat_number="09876543210")
    engagement.credit = D("2000.00")
    invoice = add_invoice(
        engagement, "Extra", D("1000.00"), date(2026, 12, 31), AT, None, invoicing_of("IT", "", INPS)
    )
    # Payable 1,060.80 (1,000 + 40 + VAT 228.80 - withholding 20 % of 1,040 = 208): all from the credit.
    assert (invoice.payable, invoice.outstanding, engagement.credit) == (D("1060.80"), D("0.00"), D("939.20"))


def test_an_invoice_without_taxes_owes_its_fee() -> None:
    invoice = add_invoice(make_engagement(), "Extra", D("500.00"), date(2026, 12, 31), AT, None)
    assert (invoice.payable, invoice.taxes, invoice.lines) == (D("500.00"), None, None)
