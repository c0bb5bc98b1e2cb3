"""Issue 30, list 9: the smaller things a reader stopped at, each on the text a client gets.

The document lint (test_document_lint.py) refuses the broken forms on every kind's PDF pages;
these tests name the corrected wording where one kind, or the e-mail around it, shows it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import NOW, make_engagement, make_tenant, payload_for, read_docx

from service.documents import DocumentRenderer, DocumentRequest

RENDERER = DocumentRenderer()


def _request(kind: str, language: str, city: str = "Torino") -> DocumentRequest:
    tenant = make_tenant(language)
    tenant.city = city
    return DocumentRequest(kind, make_engagement(language), tenant, NOW, payload_for(kind))


@pytest.mark.parametrize(("language", "place"), [("en", "Turin, 9"), ("it", "Torino, 9")])
def test_the_place_of_a_letter_is_named_in_its_language(language: str, place: str) -> None:
    text = read_docx(RENDERER.render(_request("payment_reminder", language)).content)
    assert f"\n{place}" in text.replace("\xa0", " "), text


def test_a_city_the_wording_does_not_list_keeps_the_accounts_spelling() -> None:
    text = read_docx(RENDERER.render(_request("payment_reminder", "en", city="Bra")).content)
    assert "\nBra, 9" in text.replace("\xa0", " "), text


def test_the_english_contracts_court_is_in_turin() -> None:
    text = read_docx(RENDERER.render(_request("contract", "en")).content)
    assert "Turin" in text and "Torino, where" not in text and "of Torino" not in text


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("it", "Gentile Marco Rossi,\n\nIn allegato trovate la nostra comunicazione"),
        ("en", "Dear Marco Rossi,\n\nPlease find attached our letter"),
    ],
)
def test_the_email_body_starts_with_a_capital_after_the_salutation(language: str, opening: str) -> None:
    _, body = RENDERER.message_for(_request("payment_reminder", language))
    assert body.startswith(opening), body


def test_the_italian_email_says_voi_as_the_letters_do() -> None:
    _, body = RENDERER.message_for(_request("payment_reminder", "it"))
    assert "potete rispondere" in body
    # The courtesy "Lei" forms the e-mail used before: "trova", "può".
    assert not [word for word in (" trova ", " può ") if word in body], body


@pytest.mark.parametrize(
    ("language", "jurisdiction", "currency", "line"),
    [
        ("it", "IT", "EUR", "Gli interessi di mora (D.Lgs. 9 ottobre 2002, n. 231) continuano a maturare"),
        (
            "en",
            "GB",
            "GBP",
            "Interest for late payment (Late Payment of Commercial Debts (Interest) Act 1998)",
        ),
    ],
)
def test_the_statement_names_the_statute_its_interest_runs_under(
    language: str, jurisdiction: str, currency: str, line: str
) -> None:
    request = _request("statement", language)
    request.engagement.jurisdiction, request.engagement.currency = jurisdiction, currency
    text = read_docx(RENDERER.render(request).content).replace("\xa0", " ")
    assert line in text, text
    assert "tasso legale" not in text and "statutory rate" not in text


@pytest.mark.parametrize(
    ("kind", "language", "citation"),
    [
        ("payment_reminder", "it", "del nostro contratto del 25 settembre 2026."),
        ("payment_reminder", "en", "of our agreement of 25 September 2026."),
        ("formal_demand", "it", "il nostro contratto del 25 settembre 2026 si intenderà risolto"),
    ],
)
def test_a_letter_cites_the_contract_by_the_day_it_was_made(kind: str, language: str, citation: str) -> None:
    # The contract is dated the day it was made (25 September); the work runs from 1 October.
    request = _request(kind, language)
    if kind == "formal_demand":
        request.engagement.jurisdiction = "IT"
    text = read_docx(RENDERER.render(request).content).replace("\xa0", " ")
    assert citation in text, text
    assert "contratto del 1° ottobre 2026" not in text and "agreement of 1 October 2026" not in text


WAIVED = {
    "it": [
        "Il 1° dicembre 2026 abbiamo rinunciato agli interessi di mora e al risarcimento forfettario "
        "(D.Lgs. 9 ottobre 2002, n. 231) maturati sulle vostre fatture, pari a 52,30 € a quella data: "
        "non ne chiediamo più il pagamento e non sono compresi nel totale.",
        "Totale da saldare 1.200,00 €.",
    ],
    "en": [
        "On 1 December 2026 we waived the interest for late payment and the fixed compensation "
        "(Late Payment of Commercial Debts (Interest) Act 1998) accrued on your invoices, £52.30 at "
        "that date: we no longer claim them, and they are not included in the total.",
        "Total outstanding £1,200.00.",
    ],
}


@pytest.mark.parametrize("kind", ["statement", "formal_demand"])
@pytest.mark.parametrize("language", ["it", "en"])
def test_a_waiver_of_interest_is_stated_and_no_longer_claimed(kind: str, language: str) -> None:
    """Issue 30: after ``waive_interest`` a later statement still listed the interest and the
    fixed compensation and asked for the total with them; now it asks for the invoices alone and
    says what was waived, and when."""
    request = _request(kind, language)
    e = request.engagement
    e.jurisdiction, e.currency = ("IT", "EUR") if language == "it" else ("GB", "GBP")
    e.claimed_on = date(2026, 11, 20)
    e.claim_waiver = {"on": "2026-12-01", "reason": "Long-standing client", "amount": "52.30"}
    if kind == "formal_demand":
        e.formal_demand_on, e.formal_demand_deadline = date(2026, 12, 9), date(2026, 12, 24)
    text = read_docx(RENDERER.render(request).content).replace("\xa0", " ")
    for words in WAIVED[language] if kind == "statement" else WAIVED[language][:1]:
        assert words in text, text
    claimed = {
        "it": ["interessi 1", "totale dovuto", "continuano a maturare"],
        "en": ["interest £", "total claimable", "keeps running"],
    }
    assert not [words for words in claimed[language] if words in text], text
    assert "Long-standing client" not in text  # the user's reason is the record's, not the client's
    if kind == "formal_demand":  # the subject asks for the invoices alone
        assert {"it": "1.200,00 € entro 15 giorni", "en": "£1,200.00 to be paid within 15 days"}[
            language
        ] in text


@pytest.mark.parametrize(
    ("language", "contact", "salutation", "greeting"),
    [
        ("en", "Sarah Harlow", "Ms Harlow", "Dear Ms Harlow,"),
        ("en", "Sarah Harlow", "", "Dear Sarah Harlow,"),  # no title known: the neutral full name
        ("it", "Giulia Rossi", "Sig.ra Rossi", "Gentile Sig.ra Rossi,"),
        ("it", "Giulia Rossi", "", "Gentile Giulia Rossi,"),
        ("it", "Niccolò Ferrè", "Dott. Ferrè", "Gentile Dott. Ferrè,"),
    ],
)
def test_a_letter_and_its_email_greet_the_contact_by_the_salutation_given(
    language: str, contact: str, salutation: str, greeting: str
) -> None:
    """Issue 30, list 9: UK letters read "Dear Sarah Harlow,"; with the contact's salutation,
    "Dear Ms Harlow," (the attention line keeps the full name)."""
    request = _request("payment_reminder", language)
    request.engagement.client_contact_name = contact
    request.engagement.client_contact_salutation = salutation
    text = read_docx(RENDERER.render(request).content)
    assert f"\n{greeting}\n" in text, text
    assert contact in text  # "For the attention of Sarah Harlow" / "Alla c.a. di"
    _, body = RENDERER.message_for(request)
    assert body.startswith(f"{greeting}\n"), body


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("it", "Diffida ad adempiere – pagamento di 1.242,74 € entro 15 giorni dalla ricezione"),
        ("en", "Formal notice to pay (diffida ad adempiere) – €1,242.74 within 15 days of receipt"),
    ],
)
def test_a_formal_demand_does_not_demand_an_invoice_not_yet_due(language: str, subject: str) -> None:
    """Seen on the page beside issue 30's list 9: the January invoice, issued but due on
    1 January, was in the sum a 9 December demand gave 15 days to pay."""
    request = _request("formal_demand", language)
    e = request.engagement
    e.jurisdiction = "IT"
    e.formal_demand_on, e.formal_demand_deadline = date(2026, 12, 9), date(2026, 12, 24)
    e.invoices.append(replace(e.invoices[-1], due_on=date(2027, 1, 1), period="2027-01", id=13))
    text = read_docx(RENDERER.render(request).content).replace("\xa0", " ")
    assert subject in text, text
    assert "2027" not in text, text


@pytest.mark.parametrize(
    ("kind", "language", "says"),
    [
        ("payment_reminder", "it", ["L'importo complessivo da saldare è di 1.200,00 €."]),
        ("payment_reminder", "en", ["The total now outstanding is €1,200.00."]),
        ("stop_work_notice", "it", ["L'importo da saldare è di 1.200,00 €."]),
        ("stop_work_notice", "en", ["The amount outstanding is €1,200.00."]),
    ],
)
def test_a_reminders_total_is_the_invoices_it_lists(kind: str, language: str, says: list[str]) -> None:
    """Seen on the page beside issue 30's list 9: a reminder listing the overdue December
    invoice gave a total with the January one, issued but not yet due (2.400,00 €)."""
    request = _request(kind, language)
    e = request.engagement
    e.invoices.append(replace(e.invoices[-1], due_on=date(2027, 1, 1), period="2027-01", id=13))
    text = read_docx(RENDERER.render(request).content).replace("\xa0", " ")
    for words in says:
        assert words in text, text
    assert "2027" not in text, text


@pytest.mark.parametrize(
    ("kind", "language", "opening"),
    [
        (
            "payment_reminder",
            "it",
            "in merito alle fatture indicate di seguito, la prima delle quali con scadenza",
        ),
        ("payment_reminder", "en", "We are writing about the invoices below, the first of which was due on"),
        ("stop_work_notice", "it", "le fatture indicate di seguito risultano ancora non pagate"),
        ("stop_work_notice", "en", "the invoices below are still unpaid"),
    ],
)
def test_a_reminder_of_several_invoices_speaks_of_them_all(kind: str, language: str, opening: str) -> None:
    """Seen on the page: "the invoice below" above a list of four overdue invoices."""
    request = _request(kind, language)
    november = request.engagement.invoices[1]
    november.paid_amount, november.paid_on = november.amount * 0, None
    text = " ".join(read_docx(RENDERER.render(request).content).replace("\xa0", " ").split())
    assert opening in text, text
