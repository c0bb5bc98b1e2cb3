"""A credit note as its FatturaPA file (TD04, citing the invoice it corrects), SdI's receipts of
both files brought back from the intermediary, and a month's files in one zip."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal as D

import a38.fattura
import pytest

from service.documents.fatturapa import schema
from tests.conftest import Api, FakeClock, engagement_body
from tests.unit.documents.sdi_samples import delivered, not_delivered, rejected

PROFILE = {"tax_regime": "RF01", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}}
INVOICE_FILE, CREDIT_NOTE_FILE = "IT01234567890_00001.xml", "IT01234567890_I0001.xml"
BODY = "FatturaElettronicaBody"
XML = {"Content-Type": "application/xml"}


def italian(api: Api) -> None:
    changes = {
        "vat_number": "IT01234567890",
        "tax_code": "BNCNNA80A41L219K",
        "iban": "IT60X0542811101000000123456",
        "address": "Via Po 2, 10123 Torino (TO)",
        "tax_profile": PROFILE,
    }
    assert api.patch("/v1/tenant", json=changes).status_code == 200


def first_invoice(api: Api) -> tuple[int, dict]:
    body = engagement_body()
    body["client"] = {**body["client"], "vat_number": "09876543210", "sdi_code": "ABC1234"}
    eid = api.post("/v1/engagements", json=body).json["id"]
    return eid, api.get(f"/v1/engagements/{eid}/invoices").json[0]


def _cancelled(api: Api) -> tuple[int, int]:
    italian(api)
    eid, invoice = first_invoice(api)
    path = f"/v1/engagements/{eid}/invoices/{invoice['id']}/cancellation"
    assert api.post(path, json={"reason": "Fatturato per errore"}).status_code == 201
    return eid, invoice["id"]


def _texts(document: bytes, path: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(document).iterfind(path)]


def test_a_credit_note_is_a_valid_td04_file_citing_the_invoice_it_corrects(api: Api) -> None:
    eid, iid = _cancelled(api)
    response = api.get(f"/v1/engagements/{eid}/invoices/{iid}/fatturapa/credit-note")
    assert response.status_code == 200, response.json
    assert f'filename="{CREDIT_NOTE_FILE}"' in response.headers["Content-Disposition"]
    document = response.data
    assert schema.problems(document) == []
    general = f"{BODY}/DatiGenerali"
    assert _texts(document, f"{general}/DatiGeneraliDocumento/TipoDocumento") == ["TD04"]
    assert _texts(document, f"{general}/DatiGeneraliDocumento/Numero") == ["NC-2026-0001"]
    assert _texts(document, f"{general}/DatiFattureCollegate/IdDocumento") == ["2026-0001"]
    assert _texts(document, f"{general}/DatiFattureCollegate/Data") == ["2026-12-01"]
    # By hand: 1,200.00 credited + INPS 4 % 48.00 = 1,248.00; VAT 22 % 274.56; total 1,522.56;
    # withholding 20 % of fee + INPS rivalsa 249.60. A credit note asks for no payment.
    assert _texts(document, f"{general}/DatiGeneraliDocumento/ImportoTotaleDocumento") == ["1522.56"]
    assert _texts(document, f"{general}/DatiGeneraliDocumento/DatiRitenuta/ImportoRitenuta") == ["249.60"]
    assert _texts(document, f"{BODY}/DatiBeniServizi/DatiRiepilogo/Imposta") == ["274.56"]
    assert _texts(document, f"{BODY}/DatiPagamento") == []
    read = a38.fattura.auto_from_etree(ET.fromstring(document))
    body = read.fattura_elettronica_body[0].dati_generali
    assert body.dati_generali_documento.tipo_documento == "TD04"
    assert body.dati_generali_documento.importo_totale_documento == D("1522.56")
    assert [linked.id_documento for linked in body.dati_fatture_collegate] == ["2026-0001"]


def test_a_credit_note_after_a_part_payment_takes_off_the_unpaid_share_only(api: Api) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    paid = {"amount": "200.00", "received_on": "2026-12-01", "reference": "Bonifico parziale"}
    assert api.post(f"/v1/engagements/{eid}/payments", json=paid).status_code == 201
    path = f"/v1/engagements/{eid}/invoices/{invoice['id']}/cancellation"
    # By hand: the invoice asks 1,200.00 + INPS 48.00 + VAT 274.56 - withholding 249.60 = 1,272.96;
    # 200.00 paid leaves 1,072.96, which the credit note takes off.
    assert api.post(path, json={"reason": "Sconto concordato"}).json["invoice"]["credited"] == "1072.96"
    document = api.get(f"/v1/engagements/{eid}/invoices/{invoice['id']}/fatturapa/credit-note").data
    # By hand: the fee's share 1,200.00 x 1,072.96 / 1,272.96 = 1,011.46; INPS 4 % 40.46; taxable
    # 1,051.92; VAT 22 % 231.42; total 1,283.34; withholding 20 % of 1,051.92 210.38 (payable
    # 1,072.96: here no cent of rounding, docs/legal.md).
    general = f"{BODY}/DatiGenerali/DatiGeneraliDocumento"
    assert _texts(document, f"{general}/ImportoTotaleDocumento") == ["1283.34"]
    assert _texts(document, f"{general}/DatiRitenuta/ImportoRitenuta") == ["210.38"]
    assert _texts(document, f"{general}/DatiCassaPrevidenziale/ImportoContributoCassa") == ["40.46"]
    assert schema.problems(document) == []


def test_an_invoice_without_a_credit_note_has_no_credit_note_file(api: Api) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    response = api.get(f"/v1/engagements/{eid}/invoices/{invoice['id']}/fatturapa/credit-note")
    assert response.status_code == 404


def upload_receipt(api: Api, eid: int, iid: int, receipt: bytes) -> object:
    path = f"/v1/engagements/{eid}/invoices/{iid}/fatturapa/receipts"
    return api.post(path, json=None, data=receipt, headers=XML)


def test_a_rejection_names_its_codes_and_a_new_sending_is_then_delivered(api: Api) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    assert invoice["sdi_status"] is None
    first = upload_receipt(api, eid, invoice["id"], rejected(INVOICE_FILE, "7001"))
    assert first.status_code == 201, first.json
    assert first.json["invoice"]["sdi_status"] == "rejected"
    assert [e["code"] for e in first.json["receipt"]["errors"]] == ["00404", "00423"]
    assert first.json["event"]["type"] == "sdi_receipt"
    assert first.json["event"]["payload"]["error_codes"] == "00404, 00423"
    # Sent again after the fix, the file gets a new IdentificativoSdI: accepted.
    second = upload_receipt(api, eid, invoice["id"], delivered(INVOICE_FILE, "7002"))
    assert second.status_code == 201, second.json
    shown = api.get(f"/v1/engagements/{eid}/invoices").json[0]
    assert shown["sdi_status"] == "delivered"
    assert [(r["kind"], r["identifier"]) for r in shown["sdi_receipts"]] == [("NS", "7001"), ("RC", "7002")]
    entries = api.get(f"/v1/engagements/{eid}/events").json
    assert [e["payload"]["kind"] for e in entries if e["type"] == "sdi_receipt"] == ["NS", "RC"]


def test_a_receipt_as_a_form_upload_and_of_the_credit_note_file(api: Api) -> None:
    eid, iid = _cancelled(api)
    path = f"/v1/engagements/{eid}/invoices/{iid}/fatturapa/receipts"
    form = {"file": (io.BytesIO(not_delivered(CREDIT_NOTE_FILE + ".p7m", "8001")), "MC.xml")}
    response = api.post(path, json=None, data=form, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert response.json["receipt"]["document"] == "credit_note"
    assert response.json["invoice"]["credit_note_sdi_status"] == "not_delivered"
    assert response.json["invoice"]["sdi_status"] is None  # the invoice's own file: nothing yet


def test_a_receipt_of_another_file_is_422_naming_nomefile(api: Api) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    response = upload_receipt(api, eid, invoice["id"], delivered("IT01234567890_00009.xml", "7001"))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["NomeFile"]


def test_a_second_transmission_of_a_delivered_file_and_a_repeated_receipt_are_409(api: Api) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    assert upload_receipt(api, eid, invoice["id"], delivered(INVOICE_FILE, "7001")).status_code == 201
    assert upload_receipt(api, eid, invoice["id"], delivered(INVOICE_FILE, "7001")).status_code == 409
    assert upload_receipt(api, eid, invoice["id"], delivered(INVOICE_FILE, "7999")).status_code == 409
    shown = api.get(f"/v1/engagements/{eid}/invoices").json[0]
    assert len(shown["sdi_receipts"]) == 1


NS_OPEN = b'<ns2:NotificaScarto xmlns:ns2="http://www.fatturapa.gov.it/sdi/messaggi/v1.0" versione="1.0">'


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"%PDF-1.7 not a receipt", "file"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "file"),
        (b"<FatturaElettronica/>", "file"),
        (NS_OPEN + b"<NomeFile>IT01234567890_00001.xml</NomeFile></ns2:NotificaScarto>", "IdentificativoSdI"),
        (
            NS_OPEN
            + b"<IdentificativoSdI>12a</IdentificativoSdI><NomeFile>x</NomeFile></ns2:NotificaScarto>",
            "IdentificativoSdI",
        ),
        (
            NS_OPEN + b"<IdentificativoSdI>1</IdentificativoSdI><NomeFile>IT01234567890_00001.xml</NomeFile>"
            b"<DataOraRicezione>2027-01-05T10:00:00</DataOraRicezione></ns2:NotificaScarto>",
            "ListaErrori.Errore",
        ),
        (
            NS_OPEN + b"<IdentificativoSdI>1</IdentificativoSdI><NomeFile>" + b"N" * 51 + b"</NomeFile>"
            b"</ns2:NotificaScarto>",
            "NomeFile",
        ),
    ],
    ids=["not-xml", "entities", "an-invoice", "no-identifier", "bad-identifier", "no-errors", "long-name"],
)
def test_garbage_and_hostile_files_are_422_naming_the_field(api: Api, body: bytes, field: str) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    response = upload_receipt(api, eid, invoice["id"], body)
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == [field]
    assert api.get(f"/v1/engagements/{eid}/invoices").json[0]["sdi_receipts"] == []


def test_another_tenants_invoice_takes_no_receipt(api: Api, other_api: Api) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    response = upload_receipt(other_api, eid, invoice["id"], delivered(INVOICE_FILE, "7001"))
    assert response.status_code == 404


def test_the_month_zip_holds_every_invoice_and_credit_note_file_issued_in_it(
    api: Api, other_api: Api, clock: FakeClock
) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    clock.advance(days=40)  # 2027-01-10: January's invoice is issued, then the December one cancelled
    path = f"/v1/engagements/{eid}/invoices/{invoice['id']}/cancellation"
    assert api.post(path, json={"reason": "Fatturato per errore"}).status_code == 201
    # January's fee is issued at midnight in Rome, 2026-12-31T23:00Z: a January invoice all the same.
    january = [i for i in api.get(f"/v1/engagements/{eid}/invoices").json if i["period"] == "2027-01"]
    assert [i["issued_at"] for i in january] == ["2026-12-31T23:00:00+00:00"]

    december = api.get("/v1/fatturapa?month=2026-12")
    assert december.status_code == 200
    assert december.mimetype == "application/zip"
    assert 'filename="fatturapa-2026-12.zip"' in december.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(december.data)) as archive:
        assert archive.namelist() == [INVOICE_FILE]
        assert _texts(archive.read(INVOICE_FILE), f"{BODY}/DatiGenerali/DatiGeneraliDocumento/TipoDocumento")

    with zipfile.ZipFile(io.BytesIO(api.get("/v1/fatturapa?month=2027-01").data)) as archive:
        expected = {f"IT01234567890_{i['id']:05d}.xml" for i in january} | {CREDIT_NOTE_FILE}
        assert january and set(archive.namelist()) == expected
        for name in archive.namelist():
            assert schema.problems(archive.read(name)) == []
        kinds = _texts(
            archive.read(CREDIT_NOTE_FILE), f"{BODY}/DatiGenerali/DatiGeneraliDocumento/TipoDocumento"
        )
        assert kinds == ["TD04"]
        dated = _texts(archive.read(CREDIT_NOTE_FILE), f"{BODY}/DatiGenerali/DatiGeneraliDocumento/Data")
        assert dated == ["2027-01-10"]  # the day of the cancellation, not the invoice's

    italian(other_api)  # another account, with the same VAT number even: none of ours
    with zipfile.ZipFile(io.BytesIO(other_api.get("/v1/fatturapa?month=2026-12").data)) as archive:
        assert archive.namelist() == []


@pytest.mark.parametrize("month", ["2027-13", "2027-1", "1999-12", "january", ""])
def test_a_bad_month_is_422_naming_month(api: Api, month: str) -> None:
    response = api.get(f"/v1/fatturapa?month={month}")
    assert response.status_code == 422
    assert "month" in str(response.json["errors"])


def test_the_last_supported_month_answers_an_empty_zip(api: Api) -> None:
    response = api.get("/v1/fatturapa?month=2200-12")
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(response.data)).namelist() == []
