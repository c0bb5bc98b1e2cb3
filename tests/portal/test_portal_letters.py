"""Letters sent to the client, downloaded and acknowledged through the portal; the payment details
with the EPC QR code for a euro balance."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask import Flask
from segno import helpers

from service.application.tenants import update_tenant
from tests.conftest import Api
from tests.portal.conftest import Client

IBAN = "IT60X0542811101000000123456"


def _send(api: Api, subject_part: str) -> dict[str, Any]:
    message = next(m for m in api.get("/v1/messages").json["items"] if subject_part in m["subject"])
    sent = {"sent_at": "2026-12-01T09:00:00Z", "channel": "email", "reference": "From my mail"}
    assert api.post(f"/v1/messages/{message['id']}/mark-sent", json=sent).status_code == 200
    return message


def test_only_sent_letters_are_listed_downloaded_and_acknowledged(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    drafted = next(m for m in api.get("/v1/messages").json["items"] if "January" in m["subject"])
    letter_path = f"{client_of.path}/letters/{drafted['document_id']}"
    assert client_of.client.get(letter_path).status_code == 404  # a draft is not the client's yet
    contract = next(
        d for d in api.get(f"/v1/engagements/{asked['id']}/documents").json if d["kind"] == "contract"
    )
    assert client_of.client.get(f"{client_of.path}/letters/{contract['id']}").status_code == 404
    _send(api, "January")
    download = client_of.client.get(letter_path)
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"] == "no-store"
    stored = api.get(f"/v1/documents/{drafted['document_id']}/content").data
    assert download.data == stored
    answered = client_of.answer("letter", drafted["document_id"], "acknowledged", shown_sha256="")
    assert answered.headers["Location"].endswith("answered=changed")  # the letter's hash, or nothing
    page = client_of.page().get_data(as_text=True)
    letter_hash = re.findall(r'name="shown_sha256" value="([0-9a-f]{64})"', page)[-1]
    answered = client_of.answer("letter", drafted["document_id"], "acknowledged", shown_sha256=letter_hash)
    assert answered.headers["Location"].endswith("answered=done")
    events = api.get(f"/v1/engagements/{asked['id']}/events").json
    items = events["items"] if isinstance(events, dict) else events
    entry = items[-1]
    assert entry["type"] == "client_answered" and entry["payload"]["decision"] == "acknowledged"
    document = api.get(f"/v1/engagements/{asked['id']}/documents").json
    assert entry["payload"]["shown_sha256"] == next(
        d["sha256"] for d in document if d["id"] == drafted["document_id"]
    )
    assert "Avete confermato di averla letta." in client_of.page().get_data(as_text=True)


def test_a_euro_balance_shows_the_payment_details_with_its_epc_qr_code(
    app: Flask, api: Api, asked: dict[str, Any], client_of: Client
) -> None:
    assert "data:image/svg+xml" not in client_of.page().get_data(as_text=True)  # no IBAN on file yet
    update_tenant(app.extensions["runtime"], api.tenant_id, {"iban": IBAN, "bic": "BPMOIT22XXX"})
    page = client_of.page().get_data(as_text=True)
    invoice = api.get(f"/v1/engagements/{asked['id']}/invoices").json[0]
    expected = helpers.make_epc_qr(
        name="Studio Bianchi",
        iban=IBAN,
        amount=Decimal(invoice["amount"]),
        text=invoice["number"],
        bic="BPMOIT22XXX",
    ).svg_data_uri(scale=4, border=2)
    assert f'src="{expected}"' in page.replace("&amp;", "&").replace("&#39;", "'").replace("&#34;", '"')
    assert f"IBAN: {IBAN}" in page and "1.200,00" in page
