"""The amounts of an Italian invoice, each case checked against a hand computation written here."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from service.domain.errors import InvalidInput
from service.domain.tax import compute, profile_from

ORDINARY_INPS = {"tax_regime": "RF01", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}}
FLAT_RATE = {"tax_regime": "RF19"}


def test_ordinary_with_inps_and_withholding_to_a_business() -> None:
    lines = compute(profile_from(ORDINARY_INPS), D("1000.00"), client_has_vat_number=True)
    # 1,000 + 4 % = 1,040.00; VAT 22 % of 1,040 = 228.80; total 1,268.80;
    # withholding 20 % of fee + INPS rivalsa 1,040 = 208.00 (Ris. 109/E/1996, docs/legal.md);
    # payable 1,268.80 - 208.00 = 1,060.80.
    assert (lines.surcharge, lines.taxable, lines.vat) == (D("40.00"), D("1040.00"), D("228.80"))
    assert (lines.total_document, lines.withholding, lines.payable) == (
        D("1268.80"),
        D("208.00"),
        D("1060.80"),
    )
    assert lines.stamp == D("0.00") and lines.nature is None


def test_a_professional_funds_contribution_stays_out_of_the_withholding_base() -> None:
    cassa = {"tax_regime": "RF01", "pension_surcharge": {"fund": "TC04", "rate": "4.00"}}
    lines = compute(profile_from(cassa), D("1000.00"), client_has_vat_number=True)
    # 1,000 + 40 + VAT 228.80 = 1,268.80; withholding 20 % of the fee alone 200.00; payable 1,068.80.
    assert (lines.withholding, lines.payable) == (D("200.00"), D("1068.80"))
    inps_by_code = {"tax_regime": "RF01", "pension_surcharge": {"fund": "TC22", "rate": "4.00"}}
    assert compute(profile_from(inps_by_code), D("1000.00"), client_has_vat_number=True).withholding == D(
        "208.00"
    )


def test_ordinary_to_a_private_client_withholds_nothing() -> None:
    lines = compute(profile_from(ORDINARY_INPS), D("1000.00"), client_has_vat_number=False)
    assert (lines.withholding, lines.payable) == (D("0.00"), D("1268.80"))


def test_ordinary_without_surcharge() -> None:
    lines = compute(profile_from({"tax_regime": "RF01"}), D("500.00"), client_has_vat_number=True)
    # VAT 22 % of 500 = 110.00; total 610.00; withholding 100.00; payable 510.00.
    assert (lines.vat, lines.total_document, lines.withholding, lines.payable) == (
        D("110.00"),
        D("610.00"),
        D("100.00"),
        D("510.00"),
    )


def test_flat_rate_above_the_stamp_threshold_charges_the_stamp_to_the_client() -> None:
    lines = compute(profile_from(FLAT_RATE), D("77.48"), client_has_vat_number=True)
    # No VAT (N2.2), no withholding; 77.48 > 77.47: stamp 2.00 charged; total 79.48.
    assert (lines.nature, lines.vat, lines.withholding) == ("N2.2", D("0.00"), D("0.00"))
    assert (lines.stamp, lines.stamp_charged, lines.total_document, lines.payable) == (
        D("2.00"),
        D("2.00"),
        D("79.48"),
        D("79.48"),
    )


def test_flat_rate_at_the_threshold_has_no_stamp() -> None:
    lines = compute(profile_from(FLAT_RATE), D("77.47"), client_has_vat_number=False)
    assert (lines.stamp, lines.total_document) == (D("0.00"), D("77.47"))


def test_flat_rate_with_inps_counts_the_surcharge_outside_vat() -> None:
    profile = profile_from({**FLAT_RATE, "pension_surcharge": {"fund": "INPS", "rate": "4"}})
    lines = compute(profile, D("75.00"), client_has_vat_number=False)
    # 75.00 + 3.00 = 78.00 outside VAT > 77.47: stamp 2.00; total 80.00.
    assert (lines.taxable, lines.stamp, lines.total_document) == (D("78.00"), D("2.00"), D("80.00"))


def test_a_stamp_the_supplier_bears_is_due_but_not_charged() -> None:
    lines = compute(
        profile_from({**FLAT_RATE, "stamp_duty": "supplier"}), D("1000"), client_has_vat_number=True
    )
    assert (lines.stamp, lines.stamp_charged, lines.total_document) == (D("2.00"), D("0.00"), D("1000.00"))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**FLAT_RATE, "vat_rate": "22"}, "tax_profile.vat_rate"),
        ({**FLAT_RATE, "withholding": {"rate": "20"}}, "tax_profile.withholding"),
        ({"tax_regime": "RF01", "vat_rate": "122"}, "tax_profile.vat_rate"),
    ],
)
def test_combinations_the_law_does_not_allow_are_refused(body: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        profile_from(body)
    assert list(refused.value.errors) == [field]
