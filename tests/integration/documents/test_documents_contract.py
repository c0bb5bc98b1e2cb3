"""The contract's articles: VAT, duration, court, data processing, signatures, art. 1341-1342."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import NOW, make_engagement, make_tenant, read_docx

from service.documents import DocumentRenderer, DocumentRequest
from service.documents.base import first_term_end

RENDERER = DocumentRenderer()


def _contract(language: str, jurisdiction: str, city: str = "Milano", **overrides: object) -> str:
    tenant = make_tenant(language)
    tenant.city = city
    engagement = make_engagement(language, jurisdiction=jurisdiction, **overrides)
    return read_docx(RENDERER.render(DocumentRequest("contract", engagement, tenant, NOW, {})).content)


def _numbers(text: str) -> dict[str, int]:
    return {title: int(n) for n, title in re.findall(r"^(\d+)\. (.+)$", text, re.M)}


@pytest.mark.parametrize(
    ("language", "jurisdiction", "court"),
    [
        ("it", "IT", "competente in via esclusiva il Foro di Milano, dove il Fornitore ha la propria sede"),
        ("en", "IT", "exclusive jurisdiction of the court of Milan, where the Provider has its seat"),
        ("en", "GB", "The courts of England and Wales have exclusive jurisdiction"),
        ("it", "GB", "i tribunali di Inghilterra e Galles"),
        ("en", "EU", "courts of Milan, where the Provider has its place of business"),
    ],
)
def test_the_court_follows_the_jurisdiction_and_the_providers_city(
    language: str, jurisdiction: str, court: str
) -> None:
    assert court in _contract(language, jurisdiction)


def test_without_a_city_the_court_is_that_of_the_providers_seat() -> None:
    assert "il Foro del luogo in cui il Fornitore ha la propria sede" in _contract("it", "IT", city="")


@pytest.mark.parametrize(
    ("language", "jurisdiction", "phrases"),
    [
        (
            "it",
            "IT",
            [
                "al netto dell'IVA",
                "fino al giorno 30 settembre 2027",
                "almeno trenta giorni prima",
                "articolo 28 del Regolamento (UE) 2016/679 (GDPR)",
                "al pagamento integrale delle fatture",
                "Riservatezza",
                "Allegato A: trattamento dei dati personali",
                "D.Lgs. 9 ottobre 2002, n. 231",
                "2 cicli di revisione",
            ],
        ),
        (
            "en",
            "GB",
            [
                "exclusive of VAT",
                "until 30 September 2027",
                "at least thirty days before",
                "article 28 of the UK GDPR",
                "once the invoices for the month in which they were produced are paid in full",
                "Annex A: processing of personal data",
                "Late Payment of Commercial Debts (Interest) Act 1998",
            ],
        ),
        ("en", "EU", ["reverse charge", "Directive 2011/7/EU", "Regulation (EU) 2016/679 (GDPR)"]),
    ],
)
def test_the_contract_states_vat_duration_ownership_and_data_processing(
    language: str, jurisdiction: str, phrases: list[str]
) -> None:
    text = _contract(language, jurisdiction)
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, missing
    assert "round di revisione" not in text


def test_the_processing_annex_lists_every_managed_account() -> None:
    text = _contract("en", "GB")
    annex = text[text.index("Annex A: processing") :]
    assert "Instagram" in annex and "@acme" in annex and "LinkedIn" in annex and "acme-srl" in annex


@pytest.mark.parametrize("express", [False, True])
def test_the_italian_approval_names_the_onerous_clauses_by_their_numbers(express: bool) -> None:
    text = _contract("it", "IT", express_termination=express)
    numbers = _numbers(text)
    titles = [
        "Sospensione del lavoro",
        "Recesso e passaggio di consegne",
        "Durata e rinnovo",
        "Limitazione di responsabilità",
        *(["Clausola risolutiva espressa"] if express else []),
        "Foro competente",
    ]
    expected = [f"art. {numbers[title]} ({title})" for title in sorted(titles, key=numbers.__getitem__)]
    approval = next(line for line in text.splitlines() if "articoli 1341 e 1342" in line)
    assert approval.endswith("clausole: " + "; ".join(expected) + ".")
    # The express clause (10) comes before the court: with it, the court's number moves on by one.
    assert numbers["Foro competente"] == (17 if express else 16)


def test_an_english_contract_under_english_law_has_no_approval_block() -> None:
    assert "1341" not in _contract("en", "GB")
    assert "articles 1341 and 1342 of the Italian Civil Code" in _contract("en", "IT")


def test_each_party_signs_with_name_role_place_and_date() -> None:
    text = _contract("it", "IT", client_legal_representative="Anna Verdi")
    assert "Nome e cognome: Giulia Bianchi" in text
    assert "Nome e cognome: Anna Verdi" in text  # the legal representative signs for the client
    assert "Qualifica: Legale rappresentante" in text
    assert text.count("Luogo e data: ") == 3  # both parties, then the client's second signature


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 10, 1), date(2027, 9, 30)),
        (date(2026, 1, 31), date(2027, 1, 30)),
        (date(2028, 2, 29), date(2029, 2, 28)),
    ],
)
def test_the_first_term_ends_the_day_before_its_anniversary(start: date, end: date) -> None:
    assert first_term_end(start) == end


def test_the_role_signs_on_its_own_line_never_in_the_name() -> None:
    # Issue 30: "Nome e cognome: Niccolò Ferrè, socio accomandatario" held the role in the name.
    text = _contract(
        "it",
        "IT",
        client_legal_representative="Niccolò Ferrè",
        client_legal_representative_role="socio accomandatario",
    )
    assert "Nome e cognome: Niccolò Ferrè\n" in text + "\n"
    assert "Qualifica: socio accomandatario" in text


@pytest.mark.parametrize(
    ("role", "line"),
    [
        ("Director", "Role: Director, for and on behalf of Acme S.r.l."),
        ("", "Role: Authorised signatory, for and on behalf of Acme S.r.l."),
    ],
)
def test_an_english_company_signs_through_an_officer_for_and_on_behalf_of_it(role: str, line: str) -> None:
    text = _contract(
        "en", "GB", client_legal_representative="Sarah Harlow", client_legal_representative_role=role
    )
    assert line in text
    assert "Legal representative" not in text.split("Role:", 1)[1]


@pytest.mark.parametrize(
    ("language", "jurisdiction", "carve_out", "foreign"),
    [
        (
            "en",
            "GB",
            "liability for death or personal injury caused by negligence, for fraud",
            "gross negligence",
        ),
        (
            "it",
            "GB",
            "responsabilità per morte o lesioni personali causate da negligenza, per frode",
            "colpa grave",
        ),
        ("en", "IT", "Except for wilful misconduct or gross negligence (article 1229", "personal injury"),
        ("it", "IT", "Salvi i casi di dolo o colpa grave (art. 1229 c.c.)", "lesioni personali"),
    ],
)
def test_the_liability_limit_spares_what_the_governing_law_never_lets_be_limited(
    language: str, jurisdiction: str, carve_out: str, foreign: str
) -> None:
    # Issue 30: the English-law contract carried the Italian "dolo o colpa grave" carve-out.
    text = _contract(language, jurisdiction)
    assert carve_out in text and foreign not in text
    if jurisdiction == "GB":
        assert "Unfair Contract Terms Act 1977" in text
