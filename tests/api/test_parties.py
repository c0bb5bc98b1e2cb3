"""The parties' data: jurisdiction and time zone, payment details, the client's tax data, and the
letters that carry them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api.test_documents import text_of
from tests.conftest import Api, FakeClock, engagement_body

IBAN = "IT60X0542811101000000123456"
CLIENT_TAX_DATA = {
    "vat_number": "IT09876543210",
    "tax_code": "RSSGLI80A41F205X",
    "pec": "bottegarossi@pec.it",
    "sdi_code": "M5UXCR1",
    "registered_office": "Corso Buenos Aires 10, 20124 Milano",
    "legal_representative": "Giulia Rossi",
    "legal_representative_role": "socia accomandataria",
}


def test_an_account_takes_its_jurisdiction_and_time_zone_from_its_language(api: Api, other_api: Api) -> None:
    italian, english = api.get("/v1/tenant").json, other_api.get("/v1/tenant").json
    assert (italian["jurisdiction"], italian["timezone"]) == ("IT", "Europe/Rome")
    assert (english["jurisdiction"], english["timezone"]) == ("GB", "Europe/London")


def test_payment_details_are_checked_and_stored_compact(api: Api) -> None:
    changed = api.patch(
        "/v1/tenant",
        json={
            "iban": "IT60 X054 2811 1010 0000 0123 456",
            "bic": "UNCRITMM",
            "city": "Torino",
            "pec": "s@pec.it",
        },
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["iban"], changed.json["bic"], changed.json["city"]) == (IBAN, "UNCRITMM", "Torino")
    assert api.get("/v1/tenant").json["pec"] == "s@pec.it"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iban", "IT60X0542811101000000123457", "Not a valid IBAN: Invalid checksum digits."),
        ("iban", "hello", "Not a valid IBAN: Invalid characters in IBAN HELLO."),
        ("bic", "UNC", "Not a valid BIC: Invalid length '3'."),
        (
            "timezone",
            "Mars/Olympus_Mons",
            'Not an IANA time zone name, e.g. "Europe/Rome" or "Europe/London".',
        ),
        (
            "timezone",
            "../../etc/passwd",
            'Not an IANA time zone name, e.g. "Europe/Rome" or "Europe/London".',
        ),
        ("jurisdiction", "FR", "Must be one of: IT, GB, EU."),
    ],
)
def test_bad_account_details_are_422_naming_the_field_and_change_nothing(
    api: Api, field: str, value: str, message: str
) -> None:
    before = api.get("/v1/tenant").json
    response = api.patch("/v1/tenant", json={"city": "Torino", field: value})
    assert response.status_code == 422
    assert response.json["errors"] == {field: [message]}
    assert api.get("/v1/tenant").json == before


def test_an_engagement_takes_the_accounts_jurisdiction_unless_it_names_one(api: Api, other_api: Api) -> None:
    assert api.create_engagement()["jurisdiction"] == "IT"
    assert other_api.create_engagement(language="en")["jurisdiction"] == "GB"
    assert api.create_engagement(jurisdiction="EU")["jurisdiction"] == "EU"
    earlier = api.create_engagement()
    api.patch("/v1/tenant", json={"jurisdiction": "EU", "timezone": "Europe/Berlin"})
    assert api.create_engagement()["jurisdiction"] == "EU"
    assert api.get(f"/v1/engagements/{earlier['id']}").json["jurisdiction"] == "IT"  # agreed terms stay


def test_the_clients_tax_data_is_recorded_and_printed_in_the_contract(api: Api) -> None:
    body = engagement_body()
    body["client"] = {**body["client"], **CLIENT_TAX_DATA}
    created = api.post("/v1/engagements", json=body).json
    assert {k: created["client"][k] for k in CLIENT_TAX_DATA} == CLIENT_TAX_DATA
    [entry] = [ev for ev in api.get(f"/v1/engagements/{created['id']}/events").json if ev["seq"] == 1]
    assert entry["payload"]["client_tax_code"] == "RSSGLI80A41F205X"
    [contract] = api.get(f"/v1/engagements/{created['id']}/documents").json
    text = text_of(api.get(f"/v1/documents/{contract['id']}/content").data)
    for line in (
        "Partita IVA: IT09876543210",
        "Codice fiscale: RSSGLI80A41F205X",
        "PEC: bottegarossi@pec.it",
        "Codice destinatario SDI: M5UXCR1",
        "Sede legale: Corso Buenos Aires 10, 20124 Milano",
        "Legale rappresentante: Giulia Rossi",
        "Qualifica: socia accomandataria",  # the role signs beside the name, on its own line
    ):
        assert line in text


@pytest.mark.parametrize("sdi_code", ["M5UXCR", "0000000"])
def test_sdi_codes_have_six_or_seven_characters(api: Api, sdi_code: str) -> None:
    body = engagement_body()
    body["client"] = {**body["client"], "sdi_code": sdi_code}
    assert api.post("/v1/engagements", json=body).status_code == 201


def test_a_bad_sdi_code_is_named(api: Api) -> None:
    body = engagement_body()
    body["client"] = {**body["client"], "sdi_code": "M5UX-CR1"}
    response = api.post("/v1/engagements", json=body)
    assert response.status_code == 422
    assert response.json["errors"] == {"client.sdi_code": ["An SDI code has 6 or 7 letters or digits."]}


@pytest.mark.parametrize(
    ("language", "invoice_line", "payment_line"),
    [
        (
            "it",
            "Fattura n. 2026-0001 (Compenso mensile dicembre 2026)",
            "Il pagamento può essere effettuato con bonifico a favore di Studio Bianchi, IBAN "
            f"{IBAN} (BIC UNCRITMM), indicando nella causale la fattura n. 2026-0001.",
        ),
        (
            "en",
            "Invoice no. 2026-0001 (Monthly fee, December 2026)",
            f"Please pay by bank transfer to Studio Bianchi, IBAN {IBAN} (BIC UNCRITMM), "
            "quoting invoice no. 2026-0001.",
        ),
    ],
)
def test_a_payment_reminder_cites_the_invoice_number_and_the_iban(
    api: Api, clock: FakeClock, language: str, invoice_line: str, payment_line: str
) -> None:
    api.patch("/v1/tenant", json={"iban": IBAN, "bic": "UNCRITMM", "city": "Torino"})
    e = api.create_engagement(language=language)
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    api.post("/v1/clock/tick")
    [reminder] = [
        d for d in api.get(f"/v1/engagements/{e['id']}/documents").json if d["kind"] == "payment_reminder"
    ]
    text = text_of(api.get(f"/v1/documents/{reminder['id']}/content").data)
    assert invoice_line in text
    assert payment_line in text
    # The place-and-date line, the city as the letter's language names it (issue 30).
    assert {"it": "Torino, 2 ", "en": "Turin, 2 "}[language] in text


def test_without_an_iban_a_reminder_gives_no_payment_line(api: Api, clock: FakeClock) -> None:
    e = api.create_engagement(language="en")
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    api.post("/v1/clock/tick")
    [reminder] = [
        d for d in api.get(f"/v1/engagements/{e['id']}/documents").json if d["kind"] == "payment_reminder"
    ]
    assert "IBAN" not in text_of(api.get(f"/v1/documents/{reminder['id']}/content").data)


@pytest.mark.parametrize(
    "salutation",
    ["Dear Ms Harlow", "Ms Harlow,", "Gentile Sig.ra Rossi", "Gent.ma Sig.ra Rossi", "Ms\nHarlow"],
)
def test_a_salutation_that_would_read_wrong_after_dear_is_422_naming_it(api: Api, salutation: str) -> None:
    body = engagement_body()
    body["client"] = {**body["client"], "contact_salutation": salutation}
    response = api.post("/v1/engagements", json=body)
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == ["client.contact_salutation"]


def test_the_contacts_salutation_is_stored_corrected_and_greets_in_letters_and_emails(api: Api) -> None:
    """Issue 30, list 9: "Dear Sarah Harlow,"; with a salutation, "Dear Ms Harlow,"."""
    body = engagement_body(language="en")
    body["client"] = {**body["client"], "contact_name": "Sarah Harlow", "contact_salutation": "Ms Harlow"}
    created = api.post("/v1/engagements", json=body).json
    assert created["client"]["contact_salutation"] == "Ms Harlow"
    assert api.fire(created["id"], "request_feedback", subject="Approve the plan").status_code == 200
    [letter] = api.document_texts(created["id"], "feedback_request")
    assert "Dear Ms Harlow," in letter and "Dear Sarah Harlow" not in letter
    [draft] = [m for m in api.get("/v1/messages").json["items"] if m["engagement_id"] == created["id"]]
    assert draft["body"].startswith("Dear Ms Harlow,\n"), draft
    created = api.get(f"/v1/engagements/{created['id']}").json
    refused = api.patch(
        f"/v1/engagements/{created['id']}",
        json={"client": {"contact_salutation": "Dear Ms Harlow"}},
        headers={"If-Match": f'"{created["version"]}"'},
    )
    assert refused.status_code == 422 and "client.contact_salutation" in refused.json["errors"]
    corrected = api.patch(
        f"/v1/engagements/{created['id']}",
        json={"client": {"contact_salutation": "Dr Harlow"}},
        headers={"If-Match": f'"{created["version"]}"'},
    )
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["client"]["contact_salutation"] == "Dr Harlow"
