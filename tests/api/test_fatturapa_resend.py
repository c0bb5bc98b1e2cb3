"""A file sent again after SdI rejected it gets a new name (SdI refuses a name it has already
received: error 00002), the receipts of every name it had stay this invoice's, and the month's
zip holds the current name."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

from service.documents.fatturapa import schema
from tests.api.test_fatturapa_sdi import (
    CREDIT_NOTE_FILE,
    INVOICE_FILE,
    _cancelled,
    first_invoice,
    italian,
    upload_receipt,
)
from tests.conftest import Api
from tests.unit.documents.sdi_samples import delivered, rejected

# The invoice (id 1) sent again: "a" for the first sending again of an invoice, "b" for a credit
# note's, "c" for an invoice's second; then the id in four base-36 digits (service.application.fatturapa).
RESENT_ONCE, RESENT_TWICE = "IT01234567890_a0001.xml", "IT01234567890_c0001.xml"
CREDIT_NOTE_RESENT = "IT01234567890_b0001.xml"


def _download(api: Api, eid: int, iid: int, suffix: str = "") -> tuple[str, bytes]:
    response = api.get(f"/v1/engagements/{eid}/invoices/{iid}/fatturapa{suffix}")
    assert response.status_code == 200, response.json
    disposition = response.headers["Content-Disposition"]
    return disposition.split('filename="')[1].split('"')[0], response.data


def _progressive(document: bytes) -> str:
    found = ET.fromstring(document).find("FatturaElettronicaHeader/DatiTrasmissione/ProgressivoInvio")
    assert found is not None
    return found.text or ""


def test_a_file_rejected_downloads_again_under_a_new_name_and_every_name_keeps_its_receipts(api: Api) -> None:
    italian(api)
    eid, invoice = first_invoice(api)
    iid = invoice["id"]
    assert _download(api, eid, iid)[0] == INVOICE_FILE
    assert upload_receipt(api, eid, iid, rejected(INVOICE_FILE, "7001")).status_code == 201

    name, document = _download(api, eid, iid)
    assert name == RESENT_ONCE  # the corrected file would be refused under the old name (00002)
    assert _progressive(document) == "a0001"  # ProgressivoInvio goes with the name
    assert schema.problems(document) == []

    # Rejected again: a third name; the second's receipt is still this invoice's.
    assert upload_receipt(api, eid, iid, rejected(RESENT_ONCE, "7002")).status_code == 201
    assert _download(api, eid, iid)[0] == RESENT_TWICE
    delivered_now = upload_receipt(api, eid, iid, delivered(RESENT_TWICE, "7003"))
    assert delivered_now.status_code == 201, delivered_now.json
    assert delivered_now.json["invoice"]["sdi_status"] == "delivered"
    # The first name is still recognised: its receipt again is "already recorded" (409), not
    # "another invoice's file" (422).
    assert upload_receipt(api, eid, iid, rejected(INVOICE_FILE, "7001")).status_code == 409
    assert upload_receipt(api, eid, iid, delivered("IT01234567890_d0001.xml", "7004")).status_code == 422
    assert _download(api, eid, iid)[0] == RESENT_TWICE  # delivered: no new name


def test_the_credit_note_has_its_own_series_and_the_month_zip_the_current_names(api: Api) -> None:
    eid, iid = _cancelled(api)  # the invoice and its credit note are both December's
    assert upload_receipt(api, eid, iid, rejected(INVOICE_FILE, "7001")).status_code == 201
    assert upload_receipt(api, eid, iid, rejected(CREDIT_NOTE_FILE, "8001")).status_code == 201
    assert _download(api, eid, iid, "/credit-note")[0] == CREDIT_NOTE_RESENT
    assert _download(api, eid, iid)[0] == RESENT_ONCE
    with zipfile.ZipFile(io.BytesIO(api.get("/v1/fatturapa?month=2026-12").data)) as archive:
        assert sorted(archive.namelist()) == sorted([RESENT_ONCE, CREDIT_NOTE_RESENT])
        assert _progressive(archive.read(RESENT_ONCE)) == "a0001"
