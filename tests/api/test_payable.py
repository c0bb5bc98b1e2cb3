"""Issue 34: the balance, the ladder, the statutory interest and the letters run on what the
client actually owes on an invoice (its amount payable: the fee with its taxes, less any
withholding), fixed on the invoice when it is issued. Every figure is a hand computation."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.testing import FlaskClient

from service.application.runtime import Runtime
from tests.conftest import Api, FakeClock, _tenant_api, engagement_body
from tests.ladder import ladder

BUSINESS = {"vat_number": "09876543210", "tax_code": "09876543210", "sdi_code": "ABC1234"}
ORDINARY_INPS = {"tax_regime": "RF01", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}}


def _italian(api: Api, profile: dict[str, Any]) -> None:
    response = api.patch(
        "/v1/tenant",
        json={
            "vat_number": "IT01234567890",
            "tax_code": "BNCNNA80A41L219K",
            "iban": "IT60X0542811101000000123456",
            "tax_profile": profile,
        },
    )
    assert response.status_code == 200, response.json


def _engagement(api: Api, fee: str, client: dict[str, str]) -> dict[str, Any]:
    body = engagement_body(monthly_fee=fee)
    body["client"] = {**body["client"], **client}
    response = api.post("/v1/engagements", json=body)
    assert response.status_code == 201, response.json
    return response.json


def _invoice(api: Api, eid: int) -> dict[str, Any]:
    [invoice] = api.get(f"/v1/engagements/{eid}/invoices").json
    return invoice


def _pay(api: Api, eid: int, amount: str, on: str) -> Any:
    response = api.post(
        f"/v1/engagements/{eid}/payments", json={"amount": amount, "received_on": on, "reference": amount}
    )
    assert response.status_code == 201, response.json
    return response.json


def _tick_to(api: Api, clock: FakeClock, day: date) -> None:
    while clock().date() < day:
        clock.advance(days=1)
        api.post("/v1/clock/tick")


def test_the_ladder_runs_on_the_payable_amount_net_of_withholding(api: Api, clock: FakeClock) -> None:
    _italian(api, ORDINARY_INPS)
    e = _engagement(api, "1000.00", BUSINESS)
    invoice = _invoice(api, e["id"])
    # Fee 1,000.00 + INPS 4 % 40.00 = taxable 1,040.00; VAT 22 % 228.80; total 1,268.80;
    # withholding 20 % of fee + INPS rivalsa (1,040.00: docs/legal.md) 208.00; payable 1,060.80.
    assert (invoice["amount"], invoice["payable"], invoice["outstanding"]) == (
        "1000.00",
        "1060.80",
        "1060.80",
    )
    taxes = invoice["taxes"]
    assert (taxes["pension_surcharge"], taxes["taxable"], taxes["vat"]) == ("40.00", "1040.00", "228.80")
    assert (taxes["total"], taxes["withholding"], taxes["payable"]) == ("1268.80", "208.00", "1060.80")
    assert e["balance_due"] == "1060.80"

    _, (_, pause_on) = ladder(date(2026, 12, 1))
    _tick_to(api, clock, pause_on)
    assert api.get(f"/v1/engagements/{e['id']}").json["state"] == "paused"

    paid_on = pause_on.isoformat()
    fee_only = _pay(api, e["id"], "1000.00", paid_on)  # the fee is not what is owed
    assert fee_only["engagement"]["balance_due"] == "60.80" and fee_only["resume_event"] is None
    settled = _pay(api, e["id"], "60.80", paid_on)
    assert settled["resume_event"] is not None  # 1,060.80 in all settles it: work resumes
    assert settled["engagement"]["balance_due"] == "0.00"
    assert _invoice(api, e["id"])["status"] == "paid"
    clock.advance(days=20)
    api.post("/v1/clock/tick")
    events = api.get(f"/v1/engagements/{e['id']}/events").json
    reminders = [ev for ev in events if ev["payload"].get("kind") == "payment_reminder"]
    assert len(reminders) == 1  # the one before payment: none follows a settled invoice
    assert api.get(f"/v1/engagements/{e['id']}/events/verify").json["valid"] is True

    [reminder] = api.document_texts(e["id"], "payment_reminder")
    assert "importo da saldare 1.060,80 €" in reminder
    assert (
        "Compenso 1.000,00 €; rivalsa INPS 4% 40,00 €; IVA 22% 228,80 €; totale documento 1.268,80 €; "
        "ritenuta d'acconto 20% −208,00 €; netto a pagare 1.060,80 €"
    ) in reminder


def test_statutory_interest_runs_on_the_payable_amount(api: Api) -> None:
    _italian(api, ORDINARY_INPS)
    e = _engagement(api, "1000.00", BUSINESS)
    statement = api.get(f"/v1/engagements/{e['id']}/statement?as_of=2026-12-31").json
    [line] = statement["invoices"]
    # Due 1 Dec 2026; 2-31 Dec = 30 days at 2.40 + 8 = 10.40 % a year, actual/365:
    # 1,060.80 x 10.40 x 30 / 36,500 = 9.067... -> 9.07 (on the fee it would be 8.55).
    assert (line["amount"], line["payable"], line["outstanding"]) == ("1000.00", "1060.80", "1060.80")
    assert (line["days_late"], line["interest"]) == (30, "9.07")
    assert statement["outstanding_total"] == "1060.80"


def test_the_statement_letter_shows_the_invoice_as_its_file_has_it(api: Api, clock: FakeClock) -> None:
    _italian(api, {"tax_regime": "RF19"})
    e = _engagement(api, "1000.00", {"tax_code": "RSSGLI80A41F205X"})
    clock.advance(days=30)
    assert api.post(f"/v1/engagements/{e['id']}/documents", json={"kind": "statement"}).status_code == 201
    [letter] = api.document_texts(e["id"], "statement")
    # RF19: no VAT (N2.2), the 2.00 stamp borne by the client; 1,002.00 owed, late since 2 December.
    assert (
        "Compenso 1.000,00 €; operazione senza IVA (N2.2: regime forfettario, art. 1, commi 54–89, "
        "L. 190/2014); imposta di bollo 2,00 €; netto a pagare 1.002,00 €"
    ) in letter
    assert "1.002,00 € con scadenza 1° dicembre 2026; da saldare 1.002,00 €" in letter


def test_a_flat_rate_invoice_carries_the_stamp_the_client_pays(api: Api, clock: FakeClock) -> None:
    _italian(api, {"tax_regime": "RF19"})
    e = _engagement(api, "1000.00", {"tax_code": "RSSGLI80A41F205X"})
    invoice = _invoice(api, e["id"])
    # No VAT (N2.2); 1,000.00 is above 77.47, so the 2.00 stamp, borne by the client: 1,002.00.
    assert (invoice["payable"], invoice["taxes"]["vat_nature"], invoice["taxes"]["stamp_charged"]) == (
        "1002.00",
        "N2.2",
        "2.00",
    )
    _pay(api, e["id"], "1002.00", "2026-12-01")
    assert api.get(f"/v1/engagements/{e['id']}").json["balance_due"] == "0.00"
    statement = api.get(f"/v1/engagements/{e['id']}/statement?as_of=2026-12-31").json
    assert statement["invoices"] == []  # paid on its day: nothing late


def test_an_issued_invoice_keeps_its_amounts_when_the_profile_changes(api: Api) -> None:
    _italian(api, ORDINARY_INPS)
    e = _engagement(api, "1000.00", BUSINESS)
    _italian(api, {"tax_regime": "RF19"})
    assert _invoice(api, e["id"])["payable"] == "1060.80"
    fatturapa = api.get(f"/v1/engagements/{e['id']}/invoices/{_invoice(api, e['id'])['id']}/fatturapa")
    assert fatturapa.status_code == 200, fatturapa.json
    assert b"<RegimeFiscale>RF01</RegimeFiscale>" in fatturapa.data  # as issued, not as now
    assert b"<ImportoPagamento>1060.80</ImportoPagamento>" in fatturapa.data


def test_an_account_without_a_tax_profile_invoices_the_fee(api: Api) -> None:
    # A VAT number alone changes nothing outside the UK: Italian taxes need the profile.
    assert api.patch("/v1/tenant", json={"vat_number": "IT01234567890"}).status_code == 200
    e = _engagement(api, "1000.00", BUSINESS)
    invoice = _invoice(api, e["id"])
    assert (invoice["payable"], invoice["taxes"]) == ("1000.00", None)
    assert e["balance_due"] == "1000.00"
    response = api.get(f"/v1/engagements/{e['id']}/invoices/{invoice['id']}/fatturapa")
    assert list(response.json["errors"]) == ["tenant.tax_profile"]


def _british(runtime: Runtime, client: FlaskClient, vat_number: str) -> Api:
    api = _tenant_api(runtime, client, "Smith Studio", language="en")
    assert api.patch("/v1/tenant", json={"vat_number": vat_number}).status_code == 200
    return api


def _gb_engagement(api: Api, fee: str) -> dict[str, Any]:
    return api.create_engagement(language="en", currency="GBP", monthly_fee=fee, jurisdiction="GB")


def test_a_vat_registered_uk_account_invoices_vat_at_the_standard_rate(
    runtime: Runtime, client: FlaskClient
) -> None:
    api = _british(runtime, client, "GB123456789")
    e = _gb_engagement(api, "900.00")
    invoice = _invoice(api, e["id"])
    # Net 900.00; VAT 20 % 180.00; total and payable 1,080.00.
    taxes = invoice["taxes"]
    assert (taxes["fee"], taxes["vat_rate"], taxes["vat"], taxes["payable"]) == (
        "900.00",
        "20.00",
        "180.00",
        "1080.00",
    )
    assert (taxes["supplier_vat_number"], taxes["tax_point"]) == ("GB123456789", "2026-12-01")
    assert invoice["payable"] == "1080.00" and e["balance_due"] == "1080.00"
    statement = api.get(f"/v1/engagements/{e['id']}/statement?as_of=2026-12-31").json
    # The Late Payment Act's fixed sum follows the debt: 1,080.00 is 1,000 or more, so GBP 70
    # (the fee alone, 900.00, would be GBP 40).
    assert statement["invoices"][0]["compensation"] == "70.00"
    assert api.post(f"/v1/engagements/{e['id']}/documents", json={"kind": "statement"}).status_code == 201
    [letter] = api.document_texts(e["id"], "statement")
    assert (
        "Fee £900.00; VAT 20% £180.00; payable £1,080.00; our VAT registration no. GB123456789, "
        "tax point 1 December 2026"
    ) in letter


def test_a_uk_account_without_a_vat_number_charges_no_vat(runtime: Runtime, client: FlaskClient) -> None:
    api = _british(runtime, client, "")
    e = _gb_engagement(api, "900.00")
    invoice = _invoice(api, e["id"])
    assert (invoice["payable"], invoice["taxes"]) == ("900.00", None)
