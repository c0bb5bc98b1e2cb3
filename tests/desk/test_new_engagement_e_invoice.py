"""Issue 34: an Italian account that issues FatturaPA files hears on the desk's create form, beside
the field, what would keep the engagement's invoices from being valid (the API's own check)."""

from __future__ import annotations

import re

from tests.conftest import Api
from tests.desk.conftest import Desk
from tests.desk.test_pages import NEW


def _italian(api: Api) -> None:
    response = api.patch(
        "/v1/tenant",
        json={
            "vat_number": "IT01234567890",
            "tax_code": "BNCNNA80A41L219K",
            "iban": "IT60X0542811101000000123456",
            "tax_profile": {"tax_regime": "RF19"},
        },
    )
    assert response.status_code == 200, response.json


def _beside(page: str, name: str) -> str:
    """The message shown under the field ``name`` (its aria-described error), or ''."""
    found = re.search(
        rf'<input id="{re.escape(name)}"[^>]*aria-invalid="true"[^>]*>\s*<small id="{re.escape(name)}-error">([^<]*)',
        page,
    )
    return found.group(1) if found else ""


def test_the_create_form_names_the_client_fields_a_fatturapa_file_cannot_carry(desk: Desk, api: Api) -> None:
    _italian(api)
    answer = desk.post(
        "/app/engagements",
        {**NEW, "client.name": "Студия Петров", "client.vat_number": "09876543210"},
        page="/app/engagements/new",
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "caratteri che un file FatturaPA non può riportare" in _beside(page, "client.name")
    assert "codice destinatario o alla sua PEC" in _beside(page, "client.sdi_code")
    assert 'value="09876543210"' in page  # what was typed stays in the form
    assert api.get("/v1/engagements").json["items"] == []

    fixed = {**NEW, "client.vat_number": "09876543210", "client.sdi_code": "ABC1234"}
    assert desk.post("/app/engagements", fixed, page="/app/engagements/new").status_code == 303
    [made] = api.get("/v1/engagements").json["items"]
    assert made["client"]["sdi_code"] == "ABC1234"
    # RF19: the fee 1,200.00, no VAT, the 2.00 stamp charged to the client: 1,202.00 owed.
    page = desk.get(f"/app/engagements/{made['id']}").get_data(as_text=True).replace("\xa0", " ")
    row = re.search(r"<tr><td>2026-0001</td>.*?</tr>", page, re.S)
    assert row and row.group(0).count("1.202,00 €") == 2, row


def test_an_account_without_a_tax_profile_is_not_asked(desk: Desk, api: Api) -> None:
    answer = desk.post(
        "/app/engagements", {**NEW, "client.name": "Студия Петров"}, page="/app/engagements/new"
    )
    assert answer.status_code == 303
