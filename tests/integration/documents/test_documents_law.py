"""The law in the documents: the statement letter's figures in Italian and English, and the
contract's late-payment and governing-law clauses for each jurisdiction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from conftest import NOW, make_engagement, make_tenant, read_docx

from service.documents import DocumentRenderer, DocumentRequest
from service.domain.model import Invoice

# One renderer, as the service keeps one per app (building one checks the templates and compiles
# the wording that carries tags, ~0.3 s).
RENDERER = DocumentRenderer()

NBSP = " "  # Babel joins an amount with a no-break space; read_docx reads it as one


def _render(language: str, now: datetime = NOW, **overrides: object) -> str:
    tenant = make_tenant(language)
    tenant.iban, tenant.city = "IT60X0542811101000000123456", "Milano"
    engagement = make_engagement(language, jurisdiction="IT", **overrides)
    for invoice in engagement.invoices:
        invoice.number = f"2026-{invoice.id:04d}"
    # Paid 30 days late: 1,200.00 due 31 January, paid 2 March (10.15 %: 10.01)
    engagement.invoices.append(
        Invoice(
            "Arrears January",
            Decimal("1200.00"),
            date(2026, 1, 31),
            NOW.replace(month=1, day=2),
            paid_amount=Decimal("1200.00"),
            paid_on=date(2026, 3, 2),
            number="2026-0001",
            id=1,
        )
    )
    request = DocumentRequest("statement", engagement, tenant, now, {})
    return read_docx(RENDERER.render(request).content)


def test_the_italian_statement_states_each_figure() -> None:
    text = _render("it")
    # December's fee: 2-9 December, 8 days at 2.40 + 8 = 10.40 % on 1,200.00 = 2.735...
    for line in (
        "Estratto conto al 9 dicembre 2026",
        "D.Lgs. 9 ottobre 2002, n. 231",
        f"Fattura n. 2026-0001 («Arrears January»): 1.200,00{NBSP}€ con scadenza 31 gennaio 2026; "
        f"da saldare 0,00{NBSP}€; ritardo di 30 giorni; interessi 10,01{NBSP}€; risarcimento forfettario 40,00{NBSP}€",
        f"dal 1° febbraio 2026 al 2 marzo 2026: 30 giorni al tasso annuo del 10,15%, 10,01{NBSP}€",
        f"Fattura n. 2026-0012 (Compenso mensile dicembre 2026): 1.200,00{NBSP}€ con scadenza 1° dicembre 2026; "
        f"da saldare 1.200,00{NBSP}€; ritardo di 8 giorni; interessi 2,74{NBSP}€",
        f"Da saldare 1.200,00{NBSP}€; interessi 12,75{NBSP}€; risarcimento forfettario 80,00{NBSP}€; "
        f"totale dovuto 1.292,75{NBSP}€.",
        "IBAN IT60X0542811101000000123456",
        "indicando nella causale la fattura n. 2026-0012",
        "Milano, 9 dicembre 2026",
    ):
        assert line in text, line


def test_the_english_statement_states_each_figure() -> None:
    text = _render("en")
    for line in (
        "Statement of account as of 9 December 2026",
        "Invoice no. 2026-0001 (“Arrears January”): €1,200.00 due on 31 January 2026; outstanding €0.00; "
        "30 days late; interest €10.01; fixed compensation €40.00",
        "from 1 February 2026 to 2 March 2026: 30 days at 10.15% a year, €10.01",
        "Outstanding €1,200.00; interest €12.75; fixed compensation €80.00; total claimable €1,292.75.",
    ):
        assert line in text, line
    assert "the last published rate was used" not in text  # every rate to 9 December is on file


@pytest.mark.parametrize(
    ("language", "says"),
    [("it", "è stato applicato l'ultimo tasso pubblicato"), ("en", "the last published rate")],
)
def test_a_statement_past_the_last_published_rate_says_so(language: str, says: str) -> None:
    # 11 January 2027: the rate for January-June 2027 is not on file yet.
    assert says in _render(language, now=datetime(2027, 1, 11, 9, 30, tzinfo=UTC))


def test_a_statement_in_another_currency_says_why_the_fixed_sums_are_missing() -> None:
    text = _render("en", currency="USD")
    assert "The fixed compensation set by law is in EUR and is not included here" in text
    assert "fixed compensation $0.00; total claimable $1,212.75." in text


@pytest.mark.parametrize(
    ("jurisdiction", "language", "expected"),
    [
        (
            "IT",
            "it",
            ["9. Ritardo nei pagamenti", "D.Lgs. 9 ottobre 2002, n. 231", "regolato dalla legge italiana"],
        ),
        ("IT", "en", ["9. Late payment", "Legislative Decree no. 231", "governed by Italian law"]),
        (
            "GB",
            "en",
            ["Late Payment of Commercial Debts (Interest) Act 1998", "the law of England and Wales"],
        ),
        ("EU", "en", ["Directive 2011/7/EU", "where the Provider has its place of business"]),
    ],
)
def test_the_contract_states_the_jurisdictions_late_payment_terms_and_governing_law(
    jurisdiction: str, language: str, expected: list[str]
) -> None:
    engagement = make_engagement(language, jurisdiction=jurisdiction)
    request = DocumentRequest("contract", engagement, make_tenant(language), NOW, {})
    text = read_docx(RENDERER.render(request).content)
    for line in expected:
        assert line in text, line
    other = "governed by Italian law" if jurisdiction != "IT" else "England and Wales"
    assert other not in text
