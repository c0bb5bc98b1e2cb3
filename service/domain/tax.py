"""An Italian account's tax profile and the lines of one invoice under it (docs/legal.md,
"Italian invoices"): the fee, the pension fund surcharge (*rivalsa*), VAT or its nature, the
stamp duty, the withholding (*ritenuta d'acconto*), the document total and what the client pays.

Pure arithmetic on ``Decimal``, rounded half up to the cent as the tax office's examples are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from service.domain.errors import InvalidInput
from service.domain.sayings import Said

ORDINARY, FLAT_RATE = "RF01", "RF19"
REGIMES = (ORDINARY, FLAT_RATE)
DEFAULT_VAT_RATE = Decimal("22.00")
DEFAULT_WITHHOLDING_RATE = Decimal("20.00")
STAMP_PAYERS = ("client", "supplier")
# Stamp duty on invoices outside VAT above this amount (DPR 642/1972, tariff art. 13; art. 6 DM 17.6.2014).
STAMP_THRESHOLD = Decimal("77.47")
STAMP_DUTY = Decimal("2.00")
# Nature of an RF19 operation: outside VAT under art. 1, c. 54-89, L. 190/2014 (spec 1.9, N2.2).
FLAT_RATE_NATURE = "N2.2"
CENT = Decimal("0.01")
# The INPS gestione separata, by name or TipoCassa code: its rivalsa is withheld on (see below).
WITHHELD_FUNDS = ("INPS", "TC22")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxProfile:
    regime: str
    vat_rate: Decimal | None
    surcharge_fund: str | None  # "INPS" or a TipoCassa code such as "TC22"
    surcharge_rate: Decimal | None
    withholding_rate: Decimal | None
    stamp_payer: str

    def as_stored(self) -> dict[str, Any]:
        """The JSON the account row keeps (and the API shows)."""
        surcharge = (
            {"fund": self.surcharge_fund, "rate": str(self.surcharge_rate)} if self.surcharge_fund else None
        )
        return {
            "tax_regime": self.regime,
            "vat_rate": None if self.vat_rate is None else str(self.vat_rate),
            "pension_surcharge": surcharge,
            "withholding": None if self.withholding_rate is None else {"rate": str(self.withholding_rate)},
            "stamp_duty": self.stamp_payer,
        }


@dataclass(frozen=True)
class InvoiceLines:
    fee: Decimal
    surcharge: Decimal  # the pension fund's contribution charged to the client
    taxable: Decimal  # fee + surcharge: the VAT base, or the amount outside VAT (RF19)
    vat_rate: Decimal  # 0.00 with a nature
    vat: Decimal
    nature: str | None  # "N2.2" for RF19
    stamp: Decimal  # the duty due on the document (0 when not due)
    stamp_charged: Decimal  # the part the client is charged (stamp when the client bears it)
    withholding: Decimal
    total_document: Decimal  # ImportoTotaleDocumento
    payable: Decimal  # what the client transfers: the total less the withholding
    vat_number: str = ""  # a UK VAT invoice's supplier VAT number (domain.invoicing); "" in Italy
    # The profile's terms the invoice was issued under, kept with it as its file prints them.
    regime: str = ""
    surcharge_fund: str | None = None
    surcharge_rate: Decimal | None = None
    withholding_rate: Decimal | None = None


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _rate(value: Any, field: str) -> Decimal:
    try:
        rate = _cents(Decimal(str(value)))
    except ArithmeticError:
        raise InvalidInput({field: [Said("tax.rate_range")]}) from None
    if not Decimal(0) <= rate <= HUNDRED:
        raise InvalidInput({field: [Said("tax.rate_range")]})
    return rate


def profile_from(body: dict[str, Any]) -> TaxProfile:
    """A profile from the API's (or the stored) fields, defaults filled in, combinations the law
    does not allow refused: a flat-rate (RF19) account charges no VAT and suffers no withholding."""
    regime = body["tax_regime"]
    flat = regime == FLAT_RATE
    if flat and body.get("vat_rate") is not None:
        raise InvalidInput({"tax_profile.vat_rate": [Said("tax.no_vat_flat_rate")]})
    if flat and body.get("withholding") is not None:
        raise InvalidInput({"tax_profile.withholding": [Said("tax.no_withholding_flat_rate")]})
    given_vat = body.get("vat_rate")
    vat = (
        None if flat else _rate(DEFAULT_VAT_RATE if given_vat is None else given_vat, "tax_profile.vat_rate")
    )
    withholding = body.get("withholding", None if flat else {"rate": DEFAULT_WITHHOLDING_RATE})
    surcharge = body.get("pension_surcharge")
    return TaxProfile(
        regime=regime,
        vat_rate=vat,
        surcharge_fund=surcharge["fund"] if surcharge else None,
        surcharge_rate=_rate(surcharge["rate"], "tax_profile.pension_surcharge.rate") if surcharge else None,
        withholding_rate=(
            _rate(withholding.get("rate", DEFAULT_WITHHOLDING_RATE), "tax_profile.withholding.rate")
            if withholding is not None
            else None
        ),
        stamp_payer=body.get("stamp_duty") or STAMP_PAYERS[0],
    )


def surcharge_withheld(fund: str | None) -> bool:
    """Whether the surcharge is part of the compensation the withholding is taken on: the 4 %
    INPS *rivalsa* of the gestione separata is (Ris. 109/E of 11 July 1996; INPS messaggio
    7751/2012), a professional fund's contribution (*cassa*, TC01-TC21) is not (docs/legal.md)."""
    return fund in WITHHELD_FUNDS


def withholding_base(fee: Decimal, surcharge: Decimal, fund: str | None) -> Decimal:
    return fee + surcharge if surcharge_withheld(fund) else fee


def surcharge_in_withholding(lines: InvoiceLines) -> bool:
    """Whether these (stored) lines took their withholding on the surcharge too: an invoice issued
    before the rivalsa was withheld on keeps its lines, and its file says what they did."""
    rate = lines.withholding_rate
    if not (lines.withholding and lines.surcharge and rate and surcharge_withheld(lines.surcharge_fund)):
        return False
    return lines.withholding == _cents((lines.fee + lines.surcharge) * rate / HUNDRED)


def compute(profile: TaxProfile, fee: Decimal, *, client_has_vat_number: bool) -> InvoiceLines:
    """Every amount of one invoice of ``fee``. The withholding applies to an ordinary account's
    invoice to a business (a client with a VAT number, a *sostituto d'imposta*), on the fee and,
    when the surcharge is the INPS *rivalsa*, on the surcharge too (``withholding_base``)."""
    surcharge = _cents(fee * profile.surcharge_rate / HUNDRED) if profile.surcharge_rate else Decimal("0.00")
    taxable = _cents(fee + surcharge)
    if profile.regime == FLAT_RATE:
        vat_rate, vat, nature = Decimal("0.00"), Decimal("0.00"), FLAT_RATE_NATURE
    else:
        vat_rate = profile.vat_rate if profile.vat_rate is not None else DEFAULT_VAT_RATE
        vat, nature = _cents(taxable * vat_rate / HUNDRED), None
    outside_vat = taxable if nature else Decimal("0.00")
    stamp = STAMP_DUTY if outside_vat > STAMP_THRESHOLD else Decimal("0.00")
    stamp_charged = stamp if profile.stamp_payer == "client" else Decimal("0.00")
    rate = profile.withholding_rate if profile.regime == ORDINARY and client_has_vat_number else None
    base = withholding_base(fee, surcharge, profile.surcharge_fund)
    withholding = _cents(base * rate / HUNDRED) if rate else Decimal("0.00")
    total = taxable + vat + stamp_charged
    return InvoiceLines(
        fee=_cents(fee),
        surcharge=surcharge,
        taxable=taxable,
        vat_rate=vat_rate,
        vat=vat,
        nature=nature,
        stamp=stamp,
        stamp_charged=stamp_charged,
        withholding=withholding,
        total_document=total,
        payable=total - withholding,
        regime=profile.regime,
        surcharge_fund=profile.surcharge_fund if surcharge else None,
        surcharge_rate=profile.surcharge_rate if surcharge else None,
        withholding_rate=rate if withholding else None,
    )
