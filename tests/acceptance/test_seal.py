"""The sealed acceptance: the PDF shown plus a final page, signed under the account's own
certificate (which the export carries), stored, sent to the client, and recorded."""

from __future__ import annotations

import email
import hashlib
import io
import subprocess
import zipfile
from typing import Any

from flask import Flask
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select, update

from service.adapters.event_loop import off_loop
from service.adapters.orm import events
from service.adapters.seal import asn1_certificate
from service.application.acceptance import acceptance_terms, confirm_acceptance, request_acceptance_code
from service.application.mailing import send_due
from service.application.runtime import Runtime
from service.domain.acceptance import Consents
from tests.acceptance.conftest import CLIENT, Contract, KeptMail, code_in
from tests.conftest import Api


def _accept(runtime: Runtime, api: Api, contract: Contract, mail: KeptMail) -> tuple[str, dict[str, Any]]:
    request_acceptance_code(runtime, api.tenant_id, contract.engagement_id, CLIENT)
    code = code_in(mail.sent[-1])
    terms = acceptance_terms(runtime, api.tenant_id, contract.engagement_id)
    consents = Consents(True, tuple(c["number"] for c in terms["onerous_clauses"]))
    return code, confirm_acceptance(runtime, api.tenant_id, contract.engagement_id, code, consents, CLIENT)


def _certificate(api: Api, engagement_id: int) -> str:
    response = api.get(f"/v1/engagements/{engagement_id}/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return archive.read("sealing_certificate.pem").decode()


def _last_page_text(pdf: bytes) -> str:
    pages = len(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"])
    out = subprocess.run(
        ["pdftotext", "-f", str(pages), "-l", str(pages), "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(out.stdout.decode().split())


def test_the_sealed_pdf_validates_under_the_exported_certificate(
    runtime: Runtime, api: Api, contract: Contract, mail: KeptMail
) -> None:
    code, result = _accept(runtime, api, contract, mail)
    sealed = api.get(f"/v1/documents/{result['sealed_document_id']}/content?format=pdf").data
    assert sealed.startswith(contract.pdf)  # the very bytes shown, then the final page and signature
    certificate = _certificate(api, contract.engagement_id)
    embedded = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[-1]
    context = ValidationContext(trust_roots=[asn1_certificate(certificate)])
    status = off_loop(lambda: validate_pdf_signature(embedded, context))  # a browser test's loop may run
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.human_friendly == "Common Name: Studio Bianchi"

    page = _last_page_text(sealed)
    entries = api.get(f"/v1/engagements/{contract.engagement_id}/events").json
    [entry] = [e for e in entries if e["type"] == "client_accepted"]
    payload = entry["payload"]
    for expected in (
        "Accettato da: Giulia Rossi, per Bottega Rossi S.r.l.",
        "Indirizzo di rete: 203.0.113.9",
        "Programma: Mozilla/5.0 (Test) Firefox/140",
        f"Codice monouso n. {payload['code_id']}, inviato a giulia@bottegarossi.it",
        "Data e ora: 2026-12-01 09:00:00 (UTC)",
        "approvo specificamente le clausole art.",
        hashlib.sha256(contract.pdf).hexdigest(),
    ):
        assert expected in page, expected
    assert code not in page  # the code id, never the code

    assert payload["contact"] == "Giulia Rossi" and payload["link_id"] == "link-7"
    assert payload["address"] == "203.0.113.9" and payload["user_agent"] == CLIENT.user_agent
    assert payload["shown_sha256"] == hashlib.sha256(contract.pdf).hexdigest()
    assert payload["sealed_sha256"] == hashlib.sha256(sealed).hexdigest()
    assert payload["consents"][0].startswith("Ho letto il contratto nel PDF mostrato")
    assert "1341" in payload["consents"][1]
    assert code not in str(payload)


def test_both_parties_receive_the_sealed_copy(
    runtime: Runtime, api: Api, contract: Contract, mail: KeptMail
) -> None:
    _, result = _accept(runtime, api, contract, mail)
    documents = api.get(f"/v1/engagements/{contract.engagement_id}/documents").json
    [sealed] = [d for d in documents if d["kind"] == "sealed_acceptance"]  # the freelancer's copy
    assert sealed["filename"].endswith("accettazione-sigillata.pdf")
    assert send_due(runtime, mail) == 1  # the client's, approved at once: it is their receipt
    message = email.message_from_bytes(mail.sent[-1])
    assert message["To"] == "giulia@bottegarossi.it"
    [attached] = [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    assert attached.get_content_type() == "application/pdf"
    assert hashlib.sha256(attached.get_payload(decode=True)).hexdigest() == result["sealed_sha256"]


def test_a_tampered_acceptance_entry_is_named_by_verification(
    app: Flask, runtime: Runtime, api: Api, contract: Contract, mail: KeptMail
) -> None:
    _accept(runtime, api, contract, mail)
    engine = app.extensions["sql_engine"]
    with engine.connect() as connection:
        row = connection.execute(select(events).where(events.c.type == "client_accepted")).mappings().one()
    assert api.get(f"/v1/engagements/{contract.engagement_id}/events/verify").json["valid"] is True
    forged = {**row["payload"], "address": "198.51.100.1"}
    with engine.begin() as connection:
        connection.execute(update(events).where(events.c.id == row["id"]).values(payload=forged))
    result = api.get(f"/v1/engagements/{contract.engagement_id}/events/verify").json
    assert result["valid"] is False
    assert result["first_broken"]["seq"] == row["seq"]
